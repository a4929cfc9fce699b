// audit [--user U] [--group G] [--actor A] [--since T] [--until T]
//     GET .../audit?user=&group=&actor=&since=&until=&after=C  (paged on "next")
// audit export [same filters] > file.jsonl
//     GET .../audit?format=jsonl&...: the JSON lines written as they come, page after
//     page, following the cursor in the x-dirbridge-next header
//
// --user takes an id or a user name (user_lookup.h).
#include "commands/commands.h"
#include "listing.h"
#include "pager.h"
#include "progress.h"
#include "session.h"
#include "table.h"
#include "user_lookup.h"

namespace dirbridge::cli {
namespace {

using nlohmann::json;

const std::vector<std::string> kFilterOptions = {"user", "group", "actor", "since", "until"};

// The filters as query parameters, --user resolved to an id; false when that failed
// (reported, *code set).
bool Filters(Session& s, QueryParams* query, ExitCode* code) {
  for (const auto& name : kFilterOptions) {
    auto value = s.inv().Option(name);
    if (!value) continue;
    if (name == "user") {
      auto user = ResolveUser(s, *value);
      if (!user.ok()) {
        *code = user.code;
        return false;
      }
      value = user.id;
    }
    query->emplace_back(name, *value);
  }
  return true;
}

// Who made the change: the admin's "by", else the connection, else the source's kind.
std::string ActorOf(const json& e) {
  const json empty = json::object();
  const json& data = e.contains("data") && e["data"].is_object() ? e["data"] : empty;
  const json& source = e.contains("source") && e["source"].is_object() ? e["source"] : empty;
  for (const auto* cell : {&data, &source}) {
    for (const char* name : {"by", "connection"}) {
      std::string v = CellAt(*cell, name);
      if (!v.empty()) return v;
    }
  }
  return CellAt(source, "kind");
}

std::vector<std::string> EntryRow(const json& e) {
  return {CellAt(e, "at"), ActorOf(e), CellAt(e, "type"), CellAt(e, "user"), CellAt(e, "group")};
}

ExitCode List(Session& s) {
  PageSpec spec;
  ExitCode code = ExitCode::kOk;
  if (!Filters(s, &spec.query, &code)) return code;
  spec.path = s.TenantPath("/audit");
  spec.items_key = "entries";
  spec.what = "audit entries";
  Listing listing(s, {"AT", "ACTOR", "ACTION", "USER", "GROUP"}, EntryRow, "no audit entries");
  return listing.Finish(PageThrough(s, spec, "", [&](const json& e) { listing.Add(e); }));
}

ExitCode Export(Session& s) {
  QueryParams filters;
  ExitCode code = ExitCode::kOk;
  if (!Filters(s, &filters, &code)) return code;
  Progress progress(s.err(), s.progress_enabled(), "audit entries");
  std::string cursor;
  std::size_t lines = 0;
  for (std::size_t pages = 0; pages < kMaxPages; ++pages) {
    QueryParams query = filters;
    query.emplace_back("format", "jsonl");
    query.emplace_back("after", cursor);
    auto reply = s.Call("GET", WithQuery(s.TenantPath("/audit"), query));
    if (!reply.ok()) return s.Report(reply);
    s.out() << reply.body;
    if (!reply.body.empty() && reply.body.back() != '\n') s.out() << "\n";
    for (char c : reply.body) lines += c == '\n';
    progress.Update(lines);
    auto next = reply.Header("x-dirbridge-next");
    if (!next || next->empty() || reply.body.empty()) {
      s.out().flush();
      return ExitCode::kOk;
    }
    if (*next == cursor) return s.BadAnswer("the audit cursor did not move (" + *next + ")");
    cursor = *next;
  }
  return s.BadAnswer("more than " + std::to_string(kMaxPages) + " pages of audit entries");
}

}  // namespace

std::vector<CommandSpec> AuditCommands() {
  return {
      {{"audit"},
       {},
       kFilterOptions,
       {},
       "audit [--user U] [--group G] [--actor A] [--since T] [--until T]",
       "the audit trail, filtered (times RFC 3339)",
       true,
       List},
      {{"audit", "export"},
       {},
       kFilterOptions,
       {},
       "audit export [filters] > file.jsonl",
       "the audit trail as JSON lines, every page",
       true,
       Export},
  };
}

}  // namespace dirbridge::cli
