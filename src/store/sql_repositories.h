#pragma once
// Internal to the store: factories for the SQL implementations of the module
// repositories that a Transaction hands out (Transaction::Outbox(), …). Each
// repository runs its statements through the owning transaction's SqlTx, so
// its writes commit or roll back together with everything else in it.
//
// Adding a repository for a module:
//   1. src/store/<module>_repository.h — the public interface and its row
//      types (storage-level structs; the module maps them to its own types);
//   2. src/store/sql_<module>_repository.cc — the implementation over SqlTx&,
//      and its factory declared below;
//   3. an accessor in Transaction (store.h), its lazily created member in
//      SqlTransaction (sql_store.cc), a forwarding accessor in
//      tests/support/failing_store.h;
//   4. the tables as a new Migration appended in migrations.cc.
#include <memory>

#include "store/sql_tx.h"

namespace gh::store {

class OutboxRepository;
// The mail outbox over `tx` (sql_outbox_repository.cc); `tx` outlives it.
std::unique_ptr<OutboxRepository> NewSqlOutboxRepository(SqlTx& tx);

class LicensingRepository;
class EnvironmentsRepository;
// Licensing and environments over `tx` (sql_licensing_repository.cc,
// sql_environments_repository.cc); `tx` outlives them.
std::unique_ptr<LicensingRepository> NewSqlLicensingRepository(SqlTx& tx);
std::unique_ptr<EnvironmentsRepository> NewSqlEnvironmentsRepository(SqlTx& tx);

class InvitationsRepository;
std::unique_ptr<InvitationsRepository> NewSqlInvitationsRepository(SqlTx& tx);

class AppsRepository;
std::unique_ptr<AppsRepository> NewSqlAppsRepository(SqlTx& tx);

class BulkRepository;
std::unique_ptr<BulkRepository> NewSqlBulkRepository(SqlTx& tx);

class SigninRepository;
std::unique_ptr<SigninRepository> NewSqlSigninRepository(SqlTx& tx);

class ConsentRepository;
std::unique_ptr<ConsentRepository> NewSqlConsentRepository(SqlTx& tx);

}  // namespace gh::store
