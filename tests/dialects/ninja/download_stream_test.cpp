// Issue 19 item 6: a document download is streamed piece by piece, so slow readers of a big
// document do not each hold it in memory (eight slow downloads of 50 MiB once added 480 MiB).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace clientgate::test;

namespace {

const Headers kSdk = {{"X-API-TOKEN", "company-token-test"},
                      {"X-Requested-With", "XMLHttpRequest"}};

// The server's resident memory, in KiB.
long resident_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  FAIL("no VmRSS");
  return 0;
}

// A connection that sends a request and then reads only what it is told to.
class SlowReader {
 public:
  SlowReader(std::uint16_t port, const std::string& request) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    int small = 4096;  // a reader with a small window, as a slow client has
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0);
    REQUIRE(::send(fd_, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  }
  ~SlowReader() { ::close(fd_); }
  std::string read_some() {
    char buffer[1024];
    auto n = ::recv(fd_, buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  int fd_ = -1;
};

}  // namespace

TEST_CASE("ninja end to end: slow downloads of a big document do not each hold it") {
  // Every block of 64 KiB or more is mapped on its own and returned when freed, so the
  // server's resident memory shows what it holds, not what glibc kept from the upload.
  ::setenv("MALLOC_MMAP_THRESHOLD_", "65536", 1);
  ServerProcess server({ninja::kFixture, {}, {}});
  ::unsetenv("MALLOC_MMAP_THRESHOLD_");
  HttpClient http(server.host(), server.port());
  constexpr std::size_t kSize = 8 * 1024 * 1024;
  std::string content(kSize, '\0');
  for (std::size_t i = 0; i < kSize; ++i)
    content[i] = static_cast<char>('a' + i * 7 % 26);
  std::string body =
      "--B0UND\r\nContent-Disposition: form-data; name=\"documents[]\"; "
      "filename=\"big.txt\"\r\nContent-Type: text/plain\r\n\r\n" +
      content + "\r\n--B0UND--\r\n";
  Headers upload_headers = kSdk;
  upload_headers.push_back({"Content-Type", "multipart/form-data; boundary=B0UND"});
  auto up = http.request("PUT", "/api/v1/clients/OpnelpJeKB/upload", upload_headers, body);
  REQUIRE(up.status == 200);
  const std::string marker = R"("documents":[{"id":")";
  auto docs = up.body.find(marker);
  REQUIRE(docs != std::string::npos);
  std::string path = "/api/v1/documents/" + up.body.substr(docs + marker.size(), 10) + "/download";

  // A whole download is the document, chunked (as the real streamDownload answers).
  auto whole = http.get(path, kSdk);
  REQUIRE(whole.status == 200);
  CHECK(whole.header("Transfer-Encoding") == "chunked");
  CHECK(whole.body.size() == kSize);
  CHECK((whole.body == content));
  CHECK(http.request("HEAD", path, kSdk).body.empty());

  long before = resident_kib(server.pid());
  std::string request = "GET " + path +
                        " HTTP/1.1\r\nHost: x\r\nX-API-TOKEN: company-token-test\r\n"
                        "X-Requested-With: XMLHttpRequest\r\n\r\n";
  std::vector<std::unique_ptr<SlowReader>> readers;
  for (int i = 0; i < 8; ++i) {
    readers.push_back(std::make_unique<SlowReader>(server.port(), request));
    CHECK(readers.back()->read_some().rfind("HTTP/1.1 200", 0) == 0);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  long grown_kib = resident_kib(server.pid()) - before;
  INFO("grown by " << grown_kib << " KiB");
#if !defined(__SANITIZE_ADDRESS__)
  // A copy each would be 64 MiB or more; a piece each (512 KiB) is a few MiB. (AddressSanitizer
  // keeps freed memory in quarantine, so its resident memory tells nothing.)
  CHECK(grown_kib < 24 * 1024);
#endif
}
