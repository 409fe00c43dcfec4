#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "mail/transport.h"

namespace gh::mail {
namespace {

namespace fs = std::filesystem;

class FileTransport final : public Transport {
 public:
  explicit FileTransport(std::string dir) : dir_(std::move(dir)) {}

  Status Send(const OutgoingMail& mail) override {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) return Unavailable("creating " + dir_ + ": " + ec.message());
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace, ec);  // mail holds redeem links

    std::time_t t = static_cast<std::time_t>(mail.created_at / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    std::string safe_id;
    for (char c : mail.id) safe_id += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
    fs::path final_path = fs::path(dir_) / (std::string(stamp) + "-" + safe_id + ".eml");
    fs::path tmp_path = fs::path(dir_) / ("." + safe_id + ".eml.tmp");

    // Write, fsync, rename: a reader never sees half a message, and a crash
    // leaves at most a hidden temporary file (the outbox re-sends).
    int fd = ::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return Unavailable("writing " + tmp_path.string() + ": " + std::strerror(errno));
    size_t done = 0;
    while (done < mail.data.size()) {
      ssize_t n = ::write(fd, mail.data.data() + done, mail.data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int err = errno;
        ::close(fd);
        fs::remove(tmp_path, ec);
        return Unavailable("writing " + tmp_path.string() + ": " + std::strerror(err));
      }
      done += static_cast<size_t>(n);
    }
    bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) {
      fs::remove(tmp_path, ec);
      return Unavailable("syncing " + tmp_path.string());
    }
    fs::rename(tmp_path, final_path, ec);
    if (ec) {
      fs::remove(tmp_path, ec);
      return Unavailable("renaming to " + final_path.string() + ": " + ec.message());
    }
    return OkStatus();
  }

 private:
  std::string dir_;
};

}  // namespace

std::unique_ptr<Transport> NewFileTransport(std::string dir) { return std::make_unique<FileTransport>(std::move(dir)); }

}  // namespace gh::mail
