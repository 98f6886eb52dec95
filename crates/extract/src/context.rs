//! What every extractor reads: the matching view of the text, the
//! publication date, and sentence boundaries.

use chrono::NaiveDate;

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
        }
    }

    /// The sentence around byte `pos`, as `[start, end)`: bounded by a line
    /// break, or by `.`, `!`, `?`, `;` followed by a space and an upper-case
    /// letter (so `TP. Hồ Chí Minh`, `TS. Nguyễn` stay inside), and never
    /// longer than [`MAX_SENTENCE`] on either side.
    pub fn sentence(&self, pos: usize) -> (usize, usize) {
        sentence_bounds(self.text, pos)
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
    fn sentence_stops_at_full_stop_but_not_inside_abbreviations() {
        let t = "Hội nghị tại TP. Hồ Chí Minh. Sáng 30/3, Tỉnh ủy họp.";
        let (s, e) = sentence_bounds(t, 5);
        assert_eq!(&t[s..e], "Hội nghị tại TP. Hồ Chí Minh.");
        let p = t.find("Tỉnh").unwrap();
        let (s, e) = sentence_bounds(t, p);
        assert_eq!(&t[s..e], "Sáng 30/3, Tỉnh ủy họp.");
    }
}
