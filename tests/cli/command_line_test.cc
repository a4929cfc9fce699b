// The CLI's command line: options anywhere, only the options a command takes, the
// token never as an argument, the longest command match, help without errors.
#include "command_line.h"

#include <catch2/catch.hpp>

using namespace dirbridge::cli;

namespace {

ExitCode Nothing(Session&) { return ExitCode::kOk; }

std::vector<CommandSpec> TestCommands() {
  return {
      {{"tenant", "create"}, {}, {"id", "name"}, {}, "tenant create [--id ID] [--name N]", "create", false, Nothing},
      {{"connection", "rotate"},
       {"C"},
       {"grace"},
       {},
       "connection rotate C [--grace SECONDS]",
       "rotate",
       true,
       Nothing},
      {{"events", "list"}, {}, {"after", "limit"}, {"all"}, "events list", "list", true, Nothing},
      {{"events", "delivery", "set"}, {"URL"}, {"from"}, {}, "events delivery set URL", "set", true, Nothing},
      {{"audit"}, {}, {"user"}, {}, "audit [--user U]", "audit", true, Nothing},
      {{"audit", "export"}, {}, {"user"}, {}, "audit export", "export", true, Nothing},
  };
}

}  // namespace

TEST_CASE("a command with its argument and options in any order") {
  const auto commands = TestCommands();
  auto inv = ParseCommandLine({"--json", "connection", "--grace=30", "rotate", "c1", "--tenant", "acme"}, commands);
  REQUIRE(inv.ok());
  REQUIRE(inv->command == &commands[1]);
  CHECK(inv->arguments == std::vector<std::string>{"c1"});
  CHECK(inv->Option("grace") == "30");
  CHECK(inv->Option("tenant") == "acme");
  CHECK(inv->Has("json"));
  CHECK_FALSE(inv->Option("server"));
}

TEST_CASE("the longest command wins: 'audit export' is not 'audit' with an argument") {
  const auto commands = TestCommands();
  auto exported = ParseCommandLine({"audit", "export"}, commands);
  REQUIRE(exported.ok());
  CHECK(exported->command == &commands[5]);
  auto audit = ParseCommandLine({"audit", "--user", "ada"}, commands);
  REQUIRE(audit.ok());
  CHECK(audit->command == &commands[4]);
  auto deep = ParseCommandLine({"events", "delivery", "set", "https://x.example/hook", "--from", "7"}, commands);
  REQUIRE(deep.ok());
  CHECK(deep->command == &commands[3]);
  CHECK(deep->arguments == std::vector<std::string>{"https://x.example/hook"});
}

TEST_CASE("the option admin-token is refused, saying why, whatever its form") {
  const auto commands = TestCommands();
  for (auto args : std::vector<std::vector<std::string>>{{"events", "list", "--admin-token", "s3cret"},
                                                         {"--admin-token=s3cret", "events", "list"}}) {
    auto inv = ParseCommandLine(args, commands);
    REQUIRE_FALSE(inv.ok());
    CHECK(inv.error().detail.find("ps") != std::string::npos);
    CHECK(inv.error().detail.find("--admin-token-file") != std::string::npos);
    CHECK(inv.error().detail.find("s3cret") == std::string::npos);
  }
}

TEST_CASE("usage errors name what is wrong") {
  const auto commands = TestCommands();
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  for (const auto& c : std::vector<Case>{
           {{"connection", "rotate"}, "missing C"},
           {{"connection", "rotate", "c1", "c2"}, "unexpected argument 'c2'"},
           {{"connection", "rotate", "c1", "--limit", "3"}, "--limit does not apply"},
           {{"connection", "rotate", "c1", "--nope"}, "unknown option --nope"},
           {{"connection", "rotate", "c1", "--grace"}, "--grace needs a value"},
           {{"connection", "rotate", "c1", "--grace", "1", "--grace", "2"}, "--grace is given twice"},
           {{"events", "list", "--all=yes"}, "--all takes no value"},
           {{"connection", "frobnicate"}, "unknown command 'connection frobnicate'"},
           {{"nonsense"}, "unknown command 'nonsense'"},
       }) {
    INFO(c.says);
    auto inv = ParseCommandLine(c.args, commands);
    REQUIRE_FALSE(inv.ok());
    CHECK(inv.error().detail.find(c.says) != std::string::npos);
  }
}

TEST_CASE("'--' ends the options: what follows is an argument") {
  const auto commands = TestCommands();
  auto inv = ParseCommandLine({"connection", "rotate", "--", "--odd-id"}, commands);
  REQUIRE(inv.ok());
  CHECK(inv->arguments == std::vector<std::string>{"--odd-id"});
}

TEST_CASE("help: on everything, on a noun, on a command, never a usage error") {
  const auto commands = TestCommands();
  auto all = ParseCommandLine({}, commands);
  REQUIRE(all.ok());
  CHECK(all->help());
  CHECK(all->command == nullptr);
  auto noun = ParseCommandLine({"events", "--help"}, commands);
  REQUIRE(noun.ok());
  CHECK(noun->command == nullptr);
  CHECK(noun->words == std::vector<std::string>{"events"});
  const std::string text = HelpText(commands, noun->words);
  CHECK(text.find("events delivery set") != std::string::npos);
  CHECK(text.find("tenant create") == std::string::npos);
  CHECK(text.find("Exit codes") != std::string::npos);
  auto one = ParseCommandLine({"connection", "rotate", "--help"}, commands);  // C missing: still help
  REQUIRE(one.ok());
  REQUIRE(one->command == &commands[1]);
  CHECK(CommandHelpText(*one->command).find("usage: dirbridge connection rotate C") == 0);
}

TEST_CASE("a count option is a non-negative integer") {
  const auto commands = TestCommands();
  auto inv = ParseCommandLine({"events", "list", "--after", "42"}, commands);
  REQUIRE(inv.ok());
  auto after = CountOption(*inv, "after");
  REQUIRE(after.ok());
  CHECK(*after == std::optional<uint64_t>(42));
  auto none = CountOption(*inv, "limit");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  for (std::string bad : {"-1", "ten", "4x", ""}) {
    auto badinv = ParseCommandLine({"events", "list", "--after=" + bad}, commands);
    REQUIRE(badinv.ok());
    auto count = CountOption(*badinv, "after");
    REQUIRE_FALSE(count.ok());
    CHECK(count.error().detail.find("non-negative integer") != std::string::npos);
  }
}

TEST_CASE("a repeatable option keeps every value in order, and elsewhere it is a usage error") {
  auto commands = TestCommands();
  commands.push_back({{"rules", "set"},
                      {"GROUP"},
                      {"by"},
                      {},
                      "rules set GROUP --entitlement T:N",
                      "set",
                      true,
                      Nothing,
                      {"entitlement"}});
  auto inv = ParseCommandLine(
      {"rules", "set", "Eng", "--entitlement", "role:Dev", "--entitlement=policy:MFA", "--by", "it"}, commands);
  REQUIRE(inv.ok());
  CHECK(inv->Options("entitlement") == std::vector<std::string>{"role:Dev", "policy:MFA"});
  CHECK(inv->Option("by") == "it");
  CHECK(inv->Options("nothing").empty());
  auto twice_by = ParseCommandLine({"rules", "set", "Eng", "--by", "a", "--by", "b"}, commands);
  REQUIRE_FALSE(twice_by.ok());
  CHECK(twice_by.error().detail == "--by is given twice");
  auto elsewhere = ParseCommandLine({"audit", "--entitlement", "role:Dev"}, commands);
  REQUIRE_FALSE(elsewhere.ok());
  CHECK_THAT(elsewhere.error().detail, Catch::StartsWith("--entitlement does not apply to 'audit [--user U]'"));
}
