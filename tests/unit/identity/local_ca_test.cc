#include "identity/local_ca.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace gh::identity {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<X509*> ReadCerts(const std::string& path) {
  std::vector<X509*> out;
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return out;
  while (X509* c = PEM_read_X509(f, nullptr, nullptr, nullptr)) out.push_back(c);
  std::fclose(f);
  return out;
}

mode_t Mode(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 0777;
}

class LocalCaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gh_local_ca_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(LocalCaTest, CreatesFilesOnceWithPrivateKeyModes) {
  const TlsOptions keep{.keep_ca_key = true};
  auto files = EnsureLocalTls(dir_.string(), keep);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->ca_cert, (dir_ / "tls" / "ca.pem").string());
  EXPECT_EQ(files->server_cert, (dir_ / "tls" / "server.pem").string());
  EXPECT_EQ(files->server_key, (dir_ / "tls" / "server-key.pem").string());
  const std::string ca_key = (dir_ / "tls" / "ca-key.pem").string();
  for (const auto& p : {files->ca_cert, files->server_cert, files->server_key, ca_key}) EXPECT_TRUE(fs::exists(p)) << p;
  EXPECT_EQ(Mode(files->server_key), 0600u);
  EXPECT_EQ(Mode(ca_key), 0600u);
  EXPECT_EQ(Mode((dir_ / "tls").string()), 0700u);
  EXPECT_EQ(ReadAll(files->server_key).rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);

  const std::string ca_before = ReadAll(files->ca_cert), cert_before = ReadAll(files->server_cert);
  const auto mtime = fs::last_write_time(files->server_cert);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto again = EnsureLocalTls(dir_.string(), keep);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ReadAll(files->ca_cert), ca_before);
  EXPECT_EQ(ReadAll(files->server_cert), cert_before);
  EXPECT_EQ(fs::last_write_time(files->server_cert), mtime);
}

TEST_F(LocalCaTest, ServerCertificateVerifiesAgainstTheCaWithTheRightNames) {
  auto files = EnsureLocalTls(dir_.string());
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  std::vector<X509*> ca = ReadCerts(files->ca_cert);
  std::vector<X509*> chain = ReadCerts(files->server_cert);
  ASSERT_EQ(ca.size(), 1u);
  ASSERT_EQ(chain.size(), 2u);  // server certificate, then the CA
  X509* leaf = chain[0];
  EXPECT_EQ(X509_cmp(chain[1], ca[0]), 0);

  EXPECT_EQ(X509_get_version(leaf), X509_VERSION_3);
  EXPECT_EQ(X509_get_version(ca[0]), X509_VERSION_3);
  EXPECT_NE(X509_get0_subject_key_id(leaf), nullptr);
  EXPECT_NE(X509_get0_authority_key_id(leaf), nullptr);
  EXPECT_NE(X509_get0_subject_key_id(ca[0]), nullptr);
  EXPECT_EQ(X509_check_ca(ca[0]), 1);
  EXPECT_EQ(X509_check_ca(leaf), 0);
  EXPECT_NE(X509_get_extended_key_usage(leaf) & XKU_SSL_SERVER, 0u);
  EXPECT_EQ(X509_check_host(leaf, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(leaf, "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(leaf, "::1", 0), 1);
  EXPECT_NE(X509_check_host(leaf, "example.com", 0, 0, nullptr), 1);
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(leaf), X509_get0_serialNumber(ca[0])), 0);

  // 825-day validity (plus the hour of back-dating).
  int days = 0, secs = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(leaf), X509_get0_notAfter(leaf)), 1);
  EXPECT_EQ(days, 825);

  X509_STORE* store = X509_STORE_new();
  ASSERT_EQ(X509_STORE_add_cert(store, ca[0]), 1);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  ASSERT_EQ(X509_STORE_CTX_init(ctx, store, leaf, nullptr), 1);
  // Strict mode is what Python 3.13 and newer OpenSSL clients apply.
  X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_X509_STRICT);
  X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
  X509_VERIFY_PARAM_set1_host(X509_STORE_CTX_get0_param(ctx), "localhost", 0);
  EXPECT_EQ(X509_verify_cert(ctx), 1) << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  for (X509* c : ca) X509_free(c);
  for (X509* c : chain) X509_free(c);

  // Cross-check with the openssl command-line tool when it is installed.
  if (std::system("command -v openssl >/dev/null 2>&1") == 0) {
    std::string cmd = "openssl verify -x509_strict -purpose sslserver -CAfile '" + files->ca_cert + "' '" +
                      files->server_cert + "' >/dev/null";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
}

TEST_F(LocalCaTest, MissingServerFilesAreReissuedByTheExistingCa) {
  const TlsOptions keep{.keep_ca_key = true};  // the default discards the key (LocalCaAttackTest)
  auto files = EnsureLocalTls(dir_.string(), keep);
  ASSERT_TRUE(files.ok());
  const std::string ca_before = ReadAll(files->ca_cert);
  const std::string cert_before = ReadAll(files->server_cert);
  fs::remove(files->server_cert);
  auto again = EnsureLocalTls(dir_.string(), keep);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(ReadAll(files->ca_cert), ca_before);
  EXPECT_NE(ReadAll(files->server_cert), cert_before);
  std::string cmd = "openssl verify -CAfile '" + files->ca_cert + "' '" + files->server_cert + "' >/dev/null 2>&1";
  if (std::system("command -v openssl >/dev/null 2>&1") == 0) {
    EXPECT_EQ(std::system(cmd.c_str()), 0);
  }
}

TEST_F(LocalCaTest, UnwritableFolderIsAnError) {
  auto r = EnsureLocalTls("/proc/gatehouse-cannot-write-here");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInternal);
}

}  // namespace
}  // namespace gh::identity
