// The registry database's schema: its version (PRAGMA user_version) and the migrations to it.
#pragma once

struct sqlite3;

namespace throng::api {

/// Schema version this build writes. 0 is the schema before versioning (a `warnings` column
/// holding a serialized v1.Job); 1 renames it `live_fields`; 2 adds `checkpointed_at_ns`.
inline constexpr int kRegistrySchemaVersion = 2;

/// Brings `db` to kRegistrySchemaVersion: creates the version-0 table when there is none, then
/// applies each migration after the database's version in its own transaction (the version is
/// set in that same transaction, so a crash leaves a database at one version or the next).
/// Throws StoreError when a migration fails or the database is newer than this build.
void MigrateRegistrySchema(sqlite3* db);

/// The database's schema version (PRAGMA user_version).
int RegistrySchemaVersion(sqlite3* db);

}  // namespace throng::api
