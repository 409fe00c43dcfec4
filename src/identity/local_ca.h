#pragma once
// A private certificate authority for running Gatehouse over HTTPS out of the
// box: a local CA and a server certificate for localhost signed by it.
//
// Trust it with NODE_EXTRA_CA_CERTS=<data_dir>/tls/ca.pem (Node.js),
// curl --cacert <data_dir>/tls/ca.pem, or the OS/browser trust store. A CA
// people trust is a key to every site they visit, so (security review #26):
//   - the CA is name-constrained to localhost and the loopback addresses:
//     even its key can't mint a certificate clients accept for another name;
//   - its key is discarded once the server certificate is issued (unless
//     TlsOptions::keep_ca_key): a copy of the data folder can't mint any
//     certificate at all. A new server certificate (one deleted, or within 30
//     days of expiry) then comes from a new CA, which clients must trust
//     anew; keep the key (offline, put back in tls/ca-key.pem when needed) to
//     reissue from the same CA.
// Key files are mode 0600, tls/ 0700. Deployments with a real certificate
// configure it instead and never call this.
#include <string>

#include "core/status.h"

namespace gh::identity {

struct TlsFiles {
  std::string ca_cert;      // <data_dir>/tls/ca.pem
  std::string server_cert;  // <data_dir>/tls/server.pem: server certificate, then the CA (chain order)
  std::string server_key;   // <data_dir>/tls/server-key.pem (PKCS#8, mode 0600)
};

struct TlsOptions {
  bool keep_ca_key = false;  // leave tls/ca-key.pem on disk after issuing
};

// Makes sure <data_dir>/tls holds a usable CA certificate and server
// certificate and returns their paths. When the server files exist and the
// certificate is valid for 30 days more, nothing is written (only a CA key
// left on disk is removed, unless kept). Otherwise a server certificate is
// issued by the CA whose key is in tls/ca-key.pem, or by a new CA when there
// is none (a server certificate is useless without its issuer's certificate,
// and a CA certificate without its key can't issue). Certificates (X.509 v3,
// random 128-bit serials, SKI/AKI, ECDSA P-256 with SHA-256):
//   CA:     CN "Gatehouse local CA", 10 years, basicConstraints critical CA:TRUE
//           (pathlen 0), keyUsage critical keyCertSign, cRLSign,
//           nameConstraints critical permitted DNS:localhost,
//           IP:127.0.0.0/8, IP:::1/128.
//   server: CN "localhost", 825 days (the longest Apple platforms accept),
//           SAN DNS:localhost, IP:127.0.0.1, IP:::1, extendedKeyUsage serverAuth.
// Uses the system clock for validity (certificates are checked against real
// time by clients anyway). Files are written to temporaries and renamed, so an
// interrupted run never leaves a half-written file. Internal on OpenSSL or I/O
// failure, with the path in the message.
StatusOr<TlsFiles> EnsureLocalTls(const std::string& data_dir, const TlsOptions& options = {});

// True when the CA certificate at `ca_cert_path` carries name constraints
// (CAs made before they did are trusted for every name: replace them).
bool HasNameConstraints(const std::string& ca_cert_path);

}  // namespace gh::identity
