// The local CA as an attacker holding a copy of the data folder sees it
// (security review #26): the CA key is gone once the server certificate is
// issued, and even with the key the CA can't mint a certificate that clients
// trusting it accept for any name but localhost and the loopback addresses.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "identity/local_ca.h"

namespace gh::identity {
namespace {

namespace fs = std::filesystem;

struct Free {
  void operator()(X509* p) const { X509_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};
using Cert = std::unique_ptr<X509, Free>;
using Key = std::unique_ptr<EVP_PKEY, Free>;

Cert ReadCert(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return nullptr;
  Cert c(PEM_read_X509(f, nullptr, nullptr, nullptr));
  std::fclose(f);
  return c;
}

Key ReadKey(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return nullptr;
  Key k(PEM_read_PrivateKey(f, nullptr, nullptr, nullptr));
  std::fclose(f);
  return k;
}

// What an attacker with the CA key would mint: a server certificate for
// `san` ("DNS:bank.example", "IP:10.0.0.1"), signed by the CA.
Cert Mint(X509* ca, EVP_PKEY* ca_key, const std::string& cn, const std::string& san) {
  Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  Cert cert(X509_new());
  X509_set_version(cert.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 4242);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24 * 30);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca));
  X509_set_pubkey(cert.get(), key.get());
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, ca, cert.get(), nullptr, nullptr, 0);
  for (auto [nid, value] : std::vector<std::pair<int, std::string>>{{NID_basic_constraints, "critical,CA:FALSE"},
                                                                    {NID_ext_key_usage, "serverAuth"},
                                                                    {NID_subject_alt_name, san},
                                                                    {NID_authority_key_identifier, "keyid:always"}}) {
    X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str());
    EXPECT_NE(ext, nullptr) << value;
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  EXPECT_GT(X509_sign(cert.get(), ca_key, EVP_sha256()), 0);
  return cert;
}

// The verification error a client trusting `ca` gets for `leaf` (X509_V_OK when accepted).
int Verify(X509* ca, X509* leaf) {
  std::unique_ptr<X509_STORE, Free> store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), ca);
  std::unique_ptr<X509_STORE_CTX, Free> ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr);
  X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_X509_STRICT);
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
  return X509_verify_cert(ctx.get()) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx.get());
}

class LocalCaAttackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gh_local_ca_attack_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string CaKey() const { return (dir_ / "tls" / "ca-key.pem").string(); }
  fs::path dir_;
};

TEST_F(LocalCaAttackTest, TheDataFolderHoldsNoCaKeyOnceTheServerCertificateIsIssued) {
  auto files = EnsureLocalTls(dir_.string());
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_FALSE(fs::exists(CaKey()));
  Cert ca = ReadCert(files->ca_cert), leaf = ReadCert(files->server_cert);
  ASSERT_TRUE(ca && leaf);
  EXPECT_EQ(Verify(ca.get(), leaf.get()), X509_V_OK);
  // Starting again changes nothing.
  const auto mtime = fs::last_write_time(files->server_cert);
  ASSERT_TRUE(EnsureLocalTls(dir_.string()).ok());
  EXPECT_EQ(fs::last_write_time(files->server_cert), mtime);
  EXPECT_FALSE(fs::exists(CaKey()));
}

TEST_F(LocalCaAttackTest, AKeyLeftOnDiskByAnOlderVersionIsRemovedAtStart) {
  ASSERT_TRUE(EnsureLocalTls(dir_.string(), {.keep_ca_key = true}).ok());
  ASSERT_TRUE(fs::exists(CaKey()));
  ASSERT_TRUE(EnsureLocalTls(dir_.string()).ok());
  EXPECT_FALSE(fs::exists(CaKey()));
}

TEST_F(LocalCaAttackTest, WithoutTheKeyANewServerCertificateComesFromANewCa) {
  auto files = EnsureLocalTls(dir_.string());
  ASSERT_TRUE(files.ok());
  Cert old_ca = ReadCert(files->ca_cert);
  fs::remove(files->server_cert);
  ASSERT_TRUE(EnsureLocalTls(dir_.string()).ok());
  Cert ca = ReadCert(files->ca_cert), leaf = ReadCert(files->server_cert);
  ASSERT_TRUE(old_ca && ca && leaf);
  EXPECT_NE(X509_cmp(old_ca.get(), ca.get()), 0);
  EXPECT_EQ(Verify(ca.get(), leaf.get()), X509_V_OK);
  EXPECT_NE(Verify(old_ca.get(), leaf.get()), X509_V_OK);
  EXPECT_FALSE(fs::exists(CaKey()));
}

TEST_F(LocalCaAttackTest, EvenWithTheKeyTheCaCannotVouchForAnotherSite) {
  // The key kept (as someone who keeps it offline would): what it can mint.
  auto files = EnsureLocalTls(dir_.string(), {.keep_ca_key = true});
  ASSERT_TRUE(files.ok());
  EXPECT_TRUE(HasNameConstraints(files->ca_cert));
  Cert ca = ReadCert(files->ca_cert);
  Key ca_key = ReadKey(CaKey());
  ASSERT_TRUE(ca && ca_key);
  for (const std::string& san :
       {"DNS:bank.example", "DNS:localhost.bank.example", "IP:10.0.0.1", "IP:192.168.1.1", "IP:2001:db8::1"}) {
    Cert forged = Mint(ca.get(), ca_key.get(), "bank.example", san);
    EXPECT_EQ(Verify(ca.get(), forged.get()), X509_V_ERR_PERMITTED_VIOLATION) << san;
  }
  // What it is for still verifies (and, as RFC 5280 matches subdomains,
  // names under localhost, which RFC 6761 keeps for the loopback too).
  for (const std::string& san : {"DNS:localhost", "DNS:app.localhost", "IP:127.0.0.1", "IP:127.0.1.1", "IP:::1"})
    EXPECT_EQ(Verify(ca.get(), Mint(ca.get(), ca_key.get(), "localhost", san).get()), X509_V_OK) << san;
}

}  // namespace
}  // namespace gh::identity
