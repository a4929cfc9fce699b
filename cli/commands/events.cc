// events list [--after N] [--limit M] [--all]  GET .../events?after=N&limit=M, paged on
//     the last sequence: M events (default 100) after N, or with --all every one
// events delivery set URL [--from N]   PUT    .../events/delivery {"url", "from"?}; its
//     answer carries the signing secret once, printed once
// events delivery show                 GET    .../events/delivery
// events delivery delete               DELETE .../events/delivery
#include <algorithm>

#include "commands/commands.h"
#include "listing.h"
#include "model/json_fields.h"
#include "pager.h"
#include "session.h"
#include "table.h"

namespace dirbridge::cli {
namespace {

using nlohmann::json;

constexpr uint64_t kDefaultEventCount = 100;
constexpr uint64_t kEventsPerPage = 1000;  // the server's largest page (admin_api.cc)

std::vector<std::string> EventRow(const json& e) {
  const json* from = json_fields::Find(e, "source");
  std::string source = from ? CellAt(*from, "kind") : "-";
  if (from && from->contains("connection")) source += " " + CellAt(*from, "connection");
  return {CellAt(e, "sequence"), CellAt(e, "at"), CellAt(e, "type"), CellAt(e, "user"), CellAt(e, "group"), source};
}

ExitCode List(Session& s) {
  auto after = CountOption(s.inv(), "after");
  if (!after.ok()) return s.UsageError(after.error().detail);
  auto limit = CountOption(s.inv(), "limit");
  if (!limit.ok()) return s.UsageError(limit.error().detail);
  const bool all = s.inv().Has("all");
  if (all && *limit) return s.UsageError("give --limit or --all, not both");
  if (*limit && **limit == 0) return s.UsageError("--limit must be at least 1");
  const uint64_t wanted = limit->value_or(kDefaultEventCount);
  const uint64_t per_page = all ? kEventsPerPage : std::min(wanted, kEventsPerPage);

  PageSpec spec;
  spec.path = s.TenantPath("/events");
  spec.query = {{"limit", std::to_string(per_page)}};
  spec.items_key = "events";
  spec.what = "events";
  if (!all) spec.max_items = wanted;
  // A full page may have more after it: go on after its last sequence.
  spec.next = [per_page](const json& page) -> std::optional<std::string> {
    const json* events = ArrayMember(page, "events");
    if (!events || events->size() < per_page || !page.contains("last")) return std::nullopt;
    return CellAt(page, "last");
  };
  Listing listing(s, {"SEQ", "AT", "TYPE", "USER", "GROUP", "SOURCE"}, EventRow, "no events");
  const std::string first = *after ? std::to_string(**after) : "";
  return listing.Finish(PageThrough(s, spec, first, [&](const json& e) { listing.Add(e); }));
}

// Every member but a secret, as "name: value" lines.
void PrintDelivery(Session& s, const json& d) {
  std::vector<std::pair<std::string, std::string>> fields;
  if (d.is_object()) {
    for (auto it = d.begin(); it != d.end(); ++it) {
      if (it.key() != "secret") fields.emplace_back(it.key(), CellOf(&it.value()));
    }
  }
  s.out() << RenderFields(fields);
}

std::string DeliveryPath(Session& s) { return s.TenantPath("/events/delivery"); }

ExitCode DeliverySet(Session& s) {
  json body = {{"url", s.Arg(0)}};
  auto from = CountOption(s.inv(), "from");
  if (!from.ok()) return s.UsageError(from.error().detail);
  if (*from) body["from"] = **from;
  return s.CallAndPrint("PUT", DeliveryPath(s), body, [&](const JsonAnswer& a) {
    PrintDelivery(s, a.body);
    if (a.body.is_object() && a.body.contains("secret")) {
      s.PrintOneTimeSecret("event delivery signing secret", CellAt(a.body, "secret"));
    }
  });
}

ExitCode DeliveryShow(Session& s) {
  return s.CallAndPrint("GET", DeliveryPath(s), std::nullopt, [&](const JsonAnswer& a) { PrintDelivery(s, a.body); });
}

ExitCode DeliveryDelete(Session& s) {
  return s.CallAndConfirm("DELETE", DeliveryPath(s), json{{"deleted", "events/delivery"}}, "event delivery removed");
}

}  // namespace

std::vector<CommandSpec> EventCommands() {
  return {
      {{"events", "list"},
       {},
       {"after", "limit"},
       {"all"},
       "events list [--after N] [--limit M] [--all]",
       "the event log: M events (default 100) after sequence N, or --all of them",
       true,
       List},
      {{"events", "delivery", "set"},
       {"URL"},
       {"from"},
       {},
       "events delivery set URL [--from N]",
       "push the event log to URL (from sequence N); prints its signing secret once",
       true,
       DeliverySet},
      {{"events", "delivery", "show"},
       {},
       {},
       {},
       "events delivery show",
       "where events are pushed, and how far",
       true,
       DeliveryShow},
      {{"events", "delivery", "delete"},
       {},
       {},
       {},
       "events delivery delete",
       "stop pushing events",
       true,
       DeliveryDelete},
  };
}

}  // namespace dirbridge::cli
