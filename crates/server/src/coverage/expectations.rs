//! Expectations on a document (what is expected by when): `POST
//! /api/v1/documents/{reference}/expectations`, `DELETE
//! /api/v1/documents/{reference}/expectations/{id}` (both need a token),
//! and the overdue / late / on-time provinces the coverage endpoint lists
//! (measured against the today view, on the server's today).

use crate::error::{ApiError, ErrorBody};
use crate::{api, auth, urls, AppState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vanban_extract::places;
use vanban_store::coverage::{Coverage, Stage};
use vanban_store::expectations::{
    self, Deadline, Expectation, ExpectationStatus, NewExpectation, ProvinceDue,
};

/// At most this many days in a relative deadline (about 30 years).
pub const MAX_WITHIN_DAYS: i64 = 11_000;
/// At most this many characters in a note.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// A province measured against an expectation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProvinceDueDto {
    pub province: String,
    /// When it reached the stage (null: not yet).
    pub reached: Option<NaiveDate>,
    /// Overdue: days since the deadline; late: days after the deadline it
    /// was reached; on time: days to spare.
    pub days: i64,
    /// The province's page.
    pub url: String,
}

/// One expectation and where it stands today.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpectationDto {
    pub id: i64,
    /// The document's id.
    pub document: String,
    /// `disseminated`, `trained`, `plan_issued`, `interim_review` or
    /// `final_review`.
    #[schema(value_type = String, example = "disseminated")]
    pub stage: Stage,
    /// The absolute deadline, or null…
    pub by: Option<NaiveDate>,
    /// …days from the document's own date.
    pub within_days: Option<i64>,
    /// The provinces in scope (of today); empty: every province.
    pub provinces: Vec<String>,
    /// The token's name that set it.
    pub set_by: String,
    /// When (RFC 3339, UTC).
    pub set_at: String,
    pub note: Option<String>,
    /// The deadline as a date (null: relative to an undated document).
    pub due: Option<NaiveDate>,
    /// Not reached and the deadline passed, in the official order.
    pub overdue: Vec<ProvinceDueDto>,
    /// Reached after the deadline.
    pub late: Vec<ProvinceDueDto>,
    /// Reached on or before the deadline.
    pub on_time: Vec<ProvinceDueDto>,
    /// Not reached, the deadline not passed (or not known).
    pub pending: Vec<String>,
    /// Reached on a date the sources do not give.
    pub undated: Vec<String>,
}

fn due_dto(p: &ProvinceDue) -> ProvinceDueDto {
    ProvinceDueDto {
        url: urls::province(&p.province),
        province: p.province.clone(),
        reached: p.reached,
        days: p.days,
    }
}

impl From<&ExpectationStatus> for ExpectationDto {
    fn from(s: &ExpectationStatus) -> Self {
        let f = &s.expectation.fields;
        let (by, within_days) = match f.deadline {
            Deadline::By(d) => (Some(d), None),
            Deadline::WithinDays(n) => (None, Some(n)),
        };
        ExpectationDto {
            id: s.expectation.id,
            document: f.document.clone(),
            stage: f.stage,
            by,
            within_days,
            provinces: f.provinces.clone(),
            set_by: f.set_by.clone(),
            set_at: f.set_at.clone(),
            note: f.note.clone(),
            due: s.due,
            overdue: s.overdue.iter().map(due_dto).collect(),
            late: s.late.iter().map(due_dto).collect(),
            on_time: s.on_time.iter().map(due_dto).collect(),
            pending: s.pending.clone(),
            undated: s.undated.clone(),
        }
    }
}

/// Every expectation measured against `today_view` (the coverage in the
/// today view) on `today`.
pub fn statuses(
    list: &[Expectation],
    today_view: &Coverage,
    today: NaiveDate,
) -> Vec<ExpectationStatus> {
    list.iter()
        .map(|e| expectations::status(e, today_view, today))
        .collect()
}

/// The expectations of one document, from the store.
pub async fn of_document(state: &AppState, id: &str) -> Result<Vec<Expectation>, ApiError> {
    let id = id.to_owned();
    Ok(state
        .with_store(move |store| Ok(store.backend().expectations(Some(&id))?))
        .await?)
}

/// What to expect: a stage, and either `by` or `within_days`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectationRequest {
    /// `disseminated`, `trained`, `plan_issued`, `interim_review` or
    /// `final_review`.
    pub stage: String,
    /// An absolute deadline, YYYY-MM-DD…
    pub by: Option<String>,
    /// …or days from the document's own date (1–11000).
    pub within_days: Option<i64>,
    /// Provinces in scope (any spelling, old names taken as the province
    /// they became); absent or empty: every province.
    pub provinces: Option<Vec<String>>,
    /// A note (at most 2000 characters).
    pub note: Option<String>,
}

/// Reads a province name a person typed as a province of today.
pub fn province_of_today(name: &str) -> Option<&'static str> {
    places::canonical(name.trim()).map(places::province_now)
}

/// Checks a request: the stored expectation on success, else the 400.
pub fn validate(
    req: ExpectationRequest,
    document: &str,
    set_by: String,
    set_at: String,
) -> Result<NewExpectation, ApiError> {
    let stage = expectations::parse_stage(&req.stage).ok_or_else(|| {
        ApiError::bad_request(format!(
            "unknown stage `{}`: use disseminated, trained, plan_issued, interim_review or final_review",
            req.stage.trim()
        ))
    })?;
    let by = req.by.as_deref().map(str::trim).filter(|b| !b.is_empty());
    let deadline = match (by, req.within_days) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "give either `by` (a date) or `within_days`, not both",
            ))
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "a deadline is needed: `by` (YYYY-MM-DD) or `within_days` (days from the document's date)",
            ))
        }
        (Some(b), None) => Deadline::By(NaiveDate::parse_from_str(b, "%Y-%m-%d").map_err(|_| {
            ApiError::bad_request(format!("`by` must be a date as YYYY-MM-DD, not `{b}`"))
        })?),
        (None, Some(n)) if (1..=MAX_WITHIN_DAYS).contains(&n) => Deadline::WithinDays(n),
        (None, Some(n)) => {
            return Err(ApiError::bad_request(format!(
                "`within_days` must be between 1 and {MAX_WITHIN_DAYS}, not {n}"
            )))
        }
    };
    let mut provinces: Vec<String> = Vec::new();
    for p in req.provinces.unwrap_or_default() {
        if p.trim().is_empty() {
            continue;
        }
        let Some(now) = province_of_today(&p) else {
            return Err(ApiError::bad_request(format!(
                "`{}` is not a province: GET /api/v1/provinces lists them",
                p.trim()
            )));
        };
        if !provinces.iter().any(|q| q == now) {
            provinces.push(now.to_owned());
        }
    }
    let note = req
        .note
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    if let Some(n) = &note {
        if n.chars().count() > MAX_NOTE_CHARS || n.chars().any(|c| c.is_control() && c != '\n') {
            return Err(ApiError::bad_request(format!(
                "`note` must be text of at most {MAX_NOTE_CHARS} characters"
            )));
        }
    }
    Ok(NewExpectation {
        document: document.to_owned(),
        stage,
        deadline,
        provinces,
        set_by,
        set_at,
        note,
    })
}

/// The name of the token the request carries (already checked).
async fn token_name(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    let hash = auth::bearer_token(headers)
        .map(auth::hash)
        .unwrap_or_default();
    let name = state
        .with_store(move |store| {
            Ok(store
                .backend()
                .tokens()?
                .into_iter()
                .find(|t| t.hash == hash)
                .map(|t| t.name))
        })
        .await?;
    name.ok_or_else(|| {
        ApiError::unauthorized(
            "the API token is not valid: check it, or create a new one with `vanban token create NAME`",
        )
    })
}

/// Attaches an expectation to a document (needs a token): a stage and a
/// deadline (a date, or days from the document's date), for every province
/// or a list. 201 with the expectation measured today.
#[utoipa::path(post, path = "/api/v1/documents/{reference}/expectations", tag = "write",
    request_body = ExpectationRequest, security(("token" = [])),
    params(("reference" = String, Path, description = "An id or any typed reference; percent-encode `/` as %2F")),
    responses((status = 201, body = ExpectationDto), (status = 300, description = "Ambiguous reference", body = ErrorBody),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn create(
    state: AppState,
    reference: String,
    headers: HeaderMap,
    body: Result<Json<ExpectationRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(req) = body?;
    let s = state.snapshot();
    let id = api::resolve(&s, &reference)?;
    let set_by = token_name(&state, &headers).await?;
    let set_at = vanban_watch::rfc3339(vanban_watch::unix_now());
    let new = validate(req, &id, set_by, set_at)?;
    let stored = new.clone();
    let eid = state
        .with_store(move |store| Ok(store.backend().add_expectation(&stored)?))
        .await?;
    let c = crate::coverage::document_coverage(&s, &id, vanban_store::coverage::View::Today)
        .ok_or_else(|| ApiError::not_found(format!("no document `{id}`")))?;
    let e = Expectation {
        id: eid,
        fields: new,
    };
    let st = expectations::status(&e, &c, crate::today());
    Ok((StatusCode::CREATED, Json(ExpectationDto::from(&st))).into_response())
}

/// Removes an expectation of a document (needs a token): 204, or 404 when
/// the document has no expectation with that id.
#[utoipa::path(delete, path = "/api/v1/documents/{reference}/expectations/{id}", tag = "write",
    security(("token" = [])),
    params(("reference" = String, Path, description = "An id or any typed reference"),
        ("id" = i64, Path, description = "The expectation's id")),
    responses((status = 204, description = "removed"), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn remove(state: AppState, reference: String, id: &str) -> Result<Response, ApiError> {
    let Ok(eid) = id.trim().parse::<i64>() else {
        return Err(ApiError::bad_request(format!(
            "`{id}` is not an expectation id: GET /api/v1/documents/{{reference}}/coverage lists them"
        )));
    };
    let s = state.snapshot();
    let doc = api::resolve(&s, &reference)?;
    let removed = state
        .with_store(move |store| {
            let mine = store
                .backend()
                .expectations(Some(&doc))?
                .iter()
                .any(|e| e.id == eid);
            Ok(mine && store.backend().remove_expectation(eid)?)
        })
        .await?;
    if removed {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::not_found(format!(
            "this document has no expectation {eid}: GET /api/v1/documents/{{reference}}/coverage lists them"
        )))
    }
}

/// The deadline in Vietnamese: `trước ngày 30/6/2022`, `trong 30 ngày kể
/// từ ngày ban hành (đến 10/3/2022)`.
pub fn deadline_vi(deadline: Deadline, due: Option<NaiveDate>) -> String {
    match deadline {
        Deadline::By(d) => format!("trước ngày {}", crate::templates::date(d)),
        Deadline::WithinDays(n) => match due {
            Some(d) => format!(
                "trong {n} ngày kể từ ngày ban hành (đến {})",
                crate::templates::date(d)
            ),
            None => format!("trong {n} ngày kể từ ngày ban hành (chưa rõ ngày ban hành)"),
        },
    }
}

/// The document page's section: each expectation with the provinces
/// overdue (linked), late and on time on `today`; `None` when there is no
/// expectation.
pub fn section(
    snapshot: &crate::snapshot::Snapshot,
    id: &str,
    list: &[Expectation],
    today: NaiveDate,
) -> Option<maud::Markup> {
    use maud::html;
    if list.is_empty() {
        return None;
    }
    let c = crate::coverage::document_coverage(snapshot, id, vanban_store::coverage::View::Today)?;
    let all = statuses(list, &c, today);
    Some(html! {
        section #ky-vong .expectations {
            h2 { "Yêu cầu về tiến độ (" (all.len()) ")" }
            @for s in &all {
                @let f = &s.expectation.fields;
                article.expectation data-id=(s.expectation.id) {
                    h3 { (f.stage.label_vi()) " " (deadline_vi(f.deadline, s.due)) }
                    p.muted {
                        "Phạm vi: "
                        @if f.provinces.is_empty() { "mọi tỉnh, thành phố" } @else { (f.provinces.join(", ")) }
                        " · đặt bởi " (f.set_by) " lúc " (f.set_at) " · mã " (s.expectation.id)
                    }
                    @if let Some(n) = &f.note { p { "Ghi chú: " (n) } }
                    p {
                        strong { "Quá hạn: " (s.overdue.len()) }
                        " · Hoàn thành muộn: " (s.late.len())
                        " · Đúng hạn: " (s.on_time.len())
                        @if !s.pending.is_empty() { " · Chưa đến hạn: " (s.pending.len()) }
                        @if !s.undated.is_empty() { " · Đã thực hiện, chưa rõ ngày: " (s.undated.len()) }
                    }
                    @if !s.overdue.is_empty() {
                        ul.plain.overdue {
                            @for p in &s.overdue {
                                li { a href=(urls::province(&p.province)) { (p.province) } " — quá hạn " (p.days) " ngày" }
                            }
                        }
                    }
                    @if !s.late.is_empty() {
                        ul.plain.late {
                            @for p in &s.late {
                                li {
                                    a href=(urls::province(&p.province)) { (p.province) }
                                    " — " (crate::templates::opt_date(p.reached)) ", muộn " (p.days) " ngày"
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}
