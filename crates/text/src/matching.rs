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
//! - a line break that only wraps a sentence (a hard-wrapped document:
//!   `… của Nghị định số` / `135/2004/NĐ-CP`, `và thay` / `thế`) → space
//!   (see `soft_wraps`: headings, paragraphs and lines that open with a
//!   capital stay apart).
//!
//! Fast path: one SIMD pass (AVX2 when the CPU has it, else SSE2, else a
//! scalar loop) finds the lead bytes of the special characters and the tone
//! pairs at a syllable end; when there is nothing to change the view
//! borrows the text and the map is the
//! identity. The view is never longer than the text.

use crate::offsets::OffsetMap;
use std::borrow::Cow;

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

/// For a toned second vowel: (tone index, is upper case, base letter).
fn second_vowel(c: char, first_is_o: bool) -> Option<(usize, bool, char)> {
    let sets: &[(&[char; 5], char)] = if first_is_o {
        &[(&A_TONES, 'a'), (&E_TONES, 'e')]
    } else {
        &[(&Y_TONES, 'y')]
    };
    for (set, base) in sets {
        for (t, &v) in set.iter().enumerate() {
            if c == v {
                return Some((t, false, *base));
            }
            if c == upper(v) {
                return Some((t, true, *base));
            }
        }
    }
    None
}

/// Branch-free test of the 5-byte window at `k`: could `o`/`u` + a toned
/// vowel (`à á ã è é ý` in `C3 xx`, `ả ạ ẻ ẽ ẹ` in `E1 BA xx`, `ỳ ỷ ỹ ỵ` in
/// `E1 BB xx`, either case) not followed by an ASCII letter start here?
/// (`hoàn`, `hoạt`, `khoản` are rejected here, in the SIMD filter.)
#[inline(always)]
fn tone_window(x: u8, y: u8, z: u8, w: u8, u: u8) -> bool {
    let v = x | 0x20;
    let ou = (v == b'o') | (v == b'u');
    let zz = z & 0xDF;
    let c3 = (y == 0xC3)
        & ((zz == 0x80) | (zz == 0x81) | (zz == 0x83) | (zz == 0x88) | (zz == 0x89) | (zz == 0x9D))
        & !ascii_letter(w);
    let ba = (z == 0xBA) & ((w.wrapping_sub(0xA0) < 4) | (w.wrapping_sub(0xB8) < 6));
    let bb = (z == 0xBB) & (w.wrapping_sub(0xB2) < 8);
    ou & (c3 | ((y == 0xE1) & (ba | bb) & !ascii_letter(u)))
}

/// `c` is an ASCII letter (branch-free).
#[inline(always)]
fn ascii_letter(c: u8) -> bool {
    (c | 0x20).wrapping_sub(b'a') < 26
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

/// Appends the edit for a special character starting at `i`, if any.
fn special_at(s: &str, i: usize, out: &mut Vec<Edit>) {
    if let Some(c) = s.get(i..).and_then(|r| r.chars().next()) {
        let end = i + c.len_utf8();
        match special(c) {
            Action::Keep => {}
            Action::To(r) => out.push(Edit {
                start: i,
                end,
                repl: Some(r),
            }),
            Action::Remove => out.push(Edit {
                start: i,
                end,
                repl: None,
            }),
        }
    }
}

/// Lead bytes of the special characters (tab, `C2` NBSP/soft hyphen/«»,
/// `E2` general punctuation, `E3` ideographic space, `EF` BOM/small and
/// full-width dashes).
#[inline(always)]
fn special_lead(x: u8) -> bool {
    (x == b'\t') | (x == 0xC2) | (x == 0xE2) | (x == 0xE3) | (x == 0xEF)
}

/// Checks a candidate tone pair at `k` and appends its two edits.
fn tone_at(s: &str, k: usize, out: &mut Vec<Edit>) {
    let b = s.as_bytes();
    let x = b[k];
    let first_is_o = x | 0x20 == b'o';
    if k > 0 && matches!(b[k - 1], b'q' | b'Q') {
        return;
    }
    // Most candidates are inside a syllable (`hoàn`, `hoạt`): reject them on
    // the byte after the second vowel before decoding anything.
    let len2 = if b.get(k + 1) == Some(&0xC3) { 2 } else { 3 };
    if b.get(k + 1 + len2).is_some_and(|c| c.is_ascii_alphabetic()) {
        return;
    }
    let Some(c2) = s.get(k + 1..).and_then(|r| r.chars().next()) else {
        return;
    };
    let Some((t, second_upper, base)) = second_vowel(c2, first_is_o) else {
        return;
    };
    let end = k + 1 + c2.len_utf8();
    if is_letter_at(s, end) {
        return;
    }
    let first = if first_is_o { O_TONES[t] } else { U_TONES[t] };
    let first = if x.is_ascii_uppercase() {
        upper(first)
    } else {
        first
    };
    let second = if second_upper { upper(base) } else { base };
    out.push(Edit {
        start: k,
        end: k + 1,
        repl: Some(first),
    });
    out.push(Edit {
        start: k + 1,
        end,
        repl: Some(second),
    });
}

/// Calls `f` with every `k` (from 0) where [`tone_window`] holds (and,
/// when `specials`, `on_special` where [`special_lead`] holds), using
/// SSE2 (x86-64 baseline) 16 windows at a time; returns where it stopped
/// (the caller checks the last few windows).
#[cfg(target_arch = "x86_64")]
fn candidates_simd(
    b: &[u8],
    specials: bool,
    mut on_special: impl FnMut(usize),
    mut f: impl FnMut(usize),
) -> usize {
    use std::arch::x86_64::*;
    let n = b.len();
    let mut i = 0;
    // SAFETY: SSE2 is part of the x86-64 baseline, so the intrinsics are
    // available; every unaligned load reads b[i + d .. i + d + 16] with
    // d <= 4 and i + 20 <= n, inside the slice.
    unsafe {
        let splat = |c: u8| _mm_set1_epi8(c as i8);
        let eq = |v: __m128i, c: u8| _mm_cmpeq_epi8(v, splat(c));
        let in_range = |v: __m128i, lo: u8, count: u8| {
            let d = _mm_sub_epi8(v, splat(lo));
            _mm_cmpeq_epi8(_mm_min_epu8(d, splat(count - 1)), d)
        };
        let or = _mm_or_si128;
        let and = _mm_and_si128;
        let letter = |v: __m128i| in_range(or(v, splat(0x20)), b'a', 26);
        while i + 20 <= n {
            let p = b.as_ptr().add(i);
            let x = _mm_loadu_si128(p as *const __m128i);
            let y = _mm_loadu_si128(p.add(1) as *const __m128i);
            let z = _mm_loadu_si128(p.add(2) as *const __m128i);
            let w = _mm_loadu_si128(p.add(3) as *const __m128i);
            let u = _mm_loadu_si128(p.add(4) as *const __m128i);
            let v = or(x, splat(0x20));
            let ou = or(eq(v, b'o'), eq(v, b'u'));
            let zz = and(z, splat(0xDF));
            let c3set = or(
                or(
                    or(eq(zz, 0x80), eq(zz, 0x81)),
                    or(eq(zz, 0x83), eq(zz, 0x88)),
                ),
                or(eq(zz, 0x89), eq(zz, 0x9D)),
            );
            let c3 = _mm_andnot_si128(letter(w), and(eq(y, 0xC3), c3set));
            let ba = and(eq(z, 0xBA), or(in_range(w, 0xA0, 4), in_range(w, 0xB8, 6)));
            let bb = and(eq(z, 0xBB), in_range(w, 0xB2, 8));
            let e1 = _mm_andnot_si128(letter(u), and(eq(y, 0xE1), or(ba, bb)));
            if specials {
                let sp = or(
                    or(eq(x, b'\t'), eq(x, 0xC2)),
                    or(or(eq(x, 0xE2), eq(x, 0xE3)), eq(x, 0xEF)),
                );
                let mut smask = _mm_movemask_epi8(sp) as u32;
                while smask != 0 {
                    on_special(i + smask.trailing_zeros() as usize);
                    smask &= smask - 1;
                }
            }
            let mut mask = _mm_movemask_epi8(and(ou, or(c3, e1))) as u32;
            while mask != 0 {
                f(i + mask.trailing_zeros() as usize);
                mask &= mask - 1;
            }
            i += 16;
        }
    }
    i
}

/// The AVX2 twin of [`candidates_simd`], 32 windows at a time.
///
/// # Safety
/// The CPU must support AVX2 (checked by the caller).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn candidates_avx2(
    b: &[u8],
    specials: bool,
    mut on_special: impl FnMut(usize),
    mut f: impl FnMut(usize),
) -> usize {
    use std::arch::x86_64::*;
    let n = b.len();
    let mut i = 0;
    let splat = |c: u8| _mm256_set1_epi8(c as i8);
    let eq = |v: __m256i, c: u8| _mm256_cmpeq_epi8(v, splat(c));
    let in_range = |v: __m256i, lo: u8, count: u8| {
        let d = _mm256_sub_epi8(v, splat(lo));
        _mm256_cmpeq_epi8(_mm256_min_epu8(d, splat(count - 1)), d)
    };
    let or = |a, b| _mm256_or_si256(a, b);
    let and = |a, b| _mm256_and_si256(a, b);
    let letter = |v: __m256i| in_range(or(v, splat(0x20)), b'a', 26);
    while i + 36 <= n {
        // SAFETY: loads read b[i + d .. i + d + 32] with d <= 4 and
        // i + 36 <= n.
        let p = unsafe { b.as_ptr().add(i) };
        let (x, y) = unsafe {
            (
                _mm256_loadu_si256(p as *const __m256i),
                _mm256_loadu_si256(p.add(1) as *const __m256i),
            )
        };
        if specials {
            let sp = or(
                or(eq(x, b'\t'), eq(x, 0xC2)),
                or(or(eq(x, 0xE2), eq(x, 0xE3)), eq(x, 0xEF)),
            );
            let mut smask = _mm256_movemask_epi8(sp) as u32;
            while smask != 0 {
                on_special(i + smask.trailing_zeros() as usize);
                smask &= smask - 1;
            }
        }
        let v = or(x, splat(0x20));
        let ou = or(eq(v, b'o'), eq(v, b'u'));
        // Cheap exit: a tone pair needs `o`/`u` then the lead byte `C3` or
        // `E1`; most blocks have none, and the full test below is skipped.
        if _mm256_testz_si256(ou, or(eq(y, 0xC3), eq(y, 0xE1))) != 0 {
            i += 32;
            continue;
        }
        let (z, w, u) = unsafe {
            (
                _mm256_loadu_si256(p.add(2) as *const __m256i),
                _mm256_loadu_si256(p.add(3) as *const __m256i),
                _mm256_loadu_si256(p.add(4) as *const __m256i),
            )
        };
        let zz = and(z, splat(0xDF));
        let c3set = or(
            or(
                or(eq(zz, 0x80), eq(zz, 0x81)),
                or(eq(zz, 0x83), eq(zz, 0x88)),
            ),
            or(eq(zz, 0x89), eq(zz, 0x9D)),
        );
        let c3 = _mm256_andnot_si256(letter(w), and(eq(y, 0xC3), c3set));
        let ba = and(eq(z, 0xBA), or(in_range(w, 0xA0, 4), in_range(w, 0xB8, 6)));
        let bb = and(eq(z, 0xBB), in_range(w, 0xB2, 8));
        let e1 = _mm256_andnot_si256(letter(u), and(eq(y, 0xE1), or(ba, bb)));
        let mut mask = _mm256_movemask_epi8(and(ou, or(c3, e1))) as u32;
        while mask != 0 {
            f(i + mask.trailing_zeros() as usize);
            mask &= mask - 1;
        }
        i += 32;
    }
    i
}

/// One pass over `s`: the special-character edits (when `specials`) and
/// the tone-pair edits, each sorted.
fn scan(s: &str, specials: bool) -> (Vec<Edit>, Vec<Edit>) {
    let b = s.as_bytes();
    let n = b.len();
    let mut sp = Vec::new();
    let mut tones = Vec::new();
    #[cfg(target_arch = "x86_64")]
    let mut i = if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 support was just checked.
        unsafe {
            candidates_avx2(
                b,
                specials,
                |k| special_at(s, k, &mut sp),
                |k| tone_at(s, k, &mut tones),
            )
        }
    } else {
        0
    };
    #[cfg(target_arch = "x86_64")]
    {
        // SSE2 for what is left (or everything without AVX2).
        let from = i;
        let rest = candidates_simd(
            &b[from..],
            specials,
            |k| special_at(s, from + k, &mut sp),
            |k| tone_at(s, from + k, &mut tones),
        );
        i = from + rest;
    }
    #[cfg(not(target_arch = "x86_64"))]
    let mut i = 0;
    while i < n {
        if specials && special_lead(b[i]) {
            special_at(s, i, &mut sp);
        }
        if i + 2 < n {
            let w = b.get(i + 3).copied().unwrap_or(0);
            let u = b.get(i + 4).copied().unwrap_or(0);
            if tone_window(b[i], b[i + 1], b[i + 2], w, u) {
                tone_at(s, i, &mut tones);
            }
        }
        i += 1;
    }
    (sp, tones)
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
    let (specials, tones) = scan(s, true);
    if specials.is_empty() {
        if tones.is_empty() {
            return None;
        }
        let (t, m) = apply(s, tones);
        return Some((t, vec![m]));
    }
    if specials.iter().all(|e| e.repl.is_some()) {
        // Only replacements (no removal): they cannot join or split a tone
        // pair (they are not letters and become no letters), so both kinds
        // of edits apply in one copy.
        let mut all = specials;
        all.extend(tones);
        all.sort_unstable_by_key(|e| e.start);
        let (t, m) = apply(s, all);
        return Some((t, vec![m]));
    }
    let (t1, m1) = apply(s, specials);
    let (_, tones) = scan(&t1, false);
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
        let mut data = match build_staged(s) {
            Some((t, m)) => ViewData {
                text: Some(t),
                map: ComposedMap(m),
            },
            None => ViewData::default(),
        };
        let view = data.text.as_deref().unwrap_or(s);
        let wraps = soft_wraps(view);
        if !wraps.is_empty() {
            // One byte for one byte: the map stays exact.
            let mut bytes = data
                .text
                .take()
                .unwrap_or_else(|| s.to_owned())
                .into_bytes();
            for i in wraps {
                bytes[i] = b' ';
            }
            data.text = String::from_utf8(bytes).ok();
        }
        data
    }
}

/// Words after which a hard-wrapped line may go on with digits (`Nghị định
/// số` / `135/2004/NĐ-CP`, `ngày` / `26/7/2011`).
const WRAP_BEFORE_DIGITS: &[&str] = &["số", "ngày", "tháng", "năm"];

/// The line breaks of `s` that only wrap a sentence (a document copied from
/// a PDF or a fixed-width page: `… của Nghị định số` / `135/2004/NĐ-CP …`,
/// `… có hiệu lực kể từ ngày ký và thay` / `thế Quyết định …`): a single
/// `\n` after a line with a lower-case letter that does not end a sentence
/// or a clause (`.` `!` `?` `:` `;`), before a line that opens with a
/// lower-case letter, or with a digit after `số` / `ngày` / `tháng` / `năm`.
/// Headings (no lower-case letter), paragraphs (a blank line) and lines that
/// open with a capital, a dash or a date stay apart.
fn soft_wraps(s: &str) -> Vec<usize> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut line_start = 0;
    for nl in memchr::memchr_iter(b'\n', b) {
        let line = &s[line_start..nl];
        line_start = nl + 1;
        let line = line.trim_end_matches([' ', '\r']);
        let Some(last) = line.chars().next_back() else {
            continue;
        };
        if matches!(last, '.' | '!' | '?' | ':' | ';') {
            continue;
        }
        let Some(next) = s[nl + 1..].chars().next() else {
            continue;
        };
        let joins = if next.is_lowercase() {
            true
        } else if next.is_ascii_digit() {
            let word = line.rsplit([' ', '(']).next().unwrap_or("");
            WRAP_BEFORE_DIGITS.contains(&word)
        } else {
            false
        };
        // Checked last: the only test that reads the whole line.
        if joins && line.chars().any(char::is_lowercase) {
            out.push(nl);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize_for_matching(s).into_owned()
    }

    fn view(s: &str) -> String {
        let d = ViewData::new(s);
        d.text.unwrap_or_else(|| s.to_owned())
    }

    #[test]
    fn soft_wraps_join_a_sentence_and_keep_lines_apart() {
        assert_eq!(
            view("của Nghị định số\n135/2004/NĐ-CP và thay\nthế Quyết định"),
            "của Nghị định số 135/2004/NĐ-CP và thay thế Quyết định"
        );
        assert_eq!(
            view("ban hành ngày\n26/7/2011 của"),
            "ban hành ngày 26/7/2011 của"
        );
        for kept in [
            "Hội nghị quán triệt Quy định 58\n12/03/2022 08:30",
            "QUYẾT ĐỊNH\nvề việc ban hành",
            "các văn bản sau:\n- Chỉ thị số 35",
            "Kết thúc hội nghị.\ncác đại biểu",
            "đoạn một\n\nđoạn hai",
            "Tin liên quan\nHội nghị",
        ] {
            assert_eq!(view(kept), kept);
        }
        // The map is untouched: offsets are the same byte for byte.
        let d = ViewData::new("hoà bình\nlâu dài");
        assert_eq!(d.text.as_deref(), Some("hòa bình lâu dài"));
        assert_eq!(d.map.map(9), 9);
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

#[cfg(all(test, target_arch = "x86_64"))]
mod simd_tests {
    use super::*;

    #[test]
    fn simd_filter_equals_scalar() {
        let pieces = [
            "o", "u", "O", "U", "à", "á", "ả", "ã", "ạ", "À", "Ả", "è", "ẻ", "ẽ", "Ẹ", "ỳ", "ý",
            "ỷ", "Ỹ", "Ỵ", "ô", "ố", "uậ", "q", " ", "a", "n", "N", "t", ".", "ê", "ệ", "Ý", "ẹ",
            "ỵ",
        ];
        let mut seed = 12345u64;
        for len in 0..400 {
            let mut s = String::new();
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let b = s.as_bytes();
            let mut simd = Vec::new();
            let mut sp = Vec::new();
            let stop = candidates_simd(b, true, |k| sp.push(k), |k| simd.push(k));
            let sp_scalar: Vec<usize> = (0..stop).filter(|&k| special_lead(b[k])).collect();
            assert_eq!(sp, sp_scalar);
            let scalar: Vec<usize> = (0..stop)
                .filter(|&k| {
                    tone_window(
                        b[k],
                        b[k + 1],
                        b[k + 2],
                        b.get(k + 3).copied().unwrap_or(0),
                        b.get(k + 4).copied().unwrap_or(0),
                    )
                })
                .collect();
            assert_eq!(simd, scalar, "{s}");
            if std::arch::is_x86_feature_detected!("avx2") {
                let (mut sp2, mut t2) = (Vec::new(), Vec::new());
                // SAFETY: AVX2 support was just checked.
                let stop2 = unsafe { candidates_avx2(b, true, |k| sp2.push(k), |k| t2.push(k)) };
                let scalar2: Vec<usize> = (0..stop2)
                    .filter(|&k| {
                        tone_window(
                            b[k],
                            b[k + 1],
                            b[k + 2],
                            b.get(k + 3).copied().unwrap_or(0),
                            b.get(k + 4).copied().unwrap_or(0),
                        )
                    })
                    .collect();
                let sp_scalar2: Vec<usize> = (0..stop2).filter(|&k| special_lead(b[k])).collect();
                assert_eq!(t2, scalar2);
                assert_eq!(sp2, sp_scalar2);
            }
        }
    }
}
