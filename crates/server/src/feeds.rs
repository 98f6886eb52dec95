//! Atom feeds (nguồn tin Atom, RFC 4287) of what is new in the knowledge
//! base, for feed readers:
//!
//! | feed | URL | entries |
//! |---|---|---|
//! | one document | `/feeds/documents/{id}.atom` (the id as in `/van-ban/{id}`; a typed reference redirects) | its events, its relations and the changes of its status (replaced, amended, repealed) |
//! | one province | `/feeds/provinces/{slug}.atom` (the slug as in `/tinh/{slug}`) | the events held there |
//! | a search | `/feeds/search.atom?q=…` (and the search page's filters `kind`, `issuer`, `year`, `province`) | the texts (sources) that match |
//!
//! Each feed holds at most [`MAX_ENTRIES`] entries, newest first: newest
//! is the latest stored (`updated` is when the source was stored, from the
//! store's `ingested_at`; the fact's own date when that is unknown).
//! Entry ids are tag URIs built only from stable facts — the source's
//! content hash and the fact's place in that source's extraction
//! (`tag:vanban,2026:event/<hash>/<n>`, `…:relation/<hash>/<n>`,
//! `…:source/<hash>`) — so they are the same across requests, restarts and
//! re-ingests, and one event has one id in every feed it appears in.
//!
//! All XML is written by `quick-xml`, which escapes every text and
//! attribute; characters XML 1.0 forbids (control characters in a hostile
//! text) are dropped first.

use crate::pages::SearchParams;
use crate::snapshot::Snapshot;
use crate::templates as t;
use crate::{urls, AppState};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, NaiveDate, Utc};
use maud::{html, Markup};
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use std::collections::{BTreeSet, HashMap};
use vanban_extract::places::{province_now, NEW_PROVINCES};
use vanban_extract::RelationKind;
use vanban_store::graph::{Direction, Lookup};
use vanban_store::SourceFacts;

/// At most this many entries in a feed.
pub const MAX_ENTRIES: usize = 50;
/// The content type of every feed.
pub const CONTENT_TYPE: &str = "application/atom+xml; charset=utf-8";
/// The prefix of every feed and entry id (RFC 4151 tag URIs).
pub const TAG: &str = "tag:vanban,2026:";
/// The Atom namespace.
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// The feed routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feeds/documents/{*rest}", get(document_feed))
        .route("/feeds/provinces/{file}", get(province_feed))
        .route("/feeds/search.atom", get(search_feed))
}

/// The feed of a document (by its id).
pub fn document_path(id: &str) -> String {
    format!("/feeds/documents/{}.atom", urls::segment(id))
}

/// The feed of a province (old or of today).
pub fn province_path(name: &str) -> String {
    format!("/feeds/provinces/{}.atom", urls::province_slug(name))
}

/// The search's parameters that select texts, in a fixed order (the page
/// number is not one of them).
fn search_pairs(p: &SearchParams) -> Vec<(&'static str, String)> {
    let clean = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let year = p
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok())
        .map(|y| y.to_string());
    let mut pairs = vec![("q", p.q.trim().to_owned())];
    for (k, v) in [
        ("kind", clean(&p.kind)),
        ("issuer", clean(&p.issuer)),
        ("year", year),
        ("province", clean(&p.province)),
    ] {
        if let Some(v) = v {
            pairs.push((k, v));
        }
    }
    pairs
}

fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", urls::query_value(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The feed of a search (its text and filters; the page number is left out).
pub fn search_path(p: &SearchParams) -> String {
    format!("/feeds/search.atom?{}", query_string(&search_pairs(p)))
}

/// The small visible link to a page's feed.
pub fn atom_link(href: &str, title: &str) -> Markup {
    html! {
        a.feed-link href=(href) type="application/atom+xml" title=(title) { "Atom" }
    }
}

/// The feed's title for a document (also the `title` of the page's link).
pub fn document_title(name: &str) -> String {
    format!("{name}: sự kiện, quan hệ và thay đổi hiệu lực")
}

/// The feed's title for a province.
pub fn province_title(name: &str) -> String {
    if NEW_PROVINCES.contains(&name) {
        format!("Sự kiện tại {name}")
    } else {
        format!("Sự kiện tại {name} (tỉnh cũ)")
    }
}

/// The feed's title for a search.
pub fn search_title(p: &SearchParams) -> String {
    let q = p.q.trim();
    let filters: Vec<String> = search_pairs(p)
        .into_iter()
        .skip(1)
        .map(|(k, v)| match k {
            "kind" => t::kind_label(&v),
            _ => v,
        })
        .collect();
    let mut title = if q.is_empty() {
        "Bài viết mới".to_owned()
    } else {
        format!("Bài viết mới: “{q}”")
    };
    if !filters.is_empty() {
        title.push_str(&format!(" ({})", filters.join(", ")));
    }
    title
}

// ------------------------------------------------------------ the model

/// One entry before it is dated.
struct Entry {
    id: String,
    source_id: i64,
    /// Kind of fact then its index, to order entries of one source.
    order: (u8, usize),
    title: String,
    summary: String,
    /// The page the entry is about (the source's page).
    link: String,
    /// Another page it concerns (a document's page).
    related: Vec<String>,
    /// The source's publication date.
    published: Option<NaiveDate>,
    /// The fact's own date, when the store does not say when the source
    /// was stored.
    fact_date: Option<NaiveDate>,
    category: (&'static str, &'static str),
}

/// A feed before it is written.
struct Feed {
    id: String,
    title: String,
    subtitle: Option<String>,
    self_path: String,
    alternate: String,
    entries: Vec<Entry>,
}

/// A document's display name, or its id's short form when unknown.
fn name_of(s: &Snapshot, id: &str) -> String {
    s.document(id)
        .map(t::doc_name)
        .unwrap_or_else(|| t::id_label(id).to_owned())
}

fn source_note(src: &SourceFacts) -> String {
    let mut note = format!("Nguồn: “{}” ({})", src.title, src.extraction.source);
    if let Some(p) = src.extraction.published {
        note.push_str(&format!(", đăng ngày {}", t::date(p)));
    }
    note.push('.');
    note
}

/// The entry of event `index` of source `src` (document ids resolved).
fn event_entry(
    s: &Snapshot,
    src: &SourceFacts,
    index: usize,
    resolved: &[Option<String>],
) -> Option<Entry> {
    let e = src.extraction.events.get(index)?;
    let mut docs: Vec<String> = Vec::new();
    for i in &e.documents {
        if let Some(Some(id)) = resolved.get(*i) {
            if !docs.contains(id) {
                docs.push(id.clone());
            }
        }
    }
    let names: Vec<String> = docs.iter().map(|d| name_of(s, d)).collect();
    let mut title = t::event_label(e.kind).to_owned();
    if !names.is_empty() {
        title.push(' ');
        title.push_str(&names.join(", "));
    }
    if let Some(p) = &e.province {
        title.push_str(&format!(" tại {p}"));
    }
    if e.date.is_some() {
        title.push_str(&format!(" ({})", t::date_range(e.date, e.end_date)));
    }
    let mut summary = format!(
        "{}: {}.",
        t::event_label(e.kind),
        t::date_range(e.date, e.end_date)
    );
    if let Some(p) = &e.province {
        summary.push_str(&format!(" Địa điểm: {p}"));
        let now = province_now(p);
        if !now.is_empty() && now != p {
            summary.push_str(&format!(" (nay thuộc {now})"));
        }
        summary.push('.');
    }
    if let Some(o) = &e.organizer {
        summary.push_str(&format!(" Đơn vị tổ chức: {o}."));
    }
    if !names.is_empty() {
        summary.push_str(&format!(" Văn bản: {}.", names.join(", ")));
    }
    summary.push(' ');
    summary.push_str(&source_note(src));
    Some(Entry {
        id: format!("{TAG}event/{}/{index}", src.hash),
        source_id: src.id,
        order: (0, index),
        title,
        summary,
        link: urls::source(src.id),
        related: docs.iter().map(|d| urls::document(d)).collect(),
        published: src.extraction.published,
        fact_date: e.date.or(src.extraction.published),
        category: ("event", "Sự kiện"),
    })
}

/// Whether a relation of this kind changes the status of the document it
/// acts on.
fn changes_status(kind: RelationKind) -> bool {
    matches!(
        kind,
        RelationKind::Replaces | RelationKind::Amends | RelationKind::Repeals
    )
}

/// The entry of relation `index` of source `src` as seen from document
/// `id` (one of its two ends).
fn relation_entry(
    s: &Snapshot,
    src: &SourceFacts,
    index: usize,
    resolved: &[Option<String>],
    id: &str,
) -> Option<Entry> {
    let r = src.extraction.relations.get(index)?;
    let from = resolved.get(r.from).cloned().flatten()?;
    let to = resolved.get(r.to).cloned().flatten()?;
    if from == to || (from != id && to != id) {
        return None;
    }
    let status = to == id && changes_status(r.kind);
    let (from_name, to_name) = (name_of(s, &from), name_of(s, &to));
    let sentence = if status {
        format!(
            "{to_name} {} {from_name}",
            t::relation_label(r.kind, Direction::Incoming)
        )
    } else {
        format!(
            "{from_name} {} {to_name}",
            t::relation_label(r.kind, Direction::Outgoing)
        )
    };
    let title = if status {
        format!("Thay đổi hiệu lực: {sentence}")
    } else {
        sentence.clone()
    };
    let mut summary = format!("{sentence}.");
    if let Some(x) = src.excerpts.get(r.from).filter(|x| !x.is_empty()) {
        summary.push_str(&format!(" Trích: “{x}”"));
    }
    summary.push(' ');
    summary.push_str(&source_note(src));
    let other = if from == id { &to } else { &from };
    Some(Entry {
        id: format!("{TAG}relation/{}/{index}", src.hash),
        source_id: src.id,
        order: (1, index),
        title,
        summary,
        link: urls::source(src.id),
        related: vec![urls::document(other)],
        published: src.extraction.published,
        fact_date: src.extraction.published,
        category: if status {
            ("status", "Thay đổi hiệu lực")
        } else {
            ("relation", "Quan hệ giữa văn bản")
        },
    })
}

/// The entry of a source (a text).
fn source_entry(s: &Snapshot, src: &SourceFacts) -> Entry {
    let resolved = s.graph.resolved_ids(src.id);
    let mut docs: Vec<String> = Vec::new();
    for id in resolved.iter().flatten() {
        if !docs.contains(id) {
            docs.push(id.clone());
        }
    }
    let ex = &src.extraction;
    let mut summary = match ex.published {
        Some(p) => format!("Bài viết đăng ngày {}.", t::date(p)),
        None => "Bài viết không rõ ngày đăng.".to_owned(),
    };
    if !docs.is_empty() {
        let names: Vec<String> = docs.iter().map(|d| name_of(s, d)).collect();
        summary.push_str(&format!(" Văn bản được nhắc đến: {}.", names.join(", ")));
    }
    if !ex.events.is_empty() {
        summary.push_str(&format!(" Số sự kiện được đưa tin: {}.", ex.events.len()));
    }
    if let Some(x) = src.excerpts.iter().find(|x| !x.is_empty()) {
        summary.push_str(&format!(" Trích: “{x}”"));
    }
    summary.push_str(&format!(" Nguồn: {}.", ex.source));
    Entry {
        id: format!("{TAG}source/{}", src.hash),
        source_id: src.id,
        order: (0, 0),
        title: src.title.clone(),
        summary,
        link: urls::source(src.id),
        related: docs.iter().map(|d| urls::document(d)).collect(),
        published: ex.published,
        fact_date: ex.published,
        category: ("source", "Bài viết"),
    }
}

/// Entries from `sources` (newest first), each giving its entries, until
/// at least [`MAX_ENTRIES`] are found: sources are stored in id order, so
/// later sources never hold newer entries.
fn collect<'a>(
    sources: impl Iterator<Item = &'a SourceFacts>,
    mut entries_of: impl FnMut(&'a SourceFacts) -> Vec<Entry>,
) -> Vec<Entry> {
    let mut out = Vec::new();
    for src in sources {
        if out.len() >= MAX_ENTRIES {
            break;
        }
        out.extend(entries_of(src));
    }
    out
}

/// One entry per province overdue on an expectation of the document (see
/// `coverage::expectations`), measured on `today`: dated the day after the
/// deadline, when it became overdue, or the day the expectation was set
/// when that is later (a reader learns of it then). Its id names the
/// expectation and the province, so a province stays one entry while it is
/// overdue and a new one appears when another becomes overdue.
fn overdue_entries(
    s: &Snapshot,
    id: &str,
    list: &[vanban_store::expectations::Expectation],
    today: NaiveDate,
) -> Vec<Entry> {
    use crate::coverage::expectations::{deadline_vi, statuses};
    if list.is_empty() {
        return Vec::new();
    }
    let Some(c) = crate::coverage::document_coverage(s, id, vanban_store::coverage::View::Today)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for st in statuses(list, &c, today) {
        let f = &st.expectation.fields;
        let Some(due) = st.due else { continue };
        let set_on = NaiveDate::parse_from_str(f.set_at.get(..10).unwrap_or(""), "%Y-%m-%d").ok();
        let became = due.succ_opt().unwrap_or(due);
        let dated = set_on.map_or(became, |d| d.max(became));
        let expected = format!("{} {}", f.stage.label_vi(), deadline_vi(f.deadline, st.due));
        for (i, p) in st.overdue.iter().enumerate() {
            out.push(Entry {
                id: format!(
                    "{TAG}overdue/{}/{}",
                    st.expectation.id,
                    urls::province_slug(&p.province)
                ),
                source_id: 0,
                order: (9, i),
                title: format!("{} quá hạn: {expected}", p.province),
                summary: format!(
                    "{}: chưa có nguồn nào ghi nhận {} đạt yêu cầu “{expected}” (hạn {}; yêu cầu do {} đặt lúc {}).",
                    name_of(s, id),
                    p.province,
                    t::date(due),
                    f.set_by,
                    f.set_at
                ),
                link: urls::province(&p.province),
                related: vec![urls::document(id)],
                published: None,
                fact_date: Some(dated),
                category: ("overdue", "Quá hạn"),
            });
        }
    }
    out
}

fn document_entries(s: &Snapshot, id: &str) -> Vec<Entry> {
    let Some(doc) = s.document(id) else {
        return Vec::new();
    };
    let ids: BTreeSet<i64> = doc.mentions.iter().map(|m| m.source).collect();
    collect(ids.iter().rev().filter_map(|&i| s.graph.source(i)), |src| {
        let resolved = s.graph.resolved_ids(src.id);
        let about = |i: &usize| resolved.get(*i).and_then(Option::as_deref) == Some(id);
        let mut out: Vec<Entry> = src
            .extraction
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.documents.iter().any(about))
            .filter_map(|(i, _)| event_entry(s, src, i, &resolved))
            .collect();
        out.extend(
            (0..src.extraction.relations.len())
                .filter_map(|i| relation_entry(s, src, i, &resolved, id)),
        );
        out
    })
}

fn province_entries(s: &Snapshot, name: &str) -> Vec<Entry> {
    let now = province_now(name);
    let is_current = NEW_PROVINCES.contains(&name);
    let held_here =
        |p: Option<&str>| p.is_some_and(|p| province_now(p) == now && (is_current || p == name));
    let ids: BTreeSet<i64> = s
        .events_in_province_now(now)
        .into_iter()
        .filter(|e| held_here(e.province.as_deref()))
        .map(|e| e.source_id)
        .collect();
    collect(ids.iter().rev().filter_map(|&i| s.graph.source(i)), |src| {
        let resolved = s.graph.resolved_ids(src.id);
        src.extraction
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| held_here(e.province.as_deref()))
            .filter_map(|(i, _)| event_entry(s, src, i, &resolved))
            .collect()
    })
}

// ------------------------------------------------------------ writing

/// Drops the characters XML 1.0 does not allow (control characters,
/// U+FFFE, U+FFFF); quick-xml escapes the rest.
fn xml_text(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .collect()
}

/// The scheme and host to make links absolute with, from the request
/// (`Host`, `X-Forwarded-Proto`); empty (links stay relative, as RFC 4287
/// allows) when the host is missing or not a plain host name.
fn base_url(headers: &HeaderMap) -> String {
    let Some(host) = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
    else {
        return String::new();
    };
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn midnight(d: NaiveDate) -> Option<DateTime<Utc>> {
    d.and_hms_opt(0, 0, 0).map(|t| t.and_utc())
}

const EPOCH: DateTime<Utc> = DateTime::UNIX_EPOCH;

/// Writes `feed` as Atom XML; `stored` gives when each source was stored,
/// `newest` when the newest source of the store was (an empty feed's date).
fn write_feed(
    feed: Feed,
    stored: &HashMap<i64, String>,
    newest: Option<DateTime<Utc>>,
    base: &str,
) -> std::io::Result<Vec<u8>> {
    let stored_at = |id: i64| {
        stored
            .get(&id)
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc))
    };
    let mut dated: Vec<(DateTime<Utc>, Entry)> = feed
        .entries
        .into_iter()
        .map(|e| {
            let at = stored_at(e.source_id)
                .or_else(|| e.fact_date.and_then(midnight))
                .unwrap_or(EPOCH);
            (at, e)
        })
        .collect();
    dated.sort_by(|(a, x), (b, y)| {
        b.cmp(a)
            .then(y.source_id.cmp(&x.source_id))
            .then(x.order.cmp(&y.order))
    });
    dated.truncate(MAX_ENTRIES);
    let updated = dated
        .iter()
        .map(|(at, _)| *at)
        .max()
        .or(newest)
        .unwrap_or(EPOCH);
    let abs = |path: &str| format!("{base}{path}");

    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    w.create_element("feed")
        .with_attribute(("xmlns", ATOM_NS))
        .with_attribute(("xml:lang", "vi"))
        .write_inner_content(|w| {
            text_element(w, "id", &feed.id)?;
            text_element(w, "title", &feed.title)?;
            if let Some(sub) = &feed.subtitle {
                text_element(w, "subtitle", sub)?;
            }
            text_element(w, "updated", &rfc3339(updated))?;
            link(
                w,
                "self",
                &abs(&feed.self_path),
                Some("application/atom+xml"),
            )?;
            link(w, "alternate", &abs(&feed.alternate), Some("text/html"))?;
            w.create_element("author")
                .write_inner_content(|w| text_element(w, "name", "vanban"))?;
            w.create_element("generator")
                .with_attribute(("version", env!("CARGO_PKG_VERSION")))
                .write_text_content(BytesText::new("vanban"))?;
            for (at, e) in &dated {
                w.create_element("entry").write_inner_content(|w| {
                    text_element(w, "id", &e.id)?;
                    text_element(w, "title", &e.title)?;
                    text_element(w, "updated", &rfc3339(*at))?;
                    if let Some(p) = e.published.and_then(midnight) {
                        text_element(w, "published", &rfc3339(p))?;
                    }
                    link(w, "alternate", &abs(&e.link), Some("text/html"))?;
                    for r in &e.related {
                        link(w, "related", &abs(r), Some("text/html"))?;
                    }
                    w.create_element("category")
                        .with_attribute(("term", e.category.0))
                        .with_attribute(("label", e.category.1))
                        .write_empty()?;
                    w.create_element("summary")
                        .with_attribute(("type", "text"))
                        .write_text_content(BytesText::new(&xml_text(&e.summary)))?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    let mut out = w.into_inner();
    out.push(b'\n');
    Ok(out)
}

fn text_element(w: &mut Writer<Vec<u8>>, name: &str, text: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_text(text)))?;
    Ok(())
}

fn link(w: &mut Writer<Vec<u8>>, rel: &str, href: &str, kind: Option<&str>) -> std::io::Result<()> {
    let href = xml_text(href);
    let mut el = w
        .create_element("link")
        .with_attribute(("rel", rel))
        .with_attribute(("href", href.as_str()));
    if let Some(k) = kind {
        el = el.with_attribute(("type", k));
    }
    el.write_empty()?;
    Ok(())
}

/// A plain-text answer (errors, choices) in Vietnamese.
fn text_answer(status: StatusCode, text: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// Dates `feed`'s entries from the store and answers it.
async fn answer(state: &AppState, s: &Snapshot, feed: Feed, headers: &HeaderMap) -> Response {
    let mut ids: Vec<i64> = feed.entries.iter().map(|e| e.source_id).collect();
    let newest = s.graph.sources().last().map(|f| f.id);
    ids.extend(newest);
    ids.sort_unstable();
    ids.dedup();
    let stored = match state
        .with_store(move |store| Ok(store.ingested_at(&ids)?))
        .await
    {
        Ok(m) => m,
        Err(e) => {
            let mut answer = text_answer(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("Không đọc được kho dữ liệu, hãy thử lại sau vài giây ({e})."),
            );
            answer.headers_mut().insert(
                header::RETRY_AFTER,
                crate::error::RETRY_AFTER_SECONDS.into(),
            );
            return answer;
        }
    };
    let newest = newest
        .and_then(|id| stored.get(&id))
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc));
    match write_feed(feed, &stored, newest, &base_url(headers)) {
        Ok(xml) => (
            [
                (header::CONTENT_TYPE, CONTENT_TYPE),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            xml,
        )
            .into_response(),
        Err(e) => text_answer(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("Không tạo được nguồn tin Atom ({e})."),
        ),
    }
}

// ------------------------------------------------------------ handlers

fn without_atom(rest: &str) -> Option<&str> {
    rest.trim_start_matches('/')
        .strip_suffix(".atom")
        .map(str::trim)
        .filter(|r| !r.is_empty())
}

async fn document_feed(
    State(state): State<AppState>,
    Path(rest): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(reference) = without_atom(&rest) else {
        return text_answer(
            StatusCode::NOT_FOUND,
            format!(
                "Không có nguồn tin Atom ở địa chỉ này: địa chỉ nguồn tin của một văn bản có dạng /feeds/documents/{{mã văn bản}}.atom, ví dụ {}.",
                document_path("126-QĐ/TW@2018-02-28")
            ),
        );
    };
    let s = state.snapshot();
    if s.document(reference).is_none() {
        return match s.graph.lookup(reference) {
            Lookup::Found(id) => Redirect::temporary(&document_path(&id)).into_response(),
            Lookup::Ambiguous(ids) => {
                let list: Vec<String> = ids
                    .iter()
                    .map(|id| format!("- {}: {}", name_of(&s, id), document_path(id)))
                    .collect();
                text_answer(
                    StatusCode::MULTIPLE_CHOICES,
                    format!(
                        "“{reference}” có thể là một trong các văn bản sau; nguồn tin Atom của từng văn bản:\n{}\n",
                        list.join("\n")
                    ),
                )
            }
            Lookup::NotFound => text_answer(
                StatusCode::NOT_FOUND,
                format!(
                    "Không tìm thấy văn bản “{reference}” trong cơ sở dữ liệu, nên không có nguồn tin Atom cho văn bản này. Tìm văn bản tại {}.",
                    urls::search(reference)
                ),
            ),
        };
    }
    let Some(doc) = s.document(reference) else {
        return text_answer(StatusCode::NOT_FOUND, "Không tìm thấy văn bản.".to_owned());
    };
    let id = doc.id.clone();
    let feed = Feed {
        id: format!("{TAG}feed/documents/{}", urls::segment(&id)),
        title: document_title(&t::doc_name(doc)),
        subtitle: doc.title.clone(),
        self_path: document_path(&id),
        alternate: urls::document(&id),
        entries: {
            let expected = crate::coverage::expectations::of_document(&state, &id)
                .await
                .unwrap_or_default();
            let mut entries = document_entries(&s, &id);
            entries.extend(overdue_entries(&s, &id, &expected, crate::today()));
            entries
        },
    };
    answer(&state, &s, feed, &headers).await
}

async fn province_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let name = without_atom(&file).and_then(urls::province_from_slug);
    let Some(name) = name else {
        return text_answer(
            StatusCode::NOT_FOUND,
            format!(
                "Không có tỉnh, thành “{}”, nên không có nguồn tin Atom này. Danh sách tỉnh, thành ở /tinh; nguồn tin của một tỉnh có dạng {}.",
                file.trim_end_matches(".atom"),
                province_path("Ninh Bình")
            ),
        );
    };
    let path = province_path(name);
    if without_atom(&file) != Some(urls::province_slug(name).as_str()) {
        return Redirect::permanent(&path).into_response();
    }
    let s = state.snapshot();
    let feed = Feed {
        id: format!("{TAG}feed/provinces/{}", urls::province_slug(name)),
        title: province_title(name),
        subtitle: Some(
            "Học tập, quán triệt, sơ kết, tổng kết văn bản của Đảng và Nhà nước".to_owned(),
        ),
        self_path: path,
        alternate: urls::province(name),
        entries: province_entries(&s, name),
    };
    answer(&state, &s, feed, &headers).await
}

async fn search_feed(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let s = state.snapshot();
    let pairs = search_pairs(&params);
    let everything = pairs.len() == 1 && pairs[0].1.is_empty();
    let sources: Vec<&SourceFacts> = if everything {
        s.graph
            .sources()
            .iter()
            .rev()
            .take(MAX_ENTRIES)
            .map(|s| &**s)
            .collect()
    } else {
        let Some(index) = state.search() else {
            return text_answer(
                StatusCode::SERVICE_UNAVAILABLE,
                "Tìm kiếm chưa sẵn sàng: chỉ mục tìm kiếm chưa được xây dựng (chạy vanban reindex rồi khởi động lại máy chủ).".to_owned(),
            );
        };
        let mut q = vanban_search::Query::new(params.q.trim());
        for (k, v) in pairs.iter().skip(1) {
            match *k {
                "kind" => q.kind = Some(v.clone()),
                "issuer" => q.issuer = Some(v.clone()),
                "year" => q.year = v.parse().ok(),
                _ => q.province = Some(v.clone()),
            }
        }
        let keys = match index.matching(&q) {
            Ok(k) => k,
            Err(e) => {
                return text_answer(
                    StatusCode::BAD_REQUEST,
                    format!("Không tìm được với truy vấn này: {e}"),
                )
            }
        };
        let ids: BTreeSet<i64> = keys.iter().filter_map(|k| s.source_id_by_path(k)).collect();
        ids.iter()
            .rev()
            .take(MAX_ENTRIES)
            .filter_map(|&i| s.graph.source(i))
            .collect()
    };
    let qs = query_string(&pairs);
    let feed = Feed {
        id: format!("{TAG}feed/search?{qs}"),
        title: search_title(&params),
        subtitle: Some("Bài viết nguồn khớp với tìm kiếm, mới nhất trước".to_owned()),
        self_path: format!("/feeds/search.atom?{qs}"),
        alternate: format!("/tim-kiem?{qs}"),
        entries: sources
            .into_iter()
            .map(|src| source_entry(&s, src))
            .collect(),
    };
    answer(&state, &s, feed, &headers).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_xml_characters_are_dropped() {
        assert_eq!(xml_text("a\u{0}b\u{1b}c\td\ne\u{FFFF}"), "abc\td\ne");
        assert_eq!(xml_text("Đắk Lắk <&>"), "Đắk Lắk <&>");
    }

    #[test]
    fn only_plain_hosts_make_links_absolute() {
        let mut h = HeaderMap::new();
        assert_eq!(base_url(&h), "");
        h.insert(header::HOST, "vanban.vn:8080".parse().expect("header"));
        assert_eq!(base_url(&h), "http://vanban.vn:8080");
        h.insert("x-forwarded-proto", "https".parse().expect("header"));
        assert_eq!(base_url(&h), "https://vanban.vn:8080");
        h.insert(header::HOST, "evil\"/><x".parse().expect("header"));
        assert_eq!(base_url(&h), "");
    }

    #[test]
    fn feed_paths_follow_the_page_urls() {
        assert_eq!(
            document_path("126-QĐ/TW@2018-02-28"),
            "/feeds/documents/126-Q%C4%90%2FTW@2018-02-28.atom"
        );
        assert_eq!(province_path("Đắk Lắk"), "/feeds/provinces/dak-lak.atom");
        let p = SearchParams {
            q: " bảo vệ ".into(),
            year: Some("2018".into()),
            page: Some("3".into()),
            ..SearchParams::default()
        };
        assert_eq!(
            search_path(&p),
            "/feeds/search.atom?q=b%E1%BA%A3o%20v%E1%BB%87&year=2018"
        );
    }
}
