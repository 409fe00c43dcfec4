#pragma once
// A private certificate authority for running Gatehouse over HTTPS out of the
// box: a local CA and a server certificate for localhost signed by it.
//
// Trust it with NODE_EXTRA_CA_CERTS=<data_dir>/tls/ca.pem (Node.js),
// curl --cacert <data_dir>/tls/ca.pem, or the OS/browser trust store. The CA
// key stays in the data folder: anyone who can read it can mint certificates
// this machine's clients trust, hence mode 0600 on key files and 0700 on tls/.
// Deployments with a real certificate configure it instead and never call this.
#include <string>

#include "core/status.h"

namespace gh::identity {

struct TlsFiles {
  std::string ca_cert;      // <data_dir>/tls/ca.pem
  std::string server_cert;  // <data_dir>/tls/server.pem: server certificate, then the CA (chain order)
  std::string server_key;   // <data_dir>/tls/server-key.pem (PKCS#8, mode 0600)
};

// Makes sure <data_dir>/tls holds a usable CA and server certificate and
// returns their paths. When all four files exist nothing is touched (not even
// read). If both CA files exist but a server file is missing, a new server
// certificate is issued by the existing CA; if a CA file is missing, a new CA
// and server certificate are made (a server certificate is useless without the
// issuer's certificate, and a CA certificate without its key can't issue). Certificates (X.509 v3, random 128-bit
// serials, SKI/AKI, ECDSA P-256 with SHA-256):
//   CA:     CN "Gatehouse local CA", 10 years, basicConstraints critical CA:TRUE
//           (pathlen 0), keyUsage critical keyCertSign, cRLSign.
//   server: CN "localhost", 825 days (the longest Apple platforms accept),
//           SAN DNS:localhost, IP:127.0.0.1, IP:::1, extendedKeyUsage serverAuth.
// Uses the system clock for validity (certificates are checked against real
// time by clients anyway). Files are written to temporaries and renamed, so an
// interrupted run never leaves a half-written file. Internal on OpenSSL or I/O
// failure, with the path in the message.
StatusOr<TlsFiles> EnsureLocalTls(const std::string& data_dir);

}  // namespace gh::identity
