// What the custom API answers, in LastPass's shape:
//
//   {"status": "OK" | "WARN" | "FAIL", "errors": ["item 3 ('bob@example.com'): ..."], ...}
//
// HTTP 200 for every call that was understood and authenticated, whatever happened to
// its items: OK when every item was applied (or needed nothing), WARN when some items
// failed and others were applied, FAIL when every item failed. One error per failed
// item, naming its index in `data` and its username (excerpted: it is the caller's
// text). Commands add their own members (disabled_users, Users, ...).
//
// A call refused whole (nothing applied) answers the same shape with status FAIL and
// one error, under the HTTP status of the refusal: 400 malformed envelope or `data`,
// 401 wrong or missing cid / provhash, 413 over a cap (kMaxItemsPerCall, the body size),
// 5xx when the store failed (the host undoes the call).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/http_message.h"
#include "core/result.h"
#include "lastpass_commands.h"

namespace dirbridge::custom_api {

class Answer {
 public:
  // An item that was applied (or needed no change).
  void Applied() { ++applied_; }
  // An item that failed: nothing of it was applied.
  void Failed(std::size_t index, std::string_view username, std::string_view why);
  // A failure that is not an item's (getuserdata's unknown user).
  void Error(std::string_view why);
  // The command's own members.
  nlohmann::json& body() { return body_; }

  HttpResponse Response() const;

 private:
  std::size_t applied_ = 0;
  nlohmann::json errors_ = nlohmann::json::array();
  nlohmann::json body_ = nlohmann::json::object();
};

// A call refused whole: {"status": "FAIL", "errors": [detail]} under the error's HTTP
// status (a 401 has no WWW-Authenticate challenge: the credentials travel in the body).
HttpResponse RefusalResponse(const dirbridge::Error& error);

// Whether an engine error belongs to the item that caused it (a 4xx: the item is bad
// or names what is not there) rather than to the call (the store failed).
bool IsItemError(const dirbridge::Error& error);

// What an item's later command returns: an error after its first change was written
// cannot be the item's (it would leave it half-applied), so it becomes a 500 and the
// host undoes the whole call.
Status AfterFirstChange(Status status);

// The commands of one item, in order: the first one's error is the item's; once one has
// run, a later error goes through AfterFirstChange.
class ItemCommands {
 public:
  template <typename T>
  Result<T> Run(Result<T> result) {
    if (!result.ok() && ran_) return AfterFirstChange(result.status()).error();
    ran_ = true;
    return result;
  }
  Status Run(Status status) {
    if (!status.ok() && ran_) return AfterFirstChange(status);
    ran_ = true;
    return status;
  }

 private:
  bool ran_ = false;
};

// Runs `apply(item)` for each well-formed item, recording each outcome in `answer`:
// applied, or failed with the item's own error (a 4xx, returned before anything of the
// item was written). Any other error stops the call and is returned.
template <typename T, typename Apply>
Status ForEachItem(const ParsedItems<T>& items, Answer& answer, Apply apply) {
  for (const auto& p : items) {
    if (!p.item) {
      answer.Failed(p.index, p.username, p.error);
      continue;
    }
    Status s = apply(*p.item);
    if (s.ok()) {
      answer.Applied();
    } else if (IsItemError(s.error())) {
      answer.Failed(p.index, p.username, s.error().detail);
    } else {
      return s;
    }
  }
  return Status::Ok();
}

}  // namespace dirbridge::custom_api
