//! A document's coverage across the country on its page (triển khai trên
//! cả nước): a tile-grid map of Vietnam drawn as SVG on the server (one
//! tile per province, coloured by the furthest stage reached, each a link to
//! the province page with a `<title>`; 34 tiles, or 63 for before the 2025
//! merger), the totals per stage and the stages of each place reached. The
//! API of the same data is [`api`]; the layouts are in [`layout`].

pub mod api;
pub mod expectations;
pub mod layout;

use crate::snapshot::Snapshot;
use crate::templates as t;
use crate::urls;
use maud::{html, Markup};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use vanban_store::coverage::{self, Coverage, CoverageRow, DocumentInPlace, RowKind, Stage, View};

/// Documents with at least this many events keep their coverage for the
/// life of the snapshot (a smaller one is cheaper to compute than to keep).
const CACHE_FROM_EVENTS: usize = 100;

/// Coverages already computed for one snapshot's graph: those of the
/// documents with many events, and every province's. A new snapshot starts
/// empty, so nothing stale is ever served.
#[derive(Default)]
pub struct CoverageCache {
    documents: Mutex<HashMap<(String, View), Arc<Coverage>>>,
    provinces: Mutex<HashMap<&'static str, Arc<Vec<DocumentInPlace>>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A document's coverage (by id) in a view, from the snapshot's cache when
/// it is there; `None` for an unknown id.
pub fn document_coverage(snapshot: &Snapshot, id: &str, view: View) -> Option<Arc<Coverage>> {
    let keep = snapshot.document_event_count(id) >= CACHE_FROM_EVENTS;
    let key = (id.to_owned(), view);
    if keep {
        if let Some(c) = lock(&snapshot.coverage.documents).get(&key) {
            return Some(Arc::clone(c));
        }
    }
    // Computed outside the lock: two requests may both compute it once.
    let c = Arc::new(coverage::coverage(&snapshot.graph, id, view)?);
    if keep {
        lock(&snapshot.coverage.documents).insert(key, Arc::clone(&c));
    }
    Some(c)
}

/// Every document with a stage in a province (see
/// [`coverage::province_coverage`]), kept per snapshot; `None` for a name
/// that is not a province.
pub fn province_documents(
    snapshot: &Snapshot,
    province: &str,
) -> Option<Arc<Vec<DocumentInPlace>>> {
    let name = vanban_search::provinces::canonical(province)?;
    if let Some(v) = lock(&snapshot.coverage.provinces).get(name) {
        return Some(Arc::clone(v));
    }
    let v = Arc::new(coverage::province_coverage(&snapshot.graph, name)?);
    lock(&snapshot.coverage.provinces).insert(name, Arc::clone(&v));
    Some(v)
}

/// Grid step (across, down) of the 34-tile map, in SVG units: tiles are
/// wider than tall, so that the long country stays short on a phone.
const STEP_TODAY: (u32, u32) = (56, 44);
/// Grid step of the 63-tile map.
const STEP_AT_THE_TIME: (u32, u32) = (44, 36);
const GAP: u32 = 4;
/// Sources linked per stage on the page (the API lists more).
const SOURCES_SHOWN: usize = 3;
const MARGIN: u32 = 6;

/// The page parameter choosing the view: `ban-do=truoc-2025` shows the 63
/// provinces before the merger; anything else today's 34.
pub fn page_view(value: Option<&str>) -> View {
    match value.map(str::trim) {
        Some("truoc-2025") => View::AtTheTime,
        _ => View::Today,
    }
}

/// The fill of a stage on the map (one hue, darker further on; readable
/// without colour through the titles and the table).
pub fn colour(stage: Option<Stage>) -> &'static str {
    match stage {
        None => "#f1f3f5",
        Some(Stage::Disseminated) => "#9ecae1",
        Some(Stage::Trained) => "#6baed6",
        Some(Stage::PlanIssued) => "#4292c6",
        Some(Stage::Reviewed) => "#2171b5",
        Some(Stage::InterimReview) => "#08519c",
        Some(Stage::FinalReview) => "#08306b",
    }
}

/// Text colour on a tile of that fill.
fn ink(stage: Option<Stage>) -> &'static str {
    match stage {
        Some(Stage::Reviewed | Stage::InterimReview | Stage::FinalReview) => "#ffffff",
        // Dark text on the lighter fills.
        _ => "#1b1f23",
    }
}

/// The legend's short label of a stage.
fn legend_label(stage: Option<Stage>) -> &'static str {
    match stage {
        None => "Chưa ghi nhận",
        Some(Stage::Disseminated) => "Quán triệt",
        Some(Stage::Trained) => "Bồi dưỡng",
        Some(Stage::PlanIssued) => "Có kế hoạch",
        Some(Stage::Reviewed) => "Sơ/tổng kết",
        Some(Stage::InterimReview) => "Sơ kết",
        Some(Stage::FinalReview) => "Tổng kết",
    }
}

/// What a tile's `<title>` says: the province and its furthest stage.
fn tile_title(name: &str, row: Option<&CoverageRow>) -> String {
    let reached = row.and_then(|r| r.reached.and_then(|s| r.stage(s)));
    match reached {
        Some(e) => format!(
            "{name}: {} ({})",
            e.stage.label_vi().to_lowercase(),
            t::opt_date(e.date)
        ),
        None => format!("{name}: chưa ghi nhận"),
    }
}

/// The map of a coverage: one tile per province of its view.
pub fn map(c: &Coverage) -> Markup {
    let (layout, step) = match c.view {
        View::Today => (&layout::TODAY, STEP_TODAY),
        View::AtTheTime => (&layout::AT_THE_TIME, STEP_AT_THE_TIME),
    };
    let (w, h) = (step.0 - GAP, step.1 - GAP);
    let width = u32::from(layout.columns) * step.0 + 2 * MARGIN - GAP;
    let height = u32::from(layout.rows) * step.1 + 2 * MARGIN - GAP;
    let font = if step.0 >= 50 { 10 } else { 8 };
    let (lx, ly) = (
        MARGIN + u32::from(layout.legend.0) * step.0,
        MARGIN + u32::from(layout.legend.1) * step.1,
    );
    let legend: Vec<Option<Stage>> = std::iter::once(None)
        .chain(Stage::ALL.iter().copied().map(Some))
        .collect();
    let title = match c.view {
        View::Today => "Bản đồ triển khai theo 34 tỉnh, thành",
        View::AtTheTime => "Bản đồ triển khai theo 63 tỉnh, thành trước 1/7/2025",
    };
    html! {
        svg.coverage-map xmlns="http://www.w3.org/2000/svg" role="img"
            viewBox={ "0 0 " (width) " " (height) } width="100%" aria-label=(title) {
            title { (title) }
            @for &(name, col, row, label) in layout.tiles {
                @let r = c.rows.iter().find(|r| r.kind == RowKind::Province && r.name == name);
                @let reached = r.and_then(|r| r.reached);
                @let x = MARGIN + u32::from(col) * step.0;
                @let y = MARGIN + u32::from(row) * step.1;
                a href=(urls::province(name)) class="tile" data-province=(name)
                    data-stage=(reached.map(Stage::code).unwrap_or("none")) {
                    title { (tile_title(name, r)) }
                    rect x=(x) y=(y) width=(w) height=(h) rx="4" fill=(colour(reached)) stroke="#adb5bd" {}
                    text x=(x + w / 2) y=(y + h / 2 + font / 3) text-anchor="middle"
                        font-size=(font) fill=(ink(reached)) { (label) }
                }
            }
            g.legend {
                @for (i, s) in legend.iter().enumerate() {
                    @let y = ly + i as u32 * 18;
                    rect x=(lx) y=(y) width="12" height="12" rx="2" fill=(colour(*s)) stroke="#8a939b" {}
                    text x=(lx + 17) y=(y + 10) font-size="10" fill="#1b1f23" { (legend_label(*s)) }
                }
            }
        }
    }
}

/// A lag in words: `sau 30 ngày`, or `trước 5 ngày` when a text dates the
/// stage before the document itself.
fn lag_text(days: i64) -> String {
    if days < 0 {
        format!("trước {} ngày", days.unsigned_abs())
    } else {
        format!("sau {days} ngày")
    }
}

/// A stage's cell in the table: its date, lag and sources.
fn stage_cell(row: &CoverageRow, stage: Stage) -> Markup {
    html! {
        @if let Some(e) = row.stage(stage) {
            (t::opt_date(e.date))
            @if let Some(l) = e.lag_days { br; span.muted { (lag_text(l)) } }
            @if let Some(p) = &e.plan {
                br; a href=(urls::document(&p.id)) { (t::id_label(&p.id)) }
            }
            @for (i, s) in e.sources.iter().take(SOURCES_SHOWN).enumerate() {
                " " a href=(urls::source(s.source_id)) title=(s.source) { "[" (i + 1) "]" }
            }
            @if e.sources.len() > SOURCES_SHOWN {
                " " span.muted { "và " (e.sources.len() - SOURCES_SHOWN) " nguồn khác" }
            }
        } @else {
            span.muted { "–" }
        }
    }
}

/// The document page's section: view switch, map, totals, and the places
/// that reached a stage.
pub fn section(snapshot: &Snapshot, id: &str, view: View) -> Option<Markup> {
    let c = document_coverage(snapshot, id, view)?;
    let reached: Vec<&CoverageRow> = c.rows.iter().filter(|r| r.reached.is_some()).collect();
    let stages: Vec<Stage> = Stage::ALL
        .iter()
        .copied()
        .filter(|&s| s != Stage::Reviewed || c.rows.iter().any(|r| r.stage(s).is_some()))
        .collect();
    let here = urls::document(id);
    let api = format!(
        "/api/v1/documents/{}/coverage?view={}",
        urls::segment(id),
        view.code()
    );
    let csv = format!(
        "/api/v1/coverage?documents={}&view={}&format=csv",
        urls::query_value(id),
        view.code()
    );
    let provinces_reached = reached
        .iter()
        .filter(|r| r.kind == RowKind::Province)
        .count();
    Some(html! {
        section #trien-khai .coverage {
            h2 { "Triển khai trên cả nước (" (provinces_reached) "/" (view.provinces().len()) " tỉnh, thành)" }
            p.view-switch {
                @if view == View::Today {
                    strong { "34 tỉnh, thành hiện nay" } " · "
                    a href={ (here) "?ban-do=truoc-2025#trien-khai" } { "63 tỉnh, thành trước 1/7/2025" }
                } @else {
                    a href={ (here) "#trien-khai" } { "34 tỉnh, thành hiện nay" } " · "
                    strong { "63 tỉnh, thành trước 1/7/2025" }
                }
            }
            (map(&c))
            div.table-wrap {
                table.coverage-totals {
                    thead { tr { th { "Giai đoạn" } th { "Tỉnh, thành" } th { "Cơ quan Trung ương" } th { "Trung vị (ngày)" } th { "Chậm nhất" } } }
                    tbody {
                        @for s in &stages {
                            @if let Some(total) = c.total(*s) {
                                tr {
                                    td { (s.label_vi()) }
                                    td { (total.provinces) }
                                    td { (total.central) }
                                    td { @if let Some(m) = total.median_lag_days { (m) } @else { "–" } }
                                    td {
                                        @if let (Some(l), Some(p)) = (total.slowest_lag_days, &total.slowest) {
                                            (p) " (" (l) " ngày)"
                                        } @else { "–" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if reached.is_empty() {
                p.muted { "Chưa có nguồn nào ghi nhận việc triển khai văn bản này ở tỉnh, thành hay cơ quan Trung ương nào." }
            } @else {
                div.table-wrap {
                    table.coverage-rows {
                        thead { tr { th { "Nơi" } @for s in &stages { th { (s.label_vi()) } } } }
                        tbody {
                            @for r in &reached {
                                tr {
                                    td {
                                        @if r.kind == RowKind::Province {
                                            a href=(urls::province(&r.name)) { (r.name) }
                                            @let others: Vec<&String> = r.names.iter().filter(|n| **n != r.name).collect();
                                            @if !others.is_empty() {
                                                span.old-names { "ghi nhận tại: " @for (i, n) in others.iter().enumerate() { @if i > 0 { ", " } (n) } }
                                            }
                                        } @else {
                                            (r.name) span.muted { " (Trung ương)" }
                                        }
                                    }
                                    @for s in &stages { td { (stage_cell(r, *s)) } }
                                }
                            }
                        }
                    }
                }
            }
            @if c.unplaced > 0 {
                p.muted { (c.unplaced) " sự kiện hoặc kế hoạch không rõ tỉnh, thành hay cơ quan tổ chức." }
            }
            p.muted {
                "Dữ liệu: " a href=(api) { "JSON" } " · " a href=(csv) { "CSV" } " · "
                a href=(national_url(&[id.to_owned()], view)) { "So sánh với văn bản khác" }
            }
        }
    })
}

/// At most this many documents listed when none is asked for.
const DEFAULT_DOCUMENTS: usize = 10;
/// At most this many months in the chart of events.
const MAX_MONTHS: usize = 240;

/// The national page's parameters: `van-ban` (references separated by
/// commas) and `ban-do` (as on the document page).
#[derive(Debug, Default, serde::Deserialize)]
pub struct NationalParams {
    #[serde(rename = "van-ban")]
    pub van_ban: Option<String>,
    #[serde(rename = "ban-do")]
    pub ban_do: Option<String>,
}

/// The national page's URL for some documents and a view.
pub fn national_url(ids: &[String], view: View) -> String {
    let mut query: Vec<String> = Vec::new();
    if !ids.is_empty() {
        query.push(format!(
            "van-ban={}",
            ids.iter()
                .map(|id| urls::query_value(id))
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    if view == View::AtTheTime {
        query.push("ban-do=truoc-2025".to_owned());
    }
    if query.is_empty() {
        "/trien-khai".to_owned()
    } else {
        format!("/trien-khai?{}", query.join("&"))
    }
}

/// A stage's short name in a matrix cell.
fn short_label(stage: Stage) -> &'static str {
    legend_label(Some(stage))
}

/// Events about some documents per month (dated ones), from the first
/// month to the last (at most [`MAX_MONTHS`], the latest kept).
fn events_per_month(snapshot: &Snapshot, ids: &[String]) -> Vec<((i32, u32), usize)> {
    use chrono::Datelike;
    let mut counts: std::collections::BTreeMap<(i32, u32), usize> = Default::default();
    for id in ids {
        for e in snapshot.graph.document_events(id) {
            if let Some(d) = e.date {
                *counts.entry((d.year(), d.month())).or_default() += 1;
            }
        }
    }
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut at = first;
    while at <= last {
        out.push((at, counts.get(&at).copied().unwrap_or(0)));
        at = if at.1 == 12 {
            (at.0 + 1, 1)
        } else {
            (at.0, at.1 + 1)
        };
    }
    let skip = out.len().saturating_sub(MAX_MONTHS);
    out.split_off(skip)
}

/// A bar chart of events per month, 390 units wide.
fn month_chart(months: &[((i32, u32), usize)]) -> Option<Markup> {
    let max = months.iter().map(|m| m.1).max().filter(|&m| m > 0)?;
    let (width, height, base) = (390.0_f64, 140.0_f64, 120.0_f64);
    let step = (width - 20.0) / months.len() as f64;
    let bar = (step * 0.8).max(1.0);
    let title = "Số sự kiện theo tháng";
    let first = months.first().map(|m| m.0);
    let last = months.last().map(|m| m.0);
    Some(html! {
        svg.month-chart xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 390 140"
            width="100%" aria-label=(title) {
            title { (title) }
            line x1="10" y1=(base) x2=(width - 10.0) y2=(base) stroke="#8a939b" {}
            @for (i, ((y, m), n)) in months.iter().enumerate() {
                @let h = (*n as f64) / (max as f64) * (base - 20.0);
                g {
                    title { "Tháng " (m) "/" (y) ": " (n) " sự kiện" }
                    rect x=(format!("{:.1}", 10.0 + i as f64 * step)) y=(format!("{:.1}", base - h))
                        width=(format!("{bar:.1}")) height=(format!("{h:.1}")) fill="#4292c6" {}
                }
            }
            text x="10" y="12" font-size="10" fill="#1b1f23" { "Nhiều nhất: " (max) " sự kiện/tháng" }
            @if let (Some((y1, m1)), Some((y2, m2))) = (first, last) {
                text x="10" y=(height - 4.0) font-size="10" fill="#1b1f23" { (m1) "/" (y1) }
                text x=(width - 10.0) y=(height - 4.0) font-size="10" text-anchor="end" fill="#1b1f23" { (m2) "/" (y2) }
            }
        }
    })
}

/// `/trien-khai`: documents compared across the country: per document how
/// many provinces reached each stage, the median and slowest lag of
/// dissemination; the documents × provinces table; events per month.
pub async fn national(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    params: Result<axum::extract::Query<NationalParams>, axum::extract::rejection::QueryRejection>,
) -> Markup {
    let p = params.map(|q| q.0).unwrap_or_default();
    let view = page_view(p.ban_do.as_deref());
    let s = state.snapshot();
    let asked: Vec<String> = p
        .van_ban
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .take(api::MAX_DOCUMENTS)
        .map(str::to_owned)
        .collect();
    let mut problems: Vec<Markup> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    if asked.is_empty() {
        // The documents with the most events.
        let mut with_events: Vec<(usize, &str)> = s
            .graph
            .documents()
            .iter()
            .map(|d| (s.document_event_count(&d.id), d.id.as_str()))
            .filter(|(n, _)| *n > 0)
            .collect();
        with_events.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        ids = with_events
            .into_iter()
            .take(DEFAULT_DOCUMENTS)
            .map(|(_, id)| id.to_owned())
            .collect();
    } else {
        for r in &asked {
            let found = if s.document(r).is_some() {
                Some(r.clone())
            } else {
                match s.graph.lookup(r) {
                    vanban_store::graph::Lookup::Found(id) => Some(id),
                    vanban_store::graph::Lookup::Ambiguous(candidates) => {
                        problems.push(html! {
                            "“" (r) "” có thể là: "
                            @for (i, c) in candidates.iter().enumerate() {
                                @if i > 0 { ", " }
                                a href=(national_url(std::slice::from_ref(c), view)) { (c) }
                            }
                        });
                        None
                    }
                    vanban_store::graph::Lookup::NotFound => {
                        problems.push(html! { "Không tìm thấy văn bản “" (r) "”." });
                        None
                    }
                }
            };
            if let Some(id) = found {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
    }
    let coverages: Vec<(String, Arc<Coverage>)> = ids
        .iter()
        .filter_map(|id| document_coverage(&s, id, view).map(|c| (id.clone(), c)))
        .collect();
    let m = api::matrix(&coverages, view);
    let stages: Vec<Stage> = Stage::ALL
        .iter()
        .copied()
        .filter(|&st| {
            st != Stage::Reviewed
                || coverages
                    .iter()
                    .any(|(_, c)| c.total(st).is_some_and(|t| t.provinces + t.central > 0))
        })
        .collect();
    let months = events_per_month(&s, &ids);
    let canonical = national_url(&ids, view);
    let name = |id: &str| {
        s.document(id)
            .map(t::doc_name)
            .unwrap_or_else(|| t::id_label(id).to_owned())
    };
    let reached_rows: Vec<&api::MatrixRow> = m
        .rows
        .iter()
        .filter(|r| r.cells.iter().any(|c| c.reached.is_some()))
        .collect();
    let api_ids = ids
        .iter()
        .map(|id| urls::query_value(id))
        .collect::<Vec<_>>()
        .join(",");
    let body = html! {
        h1 { "Triển khai văn bản trên cả nước" }
        form.coverage-form action="/trien-khai" method="get" {
            label for="van-ban" { "Văn bản cần so sánh (cách nhau bằng dấu phẩy)" }
            input #van-ban type="text" name="van-ban" value=(asked.join(", "))
                placeholder="126-QĐ/TW, 58-QĐ/TW";
            @if view == View::AtTheTime { input type="hidden" name="ban-do" value="truoc-2025"; }
            button type="submit" { "So sánh" }
        }
        @for problem in &problems { p.notice { (problem) } }
        p.view-switch {
            @if view == View::Today {
                strong { "34 tỉnh, thành hiện nay" } " · "
                a href=(national_url(&ids, View::AtTheTime)) { "63 tỉnh, thành trước 1/7/2025" }
            } @else {
                a href=(national_url(&ids, View::Today)) { "34 tỉnh, thành hiện nay" } " · "
                strong { "63 tỉnh, thành trước 1/7/2025" }
            }
        }
        @if asked.is_empty() && !ids.is_empty() {
            p.muted { "Các văn bản có nhiều sự kiện nhất." }
        }
        @if coverages.is_empty() {
            p.muted { "Chưa có văn bản nào để so sánh." }
        } @else {
            h2 { "Số tỉnh, thành đạt từng giai đoạn" }
            div.table-wrap {
                table.coverage-compare {
                    thead { tr {
                        th { "Văn bản" }
                        @for st in &stages { th { (st.label_vi()) } }
                        th { "Trung vị quán triệt (ngày)" }
                        th { "Chậm nhất" }
                    } }
                    tbody {
                        @for (id, c) in &coverages {
                            tr data-document=(id) {
                                td { a href=(urls::document(id)) { (name(id)) } }
                                @for st in &stages {
                                    @let n = c.total(*st).map_or(0, |x| x.provinces);
                                    td data-stage=(st.code()) { (n) }
                                }
                                @let d = c.total(Stage::Disseminated);
                                td data-median="disseminated" {
                                    @if let Some(v) = d.and_then(|x| x.median_lag_days) { (v) } @else { "–" }
                                }
                                td data-slowest="disseminated" {
                                    @if let (Some(l), Some(p)) = (d.and_then(|x| x.slowest_lag_days), d.and_then(|x| x.slowest.as_deref())) {
                                        (p) " (" (l) " ngày)"
                                    } @else { "–" }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "Theo tỉnh, thành" }
            @if reached_rows.is_empty() {
                p.muted { "Chưa tỉnh, thành nào có giai đoạn nào." }
            } @else {
                div.table-wrap {
                    table.coverage-matrix {
                        thead { tr { th { "Nơi" } @for (id, _) in &coverages { th { (name(id)) } } } }
                        tbody {
                            @for r in &reached_rows {
                                tr {
                                    td {
                                        @if r.kind == RowKind::Province {
                                            a href=(urls::province(&r.name)) { (r.name) }
                                        } @else { (r.name) span.muted { " (Trung ương)" } }
                                    }
                                    @for cell in &r.cells {
                                        td data-stage=(cell.reached.map(Stage::code).unwrap_or("none")) {
                                            @if let Some(st) = cell.reached {
                                                (short_label(st)) br;
                                                span.muted { (t::opt_date(cell.date)) }
                                            } @else { span.muted { "–" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                p.muted { (m.rows.len() - reached_rows.len()) " nơi khác chưa có giai đoạn nào." }
            }
            h2 { "Sự kiện theo tháng" }
            @if let Some(chart) = month_chart(&months) { (chart) } @else { p.muted { "Chưa có sự kiện nào có ngày." } }
            p.muted {
                "Dữ liệu: "
                a href={ "/api/v1/coverage?documents=" (api_ids) "&view=" (view.code()) } { "JSON" } " · "
                a href={ "/api/v1/coverage?documents=" (api_ids) "&view=" (view.code()) "&format=csv" } { "CSV" }
            }
        }
    };
    t::page("Triển khai trên cả nước", &canonical, Some(""), body)
}

/// The province page's section: every document with a stage there, the
/// stage reached and when each stage was first recorded.
pub fn province_section(snapshot: &Snapshot, province: &str) -> Markup {
    let docs = province_documents(snapshot, province).unwrap_or_default();
    html! {
        section #trien-khai .coverage {
            h2 { "Văn bản đã triển khai tại đây (" (docs.len()) ")" }
            @if docs.is_empty() {
                p.muted { "Chưa có nguồn nào ghi nhận việc quán triệt, bồi dưỡng, ban hành kế hoạch, sơ kết hay tổng kết văn bản nào ở đây." }
            } @else {
                div.table-wrap {
                    table.coverage-province {
                        thead { tr { th { "Văn bản" } th { "Giai đoạn đã đạt" } th { "Các giai đoạn" } } }
                        tbody {
                            @for d in docs.iter() {
                                tr data-document=(d.document) data-stage=(d.row.reached.map(Stage::code).unwrap_or("none")) {
                                    td {
                                        a href=(urls::document(&d.document)) {
                                            (snapshot.document(&d.document).map(t::doc_name).unwrap_or_else(|| t::id_label(&d.document).to_owned()))
                                        }
                                    }
                                    td { @if let Some(s) = d.row.reached { (s.label_vi()) } }
                                    td {
                                        @for (i, e) in d.row.stages.iter().enumerate() {
                                            @if i > 0 { br; }
                                            (short_label(e.stage)) ": " (t::opt_date(e.date))
                                            @if let Some(l) = e.lag_days { span.muted { " (" (lag_text(l)) ")" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use vanban_extract::{Document, DocumentKind, Event, EventKind, Extraction, Span};
    use vanban_store::graph::Graph;
    use vanban_store::SourceFacts;

    /// `n` sources, each reporting one conference on Quy định 58 in a
    /// province (by turns), and one on Chỉ thị 35.
    fn snapshot(n: i64) -> Snapshot {
        snapshot_in(n, None)
    }

    /// [`snapshot`], every event in `place` on 1/3/2022 when given.
    fn snapshot_in(n: i64, place: Option<&str>) -> Snapshot {
        let date = NaiveDate::from_ymd_opt(2022, 2, 8);
        let doc = |number: &str, symbol: &str, kind| Document {
            kind,
            number: Some(number.to_owned()),
            symbol: Some(symbol.to_owned()),
            year: Some(2022),
            date,
            issuer: None,
            title: None,
            mentions: vec![Span { start: 0, end: 1 }],
        };
        let sources = (1..=n)
            .map(|id| SourceFacts {
                id,
                hash: format!("{id:064x}"),
                title: String::new(),
                extraction: Extraction {
                    source: format!("tin-{id}.txt"),
                    published: None,
                    documents: vec![
                        doc("58", "QĐ/TW", DocumentKind::QuyDinh),
                        doc("35", "CT/TW", DocumentKind::ChiThi),
                    ],
                    relations: Vec::new(),
                    events: vec![Event {
                        kind: EventKind::Dissemination,
                        date: NaiveDate::from_ymd_opt(
                            2022,
                            3,
                            if place.is_some() {
                                1
                            } else {
                                1 + (id % 28) as u32
                            },
                        ),
                        end_date: None,
                        province: Some(place.map(str::to_owned).unwrap_or_else(|| {
                            vanban_extract::places::OLD_PROVINCES[id as usize % 63].to_owned()
                        })),
                        organizer: None,
                        documents: vec![if id == 1 { 1 } else { 0 }],
                    }],
                    officials: Vec::new(),
                },
                excerpts: vec![String::new(), String::new()],
            })
            .collect();
        Snapshot::new(Graph::build(sources))
    }

    #[test]
    fn costly_coverages_are_kept_for_the_snapshot_and_equal_a_fresh_one() {
        let s = snapshot(300);
        let id = "58-QĐ/TW@2022-02-08";
        let a = document_coverage(&s, id, View::Today).expect("coverage");
        let b = document_coverage(&s, id, View::Today).expect("coverage");
        assert!(Arc::ptr_eq(&a, &b), "kept");
        assert_eq!(
            Some(&*a),
            coverage::coverage(&s.graph, id, View::Today).as_ref()
        );
        let other = document_coverage(&s, id, View::AtTheTime).expect("coverage");
        assert_eq!(other.view, View::AtTheTime);
        // One event: computed each time, not kept.
        let small = "35-CT/TW@2022-02-08";
        let c = document_coverage(&s, small, View::Today).expect("coverage");
        let d = document_coverage(&s, small, View::Today).expect("coverage");
        assert!(!Arc::ptr_eq(&c, &d));
        assert_eq!(c, d);
        assert!(document_coverage(&s, "nope", View::Today).is_none());
        // Provinces are kept by canonical name, however typed.
        let p = province_documents(&s, "ha nam").expect("a province");
        let q = province_documents(&s, "Hà Nam").expect("a province");
        assert!(Arc::ptr_eq(&p, &q));
        assert_eq!(p[0].document, id);
        assert!(province_documents(&s, "Atlantis").is_none());
    }

    #[test]
    fn a_stage_stated_by_a_thousand_copies_lists_a_few_sources() {
        let s = snapshot_in(1000, Some("Hà Nam"));
        let id = "58-QĐ/TW@2022-02-08";
        let c = document_coverage(&s, id, View::AtTheTime).expect("coverage");
        let dto = api::CoverageDto::from(&*c);
        let row = dto
            .rows
            .iter()
            .find(|r| r.name == "Hà Nam")
            .expect("Hà Nam");
        assert_eq!(row.stages[0].sources.len(), api::MAX_SOURCES);
        assert_eq!(row.stages[0].source_count, 999);
        assert_eq!(
            row.stages[0].sources[0].source_id, 2,
            "the first in ingest order"
        );
        let html = section(&s, id, View::AtTheTime)
            .expect("section")
            .into_string();
        assert!(html.contains("và 996 nguồn khác"), "{html}");
        assert_eq!(html.matches("href=\"/nguon/").count(), SOURCES_SHOWN);
    }
}
