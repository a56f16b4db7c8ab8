// The request in progress as the router sees it: the header the handler is shown (HEAD as
// GET), the target normalized, what answers it and its plan, and whether it is refused on
// the header. Internal to the gateway (session.hpp).
#pragma once

#include <boost/url/parse.hpp>
#include <optional>
#include <string>

#include "clientgate/gateway/request_target.hpp"
#include "clientgate/gateway/router.hpp"
#include "plain_answer.hpp"

namespace clientgate::gateway::detail {

struct RoutedRequest {
  const dialects::Header* header = nullptr;  // what the handler sees
  std::optional<dialects::Header> as_get;    // a HEAD's header, shown as GET
  bool head = false;                         // the body is left out when writing
  std::string method;                        // as sent (the access log)
  std::string target;                        // as sent
  std::string url_text;                      // the target, normalized (request_target.hpp)
  boost::urls::url_view url;                 // views url_text
  Handler* handler = nullptr;                // the router's answer
  dialects::RoutePlan plan;
  // Answered 400 once the body is read (the framing is sound): a target nginx would not
  // pass on, a Host missing or repeated (RFC 9112, 3.2).
  bool refused = false;

  // `header` was read; `one_host`: it has the one Host field HTTP/1.1 asks for.
  void route(const dialects::Header& read, bool one_host, const Router& router,
             const dialects::RoutePlan& defaults) {
    method = std::string(read.method_string());
    target = std::string(read.target());
    head = read.method() == dialects::http::verb::head;
    header = &read;
    if (head) {
      as_get.emplace(read);
      as_get->method(dialects::http::verb::get);
      header = &*as_get;
    }
    plan = defaults;
    NormalizedTarget normalized = normalize_target(target);
    url_text = std::move(normalized.text);
    refused = !normalized.acceptable || !one_host;
    auto parsed = boost::urls::parse_origin_form(url_text);
    if (!parsed) {
      handler = &router.bad_target();
      return;
    }
    url = *parsed;
    try {
      handler = &router.route(*header, url);
      if (!refused) plan = handler->plan(*header, url, defaults);
    } catch (const std::exception& e) {
      report_failure("routing", method, target, e);
      handler = &router.failed();
      plan = defaults;
    }
  }

  void reset() {
    header = nullptr;
    as_get.reset();
    head = false;
    method.clear();
    target.clear();
    url_text.clear();
    handler = nullptr;
    refused = false;
  }
};

}  // namespace clientgate::gateway::detail
