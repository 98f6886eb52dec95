//! How far one document has travelled across the country (theo dõi triển
//! khai): for each province, and for each central body, the stages the
//! knowledge base records, derived from the graph. Pure: no I/O.
//!
//! Stages ([`Stage`]), each from the facts the texts give:
//! - **disseminated**: the first dissemination event (hội nghị học tập,
//!   quán triệt, triển khai) about the document held there;
//! - **trained**: the first training event (lớp bồi dưỡng, tập huấn);
//! - **plan issued**: the first Kế hoạch / Chương trình that implements the
//!   document (`implements` relation) and whose issuer names that province
//!   (`Tỉnh ủy Hà Tĩnh`) or is a central body;
//! - **interim review** (sơ kết) and **final review** (tổng kết): a review
//!   event; which of the two is read from the source's title, else from the
//!   words around the document's citation; when neither says, the stage is
//!   **reviewed** (kind not stated), never a guess.
//!
//! Each stage carries its date (the earliest of its events or plans;
//! undated ones only when none is dated), every source that states it on
//! that date, and its lag in days from the document's own date (`None` when
//! either date is unknown).
//!
//! Two views ([`View`]): provinces as today (the 34 from 1/7/2025, old names
//! folded into the province they became) and as at the time (the 63 before
//! the merger, as the texts name them). An event with no province whose
//! organiser is a central body (Ban Tổ chức Trung ương, Đảng ủy Khối các cơ
//! quan Trung ương…) is a row of its own, named as the text names it;
//! anything placed nowhere is counted in [`Coverage::unplaced`].
//!
//! Order is deterministic: the provinces in the official order of the view,
//! then any other name the texts used, then central bodies by name.

use crate::graph::{Direction, EventView, Graph};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use vanban_extract::places::{self, NEW_PROVINCES, OLD_PROVINCES};
use vanban_extract::{DocumentKind, EventKind, RelationKind};

/// Which provinces the rows are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// The 34 provinces from 1/7/2025.
    #[default]
    Today,
    /// The 63 provinces before 1/7/2025, as named at the time.
    AtTheTime,
}

impl View {
    /// `today` or `at_the_time` (empty: today).
    pub fn parse(s: &str) -> Option<View> {
        match s.trim() {
            "" | "today" => Some(View::Today),
            "at_the_time" => Some(View::AtTheTime),
            _ => None,
        }
    }

    /// The code `parse` reads.
    pub fn code(self) -> &'static str {
        match self {
            View::Today => "today",
            View::AtTheTime => "at_the_time",
        }
    }

    /// The provinces of the view, in the official order.
    pub fn provinces(self) -> &'static [&'static str] {
        match self {
            View::Today => &NEW_PROVINCES,
            View::AtTheTime => &OLD_PROVINCES,
        }
    }
}

/// A stage in a document's life in one place, in the order a province
/// usually goes through them (the order [`CoverageRow::reached`] uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Học tập, quán triệt, triển khai.
    Disseminated,
    /// Bồi dưỡng, tập huấn.
    Trained,
    /// A Kế hoạch / Chương trình implementing it.
    PlanIssued,
    /// A review whose kind (sơ kết or tổng kết) the text does not say.
    Reviewed,
    /// Sơ kết.
    InterimReview,
    /// Tổng kết.
    FinalReview,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 6] = [
        Stage::Disseminated,
        Stage::Trained,
        Stage::PlanIssued,
        Stage::Reviewed,
        Stage::InterimReview,
        Stage::FinalReview,
    ];

    /// The API's code (`disseminated`, `plan_issued`…).
    pub fn code(self) -> &'static str {
        match self {
            Stage::Disseminated => "disseminated",
            Stage::Trained => "trained",
            Stage::PlanIssued => "plan_issued",
            Stage::Reviewed => "reviewed",
            Stage::InterimReview => "interim_review",
            Stage::FinalReview => "final_review",
        }
    }

    /// The stage in Vietnamese, as a page shows it.
    pub fn label_vi(self) -> &'static str {
        match self {
            Stage::Disseminated => "Đã quán triệt, triển khai",
            Stage::Trained => "Đã bồi dưỡng, tập huấn",
            Stage::PlanIssued => "Đã ban hành kế hoạch",
            Stage::Reviewed => "Đã sơ kết/tổng kết (chưa rõ loại)",
            Stage::InterimReview => "Đã sơ kết",
            Stage::FinalReview => "Đã tổng kết",
        }
    }
}

/// A source stating a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageSource {
    pub source_id: i64,
    /// Its path or URL.
    pub source: String,
}

/// The plan (Kế hoạch / Chương trình) behind a `plan_issued` stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanRef {
    pub id: String,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub symbol: Option<String>,
    pub date: Option<NaiveDate>,
    pub issuer: Option<String>,
}

/// One stage reached in one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageEntry {
    pub stage: Stage,
    /// The first day (of the earliest event, or the plan's date).
    pub date: Option<NaiveDate>,
    /// The last day of that event, when it lasted longer.
    pub end_date: Option<NaiveDate>,
    /// Days from the document's own date to `date`.
    pub lag_days: Option<i64>,
    /// The province as the text named it at the time.
    pub province: Option<String>,
    /// The organiser of the event (or the plan's issuer).
    pub organizer: Option<String>,
    /// The plan, for `plan_issued`.
    pub plan: Option<PlanRef>,
    /// Every source stating this stage on `date`, in ingest order.
    pub sources: Vec<StageSource>,
    /// How many events (or plans) of this stage the place has in all.
    pub count: usize,
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    Province,
    /// A central body (ban, bộ, đảng ủy khối… of the centre).
    Central,
}

/// One place and its stages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageRow {
    /// The province (of the view) or the central body.
    pub name: String,
    pub kind: RowKind,
    /// The names its stages were recorded under (in the today view, the
    /// old provinces merged into it), sorted.
    pub names: Vec<String>,
    /// The furthest stage reached, in [`Stage`] order; `None`: nothing yet.
    pub reached: Option<Stage>,
    /// The stages reached, in [`Stage`] order.
    pub stages: Vec<StageEntry>,
}

impl CoverageRow {
    /// The entry of one stage, when reached.
    pub fn stage(&self, stage: Stage) -> Option<&StageEntry> {
        self.stages.iter().find(|e| e.stage == stage)
    }
}

/// One stage over the whole country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageTotal {
    pub stage: Stage,
    /// Provinces (of the view) that reached it.
    pub provinces: usize,
    /// Central bodies that reached it.
    pub central: usize,
    /// The median lag over the provinces whose lag is known.
    pub median_lag_days: Option<f64>,
    /// The longest lag over those provinces…
    pub slowest_lag_days: Option<i64>,
    /// …and the first province (in row order) with it.
    pub slowest: Option<String>,
}

/// A document's coverage in one view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub document: String,
    /// The document's own date (lags count from it).
    pub date: Option<NaiveDate>,
    pub view: View,
    /// Every province of the view (reached or not), any other province name
    /// the texts used, then the central bodies.
    pub rows: Vec<CoverageRow>,
    /// One per stage, in [`Stage`] order.
    pub totals: Vec<StageTotal>,
    /// Events and plans about the document placed in no province and at
    /// no central body.
    pub unplaced: usize,
}

impl Coverage {
    /// The row of a province or central body, by its name in this view.
    pub fn row(&self, name: &str) -> Option<&CoverageRow> {
        self.rows.iter().find(|r| r.name == name)
    }

    /// The total of one stage.
    pub fn total(&self, stage: Stage) -> Option<&StageTotal> {
        self.totals.iter().find(|t| t.stage == stage)
    }
}

/// Where an event or plan belongs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    /// A province as named at the time (canonical).
    Province(&'static str),
    /// A central body, as the text names it.
    Central(String),
}

/// One event or plan, placed, before rows are formed.
struct Item {
    stage: Stage,
    place: Place,
    date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    organizer: Option<String>,
    plan: Option<PlanRef>,
    sources: Vec<i64>,
}

/// Words naming a local level: a body with one of them is not central.
const LOCAL_WORDS: &[&str] = &[
    "tỉnh",
    "thành phố",
    "thành ủy",
    "thành uỷ",
    "huyện",
    "quận",
    "thị xã",
    "thị ủy",
    "thị uỷ",
    "ủy xã",
    "uỷ xã",
    "ủy phường",
    "uỷ phường",
];

/// Names of central bodies by their start (lower case). A bare `Đảng ủy
/// Khối …` is not one of them: without `Trung ương` it may be a province's
/// (Đảng ủy Khối các cơ quan tỉnh), so it stays unplaced rather than guessed.
const CENTRAL_STARTS: &[&str] = &[
    "bộ chính trị",
    "ban bí thư",
    "ban chấp hành trung ương",
    "chính phủ",
    "quốc hội",
    "văn phòng trung ương",
    "đảng ủy chính phủ",
    "đảng ủy quốc hội",
    "đảng ủy công an trung ương",
    "quân ủy trung ương",
    "bộ ",
];

/// True for a central body (`Ban Tổ chức Trung ương`, `Đảng ủy Khối các cơ
/// quan Trung ương`, `Bộ Công an`), false for anything local
/// (`Đảng ủy Khối các cơ quan tỉnh`) or unknown.
pub fn is_central(name: &str) -> bool {
    let l = name.trim().to_lowercase();
    if l.is_empty() || LOCAL_WORDS.iter().any(|w| l.contains(w)) {
        return false;
    }
    if !places::find_provinces(name, 0..name.len()).is_empty() {
        return false;
    }
    l.contains("trung ương")
        || l.contains("trung ướng")
        || CENTRAL_STARTS.iter().any(|w| l.starts_with(w))
}

/// The province a body's name contains (`Tỉnh ủy Hà Tĩnh` → Hà Tĩnh).
fn province_in(name: &str) -> Option<&'static str> {
    places::find_provinces(name, 0..name.len())
        .first()
        .map(|m| m.name)
}

/// Where an event belongs: its province, else a province its organiser
/// names, else a central organiser.
fn event_place(e: &EventView) -> Option<Place> {
    if let Some(p) = e.province.as_deref() {
        if let Some(c) = places::canonical(p).or_else(|| province_in(p)) {
            return Some(Place::Province(c));
        }
    }
    let org = e.organizer.as_deref()?.trim();
    if let Some(c) = province_in(org) {
        return Some(Place::Province(c));
    }
    is_central(org).then(|| Place::Central(org.to_owned()))
}

/// The review word of a title when it uses exactly one of them.
fn review_in_title(title: &str) -> Option<Stage> {
    let l = title.to_lowercase();
    match (l.contains("sơ kết"), l.contains("tổng kết")) {
        (true, false) => Some(Stage::InterimReview),
        (false, true) => Some(Stage::FinalReview),
        _ => None,
    }
}

/// The review word nearest before the middle of an excerpt (which is
/// centred on the document's citation: `sơ kết 5 năm thực hiện Quy định
/// 126`), else the first after it.
fn review_in_excerpt(excerpt: &str) -> Option<Stage> {
    let l = excerpt.to_lowercase();
    let mid = l.len() / 2;
    let mut before: Option<(usize, Stage)> = None;
    let mut after: Option<(usize, Stage)> = None;
    for (word, stage) in [
        ("sơ kết", Stage::InterimReview),
        ("tổng kết", Stage::FinalReview),
    ] {
        for (pos, _) in l.match_indices(word) {
            if pos <= mid {
                if before.is_none_or(|(p, _)| pos > p) {
                    before = Some((pos, stage));
                }
            } else if after.is_none_or(|(p, _)| pos < p) {
                after = Some((pos, stage));
            }
        }
    }
    before.or(after).map(|(_, s)| s)
}

/// Sơ kết or tổng kết, as the source of a review event tells.
fn review_stage(graph: &Graph, document: &str, e: &EventView) -> Stage {
    let Some(src) = graph.source(e.source_id) else {
        return Stage::Reviewed;
    };
    if let Some(s) = review_in_title(&src.title) {
        return s;
    }
    graph
        .resolved_ids(e.source_id)
        .iter()
        .enumerate()
        .filter(|(_, r)| r.as_deref() == Some(document))
        .find_map(|(i, _)| src.excerpts.get(i).and_then(|x| review_in_excerpt(x)))
        .unwrap_or(Stage::Reviewed)
}

fn lag(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Option<i64> {
    Some((to? - from?).num_days())
}

fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0),
    }
}

/// An event as an item (`None` for another kind of event); `Err(())` when
/// it is placed nowhere.
fn event_item(graph: &Graph, document: &str, e: &EventView) -> Option<Result<Item, ()>> {
    let stage = match e.kind {
        EventKind::Dissemination => Stage::Disseminated,
        EventKind::Training => Stage::Trained,
        EventKind::Review => review_stage(graph, document, e),
        EventKind::Other => return None,
    };
    let Some(place) = event_place(e) else {
        return Some(Err(()));
    };
    Some(Ok(Item {
        stage,
        place,
        date: e.date,
        end_date: e.end_date,
        organizer: e.organizer.clone(),
        plan: None,
        sources: vec![e.source_id],
    }))
}

/// A plan (the acting document of an `implements` relation) as an item
/// (`None` when it is not a Kế hoạch / Chương trình); `Err(())` when its
/// issuer is placed nowhere.
fn plan_item(graph: &Graph, plan: &str, sources: &[i64]) -> Option<Result<Item, ()>> {
    let plan = graph.document(plan)?;
    if !matches!(plan.kind, DocumentKind::KeHoach | DocumentKind::ChuongTrinh) {
        return None;
    }
    let issuer = plan.issuer.as_deref().map(str::trim).unwrap_or("");
    let place = match province_in(issuer) {
        Some(p) => Place::Province(p),
        None if is_central(issuer) => Place::Central(issuer.to_owned()),
        None => return Some(Err(())),
    };
    Some(Ok(Item {
        stage: Stage::PlanIssued,
        place,
        date: plan.date,
        end_date: None,
        organizer: plan.issuer.clone(),
        plan: Some(PlanRef {
            id: plan.id.clone(),
            kind: plan.kind,
            number: plan.number.clone(),
            symbol: plan.symbol.clone(),
            date: plan.date,
            issuer: plan.issuer.clone(),
        }),
        sources: sources.to_vec(),
    }))
}

/// The items of one document: its events and the plans implementing it.
fn items(graph: &Graph, id: &str) -> (Vec<Item>, usize) {
    let mut out = Vec::new();
    let mut unplaced = 0usize;
    let events = graph
        .document_events(id)
        .filter_map(|e| event_item(graph, id, e));
    let relations = graph.relation_views(id).unwrap_or_default();
    let plans = relations
        .iter()
        .filter(|r| r.kind == RelationKind::Implements && r.direction == Direction::Incoming)
        .filter_map(|r| plan_item(graph, &r.other, &r.sources));
    for item in events.chain(plans) {
        match item {
            Ok(i) => out.push(i),
            Err(()) => unplaced += 1,
        }
    }
    (out, unplaced)
}

/// A row's key in a view: (kind, name).
fn row_key(view: View, place: &Place) -> (RowKind, String) {
    match place {
        Place::Province(p) => {
            let name = match view {
                View::AtTheTime => p,
                View::Today => match places::province_now(p) {
                    "" => p,
                    now => now,
                },
            };
            (RowKind::Province, (*name).to_owned())
        }
        Place::Central(c) => (RowKind::Central, c.clone()),
    }
}

/// The entry of one stage from its items (dated ones first, by date, in
/// the order they came: events by date, plans by id).
fn entry(graph: &Graph, doc_date: Option<NaiveDate>, mut items: Vec<&Item>) -> Option<StageEntry> {
    items.sort_by_key(|i| (i.date.is_none(), i.date));
    let first = *items.first()?;
    let mut sources: Vec<i64> = Vec::new();
    for i in items.iter().filter(|i| i.date == first.date) {
        for &s in &i.sources {
            if !sources.contains(&s) {
                sources.push(s);
            }
        }
    }
    sources.sort_unstable();
    Some(StageEntry {
        stage: first.stage,
        date: first.date,
        end_date: first.end_date,
        lag_days: lag(doc_date, first.date),
        province: match &first.place {
            Place::Province(p) => Some((*p).to_owned()),
            Place::Central(_) => None,
        },
        organizer: first.organizer.clone(),
        plan: first.plan.clone(),
        sources: sources
            .into_iter()
            .map(|id| StageSource {
                source_id: id,
                source: graph
                    .source(id)
                    .map(|s| s.extraction.source.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        count: items.len(),
    })
}

/// A row from its items.
fn row(
    graph: &Graph,
    doc_date: Option<NaiveDate>,
    kind: RowKind,
    name: &str,
    items: &[&Item],
) -> CoverageRow {
    let names: BTreeSet<String> = items
        .iter()
        .map(|i| match &i.place {
            Place::Province(p) => (*p).to_owned(),
            Place::Central(c) => c.clone(),
        })
        .collect();
    let stages: Vec<StageEntry> = Stage::ALL
        .iter()
        .filter_map(|&s| {
            entry(
                graph,
                doc_date,
                items.iter().copied().filter(|i| i.stage == s).collect(),
            )
        })
        .collect();
    CoverageRow {
        name: name.to_owned(),
        kind,
        names: names.into_iter().collect(),
        reached: stages.iter().map(|e| e.stage).max(),
        stages,
    }
}

/// One document's stages in one province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentInPlace {
    pub document: String,
    /// The document's own date.
    pub date: Option<NaiveDate>,
    pub row: CoverageRow,
}

/// Every document with a stage in one province, the earliest first (by
/// the date of its first stage, undated last, then id). A province of today
/// gathers the old provinces merged into it; an old name only itself. `None`
/// for a name that is not a province (diacritics optional).
pub fn province_coverage(graph: &Graph, province: &str) -> Option<Vec<DocumentInPlace>> {
    let name = vanban_search::provinces::canonical(province)?;
    let view = if NEW_PROVINCES.contains(&name) {
        View::Today
    } else {
        View::AtTheTime
    };
    let key = (RowKind::Province, name.to_owned());
    let here = |item: &Item| row_key(view, &item.place) == key;
    let mut by_doc: BTreeMap<&str, Vec<Item>> = BTreeMap::new();
    for e in graph.all_events() {
        for id in &e.documents {
            if let Some(Ok(item)) = event_item(graph, id, e) {
                if here(&item) {
                    by_doc.entry(id.as_str()).or_default().push(item);
                }
            }
        }
    }
    for r in graph.relations() {
        if r.kind != RelationKind::Implements {
            continue;
        }
        if let Some(Ok(item)) = plan_item(graph, &r.from, &r.sources) {
            if here(&item) {
                by_doc.entry(r.to.as_str()).or_default().push(item);
            }
        }
    }
    let mut out: Vec<DocumentInPlace> = by_doc
        .into_iter()
        .filter_map(|(id, items)| {
            let doc = graph.document(id)?;
            let refs: Vec<&Item> = items.iter().collect();
            Some(DocumentInPlace {
                document: doc.id.clone(),
                date: doc.date,
                row: row(graph, doc.date, RowKind::Province, name, &refs),
            })
        })
        .collect();
    let first = |d: &DocumentInPlace| d.row.stages.iter().filter_map(|e| e.date).min();
    out.sort_by(|a, b| {
        let (fa, fb) = (first(a), first(b));
        (fa.is_none(), fa, &a.document).cmp(&(fb.is_none(), fb, &b.document))
    });
    Some(out)
}

/// The coverage of a document (by id) in a view; `None` for an unknown id.
pub fn coverage(graph: &Graph, id: &str, view: View) -> Option<Coverage> {
    let doc = graph.document(id)?;
    let (items, unplaced) = items(graph, id);
    let mut grouped: BTreeMap<(RowKind, String), Vec<&Item>> = BTreeMap::new();
    for item in &items {
        grouped
            .entry(row_key(view, &item.place))
            .or_default()
            .push(item);
    }
    let make_row =
        |kind: RowKind, name: &str, items: &[&Item]| row(graph, doc.date, kind, name, items);
    let mut rows: Vec<CoverageRow> = Vec::new();
    for &p in view.provinces() {
        let key = (RowKind::Province, p.to_owned());
        let its = grouped.remove(&key).unwrap_or_default();
        rows.push(make_row(RowKind::Province, p, &its));
    }
    // What is left: other province names (BTreeMap: by kind, then name),
    // then central bodies.
    for ((kind, name), its) in &grouped {
        rows.push(make_row(*kind, name, its));
    }
    let totals = Stage::ALL
        .iter()
        .map(|&stage| {
            let mut lags: Vec<(i64, &str)> = Vec::new();
            let (mut provinces, mut central) = (0, 0);
            for r in &rows {
                let Some(e) = r.stage(stage) else { continue };
                match r.kind {
                    RowKind::Province => {
                        provinces += 1;
                        if let Some(l) = e.lag_days {
                            lags.push((l, &r.name));
                        }
                    }
                    RowKind::Central => central += 1,
                }
            }
            let mut sorted: Vec<i64> = lags.iter().map(|l| l.0).collect();
            sorted.sort_unstable();
            let slowest = sorted.last().copied();
            StageTotal {
                stage,
                provinces,
                central,
                median_lag_days: median(&sorted),
                slowest_lag_days: slowest,
                slowest: slowest
                    .and_then(|s| lags.iter().find(|l| l.0 == s))
                    .map(|l| l.1.to_owned()),
            }
        })
        .collect();
    Some(Coverage {
        document: doc.id.clone(),
        date: doc.date,
        view,
        rows,
        totals,
        unplaced,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFacts;
    use chrono::Datelike;
    use vanban_extract::{Document, Event, Extraction, Relation, Span};

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    fn doc(kind: DocumentKind, number: &str, symbol: &str, when: &str, issuer: &str) -> Document {
        let d = date(when);
        Document {
            kind,
            number: Some(number.to_owned()),
            symbol: Some(symbol.to_owned()),
            year: Some(d.year()),
            date: Some(d),
            issuer: Some(issuer.to_owned()),
            title: None,
            mentions: vec![Span { start: 0, end: 1 }],
        }
    }

    fn event(kind: EventKind, when: Option<&str>, province: Option<&str>, org: &str) -> Event {
        Event {
            kind,
            date: when.map(date),
            end_date: None,
            province: province.map(str::to_owned),
            organizer: Some(org.to_owned()).filter(|o| !o.is_empty()),
            documents: vec![0],
        }
    }

    fn source(
        id: i64,
        title: &str,
        documents: Vec<Document>,
        relations: Vec<Relation>,
        events: Vec<Event>,
        excerpt: &str,
    ) -> SourceFacts {
        let excerpts = documents.iter().map(|_| excerpt.to_owned()).collect();
        SourceFacts {
            id,
            hash: format!("{id:064x}"),
            title: title.to_owned(),
            extraction: Extraction {
                source: format!("bai-{id}.txt"),
                published: None,
                documents,
                relations,
                events,
                officials: Vec::new(),
            },
            excerpts,
        }
    }

    fn quy_dinh_58() -> Document {
        doc(
            DocumentKind::QuyDinh,
            "58",
            "QĐ/TW",
            "2022-02-08",
            "Bộ Chính trị",
        )
    }

    const ID: &str = "58-QĐ/TW@2022-02-08";

    /// Hà Nam and Nam Định (both Ninh Bình today) disseminate; Hà Tĩnh issues
    /// its plan; Bắc Ninh trains; a central body holds its own conference.
    fn graph() -> Graph {
        use EventKind::*;
        Graph::build(vec![
            source(
                1,
                "Tỉnh ủy Hà Nam quán triệt Quy định 58",
                vec![quy_dinh_58()],
                vec![],
                vec![event(
                    Dissemination,
                    Some("2022-03-30"),
                    Some("Hà Nam"),
                    "Tỉnh ủy Hà Nam",
                )],
                "Ngày 30/3, Tỉnh ủy Hà Nam tổ chức hội nghị quán triệt Quy định số 58-QĐ/TW",
            ),
            source(
                2,
                "Nam Định triển khai các quy định mới",
                vec![quy_dinh_58()],
                vec![],
                vec![
                    event(Dissemination, Some("2022-04-12"), Some("Nam Định"), ""),
                    event(Dissemination, Some("2022-05-02"), Some("Nam Định"), ""),
                ],
                "",
            ),
            source(
                3,
                "Hà Tĩnh ban hành kế hoạch thực hiện Quy định 58",
                vec![
                    quy_dinh_58(),
                    doc(
                        DocumentKind::KeHoach,
                        "25",
                        "KH/TU",
                        "2022-03-15",
                        "Ban Thường vụ Tỉnh ủy Hà Tĩnh",
                    ),
                ],
                vec![Relation {
                    kind: RelationKind::Implements,
                    from: 1,
                    to: 0,
                }],
                vec![],
                "",
            ),
            source(
                4,
                "Lớp bồi dưỡng cán bộ nguồn",
                vec![quy_dinh_58()],
                vec![],
                vec![event(
                    Training,
                    Some("2022-06-01"),
                    Some("Bắc Ninh"),
                    "Ban Tổ chức Trung ương",
                )],
                "",
            ),
            source(
                5,
                "Hội nghị của Đảng ủy Khối",
                vec![quy_dinh_58()],
                vec![],
                vec![
                    event(
                        Dissemination,
                        Some("2022-03-01"),
                        None,
                        "Đảng ủy Khối các cơ quan Trung ương",
                    ),
                    // Placed nowhere: counted, not guessed.
                    event(Dissemination, Some("2022-03-02"), None, "Đảng ủy phường"),
                ],
                "",
            ),
            source(
                6,
                "Hà Tĩnh: hội nghị về công tác bảo vệ chính trị nội bộ",
                vec![quy_dinh_58()],
                vec![],
                vec![event(Review, Some("2024-02-20"), Some("Hà Tĩnh"), "")],
                "…Tỉnh ủy tổ chức hội nghị sơ kết 2 năm thực hiện Quy định số 58-QĐ/TW ngày 8/2/2022 của Bộ Chính trị, đồng thời tổng kết công tác năm…",
            ),
            source(
                7,
                "Tổng kết 5 năm thực hiện Quy định 58",
                vec![quy_dinh_58()],
                vec![],
                vec![event(Review, None, Some("Hà Nam"), "")],
                "",
            ),
        ])
    }

    #[test]
    fn old_provinces_fold_into_today_and_stay_apart_at_the_time() {
        let g = graph();
        let today = coverage(&g, ID, View::Today).expect("coverage");
        assert_eq!(
            today
                .rows
                .iter()
                .filter(|r| r.kind == RowKind::Province)
                .count(),
            34
        );
        let ninh_binh = today.row("Ninh Bình").expect("Ninh Bình");
        assert_eq!(ninh_binh.names, ["Hà Nam", "Nam Định"]);
        let d = ninh_binh.stage(Stage::Disseminated).expect("disseminated");
        // The first of three conferences, with its own source only.
        assert_eq!(d.date, Some(date("2022-03-30")));
        assert_eq!(d.province.as_deref(), Some("Hà Nam"));
        assert_eq!(d.lag_days, Some(50));
        assert_eq!(d.count, 3);
        assert_eq!(
            d.sources,
            [StageSource {
                source_id: 1,
                source: "bai-1.txt".into()
            }]
        );
        assert_eq!(ninh_binh.reached, Some(Stage::FinalReview));

        let then = coverage(&g, ID, View::AtTheTime).expect("coverage");
        assert_eq!(
            then.rows
                .iter()
                .filter(|r| r.kind == RowKind::Province)
                .count(),
            63
        );
        assert!(then.row("Ninh Bình").expect("row").stages.is_empty());
        let nam_dinh = then.row("Nam Định").expect("Nam Định");
        assert_eq!(
            nam_dinh
                .stage(Stage::Disseminated)
                .map(|e| (e.date, e.count)),
            Some((Some(date("2022-04-12")), 2))
        );
        assert_eq!(
            then.total(Stage::Disseminated).map(|t| t.provinces),
            Some(2)
        );
        assert_eq!(
            today.total(Stage::Disseminated).map(|t| t.provinces),
            Some(1)
        );
    }

    #[test]
    fn a_provincial_plan_is_a_stage_with_its_number_and_date() {
        let g = graph();
        let c = coverage(&g, ID, View::Today).expect("coverage");
        let plan = c
            .row("Hà Tĩnh")
            .and_then(|r| r.stage(Stage::PlanIssued))
            .expect("plan");
        assert_eq!(plan.date, Some(date("2022-03-15")));
        assert_eq!(plan.lag_days, Some(35));
        let p = plan.plan.as_ref().expect("plan ref");
        assert_eq!(
            (p.number.as_deref(), p.symbol.as_deref(), p.kind),
            (Some("25"), Some("KH/TU"), DocumentKind::KeHoach)
        );
        assert_eq!(plan.sources.len(), 1);
        assert_eq!(plan.sources[0].source_id, 3);
    }

    #[test]
    fn reviews_are_told_apart_by_the_title_or_the_words_at_the_citation() {
        let g = graph();
        let c = coverage(&g, ID, View::Today).expect("coverage");
        // The excerpt: "sơ kết … Quy định số 58", "tổng kết" is after it.
        let ha_tinh = c.row("Hà Tĩnh").expect("Hà Tĩnh");
        assert!(ha_tinh.stage(Stage::InterimReview).is_some());
        assert!(ha_tinh.stage(Stage::FinalReview).is_none());
        assert_eq!(
            ha_tinh.stage(Stage::InterimReview).and_then(|e| e.lag_days),
            Some(742)
        );
        // The title says tổng kết; the date is unknown, so is the lag.
        let final_review = c
            .row("Ninh Bình")
            .and_then(|r| r.stage(Stage::FinalReview))
            .expect("final review");
        assert_eq!((final_review.date, final_review.lag_days), (None, None));
        assert_eq!(review_in_title("Hội nghị về công tác cán bộ"), None);
        assert_eq!(
            review_in_title("Sơ kết và tổng kết các chỉ thị"),
            None,
            "both words: the title does not decide"
        );
    }

    #[test]
    fn central_bodies_are_their_own_rows_and_unplaced_events_are_counted() {
        let g = graph();
        let c = coverage(&g, ID, View::Today).expect("coverage");
        let last = c.rows.last().expect("rows");
        assert_eq!(last.kind, RowKind::Central);
        assert_eq!(last.name, "Đảng ủy Khối các cơ quan Trung ương");
        assert_eq!(
            last.stage(Stage::Disseminated).and_then(|e| e.lag_days),
            Some(21)
        );
        assert_eq!(c.unplaced, 1);
        let t = c.total(Stage::Disseminated).expect("total");
        assert_eq!((t.provinces, t.central), (1, 1));
        // A training the centre gave in a province belongs to the province.
        assert!(c
            .row("Bắc Ninh")
            .and_then(|r| r.stage(Stage::Trained))
            .is_some());
        assert!(is_central("Ban Tổ chức Trung ương"));
        assert!(is_central("Bộ Công an"));
        assert!(!is_central("Đảng ủy Khối các cơ quan tỉnh"));
        assert!(!is_central("Đảng ủy Khối các cơ quan"));
        assert!(is_central("Đảng ủy Khối Doanh nghiệp Trung ương"));
        assert!(!is_central("Tỉnh ủy Hà Nam"));
        assert!(!is_central("Huyện ủy"));
    }

    #[test]
    fn totals_give_the_median_and_the_slowest_province() {
        let g = graph();
        let c = coverage(&g, ID, View::AtTheTime).expect("coverage");
        // Hà Nam 50 days, Nam Định 63 days.
        let t = c.total(Stage::Disseminated).expect("total");
        assert_eq!(t.median_lag_days, Some(56.5));
        assert_eq!(t.slowest_lag_days, Some(63));
        assert_eq!(t.slowest.as_deref(), Some("Nam Định"));
        let none = c.total(Stage::FinalReview).expect("total");
        assert_eq!((none.provinces, none.median_lag_days), (1, None));
        assert_eq!(median(&[1, 2, 10]), Some(2.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn a_province_lists_the_documents_it_has_carried_out() {
        let mut sources: Vec<SourceFacts> =
            graph().sources().iter().map(|s| (**s).clone()).collect();
        // Another document, disseminated in Nam Định only.
        sources.push(source(
            8,
            "Nam Định quán triệt Chỉ thị 35",
            vec![doc(
                DocumentKind::ChiThi,
                "35",
                "CT/TW",
                "2024-06-14",
                "Bộ Chính trị",
            )],
            vec![],
            vec![event(
                EventKind::Dissemination,
                Some("2024-07-01"),
                Some("Nam Định"),
                "",
            )],
            "",
        ));
        let g = Graph::build(sources);
        let today = province_coverage(&g, "ninh binh").expect("a province");
        let ids: Vec<&str> = today.iter().map(|d| d.document.as_str()).collect();
        assert_eq!(ids, [ID, "35-CT/TW@2024-06-14"]);
        assert_eq!(
            today[0].row,
            coverage(&g, ID, View::Today).expect("coverage").rows[18]
        );
        assert_eq!(today[0].row.reached, Some(Stage::FinalReview));
        // An old name: only what was held under it.
        let ha_nam = province_coverage(&g, "Hà Nam").expect("a province");
        assert_eq!(ha_nam.len(), 1);
        assert_eq!(ha_nam[0].row.names, ["Hà Nam"]);
        assert_eq!(
            ha_nam[0].row.stage(Stage::Disseminated).map(|e| e.count),
            Some(1)
        );
        let ha_tinh = province_coverage(&g, "Hà Tĩnh").expect("a province");
        assert_eq!(ha_tinh[0].row.reached, Some(Stage::InterimReview));
        assert!(ha_tinh[0].row.stage(Stage::PlanIssued).is_some());
        assert!(province_coverage(&g, "Cà Mau").is_some_and(|v| v.is_empty()));
        assert!(province_coverage(&g, "Atlantis").is_none());
    }

    #[test]
    fn a_document_with_fifty_thousand_events_is_covered_quickly() {
        // 100,000 sources; half report a conference on the document, in
        // every province in turn, a tenth of them reviews.
        let kinds = [
            EventKind::Dissemination,
            EventKind::Training,
            EventKind::Review,
        ];
        let sources: Vec<SourceFacts> = (1..=100_000i64)
            .map(|id| {
                let events = if id % 2 == 0 {
                    let province = OLD_PROVINCES[(id as usize / 2) % OLD_PROVINCES.len()];
                    let kind = if id % 20 == 0 {
                        kinds[2]
                    } else {
                        kinds[(id as usize / 2) % 2]
                    };
                    let day = 1 + (id % 28) as u32;
                    let when = format!("2023-{:02}-{day:02}", 1 + (id % 12));
                    vec![event(kind, Some(&when), Some(province), "")]
                } else {
                    Vec::new()
                };
                source(
                    id,
                    "Hội nghị sơ kết",
                    vec![quy_dinh_58()],
                    vec![],
                    events,
                    "",
                )
            })
            .collect();
        let g = Graph::build(sources);
        let t = std::time::Instant::now();
        let c = coverage(&g, ID, View::AtTheTime).expect("coverage");
        let took = t.elapsed();
        eprintln!("coverage of a document with 50,000 events: {took:?}");
        assert_eq!(c.total(Stage::Disseminated).map(|t| t.provinces), Some(63));
        assert_eq!(c.total(Stage::InterimReview).map(|t| t.provinces), Some(63));
        assert!(took < std::time::Duration::from_secs(if cfg!(debug_assertions) { 10 } else { 1 }));
    }

    #[test]
    fn the_same_facts_in_another_order_give_the_same_coverage() {
        let g = graph();
        let mut sources: Vec<SourceFacts> = g.sources().iter().map(|s| (**s).clone()).collect();
        sources.reverse();
        let h = Graph::build(sources);
        for view in [View::Today, View::AtTheTime] {
            assert_eq!(coverage(&g, ID, view), coverage(&h, ID, view));
        }
        assert!(coverage(&g, "nope", View::Today).is_none());
        assert_eq!(View::parse("at_the_time"), Some(View::AtTheTime));
        assert_eq!(View::parse("yesterday"), None);
    }
}
