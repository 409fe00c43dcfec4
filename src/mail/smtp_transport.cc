// SMTP delivery through libcurl's easy interface.
#include <curl/curl.h>

#include <cstring>
#include <mutex>

#include "mail/transport.h"

namespace gh::mail {
namespace {

struct Upload {
  const std::string* data;
  size_t pos = 0;
};

size_t ReadBody(char* buf, size_t size, size_t nitems, void* userp) {
  auto* up = static_cast<Upload*>(userp);
  size_t n = std::min(size * nitems, up->data->size() - up->pos);
  std::memcpy(buf, up->data->data() + up->pos, n);
  up->pos += n;
  return n;
}

class SmtpTransport final : public Transport {
 public:
  explicit SmtpTransport(SmtpConfig config) : config_(std::move(config)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  Status Send(const OutgoingMail& mail) override {
    // libcurl is C and does not throw; nothing else here does either.
    CURL* curl = curl_easy_init();
    if (!curl) return Unavailable("libcurl could not start a session");
    std::string host = config_.host.find(':') != std::string::npos ? "[" + config_.host + "]" : config_.host;
    std::string url = std::string(config_.tls == SmtpTls::kImplicit ? "smtps://" : "smtp://") + host + ":" +
                      std::to_string(config_.port);
    std::string from = "<" + mail.envelope_from + ">";
    curl_slist* rcpt = nullptr;
    for (const auto& r : mail.recipients) rcpt = curl_slist_append(rcpt, ("<" + r + ">").c_str());
    Upload upload{&mail.data};
    char errbuf[CURL_ERROR_SIZE] = {0};

    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadBody);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mail.data.size()));
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // we run on a worker thread
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.connect_timeout_ms));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout_ms));
    switch (config_.tls) {
      case SmtpTls::kNone: curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_NONE)); break;
      case SmtpTls::kTry: curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY)); break;
      case SmtpTls::kRequired:
      case SmtpTls::kImplicit: curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL)); break;
    }
    if (!config_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, config_.ca_file.c_str());
    if (!config_.user.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, config_.user.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, config_.password.c_str());
    }

    CURLcode rc = curl_easy_perform(curl);
    long reply = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (rc == CURLE_OK) return OkStatus();

    std::string what = "SMTP " + config_.host + ":" + std::to_string(config_.port) + ": " +
                       (errbuf[0] ? errbuf : curl_easy_strerror(rc));
    if (reply > 0) what += " (reply " + std::to_string(reply) + ")";
    // A 5xx reply about this message or a recipient is final. Failed logins
    // and missing STARTTLS are our configuration, not the message: keep the
    // mail and retry, so fixing the configuration delivers it.
    bool config_problem = rc == CURLE_LOGIN_DENIED || rc == CURLE_USE_SSL_FAILED || rc == CURLE_SSL_CONNECT_ERROR ||
                          rc == CURLE_PEER_FAILED_VERIFICATION;
    if (reply >= 500 && reply < 600 && !config_problem) return FailedPrecondition(what);
    return Unavailable(what);
  }

 private:
  SmtpConfig config_;
};

}  // namespace

std::unique_ptr<Transport> NewSmtpTransport(SmtpConfig config) {
  return std::make_unique<SmtpTransport>(std::move(config));
}

}  // namespace gh::mail
