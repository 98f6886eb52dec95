//! Decoding input bytes as UTF-8: a leading byte-order mark is dropped and
//! invalid sequences become U+FFFD (never a panic). Valid input is borrowed,
//! not copied.

use crate::offsets::OffsetMap;
use std::borrow::Cow;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes `bytes`; the map goes from the decoded text to `bytes`.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, OffsetMap) {
    let (body, base) = match bytes.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (bytes, 0),
    };
    let mut map = OffsetMap::new();
    map.set_input_len(bytes.len());
    // SIMD validation first: almost all input is valid UTF-8.
    match simdutf8::basic::from_utf8(body) {
        Ok(s) => {
            map.push(0, base);
            (Cow::Borrowed(s), map)
        }
        Err(_) => {
            let mut out = String::with_capacity(body.len() + 16);
            let mut pos = 0usize;
            for chunk in body.utf8_chunks() {
                let valid = chunk.valid();
                map.push(out.len(), base + pos);
                out.push_str(valid);
                pos += valid.len();
                let invalid = chunk.invalid();
                if !invalid.is_empty() {
                    map.push(out.len(), base + pos);
                    out.push('\u{FFFD}');
                    pos += invalid.len();
                    map.push(out.len(), base + pos);
                }
            }
            (Cow::Owned(out), map)
        }
    }
}

/// [`decode`] for input already known to be valid UTF-8: the same result,
/// without validating it again.
pub fn decode_valid(text: &str) -> (&str, OffsetMap) {
    let (body, base) = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => (rest, BOM.len()),
        None => (text, 0),
    };
    let mut map = OffsetMap::new();
    map.set_input_len(text.len());
    map.push(0, base);
    (body, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_is_borrowed() {
        let (s, m) = decode("Hà Nội".as_bytes());
        assert!(matches!(s, Cow::Borrowed(_)));
        assert_eq!(s, "Hà Nội");
        assert!(m.is_identity());
    }

    #[test]
    fn bom_dropped() {
        let (s, m) = decode(b"\xEF\xBB\xBFabc");
        assert_eq!(s, "abc");
        assert_eq!(m.map(0), 3);
        assert_eq!(m.map(3), 6);
    }

    #[test]
    fn invalid_replaced() {
        let (s, m) = decode(b"a\xFFb\xE1\xBAc");
        assert_eq!(s, "a\u{FFFD}b\u{FFFD}c");
        assert_eq!(m.map(1), 1);
        assert_eq!(m.map(4), 2); // 'b'
        assert_eq!(m.map(5), 3); // second replacement
        assert_eq!(m.map(8), 5); // 'c'
    }

    #[test]
    fn valid_input_decodes_the_same_either_way() {
        for input in ["", "\u{FEFF}", "\u{FEFF}Hà Nội", "Hà Nội\u{FEFF}", "abc"] {
            let (a, ma) = decode(input.as_bytes());
            let (b, mb) = decode_valid(input);
            assert_eq!(a, b);
            for o in 0..=b.len() {
                assert_eq!(ma.map(o), mb.map(o), "{input:?} at {o}");
            }
        }
    }

    #[test]
    fn only_bom() {
        let (s, _) = decode(b"\xEF\xBB\xBF");
        assert_eq!(s, "");
    }
}
