// Reading the `clientgate-dataset/1` codec. Parsing walks a RapidJSON DOM built iteratively
// (so a hostile nesting depth costs heap, never the stack) from UTF-8 that has been validated,
// and reports every problem it finds with its JSON path instead of stopping at the first.
#include "clientgate/dataset/dataset_json.hpp"

#include <sodium.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "clientgate/core/secrets.hpp"
#include "clientgate/core/types.hpp"
#include "dataset_json_internal.hpp"

namespace clientgate::dataset {

namespace {

using core::Money;
using core::Text;
using core::Timestamp;
using detail::at;
using detail::extension_of;
using detail::format_name;
using detail::index;
using detail::is_sha256_hex;
using detail::is_uuid;
using detail::lower;
using rapidjson::Value;

// One field of an object: its key and what to do with its value.
using FieldReader = std::function<void(const Value&, const std::string& path)>;
struct Field {
  std::string_view key;
  FieldReader read;
};

// A reader that also records that its key was present (for required keys).
FieldReader seen(bool& present, FieldReader read) {
  return [&present, read = std::move(read)](const Value& v, const std::string& path) {
    present = true;
    read(v, path);
  };
}

class DocumentReader {
 public:
  explicit DocumentReader(const ParseOptions& options) : options_(options) {}

  std::vector<Problem> problems;

  void problem(std::string path, std::string message) {
    problems.push_back(Problem{std::move(path), std::move(message)});
  }

  // Walks an object: every key must be one of `fields`, at most once.
  bool object(const Value& v, const std::string& path, const std::vector<Field>& fields) {
    if (!v.IsObject()) {
      problem(path, "must be an object");
      return false;
    }
    std::set<std::string_view> seen;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string_view key(it->name.GetString(), it->name.GetStringLength());
      std::string key_path = at(path, key);
      if (!seen.insert(key).second) {
        problem(key_path, "duplicate key");
        continue;
      }
      auto f = std::find_if(fields.begin(), fields.end(),
                            [&](const Field& fld) { return fld.key == key; });
      if (f == fields.end()) {
        problem(key_path, "unknown key");
        continue;
      }
      f->read(it->value, key_path);
    }
    return true;
  }

  void array(const Value& v, const std::string& path,
             const std::function<void(const Value&, const std::string&, std::size_t)>& each) {
    if (!v.IsArray()) {
      problem(path, "must be an array");
      return;
    }
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
      each(v[i], index(path, i), i);
  }

  // --- scalar readers; each reports a problem and leaves `out` alone when the type is wrong.
  FieldReader string(std::string& out, bool non_empty = true) {
    return [this, &out, non_empty](const Value& v, const std::string& path) {
      if (!v.IsString()) return problem(path, "must be a string");
      std::string s(v.GetString(), v.GetStringLength());
      if (non_empty && s.empty()) return problem(path, "must not be empty");
      out = std::move(s);
    };
  }
  FieldReader text(Text& out) {
    return [this, &out](const Value& v, const std::string& path) {
      if (v.IsNull()) {
        out.reset();
      } else if (v.IsString()) {
        out = std::string(v.GetString(), v.GetStringLength());
      } else {
        problem(path, "must be a string or null");
      }
    };
  }
  FieldReader boolean(bool& out) {
    return [this, &out](const Value& v, const std::string& path) {
      if (!v.IsBool()) return problem(path, "must be true or false");
      out = v.GetBool();
    };
  }
  // A password in clear (hashed later); an empty one means none.
  FieldReader clear_password(std::optional<std::string>& out) {
    return [this, &out](const Value& val, const std::string& p) {
      std::string clear;
      string(clear)(val, p);
      if (!clear.empty()) out = std::move(clear);
    };
  }
  FieldReader password_hash(Text& out) {
    return [this, &out](const Value& val, const std::string& p) {
      text(out)(val, p);
      if (out && !core::secrets::looks_like_password_hash(*out))
        problem(p, "not a password hash (crypto_pwhash_str output)");
    };
  }
  FieldReader integer(std::int64_t& out, std::int64_t min = 1) {
    return [this, &out, min](const Value& v, const std::string& path) {
      if (!v.IsInt64()) return problem(path, "must be an integer");
      if (v.GetInt64() < min) return problem(path, "must be at least " + std::to_string(min));
      out = v.GetInt64();
    };
  }
  FieldReader maybe_integer(std::optional<std::int64_t>& out, std::int64_t min = 1) {
    return [this, &out, min](const Value& v, const std::string& path) {
      if (v.IsNull()) {
        out.reset();
        return;
      }
      if (!v.IsInt64()) return problem(path, "must be an integer or null");
      if (v.GetInt64() < min) return problem(path, "must be at least " + std::to_string(min));
      out = v.GetInt64();
    };
  }
  FieldReader money(Money& out) {
    return [this, &out](const Value& v, const std::string& path) {
      if (!v.IsString()) return problem(path, "must be a decimal string such as \"10.50\"");
      std::string_view text(v.GetString(), v.GetStringLength());
      auto m = Money::parse(text);
      if (!m) {
        if (Money::problem(text) == core::MoneyProblem::out_of_range)
          return problem(path,
                         "out of range: decimal(20,6) holds -99999999999999.999999 to "
                         "99999999999999.999999");
        return problem(path, "not an exact decimal amount (at most 6 fractional digits)");
      }
      out = *m;
    };
  }
  FieldReader time(std::optional<Timestamp>& out, bool nullable = false) {
    return [this, &out, nullable](const Value& v, const std::string& path) {
      if (nullable && v.IsNull()) {
        out.reset();
        return;
      }
      if (!v.IsString()) {
        return problem(path, nullable ? "must be an ISO 8601 timestamp or null"
                                      : "must be an ISO 8601 timestamp");
      }
      auto t = Timestamp::parse_iso8601(std::string_view(v.GetString(), v.GetStringLength()));
      if (!t) return problem(path, "not an ISO 8601 timestamp");
      out = *t;
    };
  }

  core::Dataset read(const Value& root) {
    core::Dataset data;
    now_ = Timestamp::now();
    object(root, "",
           {
               {"format",
                [this](const Value& v, const std::string& path) {
                  if (!v.IsString() ||
                      std::string_view(v.GetString(), v.GetStringLength()) != format_name) {
                    problem(path, "must be \"" + std::string(format_name) + "\"");
                  }
                }},
               {"companies",
                [&](const Value& v, const std::string& path) {
                  array(v, path, [&](const Value& e, const std::string& p, std::size_t) {
                    data.companies.push_back(company(e, p));
                  });
                }},
               {"users",
                [&](const Value& v, const std::string& path) {
                  array(v, path, [&](const Value& e, const std::string& p, std::size_t) {
                    data.users.push_back(user(e, p));
                  });
                }},
               {"clients",
                [&](const Value& v, const std::string& path) {
                  array(v, path, [&](const Value& e, const std::string& p, std::size_t i) {
                    data.clients.push_back(client(e, p, i, data.documents));
                  });
                }},
               {"projects",
                [&](const Value& v, const std::string& path) {
                  array(v, path, [&](const Value& e, const std::string& p, std::size_t) {
                    data.projects.push_back(project(e, p));
                  });
                }},
               {"campaigns",
                [&](const Value& v, const std::string& path) {
                  array(v, path, [&](const Value& e, const std::string& p, std::size_t) {
                    data.campaigns.push_back(campaign(e, p));
                  });
                }},
           });
    check_identities(data);
    return data;
  }

 private:
  // Where each record was found, for the cross-record checks.
  std::vector<std::string> company_paths_, user_paths_, client_paths_, project_paths_,
      campaign_paths_;
  std::vector<std::vector<std::string>> contact_paths_;  // per client
  std::vector<std::string> document_paths_;              // per entry of Dataset::documents
  std::vector<std::vector<std::string>> membership_paths_, token_paths_;  // per user
  std::vector<std::vector<std::string>> task_paths_;                      // per project
  const ParseOptions& options_;
  Timestamp now_;

  core::Company company(const Value& v, const std::string& path) {
    core::Company c;
    bool has_title = false;
    object(v, path,
           {{"id", integer(c.id)},
            {"title", seen(has_title, string(c.title))},
            {"slug", text(c.slug)},
            {"clients_enabled", boolean(c.clients_enabled)}});
    if (v.IsObject() && !has_title) problem(at(path, "title"), "is required");
    company_paths_.push_back(path);
    return c;
  }

  core::User user(const Value& v, const std::string& path) {
    core::User u;
    bool has_name = false, has_email = false;
    std::optional<std::string> password;
    std::vector<std::string> memberships, tokens;
    object(v, path,
           {{"id", integer(u.id)},
            {"name", seen(has_name, string(u.name))},
            {"email", seen(has_email, string(u.email))},
            {"password", clear_password(password)},
            {"password_hash", password_hash(u.password_hash)},
            {"memberships",
             [&](const Value& val, const std::string& p) {
               array(val, p, [&](const Value& e, const std::string& ep, std::size_t) {
                 u.memberships.push_back(membership(e, ep));
                 memberships.push_back(ep);
               });
             }},
            {"tokens", [&](const Value& val, const std::string& p) {
               array(val, p, [&](const Value& e, const std::string& ep, std::size_t) {
                 u.tokens.push_back(token(e, ep));
                 tokens.push_back(ep);
               });
             }}});
    if (v.IsObject()) {
      if (!has_name) problem(at(path, "name"), "is required");
      if (!has_email) problem(at(path, "email"), "is required");
    }
    if (password) {
      if (u.password_hash) {
        problem(at(path, "password"), "give either password or password_hash, not both");
      } else {
        u.password_hash = core::secrets::hash_password(*password);
      }
    }
    user_paths_.push_back(path);
    membership_paths_.push_back(std::move(memberships));
    token_paths_.push_back(std::move(tokens));
    return u;
  }

  core::Membership membership(const Value& v, const std::string& path) {
    core::Membership m;
    bool has_company = false;
    object(v, path,
           {{"company_id", seen(has_company, integer(m.company_id))},
            {"role",
             [&](const Value& val, const std::string& p) {
               if (!val.IsString()) return problem(p, "must be a string");
               auto r = core::parse_role(std::string_view(val.GetString(), val.GetStringLength()));
               if (!r) {
                 return problem(p, "must be administrator, manager, resource or executive");
               }
               m.role = *r;
             }},
            {"client_manager", boolean(m.client_manager)}});
    if (v.IsObject() && !has_company) problem(at(path, "company_id"), "is required");
    return m;
  }

  core::ApiToken token(const Value& v, const std::string& path) {
    core::ApiToken t;
    std::optional<std::string> clear, hashed;
    object(v, path,
           {{"token",
             [&](const Value& val, const std::string& p) {
               std::string s;
               string(s)(val, p);
               if (!s.empty()) clear = std::move(s);
             }},
            {"token_sha256",
             [&](const Value& val, const std::string& p) {
               std::string s;
               string(s)(val, p);
               if (s.empty()) return;
               if (!is_sha256_hex(s)) return problem(p, "must be 64 lower-case hex digits");
               hashed = std::move(s);
             }},
            {"company_id", [&](const Value& val, const std::string& p) {
               maybe_integer(t.company_id)(val, p);
             }}});
    if (clear && hashed) {
      problem(at(path, "token"), "give either token or token_sha256, not both");
    } else if (clear) {
      t.token_sha256 = core::secrets::sha256_hex(*clear);
    } else if (hashed) {
      t.token_sha256 = *hashed;
    } else if (v.IsObject()) {
      problem(at(path, "token"), "is required (or token_sha256)");
    }
    return t;
  }

  core::Client client(const Value& v, const std::string& path, std::size_t position,
                      std::vector<core::Document>& documents) {
    core::Client c;
    bool has_company = false, has_name = false;
    std::optional<bool> active;
    std::optional<Timestamp> created, updated, archived;
    std::vector<std::string> contact_paths;
    std::vector<std::pair<core::Document, std::string>> docs;
    std::vector<Field> fields = {
        {"id", integer(c.id)},
        {"company_id", seen(has_company, integer(c.company_id))},
        {"name", seen(has_name, string(c.name))},
        {"uuid",
         [&](const Value& val, const std::string& p) {
           std::string s;
           string(s)(val, p);
           if (s.empty()) return;
           if (!is_uuid(s)) return problem(p, "not a UUID");
           c.uuid = lower(s);
         }},
        {"number", string(c.number)},
        {"localid", integer(c.localid)},
        {"active",
         [&](const Value& val, const std::string& p) {
           bool b = true;
           if (!val.IsBool()) return problem(p, "must be true or false");
           b = val.GetBool();
           active = b;
         }},
        {"is_deleted", boolean(c.is_deleted)},
        {"balance", money(c.balance)},
        {"paid_to_date", money(c.paid_to_date)},
        {"credit_balance", money(c.credit_balance)},
        {"created_at", time(created)},
        {"updated_at", time(updated)},
        {"archived_at", time(archived, true)},
        {"client_hash", string(c.client_hash)},
        {"settings",
         [&](const Value& val, const std::string& p) {
           // Invoice Ninja's settings object, kept whole as JSON text.
           if (val.IsNull()) return;
           if (!val.IsObject()) return problem(p, "must be an object");
           rapidjson::StringBuffer buffer;
           rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
           val.Accept(writer);
           c.settings_json = std::string(buffer.GetString(), buffer.GetSize());
         }},
        {"contacts",
         [&](const Value& val, const std::string& p) {
           array(val, p, [&](const Value& e, const std::string& ep, std::size_t) {
             c.contacts.push_back(contact(e, ep));
             contact_paths.push_back(ep);
           });
         }},
        {"documents",
         [&](const Value& val, const std::string& p) {
           array(val, p, [&](const Value& e, const std::string& ep, std::size_t) {
             docs.emplace_back(document(e, ep), ep);
           });
         }},
    };
#define CLIENTGATE_X(f) fields.push_back({#f, text(c.f)});
    CLIENTGATE_CLIENT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
#define CLIENTGATE_X(f) fields.push_back({#f, maybe_integer(c.f)});
    CLIENTGATE_CLIENT_INT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
    object(v, path, fields);
    if (v.IsObject()) {
      if (!has_company) problem(at(path, "company_id"), "is required");
      if (!has_name) problem(at(path, "name"), "is required");
    }
    c.created_at = created.value_or(now_);
    c.updated_at = updated.value_or(c.created_at);
    // `active` and `archived_at` are one fact: either may be given, and they must agree.
    if (active.value_or(!archived.has_value())) {
      if (archived) problem(at(path, "archived_at"), "must be null when active is true");
      c.active = true;
    } else {
      c.active = false;
      c.archived_at = archived.value_or(c.updated_at);
    }
    // Exactly one primary contact: the flagged one, else the first.
    std::size_t primaries = 0;
    for (const auto& k : c.contacts)
      primaries += k.is_primary ? 1 : 0;
    if (primaries > 1) {
      problem(at(path, "contacts"), "only one contact may be primary");
    } else if (primaries == 0 && !c.contacts.empty()) {
      c.contacts.front().is_primary = true;
    }
    for (auto& k : c.contacts) {
      k.client_id = c.id;
      if (k.created_at.micros == 0) k.created_at = c.created_at;
      if (k.updated_at.micros == 0) k.updated_at = std::max(k.created_at, c.updated_at);
    }
    for (auto& [d, p] : docs) {
      d.info.client_id = c.id != 0 ? c.id : -static_cast<core::ClientId>(position + 1);
      documents.push_back(std::move(d));
      document_paths_.push_back(p);
    }
    client_paths_.push_back(path);
    contact_paths_.push_back(std::move(contact_paths));
    return c;
  }

  core::Contact contact(const Value& v, const std::string& path) {
    core::Contact k;
    std::optional<Timestamp> created, updated;
    std::optional<std::string> password;
    std::vector<Field> fields = {
        {"id", integer(k.id)},
        {"is_primary", boolean(k.is_primary)},
        {"send_email", boolean(k.send_email)},
        {"contact_key", string(k.contact_key)},
        {"created_at", time(created)},
        {"updated_at", time(updated)},
        {"password", clear_password(password)},
        {"password_hash", password_hash(k.password_hash)},
    };
#define CLIENTGATE_X(f) fields.push_back({#f, text(k.f)});
    CLIENTGATE_CONTACT_TEXT_FIELDS(CLIENTGATE_X)
#undef CLIENTGATE_X
    object(v, path, fields);
    if (password) {
      if (k.password_hash) {
        problem(at(path, "password"), "give either password or password_hash, not both");
      } else {
        k.password_hash = core::secrets::hash_password(*password);
      }
    }
    if (created) k.created_at = *created;
    if (updated) k.updated_at = *updated;
    return k;
  }

  core::Document document(const Value& v, const std::string& path) {
    core::Document d;
    bool has_name = false, has_content = false, has_type = false;
    std::optional<std::int64_t> size;
    std::optional<std::string> hash;
    std::optional<Timestamp> created, updated;
    object(v, path,
           {{"id", integer(d.info.id)},
            {"name", seen(has_name, string(d.info.name))},
            {"type", seen(has_type, string(d.info.type, false))},
            {"is_public", boolean(d.info.is_public)},
            {"created_at", time(created)},
            {"updated_at", time(updated)},
            {"size",
             [&](const Value& val, const std::string& p) {
               std::int64_t n = 0;
               if (!val.IsInt64() || val.GetInt64() < 0) {
                 return problem(p, "must be a non-negative integer");
               }
               n = val.GetInt64();
               size = n;
             }},
            {"hash",
             [&](const Value& val, const std::string& p) {
               std::string s;
               string(s)(val, p);
               if (s.empty()) return;
               if (!is_sha256_hex(s)) return problem(p, "must be 64 lower-case hex digits");
               hash = std::move(s);
             }},
            {"content_base64", [&](const Value& val, const std::string& p) {
               has_content = true;
               if (!val.IsString()) return problem(p, "must be a base64 string");
               std::string_view b64(val.GetString(), val.GetStringLength());
               std::string bin(b64.size() / 4 * 3 + 3, '\0');
               std::size_t len = 0;
               const char* end = nullptr;
               if (sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(),
                                     b64.data(), b64.size(), " \t\r\n", &len, &end,
                                     sodium_base64_VARIANT_ORIGINAL) != 0 ||
                   end != b64.data() + b64.size()) {
                 return problem(p, "not valid base64");
               }
               bin.resize(len);
               d.content = std::move(bin);
             }}});
    if (v.IsObject()) {
      if (!has_name) problem(at(path, "name"), "is required");
      if (!has_content) problem(at(path, "content_base64"), "is required");
    }
    if (!has_type) d.info.type = extension_of(d.info.name);
    d.info.size = static_cast<std::int64_t>(d.content.size());
    d.info.hash = core::secrets::sha256_hex(d.content);
    if (has_content && size && *size != d.info.size) {
      problem(at(path, "size"),
              "does not match the content (" + std::to_string(d.info.size) + " bytes)");
    }
    if (has_content && hash && *hash != d.info.hash) {
      problem(at(path, "hash"), "does not match the SHA-256 of the content");
    }
    d.info.created_at = created.value_or(now_);
    d.info.updated_at = updated.value_or(d.info.created_at);
    return d;
  }

  core::Project project(const Value& v, const std::string& path) {
    core::Project pr;
    bool has_client = false, has_name = false;
    std::optional<Timestamp> created, updated;
    std::vector<std::string> tasks;
    object(
        v, path,
        {{"id", integer(pr.id)},
         {"client_id", seen(has_client, integer(pr.client_id))},
         {"name", seen(has_name, string(pr.name))},
         {"active", boolean(pr.active)},
         {"code", text(pr.code)},
         {"description", text(pr.description)},
         {"url", text(pr.url)},
         {"created_at", time(created)},
         {"updated_at", time(updated)},
         {"time_entries", integer(pr.time_entries, 0)},
         {"assignees",
          [&](const Value& val, const std::string& p) {
            array(val, p, [&](const Value& e, const std::string& ep, std::size_t) {
              std::int64_t id = 0;
              integer(id)(e, ep);
              if (id == 0) return;
              if (std::find(pr.assignees.begin(), pr.assignees.end(), id) != pr.assignees.end()) {
                return problem(ep, "user " + std::to_string(id) + " is listed twice");
              }
              pr.assignees.push_back(id);
            });
          }},
         {"tasks", [&](const Value& val, const std::string& p) {
            array(val, p, [&](const Value& e, const std::string& ep, std::size_t) {
              core::Task t;
              bool has_task_name = false;
              object(e, ep,
                     {{"id", integer(t.id)}, {"name", [&](const Value& tv, const std::string& tp) {
                                                has_task_name = true;
                                                string(t.name)(tv, tp);
                                              }}});
              if (e.IsObject() && !has_task_name) problem(at(ep, "name"), "is required");
              t.project_id = pr.id;
              pr.tasks.push_back(std::move(t));
              tasks.push_back(ep);
            });
          }}});
    if (v.IsObject()) {
      if (!has_client) problem(at(path, "client_id"), "is required");
      if (!has_name) problem(at(path, "name"), "is required");
    }
    pr.created_at = created.value_or(now_);
    pr.updated_at = updated.value_or(pr.created_at);
    project_paths_.push_back(path);
    task_paths_.push_back(std::move(tasks));
    return pr;
  }

  core::Campaign campaign(const Value& v, const std::string& path) {
    core::Campaign c;
    bool has_client = false, has_name = false;
    object(v, path,
           {{"id",
             [&](const Value& val, const std::string& p) {
               std::string s;
               string(s)(val, p);
               if (s.empty()) return;
               if (!is_uuid(s)) return problem(p, "not a UUID");
               c.id = lower(s);
             }},
            {"client_id", seen(has_client, integer(c.client_id))},
            {"name", seen(has_name, string(c.name))},
            {"links", integer(c.links, 0)}});
    if (v.IsObject()) {
      if (!has_client) problem(at(path, "client_id"), "is required");
      if (!has_name) problem(at(path, "name"), "is required");
    }
    campaign_paths_.push_back(path);
    return c;
  }

  // Duplicate ids and unique values, and references between records of the document.
  template <class Key>
  void unique(std::map<Key, std::string>& seen, const Key& key, const std::string& path,
              const std::string& what) {
    auto [it, fresh] = seen.emplace(key, path);
    if (!fresh) problem(path, what + " is already used by " + it->second);
  }

  void check_identities(const core::Dataset& data) {
    std::map<std::int64_t, std::string> companies, users, clients, contacts, documents, projects,
        tasks;
    std::map<std::string, std::string> emails, tokens, campaigns, uuids, client_hashes;
    std::map<std::pair<std::int64_t, std::string>, std::string> numbers;
    std::map<std::pair<std::int64_t, std::int64_t>, std::string> localids;
    for (std::size_t i = 0; i < data.companies.size(); ++i) {
      const auto& c = data.companies[i];
      if (c.id) unique(companies, c.id, at(company_paths_[i], "id"), "id " + std::to_string(c.id));
    }
    for (std::size_t i = 0; i < data.users.size(); ++i) {
      const auto& u = data.users[i];
      const auto& path = user_paths_[i];
      if (u.id) unique(users, u.id, at(path, "id"), "id " + std::to_string(u.id));
      if (!u.email.empty()) unique(emails, lower(u.email), at(path, "email"), "e-mail " + u.email);
      std::set<core::CompanyId> member_of;
      for (std::size_t m = 0; m < u.memberships.size(); ++m) {
        const auto& ms = u.memberships[m];
        if (!ms.company_id) continue;
        if (!member_of.insert(ms.company_id).second) {
          problem(at(membership_paths_[i][m], "company_id"),
                  "a second membership in company " + std::to_string(ms.company_id));
        }
        check_company(companies, ms.company_id, at(membership_paths_[i][m], "company_id"));
      }
      for (std::size_t t = 0; t < u.tokens.size(); ++t) {
        const auto& tk = u.tokens[t];
        const auto& tp = token_paths_[i][t];
        if (!tk.token_sha256.empty()) unique(tokens, tk.token_sha256, at(tp, "token"), "the token");
        if (tk.company_id) {
          check_company(companies, *tk.company_id, at(tp, "company_id"));
          if (!member_of.count(*tk.company_id)) {
            problem(at(tp, "company_id"),
                    "the user is not a member of company " + std::to_string(*tk.company_id));
          }
        }
      }
    }
    for (std::size_t i = 0; i < data.clients.size(); ++i) {
      const auto& c = data.clients[i];
      const auto& path = client_paths_[i];
      if (c.id) unique(clients, c.id, at(path, "id"), "id " + std::to_string(c.id));
      if (c.company_id) check_company(companies, c.company_id, at(path, "company_id"));
      if (!c.uuid.empty()) unique(uuids, c.uuid, at(path, "uuid"), "uuid " + c.uuid);
      if (!c.client_hash.empty()) {
        unique(client_hashes, c.client_hash, at(path, "client_hash"), "client_hash");
      }
      if (!c.number.empty()) {
        unique(numbers, {c.company_id, c.number}, at(path, "number"),
               "number " + c.number + " in company " + std::to_string(c.company_id));
      }
      if (c.localid) {
        unique(
            localids, {c.company_id, c.localid}, at(path, "localid"),
            "localid " + std::to_string(c.localid) + " in company " + std::to_string(c.company_id));
      }
      for (std::size_t k = 0; k < c.contacts.size(); ++k) {
        if (c.contacts[k].id) {
          unique(contacts, c.contacts[k].id, at(contact_paths_[i][k], "id"),
                 "id " + std::to_string(c.contacts[k].id));
        }
      }
    }
    for (std::size_t i = 0; i < data.documents.size(); ++i) {
      const auto& d = data.documents[i].info;
      if (d.id) {
        unique(documents, d.id, at(document_paths_[i], "id"), "id " + std::to_string(d.id));
      }
    }
    for (std::size_t i = 0; i < data.projects.size(); ++i) {
      const auto& pr = data.projects[i];
      const auto& path = project_paths_[i];
      if (pr.id) unique(projects, pr.id, at(path, "id"), "id " + std::to_string(pr.id));
      if (pr.client_id) check_client(clients, pr.client_id, at(path, "client_id"));
      for (std::size_t a = 0; a < pr.assignees.size(); ++a) {
        if (options_.check_references && !users.count(pr.assignees[a])) {
          problem(index(at(path, "assignees"), a),
                  "no user with id " + std::to_string(pr.assignees[a]));
        }
      }
      for (std::size_t t = 0; t < pr.tasks.size(); ++t) {
        if (pr.tasks[t].id) {
          unique(tasks, pr.tasks[t].id, at(task_paths_[i][t], "id"),
                 "id " + std::to_string(pr.tasks[t].id));
        }
      }
    }
    for (std::size_t i = 0; i < data.campaigns.size(); ++i) {
      const auto& c = data.campaigns[i];
      const auto& path = campaign_paths_[i];
      if (!c.id.empty()) unique(campaigns, c.id, at(path, "id"), "id " + c.id);
      if (c.client_id) check_client(clients, c.client_id, at(path, "client_id"));
    }
  }

  void check_company(const std::map<std::int64_t, std::string>& companies, core::CompanyId id,
                     const std::string& path) {
    if (options_.check_references && !companies.count(id)) {
      problem(path, "no company with id " + std::to_string(id));
    }
  }
  void check_client(const std::map<std::int64_t, std::string>& clients, core::ClientId id,
                    const std::string& path) {
    if (options_.check_references && !clients.count(id)) {
      problem(path, "no client with id " + std::to_string(id));
    }
  }
};

}  // namespace

std::variant<core::Dataset, std::vector<Problem>> parse(std::string_view json) {
  return parse(json, ParseOptions{});
}

std::variant<core::Dataset, std::vector<Problem>> parse(std::string_view json,
                                                        const ParseOptions& options) {
  core::secrets::initialize();
  rapidjson::Document doc;
  // Iterative: nesting depth costs heap, not stack. Validating: invalid UTF-8 is refused.
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(json.data(),
                                                                                    json.size());
  if (doc.HasParseError()) {
    return std::vector<Problem>{Problem{"", std::string("not valid JSON at byte ") +
                                                std::to_string(doc.GetErrorOffset()) + ": " +
                                                rapidjson::GetParseError_En(doc.GetParseError())}};
  }
  DocumentReader reader(options);
  core::Dataset data = reader.read(doc);
  if (!reader.problems.empty()) return std::move(reader.problems);
  return data;
}

}  // namespace clientgate::dataset
