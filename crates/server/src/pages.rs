//! The HTML pages (trang web), rendered on the server: home, search,
//! document, provinces, province, source, and a useful 404. The URL scheme
//! is in [`crate::urls`]; the stable element ids and classes in
//! [`crate::templates`].

use crate::snapshot::Snapshot;
use crate::templates::{self as t, page, page_with_feed, FeedLink};
use crate::{feeds, svg, today, urls, AppState};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::BTreeMap;
use vanban_extract::places::{province_now, NEW_PROVINCES, OLD_PROVINCES};
use vanban_search::{Hit, Query as SearchQuery};
use vanban_store::graph::{EventView, Lookup};

/// Results per search page.
pub const PAGE_SIZE: usize = 20;
/// At most this many events on a timeline and sources under a document
/// (the API has them all).
pub const LIST_CAP: usize = 60;
/// Sources quoted under a document.
pub const SOURCES_SHOWN: usize = 30;

/// The page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/tim-kiem", get(search))
        .route("/van-ban/{*reference}", get(document))
        .route("/tinh", get(provinces))
        .route("/trien-khai", get(crate::coverage::national))
        .route("/tinh/{slug}", get(province))
        .route("/nguon/{id}", get(source))
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
}

type Page = (StatusCode, Markup);

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        t::CSS,
    )
        .into_response()
}

async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        t::JS,
    )
        .into_response()
}

/// A search form with the `#q` input (for pages whose header has none).
fn big_search(value: &str) -> Markup {
    html! {
        form.search-form.big action="/tim-kiem" method="get" role="search" {
            label.visually-hidden for="q" { "Tìm kiếm" }
            input #q type="search" name="q" value=(value)
                placeholder="Số hiệu, tên văn bản hoặc từ khóa, có dấu hay không dấu đều được"
                autocomplete="off";
            button type="submit" { "Tìm" }
        }
    }
}

/// A document's display name, or its id's short form when unknown.
fn name_of(snapshot: &Snapshot, id: &str) -> String {
    snapshot
        .document(id)
        .map(t::doc_name)
        .unwrap_or_else(|| t::id_label(id).to_owned())
}

fn doc_link(snapshot: &Snapshot, id: &str) -> Markup {
    html! { a href=(urls::document(id)) { (name_of(snapshot, id)) } }
}

fn province_link(name: &str) -> Markup {
    html! { a.province-link href=(urls::province(name)) { (name) } }
}

fn event_item(snapshot: &Snapshot, e: &EventView, with_documents: bool) -> Markup {
    html! {
        li {
            span.when { (t::date_range(e.date, e.end_date)) }
            " · " (t::event_label(e.kind))
            @if let Some(p) = &e.province {
                " · " (province_link(p))
                @if let Some(now) = e.province_now.as_deref().filter(|n| *n != p) {
                    span.muted { " (nay thuộc " (province_link(now)) ")" }
                }
            }
            @if let Some(o) = &e.organizer { br; span.muted { "Tổ chức: " (o) } }
            @if with_documents && !e.documents.is_empty() {
                br;
                "Văn bản: "
                @for (i, d) in e.documents.iter().enumerate() {
                    @if i > 0 { ", " }
                    (doc_link(snapshot, d))
                }
            }
            br;
            a.muted href=(urls::source(e.source_id)) { "Nguồn" }
        }
    }
}

async fn home(State(state): State<AppState>) -> Markup {
    let s = state.snapshot();
    let stats = s.stats();
    let latest = s.latest_events(10);
    page(
        "Trang chủ",
        "/",
        None,
        html! {
            h1 { "Tra cứu văn bản của Đảng và Nhà nước được trích dẫn trong tin tức" }
            (big_search(""))
            ul.counts {
                li { strong { (t::count(stats.documents)) } "văn bản" }
                li { strong { (t::count(stats.sources)) } "bài viết nguồn" }
                li { strong { (t::count(stats.relations)) } "quan hệ giữa văn bản" }
                li { strong { (t::count(stats.events)) } "hội nghị, sự kiện" }
                li { strong { (t::count(stats.provinces)) } "tỉnh, thành có sự kiện" }
            }
            h2 { "Sự kiện mới nhất" }
            @if latest.is_empty() {
                p.muted { "Chưa có sự kiện nào." }
            } @else {
                ol.timeline { @for e in &latest { (event_item(&s, e, true)) } }
            }
            h2 { "Văn bản được trích dẫn nhiều nhất" }
            ol.most-cited {
                @for (d, n) in s.most_cited(10) {
                    li {
                        a href=(urls::document(&d.id)) { (t::doc_name(d)) }
                        @if let Some(title) = &d.title { " — " (title) }
                        span.muted { " (" (n) " nguồn)" }
                    }
                }
            }
        },
    )
}

/// The search page's parameters (all optional; bad values are ignored).
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    pub kind: Option<String>,
    pub issuer: Option<String>,
    pub year: Option<String>,
    pub province: Option<String>,
    pub page: Option<String>,
}

impl SearchParams {
    fn year(&self) -> Option<i32> {
        self.year.as_deref().and_then(|y| y.trim().parse().ok())
    }
    fn page(&self) -> usize {
        self.page
            .as_deref()
            .and_then(|p| p.trim().parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, 10_000)
    }
    fn nonempty(v: &Option<String>) -> Option<String> {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    }
    /// The URL of this search with one parameter changed (`None` removes it).
    fn with(&self, key: &str, value: Option<&str>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let current = [
            ("q", Some(self.q.clone())),
            ("kind", Self::nonempty(&self.kind)),
            ("issuer", Self::nonempty(&self.issuer)),
            ("year", self.year().map(|y| y.to_string())),
            ("province", Self::nonempty(&self.province)),
        ];
        for (k, v) in current {
            let v = if k == key {
                value.map(str::to_owned)
            } else {
                v
            };
            if let Some(v) = v.filter(|v| !v.is_empty() || k == "q") {
                pairs.push((k, v));
            }
        }
        if key == "page" {
            if let Some(p) = value {
                pairs.push(("page", p.to_owned()));
            }
        }
        let qs: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", urls::query_value(v)))
            .collect();
        format!("/tim-kiem?{}", qs.join("&"))
    }
    fn to_query(&self, limit: usize, offset: usize) -> SearchQuery {
        let mut q = SearchQuery::new(self.q.trim());
        q.limit = limit;
        q.offset = offset;
        q.kind = Self::nonempty(&self.kind);
        q.issuer = Self::nonempty(&self.issuer);
        q.year = self.year();
        q.province = Self::nonempty(&self.province);
        q
    }
}

/// Counts of the values of the four facets over every match of a search.
#[derive(Debug, Default)]
pub struct Facets {
    pub kind: BTreeMap<String, usize>,
    pub issuer: BTreeMap<String, usize>,
    pub year: BTreeMap<i32, usize>,
    pub province: BTreeMap<String, usize>,
}

/// The search index's facet counts, with issuers by name (as the filter
/// takes them and people read them) rather than by search key.
pub fn facets(snapshot: &Snapshot, counts: vanban_search::FacetCounts) -> Facets {
    let mut issuer: BTreeMap<String, usize> = BTreeMap::new();
    for (key, n) in counts.issuer {
        let name = snapshot.issuer_name(&key).map_or(key, str::to_owned);
        *issuer.entry(name).or_default() += n;
    }
    Facets {
        kind: counts.kind,
        issuer,
        year: counts.year,
        province: counts.province,
    }
}

fn facet_list<K: ToString>(
    title: &str,
    key: &str,
    values: &BTreeMap<K, usize>,
    label: &dyn Fn(&str) -> String,
    params: &SearchParams,
    current: Option<String>,
) -> Markup {
    let mut sorted: Vec<(String, usize)> =
        values.iter().map(|(k, n)| (k.to_string(), *n)).collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    sorted.truncate(12);
    html! {
        @if !sorted.is_empty() || current.is_some() {
            section.facet {
                h3 { (title) }
                ul {
                    @if let Some(c) = &current {
                        li { a.on href=(params.with(key, None)) title="Bỏ lọc" { (label(c)) " ✕" } }
                    }
                    @for (v, n) in &sorted {
                        @if current.as_deref() != Some(v.as_str()) {
                            li { a href=(params.with(key, Some(v))) { (label(v)) " (" (n) ")" } }
                        }
                    }
                }
            }
        }
    }
}

async fn search(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, axum::extract::rejection::QueryRejection>,
) -> Page {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let s = state.snapshot();
    let query = params.q.trim().to_owned();
    let title = if query.is_empty() {
        "Tìm kiếm".to_owned()
    } else {
        format!("Tìm kiếm: {query}")
    };
    let canonical = params.with("page", Some(&params.page().to_string()));
    let has_filter = [&params.kind, &params.issuer, &params.province]
        .iter()
        .any(|v| SearchParams::nonempty(v).is_some())
        || params.year().is_some();
    let Some(index) = state.search() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            page(
                &title,
                &canonical,
                Some(&query),
                html! {
                    h1 { "Tìm kiếm chưa sẵn sàng" }
                    p.notice { "Chỉ mục tìm kiếm chưa được xây dựng. Hãy chạy " code { "vanban reindex" } " rồi khởi động lại máy chủ." }
                },
            ),
        );
    };
    if query.is_empty() && !has_filter {
        return (
            StatusCode::OK,
            page(
                &title,
                "/tim-kiem",
                Some(""),
                html! {
                    h1 { "Tìm kiếm" }
                    p { "Gõ số hiệu (" code { "126-QĐ/TW" } ", " code { "quy dinh 126" } ", " code { "30/2020/NĐ-CP" } "), tên văn bản hoặc từ khóa; có dấu hay không dấu đều được." }
                },
            ),
        );
    }
    let page_no = params.page();
    let offset = (page_no - 1) * PAGE_SIZE;
    // Snippets for the hits of the page; facets over every match.
    let (results, counts) = match index.search_with_facets(&params.to_query(PAGE_SIZE, offset)) {
        Ok(r) => r,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                page(
                    &title,
                    &canonical,
                    Some(&query),
                    html! { h1 { "Không tìm được" } p.notice { (e.to_string()) } },
                ),
            )
        }
    };
    let f = facets(&s, counts);
    let shown: Vec<&Hit> = results.hits.iter().collect();
    let pages = results.total.div_ceil(PAGE_SIZE).max(1);
    let kind_label = |k: &str| t::kind_label(k);
    let plain = |k: &str| k.to_owned();
    let status = if shown.is_empty() && page_no > 1 {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    let feed_title = feeds::search_title(&params);
    let feed_href = feeds::search_path(&params);
    let feed = FeedLink {
        title: &feed_title,
        href: &feed_href,
    };
    (
        status,
        page_with_feed(
            &title,
            &canonical,
            Some(&query),
            Some(feed),
            html! {
                h1 { "Kết quả tìm kiếm" @if !query.is_empty() { " cho “" (query) "”" } }
                p.muted { (t::count(results.total)) " kết quả · " (format!("{:.1}", results.took_ms)) " ms"
                    " · bài viết mới khớp với tìm kiếm này: " (feeds::atom_link(&feed_href, &feed_title)) }
                div.layout-search {
                    aside.facets aria-label="Lọc kết quả" {
                        p.muted { "Lọc theo (số kết quả):" }
                        (facet_list("Loại văn bản", "kind", &f.kind, &kind_label, &params, SearchParams::nonempty(&params.kind)))
                        (facet_list("Cơ quan ban hành", "issuer", &f.issuer, &plain, &params, SearchParams::nonempty(&params.issuer)))
                        (facet_list("Năm", "year", &f.year, &plain, &params, params.year().map(|y| y.to_string())))
                        (facet_list("Tỉnh, thành", "province", &f.province, &plain, &params, SearchParams::nonempty(&params.province)))
                    }
                    section.results {
                        @if shown.is_empty() {
                            p { "Không có kết quả. Thử bỏ bớt bộ lọc, gõ ít từ hơn, hoặc gõ số hiệu văn bản." }
                        }
                        @for hit in &shown { (search_hit(&s, hit)) }
                        @if pages > 1 {
                            nav.pagination aria-label="Trang kết quả" {
                                @if page_no > 1 {
                                    a rel="prev" href=(params.with("page", Some(&(page_no - 1).to_string()))) { "← Trang trước" }
                                }
                                span { "Trang " (page_no) " / " (pages) }
                                @if page_no < pages {
                                    a rel="next" href=(params.with("page", Some(&(page_no + 1).to_string()))) { "Trang sau →" }
                                }
                            }
                        }
                    }
                }
            },
        ),
    )
}

fn search_hit(s: &Snapshot, hit: &Hit) -> Markup {
    match hit {
        Hit::Document {
            id, title, snippet, ..
        } => {
            let doc = s.document(id);
            html! {
                article.search-hit.document-hit {
                    h3 {
                        span.kind-tag { "Văn bản" } " "
                        a href=(urls::document(id)) { (name_of(s, id)) }
                    }
                    @if let Some(d) = doc {
                        p.muted {
                            (d.issuer.as_deref().unwrap_or("Chưa rõ cơ quan ban hành"))
                            " · " (t::opt_date(d.date))
                            " · " (s.citations(id)) " nguồn"
                        }
                    }
                    p.snippet { @if snippet.is_empty() { (title) } @else { (t::snippet(snippet)) } }
                }
            }
        }
        Hit::Source {
            source,
            published,
            title,
            snippet,
            ..
        } => {
            let id = s.source_id_by_path(source);
            html! {
                article.search-hit.source-hit {
                    h3 {
                        span.kind-tag { "Bài viết" } " "
                        @if let Some(id) = id { a href=(urls::source(id)) { (title) } } @else { (title) }
                    }
                    p.muted { (source) @if let Some(p) = published { " · " (p) } }
                    p.snippet { (t::snippet(snippet)) }
                }
            }
        }
    }
}

/// The old provinces merged into a province of today (not itself).
pub fn merged_into(new: &str) -> Vec<&'static str> {
    OLD_PROVINCES
        .iter()
        .copied()
        .filter(|old| *old != new && province_now(old) == new)
        .collect()
}

/// The document page's parameters: `trang` (page of its events and
/// sources, from 1; bad values are page 1).
#[derive(Debug, Default, Deserialize)]
pub struct DocumentPageParams {
    pub trang: Option<String>,
    /// `truoc-2025`: the coverage map by the 63 provinces before the merger.
    #[serde(rename = "ban-do")]
    pub ban_do: Option<String>,
}

async fn document(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    params: Result<Query<DocumentPageParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let coverage_view = crate::coverage::page_view(params.ban_do.as_deref());
    let page_no = params
        .trang
        .and_then(|t| t.trim().parse::<usize>().ok())
        .filter(|&n| n >= 1)
        .unwrap_or(1)
        .min(100_000);
    let s = state.snapshot();
    let reference = reference.trim().to_owned();
    if s.document(&reference).is_none() {
        return match s.graph.lookup(&reference) {
            Lookup::Found(id) => Redirect::to(&urls::document(&id)).into_response(),
            Lookup::Ambiguous(ids) => (
                StatusCode::MULTIPLE_CHOICES,
                page(
                    &format!("“{reference}”: nhiều văn bản"),
                    &urls::document(&reference),
                    Some(&reference),
                    html! {
                        h1 { "“" (reference) "” có thể là một trong các văn bản sau" }
                        ul.plain {
                            @for id in &ids {
                                li {
                                    (doc_link(&s, id))
                                    @if let Some(d) = s.document(id) {
                                        span.muted { " · " (d.issuer.as_deref().unwrap_or("")) " · " (t::opt_date(d.date)) }
                                    }
                                }
                            }
                        }
                    },
                ),
            )
                .into_response(),
            Lookup::NotFound => not_found_page(&state, &reference).into_response(),
        };
    }
    let id = reference;
    let as_of = today();
    // What is expected of it (from the store; a store error leaves the
    // section out rather than the page).
    let expected = crate::coverage::expectations::of_document(&state, &id)
        .await
        .unwrap_or_default();
    // The page is built from the snapshot's indexes, never from a whole
    // view: a document cited by thousands of texts renders as fast as any.
    let Some(doc) = s.document(&id) else {
        return not_found_page(&state, &id).into_response();
    };
    let Some(status) = s.graph.status(&id, as_of) else {
        return not_found_page(&state, &id).into_response();
    };
    let relations = s.relations(&id);
    let event_count = s.document_event_count(&id);
    let citations = s.citations(&id);
    let pages = event_count
        .div_ceil(LIST_CAP)
        .max(citations.div_ceil(SOURCES_SHOWN))
        .max(1);
    let page_no = page_no.min(pages);
    let timeline = s.document_events_from(&id, (page_no - 1) * LIST_CAP, LIST_CAP);
    let sources = s.document_sources_from(&id, (page_no - 1) * SOURCES_SHOWN, SOURCES_SHOWN);
    let page_link = |n: usize| {
        if n == 1 {
            urls::document(&id)
        } else {
            format!("{}?trang={n}", urls::document(&id))
        }
    };
    let pager = html! {
        @if pages > 1 {
            nav.pagination aria-label="Trang sự kiện và nguồn" {
                @if page_no > 1 {
                    a rel="prev" href=(page_link(page_no - 1)) { "← Trang trước" }
                }
                span { "Trang " (page_no) " / " (pages) }
                @if page_no < pages {
                    a rel="next" href=(page_link(page_no + 1)) { "Trang sau →" }
                }
            }
        }
    };
    let name = t::doc_name(doc);
    let graph_svg = svg::relation_graph(&s, &id);
    let name_fn = |x: &str| name_of(&s, x);
    // Events per province of today, with the names they were held under.
    let counts = s.document_provinces(&id);
    let mut rows: Vec<(&str, usize, Vec<&str>)> = NEW_PROVINCES
        .iter()
        .map(|p| match counts.iter().find(|c| c.province_now == *p) {
            Some(c) => (
                *p,
                c.events,
                c.old_names.iter().map(String::as_str).collect(),
            ),
            None => (*p, 0, Vec::new()),
        })
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let held = rows.iter().filter(|r| r.1 > 0).count();
    let permalink = urls::document(&id);
    let feed_title = feeds::document_title(&name);
    let feed_href = feeds::document_path(&id);
    let body = html! {
        (t::status_badge(&status, &name_fn))
        h1 {
            (name)
            @if let Some(title) = &doc.title { br; small { (title) } }
        }
        p.muted.feed { "Theo dõi sự kiện, quan hệ và hiệu lực của văn bản này: " (feeds::atom_link(&feed_href, &feed_title)) }
        dl.facts {
            dt { "Loại" } dd { (doc.kind.label_vi()) }
            dt { "Số, ký hiệu" } dd { (t::doc_number(doc).unwrap_or_else(|| "không rõ".to_owned())) }
            dt { "Ngày ký" } dd { (t::opt_date(doc.date)) }
            dt { "Cơ quan ban hành" } dd { (doc.issuer.as_deref().unwrap_or("không rõ")) }
            dt { "Được trích dẫn" } dd { (citations) " nguồn" }
            dt { "Mã" } dd { code { (id) } }
        }
        @if doc.dates.len() > 1 || doc.issuers.len() > 1 || doc.titles.len() > 1 {
            p.notice {
                "Các nguồn ghi khác nhau: "
                @for d in doc.dates.iter().skip(1) { "ngày " (t::date(d.value)) " (" (d.sources.len()) " nguồn); " }
                @for i in doc.issuers.iter().skip(1) { (i.value) " (" (i.sources.len()) " nguồn); " }
                @for x in doc.titles.iter().skip(1) { "“" (x.value) "” (" (x.sources.len()) " nguồn); " }
            }
        }
        h2 { "Quan hệ với văn bản khác" }
        @if let Some(svg) = graph_svg { (svg) }
        @if relations.is_empty() {
            p.muted { "Chưa có nguồn nào nêu quan hệ của văn bản này với văn bản khác." }
        } @else {
            ul.relations {
                @for r in relations {
                    li { (name) " " (t::relation_label(r.kind, r.direction)) " " (doc_link(&s, &r.other))
                        span.muted { " (" (r.sources.len()) " nguồn)" } }
                }
            }
        }
        h2 { "Dòng thời gian học tập, quán triệt, sơ kết, tổng kết" }
        @if timeline.is_empty() {
            p.muted { "Chưa có sự kiện nào được ghi nhận." }
        } @else {
            @let first = (page_no - 1) * LIST_CAP;
            ol.timeline start=[(first > 0).then_some(first + 1)] { @for e in &timeline { (event_item(&s, e, false)) } }
            @if event_count > timeline.len() {
                p.muted { "Sự kiện " (if timeline.is_empty() { first } else { first + 1 }) "–" (first + timeline.len()) " trên " (event_count) "; tất cả có trong "
                    a href={ "/api/v1/events?document=" (urls::query_value(&id)) } { "API" } "." }
            }
            (pager)
        }
        @if let Some(section) = crate::coverage::section(&s, &id, coverage_view) { (section) }
        @if let Some(section) = crate::coverage::expectations::section(&s, &id, &expected, as_of) { (section) }
        h2 { "Các tỉnh, thành đã tổ chức (" (held) "/" (NEW_PROVINCES.len()) ")" }
        div.table-wrap {
            table.province-table {
                thead { tr { th { "Tỉnh, thành (từ 1/7/2025)" } th { "Số sự kiện" } } }
                tbody {
                    @for (p, n, old) in &rows {
                        tr class=(if *n > 0 { "held" } else { "none" }) {
                            td {
                                (province_link(p))
                                @let merged = merged_into(p);
                                @if !merged.is_empty() {
                                    span.old-names {
                                        "gồm " (merged.join(", "))
                                        @if !old.is_empty() { " · sự kiện tại: " (old.join(", ")) }
                                    }
                                }
                            }
                            td { @if *n > 0 { (n) } @else { "chưa có" } }
                        }
                    }
                }
            }
        }
        h2 { "Nguồn (" (citations) ")" }
        @for src in &sources {
            div.source-ref {
                a href=(urls::source(src.source_id)) { (src.source) }
                @if let Some(p) = src.published { span.muted { " · " (t::date(p)) } }
                blockquote.excerpt { (src.excerpt) }
            }
        }
        @if citations > sources.len() {
            @let first = (page_no - 1) * SOURCES_SHOWN;
            p.muted { "Nguồn " (if sources.is_empty() { first } else { first + 1 }) "–" (first + sources.len()) " trên " (citations) "." }
        }
        (pager)
        p.muted { "Dữ liệu dạng JSON: " a href={ "/api/v1/documents/" (urls::segment(&id)) } { "/api/v1/documents/…" } }
    };
    let feed = FeedLink {
        title: &feed_title,
        href: &feed_href,
    };
    page_with_feed(&name, &permalink, Some(""), Some(feed), body).into_response()
}

async fn provinces(State(state): State<AppState>) -> Markup {
    let s = state.snapshot();
    page(
        "Tỉnh, thành",
        "/tinh",
        Some(""),
        html! {
            h1 { "Sự kiện theo tỉnh, thành" }
            p { "34 tỉnh, thành từ ngày 1/7/2025 (Nghị quyết 202/2025/QH15); sự kiện trước đó được tính cả theo tên tỉnh cũ." }
            div.table-wrap {
                table.province-table {
                    thead { tr { th { "Tỉnh, thành" } th { "Số sự kiện" } } }
                    tbody {
                        @for p in NEW_PROVINCES {
                            @let n = s.event_count_in_province_now(p);
                            tr class=(if n > 0 { "held" } else { "none" }) {
                                td {
                                    (province_link(p))
                                    @let merged = merged_into(p);
                                    @if !merged.is_empty() {
                                        span.old-names {
                                            "gồm "
                                            @for (i, o) in merged.iter().enumerate() {
                                                @if i > 0 { ", " }
                                                (province_link(o))
                                            }
                                        }
                                    }
                                }
                                td { @if n > 0 { (n) } @else { "chưa có" } }
                            }
                        }
                    }
                }
            }
        },
    )
}

async fn province(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let Some(name) = urls::province_from_slug(&slug) else {
        return not_found_page(&state, &slug).into_response();
    };
    let canonical = urls::province(name);
    if urls::province_slug(name) != slug {
        return Redirect::to(&canonical).into_response();
    }
    let s = state.snapshot();
    let now = province_now(name);
    let is_current = NEW_PROVINCES.contains(&name);
    let events: Vec<&EventView> = s
        .events_in_province_now(now)
        .into_iter()
        .filter(|e| is_current || e.province.as_deref() == Some(name))
        .collect();
    let mut by_year: BTreeMap<Option<i32>, usize> = BTreeMap::new();
    for e in &events {
        *by_year
            .entry(e.date.map(|d| chrono::Datelike::year(&d)))
            .or_default() += 1;
    }
    let max = by_year.values().copied().max().unwrap_or(1);
    let merged = if is_current {
        merged_into(name)
    } else {
        Vec::new()
    };
    // The snapshot keeps events by date, undated last: newest first is the
    // dated ones backwards, then the undated.
    let newest: Vec<&EventView> = events
        .iter()
        .rev()
        .filter(|e| e.date.is_some())
        .chain(events.iter().filter(|e| e.date.is_none()))
        .take(LIST_CAP)
        .copied()
        .collect();
    let title = if is_current {
        format!("Tỉnh, thành {name}")
    } else {
        format!("{name} (tỉnh cũ)")
    };
    let feed_title = feeds::province_title(name);
    let feed_href = feeds::province_path(name);
    let feed = FeedLink {
        title: &feed_title,
        href: &feed_href,
    };
    page_with_feed(
        &title,
        &canonical,
        Some(""),
        Some(feed),
        html! {
            h1 { (title) }
            p.muted.feed { "Theo dõi sự kiện mới tại đây: " (feeds::atom_link(&feed_href, &feed_title)) }
            @if !is_current && !now.is_empty() {
                p.notice { "Từ ngày 1/7/2025, " (name) " thuộc " (province_link(now)) ". Trang này chỉ gồm các sự kiện ghi tên " (name) "." }
            }
            @if !merged.is_empty() {
                p { "Từ ngày 1/7/2025 gồm cả: "
                    @for (i, o) in merged.iter().enumerate() { @if i > 0 { ", " } (province_link(o)) }
                    ". Sự kiện trước đó được ghi theo tên tỉnh lúc tổ chức." }
            }
            p { (events.len()) " sự kiện." }
            @if !by_year.is_empty() {
                h2 { "Theo năm" }
                ul.bars {
                    @for (year, n) in &by_year {
                        li {
                            span { @if let Some(y) = year { (y) } @else { "?" } }
                            progress value=(n) max=(max) { (n) }
                            span { (n) }
                        }
                    }
                }
            }
            (crate::coverage::province_section(&s, name))
            h2 { "Các sự kiện" }
            @if newest.is_empty() {
                p.muted { "Chưa có sự kiện nào được ghi nhận ở đây." }
            } @else {
                ol.timeline { @for e in &newest { (event_item(&s, e, true)) } }
                @if events.len() > newest.len() {
                    p.muted { "Hiển thị " (newest.len()) " sự kiện mới nhất trên " (events.len()) "; tất cả có trong "
                        a href={ "/api/v1/events?province=" (urls::query_value(name)) } { "API" } "." }
                }
            }
        },
    )
    .into_response()
}

/// The page for a store that could not answer a read: 503 with
/// `Retry-After` while it is unreachable or busy (a database restarting, a
/// statement past its time-out), 500 for anything else.
fn store_error_page(e: &crate::Error) -> Response {
    let store = match e {
        crate::Error::Store(s) => Some(s),
        _ => None,
    };
    let retry = store.is_some_and(|s| s.is_unavailable() || s.is_busy());
    let (status, title) = if retry {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "Kho dữ liệu tạm thời không truy cập được",
        )
    } else {
        (StatusCode::INTERNAL_SERVER_ERROR, "Lỗi máy chủ")
    };
    let mut response = (
        status,
        page(
            title,
            "/",
            Some(""),
            html! {
                h1 { (title) }
                p.notice { (e.to_string()) }
                @if retry {
                    p { "Các trang văn bản, tỉnh và tìm kiếm vẫn hoạt động. Hãy tải lại trang này sau vài giây." }
                }
            },
        ),
    )
        .into_response();
    if retry {
        response.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            crate::error::RETRY_AFTER_SECONDS.into(),
        );
    }
    response
}

async fn source(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.trim().parse::<i64>() else {
        return not_found_page(&state, &id).into_response();
    };
    let text = state
        .with_store(move |store| Ok(store.source_text(id)?))
        .await;
    let source = match text {
        Ok(Some(s)) => s,
        Ok(None) => return not_found_page(&state, &id.to_string()).into_response(),
        Err(e) => return store_error_page(&e),
    };
    let s = state.snapshot();
    let facts = &source.facts;
    let ex = &facts.extraction;
    let resolved = s.graph.resolved_ids(facts.id);
    let segments = highlight(&source.text, &facts.extraction.documents);
    let permalink = urls::source(facts.id);
    page(
        &facts.title,
        &permalink,
        Some(""),
        html! {
            h1 { (facts.title) }
            dl.facts {
                dt { "Nguồn" }
                dd {
                    @if let Some(href) = t::external_link(&ex.source) { a href=(href) rel="nofollow noopener" { (ex.source) } }
                    @else { (ex.source) }
                }
                dt { "Ngày đăng" } dd { (t::opt_date(ex.published)) }
                dt { "Văn bản được nhắc đến" } dd { (ex.documents.len()) }
                dt { "Sự kiện" } dd { (ex.events.len()) }
                dt { "Mã băm" } dd { code { (facts.hash.get(..16).unwrap_or(&facts.hash)) "…" } }
            }
            @if !ex.documents.is_empty() {
                h2 { "Văn bản được trích dẫn" }
                ul.plain {
                    @for (i, d) in ex.documents.iter().enumerate() {
                        li {
                            @match resolved.get(i).cloned().flatten() {
                                Some(rid) => { (doc_link(&s, &rid)) }
                                None => { (d.kind.label_vi()) " " (d.number.as_deref().unwrap_or("")) span.muted { " (chưa xác định được văn bản)" } }
                            }
                            @if let Some(title) = &d.title { " — " (title) }
                        }
                    }
                }
            }
            @if !ex.events.is_empty() {
                h2 { "Sự kiện được đưa tin" }
                ul.plain {
                    @for e in &ex.events {
                        li {
                            (t::date_range(e.date, e.end_date)) " · " (t::event_label(e.kind))
                            @if let Some(p) = &e.province { " · " (province_link(p)) }
                            @if let Some(o) = &e.organizer { " · " (o) }
                        }
                    }
                }
            }
            @if !ex.officials.is_empty() {
                h2 { "Người giữ chức vụ được nêu tên" }
                ul.plain { @for o in &ex.officials { li { (o.name) @if !o.positions.is_empty() { " — " (o.positions.join("; ")) } } } }
            }
            h2 { "Toàn văn" }
            div.source-text {
                @for (n, seg) in segments.iter().enumerate() {
                    @match seg {
                        Segment::Plain(text) => { (text) }
                        Segment::Cite { text, doc } => {
                            @match resolved.get(*doc).cloned().flatten() {
                                Some(rid) => { a.citation id={ "m-" (n) } href=(urls::document(&rid)) title=(rid) { (text) } }
                                None => { a.citation.unresolved id={ "m-" (n) } href=(urls::search(text)) title="Chưa xác định được văn bản: tìm" { (text) } }
                            }
                        }
                    }
                }
            }
        },
    )
    .into_response()
}

/// A piece of a source's text: plain, or a citation of document `doc`
/// (index into the extraction's documents).
#[derive(Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    Plain(&'a str),
    Cite { text: &'a str, doc: usize },
}

/// Cuts `text` at every mention (overlapping or broken spans are skipped;
/// never panics whatever the spans).
pub fn highlight<'a>(text: &'a str, documents: &[vanban_extract::Document]) -> Vec<Segment<'a>> {
    let mut spans: Vec<(usize, usize, usize)> = documents
        .iter()
        .enumerate()
        .flat_map(|(i, d)| d.mentions.iter().map(move |m| (m.start, m.end, i)))
        .filter(|&(a, b, _)| a < b && text.get(a..b).is_some())
        .collect();
    spans.sort();
    let mut out = Vec::new();
    let mut at = 0;
    for (a, b, doc) in spans {
        if a < at {
            continue;
        }
        if let Some(plain) = text.get(at..a).filter(|p| !p.is_empty()) {
            out.push(Segment::Plain(plain));
        }
        if let Some(cite) = text.get(a..b) {
            out.push(Segment::Cite { text: cite, doc });
        }
        at = b;
    }
    if let Some(rest) = text.get(at..).filter(|r| !r.is_empty()) {
        out.push(Segment::Plain(rest));
    }
    out
}

/// The 404 page: what was asked, a search box filled with it, and what
/// the search finds for it.
fn not_found_page(state: &AppState, asked: &str) -> Page {
    let words: String = asked
        .split(|c: char| c == '-' || c == '_' || c == '+' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let words: String = words.chars().take(200).collect();
    let s = state.snapshot();
    let suggestions: Vec<Hit> = state
        .search()
        .filter(|_| !words.trim().is_empty())
        .and_then(|index| {
            let mut q = SearchQuery::new(words.as_str());
            q.limit = 5;
            index.search(&q).ok()
        })
        .map(|r| r.hits)
        .unwrap_or_default();
    (
        StatusCode::NOT_FOUND,
        page(
            "Không tìm thấy trang",
            "/",
            None,
            html! {
                section.not-found {
                    h1 { "Không tìm thấy trang này (404)" }
                    p { "Không có trang nào ở địa chỉ này" @if !asked.is_empty() { " (“" (asked.chars().take(200).collect::<String>()) "”)" } ". Có thể tìm lại:" }
                    (big_search(&words))
                    @if !suggestions.is_empty() {
                        h2 { "Có phải bạn cần" }
                        @for hit in &suggestions { (search_hit(&s, hit)) }
                    }
                    h2 { "Văn bản được trích dẫn nhiều nhất" }
                    ul.plain {
                        @for (d, _) in s.most_cited(5) {
                            li { a href=(urls::document(&d.id)) { (t::doc_name(d)) } }
                        }
                    }
                    p { a href="/" { "Về trang chủ" } " · " a href="/tinh" { "Các tỉnh, thành" } }
                }
            },
        ),
    )
}

/// Any path no route serves: JSON under `/api/`, the 404 page elsewhere.
pub async fn fallback(State(state): State<AppState>, uri: Uri) -> Response {
    let path = uri.path();
    if path.starts_with("/api/") {
        return crate::error::ApiError::not_found(format!(
            "no API endpoint at {path}: see /api/v1/openapi.json for the list"
        ))
        .into_response();
    }
    let decoded = percent_encoding::percent_decode_str(path.trim_matches('/'))
        .decode_utf8_lossy()
        .replace('/', " ");
    not_found_page(&state, &decoded).into_response()
}
