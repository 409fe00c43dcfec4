#include "identity/secrets.h"

#include <gtest/gtest.h>

#include <set>

namespace gh::identity {
namespace {

TEST(ClientSecretTest, IsFortyUrlSafeCharactersAndUnique) {
  SecureRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string s = GenerateClientSecret(random);
    EXPECT_EQ(s.size(), kClientSecretLength);
    EXPECT_EQ(s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
    EXPECT_TRUE(seen.insert(s).second);
  }
}

TEST(ClientSecretTest, HashIsSha256HexAndVerifies) {
  SeededRandom random(7);
  std::string secret = GenerateClientSecret(random);
  std::string hash = HashSecret(secret);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(HashSecret("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(VerifySecret(secret, hash));
  EXPECT_TRUE(VerifySecret("abc", "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
  EXPECT_FALSE(VerifySecret(secret + "x", hash));
  EXPECT_FALSE(VerifySecret(secret, ""));
  EXPECT_FALSE(VerifySecret("", hash));
}

TEST(PasswordTest, Argon2idEncodingAndVerification) {
  SeededRandom random(1);
  auto encoded = HashPassword("correct horse battery staple", random);
  ASSERT_TRUE(encoded.ok()) << encoded.status().ToString();
  EXPECT_EQ(encoded->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *encoded;
  EXPECT_EQ(encoded->find('\0'), std::string::npos);
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *encoded));
  EXPECT_FALSE(VerifyPassword("correct horse battery stapler", *encoded));
  EXPECT_FALSE(VerifyPassword("", *encoded));

  // Fresh salt each time: same password, different encodings.
  auto again = HashPassword("correct horse battery staple", random);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*again, *encoded);
}

TEST(PasswordTest, RejectsMalformedOrNonArgon2idEncodings) {
  EXPECT_FALSE(VerifyPassword("pw", ""));
  EXPECT_FALSE(VerifyPassword("pw", "$argon2id$garbage"));
  EXPECT_FALSE(VerifyPassword("pw", "$argon2i$v=19$m=16,t=2,p=1$c2FsdHNhbHQ$AAAA"));
  EXPECT_FALSE(VerifyPassword("pw", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

TEST(PasswordPolicyTest, LengthAndCharacterClasses) {
  EXPECT_TRUE(ValidatePasswordStrength("Passw0rd").ok());
  EXPECT_TRUE(ValidatePasswordStrength("correct horse").ok());  // letters + space
  EXPECT_TRUE(ValidatePasswordStrength("12345678a").ok());

  Status short_pw = ValidatePasswordStrength("Ab1!");
  EXPECT_EQ(short_pw.code(), Code::kInvalidArgument);
  EXPECT_EQ(short_pw.reason(), "Request_BadRequest");
  EXPECT_NE(short_pw.message().find("at least 8 characters"), std::string::npos);

  for (const char* one_class : {"abcdefghij", "ABCDEFGHIJ", "1234567890", "!@#$%^&*()"}) {
    Status s = ValidatePasswordStrength(one_class);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << one_class;
    EXPECT_NE(s.message().find("at least two of"), std::string::npos) << one_class;
  }
  EXPECT_FALSE(ValidatePasswordStrength(std::string(257, 'a') + "1").ok());
  // Eight code points, not eight bytes: "ééééééé1" is 8 characters.
  EXPECT_TRUE(ValidatePasswordStrength("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" "1").ok());
  EXPECT_FALSE(ValidatePasswordStrength("\xc3\xa9\xc3\xa9\xc3\xa9" "1").ok());
}

}  // namespace
}  // namespace gh::identity
