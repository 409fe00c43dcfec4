#include "identity/local_ca.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

namespace gh::identity {
namespace {

namespace fs = std::filesystem;

struct OsslFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_NAME* p) const { X509_NAME_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, OsslFree>;
using CertPtr = std::unique_ptr<X509, OsslFree>;

constexpr long kCaDays = 3650;
constexpr long kServerDays = 825;

Status Fail(const std::string& what) { return Internal("local TLS setup: " + what); }

StatusOr<KeyPtr> NewP256Key() {
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (k == nullptr) return Fail("EC P-256 key generation failed");
  return KeyPtr(k);
}

struct Ext {
  int nid;
  const char* value;
};

// Builds and signs one certificate. `issuer`/`issuer_key` null = self-signed.
StatusOr<CertPtr> MakeCert(EVP_PKEY* subject_key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key,
                           long days, const std::vector<Ext>& extensions) {
  CertPtr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) return Fail("X509_new failed");

  // 128-bit random positive serial: clients dedupe certificates by
  // (issuer, serial), so regenerated certificates must never repeat one.
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return Fail("no randomness for the serial number");
  serial[0] = (serial[0] & 0x7f) | 0x01;
  std::unique_ptr<BIGNUM, OsslFree> bn(BN_bin2bn(serial, sizeof serial, nullptr));
  if (!bn || BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) == nullptr)
    return Fail("could not set the serial number");

  // Back-date an hour to tolerate clock skew between this machine and clients.
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), static_cast<int>(days), 0, nullptr) == nullptr)
    return Fail("could not set the validity period");

  std::unique_ptr<X509_NAME, OsslFree> name(X509_NAME_new());
  if (!name ||
      X509_NAME_add_entry_by_txt(name.get(), "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Gatehouse"), -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0) != 1 ||
      X509_set_subject_name(cert.get(), name.get()) != 1 ||
      X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name.get()) != 1 ||
      X509_set_pubkey(cert.get(), subject_key) != 1)
    return Fail("could not set the certificate names or key");

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const Ext& e : extensions) {
    std::unique_ptr<X509_EXTENSION, OsslFree> ext(X509V3_EXT_nconf_nid(nullptr, &ctx, e.nid, e.value));
    if (!ext || X509_add_ext(cert.get(), ext.get(), -1) != 1)
      return Fail(std::string("could not add extension ") + OBJ_nid2sn(e.nid) + "=" + e.value);
  }
  if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : subject_key, EVP_sha256()) <= 0)
    return Fail("could not sign the certificate");
  return cert;
}

StatusOr<std::string> CertPem(X509* cert) {
  std::unique_ptr<BIO, OsslFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return Fail("could not encode a certificate");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

StatusOr<std::string> KeyPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, OsslFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return Fail("could not encode a private key");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// Writes via a temporary file in the same folder and rename(2), so readers see
// the old file or the whole new one. fchmod makes the mode exact whatever the
// process umask is.
Status WriteFileAtomic(const std::string& path, const std::string& content, mode_t mode) {
  std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return Fail("cannot create " + tmp + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, mode) == 0;
  size_t off = 0;
  while (ok && off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ok = false;
    else off += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string err = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Fail("cannot write " + path + ": " + err);
  }
  return OkStatus();
}

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct LoadedCa {
  CertPtr cert;
  KeyPtr key;
};

StatusOr<LoadedCa> LoadCa(const std::string& cert_path, const std::string& key_path) {
  GH_ASSIGN_OR_RETURN(std::string cert_pem, ReadFile(cert_path));
  GH_ASSIGN_OR_RETURN(std::string key_pem, ReadFile(key_path));
  std::unique_ptr<BIO, OsslFree> cb(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
  std::unique_ptr<BIO, OsslFree> kb(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
  LoadedCa ca{CertPtr(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr)),
              KeyPtr(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr))};
  if (!ca.cert || !ca.key) return Fail("cannot parse " + cert_path + " / " + key_path);
  if (X509_check_private_key(ca.cert.get(), ca.key.get()) != 1)
    return Fail(key_path + " is not the key of " + cert_path);
  return ca;
}

// The first certificate in `path`, or null.
CertPtr ReadFirstCert(const std::string& path) {
  auto pem = ReadFile(path);
  if (!pem.ok()) return nullptr;
  std::unique_ptr<BIO, OsslFree> bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())));
  return CertPtr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

// True when the certificate in `path` is readable and valid for `days` more.
bool ValidForDays(const std::string& path, long days) {
  CertPtr cert = ReadFirstCert(path);
  if (!cert) return false;
  time_t then = ::time(nullptr) + days * 24 * 3600;
  return X509_cmp_time(X509_get0_notAfter(cert.get()), &then) > 0;
}

// The CA may issue only for the names the server certificate has: whoever
// gets its key still can't impersonate another site to those who trust it.
constexpr const char* kCaNameConstraints =
    "critical,permitted;DNS:localhost,permitted;IP:127.0.0.0/255.0.0.0,"
    "permitted;IP:::1/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";

// Renew the server certificate this long before it expires.
constexpr long kRenewDays = 30;

}  // namespace

bool HasNameConstraints(const std::string& ca_cert_path) {
  CertPtr cert = ReadFirstCert(ca_cert_path);
  return cert && X509_get_ext_by_NID(cert.get(), NID_name_constraints, -1) >= 0;
}

StatusOr<TlsFiles> EnsureLocalTls(const std::string& data_dir, const TlsOptions& options) {
  const fs::path dir = fs::path(data_dir) / "tls";
  TlsFiles files{(dir / "ca.pem").string(), (dir / "server.pem").string(), (dir / "server-key.pem").string()};
  const std::string ca_key_path = (dir / "ca-key.pem").string();

  std::error_code ec;
  auto exists = [&](const std::string& p) { return fs::exists(p, ec); };
  // Once the server certificate is issued the CA key has no use here: a copy
  // of the data folder (a backup) must not be able to mint certificates.
  auto discard_ca_key = [&]() -> Status {
    if (options.keep_ca_key || !exists(ca_key_path)) return OkStatus();
    if (::unlink(ca_key_path.c_str()) != 0 && errno != ENOENT)
      return Fail("cannot remove the CA key " + ca_key_path + ": " + std::strerror(errno));
    return OkStatus();
  };
  if (exists(files.ca_cert) && exists(files.server_cert) && exists(files.server_key) &&
      ValidForDays(files.server_cert, kRenewDays)) {
    GH_RETURN_IF_ERROR(discard_ca_key());
    return files;
  }

  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return Fail("cannot create " + dir.string() + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  }

  LoadedCa ca;
  if (exists(files.ca_cert) && exists(ca_key_path)) {
    GH_ASSIGN_OR_RETURN(ca, LoadCa(files.ca_cert, ca_key_path));
  } else {
    GH_ASSIGN_OR_RETURN(ca.key, NewP256Key());
    GH_ASSIGN_OR_RETURN(ca.cert, MakeCert(ca.key.get(), "Gatehouse local CA", nullptr, nullptr, kCaDays,
                                          {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                                           {NID_key_usage, "critical,keyCertSign,cRLSign"},
                                           {NID_name_constraints, kCaNameConstraints},
                                           {NID_subject_key_identifier, "hash"},
                                           {NID_authority_key_identifier, "keyid:always"}}));
    GH_ASSIGN_OR_RETURN(std::string cert_pem, CertPem(ca.cert.get()));
    if (options.keep_ca_key) {
      // Key first: a CA certificate on disk without its key would be unusable.
      GH_ASSIGN_OR_RETURN(std::string key_pem, KeyPem(ca.key.get()));
      GH_RETURN_IF_ERROR(WriteFileAtomic(ca_key_path, key_pem, 0600));
    } else if (exists(ca_key_path)) {
      ::unlink(ca_key_path.c_str());  // a stray key of another CA
    }
    GH_RETURN_IF_ERROR(WriteFileAtomic(files.ca_cert, cert_pem, 0644));
  }

  GH_ASSIGN_OR_RETURN(KeyPtr server_key, NewP256Key());
  GH_ASSIGN_OR_RETURN(CertPtr server_cert,
                      MakeCert(server_key.get(), "localhost", ca.cert.get(), ca.key.get(), kServerDays,
                               {{NID_basic_constraints, "critical,CA:FALSE"},
                                {NID_key_usage, "critical,digitalSignature"},
                                {NID_ext_key_usage, "serverAuth"},
                                {NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"},
                                {NID_subject_key_identifier, "hash"},
                                {NID_authority_key_identifier, "keyid:always"}}));
  GH_ASSIGN_OR_RETURN(std::string server_key_pem, KeyPem(server_key.get()));
  GH_ASSIGN_OR_RETURN(std::string server_pem, CertPem(server_cert.get()));
  GH_ASSIGN_OR_RETURN(std::string ca_pem, CertPem(ca.cert.get()));
  GH_RETURN_IF_ERROR(WriteFileAtomic(files.server_key, server_key_pem, 0600));
  GH_RETURN_IF_ERROR(WriteFileAtomic(files.server_cert, server_pem + ca_pem, 0644));
  GH_RETURN_IF_ERROR(discard_ca_key());
  return files;
}

}  // namespace gh::identity
