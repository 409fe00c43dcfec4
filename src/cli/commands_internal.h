#pragma once
// Shared by the client command files only (not part of the module's API).
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/api_client.h"
#include "cli/auth.h"
#include "cli/output.h"
#include "core/status.h"

namespace gh::cli::internal {

// Flags every client command shares (one storage; only one command runs).
struct CommonFlags {
  ConnectionOptions conn;
  std::string output;  // "" = default for the terminal
  bool yes = false;
};

using Handler = std::function<Status()>;

struct Registrar {
  CommonFlags flags;
  std::vector<std::pair<CLI::App*, Handler>> handlers;

  // A runnable command under `parent` with the connection flags, and
  // --output when it prints a listing.
  CLI::App* Command(CLI::App* parent, const std::string& name, const std::string& description, bool listing,
                    Handler handler);
  // A group of commands ("users"); needs one of its subcommands.
  static CLI::App* Group(CLI::App* parent, const std::string& name, const std::string& description);
};

void RegisterAuthCommands(Registrar& r, CLI::App& app);
void RegisterDirectoryCommands(Registrar& r, CLI::App& app);
void RegisterAdminCommands(Registrar& r, CLI::App& app);
void RegisterGroupCommands(Registrar& r, CLI::App& app);
void RegisterPolicyCommands(Registrar& r, CLI::App& app);
// After RegisterDirectoryCommands: adds to its `app` group (commands_apps.cc).
void RegisterAppCommands(Registrar& r, CLI::App& app);

// invite --csv (bulk_invite.cc).
struct BulkInviteOptions {
  std::string csv, redirect, message, language, results;
  bool no_email = false, wait = false;
};
Status RunBulkInvite(const CommonFlags& f, const BulkInviteOptions& o);
StatusOr<std::string> AllBulkResults(ApiClient& api, const std::string& job_id);
// invitations bulk list|show|results|cancel.
void RegisterBulkCommands(Registrar& r, CLI::App* invitations);

// ---- helpers
StatusOr<Connection> Open(const CommonFlags& f);
StatusOr<OutputFormat> FormatOf(const CommonFlags& f);
void Out(const std::string& text);  // stdout
void Err(const std::string& text);  // stderr, with a newline
bool StdinIsTerminal();
bool StderrIsTerminal();

std::string ODataQuote(std::string_view s);  // 'it''s'
std::string Str(const boost::json::value& v, std::string_view dotted_path);

// Object id of a user given by id, userPrincipalName or mail.
StatusOr<std::string> ResolveUserId(ApiClient& api, const std::string& ref);
// Object id of a group given by id or displayName (exactly one match).
StatusOr<std::string> ResolveGroupId(ApiClient& api, const std::string& ref);
// A user (id, userPrincipalName or mail), else a group (id or displayName).
StatusOr<std::string> ResolvePrincipalId(ApiClient& api, const std::string& ref);
// The environment given by id, uniqueName or displayName.
StatusOr<boost::json::object> ResolveEnvironment(ApiClient& api, const std::string& ref);

// Prints one object as key/value rows (table, CSV) or pretty JSON.
void PrintObject(const boost::json::object& o, const std::vector<Column>& fields, OutputFormat format);

}  // namespace gh::cli::internal
