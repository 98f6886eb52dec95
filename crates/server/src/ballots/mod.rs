//! Ballot entry (nhập phiếu bầu cử) in the web application: a counting
//! session where two clerks (người nhập 1 và 2) enter every ballot
//! independently, the two entries are compared and every disagreement is
//! settled before counting, with live totals, the result and the minutes
//! (biên bản kiểm phiếu) at the end.
//!
//! - Pages under `/bau-cu/…` (plain HTML forms, no script needed), JSON
//!   under `/api/v1/elections/…`.
//! - A session is one append-only log file, `DATA/elections/<id>.jsonl`,
//!   one JSON event per line, flushed to disk (`fsync`) on every append;
//!   the session is always recomputed from its log ([`session::Session::replay`]),
//!   so it survives restarts and can be audited line by line.
//! - Counting, validity and the result are vanban-election's; the minutes
//!   are vanban-minutes'. This module never decides a rule itself.
//!
//! It must never accept a write without a valid API token (an
//! `Authorization: Bearer` header, or the cookie set once the token was
//! entered on the page), never rewrite or shorten a log, never count a
//! ballot the two clerks have not agreed on or that was not resolved, and
//! never take a path from a request other than a session id it generated.

pub mod api;
pub mod pages;
pub mod session;

use crate::AppState;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use session::{Event, Record, Session, SessionError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The cookie that carries the token for the HTML forms: the site's one
/// login cookie ([`crate::auth`]).
pub use crate::auth::TOKEN_COOKIE;

/// The state of the ballot routes: the application's state and the
/// sessions' directory.
#[derive(Clone)]
pub struct BallotsState {
    pub app: AppState,
    pub sessions: Arc<Sessions>,
}

/// What went wrong with a request about a session.
#[derive(Debug, thiserror::Error)]
pub enum BallotError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error("không có phiên kiểm phiếu `{0}`; xem danh sách các phiên ở /bau-cu")]
    NotFound(String),
    #[error("máy chủ chạy không có thư mục dữ liệu nên không lưu được phiên kiểm phiếu; chạy `vanban serve` với --data DIR")]
    NoDataDir,
    #[error("không ghi/đọc được {path}: {message}; kiểm tra ổ đĩa và quyền ghi rồi thử lại")]
    Io { path: PathBuf, message: String },
    #[error("cần mã truy cập: nhập mã ở trang /bau-cu (hoặc gửi `Authorization: Bearer TOKEN`); tạo mã bằng `vanban token create TÊN`")]
    Unauthorized,
    #[error("lỗi nội bộ: {0}")]
    Task(String),
}

impl BallotError {
    pub fn status(&self) -> StatusCode {
        match self {
            BallotError::Session(e) => match e {
                SessionError::NotReady { .. }
                | SessionError::NoBallots
                | SessionError::Closed
                | SessionError::NotClosed
                | SessionError::AlreadyEntered { .. }
                | SessionError::NothingToResolve { .. } => StatusCode::CONFLICT,
                SessionError::Log { .. } | SessionError::Count(_) => {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
                _ => StatusCode::BAD_REQUEST,
            },
            BallotError::NotFound(_) => StatusCode::NOT_FOUND,
            BallotError::NoDataDir => StatusCode::SERVICE_UNAVAILABLE,
            BallotError::Unauthorized => StatusCode::UNAUTHORIZED,
            BallotError::Io { .. } | BallotError::Task(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine code for the JSON API.
    pub fn code(&self) -> &'static str {
        match self.status() {
            StatusCode::CONFLICT => "conflict",
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::UNAUTHORIZED => "unauthorized",
            StatusCode::BAD_REQUEST => "bad_request",
            StatusCode::SERVICE_UNAVAILABLE => "unavailable",
            _ => "internal",
        }
    }
}

/// The sessions on disk. One lock serialises every read and append, so a
/// reader never sees half a line.
pub struct Sessions {
    dir: Option<PathBuf>,
    lock: Mutex<()>,
}

/// A short summary of a session for the list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Summary {
    pub id: String,
    pub title: String,
    pub closed: bool,
}

fn io(path: &Path, e: std::io::Error) -> BallotError {
    BallotError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Session ids are 16 lower-case hex digits (they name files).
pub fn valid_id(id: &str) -> bool {
    id.len() == 16 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

impl Sessions {
    /// Sessions kept in `dir` (`None`: the server has no data directory).
    pub fn new(dir: Option<PathBuf>) -> Sessions {
        Sessions {
            dir,
            lock: Mutex::new(()),
        }
    }

    fn guard(&self) -> std::sync::MutexGuard<'_, ()> {
        match self.lock.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    fn dir(&self) -> Result<&Path, BallotError> {
        self.dir.as_deref().ok_or(BallotError::NoDataDir)
    }

    fn path(&self, id: &str) -> Result<PathBuf, BallotError> {
        if !valid_id(id) {
            return Err(BallotError::NotFound(id.to_owned()));
        }
        Ok(self.dir()?.join(format!("{id}.jsonl")))
    }

    fn read(&self, id: &str) -> Result<String, BallotError> {
        let path = self.path(id)?;
        match std::fs::read_to_string(&path) {
            Ok(t) => Ok(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(BallotError::NotFound(id.to_owned()))
            }
            Err(e) => Err(io(&path, e)),
        }
    }

    /// Creates a session from ELECTION.toml; returns its id.
    pub fn create(&self, election_toml: &str) -> Result<String, BallotError> {
        // Validated before anything is written.
        Session::new(election_toml)?;
        let dir = self.dir()?;
        let _g = self.guard();
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let mut bytes = [0u8; 8];
        getrandom::getrandom(&mut bytes).map_err(|e| BallotError::Task(e.to_string()))?;
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let path = self.path(&id)?;
        let record = Record {
            seq: 1,
            at: now_utc(),
            event: Event::Created {
                election_toml: election_toml.to_owned(),
            },
        };
        let line = serialize(&record)?;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| io(&path, e))?;
        file.write_all(line.as_bytes()).map_err(|e| io(&path, e))?;
        file.sync_all().map_err(|e| io(&path, e))?;
        // The new file's name is durable once the directory is synced.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(id)
    }

    /// The session, replayed from its log.
    pub fn load(&self, id: &str) -> Result<Session, BallotError> {
        let _g = self.guard();
        let text = self.read(id)?;
        Ok(Session::replay(&text)?)
    }

    /// The log's text, line by line as stored.
    pub fn log_text(&self, id: &str) -> Result<String, BallotError> {
        let _g = self.guard();
        self.read(id)
    }

    /// Checks `make(session)`'s event against the session, appends it to
    /// the log (fsync'd) and returns the session after it.
    pub fn append(
        &self,
        id: &str,
        make: impl FnOnce(&Session) -> Result<Event, SessionError>,
    ) -> Result<Session, BallotError> {
        let _g = self.guard();
        let path = self.path(id)?;
        let text = self.read(id)?;
        let mut session = Session::replay(&text)?;
        let event = make(&session)?;
        session.apply(&event)?;
        let record = Record {
            seq: session.records.len() as u64 + 1,
            at: now_utc(),
            event,
        };
        let line = serialize(&record)?;
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(|e| io(&path, e))?;
        file.write_all(line.as_bytes()).map_err(|e| io(&path, e))?;
        file.sync_data().map_err(|e| io(&path, e))?;
        session.records.push(record);
        Ok(session)
    }

    /// Every session, newest file name order is not meaningful: by title.
    pub fn list(&self) -> Result<Vec<Summary>, BallotError> {
        let Some(dir) = self.dir.as_deref() else {
            return Ok(Vec::new());
        };
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io(dir, e)),
        };
        let mut ids: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| n.strip_suffix(".jsonl"))
                    .filter(|id| valid_id(id))
                    .map(str::to_owned)
            })
            .collect();
        ids.sort();
        let mut out = Vec::new();
        for id in ids {
            // A damaged log is still listed, so that it can be looked at.
            match self.load(&id) {
                Ok(s) => out.push(Summary {
                    title: s.title().to_owned(),
                    closed: s.closed.is_some(),
                    id,
                }),
                Err(e) => out.push(Summary {
                    title: format!("(không đọc được: {e})"),
                    closed: false,
                    id,
                }),
            }
        }
        Ok(out)
    }
}

fn serialize(record: &Record) -> Result<String, BallotError> {
    let mut line = serde_json::to_string(record).map_err(|e| BallotError::Task(e.to_string()))?;
    line.push('\n');
    Ok(line)
}

/// Runs blocking file work off the async workers.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, BallotError> + Send + 'static,
) -> Result<T, BallotError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| BallotError::Task(e.to_string()))?
}

/// The token a request carries: `Authorization: Bearer …` or the cookie.
pub fn request_token(headers: &HeaderMap) -> Option<String> {
    crate::auth::bearer_token(headers)
        .or_else(|| crate::auth::cookie_token(headers))
        .map(str::to_owned)
}

/// `Ok(())` when the request carries a known token, in the `Authorization`
/// header or in the cookie (the pages' forms: the cookie is SameSite=Strict).
pub async fn authorize(state: &BallotsState, headers: &HeaderMap) -> Result<(), BallotError> {
    if crate::auth::valid_bearer(&state.app, headers).await
        || crate::auth::valid_cookie(&state.app, headers).await
    {
        Ok(())
    } else {
        Err(BallotError::Unauthorized)
    }
}

/// `Ok(())` when the request carries a known token in the `Authorization`
/// header: the JSON API never takes the cookie (another site could make a
/// browser send it).
pub async fn authorize_api(state: &BallotsState, headers: &HeaderMap) -> Result<(), BallotError> {
    if crate::auth::valid_bearer(&state.app, headers).await {
        Ok(())
    } else {
        Err(BallotError::Unauthorized)
    }
}

/// Where the sessions live: `elections/` in the data directory of the
/// embedded store, or next to the search index for a PostgreSQL store.
fn elections_dir(app: &AppState) -> Option<PathBuf> {
    let embedded = match app.inner.store.location() {
        vanban_store::Location::Embedded(dir) => Some(dir.clone()),
        _ => None,
    };
    embedded
        .or_else(|| {
            app.inner
                .index_dir
                .as_deref()
                .and_then(Path::parent)
                .map(Path::to_path_buf)
        })
        .map(|d| d.join("elections"))
}

/// The ballot-entry routes (pages and API), over `app`'s data directory.
pub fn routes(app: &AppState) -> Router<AppState> {
    let state = BallotsState {
        app: app.clone(),
        sessions: Arc::new(Sessions::new(elections_dir(app))),
    };
    Router::new()
        .route("/bau-cu", get(pages::index).post(pages::create))
        .route("/bau-cu/ma-truy-cap", post(pages::set_token))
        .route("/bau-cu/{id}", get(pages::overview))
        .route(
            "/bau-cu/{id}/nhap/{clerk}",
            get(pages::entry_page).post(pages::enter),
        )
        .route(
            "/bau-cu/{id}/doi-chieu",
            get(pages::compare).post(pages::resolve),
        )
        .route("/bau-cu/{id}/tam-tinh", get(pages::totals))
        .route("/bau-cu/{id}/kiem-phieu", post(pages::close))
        .route("/bau-cu/{id}/ket-qua", get(pages::result))
        .route("/bau-cu/{id}/bien-ban.pdf", get(pages::minutes))
        .route("/bau-cu/{id}/BALLOTS.csv", get(pages::ballots_csv))
        .route("/bau-cu/{id}/ELECTION.toml", get(pages::election_toml))
        .route("/bau-cu/{id}/nhat-ky", get(pages::log))
        .route("/api/v1/elections", get(api::list).post(api::create))
        .route("/api/v1/elections/{id}", get(api::show))
        .route("/api/v1/elections/{id}/entries", post(api::enter))
        .route("/api/v1/elections/{id}/resolutions", post(api::resolve))
        .route("/api/v1/elections/{id}/close", post(api::close))
        .route("/api/v1/elections/{id}/log", get(api::log))
        .with_state(state)
}
