//! Page chrome removal, as whole lines (domain notes §7, ANNOTATION.md
//! "Prepared text").
//!
//! Dropped:
//! - comment-form lines: a line that is only a marker such as "Ý kiến bạn
//!   đọc", "Gửi bình luận", "Bình luận (3)", "reset captcha", "Mã xác nhận",
//!   "Họ và tên", "Gửi ý kiến"; once such a line is seen in the last 30% of
//!   the lines, every line after it is chrome too;
//! - footer lines starting with "Giấy phép xuất bản số", "Giấy phép số",
//!   "Tổng Biên tập:", "Phó Tổng Biên tập", "Địa chỉ:", "Điện thoại:",
//!   "Email:", "E-mail:", "Fax:", "Bản quyền thuộc về", "® Ghi rõ nguồn",
//!   "Chịu trách nhiệm xuất bản", "©", "Copyright";
//! - repeated lines (photo captions, the title above a caption): the second
//!   and later copies of a line shorter than 300 bytes with at least five
//!   words, unless it looks structural (`Điều`, `Chương`, `Mục`, numbered or
//!   bulleted items);
//! - `# key = value` metadata lines at the top of a plain-text file;
//! - navigation lines: three or more short menu items separated by `|`, `·`
//!   or `›` (`Trang chủ | Chính trị | Xã hội | Đăng nhập`).
//!
//! Never dropped (outside a comment form's tail): a line that contains a document number (`126-QĐ/TW`,
//! `30/2020/NĐ-CP`, `281/QĐ-TTg`). Markers match case-insensitively.
//!
//! Speed: one `memchr` pass over line ends; per line a first-byte table
//! decides whether any marker can apply, and a constant-time hash of lines
//! under 300 bytes in an open-addressing set finds repeats.

use crate::offsets::OffsetMap;
use crate::published::ci_prefix;
use std::sync::OnceLock;

/// Comment-form markers (lower case): the whole line, give or take
/// non-letters after it.
const COMMENT_MARKERS: &[&str] = &[
    "ý kiến bạn đọc",
    "gửi bình luận",
    "bình luận",
    "bình luận của bạn",
    "viết bình luận",
    "reset captcha",
    "mã xác nhận",
    "nhập mã xác nhận",
    "họ và tên",
    "gửi ý kiến",
    "gửi ý kiến bạn đọc",
    "ý kiến của bạn",
];

/// Footer markers (lower case): the line starts with them. `true` when the
/// marker must be followed by `:` (after optional spaces).
const FOOTER_MARKERS: &[(&str, bool)] = &[
    ("giấy phép xuất bản số", false),
    ("giấy phép xuất bản", true),
    ("giấy phép số", false),
    ("giấy phép thiết lập", false),
    ("tổng biên tập", true),
    ("phó tổng biên tập", true),
    ("địa chỉ", true),
    ("điện thoại", true),
    ("email", true),
    ("e-mail", true),
    ("fax", true),
    ("bản quyền thuộc về", false),
    ("® ghi rõ nguồn", false),
    ("chịu trách nhiệm xuất bản", false),
    ("cơ quan chủ quản", true),
    ("đường dây nóng", true),
    ("©", false),
    ("copyright", false),
];

/// Short footer lines that may omit the colon ("Phó Tổng Biên tập Nguyễn
/// Văn A"): only these markers, only on lines up to this length.
const SHORT_FOOTER_MARKERS: &[&str] = &["tổng biên tập", "phó tổng biên tập"];
const SHORT_FOOTER_MAX: usize = 80;

/// Lines shorter than this (and with ≥ `DUP_MIN_WORDS` words) are dropped
/// when repeated.
const DUP_MAX_LEN: usize = 300;
const DUP_MIN_WORDS: usize = 5;

/// A hash of the whole line: four independent multiply-rotate lanes over
/// 32-byte blocks (no serial dependency between words), then the tail.
#[inline]
fn line_hash(b: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    #[inline(always)]
    fn rd(c: &[u8]) -> u64 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&c[..8]);
        u64::from_le_bytes(w)
    }
    #[inline(always)]
    fn step(h: u64, w: u64) -> u64 {
        (h ^ w).wrapping_mul(K).rotate_left(29)
    }
    let mut lanes = [(b.len() as u64).wrapping_mul(K), 1, 2, 3];
    let mut blocks = b.chunks_exact(32);
    for c in &mut blocks {
        lanes[0] = step(lanes[0], rd(&c[0..8]));
        lanes[1] = step(lanes[1], rd(&c[8..16]));
        lanes[2] = step(lanes[2], rd(&c[16..24]));
        lanes[3] = step(lanes[3], rd(&c[24..32]));
    }
    let mut h =
        lanes[0] ^ lanes[1].rotate_left(17) ^ lanes[2].rotate_left(31) ^ lanes[3].rotate_left(47);
    let rest = blocks.remainder();
    let mut words = rest.chunks_exact(8);
    for c in &mut words {
        h = step(h, rd(c));
    }
    let tail = words.remainder();
    if !tail.is_empty() {
        let mut w = 0u64;
        for (k, &c) in tail.iter().enumerate() {
            w |= (c as u64) << (8 * k);
        }
        h = step(h, w);
    }
    // Final avalanche (MurmurHash3 fmix64): the multiply only carries
    // upward, so without it lines that differ only near their end would share
    // their low (index) bits.
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// Longest probe sequence: past it a line counts as new and is not stored,
/// so crafted hash collisions cannot make the set quadratic.
const MAX_PROBE: usize = 512;

/// An open-addressing set of lines (linear probing, load ≤ 1/2). A slot is
/// eight bytes (the low half of the hash, and which line), so that the
/// table a text needs, zeroed once per text, stays small; the lines and
/// their full hashes are kept beside it in insertion order.
struct DupSet<'a> {
    /// `(low 32 bits of the hash, index + 1 in lines)`; `(_, 0)` is empty.
    slots: Vec<(u32, u32)>,
    lines: Vec<(u64, &'a str)>,
}

impl<'a> DupSet<'a> {
    fn with_capacity(n: usize) -> Self {
        let cap = (n * 2).next_power_of_two().max(64);
        DupSet {
            slots: vec![(0, 0); cap],
            lines: Vec::with_capacity(n),
        }
    }

    /// Inserts `line`; false when an equal line was already there.
    fn insert(&mut self, line: &'a str) -> bool {
        if (self.lines.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        // Past four billion lines a line counts as new and is not stored.
        let Ok(id) = u32::try_from(self.lines.len() + 1) else {
            return true;
        };
        let h = line_hash(line.as_bytes());
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        for _ in 0..MAX_PROBE {
            let (low, at) = self.slots[i];
            if at == 0 {
                self.slots[i] = (h as u32, id);
                self.lines.push((h, line));
                return true;
            }
            if low == h as u32 {
                if let Some(&(h2, other)) = self.lines.get(at as usize - 1) {
                    if h2 == h && other == line {
                        return false;
                    }
                }
            }
            i = (i + 1) & mask;
        }
        true
    }

    fn grow(&mut self) {
        self.slots = vec![(0, 0); self.slots.len() * 2];
        let mask = self.slots.len() - 1;
        for (k, &(h, _)) in self.lines.iter().enumerate() {
            let mut i = (h as usize) & mask;
            while self.slots[i].1 != 0 {
                i = (i + 1) & mask;
            }
            // k + 1 fits: every stored index did.
            self.slots[i] = (h as u32, (k + 1) as u32);
        }
    }
}

/// Trims ASCII spaces, tabs and `\r` (and NBSP) from both ends, reading
/// bytes (NBSP is `C2 A0`; `C2` is only ever a lead byte).
fn trim_line(s: &str) -> &str {
    let b = s.as_bytes();
    let mut a = 0;
    loop {
        match b.get(a) {
            Some(b' ' | b'\t' | b'\r') => a += 1,
            Some(0xC2) if b.get(a + 1) == Some(&0xA0) => a += 2,
            _ => break,
        }
    }
    let mut e = b.len();
    while e > a {
        match b[e - 1] {
            b' ' | b'\t' | b'\r' => e -= 1,
            0xA0 if e >= a + 2 && b[e - 2] == 0xC2 => e -= 2,
            _ => break,
        }
    }
    s.get(a..e).unwrap_or("")
}

/// True when `rest` (after a comment marker) holds no letters and is short.
fn only_decoration(rest: &str) -> bool {
    rest.len() <= 24 && !rest.chars().any(|c| c.is_alphabetic())
}

/// Which marker list an id points into.
#[derive(Clone, Copy)]
enum Marker {
    Comment(&'static str),
    Footer(&'static str, bool),
    ShortFooter(&'static str),
}

/// Byte-prefix prefilter: for each first byte, the first two characters of
/// every marker in lower case, Title case and UPPER case, so that most lines
/// are rejected with one table lookup and a few byte comparisons, and no
/// case conversion.
struct Prefilter {
    by_byte: Vec<Vec<(Vec<u8>, Marker, CaseChars)>>,
}

/// A marker's characters in lower and upper case, for a case-insensitive
/// prefix test without case conversion of the line.
#[derive(Clone)]
struct CaseChars {
    lower: Vec<char>,
    upper: Vec<char>,
}

impl CaseChars {
    fn new(m: &str) -> Self {
        CaseChars {
            lower: m.chars().collect(),
            upper: m
                .chars()
                .map(|c| c.to_uppercase().next().unwrap_or(c))
                .collect(),
        }
    }

    /// Byte length of the prefix of `line` that matches, if it does.
    #[inline]
    fn prefix(&self, line: &str) -> Option<usize> {
        let mut it = line.char_indices();
        for (l, u) in self.lower.iter().zip(&self.upper) {
            let (_, c) = it.next()?;
            if c != *l && c != *u {
                return None;
            }
        }
        Some(it.next().map(|(i, _)| i).unwrap_or(line.len()))
    }
}

fn prefilter() -> &'static Prefilter {
    static PF: OnceLock<Prefilter> = OnceLock::new();
    PF.get_or_init(|| {
        let mut by_byte: Vec<Vec<(Vec<u8>, Marker, CaseChars)>> = vec![Vec::new(); 256];
        let mut all: Vec<(&str, Marker)> = Vec::new();
        all.extend(COMMENT_MARKERS.iter().map(|&m| (m, Marker::Comment(m))));
        all.extend(
            FOOTER_MARKERS
                .iter()
                .map(|&(m, c)| (m, Marker::Footer(m, c))),
        );
        all.extend(
            SHORT_FOOTER_MARKERS
                .iter()
                .map(|&m| (m, Marker::ShortFooter(m))),
        );
        for (m, marker) in all {
            let mut chars = m.chars();
            let c0 = chars.next().unwrap_or(' ');
            let c1 = chars.next();
            let up = |c: char| c.to_uppercase().next().unwrap_or(c);
            let variants = [(c0, c1), (up(c0), c1), (up(c0), c1.map(up))];
            for (a, b) in variants {
                let mut p = String::new();
                p.push(a);
                if let Some(b) = b {
                    p.push(b);
                }
                let bytes = p.into_bytes();
                let slot = &mut by_byte[bytes[0] as usize];
                // Title and UPPER variants may coincide (one-letter start).
                let dup = slot.iter().any(|(q, m2, _)| {
                    *q == bytes && std::ptr::eq(marker_text(m2), marker_text(&marker))
                });
                if !dup {
                    slot.push((bytes, marker, CaseChars::new(m)));
                }
            }
        }
        Prefilter { by_byte }
    })
}

fn marker_text(m: &Marker) -> &'static str {
    match *m {
        Marker::Comment(t) | Marker::Footer(t, _) | Marker::ShortFooter(t) => t,
    }
}

/// What kind of chrome line `t` (trimmed) is: `Some(true)` a comment-form
/// marker, `Some(false)` a footer line, `None` neither.
fn classify_marker(t: &str) -> Option<bool> {
    let b = t.as_bytes();
    let slot = prefilter().by_byte.get(*b.first()? as usize)?;
    if slot.is_empty() {
        return None;
    }
    let mut footer = false;
    for (p, marker, cc) in slot {
        // Inline byte comparison: the prefixes are 2 to 4 bytes.
        if b.len() < p.len() || !p.iter().zip(b).all(|(x, y)| x == y) {
            continue;
        }
        match *marker {
            Marker::Comment(_) => {
                if cc.prefix(t).is_some_and(|n| only_decoration(&t[n..])) {
                    return Some(true);
                }
            }
            Marker::Footer(_, colon) => {
                if let Some(n) = cc.prefix(t) {
                    if !colon || t[n..].trim_start().starts_with(':') {
                        footer = true;
                    }
                }
            }
            Marker::ShortFooter(_) => {
                if t.len() <= SHORT_FOOTER_MAX && cc.prefix(t).is_some() {
                    footer = true;
                }
            }
        }
    }
    footer.then_some(false)
}

/// Longest navigation line (`Trang chủ | Chính trị | Xã hội | Đăng nhập`).
const NAV_MAX_LEN: usize = 240;

/// True when `t` is a navigation line: at least three short menu items (at
/// most four words and 40 bytes each, no sentence punctuation) separated by
/// `|`, `·` or `›`. A real title uses at most one such separator.
fn is_nav_line(t: &str) -> bool {
    let b = t.as_bytes();
    if b.len() > NAV_MAX_LEN {
        return false;
    }
    // A first or last item with a digit or sentence punctuation is no menu
    // item: most prose lines end with `.`, and are ruled out before the
    // search for separators.
    let no_item_end = |c: &u8| c.is_ascii_digit() || matches!(c, b'.' | b',' | b';' | b':');
    if b.first().is_some_and(no_item_end) || b.last().is_some_and(no_item_end) {
        return false;
    }
    // `|`, `·` (C2 B7), `›` (E2 80 BA): lead bytes rare in Vietnamese text
    // (unlike the continuation bytes B7 / BA), counted before any splitting.
    let separators = memchr::memchr3_iter(b'|', 0xC2, 0xE2, b)
        .filter(|&i| match b[i] {
            b'|' => true,
            0xC2 => b.get(i + 1) == Some(&0xB7),
            _ => b.get(i + 1..i + 3) == Some(&[0x80, 0xBA][..]),
        })
        .count();
    if separators < 2 {
        return false;
    }
    let mut items = 0;
    for item in t.split(['|', '·', '›']) {
        let item = item.trim();
        if item.is_empty()
            || item.len() > 40
            || item.split(' ').filter(|w| !w.is_empty()).count() > 4
            || item.contains(['.', ',', ';', ':'])
            || item.bytes().any(|c| c.is_ascii_digit())
        {
            return false;
        }
        items += 1;
    }
    items >= 3
}

/// `# key = value` (plain-text metadata).
fn is_meta_line(t: &str) -> bool {
    let Some(rest) = t.strip_prefix('#') else {
        return false;
    };
    let rest = rest.trim_start();
    let key_len = rest
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
        .count();
    key_len > 0 && rest[key_len..].trim_start().starts_with('=')
}

/// Lines of legal texts that legitimately repeat.
fn is_structural(t: &str) -> bool {
    let b = t.as_bytes();
    match b.first() {
        None => return true,
        Some(c) if c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'*' | b'(' | b'[' | b'>') => {
            return true
        }
        _ => {}
    }
    // "a) …", "b. …"
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && matches!(b[1], b')' | b'.') {
        return true;
    }
    const WORDS: &[&str] = &[
        "điều",
        "chương",
        "mục",
        "phần",
        "tiết",
        "khoản",
        "điểm",
        "phụ lục",
        "mẫu",
    ];
    WORDS
        .iter()
        .any(|w| ci_prefix(t, w).is_some_and(|n| t[n..].starts_with(' ')))
}

fn enough_words(t: &str) -> bool {
    // Spaces come every few bytes: a plain loop beats a SIMD search here.
    let mut spaces = 0;
    for &c in t.as_bytes() {
        if c == b' ' {
            spaces += 1;
            if spaces == DUP_MIN_WORDS - 1 {
                return true;
            }
        }
    }
    false
}

/// Party document types (`126-QĐ/TW`) and state types (`281/QĐ-TTg`).
const PARTY_TYPES: &[&str] = &[
    "NQ", "QĐ", "QĐi", "CT", "KL", "QC", "HD", "TB", "BC", "KH", "CTr", "CV", "BS", "TTr",
];
const STATE_TYPES: &[&str] = &[
    "QĐ", "NQ", "CT", "KH", "TB", "BC", "CV", "HD", "NĐ", "TT", "TTLT", "NQLT",
];

/// Skips spaces and one separator (`-`, `/`, or a dash); returns the index
/// after it and the separator (`-` for all dashes).
fn sep_at(s: &str, mut i: usize) -> Option<(usize, u8)> {
    let b = s.as_bytes();
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    let (sep, len) = match b.get(i)? {
        b'-' => (b'-', 1),
        b'/' => (b'/', 1),
        _ => {
            let c = s.get(i..)?.chars().next()?;
            if matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}') {
                (b'-', c.len_utf8())
            } else {
                return None;
            }
        }
    };
    i += len;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    Some((i, sep))
}

/// Reads an upper-case code (`QĐ`, `QĐi`, `CTr`, `NĐ`) at `i`.
fn code_at(s: &str, i: usize) -> &str {
    let rest = s.get(i..).unwrap_or("");
    let mut end = 0;
    for (k, c) in rest.char_indices() {
        let ok = c.is_ascii_uppercase() || c == 'Đ' || (k > 0 && matches!(c, 'i' | 'r' | 'g'));
        if !ok {
            break;
        }
        end = k + c.len_utf8();
    }
    &rest[..end]
}

/// True when the line contains a Party or state document number.
pub fn has_doc_number(line: &str) -> bool {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if let Some((k, sep)) = sep_at(line, j) {
            // state with year: NUMBER/YEAR/…
            let mut y = k;
            while y < b.len() && b[y].is_ascii_digit() {
                y += 1;
            }
            if sep == b'/' && y - k == 4 && b.get(y) == Some(&b'/') {
                let code = code_at(line, y + 1);
                if code.len() >= 2 {
                    return true;
                }
            }
            let code = code_at(line, k);
            if !code.is_empty() {
                if let Some((_, sep2)) = sep_at(line, k + code.len()) {
                    let party = sep == b'-' && sep2 == b'/' && PARTY_TYPES.contains(&code);
                    let state = sep == b'/' && sep2 == b'-' && STATE_TYPES.contains(&code);
                    if party || state {
                        return true;
                    }
                }
            }
        }
        i = j;
    }
    false
}

/// Removes chrome lines from `text`. `text_format` enables the plain-text
/// rules (metadata lines) and keeps runs of empty lines as written; for HTML
/// output runs of empty lines left by removed lines are collapsed. Returns
/// `None` when nothing was removed.
pub fn remove(text: &str, text_format: bool) -> Option<(String, OffsetMap)> {
    let b = text.as_bytes();
    // The line count is only needed once a comment-form marker is seen;
    // computed at most once (many marker lines must stay linear).
    let mut tail_from: Option<usize> = None;
    let mut tail_from = || {
        *tail_from.get_or_insert_with(|| {
            let newlines = memchr::memchr_iter(b'\n', b).count();
            let total = if b.last() == Some(&b'\n') {
                newlines
            } else {
                newlines + 1
            };
            total - total * 3 / 10
        })
    };
    let mut seen = DupSet::with_capacity((b.len() / 128).min(1 << 16));
    let mut ends = memchr::memchr_iter(b'\n', b);
    // Kept line ranges [start, end) including the '\n'; merged when adjacent.
    let mut kept: Vec<(usize, usize)> = Vec::new();
    let mut dropped_any = false;
    let mut at_top = true;
    let mut cut_rest = false;
    let mut last_kept_empty = true;
    let mut start = 0;
    let mut idx = 0;
    while start < b.len() {
        let nl = ends.next();
        let (line_end, next) = match nl {
            Some(e) => (e, e + 1),
            None => (b.len(), b.len()),
        };
        let line = &text[start..line_end];
        let t = trim_line(line);
        let mut drop;
        if cut_rest {
            drop = true;
        } else if t.is_empty() {
            drop = !text_format && last_kept_empty;
        } else {
            if text_format && at_top && is_meta_line(t) {
                drop = true;
            } else {
                at_top = false;
                match classify_marker(t) {
                    Some(true) => {
                        drop = true;
                        if idx >= tail_from() {
                            cut_rest = true;
                        }
                    }
                    Some(false) => drop = true,
                    None => drop = is_nav_line(t),
                }
                // Every short line goes into the set; the word count is only
                // checked for a repeat (rare).
                if !drop
                    && t.len() < DUP_MAX_LEN
                    && !seen.insert(t)
                    && enough_words(t)
                    && !is_structural(t)
                {
                    drop = true;
                }
            }
        }
        // A document number protects a line, except inside a comment form:
        // readers' comments are never content, whatever they cite.
        if drop && !cut_rest && !t.is_empty() && has_doc_number(t) {
            drop = false;
        }
        if drop {
            dropped_any = true;
        } else {
            match kept.last_mut() {
                Some(last) if last.1 == start => last.1 = next,
                _ => kept.push((start, next)),
            }
            last_kept_empty = t.is_empty();
        }
        idx += 1;
        start = next;
    }
    if !dropped_any {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut map = OffsetMap::new();
    map.set_input_len(text.len());
    for (s, e) in kept {
        map.push(out.len(), s);
        out.push_str(&text[s..e]);
    }
    if !text_format {
        while out.ends_with('\n') {
            out.pop();
        }
    }
    Some((out, map))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str, text_format: bool) -> String {
        remove(s, text_format)
            .map(|(t, _)| t)
            .unwrap_or_else(|| s.to_string())
    }

    #[test]
    fn trimmed_as_by_chars() {
        for line in [
            "",
            " ",
            "\u{A0}",
            " \u{A0}\tx\r\u{A0} ",
            "\u{A0}\u{A0}",
            "Hà Nội\u{A0}",
            "\u{A0}Hà Nội",
            "a\u{A0}b",
        ] {
            let want =
                line.trim_matches(|c: char| c == ' ' || c == '\t' || c == '\r' || c == '\u{A0}');
            assert_eq!(trim_line(line), want, "{line:?}");
        }
    }

    #[test]
    fn navigation_lines() {
        let s = "Trang chủ | Chính trị | Xã hội | Đăng nhập\nTrang chủ › Thời sự › Xây dựng Đảng\n\
                 Tin mới · Video · Ảnh\nHà Nam | Quán triệt Quy định 126\n\
                 Hà Nội · Thứ Năm 18/09/2025 · 9 giờ\nKinh tế | Xã hội | Quy định 126-QĐ/TW\n\
                 Sáng 5/6, Tỉnh ủy tổ chức hội nghị; đại biểu A | B | C phát biểu.\nNội dung bài.\n";
        assert_eq!(
            r(s, true),
            "Hà Nam | Quán triệt Quy định 126\nHà Nội · Thứ Năm 18/09/2025 · 9 giờ\n\
             Kinh tế | Xã hội | Quy định 126-QĐ/TW\n\
             Sáng 5/6, Tỉnh ủy tổ chức hội nghị; đại biểu A | B | C phát biểu.\nNội dung bài.\n"
        );
    }

    #[test]
    fn footer_lines() {
        let s = "Nội dung bài.\nGiấy phép xuất bản số 12/GP-BTTTT\nTổng Biên tập: Trần Văn Bút\nPhó Tổng Biên tập: Lê Thị Mực\n\
                 Địa chỉ: 1 phố Giấy, Hà Nội\nĐiện thoại: 024 000 000\nEmail: toasoan@example.vn\nE-mail: x@y.vn\nFax: 024 111\n\
                 Bản quyền thuộc về Báo Mẫu\n® Ghi rõ nguồn khi phát hành lại\nChịu trách nhiệm xuất bản: Ông Mẫu\nGiấy phép số 5/GP\n\
                 TỔNG BIÊN TẬP: NGUYỄN A\n";
        assert_eq!(r(s, true), "Nội dung bài.\n");
    }

    #[test]
    fn footer_words_in_prose_kept() {
        let s = "Địa chỉ của trụ sở mới được công bố hôm qua.\nTổng Biên tập Báo Mẫu Nguyễn Văn A cho biết, tòa soạn sẽ tiếp tục đổi mới nội dung và hình thức.\n";
        assert_eq!(r(s, true), s);
    }

    #[test]
    fn comment_form_cuts_tail() {
        let mut s = String::new();
        for i in 0..10 {
            s.push_str(&format!("Câu nội dung số {i} của bài viết.\n"));
        }
        s.push_str(
            "Ý kiến bạn đọc\nHọ và tên\nNội dung bình luận của một bạn đọc bất kỳ\nGửi bình luận\n",
        );
        let out = r(&s, true);
        assert!(out.ends_with("Câu nội dung số 9 của bài viết.\n"), "{out}");
    }

    #[test]
    fn comment_tail_drops_cited_numbers_too() {
        let body = "Dòng nội dung thứ nhất của bài.\n".repeat(8);
        let text = format!("{body}Ý kiến bạn đọc\nAn: theo Quyết định 999-QĐ/TW\nGửi bình luận\n");
        let out = r(&text, true);
        assert!(!out.contains("999-QĐ/TW"), "{out}");
        assert!(out.contains("thứ nhất"));
    }

    #[test]
    fn comment_marker_early_drops_only_line() {
        let s = "Bình luận\nCâu một.\nCâu hai.\nCâu ba.\nCâu bốn.\n";
        assert_eq!(r(s, true), "Câu một.\nCâu hai.\nCâu ba.\nCâu bốn.\n");
        let s = "Bình luận về chính sách mới, ông A nói rõ.\n";
        assert_eq!(r(s, true), s);
        let s = "reset captcha\nMã xác nhận:\nGửi ý kiến\nBình luận (12)\nX\n";
        assert_eq!(r(s, true), "X\n");
    }

    #[test]
    fn repeated_caption() {
        let s =
            "Ảnh minh họa cho hội nghị của tỉnh\nNội dung.\nẢnh minh họa cho hội nghị của tỉnh\n";
        assert_eq!(
            r(s, true),
            "Ảnh minh họa cho hội nghị của tỉnh\nNội dung.\n"
        );
        let s = "Chương I\nNHỮNG QUY ĐỊNH CHUNG\nChương I\n";
        assert_eq!(r(s, true), s);
        let s = "Mục 1. NHỮNG QUY ĐỊNH CHUNG VỀ X\nMục 1. NHỮNG QUY ĐỊNH CHUNG VỀ X\n";
        assert_eq!(r(s, true), s);
    }

    #[test]
    fn doc_numbers_protected() {
        // A footer-like line that cites a document stays…
        let s = "Một.\nĐịa chỉ: theo Quy định 126-QĐ/TW của Bộ Chính trị\nHai.\n";
        assert_eq!(r(s, true), s);
        // …but nothing under a comment form does.
        let s = "Một.\nHai.\nBa.\nBốn.\nNăm.\nSáu.\nBảy.\nÝ kiến bạn đọc\nTheo Quy định 126-QĐ/TW của Bộ Chính trị\nrác\n";
        assert_eq!(r(s, true), "Một.\nHai.\nBa.\nBốn.\nNăm.\nSáu.\nBảy.\n");
        assert!(has_doc_number("số 126-QĐ/TW"));
        assert!(has_doc_number("30/2020/NĐ-CP"));
        assert!(has_doc_number("281/QĐ-TTg"));
        assert!(has_doc_number("126 - QĐ/ TW"));
        assert!(has_doc_number("08-QĐi/TW"));
        assert!(!has_doc_number("Giấy phép số 123/GP-BTTTT"));
        assert!(!has_doc_number("ngày 28/02/2018"));
        assert!(!has_doc_number("024 000 000"));
    }

    #[test]
    fn metadata_at_top() {
        let s = "# doc_id = x\n# url = https://a\n# date = 20201001\nNội dung\n# not = meta\n";
        assert_eq!(r(s, true), "Nội dung\n# not = meta\n");
        assert_eq!(r(s, false), s);
    }

    #[test]
    fn html_mode_collapses_empty_lines() {
        let s = "A\n\nGửi bình luận\n\nB";
        assert_eq!(r(s, false), "A\n\nB");
    }

    #[test]
    fn many_marker_lines_stay_linear() {
        let s = "Bình luận\n".repeat(200_000);
        let t = std::time::Instant::now();
        assert_eq!(r(&s, true), "");
        assert!(t.elapsed().as_secs() < 5);
    }

    #[test]
    fn dup_set() {
        let lines: Vec<String> = (0..5000)
            .map(|i| format!("dòng số {i} có đủ năm chữ"))
            .collect();
        let mut set = DupSet::with_capacity(4);
        for l in &lines {
            assert!(set.insert(l));
        }
        for l in &lines {
            assert!(!set.insert(l));
        }
        assert!(set.insert("ngắn"));
        assert!(!set.insert("ngắn"));
        assert!(set.insert(""));
        // Grows and still finds everything.
        let more: Vec<String> = (0..100_000).map(|i| format!("{i:0>40}")).collect();
        let mut set = DupSet::with_capacity(1);
        for l in &more {
            assert!(set.insert(l));
        }
        assert!(more.iter().all(|l| !set.insert(l)));
    }

    #[test]
    fn nothing_to_do() {
        assert!(remove("Một dòng.\nHai dòng.", true).is_none());
        assert!(remove("", true).is_none());
    }
}
