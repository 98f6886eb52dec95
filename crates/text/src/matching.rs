//! The matching view: a normalised copy of the prepared text that extractors
//! match against, with a sparse map back to the prepared text.
//!
//! Normalisation (one character in, at most one character out):
//! - dashes U+2010–U+2015, U+2212, U+FE58, U+FE63, U+FF0D → `-`;
//! - double quotes “ ” „ ‟ « » ″ → `"`; single quotes ‘ ’ ‚ ‛ ′ → `'`;
//! - NBSP, U+2000–U+200A, U+202F, U+205F, U+3000 and tab → space;
//! - zero-width characters (U+200B–U+200F, U+2060, U+FEFF) and the soft
//!   hyphen U+00AD are removed;
//! - one canonical tone placement ("old style"): `oà oá oả oã oạ`,
//!   `oè oé oẻ oẽ oẹ`, `uỳ uý uỷ uỹ uỵ` at the end of a syllable (the next
//!   character is not a letter) and not after `q` put the tone on the first
//!   vowel: `hoà` → `hòa`, `thuỷ` → `thủy`, `HOÀ` → `HÒA`, `Uỷ` → `Ủy`.
//!
//! Fast path: the special characters are found with `memchr` on their lead
//! bytes and the tone pairs with one Aho-Corasick (SIMD) search; when there
//! is nothing to change the view borrows the text and the map is the
//! identity. The view is never longer than the text.

use crate::offsets::OffsetMap;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::borrow::Cow;
use std::sync::OnceLock;

/// What happens to one character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Keep,
    To(char),
    Remove,
}

/// The replacement for a non-ASCII (or tab) character, if any.
#[inline]
fn special(c: char) -> Action {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            Action::To('-')
        }
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' => Action::To('"'),
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => Action::To('\''),
        '\t' | '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            Action::To(' ')
        }
        '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => Action::Remove,
        _ => Action::Keep,
    }
}

/// Second vowels of a tone pair, lower case, by tone (grave, acute, hook,
/// tilde, dot below).
const A_TONES: [char; 5] = ['à', 'á', 'ả', 'ã', 'ạ'];
const E_TONES: [char; 5] = ['è', 'é', 'ẻ', 'ẽ', 'ẹ'];
const Y_TONES: [char; 5] = ['ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'];
const O_TONES: [char; 5] = ['ò', 'ó', 'ỏ', 'õ', 'ọ'];
const U_TONES: [char; 5] = ['ù', 'ú', 'ủ', 'ũ', 'ụ'];

fn upper(c: char) -> char {
    c.to_uppercase().next().unwrap_or(c)
}

/// One tone-pair pattern: its bytes and the two replacement chars.
struct TonePair {
    first: char,
    second: char,
}

fn tone_pairs() -> &'static (Option<AhoCorasick>, Vec<TonePair>) {
    static PAIRS: OnceLock<(Option<AhoCorasick>, Vec<TonePair>)> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let mut patterns: Vec<String> = Vec::new();
        let mut repl = Vec::new();
        let groups: [(char, &[char; 5], &[char; 5], char); 3] = [
            ('o', &A_TONES, &O_TONES, 'a'),
            ('o', &E_TONES, &O_TONES, 'e'),
            ('u', &Y_TONES, &U_TONES, 'y'),
        ];
        for (v1, seconds, firsts, base) in groups {
            for t in 0..5 {
                for up1 in [false, true] {
                    for up2 in [false, true] {
                        let a = if up1 { upper(v1) } else { v1 };
                        let b = if up2 { upper(seconds[t]) } else { seconds[t] };
                        patterns.push(format!("{a}{b}"));
                        let s = if up2 { upper(base) } else { base };
                        repl.push(TonePair {
                            first: firsts[t],
                            second: s,
                        });
                    }
                }
            }
        }
        // The patterns are fixed and valid; a failure here would be a bug in
        // this table, and then tone canonicalisation is simply skipped.
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&patterns)
            .ok();
        (ac, repl)
    })
}

/// One change: replace `text[start..end]` by `repl` (empty = removal).
#[derive(Clone, Copy, Debug)]
struct Edit {
    start: usize,
    end: usize,
    repl: Option<char>,
}

fn is_letter_at(s: &str, i: usize) -> bool {
    match s.get(i..).and_then(|r| r.chars().next()) {
        Some(c) if c.is_ascii() => c.is_ascii_alphabetic(),
        Some(c) => c.is_alphabetic(),
        None => false,
    }
}

fn special_edits(s: &str) -> Vec<Edit> {
    let b = s.as_bytes();
    let mut specials = Vec::new();
    let push_special = |specials: &mut Vec<Edit>, i: usize| {
        if let Some(c) = s.get(i..).and_then(|r| r.chars().next()) {
            match special(c) {
                Action::Keep => {}
                Action::To(r) => specials.push(Edit {
                    start: i,
                    end: i + c.len_utf8(),
                    repl: Some(r),
                }),
                Action::Remove => specials.push(Edit {
                    start: i,
                    end: i + c.len_utf8(),
                    repl: None,
                }),
            }
        }
    };
    for i in memchr::memchr3_iter(0xC2, 0xE2, 0xEF, b) {
        push_special(&mut specials, i);
    }
    let before = specials.len();
    for i in memchr::memchr2_iter(b'\t', 0xE3, b) {
        push_special(&mut specials, i);
    }
    if specials.len() > before {
        specials.sort_by_key(|e| e.start);
    }
    specials
}

fn tone_edits(s: &str) -> Vec<Edit> {
    let b = s.as_bytes();
    let (ac, repl) = tone_pairs();
    let mut tones = Vec::new();
    let matches = ac.iter().flat_map(|ac| ac.find_iter(b));
    for m in matches {
        let (st, en) = (m.start(), m.end());
        if st > 0 && matches!(b[st - 1], b'q' | b'Q') {
            continue;
        }
        if is_letter_at(s, en) {
            continue;
        }
        let Some(p) = repl.get(m.pattern().as_usize()) else {
            continue;
        };
        let first_len = if b[st].is_ascii() { 1 } else { continue };
        let first = if b[st].is_ascii_uppercase() {
            upper(p.first)
        } else {
            p.first
        };
        tones.push(Edit {
            start: st,
            end: st + first_len,
            repl: Some(first),
        });
        tones.push(Edit {
            start: st + first_len,
            end: en,
            repl: Some(p.second),
        });
    }
    tones
}

/// Applies sorted, non-overlapping edits.
fn apply(s: &str, edits: Vec<Edit>) -> (String, OffsetMap) {
    let mut out = String::with_capacity(s.len());
    let mut map = OffsetMap::new();
    map.set_input_len(s.len());
    let mut copied = 0;
    for e in edits {
        if e.start < copied {
            continue; // overlapping edits cannot happen; be safe anyway
        }
        out.push_str(&s[copied..e.start]);
        match e.repl {
            Some(c) => {
                map.push(out.len(), e.start);
                out.push(c);
                map.push(out.len(), e.end);
            }
            None => {
                map.push_exact(out.len(), e.start);
                map.push(out.len(), e.end);
            }
        }
        copied = e.end;
    }
    out.push_str(&s[copied..]);
    (out, map)
}

/// Builds the view text and its maps (applied last first), or `None` when
/// the view is the text. Special characters are replaced first and tone
/// pairs are found in the result, so that a pair split by a removed
/// zero-width character is seen as it will read (idempotence).
pub(crate) fn build_staged(s: &str) -> Option<(String, Vec<OffsetMap>)> {
    let specials = special_edits(s);
    if specials.is_empty() {
        let tones = tone_edits(s);
        if tones.is_empty() {
            return None;
        }
        let (t, m) = apply(s, tones);
        return Some((t, vec![m]));
    }
    let (t1, m1) = apply(s, specials);
    let tones = tone_edits(&t1);
    if tones.is_empty() {
        return Some((t1, vec![m1]));
    }
    let (t2, m2) = apply(&t1, tones);
    Some((t2, vec![m1, m2]))
}

/// Like [`build_staged`] with the maps composed into one function.
#[cfg(test)]
fn build(s: &str) -> Option<(String, ComposedMap)> {
    build_staged(s).map(|(t, maps)| (t, ComposedMap(maps)))
}

/// Several maps applied last first.
#[derive(Debug, Clone, Default)]
pub(crate) struct ComposedMap(pub(crate) Vec<OffsetMap>);

impl ComposedMap {
    pub(crate) fn map(&self, o: usize) -> usize {
        self.0.iter().rev().fold(o, |o, m| m.map(o))
    }
    pub(crate) fn is_identity(&self) -> bool {
        self.0.iter().all(OffsetMap::is_identity)
    }
}

/// The normalised form of `s` used for matching (see the module doc).
/// Borrowed when nothing changes. Useful to normalise keys (names, kind
/// words) the same way as the text.
pub fn normalize_for_matching(s: &str) -> Cow<'_, str> {
    match build_staged(s) {
        Some((t, _)) => Cow::Owned(t),
        None => Cow::Borrowed(s),
    }
}

/// Owned data of a matching view (cached inside `Prepared`).
#[derive(Debug, Clone, Default)]
pub(crate) struct ViewData {
    pub(crate) text: Option<String>,
    pub(crate) map: ComposedMap,
}

impl ViewData {
    pub(crate) fn new(s: &str) -> Self {
        match build_staged(s) {
            Some((t, m)) => ViewData {
                text: Some(t),
                map: ComposedMap(m),
            },
            None => ViewData::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize_for_matching(s).into_owned()
    }

    #[test]
    fn tones() {
        assert_eq!(n("hoà bình"), "hòa bình");
        assert_eq!(n("văn hoá."), "văn hóa.");
        assert_eq!(n("thuỷ lợi"), "thủy lợi");
        assert_eq!(n("Uỷ ban"), "Ủy ban");
        assert_eq!(n("uỷ viên"), "ủy viên");
        assert_eq!(n("sức khoẻ"), "sức khỏe");
        assert_eq!(n("HOÀ"), "HÒA");
        assert_eq!(n("UỶ BAN"), "ỦY BAN");
        assert_eq!(n("Thanh Hoá, Khánh Hoà"), "Thanh Hóa, Khánh Hòa");
        assert_eq!(n("oẽ uỳ"), "õe ùy");
    }

    #[test]
    fn tones_left_alone() {
        for s in [
            "quý",
            "hoàn thành",
            "khuỷu tay",
            "Quỳnh",
            "toàn",
            "hòa",
            "hóa",
            "thủy",
            "ủy",
        ] {
            assert_eq!(n(s), s);
            assert!(matches!(normalize_for_matching(s), Cow::Borrowed(_)), "{s}");
        }
    }

    #[test]
    fn punctuation() {
        assert_eq!(n("126–QĐ/TW"), "126-QĐ/TW");
        assert_eq!(n("a—b‐c−d"), "a-b-c-d");
        assert_eq!(n("“Một” «hai» ‘ba’"), "\"Một\" \"hai\" 'ba'");
        assert_eq!(n("a\u{00A0}b\tc\u{3000}d\u{202F}e"), "a b c d e");
        assert_eq!(n("Quy\u{200B}định\u{00AD}x\u{FEFF}"), "Quyđịnhx");
        assert_eq!(n("…"), "…");
    }

    #[test]
    fn offsets() {
        let s = "Nghị quyết “số” 18–NQ/TW hoà";
        let (v, m) = build(s).expect("changes");
        assert_eq!(v, "Nghị quyết \"số\" 18-NQ/TW hòa");
        let q = v.find('"').unwrap_or(0);
        assert_eq!(m.map(q), s.find('“').unwrap_or(0));
        assert_eq!(m.map(q + 1), s.find('“').unwrap_or(0) + '“'.len_utf8());
        let d = v.find('-').unwrap_or(0);
        assert_eq!(&s[m.map(d)..m.map(d + 1)], "–");
        assert_eq!(m.map(v.len()), s.len());
        let h = v.find("hòa").unwrap_or(0);
        assert_eq!(&s[m.map(h)..m.map(v.len())], "hoà");
    }

    #[test]
    fn pair_split_by_zero_width() {
        assert_eq!(n("ho\u{200B}à"), "hòa");
        assert_eq!(n(&n("ho\u{200B}à")), "hòa");
    }

    #[test]
    fn removal_offsets() {
        let s = "ab\u{200B}cd";
        let (v, m) = build(s).expect("changes");
        assert_eq!(v, "abcd");
        assert_eq!(m.map(2), 2);
        assert_eq!(m.map(3), 6);
        assert_eq!(m.map(4), 7);
    }
}
