// `gatehouse invite --csv FILE`: uploads the file as a bulk invitation job,
// follows it (a live progress bar on a terminal, plain lines otherwise),
// prints the summary, writes the per-row results, and fails when a row did.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/commands_internal.h"

namespace gh::cli::internal {
namespace json = boost::json;

namespace {

int64_t Int(const json::value& job, const char* key) {
  const json::value* v = job.as_object().if_contains(key);
  return v && v->is_int64() ? v->as_int64() : 0;
}

std::string Progress(const json::value& job, double rows_per_s, bool bar) {
  const int64_t total = Int(job, "totalRows"), done = Int(job, "processedRows");
  std::ostringstream out;
  if (bar) {
    constexpr int kWidth = 30;
    int filled = total ? static_cast<int>(kWidth * done / total) : 0;
    out << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] ";
  }
  out << done << "/" << total << " rows";
  if (rows_per_s > 0) {
    out << ", " << static_cast<int64_t>(rows_per_s) << " rows/s";
    if (done < total) out << ", ETA " << static_cast<int64_t>((total - done) / rows_per_s) << " s";
  }
  out << "  (" << Str(job, "status") << ")";
  return out.str();
}

// Results hold each guest's working redeem link: written for the owner
// only (0600 whatever the umask, and an existing file narrowed too), as the
// token cache is (security review #28).
Status WritePrivateFile(const std::string& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Internal("could not write " + path + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, 0600) == 0;
  for (size_t done = 0; ok && done < content.size();) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ok = false;
    else done += static_cast<size_t>(n);
  }
  ok = ::close(fd) == 0 && ok;
  return ok ? OkStatus() : Internal("could not write " + path);
}

}  // namespace

// All result pages, heading once: pages of up to 100,000 rows, each row
// starting with its number.
StatusOr<std::string> AllBulkResults(ApiClient& api, const std::string& id) {
  constexpr int64_t kPage = 100'000;
  std::string all;
  int64_t after = 0;
  while (true) {
    GH_ASSIGN_OR_RETURN(std::string page, api.GetText("/api/v1/bulkInvitations/" + id + "/results?top=" +
                                                      std::to_string(kPage) + "&after=" + std::to_string(after)));
    int64_t rows = 0, last_row = after;
    std::istringstream lines(page);
    for (std::string line; std::getline(lines, line);) {
      if (line.empty() || !std::isdigit(static_cast<unsigned char>(line[0]))) continue;  // heading, quoted newlines
      ++rows;
      last_row = std::stoll(line.substr(0, line.find(',')));
    }
    all += page;
    if (rows < kPage) return all;
    after = last_row;
  }
}

Status RunBulkInvite(const CommonFlags& f, const BulkInviteOptions& o) {
  std::ifstream in(o.csv, std::ios::binary);
  if (!in) return UsageError("can't read " + o.csv);
  std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  GH_ASSIGN_OR_RETURN(auto c, Open(f));
  std::string file_name = o.csv.substr(o.csv.find_last_of('/') + 1);
  std::string query = "?fileName=" + Escape(file_name) + "&sendEmail=" + (o.no_email ? "false" : "true");
  if (!o.redirect.empty()) query += "&redirectUrl=" + Escape(o.redirect);
  if (!o.message.empty()) query += "&message=" + Escape(o.message);
  if (!o.language.empty()) query += "&language=" + Escape(o.language);
  GH_ASSIGN_OR_RETURN(json::value job, c.api->PostText("/api/v1/bulkInvitations" + query, "text/csv", std::move(csv)));
  const std::string id = Str(job, "id");
  Err("Bulk invitation job " + id + ": " + std::to_string(Int(job, "totalRows")) + " rows queued.");
  if (!o.wait && o.results.empty()) {
    Out("Follow it with: gatehouse invitations bulk show " + id + "\n");
    return OkStatus();
  }
  const bool bar = StderrIsTerminal();
  const auto start = std::chrono::steady_clock::now();
  auto last_line = start - std::chrono::hours(1);
  while (true) {
    GH_ASSIGN_OR_RETURN(job, c.api->Get("/api/v1/bulkInvitations/" + id));
    const std::string status = Str(job, "status");
    const bool finished = status != "queued" && status != "running";
    const auto now = std::chrono::steady_clock::now();
    double seconds = std::chrono::duration<double>(now - start).count();
    double rate = seconds > 0.2 ? Int(job, "processedRows") / seconds : 0;
    if (bar) {
      std::fputs(Progress(job, rate, true).c_str(), stderr);
      std::fflush(stderr);
    } else if (finished || now - last_line >= std::chrono::seconds(2)) {
      Err(Progress(job, rate, false));
      last_line = now;
    }
    if (finished) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  if (bar) std::fputs("\n", stderr);
  const int64_t failed = Int(job, "failedRows");
  Out("Job " + id + " " + Str(job, "status") + ": " + std::to_string(Int(job, "succeededRows")) + " succeeded, " +
      std::to_string(failed) + " failed, " + std::to_string(Int(job, "totalRows")) + " rows.\n");
  if (!o.results.empty()) {
    GH_ASSIGN_OR_RETURN(std::string results, AllBulkResults(*c.api, id));
    GH_RETURN_IF_ERROR(WritePrivateFile(o.results, results));
    Out("Results: " + o.results + "\n");
  }
  const std::string status = Str(job, "status");
  if (status == "failed") return Internal("the job failed: " + Str(job, "error"));
  if (status == "cancelled") return FailedPrecondition("the job was cancelled");
  if (failed > 0)
    return FailedPrecondition(std::to_string(failed) + " row(s) failed; see " +
                              (o.results.empty() ? "gatehouse invitations bulk results " + id : o.results));
  return OkStatus();
}

namespace {
const std::vector<Column> kJobColumns = {{"id", "id"},
                                         {"status", "status"},
                                         {"file", "fileName"},
                                         {"rows", "totalRows"},
                                         {"processed", "processedRows"},
                                         {"succeeded", "succeededRows"},
                                         {"failed", "failedRows"},
                                         {"created", "createdDateTime"}};
}  // namespace

void RegisterBulkCommands(Registrar& r, CLI::App* invitations) {
  CommonFlags& f = r.flags;
  CLI::App* bulk = Registrar::Group(invitations, "bulk", "Bulk invitation jobs (invite --csv)");
  auto id = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  r.Command(bulk, "list", "Bulk invitation jobs, newest first", true, [&f]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto rows, c.api->List("/api/v1/bulkInvitations", true));
    Out(FormatRows(rows, kJobColumns, format));
    return OkStatus();
  });
  CLI::App* show = r.Command(bulk, "show", "One job and its progress", true, [&f, id]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto job, c.api->Get("/api/v1/bulkInvitations/" + Escape(*id)));
    if (!job.is_object()) return Internal("error InvalidResponse: not a job");
    PrintObject(job.as_object(), kJobColumns, format);
    return OkStatus();
  });
  show->add_option("id", *id, "Job id")->required();
  CLI::App* results = r.Command(bulk, "results", "A job's per-row results as CSV", false, [&f, id, out]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(std::string csv, AllBulkResults(*c.api, Escape(*id)));
    if (out->empty()) {
      Out(csv);
      return OkStatus();
    }
    return WritePrivateFile(*out, csv);
  });
  results->add_option("id", *id, "Job id")->required();
  results->add_option("--out", *out, "Write to this file instead of standard output");
  CLI::App* cancel = r.Command(bulk, "cancel", "Stop a job before its next batch of rows", false, [&f, id]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto job, c.api->Post("/api/v1/bulkInvitations/" + Escape(*id) + "/cancel", json::object{}));
    Out("Cancellation requested for job " + Str(job, "id") + " (" + Str(job, "status") + ").\n");
    return OkStatus();
  });
  cancel->add_option("id", *id, "Job id")->required();
}

}  // namespace gh::cli::internal
