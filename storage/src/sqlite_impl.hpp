// Internal to storage: the state of a SqliteRepository (its connections, the writer and its
// queue of writes, the checkpointer) and the helpers its methods share.
#pragma once

#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>
#include <variant>

#include "clientgate/core/client_service.hpp"
#include "clientgate/core/errors.hpp"
#include "clientgate/core/secrets.hpp"
#include "clientgate/storage/sqlite_repository.hpp"
#include "reserve_file.hpp"
#include "sqlite_connection.hpp"
#include "sqlite_query.hpp"
#include "sqlite_rows.hpp"
#include "wal_syncer.hpp"
#include "wal_vfs.hpp"

namespace clientgate::storage {

namespace sqlite {
inline std::atomic<std::uint64_t> next_repository_serial{1};
}  // namespace sqlite

// The helpers were in an anonymous namespace of one file; this directive keeps their names
// found as they were (an anonymous namespace is one too). Internal header: storage's files only.
using namespace sqlite;  // NOLINT

// --- connections per thread

// While a write_together body runs on a thread: its repository, and the writer connection in
// whose open transaction the body's writes run directly, each in a savepoint of its own.
struct Together {
  const void* impl = nullptr;
  Connection* conn = nullptr;
};
inline thread_local Together together;

// Bodies kept out of line, by job: migrate in sqlite_schema.cpp; list, load_client,
// load_contacts, load_documents in sqlite_query.cpp; next_number, hash_contact_passwords,
// replace_contacts, touch_for_bulk in sqlite_writes.cpp; import, export_all in
// sqlite_import_export.cpp.
struct SqliteRepository::Impl {
  std::filesystem::path path;
  StorageSettings settings;
  std::unique_ptr<ReserveFile> reserve;
  std::uint64_t serial = next_repository_serial++;
  bool was_empty = false;

  // Every connection opened for this repository, so that the destructor can close them all
  // (the thread_local tables of other threads only hold them).
  struct Registry {
    std::mutex mutex;
    std::vector<std::shared_ptr<Connection>> open;
  };
  std::shared_ptr<Registry> registry = std::make_shared<Registry>();

  // --- writes: one writer connection, group commit
  //
  // Every write of the process is a job run on one connection, the writer, inside a BEGIN
  // IMMEDIATE transaction: the write lock is taken up front, so what a job reads to check its
  // rules cannot change before it commits. Jobs that arrive while a transaction is running
  // wait, and the first of them then runs all the waiting jobs in one transaction, each in a
  // savepoint of its own (a job that fails is rolled back alone), with one commit for all:
  // the commit's WAL appends are shared instead of repeated per write. A job's caller returns
  // only after the commit that holds it, so a 2xx still means the write is in the WAL.
  //
  // One connection for all writes also keeps its page cache valid from one write to the
  // next (a commit by another connection would make SQLite drop it), and writers of this
  // process wait for each other here rather than in SQLite's busy handler, whose sleeps
  // (1, 2, 5 ... 100 ms) would stall a writer that lost a race; busy_timeout still covers
  // writers in other processes.
  struct WriteJob {
    std::function<void(Connection&)> run;
    std::exception_ptr error;
    bool done = false;        // guarded by jobs_mutex, as are the two below
    bool lead = false;        // this job's thread runs the next batch
    bool own_thread = false;  // only its own thread may run it (write_together)
    bool alone = false;       // run alone, outside any transaction, on its own connection (a pause)
    std::uint64_t durable_ticket = 0;  // power_loss: its commit, to wait for (WalSyncer)
    std::condition_variable wake;
  };
  std::mutex jobs_mutex;
  std::vector<WriteJob*> waiting;           // guarded by jobs_mutex
  bool leading = false;                     // a thread is running a batch; guarded by jobs_mutex
  std::shared_ptr<Connection> writer_conn;  // used by the leading thread only

  Connection& writer() {
    if (writer_conn && !writer_conn->broken && writer_conn->db) return *writer_conn;
    if (writer_conn) {
      std::lock_guard lock(registry->mutex);
      std::erase(registry->open, writer_conn);
    }
    writer_conn = nullptr;
    writer_conn = open_connection(settings.cache_kib);
    if (!settings.read_only) sqlite3_wal_hook(writer_conn->db, on_commit, this);
    if (syncer) hand_syncs_to_syncer(*writer_conn);
    return *writer_conn;
  }

  // power_loss: the syncer thread fsyncs the WAL for the writer's commits (wal_syncer.hpp);
  // every other connection keeps synchronous=FULL (its checkpoints sync as they did).
  std::unique_ptr<WalSyncer> syncer;
  static void hand_syncs_to_syncer(Connection& writer) {
    writer.exec("PRAGMA synchronous = NORMAL");
  }

  // Runs body(connection) as a committed write and returns what it returns; what it throws
  // is rethrown here, with nothing of it written.
  // `frees_space`: a delete, taken on a full disk (low-space mode) when nothing else is. The
  // delete that meets the full disk first is run once more after the reserve is released.
  template <class F>
  auto write(F&& body, bool frees_space = false) -> std::invoke_result_t<F&, Connection&> {
    if (reserve->low_space() && !frees_space) {
      throw core::unavailable("the disk is full: only deletes are taken until it has room");
    }
    if (together.impl == this || !frees_space) return write_once(body);
    std::uint64_t releases = reserve->releases();
    try {
      return write_once(body);
    } catch (const core::Error& e) {
      if (e.kind() != core::ErrorKind::unavailable || reserve->releases() == releases) throw;
    }
    return write_once(body);
  }

  template <class F>
  auto write_once(F& body) -> std::invoke_result_t<F&, Connection&> {
    using R = std::invoke_result_t<F&, Connection&>;
    if (together.impl == this) return write_in_together(*together.conn, body);
    WriteJob job;
    if constexpr (std::is_void_v<R>) {
      job.run = [&](Connection& c) { body(c); };
      submit(job);
    } else {
      std::optional<R> out;
      job.run = [&](Connection& c) { out.emplace(body(c)); };
      submit(job);
      return std::move(*out);
    }
  }

  // Runs body(c) in a savepoint of c's open transaction: kept when it returns, undone alone
  // when it throws (and the exception rethrown). When the savepoint cannot be undone, the
  // whole transaction is: afterwards, an open transaction on c always holds only what
  // succeeded.
  template <class F>
  static auto in_savepoint(Connection& c, F& body) -> std::invoke_result_t<F&, Connection&> {
    c.prepare("SAVEPOINT job").run();
    try {
      if constexpr (std::is_void_v<std::invoke_result_t<F&, Connection&>>) {
        body(c);
        c.prepare("RELEASE job").run();
      } else {
        auto out = body(c);
        c.prepare("RELEASE job").run();
        return out;
      }
    } catch (...) {
      if (sqlite3_get_autocommit(c.db) == 0) {
        try {
          c.prepare("ROLLBACK TO job").run();
          c.prepare("RELEASE job").run();
        } catch (...) {
          sqlite3_exec(c.db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
      }
      throw;
    }
  }

  // A write of a write_together body: in a savepoint of the open transaction. Once SQLite has
  // abandoned that transaction, no later write of the body may start a new one.
  template <class F>
  auto write_in_together(Connection& c, F& body) -> std::invoke_result_t<F&, Connection&> {
    if (sqlite3_get_autocommit(c.db) != 0) {
      throw core::unavailable("the store abandoned the transaction");
    }
    return in_savepoint(c, body);
  }

  bool write_together(const std::function<void()>& body) {
    if (together.impl != nullptr) {  // already inside one: its transaction holds these too
      body();
      return true;
    }
    WriteJob job;
    job.own_thread = true;
    job.run = [&](Connection& c) {
      together = Together{this, &c};
      struct Reset {
        ~Reset() { together = Together{}; }
      } reset;
      body();
      if (sqlite3_get_autocommit(c.db) != 0) {
        throw core::unavailable("the store abandoned the transaction");
      }
    };
    try {
      submit(job);
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

  // The first writer to come leads: it runs its own job and every job waiting, then hands
  // the lead to the first job that arrived meanwhile. Each waiting thread is woken once, when
  // its job is done or its turn to lead has come.
  void submit(WriteJob& job) {
    thread_local bool in_job = false;
    if (in_job) throw std::logic_error("a write job may not start another write");
    end_this_threads_snapshot();
    std::unique_lock lock(jobs_mutex);
    if (leading) {
      waiting.push_back(&job);
      job.wake.wait(lock, [&] { return job.done || job.lead; });
    } else {
      leading = true;
      job.lead = true;
    }
    if (!job.done) {
      // The waiting jobs join this batch, but for those only their own thread may run.
      std::vector<WriteJob*> batch{&job};
      if (!job.alone) {
        std::vector<WriteJob*> left;
        for (WriteJob* w : waiting)
          (w->own_thread ? left : batch).push_back(w);
        waiting = std::move(left);
      }
      lock.unlock();
      in_job = true;
      if (job.alone) {
        run_alone(job);
      } else {
        run_batch(batch);
      }
      in_job = false;
      after_batch();
      lock.lock();
      // Woken under the lock: a job's thread may return (and its job go) once it is done.
      for (WriteJob* j : batch) {
        j->done = true;
        if (j != &job) j->wake.notify_one();
      }
      if (waiting.empty()) {
        leading = false;
      } else {
        WriteJob* next = waiting.front();
        waiting.erase(waiting.begin());
        next->lead = true;
        next->wake.notify_one();
      }
    }
    lock.unlock();
    // power_loss: answered only once the commit is on the disk; the writers' turn has already
    // gone to the next batch, which commits while this one syncs.
    if (!job.error && job.durable_ticket != 0) syncer->wait_synced(job.durable_ticket);
    if (job.error) std::rethrow_exception(job.error);
  }

  // A commit starts the WAL over only when no connection reads an older part of it, and the
  // snapshot this thread keeps would be out of date after the commit anyway: it ends before
  // the write waits for its turn (an io thread reads, say the caller's token, then writes).
  void end_this_threads_snapshot() noexcept {
    try {
      end_read(connection());
    } catch (const std::exception&) {
      // no connection: no snapshot
    }
  }

  // A job that holds the writer's turn without writing: while it runs, no write of this
  // process is in a transaction and none starts.
  void run_alone(WriteJob& job) noexcept {
    try {
      job.run(connection());
    } catch (...) {
      job.error = std::current_exception();
    }
  }

  // A batch that met a full disk releases the reserve (its room goes to the deletes that
  // follow); in low-space mode, the reserve is made again once the disk has room.
  void after_batch() noexcept {
    try {
      if (writer_conn && writer_conn->saw_full) {
        writer_conn->saw_full = false;
        reserve->release();
      } else if (reserve->low_space()) {
        reserve->ensure();
      }
    } catch (const std::exception&) {
      // The next batch looks again.
    }
  }

  // Runs the jobs in order, in as few transactions as their failures allow. Never throws:
  // every job ends with either its writes committed or an error.
  void run_batch(const std::vector<WriteJob*>& batch) noexcept {
    std::size_t next = 0;
    while (next < batch.size()) {
      std::vector<WriteJob*> kept;  // run, not yet committed
      Connection* c = nullptr;
      try {
        c = &writer();
        if (reserve->low_space()) {
          // On a full disk, the WAL is copied back first, so that this transaction can start
          // it over instead of growing it (the reserve's room goes to the database file).
          sqlite3_wal_checkpoint_v2(c->db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        }
        c->prepare("BEGIN IMMEDIATE").run();
        bool lost = false;  // a job's failure took the whole transaction with it
        for (; next < batch.size() && !lost; ++next) {
          WriteJob* j = batch[next];
          try {
            in_savepoint(*c, j->run);
            kept.push_back(j);
          } catch (...) {
            j->error = std::current_exception();
            if (sqlite3_get_autocommit(c->db) != 0) {
              lost = true;  // the whole transaction went (disk full, I/O error)
              for (WriteJob* k : kept)
                k->error = j->error;
              kept.clear();
            }
          }
        }
        if (!lost) {
          c->prepare("COMMIT").run();
          commits.fetch_add(1, std::memory_order_release);
          if (syncer) {
            std::uint64_t ticket = syncer->committed();
            for (WriteJob* k : kept)
              k->durable_ticket = ticket;
          }
        }
      } catch (...) {
        // BEGIN, a savepoint or COMMIT failed: nothing of this transaction stands, and the
        // store is failing, so the jobs not yet run fail with the same error.
        auto error = std::current_exception();
        if (c != nullptr && c->db != nullptr && sqlite3_get_autocommit(c->db) == 0) {
          sqlite3_exec(c->db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
        for (WriteJob* k : kept)
          k->error = error;
        for (; next < batch.size(); ++next)
          if (!batch[next]->error) batch[next]->error = error;
      }
    }
  }

  // --- checkpoints: on one thread of their own, never in a writer's commit
  //
  // Every connection opens with SQLite's auto-checkpoint off, so no commit ever copies the WAL
  // back (nor pays that copy's fsyncs). This thread copies it every 100 ms (PASSIVE: never
  // blocks a read or a write). The WAL starts over (the next commit writes from its start
  // again, into blocks the file already has) only once a checkpoint has copied all of it,
  // which a steady stream of writes never lets a PASSIVE checkpoint do: once the WAL holds
  // wal_bound_frames, this thread takes the writers' turn (a job run alone) and copies the
  // few frames written since its last pass, so that the next commit starts the WAL over. That
  // pause, once per settings.wal_bound_pages of WAL (64 MiB by default), is the one wait a
  // write may pay beyond its own commit. The writer's commit that crosses the bound wakes this
  // thread at once, so the WAL file stays within the bound plus what is written during the
  // two passes and the pause.
  std::thread checkpointer;
  std::mutex checkpointer_mutex;
  std::condition_variable checkpointer_wake;
  bool checkpointer_stop = false;
  std::atomic<bool> wal_at_bound{false};

  // SQLite's WAL hook on the writer: called after each commit with the WAL's size in frames.
  static int on_commit(void* self, sqlite3*, const char*, int frames) {
    auto* impl = static_cast<Impl*>(self);
    if (frames >= impl->settings.wal_bound_pages && !impl->wal_at_bound.exchange(true)) {
      impl->checkpointer_wake.notify_one();
    }
    return SQLITE_OK;
  }

  // The busy handler of the pause's checkpoint: up to about 10 ms, in steps of 100 us.
  static int wait_briefly_for_readers(void*, int tries) {
    if (tries >= 100) return 0;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
    return 1;
  }

  void checkpoint_once() {
    Connection& c = connection();
    int log = 0;
    int copied = 0;
    if (sqlite3_wal_checkpoint_v2(c.db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) !=
            SQLITE_OK ||
        log < settings.wal_bound_pages) {
      return;
    }
    // Once more without the pause: this pass copies only what the first let through, so
    // that the pause has little left to copy.
    sqlite3_wal_checkpoint_v2(c.db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    WriteJob pause;
    pause.own_thread = true;
    pause.alone = true;
    // RESTART: after the copy, wait until no reader reads the WAL's old frames (reads are
    // short: a turn's snapshot at most), so that the next commit can start it over; no writer
    // of this process can start meanwhile. The wait is capped: a store another process reads
    // keeps its WAL until a later round.
    pause.run = [&](Connection& mine) {
      sqlite3_busy_handler(mine.db, wait_briefly_for_readers, nullptr);
      sqlite3_wal_checkpoint_v2(mine.db, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
      sqlite3_busy_timeout(mine.db, static_cast<int>(settings.busy_timeout.count()));
    };
    submit(pause);
  }

  void start_checkpointer() {
    if (settings.durability == Durability::power_loss) {
      syncer = std::make_unique<WalSyncer>(path.string() + "-wal");
      if (writer_conn && writer_conn->db) hand_syncs_to_syncer(*writer_conn);
    }
    checkpointer = std::thread([this] {
      std::unique_lock lock(checkpointer_mutex);
      for (;;) {
        // on_commit notifies without the mutex (it runs in the writer's commit): a wake-up
        // lost between the test and the wait costs at most this timeout.
        checkpointer_wake.wait_for(lock, std::chrono::milliseconds(100),
                                   [this] { return checkpointer_stop || wal_at_bound.load(); });
        if (checkpointer_stop) return;
        wal_at_bound = false;
        lock.unlock();
        try {
          checkpoint_once();
        } catch (const std::exception&) {
          // The store is unavailable (disk full, read-only): requests report it; retry later.
        }
        lock.lock();
      }
    });
  }

  ~Impl() {
    if (checkpointer.joinable()) {
      {
        std::lock_guard lock(checkpointer_mutex);
        checkpointer_stop = true;
      }
      checkpointer_wake.notify_all();
      checkpointer.join();
    }
    std::lock_guard lock(registry->mutex);
    for (auto& c : registry->open)
      c->close();
    registry->open.clear();
  }

  // The page cache: `cache_kib` for the connections that serve most reads and every write
  // (the io threads', which keep snapshots, and the writer); at most 1 MiB for the others
  // (the write pool's threads read little: the client a write is about), so that resident
  // memory stays near (io threads + 1) x cache_kib however many threads read.
  static constexpr std::int64_t other_cache_kib = 1024;
  std::int64_t cache_kib_for(bool keeps_snapshots) const {
    return keeps_snapshots ? settings.cache_kib
                           : std::min<std::int64_t>(settings.cache_kib, other_cache_kib);
  }
  static void set_cache(Connection& c, std::int64_t kib) {
    std::string cache = "PRAGMA cache_size = -" + std::to_string(kib);
    c.exec(cache.c_str());
  }

  // Makes `c` a connection that keeps read snapshots, with the full page cache.
  void keep_snapshots_on(Connection& c) {
    if (c.keep_snapshots) return;
    c.keep_snapshots = true;
    set_cache(c, cache_kib_for(true));
  }

  std::shared_ptr<Connection> open_connection(std::int64_t cache_kib) {
    auto conn = std::make_shared<Connection>();
    int flags =
        SQLITE_OPEN_NOMUTEX |
        (settings.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    // The VFS that gathers a commit's WAL appends into one write (wal_vfs.cpp).
    int rc = sqlite3_open_v2(path.c_str(), &conn->db, flags, coalescing_vfs());
    if (rc != SQLITE_OK) {
      conn->close();
      throw core::unavailable(std::string("the store cannot be opened: ") + sqlite3_errstr(rc));
    }
    sqlite3_extended_result_codes(conn->db, 1);
    sqlite3_create_function_v2(conn->db, "clientgate_digits", 1,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                               digits_function, nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(conn->db, static_cast<int>(settings.busy_timeout.count()));
    if (!settings.read_only) {
      conn->exec("PRAGMA journal_mode = WAL");
      // Never in a commit: the checkpointer thread copies the WAL back and bounds it.
      conn->exec("PRAGMA wal_autocheckpoint = 0");
    }
    conn->exec(settings.durability == Durability::power_loss ? "PRAGMA synchronous = FULL"
                                                             : "PRAGMA synchronous = NORMAL");
    conn->exec("PRAGMA foreign_keys = ON");
    conn->exec("PRAGMA temp_store = MEMORY");
    // No memory-mapped I/O: with it every read transaction pays an fstat, and the mapped
    // pages count as the server's resident memory; the page cache serves reads well enough.
    conn->exec("PRAGMA mmap_size = 0");
    set_cache(*conn, cache_kib);
    if (settings.max_page_count > 0) {
      std::string pragma = "PRAGMA max_page_count = " + std::to_string(settings.max_page_count);
      conn->exec(pragma.c_str());
    }
    std::lock_guard lock(registry->mutex);
    registry->open.push_back(conn);
    return conn;
  }

  struct ThreadEntry {
    std::uint64_t serial;
    std::weak_ptr<Registry> registry;
    std::shared_ptr<Connection> conn;
  };
  struct ThreadConnections {
    std::vector<ThreadEntry> entries;
    ~ThreadConnections() {
      for (auto& e : entries)
        forget(e);
    }
    static void forget(ThreadEntry& e) {
      if (auto reg = e.registry.lock()) {
        std::lock_guard lock(reg->mutex);
        std::erase(reg->open, e.conn);
      }
    }
  };

  Connection& connection() {
    thread_local ThreadConnections mine;
    bool keep = false;
    for (auto it = mine.entries.begin(); it != mine.entries.end();) {
      if (it->registry.expired()) {
        it = mine.entries.erase(it);
        continue;
      }
      if (it->serial == serial) {
        if (!it->conn->broken && it->conn->db) return *it->conn;
        keep = it->conn->keep_snapshots;
        ThreadConnections::forget(*it);
        mine.entries.erase(it);
        break;
      }
      ++it;
    }
    mine.entries.push_back(ThreadEntry{serial, registry, open_connection(cache_kib_for(keep))});
    mine.entries.back().conn->keep_snapshots = keep;
    return *mine.entries.back().conn;
  }

  // --- read snapshots
  //
  // A read transaction costs SQLite a WAL read lock (a mutex shared by every connection of
  // the process, often an fcntl) each time one begins: a serving thread keeps one open across
  // the reads of a turn of its event loop. The count of commits tells a snapshot that a write
  // of this process has committed since it began: it is then ended before the next read.
  std::atomic<std::uint64_t> commits{0};

  // This thread's connection, for a read.
  Connection& reader() {
    // Inside a write_together body, reads see the body's writes: a request reads back what it
    // wrote (and what the requests before it in the body wrote) from the open transaction.
    if (together.impl == this) return *together.conn;
    Connection& c = connection();
    if (!c.keep_snapshots) return c;
    std::uint64_t now = commits.load(std::memory_order_acquire);
    bool open = sqlite3_get_autocommit(c.db) == 0;  // the only transaction a reader holds
    if (open && c.snapshot_commits == now) return c;
    end_read(c);
    // Counted before the snapshot begins (at the first read after BEGIN): a commit in between
    // only makes the next read begin another one.
    c.prepare("BEGIN").run();
    c.snapshot_commits = now;
    return c;
  }

  // The page boundaries `c` knows for the data its open snapshot reads; nullptr when `c`
  // reads without a snapshot (a commit could fall between two statements) or is the writer
  // (whose open transaction holds writes no data_version counts).
  PageBounds* page_bounds(Connection& c) {
    if (!c.keep_snapshots || sqlite3_get_autocommit(c.db) != 0 || &c == writer_conn.get()) {
      return nullptr;
    }
    std::int64_t version = -1;
    {
      auto s = c.prepare("PRAGMA data_version");
      if (s.step()) version = s.i64(0);
    }
    if (version != c.bounds_version) {
      c.bounds.clear();
      c.index_counts.clear();
      c.bounds_version = version;
    }
    return &c.bounds;
  }

  static void end_read(Connection& c) {
    if (c.db == nullptr || sqlite3_get_autocommit(c.db) != 0) return;
    if (sqlite3_exec(c.db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      sqlite3_exec(c.db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }

  void migrate();

  // --- reads

  void load_contacts(Connection& c, std::vector<Client>& items);

  void load_documents(Connection& c, std::vector<Client>& items);

  template <class F>
  static void for_each_chunk(const std::vector<Client>& items, F&& f) {
    constexpr std::size_t chunk = 100;
    for (std::size_t from = 0; from < items.size(); from += chunk) {
      f(from, std::min(chunk, items.size() - from));
    }
  }
  static std::unordered_map<core::ClientId, std::size_t> index_of(const std::vector<Client>& items,
                                                                  std::size_t from, std::size_t n) {
    std::unordered_map<core::ClientId, std::size_t> where;
    for (std::size_t i = from; i < from + n; ++i)
      where.emplace(items[i].id, i);
    return where;
  }

  core::ClientPage list(Connection& c, const core::ClientQuery& q);
  std::int64_t member_tally(Connection& c, core::UserId member, unsigned states);
  std::optional<std::vector<core::CompanyId>> few_member_companies(Connection& c,
                                                                   core::UserId member);
  // The clients of q's scope the trigram index matches for `match` (sqlite_query.cpp).
  std::optional<std::int64_t> count_in_index(Connection& c, const core::ClientQuery& q,
                                             const std::string& match);

  std::optional<Client> load_client(Connection& c, core::ClientId id, bool related);

  // --- write helpers (inside a write transaction)

  bool exists(Connection& c, const char* sql, std::int64_t id) {
    auto s = c.prepare(sql);
    s.bind(1, id);
    return s.step();
  }

  std::int64_t next_localid(Connection& c, core::CompanyId company) {
    auto s = c.prepare("SELECT coalesce(max(localid), 0) + 1 FROM clients WHERE company_id = ?");
    s.bind(1, company);
    s.step();
    return s.i64(0);
  }

  bool number_taken(Connection& c, core::CompanyId company, const std::string& number,
                    core::ClientId except) {
    auto s = c.prepare("SELECT 1 FROM clients WHERE company_id = ? AND number = ? AND id <> ?");
    s.bind(1, company).bind(2, number).bind(3, except);
    return s.step();
  }

  std::string next_number(Connection& c, core::CompanyId company);

  void check_rules(Connection& c, const Client& client, const Client* before,
                   const core::WriteRules& rules) {
    if (rules.unique_name && (!before || before->name != client.name)) {
      auto s = c.prepare(
          "SELECT 1 FROM clients WHERE company_id = ? AND name = ? AND id <> ? AND is_deleted = "
          "0");
      s.bind(1, client.company_id).bind(2, client.name).bind(3, client.id);
      if (s.step()) {
        throw core::conflict(core::conflict_field::name, "a client with this name already exists");
      }
    }
    if (rules.unique_as_laravel && !client.number.empty() &&
        (!before || before->number != client.number)) {
      auto s = c.prepare(
          "SELECT 1 FROM clients WHERE company_id = ? AND number = ? COLLATE NOCASE AND id <> ?");
      s.bind(1, client.company_id).bind(2, client.number).bind(3, client.id);
      if (s.step()) {
        throw core::conflict(core::conflict_field::number,
                             "a client with this number already exists");
      }
    }
    if (rules.unique_id_number && client.id_number && !client.id_number->empty() &&
        (!before || before->id_number != client.id_number)) {
      auto s = c.prepare(
          rules.unique_as_laravel
              ? "SELECT 1 FROM clients WHERE company_id = ? AND id_number = ? COLLATE NOCASE "
                "AND id <> ?"
              : "SELECT 1 FROM clients WHERE company_id = ? AND id_number = ? AND id <> ? AND "
                "is_deleted = 0");
      s.bind(1, client.company_id).bind(2, *client.id_number).bind(3, client.id);
      if (s.step()) {
        throw core::conflict(core::conflict_field::id_number,
                             "a client with this id number already exists");
      }
    }
  }

  void insert_client_row(Connection& c, Client& client, bool upsert) {
    auto s = c.prepare(client_insert_sql(upsert));
    bind_client(s, client);
    s.run();
    if (!client.id) client.id = sqlite3_last_insert_rowid(c.db);
  }

  // The Argon2id hashes of the contacts' new passwords, by position (empty: none), computed
  // before a write's turn: a hash takes tens of milliseconds, and every other write would
  // wait for it inside the transaction.
  static std::vector<std::string> hash_contact_passwords(
      const std::optional<std::vector<core::ContactInput>>& inputs);

  // The whole contact list of a client (see ClientPatch::contacts); password_hashes from
  // hash_contact_passwords(inputs).
  void replace_contacts(Connection& c, core::ClientId client,
                        const std::vector<core::ContactInput>& inputs, Timestamp now,
                        const std::vector<std::string>& password_hashes);

  void touch_for_bulk(Connection& c, core::ClientId id, core::BulkAction action, Timestamp now);

  void import(Connection& c, const core::Dataset& data, bool replace);
  core::Dataset export_all(Connection& c);
};

}  // namespace clientgate::storage
