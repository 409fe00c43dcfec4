#include "http/odata.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>
#include <set>

#include "core/enum_names.h"
#include "core/strings.h"

namespace gh::http {
namespace {


enum class TokenKind { kIdent, kString, kInt, kLParen, kRParen, kComma, kEnd };

struct Token {
  TokenKind kind;
  size_t pos;
  std::string text;  // identifier as written, or the unescaped string literal
  int64_t number = 0;
};

constexpr auto kTypeNames = std::to_array<EnumName<PropertyType>>({
    {PropertyType::kString, "Edm.String"},
    {PropertyType::kBool, "Edm.Boolean"},
    {PropertyType::kGuid, "Edm.Guid"},
    {PropertyType::kInt64, "Edm.Int64"},
});
static_assert(AreDistinct(kTypeNames));

std::string_view TypeName(PropertyType t) { return NameOf(kTypeNames, t); }

std::string_view ValueTypeName(const FilterValue& v) {
  if (std::holds_alternative<bool>(v)) return "Edm.Boolean";
  if (std::holds_alternative<int64_t>(v)) return "Edm.Int64";
  if (std::holds_alternative<std::string>(v)) return "Edm.String";
  return "null";
}

int OperatorDepth(const FilterExpr& e) {
  int deepest = 0;
  for (const auto& child : e.children) deepest = std::max(deepest, OperatorDepth(*child));
  return e.children.empty() ? 0 : deepest + 1;
}

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '/' || c == '.';
}

// Recursive descent over a token vector. Recursion depth is bounded by
// kMaxFilterDepth (each `not` and each parenthesis counts one level), so a
// hostile filter can't overflow the stack.
class FilterParser {
 public:
  FilterParser(std::string_view text, const PropertySet& allowed, std::string_view resource)
      : text_(text), allowed_(allowed), resource_(resource) {}

  StatusOr<FilterPtr> Parse() {
    GH_RETURN_IF_ERROR(Tokenize());
    GH_ASSIGN_OR_RETURN(FilterPtr root, ParseOr(0));
    if (Peek().kind != TokenKind::kEnd) return SyntaxError(Peek().pos);
    if (OperatorDepth(*root) > kMaxFilterTreeDepth) {
      return InvalidArgument("Invalid filter clause: the expression nests more than " +
                                 std::to_string(kMaxFilterTreeDepth) + " and/or/not operators.",
                             "BadRequest");
    }
    return root;
  }

 private:
  Status Tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      char c = text_[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++i;
      } else if (c == '(' || c == ')' || c == ',') {
        tokens_.push_back({c == '('   ? TokenKind::kLParen
                           : c == ')' ? TokenKind::kRParen
                                      : TokenKind::kComma,
                           i,
                           {}});
        ++i;
      } else if (c == '\'') {
        size_t start = i++;
        std::string s;
        bool closed = false;
        while (i < text_.size()) {
          if (text_[i] == '\'') {
            if (i + 1 < text_.size() && text_[i + 1] == '\'') {
              s.push_back('\'');
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          s.push_back(text_[i++]);
        }
        if (!closed) {
          return InvalidArgument("Invalid filter clause: unterminated string literal at position " +
                                     std::to_string(start) + " in '" + std::string(text_) + "'.",
                                 "BadRequest");
        }
        tokens_.push_back({TokenKind::kString, start, std::move(s)});
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 (c == '-' && i + 1 < text_.size() &&
                  std::isdigit(static_cast<unsigned char>(text_[i + 1])))) {
        size_t start = i++;
        while (i < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i]))) ++i;
        if (i < text_.size() && IsIdentChar(text_[i])) return SyntaxError(i);
        Token t{TokenKind::kInt, start, std::string(text_.substr(start, i - start))};
        auto [ptr, ec] = std::from_chars(text_.data() + start, text_.data() + i, t.number);
        if (ec != std::errc()) {
          return InvalidArgument(
              "Invalid filter clause: the number at position " + std::to_string(start) + " is out of range.",
              "BadRequest");
        }
        tokens_.push_back(std::move(t));
      } else if (IsIdentStart(c)) {
        size_t start = i;
        while (i < text_.size() && IsIdentChar(text_[i])) ++i;
        tokens_.push_back({TokenKind::kIdent, start, std::string(text_.substr(start, i - start))});
      } else {
        return SyntaxError(i);
      }
    }
    tokens_.push_back({TokenKind::kEnd, text_.size(), {}});
    return OkStatus();
  }

  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() { return tokens_[next_ < tokens_.size() - 1 ? next_++ : next_]; }
  bool PeekKeyword(std::string_view kw) const {
    return Peek().kind == TokenKind::kIdent && EqualsIgnoreCase(Peek().text, kw);
  }

  Status SyntaxError(size_t pos) const {
    return InvalidArgument("Invalid filter clause: syntax error at position " + std::to_string(pos) +
                               " in '" + std::string(text_) + "'.",
                           "BadRequest");
  }
  Status Expect(TokenKind kind) {
    if (Peek().kind != kind) return SyntaxError(Peek().pos);
    Take();
    return OkStatus();
  }
  Status CheckDepth(int depth, size_t pos) const {
    if (depth > kMaxFilterDepth) {
      return InvalidArgument("Invalid filter clause: the expression is nested more than " +
                                 std::to_string(kMaxFilterDepth) + " levels deep at position " +
                                 std::to_string(pos) + ".",
                             "BadRequest");
    }
    return OkStatus();
  }

  StatusOr<FilterPtr> ParseOr(int depth) {
    GH_ASSIGN_OR_RETURN(FilterPtr left, ParseAnd(depth));
    while (PeekKeyword("or")) {
      Take();
      GH_ASSIGN_OR_RETURN(FilterPtr right, ParseAnd(depth));
      left = Combine(FilterOp::kOr, std::move(left), std::move(right));
    }
    return left;
  }

  StatusOr<FilterPtr> ParseAnd(int depth) {
    GH_ASSIGN_OR_RETURN(FilterPtr left, ParseUnary(depth));
    while (PeekKeyword("and")) {
      Take();
      GH_ASSIGN_OR_RETURN(FilterPtr right, ParseUnary(depth));
      left = Combine(FilterOp::kAnd, std::move(left), std::move(right));
    }
    return left;
  }

  StatusOr<FilterPtr> ParseUnary(int depth) {
    if (PeekKeyword("not")) {
      size_t pos = Take().pos;
      GH_RETURN_IF_ERROR(CheckDepth(depth + 1, pos));
      GH_ASSIGN_OR_RETURN(FilterPtr operand, ParseUnary(depth + 1));
      auto e = std::make_shared<FilterExpr>();
      e->op = FilterOp::kNot;
      e->children.push_back(std::move(operand));
      return FilterPtr(std::move(e));
    }
    return ParsePrimary(depth);
  }

  StatusOr<FilterPtr> ParsePrimary(int depth) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kLParen) {
      size_t pos = Take().pos;
      GH_RETURN_IF_ERROR(CheckDepth(depth + 1, pos));
      GH_ASSIGN_OR_RETURN(FilterPtr inner, ParseOr(depth + 1));
      GH_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
      return inner;
    }
    if (t.kind != TokenKind::kIdent) return SyntaxError(t.pos);

    Token name = Take();
    if (Peek().kind == TokenKind::kLParen) return ParseFunction(name);

    // A comparison: property operator value.
    GH_ASSIGN_OR_RETURN(PropertyType type, LookUp(name));
    if (Peek().kind != TokenKind::kIdent) return SyntaxError(Peek().pos);
    Token op = Take();
    auto e = std::make_shared<FilterExpr>();
    e->property = name.text;
    if (EqualsIgnoreCase(op.text, "eq") || EqualsIgnoreCase(op.text, "ne")) {
      e->op = EqualsIgnoreCase(op.text, "eq") ? FilterOp::kEq : FilterOp::kNe;
      GH_ASSIGN_OR_RETURN(FilterValue v, ParseValue(name.text, type, /*allow_null=*/true));
      e->values.push_back(std::move(v));
    } else if (EqualsIgnoreCase(op.text, "in")) {
      e->op = FilterOp::kIn;
      GH_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
      while (true) {
        GH_ASSIGN_OR_RETURN(FilterValue v, ParseValue(name.text, type, /*allow_null=*/false));
        e->values.push_back(std::move(v));
        if (Peek().kind == TokenKind::kComma) {
          Take();
          continue;
        }
        GH_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
        break;
      }
    } else if (IsKnownUnsupportedOperator(op.text)) {
      return InvalidArgument("Invalid filter clause: the operator '" + op.text + "' at position " +
                                 std::to_string(op.pos) + " is not supported.",
                             "Request_UnsupportedQuery");
    } else {
      return SyntaxError(op.pos);
    }
    return FilterPtr(std::move(e));
  }

  // startswith(property, 'text'); any other function is reported as unsupported.
  StatusOr<FilterPtr> ParseFunction(const Token& fn) {
    if (!EqualsIgnoreCase(fn.text, "startswith")) {
      return InvalidArgument("Invalid filter clause: the function '" + fn.text + "' at position " +
                                 std::to_string(fn.pos) + " is not supported.",
                             "Request_UnsupportedQuery");
    }
    Take();  // '('
    if (Peek().kind != TokenKind::kIdent) return SyntaxError(Peek().pos);
    Token name = Take();
    GH_ASSIGN_OR_RETURN(PropertyType type, LookUp(name));
    if (type != PropertyType::kString) {
      return InvalidArgument("Invalid filter clause: startswith at position " + std::to_string(fn.pos) +
                                 " needs a string property, but '" + name.text + "' is of type " +
                                 std::string(TypeName(type)) + ".",
                             "BadRequest");
    }
    GH_RETURN_IF_ERROR(Expect(TokenKind::kComma));
    GH_ASSIGN_OR_RETURN(FilterValue v, ParseValue(name.text, type, /*allow_null=*/false));
    GH_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
    auto e = std::make_shared<FilterExpr>();
    e->op = FilterOp::kStartsWith;
    e->property = name.text;
    e->values.push_back(std::move(v));
    return FilterPtr(std::move(e));
  }

  StatusOr<PropertyType> LookUp(const Token& name) const {
    auto it = allowed_.find(name.text);
    if (it == allowed_.end()) {
      return InvalidArgument("Unsupported or invalid query filter clause specified for property '" +
                                 name.text + "' of resource '" + std::string(resource_) + "'.",
                             "Request_UnsupportedQuery");
    }
    return it->second;
  }

  // A literal, type-checked against the property it is compared with.
  StatusOr<FilterValue> ParseValue(const std::string& property, PropertyType type, bool allow_null) {
    const Token& t = Peek();
    FilterValue v;
    switch (t.kind) {
      case TokenKind::kString:
        v = t.text;
        break;
      case TokenKind::kInt:
        v = t.number;
        break;
      case TokenKind::kIdent:
        if (EqualsIgnoreCase(t.text, "true")) {
          v = true;
        } else if (EqualsIgnoreCase(t.text, "false")) {
          v = false;
        } else if (EqualsIgnoreCase(t.text, "null") && allow_null) {
          v = std::monostate();
        } else {
          return SyntaxError(t.pos);
        }
        break;
      default:
        return SyntaxError(t.pos);
    }
    const size_t pos = Take().pos;
    if (std::holds_alternative<std::monostate>(v)) return v;
    bool ok = false;
    switch (type) {
      case PropertyType::kString:
        ok = std::holds_alternative<std::string>(v);
        break;
      case PropertyType::kGuid:
        ok = std::holds_alternative<std::string>(v);
        break;
      case PropertyType::kBool:
        ok = std::holds_alternative<bool>(v);
        break;
      case PropertyType::kInt64:
        ok = std::holds_alternative<int64_t>(v);
        break;
    }
    if (!ok) {
      return InvalidArgument("Invalid filter clause: incompatible types at position " + std::to_string(pos) +
                                 ": property '" + property + "' is of type " + std::string(TypeName(type)) +
                                 " but the value is of type " + std::string(ValueTypeName(v)) + ".",
                             "BadRequest");
    }
    if (type == PropertyType::kGuid) {
      std::string& s = std::get<std::string>(v);
      if (!IsUuid(s)) {
        return InvalidArgument("Invalid filter clause: '" + s + "' at position " + std::to_string(pos) +
                                   " is not a valid identifier for property '" + property + "'.",
                               "BadRequest");
      }
      s = ToLower(s);  // ids are stored in lower-case canonical form
    }
    return v;
  }

  static bool IsKnownUnsupportedOperator(std::string_view op) {
    for (std::string_view o : {"lt", "le", "gt", "ge", "has", "add", "sub", "mul", "div", "mod"}) {
      if (EqualsIgnoreCase(op, o)) return true;
    }
    return false;
  }

  static FilterPtr Combine(FilterOp op, FilterPtr left, FilterPtr right) {
    auto e = std::make_shared<FilterExpr>();
    e->op = op;
    e->children.push_back(std::move(left));
    e->children.push_back(std::move(right));
    return e;
  }

  std::string_view text_;
  const PropertySet& allowed_;
  std::string_view resource_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
};

}  // namespace

StatusOr<FilterPtr> ParseFilter(std::string_view text, const PropertySet& allowed,
                                std::string_view resource_name) {
  if (text.size() > kMaxFilterLength) {
    return InvalidArgument("Invalid filter clause: the filter is longer than " +
                               std::to_string(kMaxFilterLength) + " characters.",
                           "BadRequest");
  }
  return FilterParser(text, allowed, resource_name).Parse();
}

StatusOr<std::vector<std::string>> ParseSelect(std::string_view text, const PropertySet& allowed,
                                               std::string_view resource_name) {
  std::vector<std::string> out;
  std::set<std::string, std::less<>> seen;
  std::string_view rest = text;
  while (true) {
    size_t comma = rest.find(',');
    std::string_view item = TrimView(rest.substr(0, comma), " \t");
    if (item.empty()) {
      return InvalidArgument("Parsing OData Select and Expand failed: Term '" + std::string(text) +
                                 "' is not valid in a $select or $expand expression.",
                             "BadRequest");
    }
    const std::string* canonical = nullptr;
    for (const auto& [name, type] : allowed) {
      if (EqualsIgnoreCase(name, item)) canonical = &name;
    }
    if (canonical == nullptr) {
      return InvalidArgument("Parsing OData Select and Expand failed: Could not find a property named '" +
                                 std::string(item) + "' on type 'microsoft.graph." +
                                 std::string(resource_name) + "'.",
                             "BadRequest");
    }
    if (seen.insert(*canonical).second) out.push_back(*canonical);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return out;
}

StatusOr<int> ParseTop(std::string_view text) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < 1 || value > 999) {
    return InvalidArgument(
        "Invalid page size specified: '" + std::string(text) + "'. Must be between 1 and 999 inclusive.",
        "Request_BadRequest");
  }
  return value;
}

StatusOr<bool> ParseCount(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return InvalidArgument(
      "Invalid value '" + std::string(text) + "' for query option '$count': expected true or false.",
      "Request_BadRequest");
}

Status CheckQueryOptions(const Request& req, std::initializer_list<std::string_view> supported) {
  std::set<std::string, std::less<>> seen;
  for (const auto& [name, value] : req.query) {
    if (name.empty() || name[0] != '$') continue;
    bool ok = false;
    for (std::string_view s : supported) ok = ok || s == name;
    if (!ok) return InvalidArgument("Query option '" + name + "' is not supported.", "Request_BadRequest");
    if (!seen.insert(name).second) {
      return InvalidArgument(
          "Query option '" + name + "' was specified more than once, but it must be specified at most once.",
          "Request_BadRequest");
    }
  }
  return OkStatus();
}

}  // namespace gh::http
