//! Shared markup (giao diện): the page layout, labels in Vietnamese and the
//! small components every page uses. All markup is `maud`, which escapes
//! every value written into it; the only pre-escaped strings are the
//! embedded stylesheet and script and the SVG built by [`crate::svg`] from
//! escaped values.
//!
//! Stable hooks for the browser tests (e2e/) — keep them:
//! - `#q`: the search input (every page's header, the home page, the 404);
//! - `.status-badge` (with `.status-in_force`, `.status-replaced`, …): the
//!   document's status, first thing on the document page;
//! - `.relation-graph`: the SVG of the relation chain on the document page;
//! - `.timeline`: the dated events on document and province pages;
//! - `.province-table`: the table of the 34 provinces of today (document
//!   page, provinces page); `a.province-link`: a link to a province page;
//! - `.search-hit`: one result on the search page (`.facets` the filters,
//!   `.pagination` the page links);
//! - `.source-text`: a source's text, `a.citation`: one highlighted citation
//!   in it;
//! - `.not-found`: the 404 page;
//! - `a.feed-link`: the visible link to the page's Atom feed (document,
//!   province and search pages; `crate::feeds`).

use crate::urls;
use chrono::{Datelike, NaiveDate};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use vanban_extract::{DocumentKind, EventKind, RelationKind};
use vanban_store::graph::{CanonicalDocument, Direction, State, Status};

/// The stylesheet, served at `/static/app.css`.
pub const CSS: &str = include_str!("../assets/app.css");
/// The optional script, served at `/static/app.js`.
pub const JS: &str = include_str!("../assets/app.js");

/// A whole page: `title` goes in `<title>` and `canonical` is its permalink.
/// `query` fills the header's search box `#q`; `None` when the page body
/// has its own `#q` (home, 404): the header box then has another id.
pub fn page(title: &str, canonical: &str, query: Option<&str>, body: Markup) -> Markup {
    page_with_feed(title, canonical, query, None, body)
}

/// The Atom feed of a page (`crate::feeds`), linked from its head.
#[derive(Debug, Clone, Copy)]
pub struct FeedLink<'a> {
    pub title: &'a str,
    pub href: &'a str,
}

/// [`page`] with a `<link rel="alternate" type="application/atom+xml">`
/// to the page's feed in its head.
pub fn page_with_feed(
    title: &str,
    canonical: &str,
    query: Option<&str>,
    feed: Option<FeedLink<'_>>,
    body: Markup,
) -> Markup {
    let input_id = if query.is_some() { "q" } else { "q-header" };
    let query = query.unwrap_or("");
    html! {
        (DOCTYPE)
        html lang="vi" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Văn bản" }
                link rel="canonical" href=(canonical);
                @if let Some(f) = feed {
                    link rel="alternate" type="application/atom+xml" title=(f.title) href=(f.href);
                }
                link rel="stylesheet" href="/static/app.css";
                script src="/static/app.js" defer {}
            }
            body {
                header.site {
                    a.brand href="/" { "Văn bản" }
                    form.search-form action="/tim-kiem" method="get" role="search" {
                        label.visually-hidden for=(input_id) { "Tìm kiếm" }
                        input id=(input_id) type="search" name="q" value=(query)
                            placeholder="Tìm văn bản, ví dụ: quy định 126, bảo vệ chính trị nội bộ"
                            autocomplete="off";
                        button type="submit" { "Tìm" }
                    }
                    nav {
                        a href="/tinh" { "Tỉnh, thành" }
                        " "
                        a href="/bau-cu" { "Kiểm phiếu" }
                        " "
                        a href="/api/v1/openapi.json" { "API" }
                        @if crate::auth::logged_in_by_cookie() {
                            " "
                            form.logout-form action=(crate::auth::LOGOUT_PATH) method="post" {
                                button type="submit" { "Đăng xuất" }
                            }
                        }
                    }
                }
                main { (body) }
                footer.site {
                    p { "Dữ liệu trích xuất tự động từ các bài viết đã nạp; mỗi thông tin đều dẫn về nguồn của nó." }
                    p { a href=(canonical) { "Đường dẫn cố định của trang này" } }
                }
            }
        }
    }
}

/// The login page (`/dang-nhap`): the token field, the local path to go
/// back to (`next`, already checked by [`crate::auth::local_path`]), and
/// what went wrong, if anything. `private`: the whole site needs the token.
pub fn login_page(next: &str, error: Option<&str>, private: bool) -> Markup {
    let body = html! {
        h1 { "Đăng nhập" }
        @if private {
            p { "Máy chủ này chỉ mở cho người có mã truy cập. Nhập mã một lần; trình duyệt sẽ ghi nhớ mã trong 12 giờ." }
        } @else {
            p { "Mã truy cập cho phép nhập phiếu bầu cử và các thao tác ghi khác. Nhập mã một lần; trình duyệt sẽ ghi nhớ mã trong 12 giờ." }
        }
        @if let Some(e) = error {
            p.notice role="alert" { (e) }
        }
        form.token-form.login-form action=(crate::auth::LOGIN_PATH) method="post" {
            p {
                label for="token" { "Mã truy cập" }
                " "
                input #token type="password" name="token" required autocomplete="off"
                    spellcheck="false" autofocus;
                input type="hidden" name="next" value=(next);
                " "
                button type="submit" { "Đăng nhập" }
            }
        }
        p.muted {
            "Chưa có mã? Người quản trị máy chủ tạo mã bằng lệnh "
            code { "vanban token create TÊN" }
            " (mã bắt đầu bằng " code { "vbt_" } " và chỉ hiện một lần; máy chủ chỉ lưu bản băm của mã). "
            "Mã được giữ trong một cookie chỉ dùng cho trang này; bấm «Đăng xuất» ở đầu trang để xóa."
        }
    };
    page("Đăng nhập", crate::auth::LOGIN_PATH, Some(""), body)
}

/// `Quy định 126-QĐ/TW`, `Nghị định 30/2020/NĐ-CP`, `Quy định 58`.
pub fn doc_name(doc: &CanonicalDocument) -> String {
    let number = doc_number(doc);
    match number {
        Some(n) => format!("{} {}", doc.kind.label_vi(), n),
        None => doc.kind.label_vi().to_owned(),
    }
}

/// The number and symbol as written on the document: `126-QĐ/TW`,
/// `30/2020/NĐ-CP`, `281/QĐ-TTg`, or the number alone.
pub fn doc_number(doc: &CanonicalDocument) -> Option<String> {
    let number = doc.number.as_deref()?;
    Some(match doc.symbol.as_deref() {
        None => number.to_owned(),
        Some(s) if s.contains('/') => format!("{number}-{s}"),
        Some(s) => match doc.year {
            Some(y) if s.contains('-') && s.split('-').next().is_some_and(|t| t.len() <= 3) => {
                format!("{number}/{y}/{s}")
            }
            Some(y) if s.starts_with("QH") => format!("{number}/{y}/{s}"),
            _ => format!("{number}/{s}"),
        },
    })
}

/// A short label for a document id that is not (or no longer) in the graph.
pub fn id_label(id: &str) -> &str {
    id.split('@').next().unwrap_or(id)
}

/// `28/02/2018`.
pub fn date(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// A date or "không rõ ngày".
pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_else(|| "không rõ ngày".to_owned())
}

/// `27–28/11/2019` for a two-day event.
pub fn date_range(from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    match (from, to) {
        (Some(a), Some(b)) if b > a => format!("{} – {}", date(a), date(b)),
        (a, _) => opt_date(a),
    }
}

/// The Vietnamese name of an event type.
pub fn event_label(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Dissemination => "Học tập, quán triệt, triển khai",
        EventKind::Review => "Sơ kết, tổng kết",
        EventKind::Training => "Bồi dưỡng, tập huấn",
        _ => "Sự kiện khác",
    }
}

/// A relation as read from the document's side: outgoing "thay thế …",
/// incoming "bị thay thế bởi …".
pub fn relation_label(kind: RelationKind, direction: Direction) -> &'static str {
    let outgoing = direction == Direction::Outgoing;
    match (kind, outgoing) {
        (RelationKind::Replaces, true) => "thay thế",
        (RelationKind::Replaces, false) => "bị thay thế bởi",
        (RelationKind::Amends, true) => "sửa đổi, bổ sung",
        (RelationKind::Amends, false) => "được sửa đổi, bổ sung bởi",
        (RelationKind::Repeals, true) => "bãi bỏ",
        (RelationKind::Repeals, false) => "bị bãi bỏ bởi",
        (RelationKind::Guides, true) => "hướng dẫn thực hiện",
        (RelationKind::Guides, false) => "được hướng dẫn bởi",
        (RelationKind::Implements, true) => "thực hiện",
        (RelationKind::Implements, false) => "được thực hiện bởi",
        (RelationKind::Reviews, true) => "sơ kết, tổng kết",
        (RelationKind::Reviews, false) => "được sơ kết, tổng kết bởi",
    }
}

/// The short edge label in the relation graph.
pub fn relation_verb(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::Replaces => "thay thế",
        RelationKind::Amends => "sửa đổi",
        RelationKind::Repeals => "bãi bỏ",
        RelationKind::Guides => "hướng dẫn",
        RelationKind::Implements => "thực hiện",
        _ => "sơ kết",
    }
}

/// The state's code for CSS classes and its Vietnamese words.
pub fn state_code(state: State) -> (&'static str, &'static str) {
    match state {
        State::InForce => ("in_force", "Còn hiệu lực"),
        State::Amended => ("amended", "Còn hiệu lực, đã được sửa đổi, bổ sung"),
        State::Replaced => ("replaced", "Đã bị thay thế"),
        State::Repealed => ("repealed", "Đã bị bãi bỏ"),
        State::Expired => ("expired", "Hết hiệu lực"),
        _ => ("unknown", "Chưa rõ hiệu lực"),
    }
}

/// The status badge: "Còn hiệu lực" or "Đã bị thay thế bởi 58-QĐ/TW (từ 08/02/2022)".
pub fn status_badge(status: &Status, name_of: &dyn Fn(&str) -> String) -> Markup {
    let (code, words) = state_code(status.state);
    let by_word = match status.state {
        State::Replaced | State::Repealed => " bởi ",
        State::Amended => ": ",
        _ => "",
    };
    html! {
        p class={ "status-badge status-" (code) } {
            strong { (words) }
            @if !status.by.is_empty() && !by_word.is_empty() {
                (by_word)
                @for (i, id) in status.by.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href=(urls::document(id)) { (name_of(id)) }
                }
            }
            @if let Some(since) = status.since {
                " (từ " (date(since)) ")"
            }
        }
    }
}

/// Search-engine snippets come as escaped HTML with `<mark>` around
/// matches. They are never trusted as HTML here: the text is unescaped and
/// written again through maud, and `<mark>` is the only element kept.
pub fn snippet(html_snippet: &str) -> Markup {
    let mut parts: Vec<(bool, String)> = Vec::new();
    let mut marked = false;
    let mut rest = html_snippet;
    loop {
        let tag = if marked { "</mark>" } else { "<mark>" };
        match rest.find(tag) {
            Some(i) => {
                parts.push((marked, unescape(&rest[..i])));
                rest = &rest[i + tag.len()..];
                marked = !marked;
            }
            None => {
                parts.push((marked, unescape(rest)));
                break;
            }
        }
    }
    html! {
        @for (m, text) in &parts {
            @if *m { mark { (text) } } @else { (text) }
        }
    }
}

/// Undoes the five HTML escapes (and numeric ones) of an escaped text.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A link to a source's URL only when it is an http(s) URL (a path or any
/// other scheme, `javascript:` included, is shown as text).
pub fn external_link(source: &str) -> Option<&str> {
    let lower = source.trim_start().get(..8).map(str::to_ascii_lowercase);
    match lower.as_deref() {
        Some(p) if p.starts_with("http://") || p == "https://" => Some(source.trim_start()),
        _ => None,
    }
}

/// Vietnamese number formatting: `12.345`.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The kind's name for a kind code (`quy_dinh` → `Quy định`).
pub fn kind_label(code: &str) -> String {
    vanban_search::reference::parse_kind(code)
        .map(|k: DocumentKind| k.label_vi().to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// Raw, trusted markup (our own CSS/JS/SVG only).
pub fn trusted(s: String) -> PreEscaped<String> {
    PreEscaped(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_keep_only_mark_and_escape_everything_else() {
        let s =
            snippet("a &lt;script&gt;x<mark>bảo vệ</mark> &amp; <b onclick=\"y\">").into_string();
        assert_eq!(
            s,
            "a &lt;script&gt;x<mark>bảo vệ</mark> &amp; &lt;b onclick=&quot;y&quot;&gt;"
        );
    }

    #[test]
    fn only_http_sources_become_links() {
        assert_eq!(external_link("https://x.vn/a"), Some("https://x.vn/a"));
        assert_eq!(external_link("javascript:alert(1)"), None);
        assert_eq!(external_link(" JaVaScRiPt:alert(1)"), None);
        assert_eq!(external_link("samples/a.txt"), None);
    }

    #[test]
    fn numbers_are_grouped_the_vietnamese_way() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1234), "1.234");
        assert_eq!(count(1234567), "1.234.567");
    }
}
