//! Unicode NFC with an offset map.
//!
//! Fast path: a byte scan that skips ASCII eight bytes at a time and checks
//! every other character against a table of *stable* characters (canonical
//! combining class 0 and NFC quick-check Yes, so NFC never changes them and no
//! composition crosses the boundary before them). When every character is
//! stable the text is already NFC and nothing is copied.
//!
//! Slow path: only the runs between two stable characters that contain an
//! unstable one are normalised (with `unicode-normalization`); the map has an
//! exact anchor at the start and end of every such run.

use crate::offsets::OffsetMap;
use std::sync::OnceLock;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Code points below this are looked up in a bitmap.
const TABLE_LIMIT: u32 = 0x3000;

fn compute_stable(c: char) -> bool {
    canonical_combining_class(c) == 0 && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
}

fn table() -> &'static [u64] {
    static TABLE: OnceLock<Vec<u64>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut bits = vec![0u64; (TABLE_LIMIT as usize) / 64];
        for cp in 0..TABLE_LIMIT {
            if let Some(c) = char::from_u32(cp) {
                if compute_stable(c) {
                    bits[(cp / 64) as usize] |= 1 << (cp % 64);
                }
            }
        }
        bits
    })
}

/// True when NFC leaves `c` alone and nothing before it can combine with it.
#[inline]
pub fn is_stable(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x80 {
        return true;
    }
    if cp < TABLE_LIMIT {
        let t = table();
        return t[(cp / 64) as usize] & (1 << (cp % 64)) != 0;
    }
    // Hangul syllables, CJK ideographs and the private use area are frequent
    // and stable enough for a quick answer; everything else asks the library.
    if (0xAC00..=0xD7A3).contains(&cp) {
        // Precomposed LV syllables can absorb a following T jamo, but they are
        // themselves a boundary: nothing composes *into* them from before.
        return true;
    }
    compute_stable(c)
}

/// Decodes the char starting at byte `i` of a valid UTF-8 string.
#[inline]
fn char_at(s: &str, i: usize) -> (char, usize) {
    match s.get(i..).and_then(|r| r.chars().next()) {
        Some(c) => (c, c.len_utf8()),
        None => ('\u{FFFD}', 1),
    }
}

/// Byte index of the first unstable char at or after `from`, or None.
///
/// Two levels. A branch-free (auto-vectorised) block filter flags blocks
/// that hold a lead byte outside the common Vietnamese blocks: stable as a
/// whole are U+0000–U+01BF (ASCII, or lead `C2`–`C6`) and U+1E00–U+1EFF
/// (`E1 B8`–`E1 BB`). Only flagged blocks are decoded character by
/// character and looked up.
pub fn first_unstable(s: &str, from: usize) -> Option<usize> {
    const BLOCK: usize = 512;
    let b = s.as_bytes();
    let n = b.len();
    let mut i = from;
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        loop {
            // SAFETY: AVX2 support was just checked.
            match unsafe { flagged_avx2(b, i) } {
                Ok(next) => {
                    i = next;
                    break;
                }
                Err(block) => {
                    // Decode from the char boundary at or before the flagged
                    // block to its end, then go on from there (a loop, not
                    // recursion: many flagged blocks must not grow the stack).
                    let mut j = block;
                    while j > 0 && !s.is_char_boundary(j) {
                        j -= 1;
                    }
                    match precise(s, j, (block + 32).min(n)) {
                        Ok(next) => i = next.max(block + 1),
                        Err(found) => return Some(found),
                    }
                }
            }
        }
    }
    // Pairs (b[k], b[k+1]) for k < n - 1; the last byte of valid UTF-8 is
    // never a lead byte of a multi-byte character.
    while i + 1 < n {
        let end = (i + BLOCK).min(n - 1);
        let a = &b[i..end];
        let c = &b[i + 1..end + 1];
        let flag = a.iter().zip(c).fold(0u8, |acc, (&x, &y)| {
            let other_lead = (x >= 0xC7) & (x != 0xE1);
            let odd_e1 = (x == 0xE1) & (y.wrapping_sub(0xB8) >= 4);
            acc | (other_lead | odd_e1) as u8
        });
        if flag == 0 {
            i = end;
            continue;
        }
        let mut j = i;
        while j > 0 && !s.is_char_boundary(j) {
            j -= 1;
        }
        match precise(s, j, end) {
            Ok(next) => i = next,
            Err(found) => return Some(found),
        }
    }
    None
}

/// The AVX2 block filter of [`first_unstable`], 32 bytes at a time:
/// `Ok(where it stopped)` when no block from `from` on was flagged (the
/// caller checks the rest), `Err(block start)` for the first flagged block.
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn flagged_avx2(b: &[u8], from: usize) -> Result<usize, usize> {
    use std::arch::x86_64::*;
    let n = b.len();
    let mut i = from;
    let c7 = _mm256_set1_epi8(0xC7u8 as i8);
    let e1 = _mm256_set1_epi8(0xE1u8 as i8);
    let b8 = _mm256_set1_epi8(0xB8u8 as i8);
    let three = _mm256_set1_epi8(3);
    while i + 33 <= n {
        // SAFETY: reads b[i .. i + 33), inside the slice.
        let (x, y) = unsafe {
            let p = b.as_ptr().add(i);
            (
                _mm256_loadu_si256(p as *const __m256i),
                _mm256_loadu_si256(p.add(1) as *const __m256i),
            )
        };
        let high = _mm256_cmpeq_epi8(_mm256_max_epu8(x, c7), x);
        let is_e1 = _mm256_cmpeq_epi8(x, e1);
        let d = _mm256_sub_epi8(y, b8);
        let vietnamese = _mm256_cmpeq_epi8(_mm256_min_epu8(d, three), d);
        let other_lead = _mm256_andnot_si256(is_e1, high);
        let odd_e1 = _mm256_andnot_si256(vietnamese, is_e1);
        if _mm256_movemask_epi8(_mm256_or_si256(other_lead, odd_e1)) != 0 {
            return Err(i);
        }
        i += 32;
    }
    Ok(i)
}

/// Checks every char starting in `from..until`; `Err(pos)` for the first
/// unstable one, else `Ok(index after the last char checked)`.
fn precise(s: &str, from: usize, until: usize) -> Result<usize, usize> {
    let b = s.as_bytes();
    let t = table();
    let mut i = from;
    while i < until && i < b.len() {
        let c = b[i];
        if c < 0x80 {
            i += 1;
            continue;
        }
        if c < 0xE0 {
            if c > 0xC6 {
                let c1 = b.get(i + 1).copied().unwrap_or(0);
                let cp = ((c as u32 & 0x1F) << 6) | (c1 as u32 & 0x3F);
                if t[(cp / 64) as usize] & (1 << (cp % 64)) == 0 {
                    return Err(i);
                }
            }
            i += 2;
            continue;
        }
        if c == 0xE1 && matches!(b.get(i + 1), Some(0xB8..=0xBB)) {
            i += 3;
            continue;
        }
        let (ch, len) = char_at(s, i);
        if !is_stable(ch) {
            return Err(i);
        }
        i += len;
    }
    Ok(i)
}

/// Start of the char that ends at byte `i` (i > 0, a char boundary).
fn prev_char_start(s: &str, i: usize) -> usize {
    let mut j = i.saturating_sub(1);
    while j > 0 && !s.is_char_boundary(j) {
        j -= 1;
    }
    j
}

/// NFC of `s`: `None` when `s` is already NFC (nothing copied), else the
/// normalised text and a map from it back to `s`.
pub fn nfc(s: &str) -> Option<(String, OffsetMap)> {
    let first = first_unstable(s, 0)?;
    let mut out = String::with_capacity(s.len() + 16);
    let mut map = OffsetMap::new();
    map.set_input_len(s.len());
    let mut copied = 0usize; // input copied up to here
    let mut p = first;
    loop {
        // The run starts at the stable char before p (it may compose with p).
        let start = if p > copied {
            prev_char_start(s, p).max(copied)
        } else {
            copied
        };
        // The run ends at the next stable char after p.
        let (_, plen) = char_at(s, p);
        let mut end = p + plen;
        while end < s.len() {
            let (c, len) = char_at(s, end);
            if is_stable(c) {
                break;
            }
            end += len;
        }
        out.push_str(&s[copied..start]);
        map.push(out.len(), start);
        out.extend(s[start..end].nfc());
        map.push_exact(out.len(), end);
        copied = end;
        match first_unstable(s, end) {
            Some(q) => p = q,
            None => break,
        }
    }
    map.push(out.len(), copied);
    out.push_str(&s[copied..]);
    Some((out, map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_text_untouched() {
        assert!(nfc("Quyết định số 126-QĐ/TW của Bộ Chính trị “về” …").is_none());
        assert!(nfc("").is_none());
    }

    #[test]
    fn decomposed_is_composed() {
        // "Hòa" with a combining grave, then ASCII.
        let s = "Ho\u{0300}a binh";
        let (out, map) = nfc(s).expect("needs normalising");
        assert_eq!(out, "Hòa binh");
        assert_eq!(map.map(0), 0);
        assert_eq!(map.map(out.len()), s.len());
        let b = out.find('b').unwrap_or(0);
        assert_eq!(map.map(b), s.find('b').unwrap_or(0));
    }

    #[test]
    fn fast_blocks_are_stable() {
        for cp in (0x80..0x1C0u32).chain(0x1E00..0x1F00) {
            if let Some(c) = char::from_u32(cp) {
                assert!(compute_stable(c), "U+{cp:04X}");
            }
        }
    }

    #[test]
    fn stable_table_agrees_with_library() {
        for cp in 0..0x3100u32 {
            if let Some(c) = char::from_u32(cp) {
                assert_eq!(is_stable(c), compute_stable(c), "U+{cp:04X}");
            }
        }
    }

    #[test]
    fn finds_unstable_anywhere() {
        for pad in 0..1100 {
            let s = format!("{}Hoà\u{0301}x", "ệ".repeat(pad % 7) + &"a".repeat(pad));
            let p = s.find('\u{0301}');
            assert_eq!(first_unstable(&s, 0), p, "pad {pad}");
        }
        assert_eq!(first_unstable("한\u{11A8}", 0), Some(3));
    }

    #[test]
    fn many_flagged_blocks() {
        // Every block is flagged (CJK and Hangul), and the text is long.
        let s = "漢字한국어".repeat(200_000);
        assert_eq!(first_unstable(&s, 0), None);
        let mut t = s.clone();
        t.push('\u{0301}');
        assert_eq!(first_unstable(&t, 0), Some(s.len()));
    }

    #[test]
    fn several_runs() {
        let s = "a\u{0301} x e\u{0302}\u{0301} y";
        let (out, _) = nfc(s).expect("normalise");
        assert_eq!(out, s.nfc().collect::<String>());
    }
}
