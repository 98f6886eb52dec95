//! The embedded backend: one SQLite file, `DIR/vanban.sqlite3`, in WAL mode.
//!
//! Every batch is one `IMMEDIATE` transaction through cached prepared
//! statements; reads go through the same connection.

use crate::codec::{self, StoredRows, StoredSource};
use crate::derived::{self, DerivedRows, DerivedTx};
use crate::graph::CanonicalDocument;
use crate::{
    migrate, Backend, Counts, Error, FetchRecord, Inserted, NewSource, Result, SourceFacts,
    SourceText, TokenRecord, WatchedSource,
};
use rusqlite::{params, Connection, TransactionBehavior};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;
use vanban_extract::{Document, Event, Official, Relation};

/// The file name of the embedded store inside its directory.
pub(crate) const FILE_NAME: &str = "vanban.sqlite3";

/// How many sources [`Backend::for_each_source`] reads at a time.
const PAGE: i64 = 256;

/// The longest one statement may run unless the caller sets another
/// ([`Backend::set_statement_timeout`]), as on PostgreSQL.
const STATEMENT_TIMEOUT: Duration = Duration::from_secs(120);

/// The longest a statement waits for another process's lock on the store
/// (no longer than its statement time-out).
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// Virtual machine instructions between two looks of the progress handler
/// at the clock (well under a millisecond).
const PROGRESS_OPS: std::os::raw::c_int = 20_000;

/// Limits every statement on `conn` to `limit`: its lock wait (SQLite's
/// busy time-out) and its run, which the progress handler interrupts
/// (`SQLITE_INTERRUPT`, [`Error::StoreTimeout`]). A new run of a statement
/// is told by its run counter (`SQLITE_STMTSTATUS_RUN`, read and reset at
/// each look): the clock starts again at each, so that a long operation
/// made of many short statements is not cut, one long statement is.
fn limit_statements(conn: &Connection, limit: Duration) -> rusqlite::Result<()> {
    use rusqlite::ffi;
    conn.busy_timeout(limit.min(LOCK_WAIT))?;
    // SAFETY: the handle is used only by the progress handler, which
    // SQLite calls from within a statement of this very connection (so the
    // connection is open, and used by the calling thread alone); the
    // handler is replaced or dropped with the connection.
    let db = unsafe { conn.handle() } as usize;
    let mut since = std::time::Instant::now();
    conn.progress_handler(
        PROGRESS_OPS,
        Some(move || {
            let db = db as *mut ffi::sqlite3;
            let mut started = false;
            // SAFETY: see above; these calls only walk the connection's
            // list of statements and read (and reset) one counter, which
            // nothing else uses.
            unsafe {
                let mut stmt = ffi::sqlite3_next_stmt(db, std::ptr::null_mut());
                while !stmt.is_null() {
                    if ffi::sqlite3_stmt_busy(stmt) != 0
                        && ffi::sqlite3_stmt_status(stmt, ffi::SQLITE_STMTSTATUS_RUN, 1) > 0
                    {
                        started = true;
                    }
                    stmt = ffi::sqlite3_next_stmt(db, stmt);
                }
            }
            if started {
                since = std::time::Instant::now();
                return false;
            }
            since.elapsed() > limit
        }),
    );
    Ok(())
}

pub(crate) struct SqliteBackend {
    conn: Connection,
    path: PathBuf,
    /// The longest one statement may run (and wait for the store's lock),
    /// see [`limit_statements`].
    statement_timeout: Duration,
    /// See [`Backend::defer_derived`].
    defer: bool,
    /// The quota it was opened with (kept for [`Backend::opener`]).
    max_pages: Option<u64>,
}

fn sqlite_error(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |source| Error::from_sqlite(path, source)
}

/// Column `i` of row `r` as text (a stored text column that is not text
/// is a corrupt store).
fn text_at<'r>(
    r: &'r rusqlite::Row<'_>,
    i: usize,
    err: &impl Fn(rusqlite::Error) -> Error,
) -> Result<&'r str> {
    r.get_ref(i)
        .map_err(err)?
        .as_str()
        .map_err(|e| err(e.into()))
}

impl SqliteBackend {
    /// Whether the derived state must be rebuilt (a migrated store).
    fn stale(&self) -> Result<bool> {
        let err = sqlite_error(&self.path);
        let stale: Option<i64> = self
            .conn
            .query_row("SELECT stale FROM derived_state WHERE id = 1", [], |r| {
                r.get(0)
            })
            .map_err(&err)?;
        Ok(stale != Some(0))
    }

    /// Opens (creating and migrating) the store in `dir`. `max_pages` caps
    /// the file's size in pages for this connection (a quota).
    /// A store that exists but cannot be written (a read-only file system,
    /// no write permission) is opened read-only instead, when it needs no
    /// migration: reads work, and every write fails with
    /// [`Error::NotWritable`] naming the file.
    pub(crate) fn open(dir: &Path, max_pages: Option<u64>) -> Result<Self> {
        match Self::open_writable(dir, max_pages) {
            Err(e @ Error::NotWritable { .. }) => {
                let path = dir.join(FILE_NAME);
                if !path.is_file() {
                    return Err(e);
                }
                Self::open_read_only(&path).ok_or(e)
            }
            other => other,
        }
    }

    /// Read-only, as it is (a WAL store whose `-shm` file cannot be
    /// created is opened as immutable: nobody can write it meanwhile).
    fn open_read_only(path: &Path) -> Option<Self> {
        use rusqlite::OpenFlags;
        let plain = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY);
        let usable = |conn: &Connection| migrate::sqlite_complete(conn, path).unwrap_or(false);
        let conn = match plain {
            Ok(conn) if usable(&conn) => conn,
            _ => {
                let mut uri = String::from("file:");
                for c in path.to_string_lossy().chars() {
                    match c {
                        '%' => uri.push_str("%25"),
                        '?' => uri.push_str("%3f"),
                        '#' => uri.push_str("%23"),
                        c => uri.push(c),
                    }
                }
                uri.push_str("?immutable=1");
                let conn = Connection::open_with_flags(
                    uri,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
                )
                .ok()?;
                if !usable(&conn) {
                    return None;
                }
                conn
            }
        };
        conn.set_prepared_statement_cache_capacity(32);
        limit_statements(&conn, STATEMENT_TIMEOUT).ok()?;
        Some(SqliteBackend {
            conn,
            path: path.to_path_buf(),
            statement_timeout: STATEMENT_TIMEOUT,
            defer: false,
            max_pages: None,
        })
    }

    fn open_writable(dir: &Path, max_pages: Option<u64>) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|source| Error::DataDir {
            dir: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(FILE_NAME);
        let err = sqlite_error(&path);
        let mut conn = Connection::open(&path).map_err(&err)?;
        limit_statements(&conn, STATEMENT_TIMEOUT).map_err(&err)?;
        // Refuse a newer store before anything (even the journal mode) is
        // written to it.
        migrate::ensure_known(migrate::sqlite_version(&conn, &path)?, migrate::SQLITE)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -65536;
             PRAGMA temp_store = MEMORY;
             PRAGMA mmap_size = 268435456;",
        )
        .map_err(&err)?;
        if let Some(pages) = max_pages {
            conn.pragma_update(None, "max_page_count", pages)
                .map_err(&err)?;
        }
        conn.set_prepared_statement_cache_capacity(32);
        migrate::migrate_sqlite(&mut conn, &path)?;
        drop(err);
        let mut backend = SqliteBackend {
            conn,
            path,
            statement_timeout: STATEMENT_TIMEOUT,
            defer: false,
            max_pages,
        };
        if backend.stale()? {
            backend.rebuild_derived()?;
        }
        Ok(backend)
    }

    /// Reads sources with ids in `from..=to` (at most `limit` of them) and
    /// their facts. Mentions are read on a second connection in parallel
    /// when many sources are read at once.
    fn read(&self, from: i64, to: i64, limit: i64, with_text: bool) -> Result<StoredRows> {
        let mut rows = StoredRows {
            sources: read_sources(&self.conn, &self.path, from, to, limit, with_text)?,
            ..StoredRows::default()
        };
        // Children of exactly the sources read: later batches (committed
        // meanwhile by another process) have higher ids and are left out.
        let (from, to) = match (rows.sources.first(), rows.sources.last()) {
            (Some(a), Some(b)) => (a.id, b.id),
            _ => return Ok(rows),
        };
        let reader = if rows.sources.len() >= PARALLEL_FROM {
            open_reader(&self.path, self.statement_timeout)
        } else {
            None
        };
        match reader {
            Some(reader) => {
                let path = &self.path;
                let (documents, others) = std::thread::scope(|scope| {
                    let documents = scope.spawn(move || read_documents(&reader, path, from, to));
                    let others = read_others(&self.conn, path, from, to, &mut rows);
                    (documents.join(), others)
                });
                others?;
                rows.documents = documents.map_err(|_| {
                    Error::Corrupt("reading the stored mentions failed unexpectedly".into())
                })??;
            }
            None => {
                rows.documents = read_documents(&self.conn, &self.path, from, to)?;
                read_others(&self.conn, &self.path, from, to, &mut rows)?;
            }
        }
        Ok(rows)
    }
}

/// From how many sources on [`SqliteBackend::read`] uses a second thread.
const PARALLEL_FROM: usize = 2048;

/// A second, read-only connection to the store (none if it cannot be had:
/// the caller then reads on its own connection).
fn open_reader(path: &Path, statement_timeout: Duration) -> Option<Connection> {
    use rusqlite::OpenFlags;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    limit_statements(&conn, statement_timeout).ok()?;
    conn.execute_batch("PRAGMA mmap_size = 2147418112; PRAGMA cache_size = -65536;")
        .ok()?;
    Some(conn)
}

fn read_sources(
    conn: &Connection,
    path: &Path,
    from: i64,
    to: i64,
    limit: i64,
    with_text: bool,
) -> Result<Vec<StoredSource>> {
    let err = sqlite_error(path);
    let mut sources = Vec::new();
    let sources_sql = if with_text {
        "SELECT id, hash, source, published, title, text FROM sources
             WHERE id BETWEEN ?1 AND ?2 ORDER BY id LIMIT ?3"
    } else {
        "SELECT id, hash, source, published, title, NULL FROM sources
             INDEXED BY sources_without_text
             WHERE id BETWEEN ?1 AND ?2 ORDER BY id LIMIT ?3"
    };
    let mut stmt = conn.prepare_cached(sources_sql).map_err(&err)?;
    let mut q = stmt.query(params![from, to, limit]).map_err(&err)?;
    while let Some(r) = q.next().map_err(&err)? {
        let published: Option<String> = r.get(3).map_err(&err)?;
        sources.push(StoredSource {
            id: r.get(0).map_err(&err)?,
            hash: r.get(1).map_err(&err)?,
            source: r.get(2).map_err(&err)?,
            published: codec::parse_opt_date(published.as_deref())?,
            title: r.get(4).map_err(&err)?,
            text: r.get(5).map_err(&err)?,
        });
    }
    Ok(sources)
}

fn read_documents(
    conn: &Connection,
    path: &Path,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, Document, String)>> {
    let err = sqlite_error(path);
    let mut documents = Vec::new();
    let mut stmt = conn
        .prepare_cached(
            "SELECT source_id, kind, number, symbol, year, date, issuer, title, spans, excerpt
                 FROM documents WHERE source_id BETWEEN ?1 AND ?2 ORDER BY source_id, idx",
        )
        .map_err(&err)?;
    let mut q = stmt.query(params![from, to]).map_err(&err)?;
    while let Some(r) = q.next().map_err(&err)? {
        let date: Option<String> = r.get(5).map_err(&err)?;
        let kind = text_at(r, 1, &err)?;
        let spans = text_at(r, 8, &err)?;
        let doc = Document {
            kind: codec::parse_kind(kind)?,
            number: r.get(2).map_err(&err)?,
            symbol: r.get(3).map_err(&err)?,
            year: r.get(4).map_err(&err)?,
            date: codec::parse_opt_date(date.as_deref())?,
            issuer: r.get(6).map_err(&err)?,
            title: r.get(7).map_err(&err)?,
            mentions: codec::parse_spans(spans)?,
        };
        documents.push((r.get(0).map_err(&err)?, doc, r.get(9).map_err(&err)?));
    }
    Ok(documents)
}

/// Relations, events and officials of the sources `from..=to`.
fn read_others(
    conn: &Connection,
    path: &Path,
    from: i64,
    to: i64,
    rows: &mut StoredRows,
) -> Result<()> {
    let err = sqlite_error(path);
    let mut stmt = conn
        .prepare_cached(
            "SELECT source_id, type, from_idx, to_idx FROM relations
                 WHERE source_id BETWEEN ?1 AND ?2 ORDER BY source_id, idx",
        )
        .map_err(&err)?;
    let mut q = stmt.query(params![from, to]).map_err(&err)?;
    while let Some(r) = q.next().map_err(&err)? {
        let kind = text_at(r, 1, &err)?;
        let relation = Relation {
            kind: codec::parse_relation_kind(kind)?,
            from: codec::index(r.get(2).map_err(&err)?)?,
            to: codec::index(r.get(3).map_err(&err)?)?,
        };
        rows.relations.push((r.get(0).map_err(&err)?, relation));
    }
    drop(q);

    let mut stmt = conn
        .prepare_cached(
            "SELECT source_id, type, date, end_date, province, organizer, documents
                 FROM events WHERE source_id BETWEEN ?1 AND ?2 ORDER BY source_id, idx",
        )
        .map_err(&err)?;
    let mut q = stmt.query(params![from, to]).map_err(&err)?;
    while let Some(r) = q.next().map_err(&err)? {
        let kind = text_at(r, 1, &err)?;
        let date: Option<String> = r.get(2).map_err(&err)?;
        let end_date: Option<String> = r.get(3).map_err(&err)?;
        let documents = text_at(r, 6, &err)?;
        let event = Event {
            kind: codec::parse_event_kind(kind)?,
            date: codec::parse_opt_date(date.as_deref())?,
            end_date: codec::parse_opt_date(end_date.as_deref())?,
            province: r.get(4).map_err(&err)?,
            organizer: r.get(5).map_err(&err)?,
            documents: codec::parse_indexes(documents)?,
        };
        rows.events.push((r.get(0).map_err(&err)?, event));
    }
    drop(q);

    let mut stmt = conn
        .prepare_cached(
            "SELECT source_id, name, positions FROM officials
                 WHERE source_id BETWEEN ?1 AND ?2 ORDER BY source_id, idx",
        )
        .map_err(&err)?;
    let mut q = stmt.query(params![from, to]).map_err(&err)?;
    while let Some(r) = q.next().map_err(&err)? {
        let positions = text_at(r, 2, &err)?;
        let official = Official {
            name: r.get(1).map_err(&err)?,
            positions: codec::parse_strings(positions)?,
        };
        rows.officials.push((r.get(0).map_err(&err)?, official));
    }
    Ok(())
}

/// The derived state's side of a write transaction.
struct SqliteTx<'a> {
    conn: &'a Connection,
    path: &'a Path,
}

impl SqliteTx<'_> {
    fn rows_of(&self, from: i64, to: i64) -> Result<StoredRows> {
        let mut rows = StoredRows {
            sources: read_sources(self.conn, self.path, from, to, i64::MAX, false)?,
            ..StoredRows::default()
        };
        rows.documents = read_documents(self.conn, self.path, from, to)?;
        read_others(self.conn, self.path, from, to, &mut rows)?;
        Ok(rows)
    }
}

impl DerivedTx for SqliteTx<'_> {
    fn sources_with_keys(&mut self, keys: &[String]) -> Result<Vec<i64>> {
        let err = sqlite_error(self.path);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT source_id FROM derived_keys WHERE number_key = ?1")
            .map_err(&err)?;
        let mut ids = Vec::new();
        for key in keys {
            let rows = stmt
                .query_map([key], |r| r.get::<_, i64>(0))
                .map_err(&err)?;
            for id in rows {
                ids.push(id.map_err(&err)?);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    fn facts_of(&mut self, ids: &[i64]) -> Result<Vec<SourceFacts>> {
        // Runs of consecutive ids are read as one range.
        let mut out = Vec::with_capacity(ids.len());
        let mut i = 0;
        while i < ids.len() {
            let mut j = i;
            while j + 1 < ids.len() && ids[j + 1] == ids[j] + 1 {
                j += 1;
            }
            let rows = self.rows_of(ids[i], ids[j])?;
            out.extend(codec::assemble(rows).into_iter().map(|(f, _)| f));
            i = j + 1;
        }
        Ok(out)
    }

    fn all_facts(&mut self) -> Result<Vec<SourceFacts>> {
        let rows = self.rows_of(i64::MIN, i64::MAX)?;
        Ok(codec::assemble(rows).into_iter().map(|(f, _)| f).collect())
    }

    fn resolution_of(&mut self, ids: &[i64]) -> Result<Vec<(i64, i64, String)>> {
        let err = sqlite_error(self.path);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT idx, document FROM derived_resolution WHERE source_id = ?1")
            .map_err(&err)?;
        let mut out = Vec::new();
        for &id in ids {
            let rows = stmt
                .query_map([id], |r| {
                    Ok((id, r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })
                .map_err(&err)?;
            for row in rows {
                out.push(row.map_err(&err)?);
            }
        }
        Ok(out)
    }

    fn clear(&mut self, keys: Option<&[String]>) -> Result<()> {
        let err = sqlite_error(self.path);
        match keys {
            None => self
                .conn
                .execute_batch(
                    "DELETE FROM derived_keys; DELETE FROM derived_documents;
                     DELETE FROM derived_resolution; DELETE FROM derived_relations;",
                )
                .map_err(&err)?,
            Some(keys) => {
                let mut docs = self
                    .conn
                    .prepare_cached("DELETE FROM derived_documents WHERE number_key = ?1")
                    .map_err(&err)?;
                let mut res = self
                    .conn
                    .prepare_cached("DELETE FROM derived_resolution WHERE number_key = ?1")
                    .map_err(&err)?;
                let mut rel = self
                    .conn
                    .prepare_cached(
                        "DELETE FROM derived_relations WHERE from_key = ?1 OR to_key = ?1",
                    )
                    .map_err(&err)?;
                for key in keys {
                    docs.execute([key]).map_err(&err)?;
                    res.execute([key]).map_err(&err)?;
                    rel.execute([key]).map_err(&err)?;
                }
            }
        }
        Ok(())
    }

    fn put_keys(&mut self, keys: &[(String, i64)]) -> Result<()> {
        let err = sqlite_error(self.path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO derived_keys (number_key, source_id) VALUES (?1, ?2)",
            )
            .map_err(&err)?;
        for (key, id) in keys {
            stmt.execute(params![key, id]).map_err(&err)?;
        }
        Ok(())
    }

    fn put(&mut self, rows: &DerivedRows) -> Result<()> {
        let err = sqlite_error(self.path);
        let mut doc = self
            .conn
            .prepare_cached(
                "INSERT INTO derived_documents (id, number_key, body) VALUES (?1, ?2, ?3)",
            )
            .map_err(&err)?;
        for (id, key, body) in &rows.documents {
            doc.execute(params![id, key, body]).map_err(&err)?;
        }
        let mut res = self
            .conn
            .prepare_cached(
                "INSERT INTO derived_resolution (source_id, idx, number_key, document)
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(&err)?;
        for (source, idx, key, document) in &rows.resolution {
            res.execute(params![source, idx, key, document])
                .map_err(&err)?;
        }
        let mut rel = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO derived_relations (kind, from_doc, to_doc, from_key, to_key)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .map_err(&err)?;
        for (kind, from, to, from_key, to_key) in &rows.relations {
            rel.execute(params![kind, from, to, from_key, to_key])
                .map_err(&err)?;
        }
        Ok(())
    }
}

impl Backend for SqliteBackend {
    fn opener(&self) -> crate::Opener {
        let dir = self
            .path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let max_pages = self.max_pages;
        let timeout = self.statement_timeout;
        std::sync::Arc::new(move || {
            let mut backend = SqliteBackend::open(&dir, max_pages)?;
            backend.set_statement_timeout(timeout)?;
            Ok(Box::new(backend) as Box<dyn Backend>)
        })
    }

    fn set_statement_timeout(&mut self, timeout: Duration) -> Result<()> {
        limit_statements(&self.conn, timeout).map_err(|e| Error::from_sqlite(&self.path, e))?;
        self.statement_timeout = timeout;
        Ok(())
    }

    fn rebuild_derived(&mut self) -> Result<u64> {
        let err = sqlite_error(&self.path);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        let documents = derived::rebuild(&mut SqliteTx {
            conn: &tx,
            path: &self.path,
        })?;
        tx.execute("UPDATE derived_state SET stale = 0 WHERE id = 1", [])
            .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(documents)
    }

    fn defer_derived(&mut self, defer: bool) {
        self.defer = defer;
    }

    fn derived_stale(&mut self) -> Result<bool> {
        self.stale()
    }

    fn facts_with_keys(&mut self, keys: &[String]) -> Result<Vec<SourceFacts>> {
        let mut tx = SqliteTx {
            conn: &self.conn,
            path: &self.path,
        };
        let ids = tx.sources_with_keys(keys)?;
        tx.facts_of(&ids)
    }

    fn derived_counts(&mut self) -> Result<crate::DerivedCounts> {
        let err = sqlite_error(&self.path);
        self.conn
            .query_row(
                "SELECT (SELECT count(*) FROM derived_documents),
                        (SELECT count(*) FROM derived_relations)",
                [],
                |r| {
                    Ok(crate::DerivedCounts {
                        documents: r.get::<_, i64>(0)? as u64,
                        relations: r.get::<_, i64>(1)? as u64,
                    })
                },
            )
            .map_err(err)
    }

    fn derived_documents(&mut self, keys: &[String]) -> Result<Vec<CanonicalDocument>> {
        let err = sqlite_error(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, body FROM derived_documents WHERE number_key = ?1")
            .map_err(&err)?;
        let mut bodies: Vec<(String, String)> = Vec::new();
        for key in keys {
            let rows = stmt
                .query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(&err)?;
            for row in rows {
                bodies.push(row.map_err(&err)?);
            }
        }
        derived::parse_documents(bodies)
    }

    fn derived_document_ids(&mut self) -> Result<Vec<String>> {
        let err = sqlite_error(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM derived_documents ORDER BY id")
            .map_err(&err)?;
        let ids = stmt
            .query_map([], |r| r.get(0))
            .map_err(&err)?
            .collect::<rusqlite::Result<_>>()
            .map_err(&err)?;
        Ok(ids)
    }

    fn derived_document_key(&mut self, id: &str) -> Result<Option<String>> {
        let err = sqlite_error(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT number_key FROM derived_documents WHERE id = ?1")
            .map_err(&err)?;
        let mut rows = stmt.query_map([id], |r| r.get(0)).map_err(&err)?;
        rows.next().transpose().map_err(err)
    }

    fn derived_replacements(
        &mut self,
        id: &str,
        key: &str,
    ) -> Result<Vec<(String, String, String, String)>> {
        let err = sqlite_error(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT from_doc, to_doc, from_key, to_key FROM derived_relations
                  WHERE kind = 'replaces' AND from_doc = ?1
                 UNION ALL
                 SELECT from_doc, to_doc, from_key, to_key FROM derived_relations
                  WHERE kind = 'replaces' AND to_key = ?2 AND to_doc = ?1",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([id, key], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .map_err(&err)?
            .collect::<rusqlite::Result<_>>()
            .map_err(&err)?;
        Ok(rows)
    }

    fn derived_document_ids_of(&mut self, keys: &[String]) -> Result<Vec<(String, String)>> {
        let err = sqlite_error(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM derived_documents WHERE number_key = ?1")
            .map_err(&err)?;
        let mut out = Vec::new();
        for key in keys {
            let rows = stmt.query_map([key], |r| r.get(0)).map_err(&err)?;
            for id in rows {
                out.push((key.clone(), id.map_err(&err)?));
            }
        }
        Ok(out)
    }

    fn derived_resolution(&mut self, ids: &[i64]) -> Result<Vec<(i64, i64, String)>> {
        SqliteTx {
            conn: &self.conn,
            path: &self.path,
        }
        .resolution_of(ids)
    }

    fn facts_of(&mut self, ids: &[i64]) -> Result<Vec<SourceFacts>> {
        SqliteTx {
            conn: &self.conn,
            path: &self.path,
        }
        .facts_of(ids)
    }

    fn derived_dump(&mut self) -> Result<Vec<String>> {
        let err = sqlite_error(&self.path);
        let mut rows = DerivedRows::default();
        let mut stmt = self
            .conn
            .prepare("SELECT number_key, source_id FROM derived_keys")
            .map_err(&err)?;
        rows.keys = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(&err)?
            .collect::<rusqlite::Result<_>>()
            .map_err(&err)?;
        let mut stmt = self
            .conn
            .prepare("SELECT id, number_key, body FROM derived_documents")
            .map_err(&err)?;
        rows.documents = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(&err)?
            .collect::<rusqlite::Result<_>>()
            .map_err(&err)?;
        let mut stmt = self
            .conn
            .prepare("SELECT source_id, idx, number_key, document FROM derived_resolution")
            .map_err(&err)?;
        rows.resolution = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .map_err(&err)?
            .collect::<rusqlite::Result<_>>()
            .map_err(&err)?;
        let mut stmt = self
            .conn
            .prepare("SELECT kind, from_doc, to_doc, from_key, to_key FROM derived_relations")
            .map_err(&err)?;
        rows.relations = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .map_err(&err)?
            .collect::<rusqlite::Result<_>>()
            .map_err(&err)?;
        Ok(derived::dump_lines(rows))
    }

    fn schema_version(&mut self) -> Result<i64> {
        migrate::sqlite_version(&self.conn, &self.path)
    }

    fn known_hashes(&mut self, hashes: &[String]) -> Result<HashSet<String>> {
        let err = sqlite_error(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM sources WHERE hash = ?1")
            .map_err(&err)?;
        let mut known = HashSet::new();
        for hash in hashes {
            if stmt.exists([hash]).map_err(&err)? {
                known.insert(hash.clone());
            }
        }
        Ok(known)
    }

    fn insert(&mut self, batch: &[NewSource]) -> Result<Inserted> {
        let err = sqlite_error(&self.path);
        let mut done = Inserted::default();
        let mut stored: Vec<(i64, &vanban_extract::Extraction)> = Vec::new();
        let now = codec::now_utc();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        let mut first_id: Option<i64> = None;
        let mut last_id: Option<i64> = None;
        {
            let mut exists = tx
                .prepare_cached("SELECT 1 FROM sources WHERE hash = ?1")
                .map_err(&err)?;
            let mut source = tx
                .prepare_cached(
                    "INSERT INTO sources (hash, source, published, title, text, bytes, ingested_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(&err)?;
            let mut document = tx
                .prepare_cached(
                    "INSERT INTO documents
                     (source_id, idx, kind, number, symbol, year, date, issuer, title, spans, excerpt)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )
                .map_err(&err)?;
            let mut relation = tx
                .prepare_cached(
                    "INSERT INTO relations (source_id, idx, type, from_idx, to_idx)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(&err)?;
            let mut event = tx
                .prepare_cached(
                    "INSERT INTO events
                     (source_id, idx, type, date, end_date, province, organizer, documents)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(&err)?;
            let mut official = tx
                .prepare_cached(
                    "INSERT INTO officials (source_id, idx, name, positions) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(&err)?;
            let mut seen: HashSet<&str> = HashSet::with_capacity(batch.len());
            for new in batch {
                if !seen.insert(new.hash.as_str()) || exists.exists([&new.hash]).map_err(&err)? {
                    done.unchanged += 1;
                    continue;
                }
                let row = codec::encode(new);
                let id = source
                    .insert(params![
                        row.hash,
                        row.source,
                        row.published,
                        row.title,
                        row.text,
                        row.bytes,
                        now
                    ])
                    .map_err(&err)?;
                for (i, d) in row.documents.iter().enumerate() {
                    document
                        .execute(params![
                            id, i as i64, d.kind, d.number, d.symbol, d.year, d.date, d.issuer,
                            d.title, d.spans, d.excerpt
                        ])
                        .map_err(&err)?;
                }
                for (i, r) in row.relations.iter().enumerate() {
                    relation
                        .execute(params![id, i as i64, r.kind, r.from, r.to])
                        .map_err(&err)?;
                }
                for (i, e) in row.events.iter().enumerate() {
                    event
                        .execute(params![
                            id,
                            i as i64,
                            e.kind,
                            e.date,
                            e.end_date,
                            e.province,
                            e.organizer,
                            e.documents
                        ])
                        .map_err(&err)?;
                }
                for (i, o) in row.officials.iter().enumerate() {
                    official
                        .execute(params![id, i as i64, o.name, o.positions])
                        .map_err(&err)?;
                }
                first_id.get_or_insert(id);
                last_id = Some(id);
                stored.push((id, &new.extraction));
                done.new += 1;
            }
        }
        if done.new > 0 {
            tx.prepare_cached(
                "INSERT INTO changes (kind, first_id, last_id, at) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut c| c.execute(params![crate::CHANGE_SOURCES, first_id, last_id, now]))
            .map_err(&err)?;
            done.change = Some(tx.last_insert_rowid());
        }
        if self.defer {
            if !stored.is_empty() {
                tx.execute("UPDATE derived_state SET stale = 1 WHERE id = 1", [])
                    .map_err(&err)?;
            }
        } else {
            done.touched = Some(derived::update(
                &mut SqliteTx {
                    conn: &tx,
                    path: &self.path,
                },
                &stored,
            )?);
        }
        done.ids = stored.iter().map(|(id, _)| *id).collect();
        tx.commit().map_err(&err)?;
        Ok(done)
    }

    fn load_facts(&mut self) -> Result<Vec<SourceFacts>> {
        codec::load_facts(&mut |from, to, limit, text| self.read(from, to, limit, text))
    }

    fn source_text(&mut self, id: i64) -> Result<Option<SourceText>> {
        codec::source_text(
            &mut |from, to, limit, text| self.read(from, to, limit, text),
            id,
        )
    }

    fn for_each_source(
        &mut self,
        f: &mut dyn FnMut(SourceText) -> std::result::Result<(), String>,
    ) -> Result<()> {
        codec::for_each_source(
            &mut |from, to, limit, text| self.read(from, to, limit, text),
            PAGE,
            f,
        )
    }

    fn counts(&mut self) -> Result<Counts> {
        let err = sqlite_error(&self.path);
        self.conn
            .query_row(
                "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM documents),
                        (SELECT count(*) FROM relations), (SELECT count(*) FROM events),
                        (SELECT count(*) FROM officials)",
                [],
                |r| {
                    Ok(Counts {
                        sources: r.get::<_, i64>(0)? as u64,
                        documents: r.get::<_, i64>(1)? as u64,
                        relations: r.get::<_, i64>(2)? as u64,
                        events: r.get::<_, i64>(3)? as u64,
                        officials: r.get::<_, i64>(4)? as u64,
                    })
                },
            )
            .map_err(err)
    }

    fn put_token(&mut self, name: &str, hash: &str) -> Result<()> {
        let err = sqlite_error(&self.path);
        self.conn
            .prepare_cached(
                "INSERT INTO tokens (name, hash, created) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, created = excluded.created",
            )
            .and_then(|mut s| s.execute(params![name, hash, codec::now_utc()]))
            .map_err(err)?;
        Ok(())
    }

    fn tokens(&mut self) -> Result<Vec<TokenRecord>> {
        let err = sqlite_error(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, hash, created FROM tokens ORDER BY name")
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(TokenRecord {
                    name: r.get(0)?,
                    hash: r.get(1)?,
                    created: r.get(2)?,
                })
            })
            .map_err(&err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
    }

    fn fetch_record(&mut self, url: &str) -> Result<Option<FetchRecord>> {
        let err = sqlite_error(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT url, source, hash, etag, last_modified, published, fetched_at
                 FROM fetched WHERE url = ?1",
            )
            .map_err(&err)?;
        let mut rows = stmt
            .query_map(params![url], |r| {
                Ok((
                    FetchRecord {
                        url: r.get(0)?,
                        source: r.get(1)?,
                        hash: r.get(2)?,
                        etag: r.get(3)?,
                        last_modified: r.get(4)?,
                        published: None,
                        fetched_at: r.get(6)?,
                    },
                    r.get::<_, Option<String>>(5)?,
                ))
            })
            .map_err(&err)?;
        match rows.next() {
            None => Ok(None),
            Some(row) => {
                let (mut record, published) = row.map_err(err)?;
                record.published = published.as_deref().map(codec::parse_date).transpose()?;
                Ok(Some(record))
            }
        }
    }

    fn put_fetch_record(&mut self, record: &FetchRecord) -> Result<()> {
        let err = sqlite_error(&self.path);
        self.conn
            .prepare_cached(
                "INSERT INTO fetched (url, source, hash, etag, last_modified, published, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (url) DO UPDATE SET source = excluded.source, hash = excluded.hash,
                   etag = excluded.etag, last_modified = excluded.last_modified,
                   published = excluded.published, fetched_at = excluded.fetched_at",
            )
            .and_then(|mut s| {
                s.execute(params![
                    record.url,
                    record.source,
                    record.hash,
                    record.etag,
                    record.last_modified,
                    codec::date_text(record.published),
                    record.fetched_at
                ])
            })
            .map_err(err)?;
        Ok(())
    }

    fn ingested_at(&mut self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        let err = sqlite_error(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT ingested_at FROM sources WHERE id = ?1")
            .map_err(&err)?;
        let mut out = HashMap::new();
        for &id in ids {
            let mut rows = stmt.query([id]).map_err(&err)?;
            if let Some(row) = rows.next().map_err(&err)? {
                out.insert(id, row.get(0).map_err(&err)?);
            }
        }
        Ok(out)
    }

    fn watched_sources(&mut self) -> Result<Vec<WatchedSource>> {
        let err = sqlite_error(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached(crate::watched::SQL_LIST)
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(WatchedSource {
                    url: r.get(0)?,
                    every_seconds: r.get(1)?,
                    origin: r.get(2)?,
                    added_at: r.get(3)?,
                    last_fetch: r.get(4)?,
                    next_due: r.get(5)?,
                    failures: r.get(6)?,
                    last_error: r.get(7)?,
                })
            })
            .map_err(&err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
    }

    fn put_watched_source(&mut self, s: &WatchedSource) -> Result<()> {
        let err = sqlite_error(&self.path);
        self.conn
            .prepare_cached(crate::watched::SQL_PUT_SQLITE)
            .and_then(|mut st| {
                st.execute(params![
                    s.url,
                    s.every_seconds,
                    s.origin,
                    s.added_at,
                    s.last_fetch,
                    s.next_due,
                    s.failures,
                    s.last_error
                ])
            })
            .map_err(err)?;
        Ok(())
    }

    fn remove_watched_source(&mut self, url: &str) -> Result<bool> {
        let err = sqlite_error(&self.path);
        let n = self
            .conn
            .prepare_cached(crate::watched::SQL_DELETE_SQLITE)
            .and_then(|mut st| st.execute(params![url]))
            .map_err(err)?;
        Ok(n > 0)
    }

    fn add_expectation(&mut self, e: &crate::expectations::NewExpectation) -> Result<i64> {
        use crate::expectations as x;
        let err = sqlite_error(&self.path);
        let (deadline, within) = x::deadline_columns(e.deadline);
        self.conn
            .prepare_cached(x::SQL_INSERT_SQLITE)
            .and_then(|mut st| {
                st.execute(params![
                    e.document,
                    e.stage.code(),
                    deadline,
                    within,
                    x::join_provinces(&e.provinces),
                    e.set_by,
                    e.set_at,
                    e.note
                ])
            })
            .map_err(err)?;
        Ok(self.conn.last_insert_rowid())
    }

    fn expectations(
        &mut self,
        document: Option<&str>,
    ) -> Result<Vec<crate::expectations::Expectation>> {
        use crate::expectations as x;
        let err = sqlite_error(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached(&x::sql_list(false, document.is_some()))
            .map_err(&err)?;
        let map = |r: &rusqlite::Row<'_>| -> rusqlite::Result<Option<x::Expectation>> {
            let stage: String = r.get(2)?;
            let provinces: String = r.get(5)?;
            Ok(x::from_row(
                r.get(0)?,
                r.get(1)?,
                &stage,
                r.get(3)?,
                r.get(4)?,
                &provinces,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        };
        let rows = match document {
            Some(d) => stmt
                .query_map(params![d], map)
                .map_err(&err)?
                .collect::<rusqlite::Result<Vec<_>>>(),
            None => stmt
                .query_map([], map)
                .map_err(&err)?
                .collect::<rusqlite::Result<Vec<_>>>(),
        }
        .map_err(err)?;
        Ok(rows.into_iter().flatten().collect())
    }

    fn remove_expectation(&mut self, id: i64) -> Result<bool> {
        let err = sqlite_error(&self.path);
        let n = self
            .conn
            .prepare_cached(crate::expectations::SQL_DELETE_SQLITE)
            .and_then(|mut st| st.execute(params![id]))
            .map_err(err)?;
        Ok(n > 0)
    }

    fn latest_change(&mut self) -> Result<i64> {
        let err = sqlite_error(&self.path);
        self.conn
            .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM changes")
            .and_then(|mut st| st.query_row([], |r| r.get(0)))
            .map_err(err)
    }

    fn changes_since(&mut self, seq: i64, limit: i64) -> Result<Vec<crate::Change>> {
        let err = sqlite_error(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, kind, first_id, last_id FROM changes
                 WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map(params![seq, limit], |r| {
                Ok(crate::Change {
                    seq: r.get(0)?,
                    kind: r.get(1)?,
                    first_id: r.get(2)?,
                    last_id: r.get(3)?,
                })
            })
            .map_err(&err)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(&err)?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// A statement that counts to `n` (about 20 instructions a step).
    fn count_to(n: u64) -> String {
        format!(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {n})
             SELECT count(*) FROM c"
        )
    }

    #[test]
    fn a_statement_past_its_time_out_is_stopped_with_a_named_error() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut backend = SqliteBackend::open(dir.path(), None).expect("open");
        backend
            .set_statement_timeout(Duration::from_millis(300))
            .expect("set the time-out");
        // Without end.
        let started = Instant::now();
        let err = backend
            .conn
            .query_row(&count_to(u64::MAX / 2), [], |r| r.get::<_, i64>(0))
            .map_err(|e| Error::from_sqlite(&backend.path, e))
            .expect_err("stopped");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert!(matches!(err, Error::StoreTimeout { .. }), "{err:?}");
        assert!(err.is_busy() && !err.is_unavailable(), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("truy vấn quá thời hạn"), "{message}");
        assert!(message.contains("vanban.sqlite3"), "{message}");
        assert!(message.contains("docs/operations.md"), "{message}");
        // The connection goes on.
        backend.counts().expect("the next statement runs");

        // Many statements of a little less than the time-out each, one
        // after the other, are not cut: the limit is per statement.
        let mut one = Duration::ZERO;
        let mut n = 100_000;
        while one < Duration::from_millis(60) {
            n *= 2;
            let t = Instant::now();
            backend
                .conn
                .query_row(&count_to(n), [], |r| r.get::<_, i64>(0))
                .expect("a short statement");
            one = t.elapsed();
        }
        let t = Instant::now();
        while t.elapsed() < Duration::from_millis(900) {
            backend
                .conn
                .query_row(&count_to(n), [], |r| r.get::<_, i64>(0))
                .expect("statements under the time-out each");
        }

        // A pool member opened from it keeps the time-out.
        let mut other = (backend.opener())().expect("another connection");
        other.counts().expect("counts");
    }

    #[test]
    fn a_write_waiting_for_another_process_lock_is_stopped_at_its_time_out() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut backend = SqliteBackend::open(dir.path(), None).expect("open");
        backend
            .set_statement_timeout(Duration::from_millis(400))
            .expect("set the time-out");
        let holder = Connection::open(dir.path().join(FILE_NAME)).expect("second connection");
        holder
            .execute_batch("BEGIN IMMEDIATE")
            .expect("take the write lock");
        let started = Instant::now();
        let err = backend.put_token("khach", "abc").expect_err("locked");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert!(matches!(err, Error::StoreTimeout { .. }), "{err:?}");
        assert!(err.to_string().contains("lock"), "{err}");
        holder.execute_batch("ROLLBACK").expect("release");
        backend
            .put_token("khach", "abc")
            .expect("the lock released, the write works");
    }
}
