// Readable output: aligned columns, printable cells, long values cut, widths in
// characters; progress only when enabled.
#include "table.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "progress.h"

using namespace dirbridge;
using namespace dirbridge::cli;

TEST_CASE("columns align to the widest cell, the last column is not padded") {
  Table t({"ID", "KIND", "CREATED"});
  t.AddRow({"c1", "okta", "2026-11-26"});
  t.AddRow({"connection-22", "signed_webhook", "-"});
  CHECK(t.rows() == 2);
  CHECK(t.Render() ==
        "ID             KIND            CREATED\n"
        "c1             okta            2026-11-26\n"
        "connection-22  signed_webhook  -\n");
}

TEST_CASE("missing cells print empty, extra cells are dropped") {
  Table t({"A", "B"});
  t.AddRow({"x"});
  t.AddRow({"1", "2", "3"});
  CHECK(t.Render() == "A  B\nx\n1  2\n");
}

TEST_CASE("widths count characters, not bytes") {
  Table t({"NAME", "X"});
  t.AddRow({"Zoë", "1"});
  t.AddRow({"Anna", "2"});
  CHECK(t.Render() == "NAME  X\nZoë   1\nAnna  2\n");
  CHECK(DisplayWidth("Zoë") == 3);
}

TEST_CASE("cells are printable: no terminal escapes, no line breaks") {
  CHECK(CellText("evil\x1b]0;title\x07name\nnext") == "evil ]0;title name next");
}

TEST_CASE("a long cell is cut with an ellipsis, never inside a character") {
  const std::string cut = CellText(std::string(100, 'a'), 10);
  CHECK(cut == std::string(9, 'a') + "\xE2\x80\xA6");
  CHECK(DisplayWidth(cut) == 10);
  const std::string accents = CellText("éééééééééééé", 5);
  CHECK(accents == "éééé\xE2\x80\xA6");
}

TEST_CASE("JSON values as cells") {
  nlohmann::json j = {{"s", "text"}, {"n", 42}, {"t", true}, {"f", false}, {"z", nullptr}, {"o", {{"a", 1}}}};
  CHECK(CellAt(j, "s") == "text");
  CHECK(CellAt(j, "n") == "42");
  CHECK(CellAt(j, "t") == "yes");
  CHECK(CellAt(j, "f") == "no");
  CHECK(CellAt(j, "z") == "-");
  CHECK(CellAt(j, "missing") == "-");
  CHECK(CellAt(j, "o") == "{\"a\":1}");
  CHECK(CellAt(nlohmann::json::array(), "s") == "-");
}

TEST_CASE("fields: names padded to the longest") {
  CHECK(RenderFields({{"id", "t1"}, {"created", "now"}}) == "id:       t1\ncreated:  now\n");
}

TEST_CASE("progress: a bar with a total, a count without") {
  CHECK(Progress::Line("effects", 5, 10) == "effects  [###############---------------]  5/10");
  CHECK(Progress::Line("effects", 12, 10) == "effects  [##############################]  10/10");
  CHECK(Progress::Line("events", 1200, std::nullopt) == "events  1200 fetched");
}

TEST_CASE("progress draws on its stream only when enabled, and clears its line") {
  std::ostringstream off;
  {
    Progress p(off, false, "events");
    p.Update(10);
  }
  CHECK(off.str().empty());
  std::ostringstream on;
  {
    Progress p(on, true, "events");
    p.Update(10);
    p.Update(2000);
  }
  CHECK(on.str() == "\revents  10 fetched\revents  2000 fetched\r" + std::string(20, ' ') + "\r");
}

TEST_CASE("printable: C1 controls out, bytes that are not UTF-8 replaced, characters kept whole") {
  CHECK(Printable("a\xC2\x9B"
                  "31mb",
                  80) == "a 31mb");  // U+009B, the one-character CSI
  CHECK(Printable("x\xFFy", 80) == "x\xEF\xBF\xBDy");
  CHECK(Printable("Zoë", 80) == "Zoë");
  CHECK(Printable("Zoë", 3) == "Zoë");
  CHECK(Printable("Zoëx", 3) == "Zo\xE2\x80\xA6");
}

TEST_CASE("a table cuts long cells, fields keep a URL whole") {
  const std::string url = "https://dirbridge.example.com/t/acme/hooks/signed/5288a7b52de3670f/" + std::string(40, 'g');
  nlohmann::json c = {{"webhookUrl", url}};
  CHECK(RenderFields({{"webhookUrl", CellAt(c, "webhookUrl")}}) == "webhookUrl:  " + url + "\n");
  Table t({"URL"});
  t.AddRow({CellAt(c, "webhookUrl")});
  CHECK(DisplayWidth(t.Render().substr(4)) == kMaxCellChars + 1);  // the cut cell and its newline
}
