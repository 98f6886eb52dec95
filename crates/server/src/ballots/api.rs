//! The JSON API of ballot entry (`/api/v1/elections/…`). Writes need
//! `Authorization: Bearer TOKEN`; errors are the server's usual
//! `{"error": {"code", "message"}}`.

use super::session::{words, BallotState, Choice, Session};
use super::{authorize_api, blocking, BallotError, BallotsState, Summary};
use crate::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vanban_election::Outcome;

impl From<BallotError> for ApiError {
    fn from(e: BallotError) -> Self {
        ApiError::new(e.status(), e.code(), e.to_string())
    }
}

/// `POST /api/v1/elections`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// The exact text of ELECTION.toml.
    pub election_toml: String,
}

/// `POST /api/v1/elections/{id}/entries`: one clerk's reading of a ballot;
/// with a `reason` it corrects that clerk's earlier entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryBody {
    pub clerk: u8,
    pub ballot: u64,
    pub sealed: bool,
    /// The contract's words, one per candidate in list order.
    pub marks: Vec<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /api/v1/elections/{id}/resolutions`: `by` is `entry1`, `entry2`
/// or `re_entered` (then with `sealed` and `marks`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveBody {
    pub ballot: u64,
    #[schema(value_type = String, example = "entry1")]
    pub by: Choice,
    #[serde(default)]
    pub sealed: Option<bool>,
    #[serde(default)]
    pub marks: Option<Vec<String>>,
}

#[derive(Debug, Serialize)]
pub struct ReadingView {
    pub sealed: bool,
    pub marks: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct BallotView {
    pub ballot: u64,
    /// `agreed`, `resolved`, `differ`, `only_1` or `only_2`.
    pub state: &'static str,
    pub entry_1: Option<ReadingView>,
    pub entry_2: Option<ReadingView>,
    /// What is counted, once settled.
    pub settled: Option<ReadingView>,
    pub resolved_by: Option<Choice>,
}

/// `GET /api/v1/elections/{id}`.
#[derive(Debug, Serialize)]
pub struct SessionView {
    pub id: String,
    pub title: String,
    pub closed: bool,
    pub inputs_sha256: Option<String>,
    pub candidates: Vec<String>,
    pub ballots: Vec<BallotView>,
    /// Ballots still to compare.
    pub pending: usize,
    /// Totals over the settled ballots so far.
    pub live: Outcome,
    /// The result, once closed (the contract's JSON).
    pub result: Option<Outcome>,
}

fn view(r: &super::session::Reading) -> ReadingView {
    ReadingView {
        sealed: r.sealed,
        marks: words(&r.marks),
    }
}

pub fn session_view(id: &str, s: &Session) -> Result<SessionView, BallotError> {
    let ballots = s
        .ballots()
        .into_iter()
        .map(|(n, st)| BallotView {
            ballot: n,
            state: match st {
                BallotState::Agreed(_) => "agreed",
                BallotState::Resolved(..) => "resolved",
                BallotState::Differ(..) => "differ",
                BallotState::Only(1, _) => "only_1",
                BallotState::Only(..) => "only_2",
            },
            entry_1: s.entries[0].get(&n).map(view),
            entry_2: s.entries[1].get(&n).map(view),
            settled: st.settled().map(view),
            resolved_by: match st {
                BallotState::Resolved(_, c) => Some(c),
                _ => None,
            },
        })
        .collect();
    let result = match &s.closed {
        Some(_) => Some(s.final_result()?.0),
        None => None,
    };
    Ok(SessionView {
        id: id.to_owned(),
        title: s.title().to_owned(),
        closed: s.closed.is_some(),
        inputs_sha256: s.closed.clone(),
        candidates: s.election.candidates().to_vec(),
        ballots,
        pending: s.pending().len(),
        live: s.live_outcome()?,
        result,
    })
}

type ApiResult<T> = Result<T, ApiError>;

fn body<T>(b: Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    b.map(|Json(t)| t).map_err(ApiError::from)
}

/// `GET /api/v1/elections`: every session.
#[utoipa::path(get, path = "/api/v1/elections", tag = "elections",
    responses((status = 200, description = "Every counting session", body = serde_json::Value)))]
pub async fn list(State(state): State<BallotsState>) -> ApiResult<Json<Vec<Summary>>> {
    let sessions = state.sessions.clone();
    Ok(Json(blocking(move || sessions.list()).await?))
}

/// `POST /api/v1/elections`: creates a session (201 with its id).
#[utoipa::path(post, path = "/api/v1/elections", tag = "elections", request_body = CreateBody, security(("token" = [])),
    responses((status = 201, description = "The new session", body = serde_json::Value), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<BallotsState>,
    headers: HeaderMap,
    b: Result<Json<CreateBody>, JsonRejection>,
) -> ApiResult<Response> {
    authorize_api(&state, &headers).await?;
    let b = body(b)?;
    let sessions = state.sessions.clone();
    let id = blocking(move || sessions.create(&b.election_toml)).await?;
    let sessions = state.sessions.clone();
    let id2 = id.clone();
    let s = blocking(move || sessions.load(&id2)).await?;
    Ok((StatusCode::CREATED, Json(session_view(&id, &s)?)).into_response())
}

/// `GET /api/v1/elections/{id}`: the session, its ballots, live totals and
/// (once closed) the result.
#[utoipa::path(get, path = "/api/v1/elections/{id}", tag = "elections", params(("id" = String, Path, description = "The session id")),
    responses((status = 200, description = "The session, its ballots, live totals and (once closed) the result", body = serde_json::Value), (status = 404, body = crate::error::ErrorBody)))]
pub async fn show(
    State(state): State<BallotsState>,
    Path(id): Path<String>,
) -> ApiResult<Json<SessionView>> {
    let sessions = state.sessions.clone();
    let id2 = id.clone();
    let s = blocking(move || sessions.load(&id2)).await?;
    Ok(Json(session_view(&id, &s)?))
}

async fn write(
    state: &BallotsState,
    id: String,
    make: impl FnOnce(&Session) -> Result<super::session::Event, super::session::SessionError>
        + Send
        + 'static,
) -> ApiResult<Json<SessionView>> {
    let sessions = state.sessions.clone();
    let id2 = id.clone();
    let s = blocking(move || sessions.append(&id2, make)).await?;
    Ok(Json(session_view(&id, &s)?))
}

/// `POST /api/v1/elections/{id}/entries`.
#[utoipa::path(post, path = "/api/v1/elections/{id}/entries", tag = "elections", params(("id" = String, Path, description = "The session id")), request_body = EntryBody, security(("token" = [])),
    responses((status = 200, description = "The session after the entry", body = serde_json::Value), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn enter(
    State(state): State<BallotsState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    b: Result<Json<EntryBody>, JsonRejection>,
) -> ApiResult<Json<SessionView>> {
    authorize_api(&state, &headers).await?;
    let b = body(b)?;
    write(&state, id, move |_| {
        Ok(Session::entry_event(
            b.clerk, b.ballot, b.sealed, b.marks, b.reason,
        ))
    })
    .await
}

/// `POST /api/v1/elections/{id}/resolutions`.
#[utoipa::path(post, path = "/api/v1/elections/{id}/resolutions", tag = "elections", params(("id" = String, Path, description = "The session id")), request_body = ResolveBody, security(("token" = [])),
    responses((status = 200, description = "The session after the resolution", body = serde_json::Value), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn resolve(
    State(state): State<BallotsState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    b: Result<Json<ResolveBody>, JsonRejection>,
) -> ApiResult<Json<SessionView>> {
    authorize_api(&state, &headers).await?;
    let b = body(b)?;
    write(&state, id, move |s| {
        let reentered = match (b.sealed, b.marks) {
            (Some(sealed), Some(marks)) => Some((sealed, marks)),
            _ => None,
        };
        s.resolution_event(b.ballot, b.by, reentered)
    })
    .await
}

/// `POST /api/v1/elections/{id}/close`: counts (409 until every ballot is
/// settled) and closes the session.
#[utoipa::path(post, path = "/api/v1/elections/{id}/close", tag = "elections", params(("id" = String, Path, description = "The session id")), security(("token" = [])),
    responses((status = 200, description = "The counted, closed session with its result", body = serde_json::Value), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, description = "Ballots not yet entered twice or not resolved", body = crate::error::ErrorBody)))]
pub async fn close(
    State(state): State<BallotsState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<SessionView>> {
    authorize_api(&state, &headers).await?;
    write(&state, id, |s| s.closing_event()).await
}

/// `GET /api/v1/elections/{id}/log`: the log's records in order.
#[utoipa::path(get, path = "/api/v1/elections/{id}/log", tag = "elections", params(("id" = String, Path, description = "The session id")),
    responses((status = 200, description = "Every record of the append-only log, in order", body = serde_json::Value), (status = 404, body = crate::error::ErrorBody)))]
pub async fn log(
    State(state): State<BallotsState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<super::session::Record>>> {
    let sessions = state.sessions.clone();
    let s = blocking(move || sessions.load(&id)).await?;
    Ok(Json(s.records))
}
