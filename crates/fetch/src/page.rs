//! What a fetched body is (HTML page, plain text, feed) and the canonical
//! link an HTML page gives.

use url::Url;

/// What a fetched body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// An HTML (or XHTML) page.
    Html,
    /// Plain text.
    Text,
    /// RSS, Atom or JSON Feed (or XML/JSON that may be one).
    Feed,
    /// Anything else (an image, a PDF, …).
    Other,
}

/// How far into a page the `<link rel="canonical">` is looked for.
const HEAD_WINDOW: usize = 64 * 1024;

/// Classifies a body by its `Content-Type`, sniffing the first bytes when
/// the header is missing or generic.
pub fn body_kind(content_type: Option<&str>, body: &[u8]) -> BodyKind {
    let mime = content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match mime.as_str() {
        "text/html" | "application/xhtml+xml" => return BodyKind::Html,
        "text/plain" => return BodyKind::Text,
        "application/rss+xml"
        | "application/atom+xml"
        | "application/rdf+xml"
        | "application/feed+json"
        | "application/json"
        | "application/xml"
        | "text/xml" => return BodyKind::Feed,
        "" | "application/octet-stream" => {}
        _ => return BodyKind::Other,
    }
    let start: Vec<u8> = body
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF)
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    let xml_feed = [&b"<?xml"[..], b"<rss", b"<feed"]
        .iter()
        .any(|p| start.starts_with(p));
    if xml_feed || start.starts_with(b"{") {
        BodyKind::Feed
    } else if start.starts_with(b"<!doctype html") || start.starts_with(b"<html") {
        BodyKind::Html
    } else if content_type.is_none() {
        BodyKind::Text
    } else {
        BodyKind::Other
    }
}

/// The absolute http(s) URL of the page's `<link rel="canonical" href>`,
/// resolved against `base`.
pub fn canonical_link(html: &str, base: &Url) -> Option<String> {
    let mut end = html.len().min(HEAD_WINDOW);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let head = &html[..end];
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<link") {
        let start = from + i;
        let stop = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &head[start..stop];
        let tag_lower = &lower[start..stop];
        from = stop;
        let rel = attr(tag, tag_lower, "rel");
        if !rel.is_some_and(|r| {
            r.split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case("canonical"))
        }) {
            continue;
        }
        let href = attr(tag, tag_lower, "href")?.replace("&amp;", "&");
        let url = base.join(href.trim()).ok()?;
        return matches!(url.scheme(), "http" | "https").then(|| url.to_string());
    }
    None
}

/// The value of attribute `name` in a tag (`tag_lower` is its lower-case
/// copy, same length).
fn attr<'a>(tag: &'a str, tag_lower: &str, name: &str) -> Option<&'a str> {
    let bytes = tag_lower.as_bytes();
    let mut from = 0;
    while let Some(i) = tag_lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at > 0 && bytes[at - 1].is_ascii_whitespace();
        let mut j = at + name.len();
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if !before_ok || bytes.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let quote = bytes.get(j).copied();
        let (vstart, vend) = match quote {
            Some(q @ (b'"' | b'\'')) => {
                let s = j + 1;
                let e = tag_lower[s..]
                    .find(q as char)
                    .map_or(bytes.len(), |e| s + e);
                (s, e)
            }
            _ => {
                let e = tag_lower[j..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '/')
                    .map_or(bytes.len(), |e| j + e);
                (j, e)
            }
        };
        return tag.get(vstart..vend);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("http://127.0.0.1:8000/tin/bai-1?utm=x").unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn canonical_absolute_and_relative() {
        let html = r#"<html><head><link rel="stylesheet" href="a.css"><LINK REL="canonical" HREF="/tin/bai-1.html"></head>"#;
        assert_eq!(
            canonical_link(html, &base()).as_deref(),
            Some("http://127.0.0.1:8000/tin/bai-1.html")
        );
        let html = r#"<link href='https://bao.example.vn/a?b=1&amp;c=2' rel='canonical'/>"#;
        assert_eq!(
            canonical_link(html, &base()).as_deref(),
            Some("https://bao.example.vn/a?b=1&c=2")
        );
        assert_eq!(canonical_link("<link rel=alternate href=x>", &base()), None);
        assert_eq!(
            canonical_link("<link rel=canonical href=javascript:x>", &base()),
            None
        );
    }

    #[test]
    fn kinds() {
        assert_eq!(
            body_kind(Some("text/html; charset=utf-8"), b""),
            BodyKind::Html
        );
        assert_eq!(body_kind(Some("application/rss+xml"), b""), BodyKind::Feed);
        assert_eq!(body_kind(Some("image/png"), b"\x89PNG"), BodyKind::Other);
        assert_eq!(
            body_kind(None, b"  <?xml version=\"1.0\"?><rss>"),
            BodyKind::Feed
        );
        assert_eq!(body_kind(None, b"<!DOCTYPE html><html>"), BodyKind::Html);
        assert_eq!(body_kind(None, "Sáng 30/3".as_bytes()), BodyKind::Text);
    }
}
