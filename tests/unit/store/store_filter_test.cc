// $filter translation (store/filter_sql.h) against every backend: the same
// filter must select the same rows on SQLite and PostgreSQL.
#include <algorithm>

#include "unit/store/store_test_util.h"

namespace gh::store::testing {
namespace {


FilterPtr Cmp(FilterOp op, std::string property, std::vector<FilterValue> values) {
  return std::make_shared<FilterExpr>(FilterExpr{op, std::move(property), std::move(values), {}});
}
FilterPtr Eq(std::string p, FilterValue v) { return Cmp(FilterOp::kEq, std::move(p), {std::move(v)}); }
FilterPtr Ne(std::string p, FilterValue v) { return Cmp(FilterOp::kNe, std::move(p), {std::move(v)}); }
FilterPtr StartsWith(std::string p, std::string v) { return Cmp(FilterOp::kStartsWith, std::move(p), {std::move(v)}); }
FilterPtr In(std::string p, std::vector<FilterValue> v) { return Cmp(FilterOp::kIn, std::move(p), std::move(v)); }
FilterPtr And(FilterPtr a, FilterPtr b) { return std::make_shared<FilterExpr>(FilterExpr{FilterOp::kAnd, {}, {}, {a, b}}); }
FilterPtr Or(FilterPtr a, FilterPtr b) { return std::make_shared<FilterExpr>(FilterExpr{FilterOp::kOr, {}, {}, {a, b}}); }
FilterPtr Not(FilterPtr a) { return std::make_shared<FilterExpr>(FilterExpr{FilterOp::kNot, {}, {}, {a}}); }
FilterValue S(std::string s) { return s; }
const FilterValue kNull = std::monostate{};

class StoreFilterTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    tenant_ = NewTenant();
    auto tx = Write();
    auto add = [&](std::string upn, std::optional<std::string> mail, std::optional<std::string> given, bool enabled,
                   directory::UserType type) {
      directory::User u = MakeUser(tenant_, upn);
      u.display_name = upn.substr(0, upn.find('@'));
      u.mail = mail;
      u.given_name = given;
      u.account_enabled = enabled;
      u.user_type = type;
      ASSERT_TRUE(tx->InsertUser(u).ok());
    };
    using directory::UserType;
    add("alice@contoso.com", "Alice@Contoso.com", "Alice", true, UserType::kMember);
    add("bob@contoso.com", std::nullopt, "Bob", true, UserType::kGuest);
    add("100%_off@contoso.com", "sale@contoso.com", std::nullopt, false, UserType::kMember);
    add("1000_offers@contoso.com", std::nullopt, "O'Brien", true, UserType::kGuest);
    add("back\\slash@contoso.com", std::nullopt, "Back", false, UserType::kMember);
    ASSERT_TRUE(tx->Commit().ok());
  }

  // The display names (the UPN's local part) of the users `f` selects, sorted.
  std::vector<std::string> Users(FilterPtr f) {
    auto page = Read()->ListUsers({.tenant_id = tenant_, .filter = f, .top = 100, .count = true});
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) return {};
    std::vector<std::string> names;
    for (const auto& u : page->items) names.push_back(u.display_name);
    std::sort(names.begin(), names.end());
    EXPECT_EQ(page->count, static_cast<int64_t>(names.size()));
    return names;
  }
  Status Error(FilterPtr f) { return Read()->ListUsers({.tenant_id = tenant_, .filter = f}).status(); }

  using Names = std::vector<std::string>;
  std::string tenant_;
};

TEST_P(StoreFilterTest, EqIsCaseInsensitive) {
  EXPECT_EQ(Users(Eq("userPrincipalName", S("ALICE@contoso.com"))), Names{"alice"});
  EXPECT_EQ(Users(Eq("mail", S("alice@CONTOSO.COM"))), Names{"alice"});
  EXPECT_EQ(Users(Eq("givenName", S("bob"))), Names{"bob"});
  EXPECT_EQ(Users(Eq("displayName", S("BOB"))), Names{"bob"});
  EXPECT_EQ(Users(Eq("userType", S("guest"))), (Names{"1000_offers", "bob"}));
  // Property names are matched case-insensitively as in Graph.
  EXPECT_EQ(Users(Eq("GivenName", S("Bob"))), Names{"bob"});
}

TEST_P(StoreFilterTest, NullComparisons) {
  EXPECT_EQ(Users(Eq("mail", kNull)), (Names{"1000_offers", "back\\slash", "bob"}));
  EXPECT_EQ(Users(Ne("mail", kNull)), (Names{"100%_off", "alice"}));
  EXPECT_EQ(Users(Eq("givenName", kNull)), Names{"100%_off"});
}

TEST_P(StoreFilterTest, NeIncludesRowsWhereThePropertyIsNull) {
  // Two-valued: `ne` is exactly `not eq`, so rows without a mail are included.
  Names want{"100%_off", "1000_offers", "back\\slash", "bob"};
  EXPECT_EQ(Users(Ne("mail", S("ALICE@contoso.com"))), want);
  EXPECT_EQ(Users(Not(Eq("mail", S("alice@contoso.com")))), want);
  EXPECT_EQ(Users(Ne("givenName", S("bob"))), (Names{"100%_off", "1000_offers", "alice", "back\\slash"}));
}

TEST_P(StoreFilterTest, StartsWithEscapesWildcardsAndQuotes) {
  EXPECT_EQ(Users(StartsWith("userPrincipalName", "ALI")), Names{"alice"});
  EXPECT_EQ(Users(StartsWith("displayName", "100%")), Names{"100%_off"});   // % is literal
  EXPECT_EQ(Users(StartsWith("displayName", "100_")), Names{});             // _ is literal
  EXPECT_EQ(Users(StartsWith("displayName", "1000_")), Names{"1000_offers"});
  EXPECT_EQ(Users(StartsWith("displayName", "10")), (Names{"100%_off", "1000_offers"}));
  EXPECT_EQ(Users(StartsWith("displayName", "back\\")), Names{"back\\slash"});
  EXPECT_EQ(Users(StartsWith("givenName", "o'b")), Names{"1000_offers"});
  EXPECT_EQ(Users(Eq("givenName", S("O'Brien"))), Names{"1000_offers"});
  EXPECT_EQ(Users(StartsWith("mail", "")), (Names{"100%_off", "alice"}));  // never null
}

TEST_P(StoreFilterTest, InWithAndWithoutNull) {
  EXPECT_EQ(Users(In("givenName", {S("ALICE"), S("bob"), S("nobody")})), (Names{"alice", "bob"}));
  EXPECT_EQ(Users(In("givenName", {S("alice"), kNull})), (Names{"100%_off", "alice"}));
  EXPECT_EQ(Users(In("givenName", {})), Names{});
}

TEST_P(StoreFilterTest, BooleansAndLogic) {
  EXPECT_EQ(Users(Eq("accountEnabled", false)), (Names{"100%_off", "back\\slash"}));
  EXPECT_EQ(Users(Ne("accountEnabled", false)), (Names{"1000_offers", "alice", "bob"}));
  EXPECT_EQ(Users(And(Eq("accountEnabled", true), Eq("userType", S("Guest")))), (Names{"1000_offers", "bob"}));
  EXPECT_EQ(Users(Or(Eq("givenName", S("alice")), Eq("accountEnabled", false))),
            (Names{"100%_off", "alice", "back\\slash"}));
  // Precedence comes from the tree: a and (b or c) vs (a and b) or c.
  auto a = Eq("userType", S("Member")), b = Eq("accountEnabled", false), c = Eq("givenName", S("Bob"));
  EXPECT_EQ(Users(And(a, Or(b, c))), (Names{"100%_off", "back\\slash"}));
  EXPECT_EQ(Users(Or(And(a, b), c)), (Names{"100%_off", "back\\slash", "bob"}));
  EXPECT_EQ(Users(Not(Or(a, c))), Names{"1000_offers"});
}

// Which properties may be filtered, and Graph's errors for the rest, are the
// API's (http::ParseFilter over api/graph's UserFilterable/GroupFilterable);
// a filter the store can't translate is a caller's bug: Internal, no Graph
// wording, and the transaction stays usable.
TEST_P(StoreFilterTest, UnknownPropertyIsAnInternalError) {
  Status st = Error(Eq("jobTitle", S("x")));
  EXPECT_EQ(st.code(), Code::kInternal);
  EXPECT_EQ(st.reason(), "");
  // Nested inside logic too, and for groups.
  EXPECT_EQ(Error(And(Eq("mail", kNull), Not(Eq("passwordHash", S("x"))))).code(), Code::kInternal);
  auto tx = Read();
  EXPECT_EQ(tx->ListGroups({.tenant_id = tenant_, .filter = Eq("description", S("x"))}).status().code(),
            Code::kInternal);
  EXPECT_TRUE(tx->ListGroups({.tenant_id = tenant_}).ok());
}

TEST_P(StoreFilterTest, TypeMismatchIsAnInternalError) {
  for (FilterPtr f : {Eq("accountEnabled", S("true")), Eq("displayName", true), Eq("displayName", int64_t{3}),
                      StartsWith("accountEnabled", "t"), In("accountEnabled", {S("x")})}) {
    EXPECT_EQ(Error(f).code(), Code::kInternal);
  }
}

TEST_P(StoreFilterTest, GroupFilters) {
  auto tx = Write();
  directory::Group sec = MakeGroup(tenant_, "Security Team");
  directory::Group m365 = MakeGroup(tenant_, "All Company");
  m365.mail = "AllCompany@contoso.com";
  m365.mail_enabled = true;
  m365.security_enabled = false;
  m365.group_types = {"Unified"};
  GH_ASSERT_OK(tx->InsertGroup(sec));
  GH_ASSERT_OK(tx->InsertGroup(m365));
  GH_ASSERT_OK(tx->Commit());
  auto names = [&](FilterPtr f) {
    std::vector<std::string> out;
    auto page = Read()->ListGroups({.tenant_id = tenant_, .filter = f});
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (page.ok())
      for (auto& g : page->items) out.push_back(g.display_name);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(names(Eq("securityEnabled", true)), Names{"Security Team"});
  EXPECT_EQ(names(Eq("mail", S("allcompany@CONTOSO.com"))), Names{"All Company"});
  EXPECT_EQ(names(StartsWith("mailNickname", "secu")), Names{"Security Team"});
  EXPECT_EQ(names(Eq("id", S(sec.id))), Names{"Security Team"});
  EXPECT_EQ(names(And(Eq("mailEnabled", true), Eq("securityEnabled", false))), Names{"All Company"});
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreFilterTest, ::testing::Values("sqlite", "postgres"), BackendName);

}  // namespace
}  // namespace gh::store::testing
