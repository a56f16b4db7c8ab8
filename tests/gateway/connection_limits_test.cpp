// Connection limits over a real `clientgate serve`: a per-address cap, the oldest idle
// connection closed to make room at a limit, and max_connections checked against the
// descriptors the process may open.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace clientgate::test;

namespace {

// A raw connection from a chosen loopback address (127.0.0.2 is another client to the server).
class RawConnection {
 public:
  RawConnection(std::uint16_t port, const char* from = "127.0.0.1") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, from, &local.sin_addr);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&server), sizeof server) == 0);
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void send(const std::string& bytes) {
    REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(bytes.size()));
  }
  // What arrives within `wait` (until the server closes, or the time passes).
  std::string receive(std::chrono::milliseconds wait = std::chrono::milliseconds(3000)) {
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
      char buffer[4096];
      auto n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buffer, static_cast<std::size_t>(n));
      if (out.find("\r\n\r\n") != std::string::npos && out.find("Content-Length: ") != npos &&
          ends_whole(out)) {
        break;
      }
    }
    return out;
  }
  // A request, and the status of its answer (0: none).
  int get(const std::string& target) {
    send("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n");
    auto answer = receive();
    UNSCOPED_INFO("answer: " << answer);
    return answer.rfind("HTTP/1.1 ", 0) == 0 ? std::stoi(answer.substr(9, 3)) : 0;
  }
  // Whether the server closed the connection within `wait`.
  bool closed_within(std::chrono::milliseconds wait) {
    receive(wait);
    return closed_;
  }

 private:
  static constexpr auto npos = std::string::npos;
  static bool ends_whole(const std::string& out) {
    auto header_end = out.find("\r\n\r\n");
    auto at = out.find("Content-Length: ");
    auto length = std::stoul(out.substr(at + 16));
    return out.size() >= header_end + 4 + length;
  }
  int fd_ = -1;
  bool closed_ = false;
};

const std::string kPartial = "GET /healthz HTTP/1.1\r\n";  // a request still arriving: busy

}  // namespace

TEST_CASE("at max_connections the oldest idle connection makes room and with none idle it is 503") {
  ServerProcess server({demo_dataset(), {}, "[limits]\nmax_connections = 2\n"});
  RawConnection oldest(server.port());
  REQUIRE(oldest.get("/healthz") == 200);  // then idle, kept alive
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  RawConnection younger(server.port());
  REQUIRE(younger.get("/healthz") == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // marked idle after the write

  RawConnection newcomer(server.port());
  CHECK(newcomer.get("/healthz") == 200);
  CHECK(oldest.closed_within(std::chrono::milliseconds(3000)));
  CHECK(younger.get("/healthz") == 200);  // still open

  // Both in the middle of a request: nothing idle to close.
  younger.send(kPartial);
  newcomer.send(kPartial);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  RawConnection refused(server.port());
  auto answer = refused.receive();
  CHECK(answer.rfind("HTTP/1.1 503", 0) == 0);
  CHECK(answer.find("Connection: close") != std::string::npos);
}

TEST_CASE("one client address holds at most max_connections_per_address connections") {
  ServerProcess server(
      {demo_dataset(), {}, "[limits]\nmax_connections = 100\nmax_connections_per_address = 2\n"});
  RawConnection first(server.port());
  RawConnection second(server.port());
  first.send(kPartial);
  second.send(kPartial);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  RawConnection third(server.port());
  CHECK(third.receive().rfind("HTTP/1.1 503", 0) == 0);

  // Another address is not held back by this one's connections.
  RawConnection other(server.port(), "127.0.0.2");
  CHECK(other.get("/healthz") == 200);

  // An idle one of the same address makes room.
  first.send("Host: t\r\n\r\n");
  REQUIRE(first.receive().rfind("HTTP/1.1 200", 0) == 0);
  // The server marks it idle once its write has completed, just after the client has it.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  RawConnection fourth(server.port());
  CHECK(fourth.get("/healthz") == 200);
  CHECK(first.closed_within(std::chrono::milliseconds(3000)));
}

TEST_CASE("max_connections beyond the descriptors the process may open is refused at start") {
  TempDir dir;
  {
    std::ofstream config(dir / "clientgate.toml");
    config << "[limits]\nmax_connections = 5000\n";
  }
  // Bounded: a server that starts instead of refusing is stopped after 20 s (exit 124).
  std::string command = "ulimit -n 1024 && exec timeout 20 '" + std::string(CLIENTGATE_BINARY) +
                        "' serve --db '" + (dir / "db.sqlite").string() +
                        "' --listen 127.0.0.1:0 --config '" + (dir / "clientgate.toml").string() +
                        "' 2>'" + (dir / "err.txt").string() + "'";
  int status = std::system(command.c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  std::ifstream in(dir / "err.txt");
  std::stringstream err;
  err << in.rdbuf();
  CHECK(err.str().find("limits.max_connections") != std::string::npos);
  CHECK(err.str().find("1024") != std::string::npos);
}

TEST_CASE("when the server is full an address holding more than its share is refused") {
  ServerProcess server({demo_dataset(), {}, "[limits]\nmax_connections = 4\n"});
  RawConnection heavy1(server.port(), "127.0.0.2");
  RawConnection heavy2(server.port(), "127.0.0.2");
  RawConnection heavy3(server.port(), "127.0.0.2");
  RawConnection light(server.port(), "127.0.0.1");
  // One after the other: a connection is marked idle once its write completes, just after
  // the client has the answer.
  for (auto* c : {&heavy1, &heavy2, &heavy3, &light}) {
    REQUIRE(c->get("/healthz") == 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }

  // A flood reconnecting what was closed does not close another connection each time.
  RawConnection more(server.port(), "127.0.0.2");
  CHECK(more.receive().rfind("HTTP/1.1 503", 0) == 0);
  // A new client gets the place of the connection idle the longest.
  RawConnection newcomer(server.port(), "127.0.0.3");
  CHECK(newcomer.get("/healthz") == 200);
  CHECK(heavy1.closed_within(std::chrono::milliseconds(3000)));
  CHECK_FALSE(heavy2.closed_within(std::chrono::milliseconds(10)));
  CHECK_FALSE(heavy3.closed_within(std::chrono::milliseconds(10)));
  CHECK_FALSE(light.closed_within(std::chrono::milliseconds(10)));
}
