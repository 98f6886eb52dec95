//! The coverage endpoints: `GET /api/v1/documents/{reference}/coverage`
//! (one document, per province and central body) and `GET
//! /api/v1/coverage?documents=…` (documents × provinces, JSON or CSV).

use crate::error::{ApiError, ErrorBody};
use crate::{api, urls, AppState};
use axum::extract::{Query, State};
use axum::http::{header, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vanban_store::coverage::{
    self, Coverage, CoverageRow, PlanRef, RowKind, Stage, StageEntry, StageTotal, View,
};

/// At most this many documents in one matrix.
pub const MAX_DOCUMENTS: usize = 20;
/// At most this many sources listed per stage (`source_count` has them all).
pub const MAX_SOURCES: usize = 20;

/// Which provinces the rows are.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageParams {
    /// `today` (the 34 provinces from 1/7/2025, default) or `at_the_time`
    /// (the 63 before the merger, as the texts name them).
    pub view: Option<String>,
}

/// Which documents to compare.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatrixParams {
    /// Document references separated by commas (any form a person types:
    /// `126-QĐ/TW,58-QĐ/TW`), at most 20.
    pub documents: Option<String>,
    /// `today` (default) or `at_the_time`.
    pub view: Option<String>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

/// A source stating a stage.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageSourceDto {
    pub source_id: i64,
    /// Path or URL.
    pub source: String,
    /// Its page.
    pub url: String,
}

/// The Kế hoạch / Chương trình behind `plan_issued`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDto {
    pub id: String,
    /// Kind code (`ke_hoach`, `chuong_trinh`).
    #[schema(value_type = String, example = "ke_hoach")]
    pub kind: vanban_extract::DocumentKind,
    pub number: Option<String>,
    pub symbol: Option<String>,
    pub date: Option<NaiveDate>,
    pub issuer: Option<String>,
    /// Its page.
    pub url: String,
}

/// One stage reached in one place.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageDto {
    /// `disseminated`, `trained`, `plan_issued`, `reviewed` (a review whose
    /// kind the text does not say), `interim_review` (sơ kết) or
    /// `final_review` (tổng kết).
    #[schema(value_type = String, example = "disseminated")]
    pub stage: Stage,
    /// The first day (earliest event, or the plan's date).
    pub date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// Days from the document's own date; null when either is unknown.
    pub lag_days: Option<i64>,
    /// The province as named at the time.
    pub province: Option<String>,
    pub organizer: Option<String>,
    pub plan: Option<PlanDto>,
    /// The sources stating the stage on `date`, the first 20 in ingest order.
    pub sources: Vec<StageSourceDto>,
    /// How many sources state it on `date` in all.
    pub source_count: usize,
    /// Events (or plans) of this stage in this place in all.
    pub count: usize,
}

/// A province (of the view) or a central body, with its stages.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageRowDto {
    pub name: String,
    /// `province` or `central`.
    #[schema(value_type = String, example = "province")]
    pub kind: RowKind,
    /// The names its stages were recorded under (old provinces in the
    /// today view).
    pub names: Vec<String>,
    /// The furthest stage reached, null when none.
    #[schema(value_type = Option<String>, example = "trained")]
    pub reached: Option<Stage>,
    /// The province's page (null for a central body).
    pub url: Option<String>,
    pub stages: Vec<StageDto>,
}

/// One stage over the country.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageTotalDto {
    #[schema(value_type = String, example = "disseminated")]
    pub stage: Stage,
    /// Provinces (of the view) that reached it.
    pub provinces: usize,
    /// Central bodies that reached it.
    pub central: usize,
    /// Median lag in days over the provinces whose lag is known.
    pub median_lag_days: Option<f64>,
    pub slowest_lag_days: Option<i64>,
    /// The province with the slowest lag.
    pub slowest: Option<String>,
}

/// A document's coverage across the country.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageDto {
    /// The resolved id.
    pub document: String,
    /// The document's own date (lags count from it).
    pub date: Option<NaiveDate>,
    /// `today` or `at_the_time`.
    #[schema(value_type = String, example = "today")]
    pub view: View,
    /// One per stage.
    pub totals: Vec<StageTotalDto>,
    /// Every province of the view (reached or not) in the official order,
    /// any other province name the texts use, then central bodies.
    pub rows: Vec<CoverageRowDto>,
    /// Events and plans placed in no province and at no central body.
    pub unplaced: usize,
    /// The document's page.
    pub url: String,
    /// What is expected of the document by when, each with the provinces
    /// (of today) overdue, late and on time on the server's today.
    pub expectations: Vec<super::expectations::ExpectationDto>,
}

fn source_dto(s: &coverage::StageSource) -> StageSourceDto {
    StageSourceDto {
        url: urls::source(s.source_id),
        source_id: s.source_id,
        source: s.source.clone(),
    }
}

fn plan_dto(p: &PlanRef) -> PlanDto {
    PlanDto {
        url: urls::document(&p.id),
        id: p.id.clone(),
        kind: p.kind,
        number: p.number.clone(),
        symbol: p.symbol.clone(),
        date: p.date,
        issuer: p.issuer.clone(),
    }
}

fn stage_dto(e: &StageEntry) -> StageDto {
    StageDto {
        stage: e.stage,
        date: e.date,
        end_date: e.end_date,
        lag_days: e.lag_days,
        province: e.province.clone(),
        organizer: e.organizer.clone(),
        plan: e.plan.as_ref().map(plan_dto),
        sources: e.sources.iter().take(MAX_SOURCES).map(source_dto).collect(),
        source_count: e.sources.len(),
        count: e.count,
    }
}

fn row_dto(r: &CoverageRow) -> CoverageRowDto {
    CoverageRowDto {
        url: (r.kind == RowKind::Province).then(|| urls::province(&r.name)),
        name: r.name.clone(),
        kind: r.kind,
        names: r.names.clone(),
        reached: r.reached,
        stages: r.stages.iter().map(stage_dto).collect(),
    }
}

fn total_dto(t: &StageTotal) -> StageTotalDto {
    StageTotalDto {
        stage: t.stage,
        provinces: t.provinces,
        central: t.central,
        median_lag_days: t.median_lag_days,
        slowest_lag_days: t.slowest_lag_days,
        slowest: t.slowest.clone(),
    }
}

impl From<&Coverage> for CoverageDto {
    fn from(c: &Coverage) -> Self {
        CoverageDto {
            url: urls::document(&c.document),
            document: c.document.clone(),
            date: c.date,
            view: c.view,
            totals: c.totals.iter().map(total_dto).collect(),
            rows: c.rows.iter().map(row_dto).collect(),
            unplaced: c.unplaced,
            expectations: Vec::new(),
        }
    }
}

fn parse_view(v: Option<&str>) -> Result<View, ApiError> {
    let v = v.unwrap_or("");
    View::parse(v).ok_or_else(|| {
        ApiError::bad_request(format!(
            "unknown view `{v}`: use `today` (the 34 provinces from 1/7/2025) or `at_the_time` (the 63 before)"
        ))
    })
}

/// One document's coverage: per province (of today, or as at the time) and
/// per central body, the stages reached (disseminated, trained, plan
/// issued, interim and final review) with their dates, lags from the
/// document's date and sources; totals per stage with the median and the
/// slowest lag.
#[utoipa::path(get, path = "/api/v1/documents/{reference}/coverage", tag = "read",
    params(("reference" = String, Path, description = "An id or any typed reference (`126-QĐ/TW`, `quy dinh 126`); percent-encode `/` as %2F"), CoverageParams),
    responses((status = 200, body = CoverageDto), (status = 300, description = "Ambiguous reference", body = ErrorBody),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn document_coverage(
    State(state): State<AppState>,
    reference: String,
    uri: Uri,
) -> Result<Response, ApiError> {
    let params = Query::<CoverageParams>::try_from_uri(&uri)
        .map(|Query(p)| p)
        .map_err(ApiError::from)?;
    let view = parse_view(params.view.as_deref())?;
    let s = state.snapshot();
    let id = api::resolve(&s, &reference)?;
    let c = crate::coverage::document_coverage(&s, &id, view)
        .ok_or_else(|| ApiError::not_found(format!("no document `{id}`")))?;
    let mut dto = CoverageDto::from(&*c);
    let list = super::expectations::of_document(&state, &id).await?;
    if !list.is_empty() {
        let today_view = if view == View::Today {
            c
        } else {
            crate::coverage::document_coverage(&s, &id, View::Today)
                .ok_or_else(|| ApiError::not_found(format!("no document `{id}`")))?
        };
        dto.expectations = super::expectations::statuses(&list, &today_view, crate::today())
            .iter()
            .map(super::expectations::ExpectationDto::from)
            .collect();
    }
    Ok(Json(dto).into_response())
}

/// One document's column of the matrix.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixDocument {
    /// The reference as asked.
    pub reference: String,
    /// The resolved id.
    pub id: String,
    pub date: Option<NaiveDate>,
    pub totals: Vec<StageTotalDto>,
    pub unplaced: usize,
}

/// One document in one place: the furthest stage reached.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixCell {
    #[schema(value_type = Option<String>, example = "disseminated")]
    pub reached: Option<Stage>,
    /// The date of that stage.
    pub date: Option<NaiveDate>,
    pub lag_days: Option<i64>,
    /// Every stage reached, in order.
    #[schema(value_type = Vec<String>)]
    pub stages: Vec<Stage>,
}

/// One province or central body across the documents.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixRow {
    pub name: String,
    #[schema(value_type = String, example = "province")]
    pub kind: RowKind,
    /// One per document, in the order of `documents`.
    pub cells: Vec<MatrixCell>,
}

/// Documents × provinces.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixDto {
    #[schema(value_type = String, example = "today")]
    pub view: View,
    pub documents: Vec<MatrixDocument>,
    /// The provinces of the view in the official order, then any other
    /// names and central bodies any document has.
    pub rows: Vec<MatrixRow>,
}

/// The matrix of several coverages (documents in the order asked).
pub fn matrix(coverages: &[(String, std::sync::Arc<Coverage>)], view: View) -> MatrixDto {
    // Rows: the view's provinces, then the others in the order first met
    // across documents, sorted by kind and name.
    let mut names: Vec<(RowKind, String)> = view
        .provinces()
        .iter()
        .map(|p| (RowKind::Province, (*p).to_owned()))
        .collect();
    let mut extra: Vec<(RowKind, String)> = Vec::new();
    for (_, c) in coverages {
        for r in &c.rows {
            let key = (r.kind, r.name.clone());
            if !names.contains(&key) && !extra.contains(&key) {
                extra.push(key);
            }
        }
    }
    extra.sort();
    names.extend(extra);
    let rows = names
        .into_iter()
        .map(|(kind, name)| MatrixRow {
            cells: coverages
                .iter()
                .map(|(_, c)| {
                    let row = c.rows.iter().find(|r| r.kind == kind && r.name == name);
                    let reached = row.and_then(|r| r.reached);
                    let at = row.zip(reached).and_then(|(r, s)| r.stage(s));
                    MatrixCell {
                        reached,
                        date: at.and_then(|e| e.date),
                        lag_days: at.and_then(|e| e.lag_days),
                        stages: row
                            .map(|r| r.stages.iter().map(|e| e.stage).collect())
                            .unwrap_or_default(),
                    }
                })
                .collect(),
            name,
            kind,
        })
        .collect();
    MatrixDto {
        view,
        documents: coverages
            .iter()
            .map(|(reference, c)| MatrixDocument {
                reference: reference.clone(),
                id: c.document.clone(),
                date: c.date,
                totals: c.totals.iter().map(total_dto).collect(),
                unplaced: c.unplaced,
            })
            .collect(),
        rows,
    }
}

/// One CSV field, quoted when it must be (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The matrix as CSV: one line per province or central body; per document
/// the furthest stage reached, its date and its lag.
pub fn matrix_csv(m: &MatrixDto) -> String {
    let mut header = vec!["name".to_owned(), "kind".to_owned()];
    for d in &m.documents {
        header.push(format!("{} stage", d.id));
        header.push(format!("{} date", d.id));
        header.push(format!("{} lag_days", d.id));
    }
    let mut out = String::new();
    let line = |fields: Vec<String>| {
        fields
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(",")
            + "\r\n"
    };
    out.push_str(&line(header));
    for r in &m.rows {
        let mut fields = vec![
            r.name.clone(),
            match r.kind {
                RowKind::Province => "province",
                RowKind::Central => "central",
            }
            .to_owned(),
        ];
        for c in &r.cells {
            fields.push(c.reached.map(Stage::code).unwrap_or("").to_owned());
            fields.push(c.date.map(vanban_store::iso).unwrap_or_default());
            fields.push(c.lag_days.map(|l| l.to_string()).unwrap_or_default());
        }
        out.push_str(&line(fields));
    }
    out
}

/// Documents × provinces: for each province of the view (and each central
/// body) the furthest stage each document reached there, with its date and
/// lag; each document's totals per stage. `format=csv` gives the same
/// matrix as CSV.
#[utoipa::path(get, path = "/api/v1/coverage", tag = "read", params(MatrixParams),
    responses((status = 200, body = MatrixDto), (status = 200, description = "format=csv", content_type = "text/csv"),
        (status = 300, description = "An ambiguous reference", body = ErrorBody),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn coverage_matrix(
    State(state): State<AppState>,
    params: Result<Query<MatrixParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let p = params.map(|Query(p)| p).map_err(ApiError::from)?;
    let view = parse_view(p.view.as_deref())?;
    let csv = match p.format.as_deref().map(str::trim) {
        None | Some("") | Some("json") => false,
        Some("csv") => true,
        Some(f) => {
            return Err(ApiError::bad_request(format!(
                "unknown format `{f}`: use json or csv"
            )))
        }
    };
    let references: Vec<String> = p
        .documents
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect();
    if references.is_empty() {
        return Err(ApiError::bad_request(
            "`documents` is empty: give document references separated by commas, e.g. documents=126-QĐ/TW,58-QĐ/TW",
        ));
    }
    if references.len() > MAX_DOCUMENTS {
        return Err(ApiError::bad_request(format!(
            "{} documents asked: compare at most {MAX_DOCUMENTS} at a time",
            references.len()
        )));
    }
    let s = state.snapshot();
    let mut coverages = Vec::with_capacity(references.len());
    for r in references {
        let id = api::resolve(&s, &r)?;
        let c = crate::coverage::document_coverage(&s, &id, view)
            .ok_or_else(|| ApiError::not_found(format!("no document `{id}`")))?;
        coverages.push((r, c));
    }
    let m = matrix(&coverages, view);
    if csv {
        Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"vanban-coverage.csv\"",
                ),
            ],
            matrix_csv(&m),
        )
            .into_response())
    } else {
        Ok(Json(m).into_response())
    }
}
