//! Vietnamese dates (ngày tháng): full, partial, ranges and yearless forms.
//!
//! Forms (ANNOTATION.md §Dates, domain §2): `28/02/2018`, `28-2-2018`,
//! `28.2.2018`, `8 tháng 2 năm 2022`, `tháng 3/2018`, `tháng 3 năm 2018`,
//! `năm 2018`, yearless `30/3`, `30-3`, `ngày 8 tháng 2`, and ranges
//! `27 và 28-11`, `27, 28/11/2019`, `từ 12 đến 14/7/2023`,
//! `từ ngày 12 đến ngày 14-7-2023`, `12 - 14/7`, `từ 30/6 đến 2/7/2023`.
//!
//! A hand-written byte scanner: every attempt reads a bounded number of bytes
//! after its start, so [`find_dates`] is linear in the range length. Years are
//! four digits in 1945–2100; two-digit years, document numbers
//! (`30/2020/NĐ-CP`, `126-QĐ/TW`), decimals (`1,7`, `3.5`) and times (`14:46`)
//! are not dates. A date with an impossible calendar day (31/02) is
//! [`DateValue::Invalid`], never an error.

use chrono::{Datelike, NaiveDate};
use std::ops::Range;

/// The value of a date expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    /// A whole date (`28/02/2018`).
    Full(NaiveDate),
    /// A range of whole dates, first and last day (`từ 12 đến 14/7/2023`).
    Range(NaiveDate, NaiveDate),
    /// A day and month without year (`30/3`).
    Yearless { day: u32, month: u32 },
    /// A range without year; each end is `(day, month)` (`27 và 28-11`).
    YearlessRange { start: (u32, u32), end: (u32, u32) },
    /// Month and year only (`tháng 3/2018`).
    MonthYear { month: u32, year: i32 },
    /// Year only (`năm 2018`).
    Year(i32),
    /// A date-shaped expression with an impossible calendar day (`31/02/2018`).
    Invalid,
}

impl DateValue {
    /// The year the expression states, if any (also for month/year forms).
    pub fn year(&self) -> Option<i32> {
        match *self {
            DateValue::Full(d) => Some(d.year()),
            DateValue::Range(a, _) => Some(a.year()),
            DateValue::MonthYear { year, .. } => Some(year),
            DateValue::Year(y) => Some(y),
            _ => None,
        }
    }
}

/// A date expression found in text: byte span `[start, end)` and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMatch {
    pub start: usize,
    pub end: usize,
    pub value: DateValue,
}

/// A date written at `pos` (after optional "ngày "/"Ngày " and spaces): used
/// right after a citation's number-symbol. The match starts at the date
/// proper (after the skipped "ngày ").
pub fn date_at(text: &str, pos: usize) -> Option<DateMatch> {
    let b = text.as_bytes();
    if pos > b.len() || !text.is_char_boundary(pos) {
        return None;
    }
    let mut i = skip_spaces(b, pos);
    for w in ["ngày", "Ngày", "NGÀY"] {
        if b[i..].starts_with(w.as_bytes()) {
            let j = i + w.len();
            if j < b.len() && b[j] == b' ' {
                i = skip_spaces(b, j);
            }
            break;
        }
    }
    best_at(text, i, usize::MAX)
}

/// Every date expression inside `text[range]`, left to right
/// (non-overlapping, longest at each place).
pub fn find_dates(text: &str, range: Range<usize>) -> Vec<DateMatch> {
    let b = text.as_bytes();
    let end = range.end.min(b.len());
    let mut i = range.start.min(end);
    let mut out = Vec::new();
    while i < end {
        let c = b[i];
        let candidate = c.is_ascii_digit() || matches!(c, b't' | b'T' | b'n' | b'N');
        if candidate
            && text.is_char_boundary(i)
            && (!prev_is_word(text, i) || (c.is_ascii_digit() && after_glued_time_word(text, i)))
        {
            if let Some(m) = best_at(text, i, end) {
                out.push(m);
                i = m.end;
                continue;
            }
        }
        // Skip the rest of an ASCII digit/letter run so that we only start at
        // token starts; multi-byte chars are skipped byte by byte (cheap).
        i += 1;
    }
    out
}

/// Resolve a yearless day/month by the rules of ANNOTATION.md §Events:
/// the publication year (the previous year when the date would fall more
/// than 7 days after publication); without a publication date, the
/// publication year alone; without it, the latest document year (the year
/// after when the date falls before that document's date); else `None`.
pub fn resolve_yearless(
    day: u32,
    month: u32,
    published: Option<NaiveDate>,
    published_year: Option<i32>,
    latest_doc: Option<(i32, Option<NaiveDate>)>,
) -> Option<NaiveDate> {
    if let Some(p) = published {
        let d = NaiveDate::from_ymd_opt(p.year(), month, day);
        return match d {
            Some(d) if d > p + chrono::Duration::days(7) => {
                NaiveDate::from_ymd_opt(p.year() - 1, month, day)
            }
            Some(d) => Some(d),
            None => None,
        };
    }
    if let Some(y) = published_year {
        return NaiveDate::from_ymd_opt(y, month, day);
    }
    if let Some((y, doc_date)) = latest_doc {
        let d = NaiveDate::from_ymd_opt(y, month, day)?;
        if let Some(dd) = doc_date {
            if d < dd {
                return NaiveDate::from_ymd_opt(y + 1, month, day);
            }
        }
        return Some(d);
    }
    None
}

// ---------------------------------------------------------------------------
// Scanner internals.

/// A single date unit: `d SEP m [SEP y]` or `d tháng m [năm y]`.
#[derive(Debug, Clone, Copy)]
struct Unit {
    day: u32,
    month: u32,
    year: Option<i32>,
    end: usize,
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    i
}

/// A time-of-day word or `ngày` glued to the digits at `i` by a lost space
/// (`Sáng18/5`, `chiều20-3`, `ngày12/4/2023`), itself starting a word.
fn after_glued_time_word(text: &str, i: usize) -> bool {
    const WORDS: &[&str] = &[
        "Sáng", "sáng", "Chiều", "chiều", "Tối", "tối", "Trưa", "trưa", "Ngày", "ngày", "SÁNG",
        "CHIỀU", "NGÀY",
    ];
    let before = &text[..i];
    WORDS
        .iter()
        .any(|w| before.ends_with(w) && !prev_is_word(text, i - w.len()))
}

/// True when the char before `i` is a letter or digit (so `i` is inside a word).
fn prev_is_word(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric())
}

fn next_char(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// Reads 1..=max ASCII digits at `i`: (value, end). Fails when more digits follow.
fn num(b: &[u8], i: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let mut j = i;
    let mut v: u32 = 0;
    while j < b.len() && b[j].is_ascii_digit() {
        if j - i >= max {
            return None;
        }
        v = v * 10 + u32::from(b[j] - b'0');
        j += 1;
    }
    if j - i < min {
        return None;
    }
    Some((v, j))
}

/// The end of a `/` at `i` with at most one space on either side, and
/// whether a space was seen.
fn loose_slash(b: &[u8], i: usize) -> Option<(usize, bool)> {
    let mut j = i;
    let mut spaced = false;
    if b.get(j) == Some(&b' ') {
        j += 1;
        spaced = true;
    }
    if b.get(j) != Some(&b'/') {
        return None;
    }
    j += 1;
    if b.get(j) == Some(&b' ') {
        j += 1;
        spaced = true;
    }
    Some((j, spaced))
}

/// `d / m / y` with a stray space beside at least one slash; the day's
/// digits end at `j`.
fn spaced_slash_date(b: &[u8], day: u32, j: usize) -> Option<Unit> {
    let (m_at, s1) = loose_slash(b, j)?;
    let (month, k) = num(b, m_at, 1, 2)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let (y_at, s2) = loose_slash(b, k)?;
    if !(s1 || s2) {
        return None;
    }
    let (y, e) = year_at(b, y_at)?;
    Some(Unit {
        day,
        month,
        year: Some(y),
        end: e,
    })
}

fn year_at(b: &[u8], i: usize) -> Option<(i32, usize)> {
    let (y, j) = num(b, i, 4, 4)?;
    if (1945..=2100).contains(&y) {
        Some((y as i32, j))
    } else {
        None
    }
}

fn eat_word(b: &[u8], i: usize, words: &[&str]) -> Option<usize> {
    for w in words {
        if b.get(i..).is_some_and(|s| s.starts_with(w.as_bytes())) {
            return Some(i + w.len());
        }
    }
    None
}

const THANG: &[&str] = &["tháng", "Tháng", "THÁNG"];
const NAM: &[&str] = &["năm", "Năm", "NĂM"];
const NGAY: &[&str] = &["ngày", "Ngày", "NGÀY"];

/// `" năm 2022"`, `"/2022"`, `"-2022"` after a month: the year and its end.
fn month_year_tail(b: &[u8], i: usize) -> Option<(i32, usize)> {
    if i < b.len() && (b[i] == b'/' || b[i] == b'-') {
        return year_at(b, i + 1);
    }
    if i < b.len() && b[i] == b' ' {
        let j = skip_spaces(b, i);
        let k = eat_word(b, j, NAM)?;
        if k < b.len() && b[k] == b' ' {
            return year_at(b, skip_spaces(b, k));
        }
    }
    None
}

/// A date unit starting with the day's digits at `i`.
fn unit(b: &[u8], i: usize) -> Option<Unit> {
    let (day, j) = num(b, i, 1, 2)?;
    if !(1..=31).contains(&day) {
        return None;
    }
    // `14/ 8/2012`, `14 /8/2012`, `25/7/ 2017`: a stray space beside a
    // slash, accepted only in a whole date (a year closes it).
    if let Some(u) = spaced_slash_date(b, day, j) {
        return Some(u);
    }
    // d SEP m [SEP y]
    if j < b.len() && matches!(b[j], b'/' | b'-' | b'.') {
        let sep = b[j];
        let (month, k) = num(b, j + 1, 1, 2)?;
        if !(1..=12).contains(&month) {
            return None;
        }
        if k < b.len() && b[k] == sep {
            if let Some((y, e)) = year_at(b, k + 1) {
                return Some(Unit {
                    day,
                    month,
                    year: Some(y),
                    end: e,
                });
            }
        }
        // `3.5`: a decimal, not a date; but `Ngày 18.5`, `sáng 5.3`: a
        // day word before it makes it one.
        if sep == b'.' && !DAY_WORDS.iter().any(|w| b[..i].ends_with(w.as_bytes())) {
            return None;
        }
        return Some(Unit {
            day,
            month,
            year: None,
            end: k,
        });
    }
    // d tháng m [năm y | /y]
    let s = skip_spaces(b, j);
    if s == j {
        return None;
    }
    let t = eat_word(b, s, THANG)?;
    if t >= b.len() || b[t] != b' ' {
        return None;
    }
    let (month, k) = num(b, skip_spaces(b, t), 1, 2)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    if let Some((y, e)) = month_year_tail(b, k) {
        return Some(Unit {
            day,
            month,
            year: Some(y),
            end: e,
        });
    }
    Some(Unit {
        day,
        month,
        year: None,
        end: k,
    })
}

/// Words right before a day written `D.M` that make it a date (`Ngày 18.5`).
const DAY_WORDS: &[&str] = &[
    "Ngày ", "ngày ", "Sáng ", "sáng ", "Chiều ", "chiều ", "Tối ", "tối ", "Trưa ", "trưa ",
];

/// A range connector after a day or unit: `và`, `,`, `-`, `đến` (spaces
/// around, optional `ngày` after). Returns the position of the next number.
fn connector(b: &[u8], i: usize) -> Option<usize> {
    let s = skip_spaces(b, i);
    let k = if s < b.len() && (b[s] == b'-' || b[s] == b',') {
        s + 1
    } else if let Some(k) = eat_word(b, s, &["và", "đến", "tới"]) {
        if s == i || k >= b.len() || b[k] != b' ' {
            return None;
        }
        k
    } else {
        return None;
    };
    let mut k = skip_spaces(b, k);
    if let Some(n) = eat_word(b, k, NGAY) {
        if n < b.len() && b[n] == b' ' {
            k = skip_spaces(b, n);
        }
    }
    if k < b.len() && b[k].is_ascii_digit() {
        Some(k)
    } else {
        None
    }
}

fn days_in_month(month: u32, year: Option<i32>) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if NaiveDate::from_ymd_opt(y, 2, 29).is_none() => 28,
            _ => 29,
        },
        _ => 0,
    }
}

fn unit_value(u: &Unit) -> DateValue {
    match u.year {
        Some(y) => match NaiveDate::from_ymd_opt(y, u.month, u.day) {
            Some(d) => DateValue::Full(d),
            None => DateValue::Invalid,
        },
        None if u.day <= days_in_month(u.month, None) => DateValue::Yearless {
            day: u.day,
            month: u.month,
        },
        None => DateValue::Invalid,
    }
}

/// Range value from start (day, month, optional year) and end unit.
fn range_value(sd: u32, sm: u32, sy: Option<i32>, e: &Unit) -> Option<DateValue> {
    match (sy, e.year) {
        (_, Some(ey)) => {
            let end = match NaiveDate::from_ymd_opt(ey, e.month, e.day) {
                Some(d) => d,
                None => return Some(DateValue::Invalid),
            };
            let mut start_year = sy.unwrap_or(ey);
            if sy.is_none() && (sm, sd) > (e.month, e.day) {
                start_year -= 1; // `từ 30/12 đến 2/1/2024`
            }
            match NaiveDate::from_ymd_opt(start_year, sm, sd) {
                Some(s) if s < end => Some(DateValue::Range(s, end)),
                Some(_) => None,
                None => Some(DateValue::Invalid),
            }
        }
        (Some(_), None) => None,
        (None, None) => {
            if sd > days_in_month(sm, None) || e.day > days_in_month(e.month, None) {
                return Some(DateValue::Invalid);
            }
            Some(DateValue::YearlessRange {
                start: (sd, sm),
                end: (e.day, e.month),
            })
        }
    }
}

/// The expression must not run on into a longer number or a document
/// number: nothing alphanumeric, no `/`, no `-`/`.` + digit right after.
fn right_ok(text: &str, end: usize) -> bool {
    let b = text.as_bytes();
    if end >= b.len() {
        return true;
    }
    match b[end] {
        b'/' => false,
        b'-' | b'.' | b':' => !b.get(end + 1).is_some_and(|c| c.is_ascii_alphanumeric()),
        b',' | b'%' => !b.get(end + 1).is_some_and(|c| c.is_ascii_digit()) && b[end] != b'%',
        _ => !next_char(text, end).is_some_and(|c| c.is_alphanumeric()),
    }
}

/// Words of quantity after `1-3` (not a date).
const UNIT_WORDS: &[&str] = &[
    "triệu", "tỷ", "nghìn", "ngàn", "trăm", "năm", "tháng", "ngày", "tuần", "lần", "người", "tuổi",
    "giờ", "phút", "giây", "km", "m", "cm", "mm", "kg", "tấn", "điểm", "trận", "bàn", "độ", "ca",
    "học", "đồng", "USD", "con", "cái", "lít", "ha", "mét", "bậc", "lớp", "vòng",
];

/// Words before `1-1`, `2-3` that make it a score or a count.
const SCORE_WORDS: &[&str] = &[
    "số", "hòa", "Hòa", "thắng", "thua", "lên", "đồ", "cấp", "thêm", "được", "khoảng", "nhất",
    "chừng", "gần", "hơn", "bại", "trận", "tỉ", "tỷ", "giật", "mất", "Khoảng",
];

fn score_precedes(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(' ');
    let word = before.rsplit([' ', '\n', '(']).next().unwrap_or("");
    SCORE_WORDS.contains(&word)
}

fn quantity_follows(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    if rest.starts_with('%') {
        return true;
    }
    let rest = rest.trim_start_matches(' ');
    let word: &str = rest
        .split([' ', ',', '.', ';', ')', '\n'])
        .next()
        .unwrap_or("");
    UNIT_WORDS.contains(&word)
}

/// The expression must not continue a number on its left (`1,7`, `2/3/4`,
/// `126-14/7`).
fn left_ok(b: &[u8], start: usize) -> bool {
    if start == 0 {
        return true;
    }
    let p = b[start - 1];
    if p == b'/' {
        return false;
    }
    if matches!(p, b'-' | b'.' | b',' | b':') {
        return !(start >= 2 && b[start - 2].is_ascii_alphanumeric());
    }
    true
}

/// The longest date expression starting exactly at `i`, ending at or before `limit`.
fn best_at(text: &str, i: usize, limit: usize) -> Option<DateMatch> {
    let b = text.as_bytes();
    if i >= b.len() || !left_ok(b, i) {
        return None;
    }
    let mut best: Option<DateMatch> = None;
    let mut consider = |end: usize, value: DateValue| {
        // `1-3 triệu`, `3-5 năm`, `5-7%`: a span of quantities, not a day-month.
        let yearless = matches!(
            value,
            DateValue::Yearless { .. } | DateValue::YearlessRange { .. }
        );
        if yearless && !text[i..end].contains('/') {
            let written = &text[i..end];
            // `3-5-2`, `4-1-4-1`: formations and chains, not day-month.
            let hyphens = written.bytes().filter(|&c| c == b'-').count();
            if quantity_follows(text, end)
                || score_precedes(text, i)
                || (hyphens >= 2 && !written.contains(' '))
            {
                return;
            }
        }
        if end <= limit && right_ok(text, end) && best.is_none_or(|m| end > m.end) {
            best = Some(DateMatch {
                start: i,
                end,
                value,
            });
        }
    };
    if b[i].is_ascii_digit() {
        let u1 = unit(b, i);
        if let Some(u1) = u1 {
            consider(u1.end, unit_value(&u1));
            // unit range: `30/6 đến 2/7/2023`
            if let Some(k) = connector(b, u1.end) {
                if let Some(u2) = unit(b, k) {
                    if let Some(v) = range_value(u1.day, u1.month, u1.year, &u2) {
                        consider(u2.end, v);
                    }
                }
            }
        }
        // day range: `27 và 28-11`, `từ 12 đến 14/7/2023`; a list of days
        // (`các ngày 12, 13 và 14/7/2023`) runs from the first to the last.
        if let Some((d1, j)) = num(b, i, 1, 2) {
            if (1..=31).contains(&d1) {
                let mut next = connector(b, j);
                let mut last = d1;
                for _ in 0..6 {
                    let Some(k) = next else { break };
                    if let Some(u2) = unit(b, k) {
                        if d1 < u2.day && last < u2.day {
                            if let Some(v) = range_value(d1, u2.month, None, &u2) {
                                consider(u2.end, v);
                            }
                        }
                        break;
                    }
                    // Another bare day of the list, ascending.
                    match num(b, k, 1, 2) {
                        Some((dn, jn)) if dn > last && dn <= 31 => {
                            last = dn;
                            next = connector(b, jn);
                        }
                        _ => break,
                    }
                }
            }
        }
    } else if let Some(t) = eat_word(b, i, THANG) {
        // tháng 3/2018, tháng 3 năm 2018
        if t < b.len() && b[t] == b' ' {
            if let Some((month, k)) = num(b, skip_spaces(b, t), 1, 2) {
                if (1..=12).contains(&month) {
                    if let Some((year, e)) = month_year_tail(b, k) {
                        consider(e, DateValue::MonthYear { month, year });
                    }
                }
            }
        }
    } else if let Some(t) = eat_word(b, i, NAM) {
        if t < b.len() && b[t] == b' ' {
            if let Some((y, e)) = year_at(b, skip_spaces(b, t)) {
                consider(e, DateValue::Year(y));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn one(s: &str) -> Option<DateValue> {
        let v = find_dates(s, 0..s.len());
        v.first().map(|m| m.value)
    }

    #[test]
    fn a_stray_space_beside_a_slash_only_in_a_whole_date() {
        for s in [
            "ngày 14/ 8/2017",
            "ngày 14 /8/2017",
            "ngày 14/8/ 2017",
            "14 / 8 / 2017",
        ] {
            assert_eq!(one(s), Some(DateValue::Full(d(2017, 8, 14))), "{s}");
        }
        // No year: a ratio or a fraction, not a date.
        assert_eq!(one("đạt 95/ 100 chi bộ"), None);
        assert_eq!(one("tỷ lệ 3 /4 số xã"), None);
    }

    #[test]
    fn full_forms() {
        assert_eq!(
            one("ban hành ngày 28/02/2018 về"),
            Some(DateValue::Full(d(2018, 2, 28)))
        );
        assert_eq!(one("ngày 28-2-2018"), Some(DateValue::Full(d(2018, 2, 28))));
        assert_eq!(one("ký 28.2.2018."), Some(DateValue::Full(d(2018, 2, 28))));
        assert_eq!(
            one("ngày 8 tháng 2 năm 2022"),
            Some(DateValue::Full(d(2022, 2, 8)))
        );
        assert_eq!(
            one("Hà Nội, ngày 05 tháng 4 năm 2016"),
            Some(DateValue::Full(d(2016, 4, 5)))
        );
    }

    #[test]
    fn partial_forms() {
        assert_eq!(
            one("vào tháng 3/2018"),
            Some(DateValue::MonthYear {
                month: 3,
                year: 2018
            })
        );
        assert_eq!(
            one("Tháng 3 năm 2018"),
            Some(DateValue::MonthYear {
                month: 3,
                year: 2018
            })
        );
        assert_eq!(one("trong năm 2018,"), Some(DateValue::Year(2018)));
        assert_eq!(
            one("Sáng 30/3, Tỉnh ủy"),
            Some(DateValue::Yearless { day: 30, month: 3 })
        );
        assert_eq!(
            one("Chiều 30-3"),
            Some(DateValue::Yearless { day: 30, month: 3 })
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(
            one("Trong các ngày 12, 13 và 14/7/2023,"),
            Some(DateValue::Range(
                NaiveDate::from_ymd_opt(2023, 7, 12).expect("date"),
                NaiveDate::from_ymd_opt(2023, 7, 14).expect("date")
            ))
        );
        assert_eq!(
            one("Ngày 27 và 28-11,"),
            Some(DateValue::YearlessRange {
                start: (27, 11),
                end: (28, 11)
            })
        );
        assert_eq!(
            one("ngày 27, 28/11/2019"),
            Some(DateValue::Range(d(2019, 11, 27), d(2019, 11, 28)))
        );
        assert_eq!(
            one("Từ 12 đến 14/7/2023"),
            Some(DateValue::Range(d(2023, 7, 12), d(2023, 7, 14)))
        );
        assert_eq!(
            one("từ ngày 12 đến ngày 14-7-2023"),
            Some(DateValue::Range(d(2023, 7, 12), d(2023, 7, 14)))
        );
        assert_eq!(
            one("trong 2 ngày 12 - 14/7"),
            Some(DateValue::YearlessRange {
                start: (12, 7),
                end: (14, 7)
            })
        );
        assert_eq!(
            one("từ 30/6 đến 2/7/2023"),
            Some(DateValue::Range(d(2023, 6, 30), d(2023, 7, 2)))
        );
    }

    #[test]
    fn impossible_dates_are_invalid() {
        assert_eq!(one("ngày 31/02/2018"), Some(DateValue::Invalid));
        assert_eq!(one("ngày 31/4"), Some(DateValue::Invalid));
        assert_eq!(one("ngày 29/2/2019"), Some(DateValue::Invalid));
        assert_eq!(one("ngày 29/2/2020"), Some(DateValue::Full(d(2020, 2, 29))));
    }

    #[test]
    fn not_dates() {
        for s in [
            "Nghị định 30/2020/NĐ-CP",
            "Quy định số 126-QĐ/TW",
            "tăng 1,7 lần",
            "đạt 3.5 điểm",
            "lúc 14:46",
            "ngày 28/02/18",
            "tỷ lệ 1/2/3",
            "Quyết định 12/3/QĐ-UBND",
            "năm 1900",
            "năm 20189",
            "Nghị quyết 18/NQ-CP",
            "tốn 1-3 triệu đồng",
            "từ 3-5 năm",
            "tăng 5-7%",
            "còn 3,6-3,7%/năm",
            "sơ đồ 3-5-2 với",
            "đội hình 4-1-4-1 của",
            "hòa 1-1 trên sân",
            "nâng tỷ số lên 2-1.",
            "đạt 18.5 điểm",
        ] {
            assert_eq!(one(s), None, "{s}");
        }
    }

    #[test]
    fn a_dotted_day_after_a_day_word() {
        assert_eq!(
            one("Ngày 18.5, Ban Bí thư"),
            Some(DateValue::Yearless { day: 18, month: 5 })
        );
        assert_eq!(
            one("sáng 5.3 tại"),
            Some(DateValue::Yearless { day: 5, month: 3 })
        );
    }

    #[test]
    fn date_at_skips_ngay() {
        let t = "126-QĐ/TW ngày 28/2/2018 của";
        let m = date_at(t, "126-QĐ/TW".len()).unwrap();
        assert_eq!(&t[m.start..m.end], "28/2/2018");
        assert_eq!(m.value, DateValue::Full(d(2018, 2, 28)));
        assert!(date_at(t, 3).is_none());
        let t = "126-QĐ/TW, 28/2/2018";
        assert!(date_at(t, "126-QĐ/TW,".len()).is_some());
    }

    #[test]
    fn yearless_resolution() {
        let p = Some(d(2019, 11, 27));
        assert_eq!(
            resolve_yearless(30, 3, p, Some(2019), None),
            Some(d(2019, 3, 30))
        );
        assert_eq!(
            resolve_yearless(2, 12, p, Some(2019), None),
            Some(d(2019, 12, 2))
        );
        assert_eq!(
            resolve_yearless(30, 12, p, Some(2019), None),
            Some(d(2018, 12, 30))
        );
        assert_eq!(
            resolve_yearless(30, 3, None, Some(2022), None),
            Some(d(2022, 3, 30))
        );
        assert_eq!(
            resolve_yearless(30, 3, None, None, Some((2018, Some(d(2018, 2, 28))))),
            Some(d(2018, 3, 30))
        );
        assert_eq!(
            resolve_yearless(20, 1, None, None, Some((2018, Some(d(2018, 2, 28))))),
            Some(d(2019, 1, 20))
        );
        assert_eq!(resolve_yearless(20, 1, None, None, None), None);
    }

    #[test]
    fn range_respected() {
        let t = "Sáng 30/3 và ngày 2/4/2020";
        let e = "Sáng 30/3".len();
        let v = find_dates(t, 0..e);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].end, e);
        assert!(find_dates(t, 0..e - 1).is_empty());
    }
}
