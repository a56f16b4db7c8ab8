#include "clientgate/gateway/cli.hpp"

#include <pthread.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>

#include "clientgate/core/authenticator.hpp"
#include "clientgate/core/client_service.hpp"
#include "clientgate/core/errors.hpp"
#include "clientgate/dataset/dataset_json.hpp"
#include "clientgate/dialects/common.hpp"
#include "clientgate/dialects/dialect.hpp"
#include "clientgate/dialects/settings_schema.hpp"
#include "clientgate/gateway/access_log.hpp"
#include "clientgate/gateway/admin_view.hpp"
#include "clientgate/gateway/router.hpp"
#include "clientgate/gateway/server.hpp"
#include "clientgate/gateway/settings.hpp"
#include "clientgate/storage/sqlite_repository.hpp"

namespace clientgate::gateway {

namespace {

constexpr const char* program_help =
    R"(clientgate: one HTTP server that speaks several existing "clients" APIs over one
SQLite store.

Usage:
  clientgate serve [--db PATH] [--listen HOST:PORT] [--threads N] [--config FILE]
  clientgate import --db PATH [--replace] FILE
  clientgate export --db PATH [FILE]
  clientgate show --db PATH [--config FILE] ID
  clientgate COMMAND --help
  clientgate --help

Exit status: 0 success, 1 the command failed, 2 usage or configuration error.
)";

constexpr const char* serve_help =
    R"(Usage: clientgate serve [--db PATH] [--listen HOST:PORT] [--threads N] [--config FILE]

Serves every compiled-in dialect on one port. Prints
"clientgate listening on http://HOST:PORT" when ready (the real port when 0 was asked).
SIGINT / SIGTERM: stop accepting, finish the requests in flight, close the database, exit 0.

Options (a flag wins over the config file):
  --db PATH           the SQLite database (default ./clientgate.db; created when missing)
  --listen HOST:PORT  the address to listen on (default 127.0.0.1:8080; [::1]:PORT for IPv6)
  --threads N         io threads (default: one per core)
  --config FILE       a TOML config file (keys: gateway/README.md)
  -h, --help          this text
)";

constexpr const char* import_help = R"(Usage: clientgate import --db PATH [--replace] FILE

Loads a clientgate-dataset/1 JSON document (FILE, or - for stdin) into the database, all or
nothing. Each problem is printed as "path: message" on stderr (exit 1); nothing is written.

Options:
  --db PATH    the SQLite database (created when missing)
  --replace    replace records whose id already exists instead of refusing them
  -h, --help   this text
)";

constexpr const char* export_help = R"(Usage: clientgate export --db PATH [FILE]

Writes the whole store as a clientgate-dataset/1 JSON document to FILE (replaced whole,
never half-written) or to stdout. Secrets appear only as hashes.

Options:
  --db PATH    the SQLite database (must exist)
  -h, --help   this text
)";

constexpr const char* show_help = R"(Usage: clientgate show --db PATH [--config FILE] ID

Prints the migration view of client ID (the canonical integer id) as JSON: the record as the
store holds it and, beside it, what each dialect answers for a GET of it today (the same
document as GET /_admin/clients/ID). Soft-deleted clients are shown. No server is needed.

Options:
  --db PATH      the SQLite database (must exist; opened read-only)
  --config FILE  a TOML config file: the [dialects.NAME] options shape the dialects' answers
  -h, --help     this text
)";

struct ParsedArgs {
  std::map<std::string, std::string> values;  // options with a value
  std::set<std::string> flags;                // options without one
  std::vector<std::string> positional;
  bool help = false;
};

// `--name value`, `--name=value`, `--` ends options, `-` alone is a positional (stdin).
ParsedArgs parse_args(const std::vector<std::string>& args, std::size_t from,
                      const std::set<std::string>& with_value,
                      const std::set<std::string>& without_value) {
  ParsedArgs parsed;
  bool options_done = false;
  for (std::size_t i = from; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      parsed.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      parsed.help = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> value;
    if (auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    if (with_value.count(name)) {
      if (!value) {
        if (i + 1 >= args.size()) throw UsageError("option " + name + " needs a value");
        value = args[++i];
      }
      parsed.values[name] = *value;
    } else if (without_value.count(name) && !value) {
      parsed.flags.insert(name);
    } else {
      throw UsageError("unknown option " + arg);
    }
  }
  return parsed;
}

std::string value_or(const ParsedArgs& parsed, const std::string& name,
                     const std::string& fallback) {
  auto it = parsed.values.find(name);
  return it == parsed.values.end() ? fallback : it->second;
}

DialectSchemas known_dialects() {
  return dialects::settings_schemas();
}

}  // namespace

Settings serve_settings(const std::vector<std::string>& args, const DialectSchemas& known_dialects,
                        bool* help) {
  auto parsed = parse_args(args, 1, {"--db", "--listen", "--threads", "--config"}, {});
  if (help != nullptr) *help = parsed.help;
  if (parsed.help) return Settings{};
  if (!parsed.positional.empty()) throw UsageError("unexpected argument " + parsed.positional[0]);

  Settings settings;
  if (auto it = parsed.values.find("--config"); it != parsed.values.end()) {
    apply_config_file(settings, it->second, known_dialects);
  }
  if (auto it = parsed.values.find("--db"); it != parsed.values.end()) {
    if (it->second.empty()) throw SettingsError("--db: must not be empty");
    settings.db = it->second;
  }
  if (auto it = parsed.values.find("--listen"); it != parsed.values.end()) {
    try {
      settings.listen = parse_listen_address(it->second);
    } catch (const SettingsError& e) {
      throw SettingsError(std::string("--") + e.what());
    }
  }
  if (auto it = parsed.values.find("--threads"); it != parsed.values.end()) {
    const std::string& text = it->second;
    std::size_t used = 0;
    long value = 0;
    try {
      value = std::stol(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != text.size() || text.empty() || value < 1 || value > 1024) {
      throw SettingsError("--threads: must be an integer from 1 to 1024");
    }
    settings.threads = static_cast<unsigned>(value);
  }
  return settings;
}

namespace {

int serve(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Settings settings;
  try {
    bool help = false;
    settings = serve_settings(args, known_dialects(), &help);
    if (help) {
      out << serve_help;
      return exit_ok;
    }
  } catch (const SettingsError& e) {
    err << "clientgate serve: " << e.what() << "\n";
    return exit_usage;
  }

  raise_open_file_limit();
  try {
    std::string note = fit_connections_to_descriptors(settings);
    if (!note.empty()) err << "clientgate serve: " << note << "\n";
  } catch (const SettingsError& e) {
    err << "clientgate serve: " << e.what() << "\n";
    return exit_usage;
  }
  // A peer that goes away must cost an error code, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  // A SIGTERM during start-up waits until the server can shut down cleanly (exit 0).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::unique_ptr<storage::SqliteRepository> repository;
  try {
    repository = storage::SqliteRepository::open(settings.db, settings.storage);
  } catch (const std::exception& e) {
    err << "clientgate serve: " << settings.db << ": " << e.what() << "\n";
    return exit_failure;
  }
  core::Authenticator auth(*repository, settings.auth);
  core::ClientService clients(*repository);
  std::vector<std::unique_ptr<dialects::Dialect>> all_dialects;
  try {
    all_dialects = dialects::make_dialects(clients, auth, settings.dialects);
  } catch (const dialects::DialectSettingError& e) {
    err << "clientgate serve: " << e.what() << "\n";
    return exit_usage;
  }
  Router router(std::move(all_dialects));
  AccessLog log(2);
  Server server(settings, router, *repository, log);
  pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);  // the server's handlers are in place

  boost::asio::ip::tcp::endpoint endpoint;
  try {
    endpoint = server.listen();
  } catch (const std::exception& e) {
    err << "clientgate serve: cannot listen on " << settings.listen.to_string() << ": " << e.what()
        << "\n";
    return exit_failure;
  }
  std::string names;
  for (const auto& d : router.dialects())
    names += (names.empty() ? "" : ", ") + std::string(d->name());
  err << "clientgate: dialects: " << (names.empty() ? "(none)" : names) << "; "
      << resolved_threads(settings) << " threads; database " << settings.db << std::endl;
  ListenAddress bound{settings.listen.host, endpoint.port()};
  out << "clientgate listening on http://" << bound.to_string() << std::endl;

  server.run();
  log.flush();
  err << "clientgate: stopped" << std::endl;
  return exit_ok;
}

// Removes a database file that this command created, with its WAL companions.
void remove_database(const std::filesystem::path& db) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(db.string() + suffix, ignored);
  }
}

int import(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto parsed = parse_args(args, 1, {"--db"}, {"--replace"});
  if (parsed.help) {
    out << import_help;
    return exit_ok;
  }
  std::string db = value_or(parsed, "--db", "");
  if (db.empty()) throw UsageError("import needs --db PATH");
  if (parsed.positional.size() != 1) throw UsageError("import needs exactly one FILE");
  const std::string& file = parsed.positional[0];

  std::string text;
  {
    std::ostringstream buffer;
    if (file == "-") {
      buffer << std::cin.rdbuf();
    } else {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        err << file << ": cannot read the file\n";
        return exit_failure;
      }
      buffer << in.rdbuf();
    }
    text = std::move(buffer).str();
  }

  // Into an existing store, references may point to records it already holds (an import
  // that adds clients to existing companies): the store checks them, with the same
  // one-line-per-problem report. Into a new one, the document must hold them all, and a
  // dangling one is reported with the document's other problems.
  bool existed = std::filesystem::exists(db);
  dataset::ParseOptions options;
  options.check_references = !existed;
  auto result = dataset::parse(text, options);
  if (auto* problems = std::get_if<std::vector<dataset::Problem>>(&result)) {
    for (const auto& p : *problems)
      err << p.path << ": " << p.message << "\n";
    return exit_failure;
  }
  const core::Dataset& data = std::get<core::Dataset>(result);

  int status = exit_ok;
  {
    std::unique_ptr<storage::SqliteRepository> repository;
    try {
      repository = storage::SqliteRepository::open(db);
      repository->import_dataset(data, core::ImportOptions{parsed.flags.count("--replace") > 0});
    } catch (const core::Error& e) {
      if (e.fields().empty()) {
        err << db << ": " << e.what() << "\n";
      } else {
        for (const auto& f : e.fields())
          err << f.field << ": " << f.message << "\n";
      }
      status = exit_failure;
    } catch (const std::exception& e) {
      err << db << ": " << e.what() << "\n";
      status = exit_failure;
    }
  }
  if (status != exit_ok) {
    // "Nothing written" includes the file itself when the import created it.
    if (!existed) remove_database(db);
    return status;
  }
  err << "imported " << data.companies.size() << " companies, " << data.users.size() << " users, "
      << data.clients.size() << " clients, " << data.projects.size() << " projects, "
      << data.campaigns.size() << " campaigns into " << db << "\n";
  return exit_ok;
}

int export_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto parsed = parse_args(args, 1, {"--db"}, {});
  if (parsed.help) {
    out << export_help;
    return exit_ok;
  }
  std::string db = value_or(parsed, "--db", "");
  if (db.empty()) throw UsageError("export needs --db PATH");
  if (parsed.positional.size() > 1) throw UsageError("export takes at most one FILE");

  if (!std::filesystem::exists(db)) {
    err << db << ": no such database\n";
    return exit_failure;
  }
  std::string text;
  try {
    storage::StorageSettings settings;
    settings.read_only = true;
    auto repository = storage::SqliteRepository::open(db, settings);
    text = dataset::write(repository->export_dataset());
  } catch (const std::exception& e) {
    err << db << ": " << e.what() << "\n";
    return exit_failure;
  }

  if (parsed.positional.empty() || parsed.positional[0] == "-") {
    out << text;
    out.flush();
    return out ? exit_ok : exit_failure;
  }
  // Written beside the target and renamed over it: a reader never sees half a backup.
  std::filesystem::path target = parsed.positional[0];
  std::filesystem::path partial = target.string() + ".partial";
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    file << text;
    file.flush();
    if (!file) {
      err << target.string() << ": cannot write the file\n";
      std::error_code ignored;
      std::filesystem::remove(partial, ignored);
      return exit_failure;
    }
  }
  std::error_code ec;
  std::filesystem::rename(partial, target, ec);
  if (ec) {
    err << target.string() << ": " << ec.message() << "\n";
    std::filesystem::remove(partial, ec);
    return exit_failure;
  }
  return exit_ok;
}

int show_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto parsed = parse_args(args, 1, {"--db", "--config"}, {});
  if (parsed.help) {
    out << show_help;
    return exit_ok;
  }
  std::string db = value_or(parsed, "--db", "");
  if (db.empty()) throw UsageError("show needs --db PATH");
  if (parsed.positional.size() != 1) throw UsageError("show needs exactly one client ID");
  auto id = dialects::parse_int64(parsed.positional[0]);
  if (!id) throw UsageError("the client ID must be a non-negative integer");
  Settings settings;
  if (auto it = parsed.values.find("--config"); it != parsed.values.end()) {
    try {
      apply_config_file(settings, it->second, known_dialects());
    } catch (const SettingsError& e) {
      err << "clientgate show: " << e.what() << "\n";
      return exit_usage;
    }
  }
  if (!std::filesystem::exists(db)) {
    err << db << ": no such database\n";
    return exit_failure;
  }
  try {
    storage::StorageSettings storage_settings = settings.storage;
    storage_settings.read_only = true;
    auto repository = storage::SqliteRepository::open(db, storage_settings);
    core::Authenticator auth(*repository, settings.auth);
    core::ClientService clients(*repository);
    auto all = dialects::make_dialects(clients, auth, settings.dialects);
    auto document = client_view_document(*repository, all, *id);
    if (!document) {
      err << db << ": no client with id " << *id << "\n";
      return exit_failure;
    }
    out << *document << "\n";
    out.flush();
  } catch (const std::exception& e) {
    err << db << ": " << e.what() << "\n";
    return exit_failure;
  }
  return out ? exit_ok : exit_failure;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    if (args.empty()) throw UsageError("a command is needed");
    const std::string& command = args[0];
    if (command == "--help" || command == "-h" || command == "help") {
      out << program_help;
      return exit_ok;
    }
    if (command == "serve") return serve(args, out, err);
    if (command == "import") return import(args, out, err);
    if (command == "export") return export_command(args, out, err);
    if (command == "show") return show_command(args, out, err);
    if (!command.empty() && command[0] == '-') throw UsageError("unknown option " + command);
    throw UsageError("unknown command " + command);
  } catch (const UsageError& e) {
    std::string command = !args.empty() && (args[0] == "serve" || args[0] == "import" ||
                                            args[0] == "export" || args[0] == "show")
                              ? " " + args[0]
                              : "";
    err << "clientgate" << command << ": " << e.what() << "\n"
        << "Try 'clientgate" << command << " --help'.\n";
    return exit_usage;
  }
}

}  // namespace clientgate::gateway
