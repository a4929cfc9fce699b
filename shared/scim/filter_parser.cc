#include "scim/filter_parser.h"

#include "core/utf8.h"

#include <string>
#include <utility>

namespace dirbridge::scim {
namespace {

using json = nlohmann::json;

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '$';
}
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

struct OperatorName {
  std::string_view name;
  CompareOp op;
};
constexpr OperatorName kOperators[] = {
    {"eq", CompareOp::kEq}, {"ne", CompareOp::kNe}, {"co", CompareOp::kCo}, {"sw", CompareOp::kSw},
    {"ew", CompareOp::kEw}, {"gt", CompareOp::kGt}, {"ge", CompareOp::kGe}, {"lt", CompareOp::kLt},
    {"le", CompareOp::kLe}, {"pr", CompareOp::kPr},
};

FilterPtr MakeCompare(AttrPath path, CompareOp op, json value) {
  auto n = std::make_shared<FilterNode>();
  n->kind = FilterNode::Kind::kCompare;
  n->path = std::move(path);
  n->op = op;
  n->value = std::move(value);
  return n;
}

FilterPtr MakeLogical(FilterNode::Kind kind, FilterPtr left, FilterPtr right) {
  auto n = std::make_shared<FilterNode>();
  n->kind = kind;
  n->left = std::move(left);
  n->right = std::move(right);
  return n;
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view scim_type) : text_(text), scim_type_(scim_type) {}

  Result<FilterPtr> ParseWhole() {
    if (text_.size() > kMaxFilterLength) {
      return InvalidInput("filter is " + std::to_string(text_.size()) + " characters long; at most " +
                              std::to_string(kMaxFilterLength) + " are accepted",
                          std::string(scim_type_));
    }
    SkipSpaces();
    if (pos_ == text_.size()) return InvalidInput("filter is empty", std::string(scim_type_));
    DB_ASSIGN_OR_RETURN(FilterPtr root, ParseOr());
    SkipSpaces();
    if (pos_ != text_.size()) return Fail("'and', 'or' or the end of the filter");
    return root;
  }

  Result<FilterPtr> ParseBracketAt(std::size_t& pos) {
    pos_ = pos;
    DB_ASSIGN_OR_RETURN(FilterPtr inner, ParseBracket());
    pos = pos_;
    return inner;
  }

 private:
  void SkipSpaces() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }

  // A case-insensitive keyword at pos_ that is not the start of a longer name.
  bool AtKeyword(std::string_view keyword) const {
    if (text_.size() - pos_ < keyword.size()) return false;
    if (!EqualsIgnoreCase(text_.substr(pos_, keyword.size()), keyword)) return false;
    std::size_t after = pos_ + keyword.size();
    return after == text_.size() || !IsNameChar(text_[after]);
  }

  std::string Found() const {
    if (pos_ >= text_.size()) return "the end of the filter";
    std::size_t end = pos_;
    if (text_[end] == '"' || !IsNameChar(text_[end])) {
      end += Utf8CharLength(text_, end);
    } else {
      while (end < text_.size() && IsNameChar(text_[end]) && end - pos_ < 40) ++end;
    }
    return "'" + std::string(text_.substr(pos_, end - pos_)) + "'";
  }

  Error Fail(std::string_view expected) const { return FailAt(pos_, expected); }
  Error FailAt(std::size_t at, std::string_view expected) const {
    std::size_t saved = at;
    std::string found;
    {
      Parser probe(text_, scim_type_);
      probe.pos_ = saved;
      found = probe.Found();
    }
    return InvalidInput("invalid filter at position " + std::to_string(at) + ": expected " +
                            std::string(expected) + ", found " + found,
                        std::string(scim_type_));
  }

  Status Enter() {
    if (++depth_ > kMaxFilterDepth) {
      return InvalidInput("filter is nested deeper than " + std::to_string(kMaxFilterDepth) +
                              " levels (position " + std::to_string(pos_) + ")",
                          std::string(scim_type_));
    }
    return Status::Ok();
  }
  void Leave() { --depth_; }

  Result<FilterPtr> ParseOr() {
    DB_ASSIGN_OR_RETURN(FilterPtr left, ParseAnd());
    while (true) {
      std::size_t save = pos_;
      SkipSpaces();
      if (!AtKeyword("or")) {
        pos_ = save;
        return left;
      }
      pos_ += 2;
      SkipSpaces();
      DB_ASSIGN_OR_RETURN(FilterPtr right, ParseAnd());
      left = MakeLogical(FilterNode::Kind::kOr, std::move(left), std::move(right));
    }
  }

  Result<FilterPtr> ParseAnd() {
    DB_ASSIGN_OR_RETURN(FilterPtr left, ParseUnary());
    while (true) {
      std::size_t save = pos_;
      SkipSpaces();
      if (!AtKeyword("and")) {
        pos_ = save;
        return left;
      }
      pos_ += 3;
      SkipSpaces();
      DB_ASSIGN_OR_RETURN(FilterPtr right, ParseUnary());
      left = MakeLogical(FilterNode::Kind::kAnd, std::move(left), std::move(right));
    }
  }

  Result<FilterPtr> ParseGroup() {
    std::size_t open = pos_;
    DB_RETURN_IF_ERROR(Enter());
    ++pos_;
    SkipSpaces();
    DB_ASSIGN_OR_RETURN(FilterPtr inner, ParseOr());
    SkipSpaces();
    if (pos_ >= text_.size() || text_[pos_] != ')') {
      return Fail("')' to close the '(' at position " + std::to_string(open));
    }
    ++pos_;
    Leave();
    return inner;
  }

  Result<FilterPtr> ParseUnary() {
    if (pos_ < text_.size() && text_[pos_] == '(') return ParseGroup();
    if (AtKeyword("not")) {
      const std::size_t save = pos_;
      pos_ += 3;
      SkipSpaces();
      if (pos_ < text_.size() && text_[pos_] == '(') {
        DB_ASSIGN_OR_RETURN(FilterPtr inner, ParseGroup());
        return MakeLogical(FilterNode::Kind::kNot, std::move(inner), nullptr);
      }
      // Lenient "not attrExp"; if that does not parse, "not" may be an attribute name.
      if (pos_ > save + 3) {
        const std::size_t saved_depth = depth_;
        const bool saved_in_value_filter = in_value_filter_;
        DB_RETURN_IF_ERROR(Enter());
        auto negated = ParseUnary();
        if (negated.ok()) {
          Leave();
          return MakeLogical(FilterNode::Kind::kNot, std::move(negated).value(), nullptr);
        }
        const std::size_t failed_at = pos_;
        pos_ = save;
        depth_ = saved_depth;
        in_value_filter_ = saved_in_value_filter;
        auto as_attribute = ParseAtom();
        if (as_attribute.ok()) return as_attribute;
        pos_ = failed_at;
        return negated.error();
      }
      pos_ = save;
    }
    return ParseAtom();
  }

  Result<FilterPtr> ParseBracket() {
    const std::size_t open = pos_;
    if (in_value_filter_) return Fail("an operator: value filters cannot be nested inside '[...]'");
    DB_RETURN_IF_ERROR(Enter());
    in_value_filter_ = true;
    ++pos_;
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == ']') return Fail("a filter inside '[...]'");
    DB_ASSIGN_OR_RETURN(FilterPtr inner, ParseOr());
    SkipSpaces();
    if (pos_ >= text_.size() || text_[pos_] != ']') {
      return Fail("']' to close the '[' at position " + std::to_string(open));
    }
    ++pos_;
    in_value_filter_ = false;
    Leave();
    return inner;
  }

  Result<FilterPtr> ParseAtom() {
    if (pos_ >= text_.size() || !(IsNameChar(text_[pos_]) && text_[pos_] != '-' && text_[pos_] != '_' &&
                                  !(text_[pos_] >= '0' && text_[pos_] <= '9'))) {
      return Fail("an attribute name, '(' or 'not'");
    }
    DB_ASSIGN_OR_RETURN(AttrPath path, ScanAttrPath(text_, pos_, scim_type_));
    if (pos_ < text_.size() && text_[pos_] == '[') {
      if (!path.sub_attribute.empty()) return Fail("an operator after '" + path.ToString() + "'");
      auto node = std::make_shared<FilterNode>();
      node->kind = FilterNode::Kind::kValuePath;
      node->path = path;
      DB_ASSIGN_OR_RETURN(node->value_filter, ParseBracket());
      AttrPath trailing_path;
      if (pos_ < text_.size() && text_[pos_] == '.') {
        ++pos_;
        std::size_t name_start = pos_;
        while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
        if (pos_ == name_start) return Fail("a sub-attribute name after '].'");
        trailing_path.attribute = std::string(text_.substr(name_start, pos_ - name_start));
        DB_ASSIGN_OR_RETURN(node->trailing, ParseComparison(std::move(trailing_path), path.attribute + "[...]."));
        return FilterPtr(node);
      }
      // Optionally "pr" or a comparison applied to each selected value.
      std::size_t save = pos_;
      SkipSpaces();
      bool has_operator = false;
      if (pos_ > save) {
        for (const auto& o : kOperators) has_operator = has_operator || AtKeyword(o.name);
      }
      pos_ = save;
      if (has_operator) {
        DB_ASSIGN_OR_RETURN(node->trailing, ParseComparison(std::move(trailing_path), path.attribute + "[...]"));
      }
      return FilterPtr(node);
    }
    return ParseComparison(std::move(path), "");
  }

  // Reads SP compareOp [SP compValue] after an attribute path.
  Result<FilterPtr> ParseComparison(AttrPath path, std::string_view shown_prefix) {
    const std::string shown = std::string(shown_prefix) + path.ToString();
    if (++comparisons_ > kMaxFilterComparisons) {
      return InvalidInput("filter has more than " + std::to_string(kMaxFilterComparisons) +
                              " comparisons; split it, or look up by an indexed attribute",
                          std::string(scim_type_));
    }
    std::size_t before_space = pos_;
    SkipSpaces();
    if (pos_ == before_space) {
      return Fail("a space and an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after '" + shown + "'");
    }
    const OperatorName* found = nullptr;
    for (const auto& o : kOperators) {
      if (AtKeyword(o.name)) found = &o;
    }
    if (found == nullptr) {
      return Fail("an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after '" + shown + "'");
    }
    pos_ += 2;
    if (found->op == CompareOp::kPr) return MakeCompare(std::move(path), CompareOp::kPr, json());
    before_space = pos_;
    SkipSpaces();
    if (pos_ == before_space) {
      return Fail("a space and a value after '" + shown + " " + std::string(found->name) + "'");
    }
    DB_ASSIGN_OR_RETURN(json value, ParseValue(shown + " " + std::string(found->name)));
    const bool ordering = found->op == CompareOp::kGt || found->op == CompareOp::kGe || found->op == CompareOp::kLt ||
                          found->op == CompareOp::kLe;
    if (ordering && (value.is_boolean() || value.is_null())) {
      // RFC 7644 §3.4.2.2, Table 3: booleans (and null) have no order.
      return InvalidInput("'" + std::string(found->name) + "' orders values; " + value.dump() +
                              " has no order (after '" + shown + "')",
                          std::string(scim_type_));
    }
    return MakeCompare(std::move(path), found->op, std::move(value));
  }

  bool AtValueEnd(std::size_t at) const {
    return at == text_.size() || IsSpace(text_[at]) || text_[at] == ')' || text_[at] == ']';
  }

  Result<json> ParseValue(const std::string& context) {
    const std::string expected =
        "a value after '" + context + "' (a quoted string, a number, true, false or null)";
    if (pos_ >= text_.size()) return Fail(expected);
    const char c = text_[pos_];
    if (c == '"') {
      const std::size_t start = pos_;
      std::size_t p = pos_ + 1;
      while (p < text_.size() && text_[p] != '"') {
        if (text_[p] == '\\') ++p;
        ++p;
      }
      if (p >= text_.size()) return FailAt(text_.size(), "a closing '\"' for the string at position " +
                                                             std::to_string(start));
      json value = json::parse(text_.substr(start, p + 1 - start), nullptr, false);
      if (value.is_discarded() || !value.is_string()) {
        return FailAt(start, "a valid JSON string (check its escape sequences)");
      }
      pos_ = p + 1;
      return value;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      const std::size_t start = pos_;
      std::size_t p = pos_;
      while (p < text_.size() && !AtValueEnd(p)) ++p;
      json value = json::parse(text_.substr(start, p - start), nullptr, false);
      if (value.is_discarded() || !value.is_number()) {
        return FailAt(start, "a number (JSON syntax, e.g. 42, -1.5, 2e3) after '" + context + "'");
      }
      pos_ = p;
      return value;
    }
    for (std::string_view literal : {"true", "false", "null"}) {
      if (AtKeyword(literal) && AtValueEnd(pos_ + literal.size())) {
        pos_ += literal.size();
        if (literal == "true") return json(true);
        if (literal == "false") return json(false);
        return json();
      }
    }
    return Fail(expected);
  }

  std::string_view text_;
  std::string_view scim_type_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::size_t comparisons_ = 0;
  bool in_value_filter_ = false;
};

}  // namespace

Result<FilterPtr> ParseFilter(std::string_view text) {
  Parser parser(text, "invalidFilter");
  return parser.ParseWhole();
}

Result<FilterPtr> ParseBracketedValueFilter(std::string_view text, std::size_t& pos, std::string_view scim_type) {
  if (text.size() > kMaxFilterLength) {
    return InvalidInput("path is " + std::to_string(text.size()) + " characters long; at most " +
                            std::to_string(kMaxFilterLength) + " are accepted",
                        std::string(scim_type));
  }
  if (pos >= text.size() || text[pos] != '[') {
    return InvalidInput("expected '[' at position " + std::to_string(pos), std::string(scim_type));
  }
  Parser parser(text, scim_type);
  return parser.ParseBracketAt(pos);
}

}  // namespace dirbridge::scim
