#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string_view>

namespace clientgate::test {

namespace http = boost::beast::http;

namespace {

constexpr int read_timeout_ms = 60000;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return "";
}

bool HttpResponse::has_header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return true;
  }
  return false;
}

struct HttpClient::Impl {
  std::string host;
  std::uint16_t port;
  int fd = -1;
  std::string buffer;  // received, not yet parsed (pipelined responses wait here)
  // The last response said Connection: close: request() opens a new connection, as a real
  // client does, instead of racing the server's FIN.
  bool close_announced = false;

  ~Impl() { disconnect(); }

  void disconnect() {
    if (fd >= 0) ::close(fd);
    fd = -1;
    buffer.clear();
    close_announced = false;
  }

  void connect() {
    disconnect();
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
      throw std::runtime_error("bad host " + host);
    }
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      int e = errno;
      disconnect();
      throw std::runtime_error("connect: " + std::string(std::strerror(e)));
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }

  // Whether the server has closed its side (nothing pending to read but the end).
  bool peer_closed() {
    if (fd < 0) return true;
    if (!buffer.empty()) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    char byte;
    ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }

  // The server may close early (a 413 before the whole body): what it answered is still
  // read afterwards, so a failed send is not an error here.
  void send_all(std::string_view bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }

  // false at the end of the stream.
  bool receive_more() {
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, read_timeout_ms);
    if (ready < 0 && errno == EINTR) return receive_more();
    if (ready == 0) throw std::runtime_error("timed out waiting for the server");
    char chunk[16384];
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) return receive_more();
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  HttpResponse read_response(bool head) {
    for (;;) {
      http::response_parser<http::string_body> parser;
      parser.body_limit(boost::none);
      parser.eager(true);
      parser.skip(head);
      bool eof = false;
      while (!parser.is_done()) {
        boost::beast::error_code ec;
        if (!buffer.empty()) {
          std::size_t used = parser.put(boost::asio::buffer(buffer.data(), buffer.size()), ec);
          buffer.erase(0, used);
          if (!ec && used > 0) continue;
          if (ec && ec != http::error::need_more) {
            throw std::runtime_error("bad response from the server: " + ec.message());
          }
        }
        if (eof) break;
        if (!receive_more()) {
          eof = true;
          if (fd >= 0) {
            ::close(fd);
            fd = -1;
          }
          if (!parser.got_some()) return HttpResponse{};  // closed without a response
          parser.put_eof(ec);
          if (ec) throw std::runtime_error("truncated response: " + ec.message());
        }
      }
      if (!parser.is_done()) return HttpResponse{};
      auto& message = parser.get();
      if (message.result_int() / 100 == 1) continue;  // 100 Continue: the answer follows
      HttpResponse response;
      response.status = static_cast<int>(message.result_int());
      for (const auto& field : message) {
        response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      response.body = std::move(message.body());
      close_announced = iequals(response.header("Connection"), "close");
      return response;
    }
  }
};

HttpClient::HttpClient(std::string host, std::uint16_t port) : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const Headers& headers, const std::string& body) {
  if (impl_->close_announced || impl_->peer_closed()) impl_->connect();
  std::string text = method + " " + target + " HTTP/1.1\r\n";
  text += "Host: " + impl_->host + ":" + std::to_string(impl_->port) + "\r\n";
  bool has_length = false;
  for (const auto& [name, value] : headers) {
    if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding")) has_length = true;
    text += name + ": " + value + "\r\n";
  }
  if (!has_length && (!body.empty() || method == "POST" || method == "PUT")) {
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  text += "\r\n";
  text += body;
  impl_->send_all(text);
  return impl_->read_response(method == "HEAD");
}

HttpResponse HttpClient::raw(const std::string& bytes) {
  if (impl_->fd < 0) impl_->connect();
  impl_->send_all(bytes);
  return impl_->read_response(bytes.rfind("HEAD ", 0) == 0);
}

void HttpClient::raw_send(const std::string& bytes) {
  if (impl_->fd < 0) impl_->connect();
  impl_->send_all(bytes);
}

HttpResponse HttpClient::read_response() {
  return impl_->read_response(false);
}

bool HttpClient::closed() {
  return impl_->peer_closed();
}

std::string basic_auth(const std::string& user, const std::string& password) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string in = user + ":" + password;
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += '=';
  }
  return "Basic " + out;
}

}  // namespace clientgate::test
