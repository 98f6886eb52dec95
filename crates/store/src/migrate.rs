//! Versioned schema migrations for both backends.
//!
//! Each backend has the same numbered steps (`migrations/{sqlite,postgres}/
//! NNNN_name.sql`), embedded in the binary. The `schema_version` table
//! records every applied step; opening a store applies the missing ones
//! (every step whose version is not recorded, not only those above the
//! highest: a step inserted below an applied one is still applied) in
//! order, in one transaction. A store stamped with a version this binary does
//! not know is refused ([`Error::TooNew`]) before anything is written to it.

use crate::{Error, Result};
use std::path::Path;

/// One schema step.
pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// The embedded SQLite steps, in order.
pub(crate) const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial",
        sql: include_str!("../migrations/sqlite/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "tokens",
        sql: include_str!("../migrations/sqlite/0002_tokens.sql"),
    },
    Migration {
        version: 3,
        name: "fetched",
        sql: include_str!("../migrations/sqlite/0003_fetched.sql"),
    },
    Migration {
        version: 4,
        name: "watched",
        sql: include_str!("../migrations/sqlite/0004_watched.sql"),
    },
    Migration {
        version: 5,
        name: "expectations",
        sql: include_str!("../migrations/sqlite/0005_expectations.sql"),
    },
    Migration {
        version: 6,
        name: "changes",
        sql: include_str!("../migrations/sqlite/0006_changes.sql"),
    },
    Migration {
        version: 7,
        name: "derived",
        sql: include_str!("../migrations/sqlite/0007_derived.sql"),
    },
    Migration {
        version: 8,
        name: "derived_relations",
        sql: include_str!("../migrations/sqlite/0008_derived_relations.sql"),
    },
];

/// The embedded PostgreSQL steps, in order (the same versions as SQLite).
pub(crate) const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial",
        sql: include_str!("../migrations/postgres/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "tokens",
        sql: include_str!("../migrations/postgres/0002_tokens.sql"),
    },
    Migration {
        version: 3,
        name: "fetched",
        sql: include_str!("../migrations/postgres/0003_fetched.sql"),
    },
    Migration {
        version: 4,
        name: "watched",
        sql: include_str!("../migrations/postgres/0004_watched.sql"),
    },
    Migration {
        version: 5,
        name: "expectations",
        sql: include_str!("../migrations/postgres/0005_expectations.sql"),
    },
    Migration {
        version: 6,
        name: "changes",
        sql: include_str!("../migrations/postgres/0006_changes.sql"),
    },
    Migration {
        version: 7,
        name: "derived",
        sql: include_str!("../migrations/postgres/0007_derived.sql"),
    },
    Migration {
        version: 8,
        name: "derived_relations",
        sql: include_str!("../migrations/postgres/0008_derived_relations.sql"),
    },
];

/// The newest schema version this binary knows.
pub(crate) fn latest(steps: &[Migration]) -> i64 {
    steps.last().map_or(0, |m| m.version)
}

/// Refuses a store written by a newer binary.
pub(crate) fn ensure_known(found: i64, steps: &[Migration]) -> Result<()> {
    let known = latest(steps);
    if found > known {
        return Err(Error::TooNew { found, known });
    }
    Ok(())
}

fn sqlite_error(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |source| Error::from_sqlite(path, source)
}

/// The schema version of an SQLite store (0 when it has none yet). Only
/// reads.
pub(crate) fn sqlite_version(conn: &rusqlite::Connection, path: &Path) -> Result<i64> {
    let has_table: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version')",
            [],
            |r| r.get(0),
        )
        .map_err(sqlite_error(path))?;
    if !has_table {
        return Ok(0);
    }
    conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_version",
        [],
        |r| r.get(0),
    )
    .map_err(sqlite_error(path))
}

/// The versions recorded in an SQLite store's `schema_version`.
pub(crate) fn sqlite_applied(
    conn: &rusqlite::Connection,
    path: &Path,
) -> Result<std::collections::HashSet<i64>> {
    if sqlite_version(conn, path)? == 0 {
        return Ok(Default::default());
    }
    let err = sqlite_error(path);
    let mut stmt = conn
        .prepare("SELECT version FROM schema_version")
        .map_err(&err)?;
    let rows = stmt.query_map([], |r| r.get::<_, i64>(0)).map_err(&err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(err)
}

/// Whether every step this binary knows is applied to an SQLite store.
pub(crate) fn sqlite_complete(conn: &rusqlite::Connection, path: &Path) -> Result<bool> {
    let applied = sqlite_applied(conn, path)?;
    Ok(SQLITE.iter().all(|m| applied.contains(&m.version)))
}

/// Brings an SQLite store up to the newest version; returns that version.
pub(crate) fn migrate_sqlite(conn: &mut rusqlite::Connection, path: &Path) -> Result<i64> {
    let err = sqlite_error(path);
    // Fast path: nothing to do, nothing written.
    let found = sqlite_version(conn, path)?;
    ensure_known(found, SQLITE)?;
    if sqlite_complete(conn, path)? {
        return Ok(found);
    }
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(&err)?;
    // Another process may have migrated while we waited for the lock.
    let found = sqlite_version(&tx, path)?;
    ensure_known(found, SQLITE)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at TEXT NOT NULL
         )",
    )
    .map_err(&err)?;
    let applied = sqlite_applied(&tx, path)?;
    for step in SQLITE.iter().filter(|m| !applied.contains(&m.version)) {
        tx.execute_batch(step.sql).map_err(&err)?;
        tx.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![step.version, step.name, crate::codec::now_utc()],
        )
        .map_err(&err)?;
    }
    tx.commit().map_err(&err)?;
    Ok(latest(SQLITE))
}

/// The schema version of a PostgreSQL store (0 when it has none yet), in
/// the schema the connection's `search_path` names. Only reads.
pub(crate) fn postgres_version(client: &mut impl postgres::GenericClient) -> Result<i64> {
    let has_table: bool = client
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?
        .get(0);
    if !has_table {
        return Ok(0);
    }
    Ok(client
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_version",
            &[],
        )?
        .get(0))
}

/// The versions recorded in a PostgreSQL store's `schema_version`.
pub(crate) fn postgres_applied(
    client: &mut impl postgres::GenericClient,
) -> Result<std::collections::HashSet<i64>> {
    if postgres_version(client)? == 0 {
        return Ok(Default::default());
    }
    let rows = client.query("SELECT version FROM schema_version", &[])?;
    rows.iter()
        .map(|r| r.try_get::<_, i64>(0).map_err(Error::from))
        .collect()
}

/// Whether every step this binary knows is applied to a PostgreSQL store.
pub(crate) fn postgres_complete(client: &mut impl postgres::GenericClient) -> Result<bool> {
    let applied = postgres_applied(client)?;
    Ok(POSTGRES.iter().all(|m| applied.contains(&m.version)))
}

/// A lock number shared by every vanban process migrating this database.
const MIGRATION_LOCK: i64 = 0x7661_6e62_616e_0001;

/// Brings a PostgreSQL store up to the newest version; returns that version.
pub(crate) fn migrate_postgres(client: &mut postgres::Client) -> Result<i64> {
    let found = postgres_version(client)?;
    ensure_known(found, POSTGRES)?;
    if postgres_complete(client)? {
        return Ok(found);
    }
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    let found = postgres_version(&mut tx)?;
    ensure_known(found, POSTGRES)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (
             version    BIGINT PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )?;
    let applied = postgres_applied(&mut tx)?;
    for step in POSTGRES.iter().filter(|m| !applied.contains(&m.version)) {
        tx.batch_execute(step.sql)?;
        tx.execute(
            "INSERT INTO schema_version (version, name) VALUES ($1, $2)",
            &[&step.version, &step.name],
        )?;
    }
    tx.commit()?;
    Ok(latest(POSTGRES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_increasing_steps() {
        assert_eq!(SQLITE.len(), POSTGRES.len());
        for (i, (s, p)) in SQLITE.iter().zip(POSTGRES).enumerate() {
            assert_eq!(s.version, i as i64 + 1);
            assert_eq!((s.version, s.name), (p.version, p.name));
            assert!(!s.sql.trim().is_empty() && !p.sql.trim().is_empty());
        }
    }

    #[test]
    fn a_newer_store_is_refused() {
        assert!(ensure_known(latest(SQLITE), SQLITE).is_ok());
        assert!(matches!(
            ensure_known(latest(SQLITE) + 1, SQLITE),
            Err(Error::TooNew { found, known }) if found == known + 1
        ));
    }
}
