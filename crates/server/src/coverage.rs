//! A document's coverage across the country on its page (triển khai trên
//! cả nước): a tile-grid map of Vietnam drawn as SVG on the server (one
//! tile per province, coloured by the furthest stage reached, each a link to
//! the province page with a `<title>`; 34 tiles, or 63 for before the 2025
//! merger), the totals per stage and the stages of each place reached. The
//! API of the same data is [`api`]; the layouts are in [`layout`].

pub mod api;
pub mod layout;

use crate::snapshot::Snapshot;
use crate::templates as t;
use crate::urls;
use maud::{html, Markup};
use vanban_store::coverage::{self, Coverage, CoverageRow, RowKind, Stage, View};

/// Grid step (across, down) of the 34-tile map, in SVG units: tiles are
/// wider than tall, so that the long country stays short on a phone.
const STEP_TODAY: (u32, u32) = (56, 44);
/// Grid step of the 63-tile map.
const STEP_AT_THE_TIME: (u32, u32) = (44, 36);
const GAP: u32 = 4;
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

/// A stage's cell in the table: its date, lag and sources.
fn stage_cell(row: &CoverageRow, stage: Stage) -> Markup {
    html! {
        @if let Some(e) = row.stage(stage) {
            (t::opt_date(e.date))
            @if let Some(l) = e.lag_days { br; span.muted { "sau " (l) " ngày" } }
            @if let Some(p) = &e.plan {
                br; a href=(urls::document(&p.id)) { (t::id_label(&p.id)) }
            }
            @for (i, s) in e.sources.iter().enumerate() {
                " " a href=(urls::source(s.source_id)) title=(s.source) { "[" (i + 1) "]" }
            }
        } @else {
            span.muted { "–" }
        }
    }
}

/// The document page's section: view switch, map, totals, and the places
/// that reached a stage.
pub fn section(snapshot: &Snapshot, id: &str, view: View) -> Option<Markup> {
    let c = coverage::coverage(&snapshot.graph, id, view)?;
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
            p.muted { "Dữ liệu: " a href=(api) { "JSON" } " · " a href=(csv) { "CSV" } }
        }
    })
}
