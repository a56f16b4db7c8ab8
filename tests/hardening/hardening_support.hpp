// What the hardening tests share: the five dialects' credentials and a create request in
// each, JSON reading, and SQLite's own integrity check on a database file.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sqlite3.h>

#include <array>
#include <stdexcept>
#include <string>

#include "support/http_client.hpp"

namespace clientgate::test::hardening {

enum class Dialect { json_v1, legacy_xml, ninja, agency, intervals };

inline constexpr std::array<Dialect, 5> all_dialects = {
    Dialect::json_v1, Dialect::legacy_xml, Dialect::ninja, Dialect::agency, Dialect::intervals};

inline std::string name_of(Dialect d) {
  switch (d) {
    case Dialect::json_v1:
      return "json_v1";
    case Dialect::legacy_xml:
      return "legacy_xml";
    case Dialect::ninja:
      return "ninja";
    case Dialect::agency:
      return "agency";
    case Dialect::intervals:
      return "intervals";
  }
  return "?";
}

// Who calls: a token (json_v1, ninja, agency: as is; intervals: as the Basic user name) and
// an e-mail with a password (legacy_xml's Basic credential); `host` names legacy_xml's account.
struct Credential {
  std::string token;
  std::string email;
  std::string password;
  std::string host;  // "" : the server's address (no account by Host)
};

inline Headers credential_headers(Dialect d, const Credential& who) {
  Headers h;
  switch (d) {
    case Dialect::json_v1:
    case Dialect::agency:
      if (!who.token.empty()) h.emplace_back("Authorization", "Bearer " + who.token);
      break;
    case Dialect::ninja:
      if (!who.token.empty()) h.emplace_back("X-API-TOKEN", who.token);
      break;
    case Dialect::intervals:
      if (!who.token.empty()) h.emplace_back("Authorization", basic_auth(who.token, "X"));
      break;
    case Dialect::legacy_xml:
      if (!who.email.empty()) h.emplace_back("Authorization", basic_auth(who.email, who.password));
      if (!who.host.empty()) h.emplace_back("Host", who.host);
      break;
  }
  return h;
}

inline std::string json_string(const std::string& text) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
  return out.GetString();
}

inline std::string xml_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

struct Request {
  std::string method;
  std::string target;
  Headers headers;
  std::string body;
};

// A request that creates a client named `name` in the caller's (first) company `company_id`.
inline Request create_request(Dialect d, const Credential& who, const std::string& name,
                              long long company_id) {
  Request r;
  r.method = "POST";
  r.headers = credential_headers(d, who);
  switch (d) {
    case Dialect::json_v1:
      r.target = "/api/v1/clients";
      r.body = R"({"title":)" + json_string(name) + R"(,"company_id":)" +
               std::to_string(company_id) + "}";
      break;
    case Dialect::ninja:
      r.target = "/api/v1/clients";
      r.body = R"({"name":)" + json_string(name) + "}";
      break;
    case Dialect::agency:
      r.target = "/clients";
      r.body = R"({"name":)" + json_string(name) + "}";
      break;
    case Dialect::intervals:
      r.target = "/client/";
      r.body = R"({"name":)" + json_string(name) + "}";
      break;
    case Dialect::legacy_xml:
      r.target = "/clients.xml";
      r.body = "<client><name>" + xml_text(name) + "</name></client>";
      r.headers.emplace_back("Content-Type", "application/xml");
      return r;
  }
  r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

// A read of the caller's client list.
inline Request list_request(Dialect d, const Credential& who) {
  Request r{"GET", "", credential_headers(d, who), ""};
  switch (d) {
    case Dialect::json_v1:
      r.target = "/api/v1/clients";
      break;
    case Dialect::ninja:
      r.target = "/api/v1/clients";
      break;
    case Dialect::agency:
      r.target = "/clients";
      break;
    case Dialect::intervals:
      r.target = "/client/";
      break;
    case Dialect::legacy_xml:
      r.target = "/clients.xml";
      break;
  }
  return r;
}

inline HttpResponse send(HttpClient& http, const Request& r) {
  return http.request(r.method, r.target, r.headers, r.body);
}

inline rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError()) throw std::runtime_error("not JSON: " + text.substr(0, 200));
  return d;
}

// `PRAGMA integrity_check` on the file ("ok" when sound).
inline std::string integrity_check(const std::string& db_path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "cannot open";
    sqlite3_close(db);
    return message;
  }
  sqlite3_stmt* statement = nullptr;
  std::string result;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK) {
    while (sqlite3_step(statement) == SQLITE_ROW) {
      if (!result.empty()) result += "\n";
      result += reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
  } else {
    result = sqlite3_errmsg(db);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return result;
}

// `PRAGMA page_count` of the file.
inline long long page_count(const std::string& db_path) {
  sqlite3* db = nullptr;
  long long pages = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      pages = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return pages;
}

}  // namespace clientgate::test::hardening
