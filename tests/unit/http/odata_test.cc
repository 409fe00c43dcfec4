#include "http/odata.h"

#include <gtest/gtest.h>

namespace gh::http {
namespace {


const PropertySet& UserProps() {
  static const PropertySet kProps = {
      {"displayName", PropertyType::kString},
      {"mail", PropertyType::kString},
      {"userType", PropertyType::kString},
      {"accountEnabled", PropertyType::kBool},
      {"id", PropertyType::kGuid},
      {"age", PropertyType::kInt64},
  };
  return kProps;
}

// A compact rendering of the AST so tests can assert shape and precedence.
std::string Show(const FilterValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return "null";
  if (const bool* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (const int64_t* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  return "'" + std::get<std::string>(v) + "'";
}
std::string Show(const FilterPtr& e) {
  switch (e->op) {
    case FilterOp::kEq:
      return e->property + "==" + Show(e->values[0]);
    case FilterOp::kNe:
      return e->property + "!=" + Show(e->values[0]);
    case FilterOp::kStartsWith:
      return "sw(" + e->property + "," + Show(e->values[0]) + ")";
    case FilterOp::kIn: {
      std::string s = e->property + " in[";
      for (size_t i = 0; i < e->values.size(); ++i) s += (i ? "," : "") + Show(e->values[i]);
      return s + "]";
    }
    case FilterOp::kAnd:
      return "(" + Show(e->children[0]) + " AND " + Show(e->children[1]) + ")";
    case FilterOp::kOr:
      return "(" + Show(e->children[0]) + " OR " + Show(e->children[1]) + ")";
    case FilterOp::kNot:
      return "!" + Show(e->children[0]);
  }
  return "?";
}

std::string Parse(std::string_view text) {
  auto r = ParseFilter(text, UserProps(), "User");
  if (!r.ok()) return "ERR " + r.status().reason() + ": " + r.status().message();
  return Show(*r);
}

TEST(ODataFilterTest, Comparisons) {
  EXPECT_EQ(Parse("displayName eq 'Alice'"), "displayName=='Alice'");
  EXPECT_EQ(Parse("userType ne 'Guest'"), "userType!='Guest'");
  EXPECT_EQ(Parse("accountEnabled eq true"), "accountEnabled==true");
  EXPECT_EQ(Parse("accountEnabled EQ FALSE"), "accountEnabled==false");
  EXPECT_EQ(Parse("mail eq null"), "mail==null");
  EXPECT_EQ(Parse("age eq -42"), "age==-42");
  EXPECT_EQ(Parse("id eq 'D5F2A1B3-0000-4000-8000-00000000000A'"),
            "id=='d5f2a1b3-0000-4000-8000-00000000000a'");
}

TEST(ODataFilterTest, StartsWithAndIn) {
  EXPECT_EQ(Parse("startswith(displayName,'Al')"), "sw(displayName,'Al')");
  EXPECT_EQ(Parse("StartsWith( mail , 'a@' )"), "sw(mail,'a@')");
  EXPECT_EQ(Parse("userType in ('Guest','Member')"), "userType in['Guest','Member']");
  EXPECT_EQ(Parse("userType in ('Guest')"), "userType in['Guest']");
}

TEST(ODataFilterTest, QuotesAreEscapedByDoubling) {
  EXPECT_EQ(Parse("displayName eq 'O''Brien'"), "displayName=='O'Brien'");
  auto one_quote = ParseFilter("displayName eq ''''", UserProps(), "User");
  ASSERT_TRUE(one_quote.ok());
  EXPECT_EQ(std::get<std::string>((*one_quote)->values[0]), "'");
  EXPECT_EQ(Parse("displayName eq ''"), "displayName==''");
}

TEST(ODataFilterTest, PrecedenceOrAndNot) {
  EXPECT_EQ(Parse("mail eq 'a' or mail eq 'b' and userType eq 'Guest'"),
            "(mail=='a' OR (mail=='b' AND userType=='Guest'))");
  EXPECT_EQ(Parse("(mail eq 'a' or mail eq 'b') and userType eq 'Guest'"),
            "((mail=='a' OR mail=='b') AND userType=='Guest')");
  EXPECT_EQ(Parse("not accountEnabled eq true and mail eq 'x'"), "(!accountEnabled==true AND mail=='x')");
  EXPECT_EQ(Parse("NOT (mail eq 'a' OR mail eq 'b')"), "!(mail=='a' OR mail=='b')");
  EXPECT_EQ(Parse("mail eq 'a' and mail eq 'b' and mail eq 'c'"),
            "((mail=='a' AND mail=='b') AND mail=='c')");
}

TEST(ODataFilterTest, SyntaxErrorsSayWhere) {
  EXPECT_EQ(Parse("displayName eq"),
            "ERR BadRequest: Invalid filter clause: syntax error at position 14 in 'displayName eq'.");
  EXPECT_EQ(Parse(""), "ERR BadRequest: Invalid filter clause: syntax error at position 0 in ''.");
  EXPECT_EQ(Parse("(mail eq 'a'"),
            "ERR BadRequest: Invalid filter clause: syntax error at position 12 in '(mail eq 'a''.");
  EXPECT_EQ(Parse("mail eq 'a' mail"),
            "ERR BadRequest: Invalid filter clause: syntax error at position 12 in 'mail eq 'a' mail'.");
  EXPECT_EQ(
      Parse("mail eq 'abc"),
      "ERR BadRequest: Invalid filter clause: unterminated string literal at position 8 in 'mail eq 'abc'.");
  EXPECT_EQ(Parse("mail in ()").substr(0, 15), "ERR BadRequest:");
  EXPECT_EQ(Parse("mail in ('a',)").substr(0, 15), "ERR BadRequest:");
  EXPECT_EQ(Parse("mail eq 'a' and").substr(0, 15), "ERR BadRequest:");
  EXPECT_EQ(Parse("mail eq 'a' ; drop").substr(0, 15), "ERR BadRequest:");
  EXPECT_EQ(Parse("mail in ('a', null)").substr(0, 15), "ERR BadRequest:");
}

TEST(ODataFilterTest, TypeErrors) {
  EXPECT_EQ(Parse("accountEnabled eq 'true'"),
            "ERR BadRequest: Invalid filter clause: incompatible types at position 18: property "
            "'accountEnabled' is "
            "of type Edm.Boolean but the value is of type Edm.String.");
  EXPECT_EQ(Parse("displayName eq 5").substr(0, 57),
            "ERR BadRequest: Invalid filter clause: incompatible types");
  EXPECT_EQ(Parse("startswith(accountEnabled,'t')").substr(0, 52),
            "ERR BadRequest: Invalid filter clause: startswith at");
  EXPECT_EQ(Parse("id eq 'not-a-guid'").substr(0, 15), "ERR BadRequest:");
  EXPECT_EQ(Parse("accountEnabled in ('x')").substr(0, 15), "ERR BadRequest:");
}

TEST(ODataFilterTest, UnknownPropertyIsUnsupportedQuery) {
  EXPECT_EQ(Parse("jobTitle eq 'x'"),
            "ERR Request_UnsupportedQuery: Unsupported or invalid query filter clause specified for property "
            "'jobTitle' of resource 'User'.");
  EXPECT_EQ(Parse("DisplayName eq 'x'").substr(0, 30), "ERR Request_UnsupportedQuery: ");  // case-sensitive
  EXPECT_EQ(Parse("startswith(jobTitle,'x')").substr(0, 30), "ERR Request_UnsupportedQuery: ");
  EXPECT_EQ(Parse("contains(mail,'x')").substr(0, 30), "ERR Request_UnsupportedQuery: ");
  EXPECT_EQ(Parse("age gt 3").substr(0, 30), "ERR Request_UnsupportedQuery: ");
}

TEST(ODataFilterTest, LimitsSizeAndDepth) {
  std::string deep(40, '(');
  deep += "mail eq 'a'" + std::string(40, ')');
  EXPECT_NE(Parse(deep).find("nested more than 32 levels"), std::string::npos);
  std::string ok(30, '(');
  ok += "mail eq 'a'" + std::string(30, ')');
  EXPECT_EQ(Parse(ok), "mail=='a'");
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += "not ";
  EXPECT_NE(Parse(nots).find("longer than 4096"), std::string::npos);
  std::string many_nots;
  for (int i = 0; i < 1000; ++i) many_nots += "not ";
  EXPECT_NE(Parse(many_nots + "mail eq 'a'").find("nested more than"), std::string::npos);
  std::string huge(100000, '(');
  EXPECT_EQ(Parse(huge).substr(0, 15), "ERR BadRequest:");
}

// A chain of `and`/`or` nests one operator per level without a parenthesis:
// the tree's depth is bounded too, for the store that translates it.
TEST(ODataFilterTest, LimitsTheDepthOfTheParsedTree) {
  auto chain = [](int clauses, const char* op) {
    std::string f = "mail eq 'a'";
    for (int i = 1; i < clauses; ++i) f += std::string(" ") + op + " mail eq 'a'";
    return f;
  };
  EXPECT_EQ(Parse(chain(65, "or")).substr(0, 4), "(((("); // 64 operators
  EXPECT_NE(Parse(chain(66, "or")).find("more than 64 and/or/not operators"), std::string::npos);
  EXPECT_EQ(Parse(chain(66, "and")).substr(0, 15), "ERR BadRequest:");
  EXPECT_EQ(Parse("(" + chain(40, "and") + ") or (" + chain(40, "and") + ")").substr(0, 4), "((((");
  EXPECT_EQ(Parse("not (" + chain(65, "and") + ")").substr(0, 15), "ERR BadRequest:");
}

TEST(ODataSelectTest, ParsesAndCanonicalises) {
  auto r = ParseSelect("displayName, MAIL,id,displayName", UserProps(), "user");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<std::string>{"displayName", "mail", "id"}));
  auto bad = ParseSelect("displayName,jobTitle", UserProps(), "user");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().reason(), "BadRequest");
  EXPECT_EQ(bad.status().message(),
            "Parsing OData Select and Expand failed: Could not find a property named 'jobTitle' on type "
            "'microsoft.graph.user'.");
  EXPECT_FALSE(ParseSelect("a,,b", UserProps(), "user").ok());
  EXPECT_FALSE(ParseSelect("", UserProps(), "user").ok());
}

TEST(ODataTopTest, Range) {
  EXPECT_EQ(*ParseTop("1"), 1);
  EXPECT_EQ(*ParseTop("999"), 999);
  for (const char* bad : {"0", "1000", "-1", "abc", "", "5x", " 5", "99999999999"}) {
    auto r = ParseTop(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().reason(), "Request_BadRequest");
  }
  EXPECT_EQ(ParseTop("1000").status().message(),
            "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
}

TEST(ODataCountTest, TrueFalse) {
  EXPECT_TRUE(*ParseCount("true"));
  EXPECT_FALSE(*ParseCount("false"));
  EXPECT_FALSE(ParseCount("yes").ok());
}

TEST(ODataQueryOptionsTest, RejectsUnsupportedAndDuplicates) {
  Request r;
  r.target = "/v1.0/users?$filter=x&$top=5&api-version=1";
  ASSERT_TRUE(r.ParseTarget());
  EXPECT_TRUE(CheckQueryOptions(r, {"$filter", "$top"}).ok());
  Status s = CheckQueryOptions(r, {"$filter"});
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.reason(), "Request_BadRequest");
  EXPECT_EQ(s.message(), "Query option '$top' is not supported.");
  r.target = "/v1.0/users?$top=1&$top=2";
  ASSERT_TRUE(r.ParseTarget());
  EXPECT_FALSE(CheckQueryOptions(r, {"$top"}).ok());
}

}  // namespace
}  // namespace gh::http
