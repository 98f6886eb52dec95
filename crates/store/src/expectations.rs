//! What is expected of a document and by when (table `expectations`,
//! migration 5), and which provinces are overdue, late or on time against
//! its coverage ([`status`], pure: "today" is passed in, never read from
//! the clock).
//!
//! An expectation names one stage (disseminated, trained, plan issued,
//! interim or final review) and a deadline: an absolute date ("every
//! province disseminates by 30/6/2022") or a number of days from the
//! document's own date ("within 30 days"). Its scope is every province of
//! the coverage's view, or a list of provinces.
//!
//! A province has met the expectation when its coverage row has an entry
//! for exactly that stage (a later stage does not count for an earlier one,
//! and a review of unknown kind does not count for sơ kết or tổng kết).

use crate::coverage::{Coverage, Stage};
use chrono::NaiveDate;
use serde::Serialize;

/// The stages an expectation can name (every [`Stage`] but the review of
/// unknown kind).
pub const STAGES: [Stage; 5] = [
    Stage::Disseminated,
    Stage::Trained,
    Stage::PlanIssued,
    Stage::InterimReview,
    Stage::FinalReview,
];

/// Reads a stage code an expectation can name (`disseminated`,
/// `plan_issued`…); `None` for anything else, `reviewed` included.
pub fn parse_stage(code: &str) -> Option<Stage> {
    let code = code.trim();
    STAGES.into_iter().find(|s| s.code() == code)
}

/// By when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Deadline {
    /// On or before this date.
    By(NaiveDate),
    /// Within this many days of the document's own date.
    WithinDays(i64),
}

impl Deadline {
    /// The date it falls on for a document of this date (`None` for a
    /// relative deadline when the document's date is unknown).
    pub fn due(self, document_date: Option<NaiveDate>) -> Option<NaiveDate> {
        match self {
            Deadline::By(d) => Some(d),
            Deadline::WithinDays(n) => {
                document_date.and_then(|d| d.checked_add_signed(chrono::Duration::try_days(n)?))
            }
        }
    }
}

/// An expectation to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewExpectation {
    /// The document's canonical id.
    pub document: String,
    pub stage: Stage,
    pub deadline: Deadline,
    /// The provinces in scope; empty: every province.
    pub provinces: Vec<String>,
    /// Who set it (the token's name).
    pub set_by: String,
    /// When (RFC 3339, UTC, whole seconds).
    pub set_at: String,
    pub note: Option<String>,
}

/// A stored expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expectation {
    pub id: i64,
    #[serde(flatten)]
    pub fields: NewExpectation,
}

/// A province measured against an expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvinceDue {
    pub province: String,
    /// When it reached the stage (`None`: not yet).
    pub reached: Option<NaiveDate>,
    /// Overdue: days from the deadline to today; late: days from the
    /// deadline to when it was reached; on time: days to spare (≥ 0).
    pub days: i64,
}

/// Where an expectation stands on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectationStatus {
    #[serde(flatten)]
    pub expectation: Expectation,
    /// The deadline as a date (`None`: relative to an undated document).
    pub due: Option<NaiveDate>,
    /// Not reached, and the deadline has passed.
    pub overdue: Vec<ProvinceDue>,
    /// Reached after the deadline.
    pub late: Vec<ProvinceDue>,
    /// Reached on or before the deadline.
    pub on_time: Vec<ProvinceDue>,
    /// Not reached, the deadline not passed yet (or not known).
    pub pending: Vec<String>,
    /// Reached on a date the sources do not give: neither late nor on time.
    pub undated: Vec<String>,
}

/// Measures `expectation` against `coverage` on `today`: every province in
/// scope (in the order of the view, then the order the list gives) goes to
/// exactly one of the lists.
pub fn status(
    expectation: &Expectation,
    coverage: &Coverage,
    today: NaiveDate,
) -> ExpectationStatus {
    let fields = &expectation.fields;
    let due = fields.deadline.due(coverage.date);
    let scope: Vec<String> = if fields.provinces.is_empty() {
        coverage
            .view
            .provinces()
            .iter()
            .map(|p| p.to_string())
            .collect()
    } else {
        let mut seen = std::collections::BTreeSet::new();
        fields
            .provinces
            .iter()
            .filter(|p| seen.insert(p.as_str()))
            .cloned()
            .collect()
    };
    let mut out = ExpectationStatus {
        expectation: expectation.clone(),
        due,
        overdue: Vec::new(),
        late: Vec::new(),
        on_time: Vec::new(),
        pending: Vec::new(),
        undated: Vec::new(),
    };
    for province in scope {
        let entry = coverage.row(&province).and_then(|r| r.stage(fields.stage));
        match (entry, due) {
            (Some(e), Some(due)) => match e.date {
                Some(d) if d <= due => out.on_time.push(ProvinceDue {
                    province,
                    reached: Some(d),
                    days: (due - d).num_days(),
                }),
                Some(d) => out.late.push(ProvinceDue {
                    province,
                    reached: Some(d),
                    days: (d - due).num_days(),
                }),
                None => out.undated.push(province),
            },
            (Some(_), None) => out.undated.push(province),
            (None, Some(due)) if today > due => out.overdue.push(ProvinceDue {
                province,
                reached: None,
                days: (today - due).num_days(),
            }),
            (None, _) => out.pending.push(province),
        }
    }
    out
}

/// Province lists are stored one name a line.
pub(crate) fn join_provinces(provinces: &[String]) -> String {
    provinces.join("\n")
}

pub(crate) fn split_provinces(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The stored columns back into an expectation; `None` when a row breaks
/// the schema's rules (an unknown stage, no or both deadlines, a bad date).
#[allow(clippy::too_many_arguments)]
pub(crate) fn from_row(
    id: i64,
    document: String,
    stage: &str,
    deadline: Option<String>,
    within_days: Option<i64>,
    provinces: &str,
    set_by: String,
    set_at: String,
    note: Option<String>,
) -> Option<Expectation> {
    let deadline = match (deadline, within_days) {
        (Some(d), None) => Deadline::By(NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()?),
        (None, Some(n)) => Deadline::WithinDays(n),
        _ => return None,
    };
    Some(Expectation {
        id,
        fields: NewExpectation {
            document,
            stage: parse_stage(stage)?,
            deadline,
            provinces: split_provinces(provinces),
            set_by,
            set_at,
            note,
        },
    })
}

/// The deadline as its two columns.
pub(crate) fn deadline_columns(d: Deadline) -> (Option<String>, Option<i64>) {
    match d {
        Deadline::By(d) => (Some(crate::iso(d)), None),
        Deadline::WithinDays(n) => (None, Some(n)),
    }
}

const COLUMNS: &str = "id, document, stage, deadline, within_days, provinces, set_by, set_at, note";

pub(crate) fn sql_list(postgres: bool, one_document: bool) -> String {
    let filter = match (one_document, postgres) {
        (false, _) => "",
        (true, false) => " WHERE document = ?1",
        (true, true) => " WHERE document = $1",
    };
    format!("SELECT {COLUMNS} FROM expectations{filter} ORDER BY id")
}

pub(crate) const SQL_INSERT_SQLITE: &str = "INSERT INTO expectations (document, stage,
        deadline, within_days, provinces, set_by, set_at, note)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
pub(crate) const SQL_INSERT_POSTGRES: &str = "INSERT INTO expectations (document, stage,
        deadline, within_days, provinces, set_by, set_at, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
pub(crate) const SQL_DELETE_SQLITE: &str = "DELETE FROM expectations WHERE id = ?1";
pub(crate) const SQL_DELETE_POSTGRES: &str = "DELETE FROM expectations WHERE id = $1";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::{CoverageRow, RowKind, StageEntry, View};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    fn entry(stage: Stage, date: Option<NaiveDate>) -> StageEntry {
        StageEntry {
            stage,
            date,
            end_date: None,
            lag_days: None,
            province: None,
            organizer: None,
            plan: None,
            sources: Vec::new(),
            count: 1,
        }
    }

    fn row(name: &str, stages: Vec<StageEntry>) -> CoverageRow {
        CoverageRow {
            name: name.to_string(),
            kind: RowKind::Province,
            names: vec![name.to_string()],
            reached: stages.last().map(|e| e.stage),
            stages,
        }
    }

    /// Hà Nội disseminated on 20/6, Huế on 15/7, Lào Cai undated, Cà Mau
    /// only issued a plan; every other province of today nothing.
    fn cov() -> Coverage {
        let mut rows: Vec<CoverageRow> = View::Today
            .provinces()
            .iter()
            .map(|p| row(p, Vec::new()))
            .collect();
        for r in rows.iter_mut() {
            r.stages = match r.name.as_str() {
                "Hà Nội" => vec![entry(Stage::Disseminated, Some(d(2022, 6, 20)))],
                "Huế" => vec![entry(Stage::Disseminated, Some(d(2022, 7, 15)))],
                "Lào Cai" => vec![entry(Stage::Disseminated, None)],
                "Cà Mau" => vec![entry(Stage::PlanIssued, Some(d(2022, 6, 1)))],
                _ => Vec::new(),
            };
        }
        Coverage {
            document: "quy-dinh-58-qd-tw-2022".to_string(),
            date: Some(d(2022, 2, 8)),
            view: View::Today,
            rows,
            totals: Vec::new(),
            unplaced: 0,
        }
    }

    fn exp(stage: Stage, deadline: Deadline, provinces: &[&str]) -> Expectation {
        Expectation {
            id: 7,
            fields: NewExpectation {
                document: "quy-dinh-58-qd-tw-2022".to_string(),
                stage,
                deadline,
                provinces: provinces.iter().map(|p| p.to_string()).collect(),
                set_by: "ban-tuyen-giao".to_string(),
                set_at: "2026-12-07T02:00:00Z".to_string(),
                note: None,
            },
        }
    }

    #[test]
    fn every_province_by_a_date_splits_overdue_late_and_on_time() {
        let e = exp(Stage::Disseminated, Deadline::By(d(2022, 6, 30)), &[]);
        let s = status(&e, &cov(), d(2022, 7, 10));
        assert_eq!(s.due, Some(d(2022, 6, 30)));
        assert_eq!(
            s.on_time,
            vec![ProvinceDue {
                province: "Hà Nội".into(),
                reached: Some(d(2022, 6, 20)),
                days: 10
            }]
        );
        assert_eq!(
            s.late,
            vec![ProvinceDue {
                province: "Huế".into(),
                reached: Some(d(2022, 7, 15)),
                days: 15
            }]
        );
        assert_eq!(s.undated, vec!["Lào Cai".to_string()]);
        // Cà Mau's plan does not count as dissemination.
        assert!(s.overdue.iter().any(|p| p.province == "Cà Mau"));
        assert_eq!(s.overdue.len(), 34 - 3);
        assert!(s
            .overdue
            .iter()
            .all(|p| p.days == 10 && p.reached.is_none()));
        assert!(s.pending.is_empty());
    }

    #[test]
    fn before_the_deadline_nobody_is_overdue() {
        let e = exp(Stage::Disseminated, Deadline::By(d(2022, 6, 30)), &[]);
        let s = status(&e, &cov(), d(2022, 6, 30));
        assert!(s.overdue.is_empty());
        assert_eq!(s.pending.len(), 34 - 3);
        // Reached after "today" is still measured against the deadline.
        assert_eq!(s.late.len(), 1);
    }

    #[test]
    fn a_relative_deadline_counts_from_the_document_date() {
        // 8/2/2022 + 30 days = 10/3/2022.
        let e = exp(
            Stage::PlanIssued,
            Deadline::WithinDays(30),
            &["Cà Mau", "Hà Nội"],
        );
        let s = status(&e, &cov(), d(2022, 3, 20));
        assert_eq!(s.due, Some(d(2022, 3, 10)));
        assert_eq!(s.late.len(), 1);
        assert_eq!(s.late[0].province, "Cà Mau");
        assert_eq!(s.late[0].days, 83);
        assert_eq!(
            s.overdue,
            vec![ProvinceDue {
                province: "Hà Nội".into(),
                reached: None,
                days: 10
            }]
        );
        assert!(s.on_time.is_empty() && s.pending.is_empty());
    }

    #[test]
    fn a_relative_deadline_on_an_undated_document_judges_nobody() {
        let mut c = cov();
        c.date = None;
        let e = exp(
            Stage::Disseminated,
            Deadline::WithinDays(30),
            &["Hà Nội", "Huế", "Đồng Tháp"],
        );
        let s = status(&e, &c, d(2030, 1, 1));
        assert_eq!(s.due, None);
        assert_eq!(s.undated, vec!["Hà Nội".to_string(), "Huế".to_string()]);
        assert_eq!(s.pending, vec!["Đồng Tháp".to_string()]);
        assert!(s.overdue.is_empty() && s.late.is_empty() && s.on_time.is_empty());
    }

    #[test]
    fn a_listed_province_counts_once_and_an_unknown_one_is_overdue() {
        let e = exp(
            Stage::Disseminated,
            Deadline::By(d(2022, 6, 30)),
            &["Hà Nội", "Hà Nội", "Nơi Khác"],
        );
        let s = status(&e, &cov(), d(2022, 8, 1));
        assert_eq!(s.on_time.len(), 1);
        assert_eq!(s.overdue.len(), 1);
        assert_eq!(s.overdue[0].province, "Nơi Khác");
    }

    #[test]
    fn stage_codes_and_rows_round_trip() {
        for s in STAGES {
            assert_eq!(parse_stage(s.code()), Some(s));
        }
        assert_eq!(parse_stage("reviewed"), None);
        assert_eq!(parse_stage("Disseminated"), None);
        let e = exp(
            Stage::Trained,
            Deadline::By(d(2023, 1, 31)),
            &["Huế", "Cà Mau"],
        );
        let (dl, within) = deadline_columns(e.fields.deadline);
        let back = from_row(
            7,
            e.fields.document.clone(),
            "trained",
            dl,
            within,
            &join_provinces(&e.fields.provinces),
            e.fields.set_by.clone(),
            e.fields.set_at.clone(),
            None,
        );
        assert_eq!(back, Some(e));
        assert_eq!(
            from_row(
                1,
                "x".into(),
                "trained",
                Some("2023-01-31".into()),
                Some(3),
                "",
                "a".into(),
                "b".into(),
                None
            ),
            None
        );
    }
}
