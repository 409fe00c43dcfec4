#pragma once
// Internal: the change feed's SQL over one transaction (store.h, "The change
// feed"); sql_store.cc calls it.
#include <cstdint>
#include <string_view>
#include <vector>

#include "store/sql_tx.h"

namespace gh::store {

// The PostgreSQL channel committing writers NOTIFY and nodes LISTEN on.
inline constexpr std::string_view kChangeChannel = "gatehouse_changes";

// Writes the transaction's noted changes (SqlTx::changes()) to the feed, just
// before it commits; returns the last sequence number taken (0: none noted).
StatusOr<int64_t> RecordChanges(SqlTx& tx);
StatusOr<std::vector<Change>> ReadChanges(SqlTx& tx, int64_t after, int limit);
StatusOr<int64_t> LastChangeSeq(SqlTx& tx);
StatusOr<int64_t> FirstChangeSeq(SqlTx& tx);
StatusOr<int64_t> PurgeChanges(SqlTx& tx, int64_t before);

}  // namespace gh::store
