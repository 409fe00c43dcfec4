// The bounded Argon2id pool (security review #10/#12, issue 17: "Argon2 on its
// own bounded pool so sign-in floods can't starve the API"). No timing is
// asserted: the pool is held full by work that waits on a promise.
#include "identity/password_pool.h"

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <thread>

#include "identity/secrets.h"

namespace gh::identity {
namespace {

using Caller = PasswordPool::Caller;

// Occupies one place in `pool` until release() is called.
class Holder {
 public:
  Holder(PasswordPool& pool, Caller caller) {
    thread_ = std::thread([this, &pool, caller] {
      status_ = pool.Run(caller, [this] {
        entered_.set_value();
        release_.get_future().wait();
      });
      if (!status_.ok()) entered_.set_value();
    });
    entered_.get_future().wait();
  }
  ~Holder() {
    release();
    thread_.join();
  }
  void release() {
    if (!released_) release_.set_value();
    released_ = true;
  }
  const Status& status() const { return status_; }

 private:
  std::promise<void> entered_;
  std::promise<void> release_;
  bool released_ = false;
  Status status_;
  std::thread thread_;
};

TEST(PasswordPool, HashesAndVerifiesLikeTheLibrary) {
  PasswordPool pool({1, 1, 1000});
  SeededRandom random(5);
  auto hash = pool.Hash("correct horse battery staple", random, Caller::kPublic);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  auto good = pool.Verify("correct horse battery staple", *hash, Caller::kPublic);
  auto bad = pool.Verify("correct horse battery stapler", *hash, Caller::kAuthenticated);
  ASSERT_TRUE(good.ok() && bad.ok());
  EXPECT_TRUE(*good);
  EXPECT_FALSE(*bad);
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *hash));
  EXPECT_EQ(pool.completed(), 3);
}

TEST(PasswordPool, AnonymousCallersBeyondTheirShareAreRefusedAtOnce) {
  // Two HTTP workers: anonymous password work may hold one of them, never both.
  PasswordPool pool({/*slots=*/2, /*public_in_flight=*/1, /*max_wait_ms=*/60'000});
  Holder first(pool, Caller::kPublic);
  ASSERT_TRUE(first.status().ok());
  bool ran = false;
  Status second = pool.Run(Caller::kPublic, [&] { ran = true; });
  EXPECT_EQ(second.code(), Code::kResourceExhausted);
  EXPECT_EQ(second.reason(), "TooManyRequests");
  EXPECT_FALSE(ran) << "refused work never runs";
  // An administrator's password change still gets the free slot.
  EXPECT_TRUE(pool.Run(Caller::kAuthenticated, [&] { ran = true; }).ok());
  EXPECT_TRUE(ran);
  first.release();
}

TEST(PasswordPool, ACallerThatCantGetASlotInTimeIsRefused) {
  PasswordPool pool({/*slots=*/1, /*public_in_flight=*/2, /*max_wait_ms=*/0, /*authenticated_max_wait_ms=*/0});
  Holder admin(pool, Caller::kAuthenticated);
  ASSERT_TRUE(admin.status().ok());
  EXPECT_EQ(pool.Run(Caller::kPublic, [] {}).code(), Code::kResourceExhausted);
  EXPECT_EQ(pool.Run(Caller::kAuthenticated, [] {}).code(), Code::kResourceExhausted);
  SeededRandom random(1);
  EXPECT_EQ(pool.Hash("Str0ng-Passw0rd!", random, Caller::kPublic).status().code(), Code::kResourceExhausted);
  EXPECT_EQ(pool.Verify("x", "$argon2id$", Caller::kPublic).status().code(), Code::kResourceExhausted);
  admin.release();
}

// An administrator creating users in a burst queues for a slot rather than
// failing as soon as a public caller would.
TEST(PasswordPool, AnAuthenticatedCallerWaitsLongerThanAPublicOne) {
  PasswordPool pool({/*slots=*/1, /*public_in_flight=*/2, /*max_wait_ms=*/0, /*authenticated_max_wait_ms=*/60'000});
  auto busy = std::make_unique<Holder>(pool, Caller::kPublic);
  ASSERT_TRUE(busy->status().ok());
  EXPECT_EQ(pool.Run(Caller::kPublic, [] {}).code(), Code::kResourceExhausted);
  std::thread finish([&] { busy->release(); });
  EXPECT_TRUE(pool.Run(Caller::kAuthenticated, [] {}).ok()) << "waited for the slot to come back";
  finish.join();
}

TEST(PasswordPool, PlacesComeBackWhenWorkEnds) {
  PasswordPool pool({1, 1, 0});
  { Holder h(pool, Caller::kPublic); }
  EXPECT_TRUE(pool.Run(Caller::kPublic, [] {}).ok());
  EXPECT_TRUE(pool.Run(Caller::kPublic, [] {}).ok());
  EXPECT_EQ(pool.completed(), 3);
}

TEST(PasswordPool, DefaultsFollowTheMachine) {
  PasswordPool pool;
  EXPECT_GE(pool.options().slots, 1);
  EXPECT_EQ(pool.options().public_in_flight, pool.options().slots);
}

}  // namespace
}  // namespace gh::identity
