//! Whatever a server sends, the parsers answer without panicking.

use proptest::prelude::*;
use vanban_fetch::schedule::{parse_interval, parse_retry_after};
use vanban_fetch::{body_kind, canonical_link, meta_charset, parse_feed, parse_url, to_utf8};

fn htmlish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("<meta charset=".to_string()),
            Just("<link rel=canonical href=".to_string()),
            Just("<LINK REL='canonical' HREF='".to_string()),
            Just("\"".to_string()),
            Just(">".to_string()),
            Just("windows-1258".to_string()),
            Just("Tỉnh ủy ".to_string()),
            "\\PC{0,8}",
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn pages(html in htmlish(), bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let base = parse_url("http://127.0.0.1:8000/a/b?c").expect("a valid base");
        let _ = canonical_link(&html, &base);
        let _ = meta_charset(html.as_bytes());
        let _ = meta_charset(&bytes);
        let _ = body_kind(Some(&html), &bytes);
        let _ = body_kind(None, &bytes);
        let _ = to_utf8("u", &bytes, Some(&html), true);
        let _ = to_utf8("u", html.as_bytes(), None, true);
    }

    #[test]
    fn feeds(bytes in proptest::collection::vec(any::<u8>(), 0..512), text in htmlish()) {
        let _ = parse_feed("http://127.0.0.1/feed.xml", &bytes);
        let xml = format!("<rss version=\"2.0\"><channel><item><link>{text}</link><pubDate>{text}</pubDate></item></channel></rss>");
        let _ = parse_feed("http://127.0.0.1/feed.xml", xml.as_bytes());
    }

    #[test]
    fn settings(text in "\\PC{0,16}", now in any::<f64>()) {
        let _ = parse_interval(&text);
        let _ = parse_retry_after(&text, now);
        let _ = parse_url(&text);
    }
}
