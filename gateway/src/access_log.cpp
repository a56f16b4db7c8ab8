#include "clientgate/gateway/access_log.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>

namespace clientgate::gateway {

namespace {

constexpr std::size_t batch_bytes = 16384;

std::atomic<std::uint64_t> next_log_id{1};

struct ThreadBufferCache {
  std::uint64_t log_id = 0;
  void* buffer = nullptr;
};
thread_local ThreadBufferCache thread_buffer;

void append_number(std::string& out, std::uint64_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  (void)ec;
  out.append(digits, end);
}

void append_token(std::string& out, std::string_view token) {
  if (token.empty()) token = "-";
  for (char c : token) {
    auto byte = static_cast<unsigned char>(c);
    out.push_back(byte > 0x20 && byte < 0x7f ? c : '?');
  }
}

}  // namespace

namespace {

// The target's path, appended: control bytes, spaces and non-ASCII percent-encoded, so
// that a line of the log stays one line of tokens.
void append_loggable_path(std::string& out, std::string_view target) {
  auto cut = target.find_first_of("?#");
  if (cut != std::string_view::npos) target = target.substr(0, cut);
  if (target.empty()) {
    out.push_back('-');
    return;
  }
  static constexpr char hex[] = "0123456789ABCDEF";
  for (char c : target) {
    auto byte = static_cast<unsigned char>(c);
    if (byte > 0x20 && byte < 0x7f) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 0xf]);
    }
  }
}

}  // namespace

std::string loggable_path(std::string_view target) {
  std::string out;
  out.reserve(target.size());
  append_loggable_path(out, target);
  return out;
}

AccessLog::AccessLog(int fd, std::chrono::milliseconds flush_interval)
    : fd_(fd), id_(next_log_id.fetch_add(1)) {
  flusher_ = std::thread([this, flush_interval] {
    std::unique_lock lock(flusher_mutex_);
    while (!stopping_) {
      flusher_wake_.wait_for(lock, flush_interval);
      lock.unlock();
      flush();
      lock.lock();
    }
  });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(flusher_mutex_);
    stopping_ = true;
  }
  flusher_wake_.notify_all();
  flusher_.join();
  flush();
}

AccessLog::Buffer& AccessLog::local_buffer() {
  if (thread_buffer.log_id != id_) {
    auto buffer = std::make_unique<Buffer>();
    std::lock_guard lock(buffers_mutex_);
    buffers_.push_back(std::move(buffer));
    thread_buffer.log_id = id_;
    thread_buffer.buffer = buffers_.back().get();
  }
  return *static_cast<Buffer*>(thread_buffer.buffer);
}

void AccessLog::record(const AccessEntry& entry) {
  Buffer& buffer = local_buffer();
  std::string batch;
  {
    std::lock_guard lock(buffer.mutex);
    std::string& out = buffer.text;
    append_token(out, entry.method);
    out.push_back(' ');
    append_loggable_path(out, entry.target);  // no string of its own per request
    out.push_back(' ');
    append_token(out, entry.dialect);
    out.push_back(' ');
    append_number(out, entry.status);
    out.push_back(' ');
    append_number(out, entry.bytes);
    out.push_back(' ');
    append_number(out, static_cast<std::uint64_t>(entry.micros < 0 ? 0 : entry.micros));
    out.push_back('\n');
    if (out.size() < batch_bytes) return;
    batch.swap(out);
  }
  write_out(batch);
}

void AccessLog::flush() {
  std::vector<Buffer*> buffers;
  {
    std::lock_guard lock(buffers_mutex_);
    for (auto& b : buffers_)
      buffers.push_back(b.get());
  }
  for (Buffer* buffer : buffers) {
    std::string batch;
    {
      std::lock_guard lock(buffer->mutex);
      batch.swap(buffer->text);
    }
    if (!batch.empty()) write_out(batch);
  }
}

void AccessLog::write_out(std::string& text) {
  std::lock_guard lock(write_mutex_);
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stderr gone: the log is best effort, serving goes on
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace clientgate::gateway
