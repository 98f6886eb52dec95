//! `vanban doc REF` (tra cứu văn bản): one document as the knowledge base
//! knows it — status in force as of a date, the documents it relates to,
//! the events held on it, the texts that cite it. `--format json` prints
//! exactly the contract's object (docs/knowledge-base-json.md).
//!
//! Exit status: 0 found, 2 usage or store error (a malformed reference or
//! date included), 3 ambiguous (the candidates are listed), 4 unknown.

use crate::kb::{self, StoreArgs};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::ExitCode;
use vanban_extract::RelationKind;
use vanban_store::graph::{Direction, DocView, Graph, Lookup, Page, State, ViewTotals};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DocFormat {
    /// A readable page in Vietnamese: status first, then the chain of
    /// documents, events by province, sources.
    Text,
    /// Exactly the contract's JSON object.
    Json,
}

#[derive(clap::Args)]
pub struct DocArgs {
    /// The document as a person would type it: `126-QĐ/TW`, `126-qd/tw`,
    /// `quy dinh 126`, `QĐ 126`, `30/2020/NĐ-CP`, or an id
    /// (`126-QĐ/TW@2018-02-28`).
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Status in force as of this day (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DocFormat,
    /// At most this many relations, events and sources each (the first
    /// page); `totals` gives how many there are in all.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_LIMIT,
          value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub limit: u64,
    /// Skip this many of each list first (the next page: `--offset 50`).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: u64,
    /// Every relation, event and source (no page), streamed.
    #[arg(long, conflicts_with_all = ["limit", "offset"])]
    pub all: bool,
}

/// Items of each list on the first page of `vanban doc`.
pub const DEFAULT_LIMIT: u64 = 50;

/// `vanban doc --format json`: the contract's object, then how many items
/// each list holds in all and which window was printed (added fields).
#[derive(Serialize)]
struct PagedView<'a> {
    #[serde(flatten)]
    view: &'a DocView,
    totals: ViewTotals,
    page: PageDto,
}

#[derive(Serialize)]
struct PageDto {
    offset: usize,
    /// `null` with `--all`.
    limit: Option<usize>,
}

/// `--as-of`: a real calendar day written YYYY-MM-DD.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        format!("ngày không hợp lệ (invalid date) `{s}`: write a real day as YYYY-MM-DD, e.g. 2022-02-08")
    })
}

/// Exit status for an ambiguous reference.
const AMBIGUOUS: u8 = 3;
/// Exit status for an unknown reference.
const NOT_FOUND: u8 = 4;

/// Why a reference cannot name a document at all, if it cannot.
fn malformed(reference: &str) -> Option<&'static str> {
    let r = reference.trim();
    if r.is_empty() {
        return Some("it is empty");
    }
    if r.chars().count() > 200 {
        return Some("it is longer than any document number");
    }
    if r.chars().any(char::is_control) {
        return Some("it contains control characters");
    }
    if !r.chars().any(|c| c.is_ascii_digit()) {
        return Some("it has no number");
    }
    None
}

/// One candidate of an ambiguous reference.
#[derive(Serialize)]
struct Candidate<'a> {
    id: &'a str,
    kind: Option<vanban_extract::DocumentKind>,
    date: Option<NaiveDate>,
    issuer: Option<&'a str>,
    title: Option<&'a str>,
}

pub fn run(args: DocArgs, store_args: &StoreArgs) -> anyhow::Result<ExitCode> {
    if let Some(why) = malformed(&args.reference) {
        anyhow::bail!(
            "`{}` không phải số hiệu văn bản (not a document reference: {why}); type it as written, e.g. 126-QĐ/TW, quy dinh 126, QĐ 126, 30/2020/NĐ-CP",
            args.reference.trim()
        );
    }
    let as_of = args.as_of.unwrap_or_else(kb::today);
    let Some(mut store) = store_args.open_existing_store()? else {
        anyhow::bail!(kb::no_store_message(store_args));
    };
    let reference = args.reference.trim();
    // Only the sources this reference's documents need (the text page
    // follows the chain of replacements).
    let graph = store.graph_around(reference, args.format == DocFormat::Text)?;
    match graph.lookup(reference) {
        Lookup::Found(id) => {
            let page = if args.all {
                Page::ALL
            } else {
                Page {
                    offset: usize::try_from(args.offset).unwrap_or(usize::MAX),
                    limit: Some(usize::try_from(args.limit).unwrap_or(usize::MAX)),
                }
            };
            let Some((view, totals)) = graph.view_page(&id, as_of, page) else {
                eprintln!("vanban: `{reference}`: không tìm thấy văn bản (document not found)");
                return Ok(ExitCode::from(NOT_FOUND));
            };
            match args.format {
                DocFormat::Json => {
                    let paged = PagedView {
                        view: &view,
                        totals,
                        page: PageDto {
                            offset: page.offset,
                            limit: page.limit,
                        },
                    };
                    print_json(&paged)?;
                }
                DocFormat::Text => out!("{}", text_page(&graph, &view, totals, page, as_of)),
            }
            Ok(ExitCode::SUCCESS)
        }
        Lookup::Ambiguous(ids) => {
            let candidates: Vec<Candidate> = ids
                .iter()
                .map(|id| {
                    let doc = graph.document(id);
                    Candidate {
                        id,
                        kind: doc.map(|d| d.kind),
                        date: doc.and_then(|d| d.date),
                        issuer: doc.and_then(|d| d.issuer.as_deref()),
                        title: doc.and_then(|d| d.title.as_deref()),
                    }
                })
                .collect();
            match args.format {
                DocFormat::Json => outln!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "error": "ambiguous",
                        "reference": reference,
                        "candidates": candidates,
                    }))?
                ),
                DocFormat::Text => {
                    let mut out = format!(
                        "`{reference}` có thể là {} văn bản (ambiguous); hãy ghi rõ hơn, ví dụ bằng mã (id):\n",
                        candidates.len()
                    );
                    for c in &candidates {
                        let _ = writeln!(out, "  {}  {}", c.id, label(&graph, c.id));
                    }
                    out!("{out}");
                }
            }
            eprintln!(
                "vanban: `{reference}` is ambiguous: {} documents fit; give the number with its symbol and date, or one of the ids listed",
                candidates.len()
            );
            Ok(ExitCode::from(AMBIGUOUS))
        }
        Lookup::NotFound => {
            if args.format == DocFormat::Json {
                outln!(
                    "{}",
                    serde_json::json!({"error": "not_found", "reference": reference})
                );
            }
            eprintln!(
                "vanban: `{reference}`: không tìm thấy văn bản này trong cơ sở tri thức (unknown document); check the number and symbol, or ingest texts that cite it"
            );
            Ok(ExitCode::from(NOT_FOUND))
        }
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A person's name for a document id: `Quy định 58-QĐ/TW (08/02/2022)`.
fn label(graph: &Graph, id: &str) -> String {
    let Some(doc) = graph.document(id) else {
        return id.to_owned();
    };
    let reference = id.split('@').next().unwrap_or(id);
    let kind = doc.kind.label_vi();
    let mut s = if reference.starts_with(kind) {
        reference.to_owned()
    } else {
        format!("{kind} {reference}")
    };
    match (doc.date, doc.year) {
        (Some(d), _) => {
            let _ = write!(s, " ({})", day(d));
        }
        (None, Some(y)) => {
            let _ = write!(s, " ({y})");
        }
        _ => {}
    }
    s
}

fn relation_phrase(kind: RelationKind, direction: Direction) -> &'static str {
    use Direction::*;
    use RelationKind::*;
    match (kind, direction) {
        (Replaces, Outgoing) => "thay thế",
        (Replaces, Incoming) => "bị thay thế bởi",
        (Amends, Outgoing) => "sửa đổi, bổ sung",
        (Amends, Incoming) => "được sửa đổi, bổ sung bởi",
        (Repeals, Outgoing) => "bãi bỏ",
        (Repeals, Incoming) => "bị bãi bỏ bởi",
        (Guides, Outgoing) => "hướng dẫn thực hiện",
        (Guides, Incoming) => "được hướng dẫn bởi",
        (Implements, Outgoing) => "thực hiện",
        (Implements, Incoming) => "được thực hiện bởi",
        (Reviews, Outgoing) => "sơ kết, tổng kết",
        (Reviews, Incoming) => "được sơ kết, tổng kết bởi",
    }
}

fn event_name(kind: vanban_extract::EventKind) -> &'static str {
    use vanban_extract::EventKind::*;
    match kind {
        Dissemination => "Hội nghị học tập, quán triệt, triển khai",
        Review => "Hội nghị sơ kết, tổng kết",
        Training => "Lớp bồi dưỡng, tập huấn",
        Other => "Hội nghị",
    }
}

/// The status line: `Còn hiệu lực`, `Đã bị thay thế bởi … từ ngày …`.
fn status_line(graph: &Graph, view: &DocView) -> String {
    let by: Vec<String> = view.status.by.iter().map(|id| label(graph, id)).collect();
    let by = by.join(", ");
    let since = view
        .status
        .since
        .map(|d| format!(" từ ngày {}", day(d)))
        .unwrap_or_default();
    match view.status.state {
        State::InForce => "Còn hiệu lực (in force)".into(),
        State::Amended => {
            format!("Còn hiệu lực, đã được sửa đổi, bổ sung bởi {by}{since} (amended)")
        }
        State::Replaced => format!("Đã bị thay thế bởi {by}{since} (replaced)"),
        State::Repealed => format!("Đã bị bãi bỏ bởi {by}{since} (repealed)"),
        State::Expired => format!("Hết hiệu lực{since} (expired)"),
        State::Unknown => "Chưa rõ hiệu lực: các văn bản đã nạp không cho biết (unknown)".into(),
    }
}

/// Pretty JSON written straight to standard output (a long list is never
/// held twice in memory); a closed pipe ends quietly.
fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let written = serde_json::to_writer_pretty(&mut w, value)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(w))
        .and_then(|()| w.flush());
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// `… 40 more: --offset 50, or --all` when a list was cut.
fn more_line(out: &mut String, shown: usize, total: usize, page: Page) {
    let after = page.offset + shown;
    if after < total {
        let _ = writeln!(
            out,
            "  … và {} mục khác ({} more): --offset {after}, hoặc --all để xem tất cả",
            total - after,
            total - after
        );
    }
}

/// The readable page: status first, then the chain of documents, then
/// events by province, then sources.
fn text_page(
    graph: &Graph,
    view: &DocView,
    totals: ViewTotals,
    page: Page,
    as_of: NaiveDate,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", label(graph, &view.id));
    if let Some(title) = &view.title {
        let _ = writeln!(out, "{title}");
    }
    let mut facts = vec![format!("Mã (id): {}", view.id)];
    if let Some(issuer) = &view.issuer {
        facts.push(format!("Cơ quan ban hành: {issuer}"));
    }
    if let Some(date) = view.date {
        facts.push(format!("Ngày ban hành: {}", day(date)));
    }
    let _ = writeln!(out, "{}", facts.join(" · "));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Tình trạng (status) ngày {}: {}",
        day(as_of),
        status_line(graph, view)
    );

    let _ = writeln!(out);
    let _ = writeln!(out, "Chuỗi văn bản (chain of documents):");
    let chain = graph.replacement_chain(&view.id);
    if chain.len() > 1 {
        let names: Vec<String> = chain
            .iter()
            .map(|id| {
                if *id == view.id {
                    format!("[{}]", label(graph, id))
                } else {
                    label(graph, id)
                }
            })
            .collect();
        let _ = writeln!(out, "  thay thế lần lượt: {}", names.join(" → "));
    }
    if totals.relations == 0 {
        let _ = writeln!(out, "  (chưa có văn bản liên quan / no related documents)");
    }
    for r in &view.relations {
        let _ = writeln!(
            out,
            "  {} {} {}",
            if r.direction == Direction::Outgoing {
                "→"
            } else {
                "←"
            },
            relation_phrase(r.kind, r.direction),
            label(graph, &r.other)
        );
    }

    more_line(&mut out, view.relations.len(), totals.relations, page);

    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Sự kiện theo tỉnh, thành phố (events by province, {}):",
        totals.events
    );
    if totals.events == 0 {
        let _ = writeln!(out, "  (chưa có sự kiện / no events)");
    }
    let mut by_province: BTreeMap<(bool, String), Vec<&vanban_store::graph::EventView>> =
        BTreeMap::new();
    for e in &view.events {
        let heading = match (&e.province, &e.province_now) {
            (Some(p), Some(now)) if p != now => format!("{p} (nay thuộc {now})"),
            (Some(p), _) => p.clone(),
            (None, _) => "Không rõ tỉnh (province unknown)".into(),
        };
        by_province
            .entry((e.province.is_none(), heading))
            .or_default()
            .push(e);
    }
    for ((_, heading), mut events) in by_province {
        events.sort_by_key(|e| (e.date.is_none(), e.date));
        let _ = writeln!(out, "  {heading}:");
        for e in events {
            let when = match (e.date, e.end_date) {
                (Some(a), Some(b)) => format!("{} – {}", day(a), day(b)),
                (Some(a), None) => day(a),
                _ => "không rõ ngày".into(),
            };
            let organizer = e
                .organizer
                .as_deref()
                .map(|o| format!(", do {o} tổ chức"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "    {when}: {}{organizer} (nguồn: {})",
                event_name(e.kind),
                e.source
            );
        }
    }

    more_line(&mut out, view.events.len(), totals.events, page);

    let _ = writeln!(out);
    let _ = writeln!(out, "Nguồn (sources, {}):", totals.sources);
    for s in &view.sources {
        let published = s
            .published
            .map(|d| format!(" (đăng ngày {})", day(d)))
            .unwrap_or_default();
        let _ = writeln!(out, "  {}{published}", s.source);
        if !s.excerpt.is_empty() {
            let _ = writeln!(out, "    {}", s.excerpt);
        }
    }
    more_line(&mut out, view.sources.len(), totals.sources, page);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_without_a_number_are_malformed() {
        assert!(malformed("").is_some());
        assert!(malformed("   ").is_some());
        assert!(malformed("quy định").is_some());
        assert!(malformed(&"1".repeat(300)).is_some());
        assert!(malformed("126-QĐ/TW").is_none());
        assert!(malformed("quy dinh 126").is_none());
        assert!(malformed("30/2020/NĐ-CP").is_none());
    }

    #[test]
    fn dates_must_be_real_days() {
        assert_eq!(
            parse_date("2022-02-08").ok(),
            NaiveDate::from_ymd_opt(2022, 2, 8)
        );
        assert!(parse_date("2022-02-30").is_err());
        assert!(parse_date("08/02/2022").is_err());
    }
}
