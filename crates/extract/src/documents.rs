//! Document citations (trích dẫn văn bản): see ANNOTATION.md §Documents.
//!
//! How it works, in linear time:
//! 1. **Number-symbols** (số và ký hiệu): every `/` (found with `memchr`) is
//!    checked locally against the grammar: Party `126-QĐ/TW`, state with year
//!    `30/2020/NĐ-CP`, National Assembly `22/2008/QH12`, administrative
//!    `281/QĐ-TTg`, spaces around the separators and a glued `số126` allowed.
//! 2. **Kind words** (loại văn bản) and short type codes (`QĐ 126`) are
//!    looked for *backwards* from each number-symbol and each run of digits
//!    (found eight bytes at a time): optional `số`, then a kind word from a
//!    table indexed by its last byte, so a number with nothing before it
//!    costs one lookup. `<kind> này` (self-reference) is searched with
//!    `memmem` only in a text with a document header.
//! 3. **Citation tails**: date, issuer (`của …`, `do … ban hành`) and title
//!    (`về …`, quoted) right after the number-symbol; plural lists.
//! 4. **Document header** of a document's own text (`Số: 58-QĐ/TW` and a
//!    heading line `QUY ĐỊNH`).
//! 5. **Merging** by a hash map keyed by the number, in text order.

use crate::context::{ceil_char, floor_char, Context};
use crate::dates::{self, date_at, DateValue};
use crate::issuers;
use crate::model::{Document, DocumentKind, Span};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::sync::OnceLock;

use DocumentKind as K;

/// Kind words, lower case, with their kind. Longer phrases win (leftmost
/// longest).
const KIND_WORDS: &[(&str, DocumentKind)] = &[
    ("nghị quyết liên tịch", K::NghiQuyet),
    ("nghị quyết", K::NghiQuyet),
    ("quy định", K::QuyDinh),
    ("quyết định", K::QuyetDinh),
    ("chỉ thị", K::ChiThi),
    ("thông báo kết luận", K::ThongBao),
    ("kết luận", K::KetLuan),
    ("hướng dẫn", K::HuongDan),
    ("quy chế phối hợp", K::Other),
    ("quy chế", K::QuyChe),
    ("thông báo", K::ThongBao),
    ("kế hoạch", K::KeHoach),
    ("chương trình hành động", K::ChuongTrinh),
    ("chương trình", K::ChuongTrinh),
    ("báo cáo", K::BaoCao),
    ("công văn", K::CongVan),
    ("hiến pháp", K::HienPhap),
    ("bộ luật", K::Luat),
    ("luật", K::Luat),
    ("pháp lệnh", K::PhapLenh),
    ("nghị định", K::NghiDinh),
    ("thông tư liên tịch", K::ThongTu),
    ("thông tư", K::ThongTu),
    ("đề án", K::Other),
    ("tờ trình", K::Other),
    ("văn bản", K::Other),
    ("công điện", K::Other),
    ("thông tri", K::Other),
];

/// Type codes that make a short form before a number (`QĐ 126`).
const SHORT_CODES: &[&str] = &["QĐi", "QĐ", "NQ", "CT", "KL"];

/// Party type codes (`126-QĐ/TW`).
const PARTY_TYPES: &[&str] = &[
    "NQ", "QĐ", "QĐi", "CT", "KL", "QC", "HD", "TB", "BC", "KH", "CTr", "CTHĐ", "CV", "BS", "TTr",
    "ĐA",
];
/// Party issuer codes (`…/TW`).
const PARTY_ISSUERS: &[&str] = &[
    "TW", "TƯ", "VPTW", "BTCTW", "BTGTW", "BTGDVTW", "UBKTTW", "BCĐTW", "BDVTW", "ĐUQSTW", "ĐUCA",
    "TU", "HU", "ĐU", "ĐUK", "QU", "BCSĐ", "TBNS", "TBVK", "BTCTU", "BTGTU", "BTGDVTU", "UBKTTU",
    "BDVTU", "VPTU", "ĐĐ", "BCS",
    // Mass organisations that number their documents Party style: the
    // Youth Union's centre and provinces (`84-QĐ/TWĐTN`, `45-KH/TĐTN-BTG`)
    // and the Farmers' Union's centre (`19-NQ/HNDTW`).
    "TWĐTN", "TĐTN", "HNDTW",
];
/// Administrative type codes (`281/QĐ-TTg`).
const ADMIN_TYPES: &[&str] = &["QĐ", "NQ", "CT", "KH", "TB", "BC", "CV", "HD", "NĐ", "TT"];

/// State type codes in a number with year (`30/2020/NĐ-CP`).
const STATE_TYPES: &[&str] = &[
    "NĐ", "TT", "TTLT", "QĐ", "NQ", "NQLT", "CT", "PL", "L", "KH", "TB", "BC", "CV", "HD",
];
/// State issuer codes that let an administrative number stand alone
/// (`88/TB-VPCP`, `2245/QĐ-BGDĐT`).
const STATE_ISSUERS: &[&str] = &[
    "CP", "TTg", "TTG", "VPCP", "HĐND", "BCĐ", "BNV", "BTC", "BCA", "BQP", "BGDĐT", "BYT", "BTP",
    "BKHĐT", "BCT", "BNNPTNT", "BTNMT", "BXD", "BGTVT", "BTTTT", "BLĐTBXH", "BVHTTDL", "BKHCN",
    "NHNN", "UBTVQH", "TANDTC", "VKSNDTC", "KTNN", "TTCP", "BNG", "UBDT", "CTN", "QH",
];

/// Bytes read after a number-symbol for its citation tail.
const TAIL_WINDOW: usize = 400;

/// Upper-cases the first letter of every word (`Nghị Quyết`).
fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at_start = true;
    for c in s.chars() {
        if at_start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_start = c == ' ';
    }
    out
}

/// A parsed number-symbol `[start, end)`.
#[derive(Debug, Clone)]
struct NumSym {
    start: usize,
    end: usize,
    number: String,
    /// Spaces removed, `TƯ` → `TW`, year not included.
    symbol: String,
    /// The year inside a state number.
    year: Option<i32>,
    /// Kind from the type code alone.
    code_kind: DocumentKind,
    /// The Party code `QĐ` (Quy định or Quyết định).
    party_qd: bool,
    /// A known document type and issuer: may stand alone as a bare mention.
    /// (`2097/2020/XNQC-ATTP`, `25/QĐ-LĐBCVN` need a kind word before them.)
    bare_ok: bool,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// True when the char before `i` is a letter or digit.
fn letter_before(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric())
}

/// True when the char at `i` is a letter or digit.
fn letter_at(text: &str, i: usize) -> bool {
    text.get(i..)
        .and_then(|s| s.chars().next())
        .is_some_and(|c| c.is_alphanumeric())
}

fn skip_spaces(b: &[u8], mut i: usize, max: usize) -> usize {
    let mut n = 0;
    while i < b.len() && b[i] == b' ' && n < max {
        i += 1;
        n += 1;
    }
    i
}

/// A code token (letters incl. `Đ`, `đ`, `Ư`, and digits) starting at `i`.
fn code_token(text: &str, i: usize) -> usize {
    let mut j = i;
    for c in text.get(i..).unwrap_or("").chars() {
        if c.is_ascii_alphanumeric() || matches!(c, 'Đ' | 'đ' | 'Ư') {
            j += c.len_utf8();
            if j - i > 24 {
                break;
            }
        } else {
            break;
        }
    }
    j
}

/// The number (1–5 digits, optionally one lower-case letter) ending at `end`
/// (exclusive): its start.
fn number_ending_at(b: &[u8], end: usize) -> Option<usize> {
    let mut i = end;
    if i > 0 && b[i - 1].is_ascii_lowercase() {
        i -= 1;
    }
    let digits_end = i;
    while i > 0 && b[i - 1].is_ascii_digit() && digits_end - i < 6 {
        i -= 1;
    }
    let n = digits_end - i;
    if n == 0 || n > 5 {
        return None;
    }
    if digits_end != end && n == 0 {
        return None;
    }
    Some(i)
}

/// The number (1–5 digits, optionally one letter) starting at `i`: its end.
fn number_at(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    let n = j - i;
    if n == 0 || n > 5 {
        return None;
    }
    if j < b.len() && b[j].is_ascii_lowercase() && !(j + 1 < b.len() && is_word_byte(b[j + 1])) {
        j += 1;
    }
    Some(j)
}

/// True when the number at `start` is at a word start (or glued to `số`).
fn number_start_ok(text: &str, start: usize) -> bool {
    if !letter_before(text, start) {
        return true;
    }
    let before = &text[..start];
    before.ends_with("số") || before.ends_with("Số") || before.ends_with("SỐ")
}

/// Parses a number-symbol around the `/` at `slash`.
fn parse_at_slash(text: &str, slash: usize) -> Option<NumSym> {
    let b = text.as_bytes();
    // Left side of the slash.
    let mut l = slash;
    let mut sp = 0;
    while l > 0 && b[l - 1] == b' ' && sp < 2 {
        l -= 1;
        sp += 1;
    }
    if l == 0 {
        return None;
    }
    let r = skip_spaces(b, slash + 1, 2);
    if b[l - 1].is_ascii_digit()
        || (b[l - 1].is_ascii_lowercase() && l >= 2 && b[l - 2].is_ascii_digit())
    {
        // State: NUMBER/YEAR/TYPE-ISSUER, NUMBER/YEAR/QHnn, NUMBER/TYPE-ISSUER.
        let start = number_ending_at(b, l)?;
        if !number_start_ok(text, start) {
            return None;
        }
        let number = &text[start..l];
        // Year form?
        let mut year = None;
        let mut p = r;
        let mut k = p;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        if k - p == 4 {
            let y: i32 = text[p..k].parse().ok()?;
            let after = skip_spaces(b, k, 2);
            if after < b.len() && b[after] == b'/' && (1945..=2100).contains(&y) {
                year = Some(y);
                p = skip_spaces(b, after + 1, 2);
            } else {
                return None;
            }
        } else if k > p {
            return None;
        }
        let (symbol, end, code_kind, bare_ok) = match state_symbol(text, p, year.is_some()) {
            Some(found) => found,
            None if year.is_some() => lower_case_state_symbol(text, p)?,
            None => old_state_symbol(text, p)?,
        };
        if letter_at(text, end) {
            return None;
        }
        // `126/QĐ-TW`, `29/NQ-TƯ`: a Party number written state style; the
        // symbol takes the Party separators (`QĐ/TW`).
        if year.is_none() {
            if let Some((ty, iss)) = symbol.split_once('-') {
                let iss_raw = iss.replace("TW", "TƯ");
                if PARTY_TYPES.contains(&ty)
                    && !iss.contains('-')
                    && (PARTY_ISSUERS.contains(&iss) || PARTY_ISSUERS.contains(&iss_raw.as_str()))
                {
                    return Some(NumSym {
                        start,
                        end,
                        number: number.to_owned(),
                        symbol: format!("{ty}/{iss}"),
                        year: None,
                        code_kind: party_kind(ty),
                        party_qd: ty == "QĐ",
                        bare_ok: true,
                    });
                }
            }
        }
        return Some(NumSym {
            start,
            end,
            number: number.to_owned(),
            symbol,
            year,
            code_kind,
            party_qd: false,
            bare_ok,
        });
    }
    party_at(text, l, r)
}

/// The issuer codes of state numbers before 2000, written without a type
/// (`Nghị định 34/CP`, `Nghị định số 58-CP`, `Quyết định 122/TTg`, `Nghị
/// định số 66/HĐBT`).
const OLD_STATE_ISSUERS: &[&str] = &["CP", "TTg", "HĐBT"];

/// An issuer code of an old state number at `p` (see [`OLD_STATE_ISSUERS`]):
/// its symbol and end. Only with a kind word before the number.
fn old_state_symbol(text: &str, p: usize) -> Option<(String, usize, DocumentKind, bool)> {
    let rest = text.get(p..)?;
    let code = OLD_STATE_ISSUERS.iter().find(|c| {
        rest.starts_with(**c)
            && !rest[c.len()..]
                .starts_with(|ch: char| ch.is_alphanumeric() || ch == '-' || ch == '/')
    })?;
    Some((
        (*code).to_owned(),
        p + code.len(),
        DocumentKind::Other,
        false,
    ))
}

/// `58-CP`: an old state number written with a dash (see
/// [`old_state_symbol`]).
fn old_state_dashed(text: &str, dash: usize) -> Option<NumSym> {
    let b = text.as_bytes();
    if dash == 0 || !b[dash - 1].is_ascii_digit() {
        return None;
    }
    let start = number_ending_at(b, dash)?;
    if !number_start_ok(text, start) {
        return None;
    }
    let (symbol, end, code_kind, bare_ok) = old_state_symbol(text, dash + 1)?;
    Some(NumSym {
        start,
        end,
        number: text[start..dash].to_owned(),
        symbol,
        year: None,
        code_kind,
        party_qd: false,
        bare_ok,
    })
}

/// `36/2018/tt-btc`: a state symbol after a year typed in lower case, read
/// as its upper case when its type and issuer are both known (upper-casing
/// ASCII letters and `đ` keeps every byte offset).
fn lower_case_state_symbol(text: &str, p: usize) -> Option<(String, usize, DocumentKind, bool)> {
    let lim = floor_char(text, (p + 32).min(text.len()));
    let raw = text.get(p..lim)?;
    if !raw.starts_with(|c: char| c.is_ascii_lowercase() || c == 'đ') {
        return None;
    }
    let up: String = raw
        .chars()
        .map(|c| {
            if c == 'đ' {
                'Đ'
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect();
    if up.len() != raw.len() {
        return None;
    }
    let (symbol, end, kind, bare_ok) = state_symbol(&up, 0, true)?;
    let known_issuer = symbol
        .split('-')
        .skip(1)
        .any(|seg| STATE_ISSUERS.contains(&seg));
    (bare_ok && known_issuer).then_some((symbol, p + end, kind, bare_ok))
}

/// The Party form NUMBER-TYPE/ISSUER around its separator: `l` is where the
/// type code ends (spaces before the separator skipped), `r` where the
/// issuer code starts.
fn party_at(text: &str, l: usize, r: usize) -> Option<NumSym> {
    let b = text.as_bytes();
    let ty_end = l;
    let mut ty_start = ty_end;
    // Walk back over the type code (ASCII letters and Đ).
    loop {
        let s = &text[..ty_start];
        match s.chars().next_back() {
            Some(c) if c.is_ascii_alphabetic() || c == 'Đ' => ty_start -= c.len_utf8(),
            _ => break,
        }
        if ty_end - ty_start > 6 {
            return None;
        }
    }
    let ty = &text[ty_start..ty_end];
    if !PARTY_TYPES.contains(&ty) {
        return None;
    }
    let mut d = ty_start;
    let mut sp = 0;
    while d > 0 && b[d - 1] == b' ' && sp < 2 {
        d -= 1;
        sp += 1;
    }
    if d == 0 {
        return None;
    }
    let (start, n_end) = if b[d - 1] == b'-' {
        let mut n_end = d - 1;
        let mut sp = 0;
        while n_end > 0 && b[n_end - 1] == b' ' && sp < 2 {
            n_end -= 1;
            sp += 1;
        }
        let start = number_ending_at(b, n_end)?;
        if !number_start_ok(text, start) {
            return None;
        }
        (start, n_end)
    } else {
        // `Quy định 58 QĐ/TW`: a space where the dash belongs, taken only
        // after a kind word (or `số`), so a count before a code is no number.
        if sp != 1 || !b[d - 1].is_ascii_digit() {
            return None;
        }
        let start = number_ending_at(b, d)?;
        let kind = kind_before(text, start, kind_table())?;
        if !matches!(kind.hit, KindHit::Word(_)) {
            return None;
        }
        (start, d)
    };
    let mut iss_end = code_token(text, r);
    let mut iss = &text[r..iss_end];
    if !PARTY_ISSUERS.contains(&iss) {
        // `70-TB/TWngày 06 tháng 01`: a space lost after the issuer code.
        iss_end = glued_code_end(text, r)?;
        iss = &text[r..iss_end];
        if !PARTY_ISSUERS.contains(&iss) {
            return None;
        }
    }
    let mut end = iss_end;
    let mut symbol = format!("{ty}/{}", iss.replace("TƯ", "TW"));
    // `BCSĐ-BNV`: more after a dash.
    while end < b.len() && b[end] == b'-' {
        let e = code_token(text, end + 1);
        let seg = &text[end + 1..e];
        if seg.len() < 2
            || !seg
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == 'Đ')
        {
            break;
        }
        symbol.push('-');
        symbol.push_str(seg);
        end = e;
    }
    if letter_at(text, end) && glued_code_end(text, r) != Some(end) {
        return None;
    }
    let code_kind = party_kind(ty);
    Some(NumSym {
        start,
        end,
        number: text[start..n_end].to_owned(),
        symbol,
        year: None,
        code_kind,
        party_qd: ty == "QĐ",
        bare_ok: true,
    })
}

/// Words a lost space glues to the code before them (`TWngày`, `TWcủa`).
const GLUED_AFTER_CODE: &[&str] = &["ngày", "của", "về", "năm", "và", "do"];

/// Where an upper-case code starting at `i` ends when a lower-case word of
/// [`GLUED_AFTER_CODE`] follows it with no space (`TW` in `TWngày 06`).
fn glued_code_end(text: &str, i: usize) -> Option<usize> {
    let rest = text.get(i..)?;
    let upper = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_uppercase() || matches!(c, 'Đ' | 'Ư')))
        .map_or(rest.len(), |(k, _)| k);
    if upper == 0 {
        return None;
    }
    let after = &rest[upper..];
    GLUED_AFTER_CODE
        .iter()
        .any(|w| after.starts_with(w) && !letter_at(after, w.len()))
        .then_some(i + upper)
}

/// `58-QĐTW`: a Party number-symbol whose slash was dropped, the type code
/// glued to the central issuer code (`TW`, `TƯ`), around the dash at `dash`.
fn parse_party_glued(text: &str, dash: usize) -> Option<NumSym> {
    let b = text.as_bytes();
    if dash == 0 || !b[dash - 1].is_ascii_digit() {
        return None;
    }
    let r = dash + 1;
    let end = code_token(text, r);
    let token = &text[r..end];
    let ty = token
        .strip_suffix("TW")
        .or_else(|| token.strip_suffix("TƯ"))?;
    if !PARTY_TYPES.contains(&ty) || letter_at(text, end) {
        return None;
    }
    let start = number_ending_at(b, dash)?;
    if !number_start_ok(text, start) {
        return None;
    }
    Some(NumSym {
        start,
        end,
        number: text[start..dash].to_owned(),
        symbol: format!("{ty}/TW"),
        year: None,
        code_kind: party_kind(ty),
        party_qd: ty == "QĐ",
        bare_ok: true,
    })
}

/// The kind a Party type code gives (`QĐ` gives none: Quy định or Quyết định).
fn party_kind(ty: &str) -> DocumentKind {
    match ty {
        "NQ" => K::NghiQuyet,
        "QĐi" => K::QuyDinh,
        "CT" => K::ChiThi,
        "KL" => K::KetLuan,
        "HD" => K::HuongDan,
        "QC" => K::QuyChe,
        "TB" => K::ThongBao,
        "KH" => K::KeHoach,
        "CTr" | "CTHĐ" => K::ChuongTrinh,
        "BC" => K::BaoCao,
        "CV" => K::CongVan,
        _ => K::Other,
    }
}

/// A state symbol at `p`: `TYPE-ISSUER[-ISSUER…]`, or `QHnn` / `UBTVQHnn`
/// when `with_year`. Returns the symbol, its end, the kind of its type, and
/// whether type and issuer are known well enough for a bare mention.
fn state_symbol(
    text: &str,
    p: usize,
    with_year: bool,
) -> Option<(String, usize, DocumentKind, bool)> {
    let b = text.as_bytes();
    let t_end = code_token(text, p);
    let ty = &text[p..t_end];
    if ty.is_empty() {
        return None;
    }
    if with_year {
        for prefix in ["QH", "UBTVQH"] {
            if let Some(digits) = ty.strip_prefix(prefix) {
                if (1..=2).contains(&digits.len()) && digits.bytes().all(|c| c.is_ascii_digit()) {
                    // The assembly passes laws; its standing committee
                    // ordinances and resolutions: the kind word decides.
                    let kind = if prefix == "QH" { K::Luat } else { K::Other };
                    return Some((ty.to_owned(), t_end, kind, true));
                }
            }
        }
    }
    if !ty.chars().all(|c| c.is_ascii_uppercase() || c == 'Đ') {
        return None;
    }
    if ty.len() < 2 || ty.len() > 6 {
        return None;
    }
    let mut symbol = ty.to_owned();
    let mut end = t_end;
    let mut segs = 0;
    loop {
        let mut q = end;
        let mut sp = 0;
        while q < b.len() && b[q] == b' ' && sp < 1 {
            q += 1;
            sp += 1;
        }
        // `-`, or `_` written for it (`2455/TCT_DNNCN`) with no space.
        if q >= b.len() || !(b[q] == b'-' || (b[q] == b'_' && sp == 0)) {
            break;
        }
        let separator = b[q] as char;
        let s0 = if separator == '_' {
            q + 1
        } else {
            skip_spaces(b, q + 1, 1)
        };
        let e = code_token(text, s0);
        let seg = &text[s0..e];
        let first_upper = seg
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase() || c == 'Đ');
        if seg.is_empty() || !first_upper {
            break;
        }
        // `QĐ - TTg` only counts a spaced dash for the first segment.
        if segs > 0 && (sp > 0 || s0 != q + 1) {
            break;
        }
        symbol.push(separator);
        // An upper-case heading writes the Prime Minister's code `TTG`
        // (`CHỈ THỊ SỐ 19/CT-TTG`): the same document as `19/CT-TTg`.
        if seg == "TTG" {
            symbol.push_str("TTg");
        } else {
            symbol.push_str(&seg.replace("TƯ", "TW"));
        }
        end = e;
        segs += 1;
    }
    if segs == 0 {
        return None;
    }
    let issuer_known = symbol
        .split('-')
        .skip(1)
        .any(|seg| STATE_ISSUERS.contains(&seg) || seg.starts_with("UBND"));
    let bare_ok = if with_year {
        STATE_TYPES.contains(&ty)
    } else {
        ADMIN_TYPES.contains(&ty) && issuer_known
    };
    let kind = match ty {
        "NĐ" => K::NghiDinh,
        "TT" | "TTLT" => K::ThongTu,
        "QĐ" => K::QuyetDinh,
        "NQ" | "NQLT" => K::NghiQuyet,
        "CT" => K::ChiThi,
        "KH" => K::KeHoach,
        "TB" => K::ThongBao,
        "BC" => K::BaoCao,
        "CV" => K::CongVan,
        "HD" => K::HuongDan,
        "PL" => K::PhapLenh,
        _ => K::Other,
    };
    Some((symbol, end, kind, bare_ok))
}

/// `21-KL-TW`: a Party number-symbol written with dashes only, around the
/// dash at `dash` between its type and issuer codes. Both codes must be
/// Party codes (`KL`, `TW`), so `2020-2025` or `Covid-19` never match.
fn parse_party_dashes(text: &str, dash: usize) -> Option<NumSym> {
    let b = text.as_bytes();
    if dash == 0 || !b[dash - 1].is_ascii_alphabetic() && !text[..dash].ends_with('Đ') {
        return None;
    }
    let r = dash + 1;
    if r >= b.len() || !(b[r].is_ascii_uppercase() || text[r..].starts_with('Đ')) {
        return None;
    }
    party_at(text, dash, r)
}

/// All number-symbols of the text, in order, non-overlapping.
fn number_symbols(text: &str) -> Vec<NumSym> {
    let mut out: Vec<NumSym> = Vec::new();
    let mut next = 0;
    for slash in memchr::memchr_iter(b'/', text.as_bytes()) {
        if slash < next {
            continue;
        }
        if let Some(ns) = parse_at_slash(text, slash) {
            if out.last().is_some_and(|l| ns.start < l.end) {
                continue;
            }
            next = ns.end;
            out.push(ns);
        }
    }
    // The dash-only Party form, where no slash form covers it.
    let mut dashed: Vec<NumSym> = Vec::new();
    let mut next = 0;
    for dash in memchr::memchr_iter(b'-', text.as_bytes()) {
        if dash < next {
            continue;
        }
        if let Some(ns) = parse_party_dashes(text, dash)
            .or_else(|| parse_party_glued(text, dash))
            .or_else(|| old_state_dashed(text, dash))
        {
            next = ns.end;
            let i = out.partition_point(|o| o.end <= ns.start);
            if out.get(i).is_none_or(|o| o.start >= ns.end) {
                dashed.push(ns);
            }
        }
    }
    if !dashed.is_empty() {
        out.extend(dashed);
        out.sort_by_key(|n| n.start);
    }
    out
}

/// How a mention was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// The `Số:` line of the text's own header.
    Header,
    /// Kind word + number-symbol.
    Full,
    /// A number-symbol alone (or a following list item).
    Bare,
    /// Kind word + number.
    Short,
    /// Type code + number (`QĐ 126`).
    CodeShort,
    /// `<kind> này`.
    SelfRef,
}

#[derive(Debug, Clone)]
struct Mention {
    start: usize,
    end: usize,
    form: Form,
    /// The kind word (or the list's kind word).
    word_kind: Option<DocumentKind>,
    /// The index of the number-symbol.
    sym: Option<usize>,
    number: String,
    /// The code of a `QĐ 126` short form.
    code: Option<&'static str>,
    date: Option<NaiveDate>,
    year: Option<i32>,
    issuer: Option<String>,
    /// Title span (offsets into the text).
    title: Option<(usize, usize)>,
    /// The end of the number-symbol or number (where the tail starts).
    tail_from: usize,
    /// List group: mentions of one plural list share it.
    group: Option<usize>,
}

/// The text's own document (from its header).
struct Header {
    sym: usize,
    kind: DocumentKind,
    date: Option<NaiveDate>,
    issuer: Option<String>,
    /// Title span (offsets into the text).
    title: Option<(usize, usize)>,
}

/// Kind headings of a document's own text, upper case.
pub(crate) fn heading_kind(line: &str) -> Option<DocumentKind> {
    let t = line.trim();
    // `QUY ĐỊNH (BỔ SUNG)`, `QUYẾT ĐỊNH (SỬA ĐỔI)`: a qualifier after the kind.
    let t = match t
        .strip_suffix(')')
        .and_then(|r| r.rfind(" (").map(|p| &r[..p]))
    {
        Some(kind) => kind.trim_end(),
        None => t,
    };
    if t.is_empty() || t.len() > 40 || t.chars().any(|c| c.is_lowercase()) {
        return None;
    }
    static UPPER: OnceLock<Vec<(String, DocumentKind)>> = OnceLock::new();
    let upper = UPPER.get_or_init(|| {
        KIND_WORDS
            .iter()
            .filter(|(_, k)| *k != K::Other)
            .map(|&(w, k)| (w.to_uppercase(), k))
            .collect()
    });
    upper.iter().find(|(w, _)| w == t).map(|&(_, k)| k)
}

/// The document header in the first 30 lines, if any.
fn header(text: &str, syms: &[NumSym]) -> Option<Header> {
    // Cheap exit: a header needs a number-symbol near the top.
    if syms.first().is_none_or(|s| s.start > 8192) {
        return None;
    }
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut pos = 0;
    for line in text.split('\n').take(30) {
        lines.push((pos, line));
        pos += line.len() + 1;
    }
    let mut sym_idx = None;
    let mut heading: Option<(usize, DocumentKind)> = None;
    let mut date = None;
    for (li, &(ls, line)) in lines.iter().enumerate() {
        let t = line.trim_start();
        let lower_start = ls + (line.len() - t.len());
        if sym_idx.is_none() {
            let after = [
                "Số",
                "SỐ",
                "Luật số",
                "Bộ luật số",
                "Pháp lệnh số",
                "LUẬT SỐ",
            ]
            .iter()
            .find_map(|p| t.strip_prefix(p));
            if let Some(rest) = after {
                let rest2 = rest.trim_start_matches([':', ' ']);
                let mut at = lower_start + (t.len() - rest2.len());
                // A header copied from a table: `Số:` alone, the
                // number-symbol on the next line.
                if rest2.trim_end().is_empty() {
                    if let Some(&(ns, nl)) = lines.get(li + 1) {
                        at = ns + (nl.len() - nl.trim_start().len());
                    }
                }
                if let Some(i) = syms.iter().position(|s| s.start == at) {
                    sym_idx = Some(i);
                }
            }
        }
        if heading.is_none() {
            if let Some(k) = heading_kind(line) {
                heading = Some((li, k));
            }
        }
        if date.is_none() {
            if let Some(p) = line.find(", ngày ") {
                if let Some(m) = date_at(text, ls + p + 1) {
                    if let DateValue::Full(d) = m.value {
                        date = Some(d);
                    }
                }
            }
        }
    }
    let sym = sym_idx?;
    let (hl, kind) = heading?;
    let mut issuer = header_issuer(&lines[..hl]);
    // The line after the heading: `về <title>`, or `của <body> về <title>`
    // (a Thông báo kết luận names its issuing body there).
    let title = lines.get(hl + 1).and_then(|&(ls, l)| {
        let mut t = l.trim_start();
        if let Some(r) = t.strip_prefix("của ") {
            let (name, len) = issuers::match_body(r)?;
            issuer = Some(with_province(name, issuer.as_deref()));
            t = r[len..].trim_start();
        }
        // An upper-case subject (`VỀ CÔNG TÁC THI ĐUA …`) only when it ends on
        // its line: one wrapped over capitals lines is not cut in two.
        let upper = t.strip_prefix("VỀ ").filter(|_| {
            lines.get(hl + 2).is_none_or(|&(_, next)| {
                let n = next.trim();
                n.is_empty() || n.starts_with('-') || n.chars().any(char::is_lowercase)
            })
        });
        let r = t
            .strip_prefix("về ")
            .or_else(|| t.strip_prefix("Về "))
            .or(upper)?;
        let r2 = r.trim();
        let s = ls + (l.len() - r.trim_start().len());
        (!r2.is_empty()).then_some((s, s + r2.len()))
    });
    Some(Header {
        sym,
        kind,
        date,
        issuer,
        title,
    })
}

/// The issuer of a document's own text from the header lines above its kind
/// heading: the first non-empty line when it is a known body in capitals
/// (`BỘ CHÍNH TRỊ`, `TỈNH ỦY HÀ NAM`), or a Party committee under its Đảng
/// bộ (`ĐẢNG BỘ TỈNH HÀ NAM` then `TỈNH ỦY` → `Tỉnh ủy Hà Nam`).
fn header_issuer(lines: &[(usize, &str)]) -> Option<String> {
    let mut nonempty = lines
        .iter()
        .map(|(_, l)| l.trim())
        .filter(|l| !l.is_empty());
    let first = nonempty.next()?;
    if first.chars().any(|c| c.is_lowercase()) {
        return None;
    }
    let mut rest = nonempty.clone();
    // A state body over two lines: `ỦY BAN NHÂN DÂN` / `TỈNH LONG AN`.
    if let Some(second) = rest.next() {
        let local = [
            "TỈNH ",
            "THÀNH PHỐ ",
            "HUYỆN ",
            "QUẬN ",
            "THỊ XÃ ",
            "XÃ ",
            "PHƯỜNG ",
        ];
        if !second.chars().any(|c| c.is_lowercase())
            && local.iter().any(|p| second.starts_with(p))
            && !local.iter().any(|p| first.contains(p.trim_end()))
        {
            if let Some(body) = issuers::canonical_body(&format!("{first} {second}")) {
                return Some(body);
            }
        }
    }
    if let Some(body) = issuers::canonical_body(first) {
        return Some(body);
    }
    // A header copied from a table cell, one word per line: `BỘ` / `CHÍNH TRỊ`.
    if let Some(second) = nonempty.clone().next() {
        if first.split(' ').count() == 1 && !second.chars().any(|c| c.is_lowercase()) {
            if let Some(body) = issuers::canonical_body(&format!("{first} {second}")) {
                return Some(body);
            }
        }
    }
    let province = ["ĐẢNG BỘ TỈNH ", "ĐẢNG BỘ THÀNH PHỐ "]
        .iter()
        .find_map(|p| first.strip_prefix(p))?
        .trim();
    let second = nonempty.next()?;
    if province.is_empty() || !matches!(second, "TỈNH ỦY" | "THÀNH ỦY") {
        return None;
    }
    issuers::canonical_body(&format!("{second} {province}"))
}

/// A provincial body named without its province (`Ban Thường vụ Tỉnh ủy`)
/// takes the province of the header's issuer (`Tỉnh ủy Đắk Lắk`).
fn with_province(name: String, header: Option<&str>) -> String {
    let Some(h) = header else { return name };
    for bare in ["Tỉnh ủy", "Thành ủy"] {
        if name.ends_with(bare) {
            if let Some(p) = h.strip_prefix(bare).map(str::trim) {
                if !p.is_empty() {
                    return format!("{name} {p}");
                }
            }
        }
    }
    name
}

/// Words after a short-form number that make it a quantity, not a document.
const UNIT_WORDS: &[&str] = &[
    "năm", "tháng", "ngày", "tuần", "giờ", "phút", "người", "lần", "điểm", "%", "triệu", "tỷ",
    "nghìn", "ngàn", "km", "đồng", "trang", "điều", "chương", "mục", "khoản", "cấp", "loại",
    "nhóm", "nội", "tiêu", "bước", "vấn", "đơn", "xã", "huyện", "tỉnh", "đội", "học", "sinh",
    "bài", "giải", "trận", "bàn", "vòng", "mét", "m", "kg", "ha", "số",
];

/// A short-form number is not followed by a date or number part, a unit
/// word, or a letter.
fn short_number_ok(text: &str, nstart: usize, nend: usize) -> bool {
    let b = text.as_bytes();
    if nend < b.len() {
        let c = b[nend];
        if !matches!(
            c,
            b' ' | b',' | b'.' | b';' | b')' | b'"' | b'\n' | b'?' | b'!' | b'\''
        ) {
            return false;
        }
        if matches!(c, b'.' | b',') && nend + 1 < b.len() && b[nend + 1].is_ascii_digit() {
            return false;
        }
        if letter_at(text, nend) {
            return false;
        }
    }
    // A year after Kế hoạch / Chương trình is not a number.
    let digits = &text[nstart..nend];
    if digits.len() == 4
        && digits
            .parse::<i32>()
            .is_ok_and(|y| (1945..=2100).contains(&y))
    {
        return false;
    }
    let rest = &text[nend..];
    let rest = rest.strip_prefix(' ').unwrap_or("");
    let word_end = rest
        .find([' ', ',', '.', ';', ')', '\n'])
        .unwrap_or(rest.len());
    let w = &rest[..word_end];
    // `Quy chế 3 công khai` (the schools' rule of three public disclosures):
    // a count inside a name, not a number.
    if rest.starts_with("công khai") && !letter_at(rest, "công khai".len()) {
        return false;
    }
    if !w.is_empty() && UNIT_WORDS.contains(&w.to_lowercase().as_str()) {
        // `Quy định số 102 ngày 15/11/2017`: a signing date, not a duration.
        let signing = w.eq_ignore_ascii_case("ngày")
            && crate::dates::date_at(text, nend)
                .is_some_and(|d| matches!(d.value, crate::dates::DateValue::Full(_)));
        if !signing {
            return false;
        }
    }
    true
}

/// `Nghị quyết số 202/2025 của Quốc hội`: a state-style number with its
/// year and no symbol. Returns the year and the end of the year when the
/// number ending at `ne` is followed by `/YYYY` and nothing that continues
/// a number-symbol.
fn number_year_at(text: &str, ne: usize) -> Option<(i32, usize)> {
    let b = text.as_bytes();
    if b.get(ne) != Some(&b'/') {
        return None;
    }
    let ys = ne + 1;
    let ye = ys + 4;
    let digits = text.get(ys..ye)?;
    if !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let y: i32 = digits.parse().ok()?;
    if !(1945..=2100).contains(&y) {
        return None;
    }
    match b.get(ye) {
        None => {}
        Some(c) if matches!(c, b'/' | b'-') || c.is_ascii_alphanumeric() || *c >= 0x80 => {
            return None
        }
        _ => {}
    }
    Some((y, ye))
}

/// After a `QĐ 126` short form: the end, punctuation, or a word that
/// continues a citation (`CT 128 dãy` is a scanner, not a Chỉ thị).
fn code_short_follow_ok(text: &str, ks: usize, nend: usize) -> bool {
    let rest = &text[nend..];
    let next = rest.strip_prefix(' ').map_or("", |r| {
        r.split([' ', ',', '.', ';', ')', '\n'])
            .next()
            .unwrap_or("")
    });
    let prev = text[..ks]
        .trim_end_matches(' ')
        .rsplit([' ', '\n'])
        .next()
        .unwrap_or("");
    !["dãy", "lát", "cắt", "slice"].contains(&next)
        && !["chụp", "máy", "tính", "phim", "quét"].contains(&prev)
}

/// The parsed tail of a citation.
#[derive(Default, Debug)]
struct Tail {
    date: Option<NaiveDate>,
    /// A date with an impossible day was written: no date, and no later one.
    date_written: bool,
    year: Option<i32>,
    issuer: Option<String>,
    /// Title span (offsets into the text).
    title: Option<(usize, usize)>,
    /// End of date and issuer (before the title).
    end: usize,
}

fn starts_with_ci(s: &str, w: &str) -> bool {
    s.get(..w.len())
        .is_some_and(|h| h == w || h.to_lowercase() == w)
}

/// Most bytes of a parenthesis that names what a document replaces.
const REPLACED_PARENTHESIS: usize = 320;

/// `(thay thế Quy định số 205-QĐ/TW ngày 23/9/2019)` right after `pos`
/// (spaces allowed): where the parenthesis closes, when it opens on a
/// cue of replacement and holds no other parenthesis or sentence end.
fn replaced_in_parenthesis(text: &str, pos: usize) -> Option<usize> {
    let rest = text.get(pos..)?.trim_start_matches(' ');
    let inner = rest.strip_prefix('(')?;
    if !["thay thế ", "Thay thế ", "thay cho ", "Thay cho "]
        .iter()
        .any(|c| inner.starts_with(c))
    {
        return None;
    }
    let window = &inner[..floor_char(inner, inner.len().min(REPLACED_PARENTHESIS))];
    let close = window.find(')')?;
    let body = &window[..close];
    if body.contains(['(', '\n']) || body.contains(". ") {
        return None;
    }
    Some(text.len() - inner.len() + close + 1)
}

/// Parses date, issuer and title after a number-symbol at `pos`.
/// `next_mention` is where the next mention starts (a title stops there).
fn parse_tail(text: &str, pos: usize, next_mention: usize, want_title: bool) -> Tail {
    let b = text.as_bytes();
    let limit = floor_char(text, (pos + TAIL_WINDOW).min(b.len())).min(next_mention.max(pos));
    let mut t = Tail {
        end: pos,
        ..Tail::default()
    };
    let mut p = pos;
    // Date, issuer, in this order (each optional); "do X ban hành (ngày D)".
    for _ in 0..3 {
        let q0 = p;
        let mut q = p;
        while q < limit && matches!(b[q], b' ' | b',') {
            q += 1;
        }
        let rest = &text[q..limit];
        if !t.date_written && t.issuer.is_none() {
            let comma_or_space = q > q0 || q == pos;
            let with_ngay = starts_with_ci(rest, "ngày ");
            let ban_hanh = starts_with_ci(rest, "ban hành ngày ");
            let dq = if ban_hanh { q + "ban hành ".len() } else { q };
            if (with_ngay
                || ban_hanh
                || comma_or_space
                || rest.starts_with("tháng ")
                || rest.starts_with("năm "))
                && !rest.is_empty()
            {
                if let Some(m) = date_at(text, dq) {
                    if m.end <= limit && (with_ngay || ban_hanh || m.start == dq) {
                        let ok = match m.value {
                            DateValue::Full(d) => {
                                t.date = Some(d);
                                t.year = Some(d.year());
                                true
                            }
                            DateValue::MonthYear { year, .. } | DateValue::Year(year) => {
                                t.year = Some(year);
                                true
                            }
                            DateValue::Invalid => true,
                            _ => false,
                        };
                        if ok {
                            t.date_written = true;
                            p = m.end;
                            t.end = p;
                            continue;
                        }
                    }
                }
            }
        }
        if t.issuer.is_none() {
            let (skip, is_do) = if starts_with_ci(rest, "của ") {
                ("của ".len(), false)
            } else if starts_with_ci(rest, "do ") {
                (3, true)
            } else {
                (0, false)
            };
            // `Nghị quyết số 10-NQ/TW, ngày 03/6/2017 Hội nghị lần thứ năm
            // Ban Chấp hành Trung ương Đảng khóa XII`: a plenum cited
            // without `của`.
            let bare_plenum = skip == 0 && starts_with_ci(rest, "hội nghị ");
            if skip > 0 || bare_plenum {
                let body_at = q + skip;
                if let Some((name, len)) = issuers::match_body(&text[body_at..limit]) {
                    let mut e = body_at + len;
                    if is_do {
                        let r = &text[e..limit];
                        let r2 = r.trim_start_matches(' ');
                        let r3 = if starts_with_ci(r2, "đã ") {
                            &r2["đã ".len()..]
                        } else {
                            r2
                        };
                        if let Some(r4) =
                            starts_with_ci(r3, "ban hành").then(|| &r3["ban hành".len()..])
                        {
                            e = limit - r4.len();
                            // `do Ban Bí thư ban hành ngày 28/7/2021`.
                            if !t.date_written && starts_with_ci(r4, " ngày ") {
                                if let Some(m) = date_at(text, e).filter(|m| m.end <= limit) {
                                    t.date_written = true;
                                    if let DateValue::Full(d) = m.value {
                                        t.date = Some(d);
                                    }
                                    t.year = m.value.year();
                                    e = m.end;
                                }
                            }
                        } else {
                            break;
                        }
                    }
                    t.issuer = Some(name);
                    p = e;
                    t.end = p;
                    continue;
                }
            }
        }
        break;
    }
    if !want_title {
        return t;
    }
    // Title: quoted, or after "về".
    let mut q = p;
    while q < limit && matches!(b[q], b' ' | b',') {
        q += 1;
    }
    let rest = &text[q..limit];
    // `Quy định số 32-QĐ/TW quy định về chức năng, …`: the verb before the
    // subject line.
    let (after_ve, q2) = match rest
        .strip_prefix("về ")
        .or_else(|| rest.strip_prefix("VỀ "))
        .or_else(|| rest.strip_prefix("Về "))
        .or_else(|| rest.strip_prefix("quy định về "))
    {
        Some(r) => (true, limit - r.len()),
        None => (false, q),
    };
    let rest2 = &text[q2..limit];
    if rest2.starts_with('"') && q2 == pos {
        // A closing quote around the citation itself.
        return t;
    }
    if let Some(r) = rest2.strip_prefix('"') {
        if let Some(close) = r.find(['"', '\n']) {
            if r.as_bytes()[close] == b'"' && close > 0 {
                let s0 = q2 + 1;
                let inner = &r[..close];
                let lead = inner.len() - inner.trim_start().len();
                let s = s0 + lead;
                let e = s0 + inner.trim_end().len();
                if e > s {
                    t.title = Some((s, e));
                }
            }
        }
        return t;
    }
    if !after_ve {
        return t;
    }
    // `về 'Một số vấn đề …'`: single quotes, after `về` only (an apostrophe
    // elsewhere is no quote), closed before the line ends by a quote that no
    // letter follows.
    if let Some(r) = rest2.strip_prefix('\'') {
        let line = &r[..r.find('\n').unwrap_or(r.len())];
        let close = line.char_indices().find(|&(k, c)| {
            c == '\''
                && k > 0
                && !line[k + 1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
        });
        if let Some((close, _)) = close {
            let inner = &r[..close];
            let s0 = q2 + 1;
            let s = s0 + (inner.len() - inner.trim_start().len());
            let e = s0 + inner.trim_end().len();
            if e > s {
                t.title = Some((s, e));
            }
        }
        // Unclosed before the next mention or the line's end: no title.
        return t;
    }
    if let Some((s, e)) = unquoted_title(text, q2, limit, next_mention) {
        t.title = Some((s, e));
    }
    t
}

/// Phrases that begin the rest of the sentence after an unquoted title.
const TITLE_STOPS: &[&str] = &[
    " được ",
    " đã ",
    " là ",
    " có hiệu lực",
    " hết hiệu lực",
    " gồm ",
    " nhằm ",
    " vừa ",
    " sẽ ",
    " đang ",
    " tiếp tục được",
    " thay thế",
    ", thay cho ",
    " sửa đổi",
    " bãi bỏ",
    " hướng dẫn thực hiện",
    " yêu cầu",
    " nhấn mạnh",
    " đề ra",
    " xác định",
    " khẳng định",
    " ra đời",
    " diễn ra",
    " nêu rõ",
    " quy định rõ",
    " do ",
    " ngày ",
    ", trong đó",
    ", theo đó",
    ", đồng thời",
    ", gắn với",
    ", với ",
    ", tập trung",
    ", sau ",
    " sau khi ",
    " để ",
    " và các văn bản",
    " và các hướng dẫn",
];

/// Words that lead to the audience of a meeting after a title (`… cho cán
/// bộ chủ chốt`, `… tới đội ngũ …`, `… cho hơn 350 học viên`).
const AUDIENCE_LEADS: &[&str] = &[" cho ", " tới ", " đến "];
/// The audience itself, right after an audience lead.
const AUDIENCE: &[&str] = &[
    "cán bộ",
    "đội ngũ",
    "hơn ",
    "gần ",
    "trên ",
    "các đồng chí",
    "học viên",
    "đảng viên",
    "toàn thể",
    "lãnh đạo",
    "báo cáo viên",
    "đại biểu",
];

/// Where the first stop phrase `w` occurs in `s` as a stop: ` là ` after
/// `trước hết` (`…, trước hết là Ủy viên Bộ Chính trị`), the modal
/// `không được` (`về những điều đảng viên không được làm`) and the noun
/// `(đáp ứng / theo) yêu cầu` and `ngày` not before a number belong to the
/// title.
fn stop_at(s: &str, w: &str) -> Option<usize> {
    memchr::memmem::find_iter(s.as_bytes(), w.as_bytes()).find(|&i| {
        !(w == " là " && s[..i].ends_with("trước hết")
            || w == " được " && s[..i].ends_with(" không")
            // `đáp ứng yêu cầu phát triển …`, `theo yêu cầu …`: a noun.
            || w == " yêu cầu" && (s[..i].ends_with("đáp ứng") || s[..i].ends_with(" theo"))
            // `kỷ niệm ngày sinh`, `ngày truyền thống`: a day named in the
            // title, not a date after it.
            || w == " ngày " && !s[i + w.len()..].starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// The first predicate phrase in `s` (either letter case), or the first
/// audience after the title, if any.
fn first_title_stop(s: &str) -> Option<usize> {
    static UPPER: OnceLock<Vec<String>> = OnceLock::new();
    let upper = UPPER.get_or_init(|| TITLE_STOPS.iter().map(|w| w.to_uppercase()).collect());
    let audience = AUDIENCE_LEADS
        .iter()
        .flat_map(|lead| s.match_indices(lead))
        .filter(|&(i, lead)| {
            let after = &s[i + lead.len()..];
            after.starts_with(|c: char| c.is_ascii_digit())
                || AUDIENCE.iter().any(|a| after.starts_with(a))
        })
        .map(|(i, _)| i)
        .min();
    TITLE_STOPS
        .iter()
        .copied()
        .chain(upper.iter().map(String::as_str))
        .filter_map(|w| stop_at(s, w))
        .chain(audience)
        .min()
}

/// The span of an unquoted title starting at `from` (after `về `), inside
/// `..limit` (the tail window, or the next mention).
fn unquoted_title(
    text: &str,
    from: usize,
    limit: usize,
    next_mention: usize,
) -> Option<(usize, usize)> {
    let rest = &text[from..limit];
    let punct = rest.find([';', '.', ':', '(', ')', '"', '\n']);
    let phrase = &rest[..punct.unwrap_or(rest.len())];
    // `về thực hiện Nghị quyết 18`, `về việc bãi bỏ Quyết định 5`: the lead
    // cue is not searched for predicates.
    let lead = phrase.strip_prefix("việc ").unwrap_or(phrase);
    let lead_cue = RELATION_LEADS
        .iter()
        .chain(RELATION_TRAILS)
        .find(|c| starts_with_ci(lead, c));
    let skip = lead_cue.map_or(0, |c| phrase.len() - lead.len() + c.len());
    let pred = phrase
        .get(skip..)
        .and_then(first_title_stop)
        .map(|v| v + skip);
    let mut stop = pred.or(punct);
    // `…, Ban Thường vụ Tỉnh ủy ban hành …`: a comma before a new clause's
    // subject (a capitalised body) ends the title.
    let scan_end = stop.unwrap_or(rest.len());
    let mut c = 0;
    while let Some(k) = rest[c..scan_end].find(", ") {
        let at = c + k + 2;
        let next = &rest[at..];
        if next.chars().next().is_some_and(char::is_uppercase)
            && issuers::match_body(next).is_some()
        {
            stop = Some(c + k);
            break;
        }
        c = at;
    }
    let hit_mention = stop.is_none() && limit == next_mention;
    if stop.is_none() && !hit_mention && limit < text.len() && limit < next_mention {
        // No end within the window: cut at the last comma, or nothing.
        stop = Some(rest.rfind(',')?);
    }
    let stop = stop.unwrap_or(rest.len());
    let mut title = rest[..stop].trim_end();
    if hit_mention {
        // A relation, not a title.
        if lead_cue.is_some() {
            return None;
        }
        // A trailing relation cue belongs to the relation.
        for cue in RELATION_TRAILS {
            if let Some(s) = title.strip_suffix(cue) {
                title = s.trim_end();
                break;
            }
        }
    }
    // A title never ends with a conjunction or a preposition (`… của Đảng
    // và` before the next mention), nor with the adverb of the predicate
    // that stopped it (`… tiền bối vẫn được thực hiện`).
    let mut title = title.trim_end_matches([',', ' ']);
    for _ in 0..3 {
        match [
            " và", " của", " cùng", " với", " cho", " vẫn", " đã", " đang", " sẽ", " cũng",
            " nhằm", " để",
        ]
        .iter()
        .find_map(|w| title.strip_suffix(w))
        {
            Some(t) => title = t.trim_end_matches([',', ' ']),
            None => break,
        }
    }
    // `về cùng vấn đề`: the subject of another document, not a title.
    if title.is_empty() || ["cùng vấn đề", "cùng nội dung"].contains(&title) {
        return None;
    }
    Some((from, from + title.len()))
}

/// The end of a citation's date and issuer after a mention ending at `pos`
/// (the title is not included). Used by relations to skip a citation tail.
/// True when the trimmed text between two citations only joins them into
/// one list (`,`, `;`, `và`, `, và`).
pub(crate) fn is_list_separator(gap: &str) -> bool {
    matches!(gap, "," | ";" | "và" | ", và")
}

pub(crate) fn tail_end(text: &str, pos: usize, next_mention: usize) -> usize {
    parse_tail(text, pos, next_mention, false).end
}

/// The end of a citation's tail after a mention ending at `pos`, its title
/// included when it has one. Used by relations for passive cues after a title
/// (`A về X được thay thế bởi B`).
pub(crate) fn tail_end_with_title(text: &str, pos: usize, next_mention: usize) -> usize {
    let t = parse_tail(text, pos, next_mention, true);
    t.title.map_or(t.end, |(_, e)| e.max(t.end))
}

/// Cues that make the phrase after `về` a relation when a mention follows.
const RELATION_LEADS: &[&str] = &[
    "thực hiện",
    "triển khai",
    "sơ kết",
    "tổng kết",
    "tiếp tục thực hiện",
    "hướng dẫn",
];
/// Cues that end a title when a mention follows them.
const RELATION_TRAILS: &[&str] = &[
    "thay thế cho",
    "thay thế",
    "sửa đổi, bổ sung một số điều của",
    "sửa đổi, bổ sung",
    "sửa đổi",
    "bổ sung",
    "bãi bỏ",
    "hướng dẫn thực hiện",
    "hướng dẫn",
    "quy định chi tiết",
    "triển khai thực hiện",
    "triển khai",
    "thực hiện",
    "cụ thể hóa",
    "cụ thể hoá",
];

/// The documents of a text and where each one's title was read.
#[derive(Debug, Default)]
pub struct Found {
    /// The documents, in order of first mention.
    pub documents: Vec<Document>,
    /// For each document, the span of its title in `ctx.text` (the matching
    /// view), so the caller can take the title as written.
    pub title_spans: Vec<Option<(usize, usize)>>,
}

/// All distinct documents of the text, merged, in order of first mention.
/// Mention and title spans are offsets into `ctx.text`.
pub fn extract(ctx: &Context) -> Found {
    let text = ctx.text;
    let b = text.as_bytes();
    let syms = number_symbols(text);
    let head = header(text, &syms);
    let mut used = vec![false; syms.len()];
    let mut mentions: Vec<Mention> = Vec::new();
    if let Some(h) = &head {
        let s = &syms[h.sym];
        used[h.sym] = true;
        mentions.push(Mention {
            start: s.start,
            end: s.end,
            form: Form::Header,
            word_kind: Some(h.kind),
            sym: Some(h.sym),
            number: s.number.clone(),
            code: None,
            date: h.date,
            year: s.year.or(h.date.map(|d| d.year())),
            issuer: h.issuer.clone(),
            title: h.title,
            tail_from: s.end,
            group: None,
        });
    }
    let table = kind_table();
    // Full citations: a kind word (and `số`) right before a number-symbol.
    for si in 0..syms.len() {
        if used[si] {
            continue;
        }
        let s = &syms[si];
        if let Some(kb) = kind_before(text, s.start, table) {
            if let KindHit::Word(kind) = kb.hit {
                // A generic word (`Văn bản`) leaves the kind to the type code.
                let generic = ["văn bản", "Văn bản", "VĂN BẢN", "Văn Bản"]
                    .iter()
                    .any(|w| text[kb.start..].starts_with(w));
                let kind = if generic { s.code_kind } else { kind };
                push_symbol_mention(
                    &mut mentions,
                    &mut used,
                    &syms,
                    si,
                    kb.start,
                    Form::Full,
                    Some(kind),
                );
                continue;
            }
        }
        // `Bộ luật Dân sự số 91/2015/QH13`: a name between kind and số.
        if let Some((ks, kind)) = named_law(text, s) {
            push_symbol_mention(
                &mut mentions,
                &mut used,
                &syms,
                si,
                ks,
                Form::Full,
                Some(kind),
            );
        }
    }
    // Short forms: a kind word or a type code right before a number.
    let mut next_sym = 0;
    for_each_number(b, |ds| {
        while next_sym < syms.len() && syms[next_sym].end <= ds {
            next_sym += 1;
        }
        if next_sym < syms.len() && syms[next_sym].start <= ds {
            return; // inside a number-symbol
        }
        let Some(ne) = number_at(b, ds) else { return };
        let Some(kb) = kind_before(text, ds, table) else {
            return;
        };
        if let (KindHit::Word(kind), Some((year, ye))) = (&kb.hit, number_year_at(text, ne)) {
            if *kind != K::Other && kb.has_so && ds != kb.kind_end {
                let mut m = short_mention(kb.start, ds, ne, Form::Short, Some(*kind), None, text);
                m.end = ye;
                m.tail_from = ye;
                m.year = Some(year);
                mentions.push(m);
            }
            return;
        }
        if ds == kb.kind_end || !short_number_ok(text, ds, ne) {
            return; // glued `Luật2` is no short form
        }
        match kb.hit {
            KindHit::Word(kind) => {
                if kind == K::Other || !(kb.capital || kb.has_so) {
                    return;
                }
                mentions.push(short_mention(
                    kb.start,
                    ds,
                    ne,
                    Form::Short,
                    Some(kind),
                    None,
                    text,
                ));
            }
            KindHit::Code(code) => {
                if kb.has_so || !code_short_follow_ok(text, kb.start, ne) {
                    return;
                }
                mentions.push(short_mention(
                    kb.start,
                    ds,
                    ne,
                    Form::CodeShort,
                    None,
                    Some(code),
                    text,
                ));
            }
        }
    });
    // Self-references `<kind> này` in a text with a header.
    if let Some(h) = &head {
        for &at in ctx.nay() {
            let end = at + crate::context::NAY.len();
            if letter_at(text, end) {
                continue;
            }
            let Some((ks, kind, _)) = kind_word_ending_at(text, at, table) else {
                continue;
            };
            if kind == h.kind && !preceded_by_plural(text, ks) {
                mentions.push(Mention {
                    start: ks,
                    end,
                    form: Form::SelfRef,
                    word_kind: Some(kind),
                    sym: None,
                    number: String::new(),
                    code: None,
                    date: None,
                    year: None,
                    issuer: None,
                    title: None,
                    tail_from: end,
                    group: None,
                });
            }
        }
    }
    // Bare number-symbols.
    for i in 0..syms.len() {
        // An unknown type or issuer stands alone only as an item of a list
        // (`Công văn số 23/CV-ABC, 24/CV-ABC`).
        let list_item = i > 0 && used[i - 1] && {
            let gap = text
                .get(syms[i - 1].end..syms[i].start)
                .unwrap_or("x")
                .trim();
            is_list_separator(gap)
        };
        let u = &mut used[i];
        if !*u && (syms[i].bare_ok || list_item) {
            *u = true;
            let s = &syms[i];
            mentions.push(symbol_mention(s, i, s.start, Form::Bare, None));
        }
    }
    mentions.sort_by_key(|m| (m.start, m.end));
    // Plural lists: a bare number-symbol joined to the previous
    // number-symbol mention by `,`, `;`, `và` takes its kind word.
    // `group_kind[g - 1]`: the kind word of list `g`.
    let mut group_kind: Vec<DocumentKind> = Vec::new();
    for i in 1..mentions.len() {
        if mentions[i].form != Form::Bare {
            continue;
        }
        let prev = &mentions[i - 1];
        if prev.sym.is_none() || !matches!(prev.form, Form::Full | Form::Bare) {
            continue;
        }
        let list_kind = match prev.group {
            Some(g) => group_kind[g - 1],
            None => match prev.word_kind {
                Some(k) if prev.form == Form::Full => k,
                _ => continue,
            },
        };
        // Skip the previous item's own date.
        let mut from = prev.end;
        if let Some(d) = date_at(text, from) {
            let lead = text[from..d.start].trim_matches([' ', ',']);
            if d.end <= mentions[i].start && (lead.is_empty() || lead.eq_ignore_ascii_case("ngày"))
            {
                from = d.end;
            }
        }
        let gap = text.get(from..mentions[i].start).unwrap_or("x").trim();
        if !is_list_separator(gap) {
            continue;
        }
        // The item's own type code must fit the list's kind word.
        let sym = &syms[mentions[i].sym.unwrap_or(0)];
        let fits = sym.code_kind == list_kind
            || (sym.code_kind == K::Other && !sym.party_qd)
            || (sym.party_qd && matches!(list_kind, K::QuyDinh | K::QuyetDinh));
        if !fits {
            continue;
        }
        let g = match prev.group {
            Some(g) => g,
            None => {
                group_kind.push(list_kind);
                group_kind.len()
            }
        };
        mentions[i - 1].group = Some(g);
        mentions[i].word_kind = Some(list_kind);
        mentions[i].group = Some(g);
    }
    // Tails.
    // The last `<issuer> ban hành <citation>`: its issuer, leading date,
    // where its citation ends and its symbol's issuing part, for a second
    // object of the same verb (`… ban hành Quy định 58-QĐ/TW về … và Quy
    // định 57-QĐ/TW về …`).
    let mut verb: Option<(String, Option<NaiveDate>, usize, String)> = None;
    for i in 0..mentions.len() {
        if mentions[i].form == Form::Header || mentions[i].form == Form::SelfRef {
            continue;
        }
        let next = mentions.get(i + 1).map_or(text.len(), |m| m.start);
        let want_title = mentions[i].sym.is_some();
        let mut tail = parse_tail(text, mentions[i].tail_from, next, want_title);
        // `Nghị quyết số 18 ngày 25-10-2017 của Ban Chấp hành Trung ương về
        // …`: a number without symbol, cited whole with its date and issuer,
        // has its title too.
        if !want_title && tail.date_written && tail.issuer.is_some() {
            tail = parse_tail(text, mentions[i].tail_from, next, true);
        }
        // `Quy định số 132-QĐ/TW (thay thế Quy định số 205-QĐ/TW …) về …`:
        // the subject after a parenthesis naming what A replaces is A's.
        if want_title && tail.title.is_none() {
            if let Some(close) = replaced_in_parenthesis(text, tail.end) {
                // (Mentions are in text order: search on from the next.)
                let after = mentions[i + 1..]
                    .iter()
                    .map(|m| m.start)
                    .find(|&st| st >= close)
                    .unwrap_or(text.len());
                let t2 = parse_tail(text, close, after, true);
                if t2.issuer.is_none() && !t2.date_written {
                    tail.title = t2.title;
                }
            }
        }
        let part = mentions[i]
            .sym
            .and_then(|k| syms.get(k))
            .map(|s| issuing_part(&s.symbol).to_owned());
        let mut from_verb = None;
        // `(Ngày D,) <issuer> (đã/vừa) ban hành <citation>`.
        if tail.issuer.is_none() || !tail.date_written {
            if let Some((name, body_start)) = issuer_before(ctx, mentions[i].start) {
                let mut lead = None;
                if !tail.date_written {
                    let number_year = mentions[i].year;
                    if let Some(d) = leading_date(ctx, body_start, number_year) {
                        tail.date = Some(d);
                        tail.year = Some(d.year());
                        lead = Some(d);
                    }
                }
                if tail.issuer.is_none() {
                    tail.issuer = Some(name.clone());
                }
                from_verb = Some((name, lead));
            } else if let Some(d) = (!tail.date_written)
                .then(|| signed_on(ctx, mentions[i].start, mentions[i].year))
                .flatten()
            {
                // `Ngày 16/9/2021, đồng chí X, Tổng Bí thư, ký ban hành A`:
                // signed by a person; the day is A's, the body unknown.
                tail.date = Some(d);
                tail.year = Some(d.year());
            } else if let Some((name, lead, end, verb_part)) = &verb {
                // A second object of the same verb, with a symbol of the
                // same issuing body (`QĐ/TW` after `QĐ/TW`, not `HD/BTCTW`).
                let gap = text.get(*end..mentions[i].start).unwrap_or("x").trim();
                let same_body = part
                    .as_deref()
                    .is_some_and(|p| p.eq_ignore_ascii_case(verb_part));
                if matches!(gap, "và" | ", và" | ",") && same_body && tail.issuer.is_none() {
                    tail.issuer = Some(name.clone());
                    if !tail.date_written && tail.date.is_none() {
                        if let Some(d) = lead {
                            tail.date = Some(*d);
                            tail.year = Some(d.year());
                        }
                    }
                    from_verb = Some((name.clone(), *lead));
                }
            }
        }
        let cited_end = tail.title.map_or(tail.end, |(_, e)| e.max(tail.end));
        verb = match (from_verb, part) {
            (Some((name, lead)), Some(part)) => Some((name, lead, cited_end, part)),
            _ => None,
        };
        // `A … về <title>, được ban hành ngày D`: the date after the title.
        if !tail.date_written {
            let after = tail.title.map_or(tail.end, |(_, e)| e.max(tail.end));
            if let Some((d, by)) = issued_after(text, after, next) {
                tail.date = Some(d);
                tail.year = Some(d.year());
                if tail.issuer.is_none() {
                    tail.issuer = by;
                }
            }
        }
        // `08/07/2009 Văn bản được ban hành 57/2009/NĐ-CP`: the issue row of
        // an effect-history table.
        if !tail.date_written {
            if let Some(d) = history_issue_row(text, mentions[i].start) {
                tail.date = Some(d);
                tail.year = Some(d.year());
            }
        }
        let m = &mut mentions[i];
        m.date = tail.date;
        if m.year.is_none() {
            m.year = tail.year;
        }
        m.issuer = tail.issuer;
        m.title = tail.title;
    }
    // `Nghị quyết số 28-NQ/TW và Nghị quyết số 29-NQ/TW của Hội nghị Trung
    // ương 8 khóa XIII`: citations of one kind and one symbol, listed with
    // nothing of their own between them, share the issuer after the last.
    // Walked backwards so that a longer list passes it on item by item.
    for i in (0..mentions.len().saturating_sub(1)).rev() {
        let (a, b) = (&mentions[i], &mentions[i + 1]);
        if a.issuer.is_some() || a.date.is_some() || a.title.is_some() || b.issuer.is_none() {
            continue;
        }
        let same_symbol = match (a.sym, b.sym) {
            (Some(x), Some(y)) => syms
                .get(x)
                .zip(syms.get(y))
                .is_some_and(|(x, y)| x.symbol == y.symbol && !x.symbol.is_empty()),
            _ => false,
        };
        let gap = text.get(a.tail_from..b.start).unwrap_or("x").trim();
        if same_symbol
            && a.word_kind.is_some()
            && a.word_kind == b.word_kind
            && matches!(gap, "và" | "," | ", và" | ";")
        {
            mentions[i].issuer = mentions[i + 1].issuer.clone();
        }
    }
    // `Số hiệu: 15/2023/NQ-HĐND  Loại văn bản: Nghị quyết  Nơi ban hành: …
    // Ngày ban hành: 12/07/2023`: a legal-information site's attribute
    // block names the kind, issuer and date of the number after `Số hiệu`.
    for m in mentions.iter_mut() {
        if m.form == Form::Header || m.form == Form::SelfRef {
            continue;
        }
        let before = text[..m.start].trim_end_matches([' ', '|', '\n', '\t', ':']);
        if !(before.ends_with("Số hiệu") || before.ends_with("Số ký hiệu")) {
            continue;
        }
        let block = attribute_block(text, m.end);
        if m.word_kind.is_none() {
            m.word_kind = block.kind;
        }
        if m.date.is_none() {
            m.date = block.date;
        }
        if m.issuer.is_none() {
            m.issuer = block.issuer;
        }
    }
    // A list's last tail applies to every item.
    let mut i = 0;
    while i < mentions.len() {
        let Some(g) = mentions[i].group else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j + 1 < mentions.len() && mentions[j + 1].group == Some(g) {
            j += 1;
        }
        let (date, year, issuer, title) = (
            mentions[j].date,
            mentions[j].year,
            mentions[j].issuer.clone(),
            mentions[j].title,
        );
        for m in &mut mentions[i..j] {
            if m.date.is_none() && m.year.is_none() {
                m.date = date;
                if syms[m.sym.unwrap_or(0)].year.is_none() {
                    m.year = year;
                }
            }
            if m.issuer.is_none() {
                m.issuer = issuer.clone();
            }
            if m.title.is_none() {
                m.title = title;
            }
        }
        i = j + 1;
    }
    merge(text, &mentions, &syms)
}

/// Labels of a legal-information site's attribute block (thuộc tính văn
/// bản); each value runs to the next label, a line break or a `|`.
const ATTRIBUTE_LABELS: &[&str] = &[
    "Số hiệu:",
    "Số ký hiệu:",
    "Loại văn bản:",
    "Nơi ban hành:",
    "Cơ quan ban hành:",
    "Người ký:",
    "Ngày ban hành:",
    "Ngày hiệu lực:",
    "Ngày công báo:",
    "Số công báo:",
    "Tình trạng:",
    "Lĩnh vực:",
];

/// Bytes after the number in which its attribute block is read.
const ATTRIBUTE_WINDOW: usize = 600;

/// What an attribute block says about its document.
#[derive(Default)]
struct AttributeBlock {
    kind: Option<DocumentKind>,
    date: Option<NaiveDate>,
    issuer: Option<String>,
}

/// The attribute block after a `Số hiệu` number ending at `end`: the kind
/// (`Loại văn bản: Nghị quyết`), the issuing body when it is a known one
/// (`Nơi ban hành: Ủy ban Thường vụ Quốc hội`) and the signing date
/// (`Ngày ban hành: 22/03/2012`). Bounded by [`ATTRIBUTE_WINDOW`].
fn attribute_block(text: &str, end: usize) -> AttributeBlock {
    let hi = floor_char(text, (end + ATTRIBUTE_WINDOW).min(text.len()));
    let window = &text[end..hi];
    // The block ends where the next document's begins (a listing page).
    let window = match ["Số hiệu:", "Số ký hiệu:"]
        .iter()
        .filter_map(|l| window.find(l))
        .min()
    {
        Some(next) => &window[..next],
        None => window,
    };
    let mut out = AttributeBlock::default();
    let value = |label: &str| -> Option<(usize, &str)> {
        let at = window.find(label)? + label.len();
        let rest = &window[at..];
        let lead = rest.len() - rest.trim_start_matches([' ', '|', '\n', '\t']).len();
        let v = &rest[lead..];
        let stop = ATTRIBUTE_LABELS
            .iter()
            .filter_map(|l| v.find(l))
            .chain(v.find(['\n', '|']))
            .min()
            .unwrap_or(v.len());
        Some((end + at + lead, v[..stop].trim()))
    };
    if let Some((_, v)) = value("Loại văn bản:") {
        out.kind = heading_kind(&v.to_uppercase());
    }
    for label in ["Nơi ban hành:", "Cơ quan ban hành:"] {
        if let Some((_, v)) = value(label) {
            if let Some((name, len)) = issuers::match_body(v) {
                if len >= v.len() {
                    out.issuer = Some(name);
                    break;
                }
            }
        }
    }
    if let Some((at, _)) = value("Ngày ban hành:") {
        if let Some(DateValue::Full(d)) = date_at(text, at).map(|m| m.value) {
            out.date = Some(d);
        }
    }
    out
}

/// What stands right before a number.
#[derive(Clone, Copy)]
enum KindHit {
    Word(DocumentKind),
    Code(&'static str),
}

/// A kind word (or code) found before a number.
struct KindBefore {
    /// Start of the kind word.
    start: usize,
    /// End of the kind word (before `số`).
    kind_end: usize,
    hit: KindHit,
    has_so: bool,
    /// The kind word starts with a capital letter.
    capital: bool,
}

/// Kind-word variants (lower case, capitalised, title case, upper case) by
/// their last byte, longest first: a number's look-back costs one table
/// lookup when nothing fits.
struct KindTable {
    by_last: Vec<Vec<(String, KindHit)>>,
}

fn kind_table() -> &'static KindTable {
    static T: OnceLock<KindTable> = OnceLock::new();
    T.get_or_init(|| {
        let mut by_last: Vec<Vec<(String, KindHit)>> = vec![Vec::new(); 256];
        for &(w, k) in KIND_WORDS {
            let mut first = String::new();
            let mut chars = w.chars();
            if let Some(c) = chars.next() {
                first.extend(c.to_uppercase());
                first.push_str(chars.as_str());
            }
            let variants = [w.to_owned(), first, title_case(w), w.to_uppercase()];
            for (i, v) in variants.iter().enumerate() {
                if variants[..i].contains(v) {
                    continue;
                }
                if let Some(&last) = v.as_bytes().last() {
                    by_last[last as usize].push((v.clone(), KindHit::Word(k)));
                }
            }
        }
        for &c in SHORT_CODES {
            if let Some(&last) = c.as_bytes().last() {
                by_last[last as usize].push((c.to_owned(), KindHit::Code(c)));
            }
        }
        for v in &mut by_last {
            v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
        KindTable { by_last }
    })
}

/// A cheap test before `ends_with` (the table's words share their last
/// byte): false when the byte before `b[e - 1]` cannot end like `w`.
#[inline]
fn second_last_fits(b: &[u8], e: usize, w: &str) -> bool {
    let w = w.as_bytes();
    w.len() < 2 || (e >= 2 && b[e - 2] == w[w.len() - 2])
}

/// The kind word ending at `e` (at a word start): start, kind, capitalised.
fn kind_word_ending_at(
    text: &str,
    e: usize,
    table: &KindTable,
) -> Option<(usize, DocumentKind, bool)> {
    let &last = text.as_bytes().get(e.checked_sub(1)?)?;
    let head = &text[..e];
    for (w, hit) in &table.by_last[last as usize] {
        if let KindHit::Word(k) = *hit {
            if second_last_fits(text.as_bytes(), e, w)
                && head.ends_with(w.as_str())
                && !letter_before(text, e - w.len())
            {
                return Some((e - w.len(), k, w.starts_with(|c: char| c.is_uppercase())));
            }
        }
    }
    None
}

/// The kind word ending at `e` (`Quyết định` in `Quyết định này`): where it
/// starts and its kind. Used by relations for `<kind> này` outside a header.
pub(crate) fn kind_word_before(text: &str, e: usize) -> Option<(usize, DocumentKind)> {
    kind_word_ending_at(text, e, kind_table()).map(|(s, k, _)| (s, k))
}

/// The kind word or type code right before the number starting at `p`
/// (`Quy định số 126`, `Nghị quyết 18`, `QĐ 126`, `số126`, `Số: 58`).
fn kind_before(text: &str, p: usize, table: &KindTable) -> Option<KindBefore> {
    let b = text.as_bytes();
    let mut e = p;
    let mut n = 0;
    while e > 0 && matches!(b[e - 1], b' ' | b':') && n < 3 {
        e -= 1;
        n += 1;
    }
    let mut has_so = false;
    let head = &text[..e];
    for so in ["số", "Số", "SỐ"] {
        if head.ends_with(so) && !letter_before(text, e - so.len()) {
            has_so = true;
            e -= so.len();
            let mut n = 0;
            while e > 0 && b[e - 1] == b' ' && n < 2 {
                e -= 1;
                n += 1;
            }
            break;
        }
    }
    if e == p && !has_so {
        return None; // glued to a word
    }
    if e == 0 {
        return None;
    }
    let last = b[e - 1];
    let head = &text[..e];
    for (w, hit) in &table.by_last[last as usize] {
        if !second_last_fits(b, e, w) || !head.ends_with(w.as_str()) {
            continue;
        }
        let ks = e - w.len();
        if letter_before(text, ks) {
            continue;
        }
        if let KindHit::Word(K::Luat) = hit {
            // `kỷ luật`, `pháp luật` are not the kind word Luật.
            if w.starts_with('l') {
                let before = text[..ks].trim_end_matches(' ');
                if ["kỷ", "Kỷ", "pháp", "Pháp"]
                    .iter()
                    .any(|x| before.ends_with(x))
                {
                    return None;
                }
            }
        }
        return Some(KindBefore {
            start: ks,
            kind_end: e,
            hit: *hit,
            has_so,
            capital: w.starts_with(|c: char| c.is_uppercase()),
        });
    }
    None
}

/// Calls `f` with the start of every run of ASCII digits.
///
/// On x86_64, SSE2 (part of the baseline) tests 16 bytes at a time for
/// bytes in `0x30..=0x3F`; elsewhere eight bytes at a time in a `u64`.
fn for_each_number(b: &[u8], mut f: impl FnMut(usize)) {
    let mut i = 0;
    let mut emit = |k: usize| {
        if b[k].is_ascii_digit() && (k == 0 || !b[k - 1].is_ascii_digit()) {
            f(k);
        }
    };
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8,
            _mm_set1_epi8,
        };
        // SAFETY: SSE2 is always available on x86_64; every load reads
        // `b[i..i + 16]`, which is in bounds by the loop condition.
        unsafe {
            let hi = _mm_set1_epi8(0xF0u8 as i8);
            let three = _mm_set1_epi8(0x30);
            while i + 16 <= b.len() {
                let x = _mm_loadu_si128(b.as_ptr().add(i) as *const __m128i);
                let mut m = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(x, hi), three)) as u32;
                while m != 0 {
                    let k = i + m.trailing_zeros() as usize;
                    m &= m - 1;
                    emit(k);
                }
                i += 16;
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        const HI: u64 = 0xF0F0_F0F0_F0F0_F0F0;
        const THREES: u64 = 0x3030_3030_3030_3030;
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        while i + 8 <= b.len() {
            let mut chunk = [0u8; 8];
            chunk.copy_from_slice(&b[i..i + 8]);
            let y = (u64::from_le_bytes(chunk) & HI) ^ THREES;
            if (y.wrapping_sub(ONES) & !y & HIGHS) != 0 {
                for k in i..i + 8 {
                    emit(k);
                }
            }
            i += 8;
        }
    }
    for k in i..b.len() {
        emit(k);
    }
}

fn short_mention(
    start: usize,
    ds: usize,
    ne: usize,
    form: Form,
    kind: Option<DocumentKind>,
    code: Option<&'static str>,
    text: &str,
) -> Mention {
    Mention {
        start,
        end: ne,
        form,
        word_kind: kind,
        sym: None,
        number: text[ds..ne].to_owned(),
        code,
        date: None,
        year: None,
        issuer: None,
        title: None,
        tail_from: ne,
        group: None,
    }
}

/// `các`, `những` before a kind word: a plural, not the text itself.
fn preceded_by_plural(text: &str, ks: usize) -> bool {
    let before = text[..ks].trim_end_matches(' ');
    before.ends_with("các")
        || before.ends_with("những")
        || before.ends_with("Các")
        || before.ends_with("Những")
}

/// `Luật Đất đai số 45/2013/QH13`: a law's own number (`…/QH13`,
/// `…/UBTVQH…`) after `số`, and before it a capitalised `Luật` / `Bộ luật` /
/// `Pháp lệnh` and 1–8 name words without digits or punctuation. Returns
/// the kind word's start and kind.
fn named_law(text: &str, s: &NumSym) -> Option<(usize, DocumentKind)> {
    if !(s.symbol.starts_with("QH") || s.symbol.contains("UBTVQH")) {
        return None;
    }
    let head = text[..s.start].strip_suffix("số ")?;
    let head = head.strip_suffix(' ')?;
    let lo = floor_char(text, head.len().saturating_sub(120));
    let win = &text[lo..head.len()];
    let mut best = None;
    for kw in ["Bộ luật ", "Luật ", "Pháp lệnh "] {
        if let Some(at) = win.rfind(kw) {
            let ks = lo + at;
            if best.is_none_or(|(b, _): (usize, DocumentKind)| ks > b) {
                let kind = if kw == "Pháp lệnh " {
                    K::PhapLenh
                } else {
                    K::Luat
                };
                best = Some((ks, kind));
            }
        }
    }
    let (mut ks, kind) = best?;
    if kind == K::Luat && text[..ks].ends_with("Bộ ") {
        ks -= "Bộ ".len();
    }
    if letter_before(text, ks) {
        return None;
    }
    let name_start = text[ks..].find(' ').map(|x| ks + x + 1)?;
    let name_start = if text[ks..].starts_with("Bộ luật ") {
        ks + "Bộ luật ".len()
    } else {
        name_start
    };
    let name = &text[name_start..head.len()];
    if name.is_empty()
        || !name.starts_with(|c: char| c.is_uppercase())
        || name.split(' ').count() > 8
        || name
            .chars()
            .any(|c| !(c.is_alphabetic() || c == ' ' || c == '-'))
    {
        return None;
    }
    Some((ks, kind))
}

/// A whole date in `(,) (đã) được ban hành ngày D` / `, ban hành ngày D`
/// right at `pos` (after a citation's tail), before `limit`; with the body
/// of `được <body> ban hành ngày D` (`Chỉ thị 05-CT/TW được Bộ Chính trị
/// ban hành ngày 15/5/2016`).
fn issued_after(text: &str, pos: usize, limit: usize) -> Option<(NaiveDate, Option<String>)> {
    let end = floor_char(text, (pos + 120).min(limit).min(text.len()));
    let s = text.get(pos..end)?;
    let s = s.strip_prefix(',').unwrap_or(s).strip_prefix(' ')?;
    let s = s.strip_prefix("đã ").unwrap_or(s);
    let (s, by) = match s.strip_prefix("được ") {
        Some(r) => match issuers::match_body(r) {
            Some((name, len)) if r[len..].starts_with(" ban hành ngày ") => {
                (&r[len + 1..], Some(name))
            }
            _ => (r, None),
        },
        None => (s, None),
    };
    let s = s.strip_prefix("ban hành ngày ")?;
    let m = date_at(text, end - s.len())?;
    match m.value {
        DateValue::Full(d) if m.end <= limit => Some((d, by)),
        _ => None,
    }
}

/// The issuing body's part of a symbol: what follows its last `/` or `-`
/// (`QĐ/TW` → `TW`, `HD/BTCTW` → `BTCTW`, `NĐ-CP` → `CP`).
fn issuing_part(symbol: &str) -> &str {
    symbol.rsplit(['/', '-']).next().unwrap_or(symbol)
}

/// The date of an effect-history row (`Lịch sử hiệu lực`) that records the
/// issue of the document mentioned at `start`: the line reads `<date> Văn
/// bản được ban hành <mention>` and nothing else before the mention.
fn history_issue_row(text: &str, start: usize) -> Option<NaiveDate> {
    // The row's lead is short: look back 64 bytes at most (linear).
    let lo = ceil_char(text, start.saturating_sub(64));
    let line_start = match text[lo..start].rfind('\n') {
        Some(k) => lo + k + 1,
        None if lo == 0 => 0,
        None => return None,
    };
    let lead = text[line_start..start].trim_end();
    let date_part = lead.strip_suffix("Văn bản được ban hành")?.trim_end();
    if date_part.len() > 10 {
        return None;
    }
    let m = date_at(
        text,
        line_start + (text[line_start..].len() - text[line_start..].trim_start().len()),
    )?;
    match m.value {
        DateValue::Full(d) if line_start + date_part.len() >= m.end => Some(d),
        _ => None,
    }
}

/// Adverbs of time that may open a sentence before its date (`Trước đó,
/// ngày …`, `Sau đó, vào ngày …`).
const LEAD_ADVERBS: &[&str] = &[
    "Trước đó",
    "Sau đó",
    "Tiếp đó",
    "Mới đây",
    "Gần đây",
    "Trước đấy",
];

/// The signing date written before the issuing body: `Ngày 8/2/2022, Bộ
/// Chính trị ban hành …`. Only a whole date that opens the sentence, after
/// `Ngày`, followed by a comma and then the body at `body_start` (nothing
/// else between: an event sentence `Ngày 12/3, Tỉnh ủy tổ chức …` never
/// reaches here, as its body is not right before `ban hành`). A date
/// without its year (`Ngày 2/12, Thủ tướng Chính phủ ban hành Quyết định số
/// 45/2025/QĐ-TTg`) takes the year of a state-style number, `number_year`.
fn leading_date(ctx: &Context, body_start: usize, number_year: Option<i32>) -> Option<NaiveDate> {
    let text = ctx.text;
    let (s0, _) = ctx.sentence(body_start);
    let lead = text.get(s0..body_start)?;
    if lead.len() > 60 {
        return None;
    }
    // `Trước đó, ngày 3/3/2023, <issuer> ban hành …`: a short adverb of
    // time may open the sentence before the date.
    let after_adverb = LEAD_ADVERBS
        .iter()
        .find_map(|a| lead.strip_prefix(a))
        .map(|r| {
            let r = r.strip_prefix(',').unwrap_or(r).trim_start_matches(' ');
            r.strip_prefix("vào ").unwrap_or(r)
        });
    let rest = match after_adverb {
        Some(r) => r
            .strip_prefix("ngày ")
            .or_else(|| r.strip_prefix("Ngày "))?,
        None => lead
            .strip_prefix("Ngày ")
            .or_else(|| lead.strip_prefix("NGÀY "))?,
    };
    let m = date_at(text, body_start - rest.len())?;
    let d = match (m.value, number_year) {
        (DateValue::Full(d), _) => d,
        (DateValue::Yearless { day, month }, Some(y)) => NaiveDate::from_ymd_opt(y, month, day)?,
        _ => return None,
    };
    (text.get(m.end..body_start)?.trim() == ",").then_some(d)
}

/// `Ngày D, <signer …> (đã) ký ban hành <citation at start>`: the date that
/// opens the sentence, when the citation is the object of `ký ban hành` and
/// the signer's clause between them holds no other date (at most 320
/// bytes). A yearless date takes the year of a state-style number.
fn signed_on(ctx: &Context, start: usize, number_year: Option<i32>) -> Option<NaiveDate> {
    let text = ctx.text;
    let before = text[..start].trim_end_matches(' ');
    let before = before.strip_suffix("ký ban hành")?;
    let (s0, _) = ctx.sentence(start);
    if start - s0 > 320 {
        return None;
    }
    let rest = text[s0..]
        .strip_prefix("Ngày ")
        .or_else(|| text[s0..].strip_prefix("NGÀY "))?;
    let m = date_at(text, text.len() - rest.len())?;
    if !text.get(m.end..)?.starts_with(", ") || m.end >= before.len() {
        return None;
    }
    // No second date in the signer's clause.
    if !dates::find_dates(text, m.end..before.len()).is_empty() {
        return None;
    }
    match (m.value, number_year) {
        (DateValue::Full(d), _) => Some(d),
        (DateValue::Yearless { day, month }, Some(y)) => NaiveDate::from_ymd_opt(y, month, day),
        _ => None,
    }
}

/// Words of a person's title that a body name completes (`Trưởng Ban Chỉ
/// đạo …`, `Bí thư Tỉnh ủy`, `Ủy viên Bộ Chính trị`).
const SIGNER_TITLE_ENDS: &[&str] = &[
    "Trưởng",
    "Phó",
    "Bí thư",
    "Chủ tịch",
    "Ủy viên",
    "Giám đốc",
    "Chánh",
    "Chủ nhiệm",
    "Thường trực",
];

/// The body right before `(đã/vừa/mới) ban hành`, `ký ban hành` or `có` that
/// precedes `start`, in the same sentence: its canonical name and where it
/// starts.
fn issuer_before(ctx: &Context, start: usize) -> Option<(String, usize)> {
    let text = ctx.text;
    let before = text[..start].trim_end_matches(' ');
    // `(thay mặt <body>, <person>) (đã) ký <citation>`, `Thủ tướng Chính
    // phủ đã ký <citation>`: signed without `ban hành`; a person's name
    // right before `ký` is no body, so a signer alone gives nothing.
    let only_on_behalf = !before.ends_with("ban hành") && before.ends_with(" ký");
    let before = if only_on_behalf {
        before
    } else if let Some(b) = before.strip_suffix(" có") {
        // `UBND tỉnh (vừa) có văn bản số 4912/UBND-NC`: reporters' `có`
        // for a body sending out its document.
        b
    } else {
        before.strip_suffix("ban hành")?
    };
    let before = before.trim_end_matches(' ');
    let signed = before.strip_suffix(" ký");
    let before = signed.unwrap_or(before);
    let mut end = before.trim_end_matches(' ');
    for adv in ["đã chính thức", "đã", "vừa", "mới"] {
        if let Some(s) = end.strip_suffix(adv) {
            end = s.trim_end_matches(' ');
            break;
        }
    }
    // `X tiếp tục ban hành`, `X đã tiếp tục ban hành`.
    if let Some(s) = end.strip_suffix(" tiếp tục") {
        end = s.trim_end_matches(' ');
        if let Some(s) = end.strip_suffix(" đã") {
            end = s.trim_end_matches(' ');
        }
    }
    // `X cũng (đã) ban hành`, `X cũng vừa ban hành`.
    if let Some(s) = end.strip_suffix(" cũng") {
        end = s.trim_end_matches(' ');
    }
    let end_pos = end.len();
    let (s0, _) = ctx.sentence(start);
    // The signer's title may end on a body (`…, Phó Bí thư Tỉnh ủy ký ban
    // hành`): the body it signs for comes first.
    if signed.is_some() {
        if let Some(found) = on_behalf_of(text, s0, end_pos) {
            return Some(found);
        }
    }
    let lo = ceil_char(text, end_pos.saturating_sub(160).max(s0.min(end_pos)));
    // Try word starts from the left; the body must end where the verb begins.
    let window = &text[lo..end_pos];
    let mut best = None;
    let mut off = 0;
    for w in window.split(' ') {
        let at = lo + off;
        off += w.len() + 1;
        if !w.starts_with(|c: char| c.is_uppercase()) {
            continue;
        }
        if let Some((name, len)) = issuers::match_body(&text[at..end_pos]) {
            let rest = text[at + len..end_pos].trim();
            if rest.is_empty() {
                // `…, Trưởng Ban Chỉ đạo Trung ương về …, ký ban hành`: the
                // body ends a signer's title; it is not the issuer.
                let pre = text[lo..at].trim_end();
                if !SIGNER_TITLE_ENDS.iter().any(|w| pre.ends_with(w)) {
                    best = Some((name, at));
                }
                break;
            }
        }
    }
    best
}

/// `(Ngày D,) thay mặt <body>, <signer …> (đã) ký ban hành`: the body the
/// signer acts for, when `text[s0..end]` (the sentence up to the signer's
/// verb) opens its clause with `thay mặt`; with where that clause starts.
fn on_behalf_of(text: &str, s0: usize, end: usize) -> Option<(String, usize)> {
    let window = text.get(s0..end)?;
    let at = ["thay mặt ", "Thay mặt ", "THAY MẶT "]
        .iter()
        .filter_map(|w| window.rfind(w).map(|p| (p, w.len())))
        .max()?;
    let clause = s0 + at.0;
    // The clause opens the sentence or follows a comma (`Ngày D, thay mặt`).
    let lead = text[s0..clause].trim_end();
    if !(lead.is_empty() || lead.ends_with(',')) {
        return None;
    }
    let body_start = clause + at.1;
    let body_end = body_start + text[body_start..end].find(',')?;
    let body = text[body_start..body_end].trim_end();
    match issuers::match_body(body) {
        Some((name, len)) if len >= body.len() => Some((name, clause)),
        _ => None,
    }
}

fn symbol_mention(
    s: &NumSym,
    si: usize,
    start: usize,
    form: Form,
    kind: Option<DocumentKind>,
) -> Mention {
    Mention {
        start,
        end: s.end,
        form,
        word_kind: kind,
        sym: Some(si),
        number: s.number.clone(),
        code: None,
        date: None,
        year: s.year,
        issuer: None,
        title: None,
        tail_from: s.end,
        group: None,
    }
}

fn push_symbol_mention(
    out: &mut Vec<Mention>,
    used: &mut [bool],
    syms: &[NumSym],
    si: usize,
    start: usize,
    form: Form,
    kind: Option<DocumentKind>,
) {
    used[si] = true;
    out.push(symbol_mention(&syms[si], si, start, form, kind));
}

/// A document being built.
struct Build {
    kind_full: Option<DocumentKind>,
    kind_word: Option<DocumentKind>,
    code_kind: DocumentKind,
    party_qd: bool,
    number: String,
    symbol: Option<String>,
    sym_year: Option<i32>,
    date: Option<NaiveDate>,
    year: Option<i32>,
    issuer_text: Option<String>,
    issuer_sym: Option<&'static str>,
    /// Title span (offsets into the text).
    title: Option<(usize, usize)>,
    mentions: Vec<Span>,
    /// Short-code kind (`QĐ 126` alone).
    short_code: Option<&'static str>,
}

impl Build {
    fn kind(&self) -> DocumentKind {
        self.kind_full.or(self.kind_word).unwrap_or(self.code_kind)
    }

    /// The kinds a short form with kind word `k` can name here.
    fn fits_word(&self, k: DocumentKind) -> bool {
        self.kind() == k
            || (self.party_qd && matches!(k, K::QuyDinh | K::QuyetDinh))
            || self.short_code.is_some_and(|c| code_fits(c, k))
    }

    fn fits_code(&self, code: &str) -> bool {
        code_fits(code, self.kind())
            || (code.starts_with("QĐ") && self.party_qd)
            || self.short_code == Some(code)
    }

    fn date_compatible(&self, date: Option<NaiveDate>, year: Option<i32>) -> bool {
        if let (Some(a), Some(b)) = (self.date, date) {
            if a != b {
                return false;
            }
        }
        if let (Some(a), Some(b)) = (self.year, year) {
            if a != b {
                return false;
            }
        }
        true
    }

    fn absorb(&mut self, m: &Mention, text: &str) {
        self.mentions.push(Span {
            start: m.start,
            end: m.end,
        });
        if self.date.is_none() {
            self.date = m.date;
        }
        if self.year.is_none() {
            self.year = m.year.or(m.date.map(|d| d.year()));
        }
        if self.issuer_text.is_none() {
            self.issuer_text = m.issuer.clone();
        }
        match (self.title, m.title) {
            (None, t) => self.title = t,
            (Some(old), Some(new)) if extends(text, old, new) => self.title = Some(new),
            _ => {}
        }
        if self.kind_word.is_none() {
            self.kind_word = m.word_kind;
        }
    }
}

/// True when title `new` is title `old` written out in full: `old` (a
/// headline's shortened title) is its beginning or its end, at a word
/// boundary (`đại hội đảng bộ các cấp` → `đại hội đảng bộ các cấp tiến tới
/// …`, `bảo vệ chính trị nội bộ Đảng` → `một số vấn đề bảo vệ …`).
fn extends(text: &str, old: (usize, usize), new: (usize, usize)) -> bool {
    let (Some(o), Some(n)) = (text.get(old.0..old.1), text.get(new.0..new.1)) else {
        return false;
    };
    if n.len() <= o.len() || o.len() < 8 {
        return false;
    }
    let fold = |s: &str| s.to_lowercase();
    let (o, n) = (fold(o), fold(n));
    (n.starts_with(&o) && n[o.len()..].starts_with(' '))
        || (n.ends_with(&o) && n[..n.len() - o.len()].ends_with(' '))
}

fn code_fits(code: &str, k: DocumentKind) -> bool {
    match code {
        "QĐ" => matches!(k, K::QuyDinh | K::QuyetDinh | K::Other),
        "QĐi" => k == K::QuyDinh,
        "NQ" => k == K::NghiQuyet,
        "CT" => k == K::ChiThi,
        "KL" => k == K::KetLuan,
        _ => false,
    }
}

/// The merge key of a number: leading zeros dropped (`01` and `1` meet).
fn number_key(n: &str) -> String {
    let t = n.trim_start_matches('0');
    if t.is_empty() {
        "0".to_owned()
    } else {
        t.to_ascii_lowercase()
    }
}

/// The most recent documents with a number (at most [`MAX_BUCKET`]): keeps
/// merging linear on hostile input with thousands of same-numbered
/// documents.
fn bucket<'m>(by_number: &'m HashMap<String, Vec<usize>>, key: &str) -> &'m [usize] {
    let all = by_number.get(key).map(Vec::as_slice).unwrap_or(&[]);
    &all[all.len().saturating_sub(MAX_BUCKET)..]
}

/// See [`bucket`].
const MAX_BUCKET: usize = 64;

/// Merges mentions (in text order) into documents (ANNOTATION.md §Merging).
fn merge(text: &str, mentions: &[Mention], syms: &[NumSym]) -> Found {
    let key_of = number_key;
    let mut last_cited: Option<(usize, String, usize)> = None;
    // `(sau đây gọi là Quy chế 190)`: (kind word, number key, document).
    let mut aliases: Vec<(Option<K>, String, usize)> = Vec::new();
    let mut docs: Vec<Build> = Vec::new();
    let mut by_number: HashMap<String, Vec<usize>> = HashMap::new();
    let mut self_doc: Option<usize> = None;
    // The header's mention comes first in the output whatever its position.
    let mut order: Vec<&Mention> = mentions.iter().filter(|m| m.form == Form::Header).collect();
    order.extend(mentions.iter().filter(|m| m.form != Form::Header));
    for m in order {
        match m.form {
            Form::SelfRef => {
                if let Some(d) = self_doc {
                    docs[d].mentions.push(Span {
                        start: m.start,
                        end: m.end,
                    });
                }
            }
            Form::Header | Form::Full | Form::Bare => {
                let Some(si) = m.sym else { continue };
                let s = &syms[si];
                let key = number_key(&m.number);
                let cands = bucket(&by_number, &key);
                let mut with_sym = cands.iter().copied().filter(|&d| {
                    docs[d].symbol.as_deref() == Some(&s.symbol)
                        && docs[d].date_compatible(m.date, m.year)
                });
                let first = with_sym.next();
                let second = with_sym.next();
                let target = match (first, second) {
                    (Some(d), None) => Some(d),
                    (Some(_), Some(_)) => continue, // ambiguous
                    (None, _) => {
                        // An earlier short form of this document.
                        let k = m.word_kind.unwrap_or(s.code_kind);
                        let mut shorts = cands.iter().copied().filter(|&d| {
                            docs[d].symbol.is_none()
                                && (docs[d].fits_word(k)
                                    || (s.party_qd
                                        && matches!(docs[d].kind(), K::QuyDinh | K::QuyetDinh)))
                                && docs[d].date_compatible(m.date, m.year)
                        });
                        match (shorts.next(), shorts.next()) {
                            (Some(d), None) => Some(d),
                            _ => None,
                        }
                    }
                };
                let d = match target {
                    Some(d) => d,
                    None => {
                        docs.push(new_build(m, text));
                        let d = docs.len() - 1;
                        by_number.entry(key).or_default().push(d);
                        d
                    }
                };
                let doc = &mut docs[d];
                if doc.symbol.is_none() {
                    doc.symbol = Some(s.symbol.clone());
                    doc.sym_year = s.year;
                    doc.code_kind = s.code_kind;
                    doc.party_qd = s.party_qd;
                    doc.issuer_sym = issuers::from_symbol(&s.symbol);
                    if doc.number != m.number {
                        doc.number = m.number.clone();
                    }
                }
                if matches!(m.form, Form::Full | Form::Header) && doc.kind_full.is_none() {
                    doc.kind_full = m.word_kind;
                }
                if m.form == Form::Bare && m.word_kind.is_some() && doc.kind_full.is_none() {
                    // A list item takes its list's kind word.
                    doc.kind_full = m.word_kind;
                }
                if target.is_some() {
                    doc.absorb(m, text);
                }
                if m.form == Form::Header {
                    self_doc = Some(d);
                }
                last_cited = Some((d, key_of(&m.number), m.end));
            }
            Form::Short | Form::CodeShort => {
                let key = number_key(&m.number);
                // `(sau đây gọi tắt là Quy định 58)` right after a citation
                // names that citation's document, whatever its kind word.
                if let Some((d, k, end)) = &last_cited {
                    let between = text.get(*end..m.start).unwrap_or("");
                    if *k == key
                        && between.len() < 400
                        && (between.trim_end().ends_with("gọi tắt là")
                            || between.trim_end().ends_with("gọi là"))
                    {
                        docs[*d].absorb(m, text);
                        aliases.push((m.word_kind, key, *d));
                        continue;
                    }
                }
                // A later mention by that alias (`Quy chế 190 thay thế …`).
                if let Some(&(_, _, d)) = aliases
                    .iter()
                    .find(|(k, n, _)| *k == m.word_kind && *n == key)
                {
                    docs[d].absorb(m, text);
                    continue;
                }
                let cands = bucket(&by_number, &key);
                let fits = |d: usize| match (m.word_kind, m.code) {
                    (Some(k), _) => docs[d].fits_word(k),
                    (None, Some(c)) => docs[d].fits_code(c),
                    _ => false,
                };
                let all: Vec<usize> = cands
                    .iter()
                    .copied()
                    .filter(|&d| fits(d) && docs[d].date_compatible(m.date, m.year))
                    .collect();
                let target = if all.len() == 1 {
                    Some(all[0])
                } else if all.len() > 1 {
                    let exact: Vec<usize> = all
                        .iter()
                        .copied()
                        .filter(|&d| m.word_kind.is_some_and(|k| docs[d].kind() == k))
                        .collect();
                    if exact.len() == 1 {
                        Some(exact[0])
                    } else {
                        continue; // ambiguous: dropped
                    }
                } else {
                    None
                };
                match target {
                    Some(d) => docs[d].absorb(m, text),
                    None => {
                        docs.push(new_build(m, text));
                        by_number.entry(key).or_default().push(docs.len() - 1);
                    }
                }
            }
        }
    }
    let mut out = Found::default();
    for d in docs {
        let kind = d.kind();
        out.documents.push(Document {
            kind,
            number: Some(d.number),
            symbol: d.symbol,
            year: d.sym_year.or(d.date.map(|x| x.year())).or(d.year),
            date: d.date,
            issuer: d.issuer_text.or(d.issuer_sym.map(str::to_owned)),
            title: d.title.and_then(|(s, e)| text.get(s..e)).map(str::to_owned),
            mentions: d.mentions,
        });
        out.title_spans.push(d.title);
    }
    out
}

fn new_build(m: &Mention, text: &str) -> Build {
    let code_kind = match m.code {
        Some("NQ") => K::NghiQuyet,
        Some("QĐi") => K::QuyDinh,
        Some("CT") => K::ChiThi,
        Some("KL") => K::KetLuan,
        _ => K::Other,
    };
    let mut b = Build {
        kind_full: None,
        kind_word: None,
        code_kind,
        party_qd: false,
        number: m.number.clone(),
        symbol: None,
        sym_year: None,
        date: None,
        year: None,
        issuer_text: None,
        issuer_sym: None,
        title: None,
        mentions: Vec::new(),
        short_code: m.code,
    };
    b.absorb(m, text);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(text: &str) -> Vec<Document> {
        let ctx = Context::new(text, None, None);
        extract(&ctx).documents
    }

    fn spans<'a>(text: &'a str, d: &Document) -> Vec<&'a str> {
        d.mentions.iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn full_party_citation_with_date_issuer_title() {
        let t = "Hội nghị quán triệt Quy định số 126-QĐ/TW ngày 28/02/2018 của Bộ Chính trị về một số vấn đề bảo vệ chính trị nội bộ Đảng. Hội nghị diễn ra sáng nay.";
        let d = docs(t);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, K::QuyDinh);
        assert_eq!(d[0].number.as_deref(), Some("126"));
        assert_eq!(d[0].symbol.as_deref(), Some("QĐ/TW"));
        assert_eq!(d[0].date, NaiveDate::from_ymd_opt(2018, 2, 28));
        assert_eq!(d[0].year, Some(2018));
        assert_eq!(d[0].issuer.as_deref(), Some("Bộ Chính trị"));
        assert_eq!(
            d[0].title.as_deref(),
            Some("một số vấn đề bảo vệ chính trị nội bộ Đảng")
        );
        assert_eq!(spans(t, &d[0]), vec!["Quy định số 126-QĐ/TW"]);
    }

    #[test]
    fn sloppy_spacing_and_tu_variant() {
        let t = "Thực hiện Chỉ thị số05 - CT/ TƯ của Ban Bí thư và số126-QĐ/TW.";
        let d = docs(t);
        assert_eq!(d[0].symbol.as_deref(), Some("CT/TW"));
        assert_eq!(d[0].number.as_deref(), Some("05"));
        assert_eq!(d[0].issuer.as_deref(), Some("Ban Bí thư"));
        let t2 = "Theo Quy định 126 - QĐ/TW và số126-QĐ/TW.";
        let d2 = docs(t2);
        assert_eq!(d2.len(), 1);
        assert_eq!(spans(t2, &d2[0]), vec!["Quy định 126 - QĐ/TW", "126-QĐ/TW"]);
    }

    #[test]
    fn state_numbers_with_year_and_admin() {
        let t = "Căn cứ Nghị định 30/2020/NĐ-CP và Luật số 80/2015/QH13, Quyết định số 281/QĐ-TTg, Thông tư liên tịch 04/2019/TTLT-BTC-BNV.";
        let d = docs(t);
        assert_eq!(d.len(), 4);
        assert_eq!(
            (
                d[0].kind,
                d[0].year,
                d[0].symbol.as_deref(),
                d[0].issuer.as_deref()
            ),
            (K::NghiDinh, Some(2020), Some("NĐ-CP"), Some("Chính phủ"))
        );
        assert_eq!(
            (
                d[1].kind,
                d[1].year,
                d[1].symbol.as_deref(),
                d[1].issuer.as_deref()
            ),
            (K::Luat, Some(2015), Some("QH13"), Some("Quốc hội"))
        );
        assert_eq!(
            (d[2].kind, d[2].symbol.as_deref(), d[2].issuer.as_deref()),
            (K::QuyetDinh, Some("QĐ-TTg"), Some("Thủ tướng Chính phủ"))
        );
        assert_eq!(
            (d[3].kind, d[3].symbol.as_deref(), d[3].issuer.as_deref()),
            (K::ThongTu, Some("TTLT-BTC-BNV"), None)
        );
    }

    #[test]
    fn bare_number_symbols_take_kind_from_code() {
        let t = "Văn bản 19-HD/BTCTW và 30/2020/NĐ-CP, 244-QĐ/TW.";
        let d = docs(t);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].kind, K::HuongDan);
        assert_eq!(d[0].issuer.as_deref(), Some("Ban Tổ chức Trung ương"));
        assert_eq!(d[1].kind, K::NghiDinh);
        assert_eq!(d[2].kind, K::Other);
        assert_eq!(docs("Công điện số 541/CT-TTg")[0].kind, K::Other);
        let t2 = "Văn bản số 1234/UBND-VP và Đề án số 05-ĐA/TU, Văn bản 12 không phải.";
        let d2 = docs(t2);
        assert_eq!(d2.len(), 2);
        assert_eq!(spans(t2, &d2[0]), vec!["Văn bản số 1234/UBND-VP"]);
        // A Party project (Đề án, type code ĐA) is a document of kind other.
        assert_eq!(spans(t2, &d2[1]), vec!["Đề án số 05-ĐA/TU"]);
        assert_eq!(d2[1].kind, K::Other);
    }

    #[test]
    fn short_forms_merge_and_code_short() {
        let t = "Quy định số 58-QĐ/TW ngày 8/2/2022 của Bộ Chính trị. Quán triệt Quy định 58 và QĐ 58 tới đảng viên.";
        let d = docs(t);
        assert_eq!(d.len(), 1);
        assert_eq!(
            spans(t, &d[0]),
            vec!["Quy định số 58-QĐ/TW", "Quy định 58", "QĐ 58"]
        );
    }

    #[test]
    fn short_form_before_its_full_citation_merges() {
        let t = "Quán triệt Quy định 126 và QĐ 126\nQuy định số 126-QĐ/TW ngày 28/2/2018 của Bộ Chính trị.";
        let d = docs(t);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].symbol.as_deref(), Some("QĐ/TW"));
        assert_eq!(d[0].kind, K::QuyDinh);
        assert_eq!(
            spans(t, &d[0]),
            vec!["Quy định 126", "QĐ 126", "Quy định số 126-QĐ/TW"]
        );
    }

    #[test]
    fn gọi_tắt_là_names_the_cited_document_whatever_the_word() {
        let t =
            "Quyết định số 190-QĐ/TW ngày 10/10/2024 (sau đây gọi tắt là Quy chế 190) có hiệu lực.";
        let d = docs(t);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, K::QuyetDinh);
        assert_eq!(
            spans(t, &d[0]),
            vec!["Quyết định số 190-QĐ/TW", "Quy chế 190"]
        );
    }

    #[test]
    fn gọi_tắt_là_merges() {
        let t = "Quy định số 58-QĐ/TW (sau đây gọi tắt là Quy định số 58) có 6 chương.";
        let d = docs(t);
        assert_eq!(d.len(), 1);
        assert_eq!(
            spans(t, &d[0]),
            vec!["Quy định số 58-QĐ/TW", "Quy định số 58"]
        );
    }

    #[test]
    fn plural_lists_share_kind_and_date() {
        let t = "Nghị quyết số 18-NQ/TW, 19-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng (khóa XII).";
        let d = docs(t);
        assert_eq!(d.len(), 2);
        for x in &d {
            assert_eq!(x.kind, K::NghiQuyet);
            assert_eq!(x.date, NaiveDate::from_ymd_opt(2017, 10, 25));
            assert_eq!(x.issuer.as_deref(), Some("Ban Chấp hành Trung ương"));
        }
        let t2 = "các Quy định số 126-QĐ/TW và 58-QĐ/TW";
        let d2 = docs(t2);
        assert_eq!(d2.len(), 2);
        assert_eq!(d2[1].kind, K::QuyDinh);
        assert_eq!(spans(t2, &d2[1]), vec!["58-QĐ/TW"]);
    }

    #[test]
    fn same_number_different_dates_are_two_documents_and_short_is_dropped() {
        let t = "Chỉ thị số 05-CT/TW ngày 15/5/2016 và Chỉ thị số 05-CT/TW ngày 20/1/2011. Chỉ thị 05 được quán triệt.";
        let d = docs(t);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].mentions.len(), 1);
        assert_eq!(d[1].mentions.len(), 1);
    }

    #[test]
    fn exclusions() {
        for t in [
            "Ban Chỉ đạo 35 họp. Điều 5, Chương II, khoản 2 của Luật.",
            "theo quy định của pháp luật, các nghị quyết của Đảng",
            "Có 58 người, ngày 30/3, số 126, QĐ alone, HD Bank, TT Huế, CP.",
            "Kế hoạch 2021 và Chương trình 5 năm, quy định 3 ngày.",
            "Tỷ số 2-1, U23/AFC, 3/4 trận.",
            "Liên đoàn thu hồi quyết định kỷ luật số 25/QĐ-LĐBVN ngày 2/4/2021 theo đúng luật.",
            "Bệnh viện có máy chụp CT 128 dãy và Chương trình 9+ cho học sinh.",
            "Giấy xác nhận số 2097/2020/XNQC-ATTP của sản phẩm.",
        ] {
            assert!(docs(t).is_empty(), "{t}: {:?}", docs(t));
        }
    }

    #[test]
    fn month_year_gives_year_only() {
        let t = "Kết luận số 21-KL/TW tháng 10/2021 của Ban Chấp hành Trung ương.";
        let d = docs(t);
        assert_eq!(d[0].year, Some(2021));
        assert_eq!(d[0].date, None);
        let t2 = "Chỉ thị 05-CT/TW, 15/5/2016 về đẩy mạnh học tập.";
        let d2 = docs(t2);
        assert_eq!(d2[0].date, NaiveDate::from_ymd_opt(2016, 5, 15));
        assert_eq!(d2[0].title.as_deref(), Some("đẩy mạnh học tập"));
    }

    #[test]
    fn unquoted_title_runs_over_commas_to_a_predicate_or_window() {
        let t = "Kết luận số 21-KL/TW của Ban Chấp hành Trung ương về đẩy mạnh xây dựng, chỉnh đốn Đảng, trong đó nêu rõ nhiều việc.";
        assert_eq!(
            docs(t)[0].title.as_deref(),
            Some("đẩy mạnh xây dựng, chỉnh đốn Đảng")
        );
        let t2 = "Nghị quyết số 18-NQ/TW về sắp xếp bộ máy, tinh gọn đang được triển khai.";
        assert_eq!(
            docs(t2)[0].title.as_deref(),
            Some("sắp xếp bộ máy, tinh gọn")
        );
        // No stop inside the window: cut at the last comma.
        let long = format!("Nghị quyết số 18-NQ/TW về a, {} cuối", "b ".repeat(300));
        assert_eq!(docs(&long)[0].title.as_deref(), Some("a"));
        let none = format!("Nghị quyết số 18-NQ/TW về {} cuối", "b ".repeat(300));
        assert_eq!(docs(&none)[0].title, None);
    }

    #[test]
    fn closing_quote_is_not_a_title() {
        let t = "ban hành \"Quyết định số 1068/QĐ-TTg\" hay \"Chiến lược\" mới.";
        let d = docs(t);
        assert_eq!(d[0].title, None);
        assert_eq!(d[0].issuer.as_deref(), Some("Thủ tướng Chính phủ"));
    }

    #[test]
    fn quoted_title_and_ban_hanh_issuer() {
        let t =
            "Ban Bí thư đã ban hành Chỉ thị số 35-CT/TW \"Về tổ chức đại hội đảng bộ các cấp\".";
        let d = docs(t);
        assert_eq!(d[0].issuer.as_deref(), Some("Ban Bí thư"));
        assert_eq!(
            d[0].title.as_deref(),
            Some("Về tổ chức đại hội đảng bộ các cấp")
        );
        let t2 = "Quy định số 22-QĐ/TW do Ban Chấp hành Trung ương ban hành ngày 28/7/2021.";
        let d2 = docs(t2);
        assert_eq!(d2[0].issuer.as_deref(), Some("Ban Chấp hành Trung ương"));
        assert_eq!(d2[0].date, NaiveDate::from_ymd_opt(2021, 7, 28));
    }

    #[test]
    fn title_null_before_relation() {
        let t = "Kế hoạch số 25-KH/TU về thực hiện Nghị quyết số 18-NQ/TW.";
        let d = docs(t);
        assert_eq!(d[0].title, None);
        let t3 = "Quyết định số 12/QĐ-UBND về việc bãi bỏ Quyết định số 5/QĐ-UBND.";
        assert_eq!(docs(t3)[0].title, None);
        let t2 = "Quy định số 58-QĐ/TW về bảo vệ chính trị nội bộ thay thế Quy định số 126-QĐ/TW.";
        assert_eq!(
            docs(t2)[0].title.as_deref(),
            Some("bảo vệ chính trị nội bộ")
        );
    }

    #[test]
    fn header_gives_self_document() {
        let t = "QUỐC HỘI\n\nLuật số: 103/2016/QH13\n\nHà Nội, ngày 05 tháng 4 năm 2016\n\nLUẬT\n\nBÁO CHÍ\n\nLuật này quy định về báo chí. Theo Luật số 80/2015/QH13 và các luật này.";
        let d = docs(t);
        assert_eq!(d.len(), 2);
        assert_eq!(spans(t, &d[0]), vec!["103/2016/QH13", "Luật này"]);
        assert_eq!(d[0].kind, K::Luat);
        assert_eq!(d[0].date, NaiveDate::from_ymd_opt(2016, 4, 5));
        assert_eq!(d[0].issuer.as_deref(), Some("Quốc hội"));
        assert_eq!(d[0].title, None);
        assert_eq!(spans(t, &d[1]), vec!["Luật số 80/2015/QH13"]);
        // Without a header, `Luật này` is nothing.
        assert!(docs("Luật này quy định về báo chí.").is_empty());
    }

    #[test]
    fn party_header_with_title() {
        let t = "BỘ CHÍNH TRỊ\nSố: 58-QĐ/TW\nHà Nội, ngày 08 tháng 02 năm 2022\nQUY ĐỊNH\nvề một số vấn đề bảo vệ chính trị nội bộ Đảng\nQuy định này thay thế Quy định số 126-QĐ/TW.";
        let d = docs(t);
        assert_eq!(d[0].kind, K::QuyDinh);
        assert_eq!(d[0].issuer.as_deref(), Some("Bộ Chính trị"));
        assert_eq!(
            d[0].title.as_deref(),
            Some("một số vấn đề bảo vệ chính trị nội bộ Đảng")
        );
        assert_eq!(spans(t, &d[0]), vec!["58-QĐ/TW", "Quy định này"]);
    }

    #[test]
    fn named_law_citation() {
        let t = "theo Bộ luật Dân sự số 91/2015/QH13 và Luật Đất đai số 45/2013/QH13.";
        let d = docs(t);
        assert_eq!(spans(t, &d[0]), vec!["Bộ luật Dân sự số 91/2015/QH13"]);
        assert_eq!(spans(t, &d[1]), vec!["Luật Đất đai số 45/2013/QH13"]);
    }

    #[test]
    fn number_with_letter_and_list_of_unknown_issuers() {
        let t = "Quyết định số 12a-QĐ/TU và Công văn số 23/CV-ABC, 24/CV-ABC ngày 2/3/2021 của Tỉnh ủy Hà Nam.";
        let d = docs(t);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].number.as_deref(), Some("12a"));
        assert_eq!(d[2].kind, K::CongVan);
        assert_eq!(d[1].date, NaiveDate::from_ymd_opt(2021, 3, 2));
        assert_eq!(d[1].issuer.as_deref(), Some("Tỉnh ủy Hà Nam"));
        assert_eq!(
            docs("Nghị quyết 29/NQ-TƯ.")[0].symbol.as_deref(),
            Some("NQ/TW")
        );
        // A Party number written state style is the same document.
        let t = "Quy định số 126-QĐ/TW và Quy định 126/QĐ-TW.";
        assert_eq!(docs(t).len(), 1);
    }

    #[test]
    fn numbers_found_at_any_alignment() {
        for pad in 0..40 {
            let t = format!("{}Quyết định 12", "x ".repeat(pad));
            assert_eq!(docs(&t).len(), 1, "pad {pad}");
            let t = format!(
                "{}Quyết định 12 và 30/2020/NĐ-CP{}",
                "ab ".repeat(pad),
                " ".repeat(pad)
            );
            assert_eq!(docs(&t).len(), 2, "pad {pad}");
        }
    }

    #[test]
    fn random_mixtures_never_panic_and_spans_are_boundaries() {
        let pieces = [
            "Quy định",
            "số",
            "126",
            "-",
            "QĐ",
            "/",
            "TW",
            "TƯ",
            " ",
            "ngày",
            "28/2/2018",
            "của",
            "Bộ Chính trị",
            "về",
            "\"",
            "này",
            "Luật",
            "12a",
            "2020",
            "NĐ",
            "CP",
            "ĐU",
            "ư",
            "Ư",
            "\n",
            ",",
            "và",
            "QH13",
            "Số:",
            "QUY ĐỊNH",
            "thay thế",
            "bằng",
            "được",
            "é",
            "🙂",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..3000 {
            let mut t = String::new();
            for _ in 0..24 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push_str(pieces[(seed % pieces.len() as u64) as usize]);
                if seed & 8 == 0 {
                    t.push(' ');
                }
            }
            let ctx = Context::new(&t, None, None);
            let d = extract(&ctx).documents;
            for doc in &d {
                for m in &doc.mentions {
                    assert!(
                        m.start < m.end && t.is_char_boundary(m.start) && t.is_char_boundary(m.end),
                        "{t:?}"
                    );
                }
            }
            let r = crate::relations::extract(&ctx, &d);
            assert!(r
                .iter()
                .all(|r| r.from < d.len() && r.to < d.len() && r.from != r.to));
        }
    }

    #[test]
    fn spans_map_back_through_the_matching_view() {
        let input = "Ban Thường vụ Tỉnh uỷ Thanh Hoá ban hành Quy định số 126 – QĐ/TƯ ngày 28‑2‑2018 về “bảo vệ”.";
        let prepared = crate::prepare(input.as_bytes(), vanban_text::Format::Text);
        let r = crate::extract("x", &prepared);
        let text = prepared.text();
        let d = &r.documents[0];
        assert_eq!(
            &text[d.mentions[0].start..d.mentions[0].end],
            "Quy định số 126 – QĐ/TƯ"
        );
        assert_eq!(d.symbol.as_deref(), Some("QĐ/TW"));
        assert_eq!(d.issuer.as_deref(), Some("Ban Thường vụ Tỉnh ủy Thanh Hóa"));
        assert_eq!(d.title.as_deref(), Some("bảo vệ"));
    }

    #[test]
    fn upper_case_kind_words_and_never_panics() {
        let t = "NGHỊ QUYẾT SỐ 18-NQ/TW";
        assert_eq!(docs(t)[0].kind, K::NghiQuyet);
        for t in [
            "/",
            "1/",
            "-QĐ/TW",
            "số",
            "Quy định số",
            "QĐ ",
            "12a/",
            "ĐƯ/TƯ",
            "1-QĐ/",
            "Luật này",
        ] {
            let _ = docs(t);
        }
    }
}

/// Corpus tools (run by hand): throughput of the whole pipeline over
/// `shared/corpus`, and a dump of every document found for precision review.
/// `cargo test --release -p vanban-extract --lib corpus_speed -- --ignored --nocapture`
#[cfg(test)]
mod corpus_tools {
    use std::path::Path;

    fn corpus_files() -> Vec<(String, Vec<u8>)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
        let mut out = Vec::new();
        for sub in ["vlc", "unc"] {
            let Ok(rd) = std::fs::read_dir(root.join(sub)) else {
                continue;
            };
            let mut paths: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
            paths.sort();
            for p in paths {
                if let Ok(b) = std::fs::read(&p) {
                    out.push((
                        p.file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        b,
                    ));
                }
            }
        }
        out
    }

    #[test]
    #[ignore]
    fn corpus_speed() {
        let files = corpus_files();
        let total: usize = files.iter().map(|(_, b)| b.len()).sum();
        let mut best = f64::MAX;
        let mut ndocs = 0;
        for _ in 0..3 {
            let t = std::time::Instant::now();
            ndocs = 0;
            for (name, b) in &files {
                let r = crate::extract_bytes(name, b, vanban_text::Format::Text);
                ndocs += r.documents.len();
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        eprintln!(
            "{} files, {:.1} MB, {ndocs} documents, best {:.3}s = {:.0} MB/s",
            files.len(),
            total as f64 / 1e6,
            best,
            total as f64 / 1e6 / best
        );
        // Breakdown: preparation, then documents + relations on the view.
        let prepared: Vec<_> = files
            .iter()
            .map(|(_, b)| crate::prepare(b, vanban_text::Format::Text))
            .collect();
        let t = std::time::Instant::now();
        for (_, b) in &files {
            let p = crate::prepare(b, vanban_text::Format::Text);
            let _ = p.matching().text().len();
        }
        let prep = t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        for p in &prepared {
            let v = p.matching();
            let ctx = crate::context::Context::new(v.text(), p.published(), p.published_year());
            let d = super::extract(&ctx).documents;
            let _ = crate::relations::extract(&ctx, &d);
        }
        let docs = t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let mut n = 0;
        for p in &prepared {
            n += super::number_symbols(p.matching().text()).len();
        }
        let a = t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let table = super::kind_table();
        for p in &prepared {
            let view = p.matching();
            let text = view.text();
            super::for_each_number(text.as_bytes(), |ds| {
                if super::kind_before(text, ds, table).is_some() {
                    n += 1;
                }
            });
        }
        let c = t.elapsed().as_secs_f64();
        eprintln!(
            "symbols {:.0} MB/s, numbers+lookback {:.0} MB/s ({n})",
            total as f64 / 1e6 / a,
            total as f64 / 1e6 / c
        );
        eprintln!(
            "prepare {:.0} MB/s, documents+relations {:.0} MB/s",
            total as f64 / 1e6 / prep,
            total as f64 / 1e6 / docs
        );
    }

    #[test]
    #[ignore]
    fn corpus_dump() {
        use std::fmt::Write;
        let mut out = String::new();
        for (name, b) in corpus_files() {
            let prepared = crate::prepare(&b, vanban_text::Format::Text);
            let r = crate::extract(&name, &prepared);
            let text = prepared.text();
            for (i, d) in r.documents.iter().enumerate() {
                let ms: Vec<&str> = d
                    .mentions
                    .iter()
                    .map(|m| text.get(m.start..m.end).unwrap_or("?"))
                    .collect();
                let _ = writeln!(
                    out,
                    "{name}\t{i}\t{}\t{:?}\t{:?}\t{:?}\t{:?}\t{:?}\t{:?}\t{:?}",
                    d.kind.code(),
                    d.number,
                    d.symbol,
                    d.year,
                    d.date,
                    d.issuer,
                    d.title,
                    ms
                );
            }
            for rel in &r.relations {
                let _ = writeln!(
                    out,
                    "{name}\tREL\t{:?} {} -> {}",
                    rel.kind, rel.from, rel.to
                );
            }
        }
        let _ = std::fs::write("/tmp/vanban_docs_dump.tsv", out);
    }
}

#[cfg(test)]
mod hostile {
    /// Dense citations, same numbers, alternating documents: stays fast.
    #[test]
    fn dense_citations_are_linear() {
        let mut t = String::new();
        for i in 0..20000 {
            t.push_str(&format!(
                "Quy định {} thay thế Quyết định số 5/QĐ-UBND ngày {}/{}/20{:02} của Bộ Chính trị về việc {}; Luật này, 126-QĐ/TW và ",
                i % 3,
                1 + i % 28,
                1 + i % 12,
                i % 50,
                i
            ));
        }
        let start = std::time::Instant::now();
        let ctx = crate::context::Context::new(&t, None, None);
        let d = super::extract(&ctx).documents;
        let _ = crate::relations::extract(&ctx, &d);
        let secs = start.elapsed().as_secs_f64();
        eprintln!("{} bytes, {} documents, {secs:.3}s", t.len(), d.len());
        assert!(secs < 20.0);
    }

    /// Effect-history marks and issue rows repeated on two long lines: every
    /// line is read once, every look-back is bounded.
    #[test]
    fn effect_history_on_long_lines_is_linear() {
        let mut t = "Lịch sử hiệu lực: Nghị định 57/2009/NĐ-CP ".repeat(20_000);
        t.push('\n');
        t.push_str(&"08/07/2009 Văn bản được ban hành 57/2009/NĐ-CP Bị thay thế ".repeat(20_000));
        let start = std::time::Instant::now();
        let ctx = crate::context::Context::new(&t, None, None);
        let d = super::extract(&ctx).documents;
        let _ = crate::relations::extract(&ctx, &d);
        let secs = start.elapsed().as_secs_f64();
        eprintln!("{} bytes, {} documents, {secs:.3}s", t.len(), d.len());
        assert!(secs < 20.0);
    }
}
