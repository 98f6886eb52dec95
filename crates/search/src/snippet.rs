//! Snippets: one short fragment of a text around the best match, the
//! matched syllables wrapped in `<mark>…</mark>` and everything else
//! HTML-escaped (hostile text like `<script>` comes out inert).
//!
//! The best fragment is the first longest run of consecutive matched
//! syllables; the scan stops as soon as a run covers every query word (or,
//! past [`GOOD_ENOUGH_AFTER`] bytes, two of them), and never looks further
//! than [`MAX_SCAN`] bytes into the text.

use crate::analyzer::{fold_into, Pieces};
use std::collections::HashSet;

/// How far into a text the snippet scan looks, in bytes.
pub const MAX_SCAN: usize = 64 * 1024;
/// Past this many bytes, a run of two or more query syllables is good
/// enough: the scan stops instead of looking for a run of every word (long
/// queries with common words rarely have one, and scanning 64 KB for each
/// of ten hits cost most of a search).
pub const GOOD_ENOUGH_AFTER: usize = 8 * 1024;
/// Bytes of context before the match.
const BEFORE: usize = 80;
/// Length of the fragment, in bytes.
const LENGTH: usize = 260;

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The snippet of `text` for the folded query words `terms`.
pub fn snippet(text: &str, terms: &HashSet<String>) -> String {
    let limit = floor_char(text, MAX_SCAN);
    let scan = &text[..limit];
    // A handful of terms: comparing lengths first beats hashing every word.
    let list: Vec<&str> = terms.iter().map(String::as_str).collect();
    let longest = list.iter().map(|t| t.len()).max().unwrap_or(0);
    let is_term = |w: &str| list.iter().any(|t| t.len() == w.len() && *t == w);
    let want = terms.iter().filter(|t| !t.contains(' ')).count().max(1);
    let mut buf = String::new();
    let mut marks: Vec<(usize, usize)> = Vec::new();
    let mut best: Option<(usize, usize)> = None; // (start, run length)
    let mut run = 0usize;
    let mut run_start = 0usize;
    let mut skip_until = 0usize;
    for p in Pieces::new(scan) {
        if p.start < skip_until {
            continue;
        }
        buf.clear();
        // Folding shortens a syllable at most 3 to 1 (`ệ`: 3 bytes → 1):
        // a piece 4 times longer than every query word is none of them
        // (only piles of combining marks fold shorter; they stay unmarked).
        let hit = p.end - p.start <= 4 * longest && {
            fold_into(&scan[p.start..p.end], &mut buf);
            is_term(&buf)
        };
        if p.whole {
            if hit {
                marks.push((p.start, p.end));
                skip_until = p.end;
                if run == 0 {
                    run_start = p.start;
                }
                run += 1;
                if best.is_none_or(|(_, r)| run > r) {
                    best = Some((run_start, run));
                }
            }
            continue;
        }
        if hit {
            if run == 0 || !p.joined {
                run = 0;
                run_start = p.start;
            }
            run += 1;
            marks.push((p.start, p.end));
            if best.is_none_or(|(_, r)| run > r) {
                best = Some((run_start, run));
            }
        } else {
            if best.is_some_and(|(_, r)| r >= want || (r >= 2 && p.start >= GOOD_ENOUGH_AFTER)) {
                break;
            }
            run = 0;
        }
    }
    let center = best.map_or(0, |(s, _)| s);
    let mut start = floor_char(text, center.saturating_sub(BEFORE));
    if start > 0 {
        // Begin at a word boundary.
        if let Some(i) = text[start..center].find(char::is_whitespace) {
            start += i + 1;
            start = floor_char(text, start);
            while !text.is_char_boundary(start) {
                start += 1;
            }
        }
    }
    let mut end = floor_char(text, start + LENGTH);
    if end < text.len() {
        if let Some(i) = text[start..end].rfind(char::is_whitespace) {
            if i > 0 {
                end = start + i;
            }
        }
    }
    // Marks inside the fragment, merged across white space.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for &(s, e) in marks.iter().filter(|(s, e)| *s >= start && *e <= end) {
        if let Some(last) = spans.last_mut() {
            if s >= last.1 && text[last.1..s].chars().all(char::is_whitespace) {
                last.1 = e;
                continue;
            }
        }
        spans.push((s, e));
    }
    let mut out = String::with_capacity(end - start + 32);
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for (s, e) in spans {
        if s < at {
            continue;
        }
        escape_into(&text[at..s], &mut out);
        out.push_str("<mark>");
        escape_into(&text[s..e], &mut out);
        out.push_str("</mark>");
        at = e;
    }
    escape_into(&text[at..end], &mut out);
    if end < text.len() {
        out.push('…');
    }
    out
}

/// HTML-escapes `s` into `out`, white space runs as one space.
pub fn escape_into(s: &str, out: &mut String) {
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(words: &[&str]) -> HashSet<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn marks_phrase_as_one() {
        let s = snippet(
            "Công tác bảo vệ chính trị nội bộ được chú trọng.",
            &set(&["bao", "ve"]),
        );
        assert_eq!(
            s,
            "Công tác <mark>bảo vệ</mark> chính trị nội bộ được chú trọng."
        );
    }

    #[test]
    fn escapes_hostile_text() {
        let s = snippet(
            "<script>alert('x')</script> bảo vệ & \"an ninh\"",
            &set(&["bao", "script"]),
        );
        assert!(!s.contains("<script>"), "{s}");
        assert!(s.contains("&lt;<mark>script</mark>&gt;"), "{s}");
        assert!(s.contains("&amp; &quot;an ninh&quot;"), "{s}");
    }

    #[test]
    fn long_text_window_and_ellipses() {
        let text = format!(
            "{} bảo vệ chính trị {}",
            "lời mở đầu ".repeat(50),
            "phần sau ".repeat(60)
        );
        let s = snippet(&text, &set(&["bao", "ve", "chinh", "tri"]));
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>bảo vệ chính trị</mark>"), "{s}");
    }

    #[test]
    fn stops_at_a_phrase_once_past_the_first_kilobytes() {
        let query = set(&["quyen", "va", "nghia", "vu", "cua", "cong", "dan"]);
        // Only single words in the first 8 KB, then a two-word phrase, then
        // the whole phrase much later: the two-word run is shown.
        let text = format!(
            "{} công việc {} quyền và nghĩa vụ {} quyền và nghĩa vụ của công dân.",
            "lời mở đầu dài ".repeat(600),
            "phần giữa ".repeat(200),
            "phần sau ".repeat(2000)
        );
        let s = snippet(&text, &query);
        assert!(s.contains("<mark>quyền và nghĩa vụ</mark> phần"), "{s}");
        // Within the first 8 KB, the scan goes on to the whole phrase.
        let text = format!(
            "quyền và nghĩa vụ {} quyền và nghĩa vụ của công dân.",
            "phần giữa ".repeat(200)
        );
        let s = snippet(&text, &query);
        assert!(
            s.contains("<mark>quyền và nghĩa vụ của công dân</mark>"),
            "{s}"
        );
    }

    #[test]
    fn whole_reference_marked() {
        let s = snippet(
            "theo Quy định 126-QĐ/TW của Bộ Chính trị",
            &set(&["126-qd/tw", "126", "qd", "tw"]),
        );
        assert!(s.contains("<mark>126-QĐ/TW</mark>"), "{s}");
    }
}
