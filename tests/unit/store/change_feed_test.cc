// The change feed on SQLite and PostgreSQL: every write that can change a
// decision or a cached read records what it changed in its own transaction,
// in commit order; a rolled-back write records nothing, and reads (sign-in
// state) record nothing. ChangeFeed hands the entries to subscribers in
// order — this node's commits before the write returns, another node's (a
// second Store on the same database) through LISTEN/NOTIFY or the poll.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <set>
#include <mutex>
#include <thread>

#include "store/change_feed.h"
#include "store/licensing_repository.h"
#include "store/signin_repository.h"
#include "unit/store/store_test_util.h"

namespace gh::store::testing {
namespace {

class ChangeFeedTest : public StoreTest {
 protected:
  int64_t Last() {
    auto tx = Read();
    auto last = tx->LastChangeSeq();
    EXPECT_TRUE(last.ok());
    return last.ok() ? *last : -1;
  }
  std::vector<Change> Since(int64_t after, const std::string& tenant) {
    auto tx = Read();
    auto all = tx->ReadChanges(after, 10'000);
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    std::vector<Change> out;
    for (auto& c : *all)
      if (c.tenant_id == tenant) out.push_back(std::move(c));
    return out;
  }
};

// Records each batch it is given.
class Recorder : public ChangeFeed::Subscriber {
 public:
  void Apply(const std::vector<Change>& batch) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& c : batch) seqs_.push_back(c.seq), ids_.insert(c.ids.begin(), c.ids.end());
  }
  void Reset() override { ++resets; }
  bool Saw(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_.contains(id);
  }
  std::vector<int64_t> Seqs() {
    std::lock_guard<std::mutex> lock(mu_);
    return seqs_;
  }
  std::atomic<int> resets{0};

 private:
  std::mutex mu_;
  std::vector<int64_t> seqs_;
  std::set<std::string> ids_;
};

TEST_P(ChangeFeedTest, AWriteRecordsWhatItChangedInCommitOrder) {
  const std::string tenant = NewTenant();
  const int64_t start = Last();
  auto alice = MakeUser(tenant, "alice@x.test"), bob = MakeUser(tenant, "bob@x.test");
  auto group = MakeGroup(tenant, "sales");
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->InsertUser(alice));
    GH_ASSERT_OK(tx->InsertUser(bob));
    GH_ASSERT_OK(tx->InsertGroup(group));
    GH_ASSERT_OK(tx->Commit());
  }
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->AddMember(tenant, {group.id, bob.id, directory::MemberKind::kUser}));
    GH_ASSERT_OK(tx->Commit());
  }
  auto changes = Since(start, tenant);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_TRUE(std::is_sorted(changes.begin(), changes.end(), [](auto& a, auto& b) { return a.seq < b.seq; }));
  // One entry per kind and transaction, each id once.
  EXPECT_EQ(changes[0].kind == ChangeKind::kUser ? changes[0].ids : changes[1].ids,
            (std::vector<std::string>{std::min(alice.id, bob.id), std::max(alice.id, bob.id)}));
  EXPECT_EQ(changes[2].kind, ChangeKind::kMembership);
  EXPECT_EQ(changes[2].ids, std::vector<std::string>{bob.id});
  EXPECT_GT(changes[2].at, 0);
}

TEST_P(ChangeFeedTest, ARolledBackWriteAndSignInStateRecordNothing) {
  const std::string tenant = NewTenant();
  const int64_t start = Last();
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->InsertUser(MakeUser(tenant, "gone@x.test")));
    // destroyed without Commit: rolled back
  }
  {
    auto tx = Write();
    ThrottleRow t;
    t.key = "change-feed-test:" + NewId();
    t.expires_at = std::numeric_limits<int64_t>::max();  // not for the purge tests sharing this database
    GH_ASSERT_OK(tx->Signin().PutThrottle(t));
    GH_ASSERT_OK(tx->Commit());
  }
  EXPECT_TRUE(Since(start, tenant).empty());
}

TEST_P(ChangeFeedTest, LicencesRolesAndDocumentsAreRecorded) {
  const std::string tenant = NewTenant();
  auto user = MakeUser(tenant, "lic@x.test");
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->InsertUser(user));
    GH_ASSERT_OK(tx->Commit());
  }
  SkuRow sku;
  sku.tenant_id = tenant;
  sku.sku_id = NewId();
  sku.sku_part_number = "POWERAPPS_PER_USER";
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->Licensing().InsertSku(sku));
    GH_ASSERT_OK(tx->Commit());
  }
  const int64_t start = Last();
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->Licensing().UpsertAssignment({tenant, user.id, "user", sku.sku_id, {}, 1}));
    directory::RoleAssignment a{NewId(), tenant, "62e90394-69f5-4237-9190-012177145e10", user.id, "/", 1};
    GH_ASSERT_OK(tx->InsertRoleAssignment(a));
    GH_ASSERT_OK(tx->PutDocument(tenant, "policies", "{}", 1));
    GH_ASSERT_OK(tx->Commit());
    auto del = Write();
    GH_ASSERT_OK(del->DeleteRoleAssignment(tenant, a.id));  // the principal is found by the delete itself
    GH_ASSERT_OK(del->Commit());
  }
  std::map<ChangeKind, std::vector<std::string>> seen;
  for (const auto& c : Since(start, tenant)) {
    auto& ids = seen[c.kind];
    ids.insert(ids.end(), c.ids.begin(), c.ids.end());
  }
  EXPECT_EQ(seen[ChangeKind::kLicence], std::vector<std::string>{user.id});
  EXPECT_EQ(seen[ChangeKind::kDirectoryRole], (std::vector<std::string>{user.id, user.id}));
  EXPECT_EQ(seen[ChangeKind::kDocument], std::vector<std::string>{"policies"});
}

TEST_P(ChangeFeedTest, ABulkLoadIsOneEntryForEveryone) {
  const std::string tenant = NewTenant();
  const int64_t start = Last();
  std::vector<directory::User> many;
  for (size_t i = 0; i <= kMaxChangeIds; ++i) many.push_back(MakeUser(tenant, "u" + std::to_string(i) + "@x.test"));
  auto tx = Write();
  GH_ASSERT_OK(tx->InsertUsers(many));
  GH_ASSERT_OK(tx->Commit());
  auto changes = Since(start, tenant);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(changes[0].all);
  EXPECT_TRUE(changes[0].ids.empty());
}

TEST_P(ChangeFeedTest, ThisNodesWriteIsAppliedBeforeItReturns) {
  ChangeFeed feed(*store_);
  Recorder recorder;
  feed.Subscribe(&recorder);
  GH_ASSERT_OK(feed.Start());
  store_->SetCommitListener(feed.Listener());
  const std::string tenant = NewTenant();
  auto user = MakeUser(tenant, "now@x.test");
  auto tx = Write();
  GH_ASSERT_OK(tx->InsertUser(user));
  GH_ASSERT_OK(tx->Commit());
  EXPECT_TRUE(recorder.Saw(user.id));
  EXPECT_EQ(feed.applied(), Last());
  store_->SetCommitListener(nullptr);
  feed.Stop();
}

TEST_P(ChangeFeedTest, AnotherNodesWriteArrivesInOrderWithinASecond) {
  // A second store on the same database is another node.
  auto other = OpenStore(url_, 2);
  GH_ASSERT_OK(other);
  ChangeFeed feed(**other, {.poll_interval = std::chrono::milliseconds(GetParam() == "sqlite" ? 100 : 5000)});
  Recorder recorder;
  feed.Subscribe(&recorder);
  GH_ASSERT_OK(feed.Start());
  const std::string tenant = NewTenant();
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    auto user = MakeUser(tenant, "n" + std::to_string(i) + "@x.test");
    auto tx = Write();
    GH_ASSERT_OK(tx->InsertUser(user));
    GH_ASSERT_OK(tx->Commit());
    ids.push_back(user.id);
  }
  // PostgreSQL: the NOTIFY wakes the other node long before its 5 s poll.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!recorder.Saw(ids.back()) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  for (const auto& id : ids) EXPECT_TRUE(recorder.Saw(id)) << id;
  auto seqs = recorder.Seqs();
  EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
  EXPECT_EQ(std::adjacent_find(seqs.begin(), seqs.end()), seqs.end()) << "each entry once";
  feed.Stop();
}

TEST_P(ChangeFeedTest, ConcurrentWritersNeverCommitASmallerNumberLater) {
  // Eight writers on their own connections; a reader that keeps its position
  // must end up with every entry (none committed behind its back).
  const std::string tenant = NewTenant();
  const int64_t start = Last();
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w)
    writers.emplace_back([&, w] {
      for (int i = 0; i < 10; ++i) {
        auto tx = store_->Begin(TxMode::kWrite);
        if (!tx.ok()) continue;  // SQLite busy: the count below tolerates it
        (void)(*tx)->InsertUser(MakeUser(tenant, "w" + std::to_string(w) + "-" + std::to_string(i) + "@x.test"));
        (void)(*tx)->Commit();
      }
    });
  int64_t position = start;
  std::vector<int64_t> seen;
  auto read_on = [&] {
    auto tx = Read();
    auto batch = tx->ReadChanges(position, 1000);
    ASSERT_TRUE(batch.ok());
    for (const auto& c : *batch) {
      EXPECT_GT(c.seq, position);
      position = c.seq;
      if (c.tenant_id == tenant) seen.push_back(c.seq);
    }
  };
  for (int i = 0; i < 50; ++i) read_on();
  for (auto& t : writers) t.join();
  read_on();
  EXPECT_EQ(seen, [&] {
    std::vector<int64_t> all;
    for (const auto& c : Since(start, tenant)) all.push_back(c.seq);
    return all;
  }());
}

TEST_P(ChangeFeedTest, PurgeKeepsTheNewestEntry) {
  NewTenant();
  auto tx = Write();
  auto purged = tx->PurgeChanges(std::numeric_limits<int64_t>::max());
  GH_ASSERT_OK(purged);
  GH_ASSERT_OK(tx->Commit());
  auto rtx = Read();
  EXPECT_EQ(*rtx->FirstChangeSeq(), *rtx->LastChangeSeq());
}

INSTANTIATE_TEST_SUITE_P(Backends, ChangeFeedTest, ::testing::Values("sqlite", "postgres"), BackendName);

}  // namespace
}  // namespace gh::store::testing
