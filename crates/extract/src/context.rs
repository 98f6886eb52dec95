//! What every extractor reads: the matching view of the text, the
//! publication date, and sentence boundaries.

use chrono::NaiveDate;
use std::sync::OnceLock;

/// The demonstrative of self-references and pointers (`Quyết định này`).
pub const NAY: &str = " này";

/// The shared, read-only input of the extractors. All offsets are byte
/// offsets into [`Context::text`] (the matching view).
pub struct Context<'a> {
    /// The matching view: NFC, dashes `-`, quotes `"`, spaces ` `, canonical
    /// tone placement.
    pub text: &'a str,
    /// Publication date from the page header.
    pub published: Option<NaiveDate>,
    /// Publication year, known even when only year and month are given.
    pub published_year: Option<i32>,
    /// Where ` này` occurs (see [`Context::nay`]), found on first use.
    nay: OnceLock<Vec<usize>>,
}

/// Longest sentence the extractors look at around a position, in bytes.
/// Bounds the work per match so that extraction stays linear.
pub const MAX_SENTENCE: usize = 2048;

impl<'a> Context<'a> {
    pub fn new(text: &'a str, published: Option<NaiveDate>, published_year: Option<i32>) -> Self {
        Self {
            text,
            published,
            published_year: published_year
                .or_else(|| published.map(|d| chrono::Datelike::year(&d))),
            nay: OnceLock::new(),
        }
    }

    /// Every occurrence of ` này` (`Quyết định này`), in order: one search
    /// of the text for the documents' self-references and the relations'
    /// pointers both.
    pub fn nay(&self) -> &[usize] {
        static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
        let finder = FINDER.get_or_init(|| vietnamese_finder(NAY));
        self.nay
            .get_or_init(|| finder.find_iter(self.text.as_bytes()).collect())
    }

    /// The sentence around byte `pos`, as `[start, end)`: bounded by a line
    /// break, or by `.`, `!`, `?`, `;` followed by a space and an upper-case
    /// letter (so `TP. Hồ Chí Minh`, `TS. Nguyễn` stay inside), and never
    /// longer than [`MAX_SENTENCE`] on either side.
    pub fn sentence(&self, pos: usize) -> (usize, usize) {
        sentence_bounds(self.text, pos)
    }
}

/// A substring searcher for `needle` that expects Vietnamese text. memchr's
/// SIMD search looks for two bytes of the needle that it guesses are rare,
/// and its guess is made for English: there the bytes of `ị`, `ệ` or `à`
/// are rare, in Vietnamese they are everywhere, and nearly every position
/// becomes a candidate. The matches are the same whatever the guess.
pub fn vietnamese_finder(needle: &str) -> memchr::memmem::Finder<'static> {
    memchr::memmem::FinderBuilder::new()
        .build_forward_with_ranker(VietnameseRank, needle.as_bytes())
        .into_owned()
}

/// Rough byte frequencies of Vietnamese UTF-8 text (higher: more common).
struct VietnameseRank;

impl memchr::arch::all::packedpair::HeuristicFrequencyRank for VietnameseRank {
    fn rank(&self, b: u8) -> u8 {
        // a b c d e f g h i j k l m n o p q r s t u v w x y z
        const LOWER: [u8; 26] = [
            200, 150, 200, 150, 150, 10, 200, 220, 200, 10, 120, 170, 170, 230, 200, 140, 80, 130,
            150, 220, 200, 170, 10, 110, 150, 10,
        ];
        match b {
            b' ' => 255,
            b'a'..=b'z' => LOWER[usize::from(b - b'a')],
            b'A'..=b'Z' => 90,
            b'0'..=b'9' => 120,
            b'\n' => 150,
            b',' | b'.' => 160,
            // `Đ` (`C4 90`; `90` also ends the rare capital `Ố`).
            0x90 => 100,
            // Continuation bytes, and the lead bytes of Vietnamese letters.
            0x80..=0xBF => 210,
            0xC3 | 0xC4 | 0xC6 | 0xE1 => 235,
            0xC0..=0xFF => 60,
            _ => 40,
        }
    }
}

/// See [`Context::sentence`].
pub fn sentence_bounds(text: &str, pos: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let pos = pos.min(bytes.len());
    let lo = floor_char(text, pos.saturating_sub(MAX_SENTENCE));
    let hi = floor_char(text, (pos + MAX_SENTENCE).min(bytes.len()));
    let mut start = lo;
    let mut i = pos;
    while i > lo {
        let b = bytes[i - 1];
        if b == b'\n' || (is_terminator(b) && starts_sentence(text, i)) {
            start = i;
            break;
        }
        i -= 1;
    }
    let mut end = hi;
    let mut j = pos;
    while j < hi {
        let b = bytes[j];
        if b == b'\n' {
            end = j;
            break;
        }
        if is_terminator(b) && starts_sentence(text, j + 1) {
            end = j + 1;
            break;
        }
        j += 1;
    }
    // Skip leading spaces.
    while start < end && bytes[start] == b' ' {
        start += 1;
    }
    (start, end.max(start))
}

fn is_terminator(b: u8) -> bool {
    matches!(b, b'.' | b'!' | b'?' | b';')
}

/// True when `text[at..]` is a space followed by an upper-case letter that is
/// not the start of a known abbreviation context (the caller checked the
/// terminator).
fn starts_sentence(text: &str, at: usize) -> bool {
    let rest = match text.get(at..) {
        Some(r) => r,
        None => return false,
    };
    let mut chars = rest.chars();
    if chars.next() != Some(' ') {
        return rest.is_empty();
    }
    let Some(c) = chars.next() else { return true };
    if !c.is_uppercase() {
        return false;
    }
    // "TP. Hồ Chí Minh", "TS. Nguyễn Văn A", "PGS. TS. …", "Th.S …":
    // a terminator right after a short all-caps token is an abbreviation.
    let before = &text[..at.saturating_sub(1)];
    let token: &str = before.rsplit([' ', '\n', '(', ',']).next().unwrap_or("");
    let letters = token.chars().filter(|c| c.is_alphabetic()).count();
    !(letters > 0 && letters <= 4 && token.chars().all(|c| c.is_uppercase() || c == '.'))
}

/// The largest char boundary `<= i`.
pub fn floor_char(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary `>= i`.
pub fn ceil_char(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_finder_finds_what_str_finds() {
        let t = "Điều 1. Quyết định này có hiệu lực; ngày này, điều này. Lịch sử hiệu lực: \
                 Đảng ủy Khối này Điều 2 nhiều điều  này";
        for needle in [NAY, "Điều ", "Lịch sử hiệu lực:", "Đảng ", "này,", "x"] {
            let want: Vec<usize> = t.match_indices(needle).map(|(i, _)| i).collect();
            let got: Vec<usize> = vietnamese_finder(needle).find_iter(t.as_bytes()).collect();
            assert_eq!(got, want, "{needle:?}");
        }
        let ctx = Context::new(t, None, None);
        let want: Vec<usize> = t.match_indices(NAY).map(|(i, _)| i).collect();
        assert_eq!(ctx.nay(), &want[..]);
    }

    #[test]
    fn sentence_stops_at_full_stop_but_not_inside_abbreviations() {
        let t = "Hội nghị tại TP. Hồ Chí Minh. Sáng 30/3, Tỉnh ủy họp.";
        let (s, e) = sentence_bounds(t, 5);
        assert_eq!(&t[s..e], "Hội nghị tại TP. Hồ Chí Minh.");
        let p = t.find("Tỉnh").unwrap();
        let (s, e) = sentence_bounds(t, p);
        assert_eq!(&t[s..e], "Sáng 30/3, Tỉnh ủy họp.");
    }
}
