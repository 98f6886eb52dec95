//! Bodies to UTF-8: the charset comes from a byte-order mark, then the
//! `Content-Type` header, then (HTML) a `<meta charset>` or
//! `<meta http-equiv="Content-Type">` in the first 4 KiB; without any, the
//! body is taken as UTF-8 (vanban-text replaces invalid bytes). Labels are
//! the WHATWG Encoding Standard's (`encoding_rs`), so `windows-1258`,
//! `cp1258`, `iso-8859-1`, `utf-16le`, … are all known; any other label is
//! [`FetchError::UnknownCharset`].

use crate::error::FetchError;
use encoding_rs::Encoding;
use std::borrow::Cow;

/// How far into an HTML body a `<meta>` charset is looked for.
const META_WINDOW: usize = 4096;

/// The `charset` parameter of a `Content-Type` value.
pub fn content_type_charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\''))
    })
}

/// The charset a `<meta>` tag declares in the first 4 KiB of an HTML body.
pub fn meta_charset(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(META_WINDOW)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let mut rest = &tag[c + "charset".len()..];
            rest = trim_start(rest);
            if let Some(r) = rest.strip_prefix(b"=") {
                let r = trim_start(r);
                let r = r
                    .strip_prefix(b"\"")
                    .or_else(|| r.strip_prefix(b"'"))
                    .unwrap_or(r);
                let label: Vec<u8> = r
                    .iter()
                    .copied()
                    .take_while(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(b))
                    .collect();
                if !label.is_empty() {
                    return Some(String::from_utf8_lossy(&label).into_owned());
                }
            }
        }
        from = end;
    }
    None
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The body as UTF-8 bytes (borrowed when it already is UTF-8).
pub fn to_utf8<'a>(
    url: &str,
    body: &'a [u8],
    content_type: Option<&str>,
    html: bool,
) -> Result<Cow<'a, [u8]>, FetchError> {
    if let Some((encoding, bom)) = Encoding::for_bom(body) {
        return Ok(decode(encoding, &body[bom..]));
    }
    let declared = content_type
        .and_then(content_type_charset)
        .map(str::to_string)
        .or_else(|| if html { meta_charset(body) } else { None });
    let Some(label) = declared else {
        return Ok(Cow::Borrowed(body));
    };
    match Encoding::for_label(label.trim().as_bytes()) {
        Some(encoding) => Ok(decode(encoding, body)),
        None => Err(FetchError::UnknownCharset {
            url: url.to_string(),
            charset: label,
        }),
    }
}

fn decode<'a>(encoding: &'static Encoding, body: &'a [u8]) -> Cow<'a, [u8]> {
    if encoding == encoding_rs::UTF_8 {
        return Cow::Borrowed(body);
    }
    let (text, _had_errors) = encoding.decode_without_bom_handling(body);
    Cow::Owned(text.into_owned().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_parameter() {
        assert_eq!(
            content_type_charset("text/html; charset=windows-1258"),
            Some("windows-1258")
        );
        assert_eq!(
            content_type_charset("text/html;Charset=\"UTF-8\""),
            Some("UTF-8")
        );
        assert_eq!(content_type_charset("text/html"), None);
    }

    #[test]
    fn meta_tags() {
        assert_eq!(
            meta_charset(b"<html><head><meta charset=\"windows-1258\">").as_deref(),
            Some("windows-1258")
        );
        assert_eq!(
            meta_charset(
                b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=cp1258\">"
            )
            .as_deref(),
            Some("cp1258")
        );
        assert_eq!(meta_charset(b"<meta name=x><p>charset=x</p>"), None);
    }

    #[test]
    fn windows_1258_is_decoded() {
        // "Tỉnh ủy" in Windows-1258: base letters with a combining hook
        // above (0xD2); NFC (in vanban-text) composes them.
        let body = b"Ti\xD2nh u\xD2y";
        let out = to_utf8("u", body, Some("text/html; charset=windows-1258"), true)
            .map(Cow::into_owned)
            .unwrap_or_default();
        assert_eq!(String::from_utf8_lossy(&out), "Ti\u{309}nh u\u{309}y");
    }

    #[test]
    fn unknown_label_is_named() {
        let e = to_utf8(
            "http://x/",
            b"abc",
            Some("text/html; charset=x-klingon"),
            true,
        );
        assert!(
            matches!(e, Err(FetchError::UnknownCharset { charset, .. }) if charset == "x-klingon")
        );
    }

    #[test]
    fn utf8_is_borrowed_and_bom_wins() {
        let out = to_utf8("u", "Hà Nội".as_bytes(), None, true).ok();
        assert!(matches!(out, Some(Cow::Borrowed(_))));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Hà".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let out = to_utf8("u", &utf16, Some("text/html; charset=windows-1258"), true)
            .map(Cow::into_owned)
            .unwrap_or_default();
        assert_eq!(out, "Hà".as_bytes());
    }
}
