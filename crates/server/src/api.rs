//! The JSON API under `/api/v1/` (giao diện lập trình). Every handler and
//! type carries its OpenAPI description ([`ApiDoc`]), served at
//! `/api/v1/openapi.json`; errors are [`ErrorBody`] with a stable code.
//!
//! The document object (`GET /api/v1/documents/{reference}`) is exactly
//! `vanban doc --format json` (docs/knowledge-base-json.md), and search answers
//! exactly `vanban search --format json`, with `facets` added.

use crate::error::{ApiError, ErrorBody};
use crate::snapshot::Snapshot;
use crate::{auth, pages, today, urls, AppState};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};
use vanban_extract::places::{province_now, NEW_PROVINCES};
use vanban_store::graph::{
    DocView, EventFilter, EventView, Lookup, RelationView, SourceRef, Status,
};
use vanban_store::NewSource;

/// The OpenAPI document of this API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "vanban API",
        description = "Vietnamese Party and state documents cited in news: search, documents (by any reference a person types), relations, events, sources and statistics. Reads are open unless the server runs with --private; writes need `Authorization: Bearer TOKEN` (`vanban token create NAME`)."
    ),
    paths(search, documents, document, crate::coverage::api::document_coverage, crate::coverage::api::coverage_matrix, relations, events, sources, source, upload, stats, provinces, openapi_json,
        crate::ballots::api::list, crate::ballots::api::create, crate::ballots::api::show, crate::ballots::api::enter,
        crate::ballots::api::resolve, crate::ballots::api::close, crate::ballots::api::log,
        crate::watch::list, crate::watch::add, crate::watch::remove,
        crate::coverage::expectations::create, crate::coverage::expectations::remove),
    components(schemas(ErrorBody, crate::error::ErrorDetail)),
    modifiers(&BearerAuth),
    tags((name = "read", description = "Open reads"), (name = "write", description = "Writes (token needed)"), (name = "elections", description = "Ballot entry for counting sessions (kiểm phiếu): reads open, writes need a token"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes (nested under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/search", get(search))
        .route("/documents", get(documents))
        .route(
            "/documents/{*reference}",
            get(document).post(document_post).delete(document_delete),
        )
        .route("/relations", get(relations))
        .route("/events", get(events))
        .route("/sources", get(sources).post(upload))
        .route("/sources/{id}", get(source))
        .route("/stats", get(stats))
        .route("/provinces", get(provinces))
        .route("/coverage", get(crate::coverage::api::coverage_matrix))
        .route("/openapi.json", get(openapi_json))
}

type ApiResult<T> = Result<Json<T>, ApiError>;

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(v)| v).map_err(ApiError::from)
}

/// The id of the document a typed reference names (an id, `126-qd/tw`,
/// `quy dinh 126`…).
pub(crate) fn resolve(snapshot: &Snapshot, reference: &str) -> Result<String, ApiError> {
    let reference = reference.trim();
    if reference.is_empty() {
        return Err(ApiError::bad_request(
            "the document reference is empty: give a number and symbol such as 126-QĐ/TW, or words such as `quy dinh 126`",
        ));
    }
    if snapshot.document(reference).is_some() {
        return Ok(reference.to_owned());
    }
    match snapshot.graph.lookup(reference) {
        Lookup::Found(id) => Ok(id),
        Lookup::Ambiguous(ids) => Err(ApiError::ambiguous(reference, ids)),
        Lookup::NotFound => Err(ApiError::not_found(format!(
            "no document matches `{reference}`: check the number and symbol, or search with /api/v1/search?q=…"
        ))),
    }
}

fn parse_date(name: &str, value: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                ApiError::bad_request(format!("`{name}` must be a date as YYYY-MM-DD, not `{v}`"))
            }),
    }
}

// ---------------------------------------------------------------- search

/// Search parameters (`vanban search`'s options).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words or a document reference; diacritics optional.
    #[serde(default)]
    pub q: String,
    /// A kind code (`quy_dinh`) or name (`Quy định`).
    pub kind: Option<String>,
    /// An issuer's name (`Bộ Chính trị`), accents optional.
    pub issuer: Option<String>,
    pub year: Option<i32>,
    /// A province, old or of today (today's also finds the merged ones).
    pub province: Option<String>,
    /// At most this many hits (1–100, default 10).
    pub limit: Option<usize>,
    /// Skip this many hits (paging).
    pub offset: Option<usize>,
}

/// `vanban search --format json`, plus `facets`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    pub query: String,
    /// Matching entries in all (not only those in `hits`).
    pub total: usize,
    pub took_ms: f64,
    pub hits: Vec<HitDto>,
    /// Counts over the returned hits by kind code, issuer, year and
    /// province of today.
    pub facets: FacetsDto,
}

/// A document or a source.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum HitDto {
    Document {
        id: String,
        score: f64,
        title: String,
        /// HTML: escaped text with `<mark>` around matches.
        snippet: String,
    },
    Source {
        /// Path or URL.
        source: String,
        published: Option<String>,
        score: f64,
        title: String,
        /// HTML: escaped text with `<mark>` around matches.
        snippet: String,
        /// The store's id of the source (`/api/v1/sources/{id}`).
        source_id: Option<i64>,
    },
}

/// Facet counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetsDto {
    pub kind: Vec<FacetValue>,
    pub issuer: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
    pub province: Vec<FacetValue>,
}

/// One value of a facet and how many matching entries have it (all of
/// them, not only the hits returned).
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetValue {
    pub value: String,
    pub count: usize,
}

fn facet_values<K: ToString>(m: &std::collections::BTreeMap<K, usize>) -> Vec<FacetValue> {
    let mut v: Vec<FacetValue> = m
        .iter()
        .map(|(k, n)| FacetValue {
            value: k.to_string(),
            count: *n,
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    v
}

/// Full-text search over sources and documents.
#[utoipa::path(get, path = "/api/v1/search", tag = "read", params(SearchParams),
    responses((status = 200, body = SearchResponse), (status = 400, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> ApiResult<SearchResponse> {
    let p = query(params)?;
    let Some(index) = state.search() else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "search_unavailable",
            "this server has no search index: build it with `vanban reindex` and restart the server",
        ));
    };
    let limit = p.limit.unwrap_or(10).clamp(1, 100);
    let offset = p.offset.unwrap_or(0).min(100_000);
    let mut q = vanban_search::Query::new(p.q.trim());
    q.kind = p.kind.filter(|s| !s.trim().is_empty());
    q.issuer = p.issuer.filter(|s| !s.trim().is_empty());
    q.year = p.year;
    q.province = p.province.filter(|s| !s.trim().is_empty());
    q.limit = limit;
    q.offset = offset;
    let (results, counts) = index.search_with_facets(&q).map_err(|e| match e {
        vanban_search::Error::UnknownKind(_)
        | vanban_search::Error::UnknownProvince(_)
        | vanban_search::Error::EmptyQuery => ApiError::bad_request(e.to_string()),
        other => ApiError::internal(other.to_string()),
    })?;
    let snapshot = state.snapshot();
    let f = pages::facets(&snapshot, counts);
    let hits = results
        .hits
        .into_iter()
        .map(|h| match h {
            vanban_search::Hit::Document {
                id,
                score,
                title,
                snippet,
            } => HitDto::Document {
                id,
                score,
                title,
                snippet,
            },
            vanban_search::Hit::Source {
                source,
                published,
                score,
                title,
                snippet,
            } => HitDto::Source {
                source_id: snapshot.source_id_by_path(&source),
                source,
                published,
                score,
                title,
                snippet,
            },
        })
        .collect();
    Ok(Json(SearchResponse {
        query: results.query,
        total: results.total,
        took_ms: results.took_ms,
        hits,
        facets: FacetsDto {
            kind: facet_values(&f.kind),
            issuer: facet_values(&f.issuer),
            year: facet_values(&f.year),
            province: facet_values(&f.province),
        },
    }))
}

// ------------------------------------------------------------- documents

/// Paging parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// At most this many (1–1000, default 100).
    pub limit: Option<usize>,
    /// Skip this many first.
    pub offset: Option<usize>,
}

impl PageParams {
    fn range(&self) -> (usize, usize) {
        (
            self.offset.unwrap_or(0),
            self.limit.unwrap_or(100).clamp(1, 1000),
        )
    }
}

/// A document in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentSummary {
    pub id: String,
    /// Kind code (`quy_dinh`).
    pub kind: String,
    pub number: Option<String>,
    pub symbol: Option<String>,
    pub date: Option<NaiveDate>,
    pub issuer: Option<String>,
    pub title: Option<String>,
    /// Distinct sources citing it.
    pub citations: usize,
    /// Its page.
    pub url: String,
}

/// A page of documents.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentList {
    pub total: usize,
    pub documents: Vec<DocumentSummary>,
}

/// Every resolved document, in id order.
#[utoipa::path(get, path = "/api/v1/documents", tag = "read", params(PageParams),
    responses((status = 200, body = DocumentList), (status = 400, body = ErrorBody)))]
async fn documents(
    State(state): State<AppState>,
    params: Result<Query<PageParams>, QueryRejection>,
) -> ApiResult<DocumentList> {
    let (offset, limit) = query(params)?.range();
    let s = state.snapshot();
    let all = s.graph.documents();
    Ok(Json(DocumentList {
        total: all.len(),
        documents: all
            .iter()
            .skip(offset)
            .take(limit)
            .map(|d| DocumentSummary {
                id: d.id.clone(),
                kind: d.kind.code().to_owned(),
                number: d.number.clone(),
                symbol: d.symbol.clone(),
                date: d.date,
                issuer: d.issuer.clone(),
                title: d.title.clone(),
                citations: s.citations(&d.id),
                url: urls::document(&d.id),
            })
            .collect(),
    }))
}

/// `vanban doc --format json` (docs/knowledge-base-json.md).
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDto {
    #[schema(example = "126-QĐ/TW@2018-02-28")]
    pub id: String,
    /// Kind code (`quy_dinh`).
    #[schema(value_type = String, example = "quy_dinh")]
    pub kind: vanban_extract::DocumentKind,
    pub number: Option<String>,
    pub symbol: Option<String>,
    pub date: Option<NaiveDate>,
    pub issuer: Option<String>,
    pub title: Option<String>,
    pub status: StatusDto,
    pub relations: Vec<RelationDto>,
    pub events: Vec<EventDto>,
    pub sources: Vec<SourceRefDto>,
    /// How many relations, events and sources the document has in all (the
    /// lists above hold one page of each).
    pub totals: TotalsDto,
}

/// The sizes of a document's lists, whatever the page.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotalsDto {
    pub relations: usize,
    pub events: usize,
    pub sources: usize,
}

/// Status in force as of a date.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusDto {
    /// `in_force`, `amended`, `replaced`, `repealed`, `expired` or `unknown`.
    #[schema(value_type = String, example = "replaced")]
    pub state: vanban_store::graph::State,
    pub since: Option<NaiveDate>,
    /// Ids of the documents that replaced, amended or repealed it.
    pub by: Vec<String>,
}

/// One relation as seen from the document.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelationDto {
    /// `replaces`, `amends`, `repeals`, `guides`, `implements`, `reviews`.
    #[serde(rename = "type")]
    #[schema(value_type = String, example = "replaces")]
    pub kind: vanban_extract::RelationKind,
    /// `outgoing` (this document acts on `other`) or `incoming`.
    #[schema(value_type = String, example = "incoming")]
    pub direction: vanban_store::graph::Direction,
    pub other: String,
    /// Ids of the sources that state it.
    pub sources: Vec<i64>,
}

/// A dissemination, review or training event.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventDto {
    /// `dissemination`, `review`, `training` or `other`.
    #[serde(rename = "type")]
    #[schema(value_type = String, example = "dissemination")]
    pub kind: vanban_extract::EventKind,
    pub date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// As named at the time.
    pub province: Option<String>,
    /// The province of today (after the 2025 merger).
    pub province_now: Option<String>,
    pub organizer: Option<String>,
    /// Path or URL of the source.
    pub source: String,
    pub source_id: i64,
    /// Ids of the documents it was about.
    pub documents: Vec<String>,
}

/// A source citing the document, with the text around the citation.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceRefDto {
    pub source: String,
    pub source_id: i64,
    pub published: Option<NaiveDate>,
    pub excerpt: String,
}

impl From<Status> for StatusDto {
    fn from(s: Status) -> Self {
        StatusDto {
            state: s.state,
            since: s.since,
            by: s.by,
        }
    }
}

impl From<RelationView> for RelationDto {
    fn from(r: RelationView) -> Self {
        RelationDto {
            kind: r.kind,
            direction: r.direction,
            other: r.other,
            sources: r.sources,
        }
    }
}

impl From<EventView> for EventDto {
    fn from(e: EventView) -> Self {
        EventDto {
            kind: e.kind,
            date: e.date,
            end_date: e.end_date,
            province: e.province,
            province_now: e.province_now,
            organizer: e.organizer,
            source: e.source,
            source_id: e.source_id,
            documents: e.documents,
        }
    }
}

impl From<SourceRef> for SourceRefDto {
    fn from(s: SourceRef) -> Self {
        SourceRefDto {
            source: s.source,
            source_id: s.source_id,
            published: s.published,
            excerpt: s.excerpt,
        }
    }
}

impl DocumentDto {
    fn new(v: DocView, totals: vanban_store::graph::ViewTotals) -> Self {
        DocumentDto {
            id: v.id,
            kind: v.kind,
            number: v.number,
            symbol: v.symbol,
            date: v.date,
            issuer: v.issuer,
            title: v.title,
            status: v.status.into(),
            relations: v.relations.into_iter().map(Into::into).collect(),
            events: v.events.into_iter().map(Into::into).collect(),
            sources: v.sources.into_iter().map(Into::into).collect(),
            totals: TotalsDto {
                relations: totals.relations,
                events: totals.events,
                sources: totals.sources,
            },
        }
    }
}

/// The date to compute a status as of.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfParams {
    /// YYYY-MM-DD (default today).
    pub as_of: Option<String>,
    /// At most this many relations, events and sources each (1–1000,
    /// default 100); `totals` gives how many there are.
    pub limit: Option<usize>,
    /// Skip this many of each list first.
    pub offset: Option<usize>,
}

/// One document by any reference a person types: its status as of a date,
/// relations, events and sources. An ambiguous reference answers 300 with
/// the candidates.
#[utoipa::path(get, path = "/api/v1/documents/{reference}", tag = "read",
    params(("reference" = String, Path, description = "An id (`126-QĐ/TW@2018-02-28`) or anything typed: `126-QĐ/TW`, `126-qd/tw`, `quy dinh 126`, `30/2020/NĐ-CP` (percent-encode `/` as %2F)"), AsOfParams),
    responses((status = 200, body = DocumentDto), (status = 300, description = "Ambiguous reference", body = ErrorBody),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn document(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    uri: axum::http::Uri,
    params: Result<Query<AsOfParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    // `/documents/{reference}/coverage` (the wildcard takes the suffix too).
    if let Some(r) = reference.strip_suffix("/coverage") {
        return crate::coverage::api::document_coverage(State(state), r.to_owned(), uri).await;
    }
    let p = query(params)?;
    let as_of = parse_date("as_of", p.as_of.as_deref())?.unwrap_or_else(today);
    let s = state.snapshot();
    let id = resolve(&s, &reference)?;
    let page = vanban_store::graph::Page {
        offset: p.offset.unwrap_or(0),
        limit: Some(p.limit.unwrap_or(100).clamp(1, 1000)),
    };
    let (view, totals) = s
        .graph
        .view_page(&id, as_of, page)
        .ok_or_else(|| ApiError::not_found(format!("no document `{id}`")))?;
    Ok(Json(DocumentDto::new(view, totals)).into_response())
}

/// `POST /documents/{reference}/expectations` (the wildcard takes the
/// suffix too); any other POST under `/documents` is not found.
async fn document_post(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    _token: crate::auth::WriteToken,
    headers: axum::http::HeaderMap,
    body: Result<
        Json<crate::coverage::expectations::ExpectationRequest>,
        axum::extract::rejection::JsonRejection,
    >,
) -> Result<Response, ApiError> {
    match reference.strip_suffix("/expectations") {
        Some(r) => {
            crate::coverage::expectations::create(state, r.to_owned(), headers, body).await
        }
        None => Err(ApiError::not_found(
            "nothing to post here: POST /api/v1/documents/{reference}/expectations adds an expectation",
        )),
    }
}

/// `DELETE /documents/{reference}/expectations/{id}`.
async fn document_delete(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    _token: crate::auth::WriteToken,
) -> Result<Response, ApiError> {
    match reference.rsplit_once("/expectations/") {
        Some((r, id)) => {
            crate::coverage::expectations::remove(state, r.to_owned(), id).await
        }
        None => Err(ApiError::not_found(
            "nothing to delete here: DELETE /api/v1/documents/{reference}/expectations/{id} removes an expectation",
        )),
    }
}

// ------------------------------------------------------------- relations

/// Which relations to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RelationParams {
    /// The document, by any reference.
    pub document: String,
    /// Only this type (`replaces`, `amends`, `repeals`, `guides`, `implements`, `reviews`).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// At most this many (1–1000, default 100).
    pub limit: Option<usize>,
    /// Skip this many first.
    pub offset: Option<usize>,
}

/// A document's relations.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelationList {
    /// The resolved id of the document.
    pub document: String,
    /// How many relations (of the type asked) in all.
    pub total: usize,
    pub relations: Vec<RelationDto>,
}

/// The relations of one document (both directions).
#[utoipa::path(get, path = "/api/v1/relations", tag = "read", params(RelationParams),
    responses((status = 200, body = RelationList), (status = 300, body = ErrorBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn relations(
    State(state): State<AppState>,
    params: Result<Query<RelationParams>, QueryRejection>,
) -> ApiResult<RelationList> {
    let p = query(params)?;
    let kind: Option<vanban_extract::RelationKind> = match p.kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k) => Some(serde_json::from_value(serde_json::Value::String(k.to_owned())).map_err(
            |_| ApiError::bad_request(format!("unknown relation type `{k}`: use replaces, amends, repeals, guides, implements or reviews")),
        )?),
    };
    let s = state.snapshot();
    let id = resolve(&s, &p.document)?;
    let all: Vec<_> = s
        .graph
        .relation_views(&id)
        .ok_or_else(|| ApiError::not_found(format!("no document `{id}`")))?
        .into_iter()
        .filter(|r| kind.is_none_or(|k| r.kind == k))
        .collect();
    let offset = p.offset.unwrap_or(0);
    let limit = p.limit.unwrap_or(100).clamp(1, 1000);
    Ok(Json(RelationList {
        document: id,
        total: all.len(),
        relations: all
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(Into::into)
            .collect(),
    }))
}

// ---------------------------------------------------------------- events

/// Which events to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventParams {
    /// About this document (any reference).
    pub document: Option<String>,
    /// Held in this province, old or of today (today's name also finds the
    /// provinces merged into it in 2025).
    pub province: Option<String>,
    /// On or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// On or before (YYYY-MM-DD).
    pub to: Option<String>,
    /// `dissemination`, `review`, `training` or `other`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// At most this many (1–1000, default 100).
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// A page of events.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventList {
    pub total: usize,
    pub events: Vec<EventDto>,
}

/// Events, filtered by document, province, date range and type, by date.
#[utoipa::path(get, path = "/api/v1/events", tag = "read", params(EventParams),
    responses((status = 200, body = EventList), (status = 300, body = ErrorBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn events(
    State(state): State<AppState>,
    params: Result<Query<EventParams>, QueryRejection>,
) -> ApiResult<EventList> {
    let p = query(params)?;
    let s = state.snapshot();
    let nonempty = |v: Option<String>| v.filter(|x| !x.trim().is_empty());
    let document = match nonempty(p.document) {
        Some(r) => Some(resolve(&s, &r)?),
        None => None,
    };
    let province = match nonempty(p.province) {
        Some(name) => Some(
            vanban_search::provinces::canonical(&name)
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "unknown province `{name}`: use a province name, old or of today, e.g. Ninh Bình, Hà Nam"
                    ))
                })?
                .to_owned(),
        ),
        None => None,
    };
    let kind: Option<vanban_extract::EventKind> = match nonempty(p.kind) {
        None => None,
        Some(k) => Some(
            serde_json::from_value(serde_json::Value::String(k.trim().to_owned())).map_err(
                |_| {
                    ApiError::bad_request(format!(
                        "unknown event type `{k}`: use dissemination, review, training or other"
                    ))
                },
            )?,
        ),
    };
    let filter = EventFilter {
        document,
        province,
        from: parse_date("from", p.from.as_deref())?,
        to: parse_date("to", p.to.as_deref())?,
        kind,
    };
    let all = s.graph.events(&filter);
    let offset = p.offset.unwrap_or(0);
    let limit = p.limit.unwrap_or(100).clamp(1, 1000);
    Ok(Json(EventList {
        total: all.len(),
        events: all
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(Into::into)
            .collect(),
    }))
}

// --------------------------------------------------------------- sources

/// A stored source in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceSummary {
    pub id: i64,
    /// Path or URL.
    pub source: String,
    pub published: Option<NaiveDate>,
    pub title: String,
    /// SHA-256 of its bytes.
    pub hash: String,
    /// Documents it cites (before resolution).
    pub documents: usize,
    pub events: usize,
    /// Its page.
    pub url: String,
}

/// A page of sources.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceList {
    pub total: usize,
    pub sources: Vec<SourceSummary>,
}

fn summary(f: &vanban_store::SourceFacts) -> SourceSummary {
    SourceSummary {
        id: f.id,
        source: f.extraction.source.clone(),
        published: f.extraction.published,
        title: f.title.clone(),
        hash: f.hash.clone(),
        documents: f.extraction.documents.len(),
        events: f.extraction.events.len(),
        url: urls::source(f.id),
    }
}

/// The stored sources, in ingest order.
#[utoipa::path(get, path = "/api/v1/sources", tag = "read", params(PageParams),
    responses((status = 200, body = SourceList), (status = 400, body = ErrorBody)))]
async fn sources(
    State(state): State<AppState>,
    params: Result<Query<PageParams>, QueryRejection>,
) -> ApiResult<SourceList> {
    let (offset, limit) = query(params)?.range();
    let s = state.snapshot();
    let all = s.graph.sources();
    Ok(Json(SourceList {
        total: all.len(),
        sources: all
            .iter()
            .skip(offset)
            .take(limit)
            .map(|s| summary(s))
            .collect(),
    }))
}

/// One source: its facts, its text, and which document each citation was
/// resolved to.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceDetail {
    #[serde(flatten)]
    pub summary: SourceSummary,
    /// `vanban extract`'s object for this text (docs/extract-json.md).
    #[schema(value_type = Object)]
    pub extraction: vanban_extract::Extraction,
    /// For each of `extraction.documents`, the id it was resolved to (or null).
    pub resolved: Vec<Option<String>>,
    /// The prepared text (mention offsets point into it, in bytes).
    pub text: String,
}

/// One source by id.
#[utoipa::path(get, path = "/api/v1/sources/{id}", tag = "read",
    params(("id" = i64, Path, description = "The source's id")),
    responses((status = 200, body = SourceDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn source(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<SourceDetail> {
    let id: i64 = id.trim().parse().map_err(|_| {
        ApiError::bad_request(format!(
            "`{id}` is not a source id: use the number from /api/v1/sources"
        ))
    })?;
    let stored = state
        .with_store(move |store| Ok(store.source_text(id)?))
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!("no source with id {id}: see /api/v1/sources"))
        })?;
    let s = state.snapshot();
    Ok(Json(SourceDetail {
        summary: summary(&stored.facts),
        resolved: s.graph.resolved_ids(id),
        extraction: stored.facts.extraction,
        text: stored.text,
    }))
}

/// A text to ingest.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UploadRequest {
    /// Its path or URL (names ending in `.html` / `.htm` are read as HTML).
    #[schema(example = "https://example.vn/tin-tuc/hoi-nghi.html")]
    pub source: String,
    /// The content.
    pub text: String,
}

/// What an upload did.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadResponse {
    /// The source's id.
    pub id: Option<i64>,
    /// SHA-256 of the text's bytes.
    pub hash: String,
    /// False when the same content was already stored (nothing changed).
    pub new: bool,
    pub documents: usize,
    pub relations: usize,
    pub events: usize,
    /// The source's page.
    pub url: Option<String>,
}

/// Ingests one text: extracts, stores, resolves, indexes. Needs a token.
/// 201 when stored, 200 when the same content was already there.
#[utoipa::path(post, path = "/api/v1/sources", tag = "write", request_body = UploadRequest,
    security(("token" = [])),
    responses((status = 201, body = UploadResponse), (status = 200, body = UploadResponse),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 503, body = ErrorBody, description = "store_unavailable or overloaded, with Retry-After"),
        (status = 507, body = ErrorBody, description = "insufficient_storage: the disk is full")))]
async fn upload(
    State(state): State<AppState>,
    _token: auth::WriteToken,
    arrived: Option<axum::Extension<crate::admission::Arrived>>,
    body: Result<Json<UploadRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(req) = body?;
    let source = req.source.trim().to_owned();
    if source.is_empty() || source.len() > 2000 || source.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "`source` phải ghi tên văn bản (must name the text): đường dẫn hoặc URL của nó, trên một dòng, tối đa 2000 byte",
        ));
    }
    if req.text.trim().is_empty() {
        return Err(ApiError::bad_request(
            "`text` trống (is empty): hãy gửi nội dung bài viết",
        ));
    }
    let new_source =
        tokio::task::spawn_blocking(move || NewSource::from_input(&source, req.text.as_bytes()))
            .await
            .map_err(|e| ApiError::internal(e.to_string()))?;
    let hash = new_source.hash.clone();
    let (documents, relations, events) = (
        new_source.extraction.documents.len(),
        new_source.extraction.relations.len(),
        new_source.extraction.events.len(),
    );
    // Writes are serialised, and grouped: the upload joins the line of
    // those waiting for the writer; whoever gets the writer's turn stores
    // every upload in the line as one batch (one transaction, one
    // snapshot update, one index commit) and answers each with its own
    // result (group commit). One that is not taken into a batch within the
    // queue wait is shed like any other overload, instead of holding a
    // request slot in an unbounded line. The wait is what is left of it
    // since the request arrived: a write that already waited for its turn
    // to be handled does not wait as long again.
    let write_wait = match &arrived {
        Some(axum::Extension(arrived)) => arrived.left(state.config().write_wait),
        None => state.config().write_wait,
    };
    let (id, new) = match write_grouped(&state, new_source, write_wait).await {
        Some(outcome) => outcome?,
        None => return Ok(crate::admission::overloaded()),
    };
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let body = UploadResponse {
        id,
        hash,
        new,
        documents,
        relations,
        events,
        url: id.map(urls::source),
    };
    let mut response = (status, Json(body)).into_response();
    if let Some(id) = id {
        if let Ok(v) = format!("/api/v1/sources/{id}").parse() {
            response.headers_mut().insert(header::LOCATION, v);
        }
    }
    Ok(response)
}

/// An upload waiting for the writer (group commit): its text, and where
/// its answer goes, `(id, new)` or the batch's error.
pub(crate) struct WriteJob {
    ticket: u64,
    source: NewSource,
    reply: tokio::sync::oneshot::Sender<Result<(Option<i64>, bool), ApiError>>,
}

/// The most uploads stored as one batch.
const MAX_BATCH: usize = 64;

/// Stores `source` in the next batch of writes: `None` when no batch took
/// it within `wait` (the caller answers 503 `overloaded`; nothing was
/// stored), else its id (when it is in the graph) and whether it was new.
async fn write_grouped(
    state: &AppState,
    source: NewSource,
    wait: std::time::Duration,
) -> Option<Result<(Option<i64>, bool), ApiError>> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static TICKETS: AtomicU64 = AtomicU64::new(0);
    let ticket = TICKETS.fetch_add(1, Ordering::Relaxed);
    let (reply, mut answer) = tokio::sync::oneshot::channel();
    state.pending().push(WriteJob {
        ticket,
        source,
        reply,
    });
    let turn = tokio::time::timeout(wait, state.write_lock_owned());
    tokio::pin!(turn);
    let writing = tokio::select! {
        biased;
        done = &mut answer => return Some(answered(done)),
        turn = &mut turn => turn,
    };
    let Ok(writing) = writing else {
        // Not taken into a batch yet: withdrawn, shed. Taken: its batch is
        // running, and answers it.
        let withdrawn = {
            let mut pending = state.pending();
            let at = pending.iter().position(|j| j.ticket == ticket);
            at.map(|at| pending.remove(at)).is_some()
        };
        if withdrawn {
            return None;
        }
        return Some(answered(answer.await));
    };
    let jobs: Vec<WriteJob> = {
        let mut pending = state.pending();
        let n = pending.len().min(MAX_BATCH);
        pending.drain(..n).collect()
    };
    if !jobs.is_empty() {
        // In a task of its own: the batch is stored and every upload in it
        // answered even if this request is dropped (its time limit, its
        // client gone); the writer's turn ends with the batch.
        let state = state.clone();
        let batch = tokio::spawn(async move {
            write_batch(&state, jobs).await;
            drop(writing);
        });
        let _ = batch.await;
    } else {
        drop(writing);
    }
    Some(answered(answer.await))
}

fn answered(
    done: Result<Result<(Option<i64>, bool), ApiError>, tokio::sync::oneshot::error::RecvError>,
) -> Result<(Option<i64>, bool), ApiError> {
    done.unwrap_or_else(|_| {
        Err(ApiError::internal(
            "lượt ghi bị ngắt (the write was interrupted); hãy gửi lại văn bản",
        ))
    })
}

/// Stores `jobs` as one batch and answers each.
async fn write_batch(state: &AppState, jobs: Vec<WriteJob>) {
    let (sources, replies): (Vec<NewSource>, Vec<_>) =
        jobs.into_iter().map(|j| (j.source, j.reply)).unzip();
    let hashes: Vec<String> = sources.iter().map(|s| s.hash.clone()).collect();
    match store_batch(state, sources).await {
        Ok((ids, stored)) => {
            // The first upload of a text stored by this batch is new; a
            // second one in the same batch, or one already stored, is not.
            let mut seen = std::collections::HashSet::new();
            for ((reply, hash), id) in replies.into_iter().zip(&hashes).zip(ids) {
                let new = id.is_some_and(|id| stored.contains(&id)) && seen.insert(hash.clone());
                let _ = reply.send(Ok((id, new)));
            }
        }
        Err(e) => {
            for reply in replies {
                let _ = reply.send(Err(e.clone()));
            }
        }
    }
}

/// Stores a batch: one store transaction, the snapshot updated once, the
/// index once; returns each text's id (by its hash, in the graph) and the
/// ids the batch stored.
async fn store_batch(
    state: &AppState,
    sources: Vec<NewSource>,
) -> Result<(Vec<Option<i64>>, std::collections::HashSet<i64>), ApiError> {
    let hashes: Vec<String> = sources.iter().map(|s| s.hash.clone()).collect();
    let inserted = state
        .with_store(move |store| Ok(store.insert(&sources)?))
        .await?;
    let mut snapshot = if inserted.new > 0 {
        state.apply_inserted(&inserted).await?
    } else {
        state.snapshot()
    };
    let ids_of = |s: &Snapshot| -> Vec<Option<i64>> {
        hashes.iter().map(|h| s.source_id_by_hash(h)).collect()
    };
    let mut ids = ids_of(&snapshot);
    // Stored but not in the graph: an earlier attempt committed and then
    // lost its answer (a PostgreSQL connection lost after COMMIT, repeated
    // as "already stored"; a server killed before it rebuilt). Rebuild and
    // index now, or the text would stay invisible and unsearchable.
    let stale = ids.iter().any(Option::is_none);
    if stale {
        snapshot = state.rebuild().await?;
        ids = ids_of(&snapshot);
    }
    if inserted.new > 0 || stale {
        let updated = if stale {
            state.update_index().await
        } else {
            state.update_index_inserted(&inserted).await
        };
        if let Err(e) = updated {
            // Stored, in the graph, not yet searchable: the follower tries
            // the index again; the same request again is answered 200.
            state.mark_index_behind();
            let mut err = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "index_unavailable",
                format!(
                    "văn bản đã được lưu nhưng chưa tìm kiếm được (the text is stored, but the search index could not be updated: {e}); the server tries again by itself; if this lasts, check the index folder (it must be a writable folder) and run `vanban reindex` (docs/operations.md)"
                ),
            );
            err.retry_after = Some(crate::error::RETRY_AFTER_SECONDS);
            return Err(err);
        }
    }
    Ok((ids, inserted.ids.iter().copied().collect()))
}

// ----------------------------------------------------------------- stats

/// Counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsDto {
    pub sources: usize,
    /// Resolved documents.
    pub documents: usize,
    pub relations: usize,
    pub events: usize,
    /// Provinces (as named at the time) that held events.
    pub provinces: usize,
}

/// Counts of the knowledge base.
#[utoipa::path(get, path = "/api/v1/stats", tag = "read", responses((status = 200, body = StatsDto)))]
async fn stats(State(state): State<AppState>) -> Json<StatsDto> {
    let s = state.snapshot();
    let st = s.stats();
    Json(StatsDto {
        sources: st.sources,
        documents: st.documents,
        relations: st.relations,
        events: st.events,
        provinces: st.provinces,
    })
}

/// A province of today.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProvinceDto {
    pub name: String,
    /// The provinces merged into it on 1/7/2025.
    pub merged: Vec<String>,
    /// Events held in it (under any of its names).
    pub events: usize,
    /// Its page.
    pub url: String,
}

/// The 34 provinces of today with their event counts.
#[utoipa::path(get, path = "/api/v1/provinces", tag = "read", responses((status = 200, body = Vec<ProvinceDto>)))]
async fn provinces(State(state): State<AppState>) -> Json<Vec<ProvinceDto>> {
    let s = state.snapshot();
    Json(
        NEW_PROVINCES
            .iter()
            .map(|p| ProvinceDto {
                name: (*p).to_owned(),
                merged: pages::merged_into(p)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
                events: s.event_count_in_province_now(province_now(p)),
                url: urls::province(p),
            })
            .collect(),
    )
}

/// This API's OpenAPI 3.1 document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "read", responses((status = 200, description = "The OpenAPI document", content_type = "application/json")))]
async fn openapi_json() -> Response {
    match ApiDoc::openapi().to_json() {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(e) => ApiError::internal(e.to_string()).into_response(),
    }
}
