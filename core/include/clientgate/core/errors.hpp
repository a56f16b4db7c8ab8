// Typed errors that core raises and each dialect renders in its own shape and status.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace clientgate::core {

enum class ErrorKind {
  not_found,        // no such record, or one outside the caller's scope (never distinguished)
  conflict,         // a uniqueness rule or a state rule (time entries, deleted record)
  validation,       // a field's value is not acceptable
  forbidden,        // authenticated, but the role may not do this
  unauthenticated,  // no or bad credential
  unavailable,      // the store cannot serve now (disk full, read-only, busy): retry later
};

struct FieldError {
  std::string field;    // canonical field name, e.g. "name", "company_id", "contacts.0.email"
  std::string message;  // a sentence a person can read
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, std::vector<FieldError> fields = {})
      : std::runtime_error(std::move(message)), kind_(kind), fields_(std::move(fields)) {}
  ErrorKind kind() const noexcept { return kind_; }
  const std::vector<FieldError>& fields() const noexcept { return fields_; }

 private:
  ErrorKind kind_;
  std::vector<FieldError> fields_;
};

inline Error not_found(std::string what = "not found") {
  return Error(ErrorKind::not_found, std::move(what));
}
// A conflict on one field (`field` may be empty for a state rule).
inline Error conflict(std::string field, std::string message) {
  return Error(ErrorKind::conflict, message, {FieldError{std::move(field), message}});
}
inline Error validation(std::string field, std::string message) {
  return Error(ErrorKind::validation, message, {FieldError{std::move(field), message}});
}
inline Error forbidden(std::string message = "forbidden") {
  return Error(ErrorKind::forbidden, std::move(message));
}
inline Error unavailable(std::string message) {
  return Error(ErrorKind::unavailable, std::move(message));
}

// Field names used in conflict errors raised by the store.
namespace conflict_field {
inline constexpr const char* number = "number";
inline constexpr const char* id_number = "id_number";
inline constexpr const char* name = "name";
inline constexpr const char* time_entries = "time_entries";  // delete refused: time entries
inline constexpr const char* deleted = "is_deleted";         // write refused: soft-deleted
}  // namespace conflict_field

}  // namespace clientgate::core
