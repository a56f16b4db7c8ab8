// One line per request on stderr: method, path, dialect, status, body bytes, microseconds.
// Lines are gathered in a buffer per thread and written in batches (when a buffer is large,
// every flush interval, and at shutdown), so logging costs no system call per request.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace clientgate::gateway {

struct AccessEntry {
  std::string_view method;   // "-" when the request line was not read
  std::string_view target;   // the request target; only its path is logged
  std::string_view dialect;  // "-" when the gateway answered itself
  unsigned status = 0;
  std::uint64_t bytes = 0;  // body bytes sent
  std::int64_t micros = 0;  // from the request's first byte to the response's last
};

// The target's path: the query string and fragment (where credentials and secrets travel)
// are cut, and bytes that would break the one-line format are percent-encoded.
std::string loggable_path(std::string_view target);

class AccessLog {
 public:
  explicit AccessLog(int fd = 2,
                     std::chrono::milliseconds flush_interval = std::chrono::milliseconds(200));
  ~AccessLog();  // flushes
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void record(const AccessEntry& entry);
  // Writes every thread's buffered lines now.
  void flush();

 private:
  struct Buffer {
    std::mutex mutex;  // uncontended but for the flusher
    std::string text;
  };
  Buffer& local_buffer();
  void write_out(std::string& text);

  int fd_;
  std::uint64_t id_;
  std::mutex buffers_mutex_;
  std::vector<std::unique_ptr<Buffer>> buffers_;
  std::mutex write_mutex_;  // whole batches, so lines from two threads never interleave
  std::mutex flusher_mutex_;
  std::condition_variable flusher_wake_;
  bool stopping_ = false;
  std::thread flusher_;
};

}  // namespace clientgate::gateway
