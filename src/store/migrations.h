#pragma once
// Internal: the versioned schema. Migrations are applied in order, each in its
// own write transaction that also records it in schema_migrations (version,
// name, applied_at ms), so reopening a migrated database does nothing and a
// crash mid-migration leaves the previous version intact. On PostgreSQL a
// transaction-scoped advisory lock serialises servers starting at once.
//
// To change the schema, append a Migration to kMigrations in migrations.cc;
// never edit one that has shipped. DDL must run unchanged on SQLite and
// PostgreSQL (TEXT, BIGINT, INTEGER 0/1 booleans, times as epoch ms).
#include <string_view>
#include <vector>

#include "store/sql.h"

namespace gh::store {

struct Migration {
  int version;
  std::string_view name;
  std::vector<std::string_view> statements;
};

const std::vector<Migration>& Migrations();

// Brings the database behind `conn` to the newest version; returns it.
StatusOr<int> Migrate(sql::Connection& conn);

}  // namespace gh::store
