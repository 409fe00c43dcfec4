// Sealing secrets at rest (core/secret_box.h) and the at-rest key file.
#include "core/secret_box.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/random.h"

namespace gh {
namespace {

namespace fs = std::filesystem;

TEST(SecretBoxTest, SealedValuesOpenOnlyWithTheirKeyAndContext) {
  auto box = SecretBox::Ephemeral();
  const std::string link = "https://gh.example/redeem?ticket=abc";
  std::string sealed = box->Seal(link, "job-1:2");
  EXPECT_TRUE(SecretBox::IsSealed(sealed));
  EXPECT_EQ(sealed.find("abc"), std::string::npos);
  EXPECT_NE(box->Seal(link, "job-1:2"), sealed);  // a fresh nonce each time
  EXPECT_EQ(*box->Open(sealed, "job-1:2"), link);
  EXPECT_EQ(box->Open(sealed, "job-1:3").status().code(), Code::kFailedPrecondition);  // moved to another row
  EXPECT_EQ(SecretBox::Ephemeral()->Open(sealed, "job-1:2").status().code(), Code::kFailedPrecondition);
  std::string altered = sealed;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box->Open(altered, "job-1:2").ok());
  EXPECT_EQ(box->Open("https://not-sealed", "x").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(box->Open("sb1.!!", "x").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(*box->Open(box->Seal("", "c"), "c"), "");
  EXPECT_EQ(SecretBox::FromKey("short").status().code(), Code::kInvalidArgument);
}

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gh-key-" + SecureRandom().NewUuid());
  }
  void TearDown() override { fs::remove_all(dir_); }
  static mode_t Mode(const fs::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777;
  }
  fs::path dir_;
};

TEST_F(KeyFileTest, CreatedOwnerOnlyThenReadBack) {
  const fs::path key = dir_ / "keys" / "at-rest.key";
  auto first = LoadOrCreateKeyFile(key.string());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(Mode(key), 0600u);
  EXPECT_EQ(Mode(key.parent_path()), 0700u);
  auto again = LoadOrCreateKeyFile(key.string());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*(*again)->Open((*first)->Seal("secret", "c"), "c"), "secret");  // the same key
  for (const auto& entry : fs::directory_iterator(key.parent_path()))
    EXPECT_EQ(entry.path().filename(), "at-rest.key");  // no temporary left behind
}

TEST_F(KeyFileTest, AKeyOthersCanReadOrThatIsNoKeyIsRefused) {
  const fs::path key = dir_ / "at-rest.key";
  ASSERT_TRUE(LoadOrCreateKeyFile(key.string()).ok());
  ::chmod(key.c_str(), 0644);
  EXPECT_EQ(LoadOrCreateKeyFile(key.string()).status().code(), Code::kFailedPrecondition);
  { std::ofstream(key) << "not a key\n"; }
  ::chmod(key.c_str(), 0600);
  EXPECT_EQ(LoadOrCreateKeyFile(key.string()).status().code(), Code::kFailedPrecondition);
}

}  // namespace
}  // namespace gh
