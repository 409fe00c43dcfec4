#pragma once
// The client half of the `gatehouse` binary: commands that talk to a server
// over HTTPS (login, logout, whoami, users, groups, app, license, env, roles,
// directory-roles, invite, invitations, tenant-settings, policy, cross-tenant,
// why). Each is a thin call to the API; the
// server decides. Registered on the composition root's CLI11 app.
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

namespace gh::cli {

class ClientCommands {
 public:
  virtual ~ClientCommands() = default;
  // Runs the client command the command line chose and returns its exit code
  // (0 ok, 1 denied/failed, 2 bad usage, 3 cannot reach the server or signing
  // in is needed); nullopt when the command line chose no client command.
  virtual std::optional<int> Run() = 0;
};

// Adds the client commands to `app`; the returned object owns their options
// and must outlive app.parse().
std::unique_ptr<ClientCommands> RegisterClientCommands(CLI::App& app);

// What to return from main for a CLI11 parse error: prints help or the error
// as CLI11 does, and returns 0 for --help/--version and 2 (bad usage) otherwise.
int UsageExit(CLI::App& app, const CLI::ParseError& e);

}  // namespace gh::cli
