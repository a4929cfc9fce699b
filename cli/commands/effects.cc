// effects list [--parked]   GET    .../effects?phase=parked&after=ID  (paged on "next")
// effects retry ID          POST   .../effects/{id}/retry   (a parked effect, due now)
// effects delete ID         DELETE .../effects/{id}         (a parked effect removed)
//
// The outbox of functions/admin/effects_api.h: request headers by name, bodies by
// length; nothing here prints more than the server shows.
#include "commands/commands.h"
#include "core/timestamp.h"
#include "listing.h"
#include "model/json_fields.h"
#include "pager.h"
#include "session.h"
#include "table.h"

namespace dirbridge::cli {
namespace {

using nlohmann::json;

// The entry's due time (milliseconds since the epoch) as RFC 3339.
std::string DueCell(const json& e) {
  const int64_t due = json_fields::IntAt(e, "due");
  return due > 0 ? FormatRfc3339Millis(due) : "-";
}

// What the effect does: "POST https://..." for a request, the continuation for a timer.
std::string TargetCell(const json& e) {
  if (const json* request = json_fields::Find(e, "request")) {
    return json_fields::StringAt(*request, "method") + " " + json_fields::StringAt(*request, "url");
  }
  return "timer " + CellAt(e, "continuation");
}

std::vector<std::string> EffectRow(const json& e) {
  return {CellAt(e, "id"), CellAt(e, "module"), CellAt(e, "phase"),    CellAt(e, "attempts"),
          DueCell(e),      TargetCell(e),       CellAt(e, "lastError")};
}

std::string EffectPath(Session& s, const std::string& id) { return s.TenantPath("/effects/" + Segment(id)); }

ExitCode List(Session& s) {
  PageSpec spec;
  spec.path = s.TenantPath("/effects");
  spec.query = {{"phase", s.inv().Has("parked") ? "parked" : ""}};
  spec.items_key = "effects";
  spec.what = "effects";
  if (!s.inv().Has("parked")) {
    spec.total = [](const json& page) -> std::optional<std::size_t> {
      const int64_t stored = json_fields::IntAt(page, "stored");
      return stored > 0 ? std::optional<std::size_t>(static_cast<std::size_t>(stored)) : std::nullopt;
    };
  }
  Listing listing(s, {"ID", "MODULE", "PHASE", "ATTEMPTS", "DUE", "TARGET", "LAST ERROR"}, EffectRow,
                  s.inv().Has("parked") ? "no parked effects" : "the outbox is empty");
  return listing.Finish(PageThrough(s, spec, "", [&](const json& e) { listing.Add(e); }));
}

ExitCode Retry(Session& s) {
  return s.CallAndPrint("POST", EffectPath(s, s.Arg(0)) + "/retry", std::nullopt, [&](const JsonAnswer& a) {
    s.out() << "effect " << CellText(s.Arg(0)) << " is pending again, due " << DueCell(a.body) << "\n";
  });
}

ExitCode Delete(Session& s) {
  return s.CallAndConfirm("DELETE", EffectPath(s, s.Arg(0)), json{{"deleted", s.Arg(0)}},
                          "effect " + CellText(s.Arg(0)) + " deleted");
}

}  // namespace

std::vector<CommandSpec> EffectCommands() {
  return {
      {{"effects", "list"},
       {},
       {},
       {"parked"},
       "effects list [--parked]",
       "the outbox: pending and parked effects (--parked: only those that failed)",
       true,
       List},
      {{"effects", "retry"}, {"ID"}, {}, {}, "effects retry ID", "send a parked effect again, now", true, Retry},
      {{"effects", "delete"}, {"ID"}, {}, {}, "effects delete ID", "drop a parked effect", true, Delete},
  };
}

}  // namespace dirbridge::cli
