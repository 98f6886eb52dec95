//! The publication date, read only from the page header: HTML `<meta>` tags
//! and `<time datetime>`, and the first lines of the text (`# date =
//! 20201001`, `date 2022-10`, `Cập nhật lúc 14:46, Thứ Tư, 27/11/2019`,
//! `Cập nhật: 02/04/2018 08:15`, `Thứ năm, 5/9/2019, 10:20 (GMT+7)`,
//! `Ngày đăng: 05/10/2022`, `Đăng lúc …`). A date deeper in the body is never
//! the publication date. Impossible dates are unknown.

use chrono::NaiveDate;

/// How many leading lines, and how many leading bytes, form the header.
pub const HEADER_LINES: usize = 15;
/// See [`HEADER_LINES`].
pub const HEADER_BYTES: usize = 2048;

/// A date as far as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// A full, valid date.
    Full(NaiveDate),
    /// Only the year (and perhaps month) is known.
    Year(i32),
}

impl Found {
    pub fn date(self) -> Option<NaiveDate> {
        match self {
            Found::Full(d) => Some(d),
            Found::Year(_) => None,
        }
    }
    pub fn year(self) -> i32 {
        match self {
            Found::Full(d) => chrono::Datelike::year(&d),
            Found::Year(y) => y,
        }
    }
}

fn valid_year(y: u32) -> bool {
    (1945..=2100).contains(&y)
}

fn make(y: u32, m: Option<u32>, d: Option<u32>) -> Option<Found> {
    if !valid_year(y) {
        return None;
    }
    match (m, d) {
        (Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d).map(Found::Full),
        (Some(m), None) if (1..=12).contains(&m) => Some(Found::Year(y as i32)),
        (None, None) => Some(Found::Year(y as i32)),
        _ => None,
    }
}

/// Reads the run of ASCII digits at `i`: (value, digit count). The value
/// saturates; counts beyond 9 digits make it useless anyway.
fn digits(b: &[u8], mut i: usize) -> (u32, usize) {
    let start = i;
    let mut v: u32 = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        v = v.saturating_mul(10).saturating_add((b[i] - b'0') as u32);
        i += 1;
    }
    (v, i - start)
}

/// Parses a machine date as in `<meta content>` / `<time datetime>` / `#
/// date =`: `2019-11-27T08:00:00+07:00`, `2019-11-27`, `2022-10`, `20201001`,
/// `2019/11/27`, or a day-first `27/11/2019`.
pub fn parse_value(v: &str) -> Option<Found> {
    let v = v.trim();
    let b = v.as_bytes();
    let (n1, l1) = digits(b, 0);
    if l1 == 8 {
        return make(n1 / 10000, Some(n1 / 100 % 100), Some(n1 % 100));
    }
    if l1 == 4 {
        let sep = b.get(4).copied();
        if !matches!(sep, Some(b'-' | b'/' | b'.')) {
            return if b.len() == 4 {
                make(n1, None, None)
            } else {
                None
            };
        }
        let (m, lm) = digits(b, 5);
        if !(1..=2).contains(&lm) {
            return None;
        }
        if b.get(5 + lm).copied() == sep {
            let (d, ld) = digits(b, 6 + lm);
            if (1..=2).contains(&ld) {
                return make(n1, Some(m), Some(d));
            }
            return None;
        }
        return make(n1, Some(m), None);
    }
    find_dmy(v)
}

/// `26 Tháng 11 2023`, `26 tháng 11 năm 2023` at the start of `s`.
fn month_word_date(s: &str) -> Option<Found> {
    let b = s.as_bytes();
    let (d, ld) = digits(b, 0);
    if !(1..=2).contains(&ld) {
        return None;
    }
    let rest = s[ld..].trim_start();
    let rest = rest
        .strip_prefix("Tháng")
        .or_else(|| rest.strip_prefix("tháng"))
        .or_else(|| rest.strip_prefix("THÁNG"))?
        .trim_start();
    let (m, lm) = match digits(rest.as_bytes(), 0) {
        (m, lm) if (1..=2).contains(&lm) => (m, lm),
        // `19 Tháng Mười 2023`: the month in words.
        _ => month_word(rest)?,
    };
    let rest = rest[lm..].trim_start_matches([' ', ',']);
    let rest = rest
        .strip_prefix("năm")
        .or_else(|| rest.strip_prefix("Năm"))
        .map_or(rest, str::trim_start);
    let (y, ly) = digits(rest.as_bytes(), 0);
    if ly != 4 {
        return None;
    }
    make(y, Some(m), Some(d))
}

/// Month names in words after `Tháng`, longest first (`Mười Hai` before
/// `Mười`), lower case.
const MONTH_WORDS: &[(&str, u32)] = &[
    ("mười hai", 12),
    ("mười một", 11),
    ("mười", 10),
    ("một", 1),
    ("hai", 2),
    ("ba", 3),
    ("tư", 4),
    ("bốn", 4),
    ("năm", 5),
    ("sáu", 6),
    ("bảy", 7),
    ("tám", 8),
    ("chín", 9),
    ("giêng", 1),
    ("chạp", 12),
];

/// The month written in words at the start of `s`: (month, bytes read).
fn month_word(s: &str) -> Option<(u32, usize)> {
    MONTH_WORDS.iter().find_map(|&(w, m)| {
        let n = ci_prefix(s, w)?;
        // A whole word, followed by the year.
        let rest = &s[n..];
        (rest.starts_with(' ') && rest.trim_start().starts_with(|c: char| c.is_ascii_digit()))
            .then_some((m, n))
    })
}

/// Finds the first day-first date `d/m/yyyy` (separators `/`, `-`, `.`),
/// `d Tháng m yyyy`, or ISO date `yyyy-mm-dd` (or `yyyy-mm`) in a header
/// line.
pub fn find_dmy(line: &str) -> Option<Found> {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let (n1, l1) = digits(b, i);
        let j = i + l1;
        if (1..=2).contains(&l1) && line.is_char_boundary(i) {
            if let Some(f) = month_word_date(&line[i..]) {
                return Some(f);
            }
        }
        let sep = b.get(j).copied();
        if matches!(sep, Some(b'/' | b'-' | b'.')) {
            let (n2, l2) = digits(b, j + 1);
            let k = j + 1 + l2;
            if (1..=2).contains(&l1) && (1..=2).contains(&l2) && b.get(k).copied() == sep {
                let (n3, l3) = digits(b, k + 1);
                if l3 == 4 {
                    return make(n3, Some(n2), Some(n1));
                }
            } else if l1 == 4 && sep == Some(b'-') && l2 == 2 {
                if b.get(k) == Some(&b'-') {
                    let (n3, l3) = digits(b, k + 1);
                    if l3 == 2 {
                        return make(n1, Some(n2), Some(n3));
                    }
                }
                return make(n1, Some(n2), None);
            }
        }
        i = j.max(i + 1);
    }
    None
}

/// Lower-case prefixes of header lines that carry the publication date.
const LINE_PREFIXES: &[&str] = &[
    "cập nhật",
    "ngày cập nhật",
    "ngày đăng",
    "đăng lúc",
    "đăng ngày",
    "đăng:",
    "ngày xuất bản",
    "xuất bản",
    "ngày phát hành",
    "thời gian đăng",
    "thứ hai",
    "thứ ba",
    "thứ tư",
    "thứ năm",
    "thứ sáu",
    "thứ bảy",
    "chủ nhật",
    // `Thứ 5, 19/10/2023 | 15:40 GMT+7`.
    "thứ 2,",
    "thứ 3,",
    "thứ 4,",
    "thứ 5,",
    "thứ 6,",
    "thứ 7,",
    "published",
    "posted",
    "date",
];

/// Case-insensitive prefix test; returns the byte length matched in `line`.
pub(crate) fn ci_prefix(line: &str, lower: &str) -> Option<usize> {
    let mut li = line.char_indices();
    for m in lower.chars() {
        let (_, c) = li.next()?;
        let c = if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            c.to_lowercase().next().unwrap_or(c)
        };
        if c != m {
            return None;
        }
    }
    Some(li.next().map(|(i, _)| i).unwrap_or(line.len()))
}

/// The date on one header line, if the line is a publication header.
pub fn from_line(line: &str) -> Option<Found> {
    let t = line.trim();
    if t.is_empty() || t.len() > 200 {
        return None;
    }
    if let Some(rest) = t.strip_prefix('#') {
        // `# date = 20201001`
        let rest = rest.trim_start();
        let n = ci_prefix(rest, "date")?;
        let rest = rest[n..].trim_start();
        let value = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':'))?;
        return parse_value(value);
    }
    // `(19/10/2023 15:40)`: a dateline in parentheses.
    let t = t
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .map_or(t, str::trim);
    let first = t.as_bytes().first().copied().unwrap_or(0);
    if first.is_ascii_digit() {
        return bare_dateline(t);
    }
    for p in LINE_PREFIXES {
        if let Some(n) = ci_prefix(t, p) {
            let rest = &t[n..];
            if *p == "date" {
                // `date 2022-10`, `Date: 2022-10-05`
                let rest = rest.trim_start_matches([' ', ':', '=']);
                if rest.len() == t.len() - n {
                    return None;
                }
                return parse_value(rest.split_whitespace().next().unwrap_or(""));
            }
            return find_dmy(rest);
        }
    }
    None
}

/// A line that is nothing but a date and a time, as news sites print under
/// the headline: `28/06/2018 | 09:58`, `24/06/2015 07:57`, `09:58 -
/// 28/06/2018`, `20/09/2022, 16:22 (GMT+7)`, `12-03-2021 08:00:00`. Any
/// word other than a time zone or `SA`/`CH`/`AM`/`PM` makes it body text.
fn bare_dateline(t: &str) -> Option<Found> {
    let mut date = None;
    for tok in t.split([' ', '|', ',', '(', ')', '\t']) {
        let tok = tok.trim_matches(['-', '–', '—', '·', '•']);
        if tok.is_empty() {
            continue;
        }
        let b = tok.as_bytes();
        if b[0].is_ascii_digit() && tok.contains([':', 'h']) && !tok.contains(['/', '.']) {
            // A time: `09:58`, `16:22:05`, `9h30`.
            if !tok
                .bytes()
                .all(|c| c.is_ascii_digit() || c == b':' || c == b'h')
            {
                return None;
            }
            continue;
        }
        let upper = tok.to_ascii_uppercase();
        if upper.starts_with("GMT") || upper.starts_with("UTC") {
            continue;
        }
        if matches!(upper.as_str(), "SA" | "CH" | "AM" | "PM" | "ICT")
            || tok == "ngày"
            || tok == "Ngày"
        {
            continue;
        }
        if date.is_some() || !b[0].is_ascii_digit() {
            return None;
        }
        let found = find_dmy(tok)?;
        // The date must be the whole token (`28/06/2018`, `2018-06-28`).
        if !tok
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'/' | b'-' | b'.'))
        {
            return None;
        }
        date = Some(found);
    }
    date.filter(|f| matches!(f, Found::Full(_)))
}

/// The first publication header among the first lines of `text`: a full
/// date if any header line gives one, else the year of the first partial.
pub fn from_header(text: &str) -> Option<Found> {
    let mut partial = None;
    let mut consumed = 0usize;
    for (n, line) in text.split('\n').enumerate() {
        if n >= HEADER_LINES || consumed >= HEADER_BYTES {
            break;
        }
        consumed += line.len() + 1;
        match from_line(line) {
            Some(f @ Found::Full(_)) => return Some(f),
            Some(f @ Found::Year(_)) if partial.is_none() => partial = Some(f),
            _ => {}
        }
    }
    partial
}

/// Names of `<meta>` properties that carry the publication date (lower case).
pub fn is_date_meta(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "article:published_time",
        "og:published_time",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "datepublished",
        "date",
        "dc.date",
        "dc.date.issued",
        "dcterms.date",
        "dcterms.created",
        "sailthru.date",
        "parsely-pub-date",
        "article.published",
        "published_time",
    ];
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(name.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Option<Found> {
        NaiveDate::from_ymd_opt(y, m, dd).map(Found::Full)
    }

    #[test]
    fn values() {
        assert_eq!(parse_value("2019-11-27T08:00:00+07:00"), d(2019, 11, 27));
        assert_eq!(parse_value("20201001"), d(2020, 10, 1));
        assert_eq!(parse_value("2022-10"), Some(Found::Year(2022)));
        assert_eq!(parse_value("2019/02/31"), None);
        assert_eq!(parse_value("27/11/2019"), d(2019, 11, 27));
        assert_eq!(parse_value("garbage"), None);
        assert_eq!(parse_value(""), None);
        assert_eq!(parse_value("1800-01-01"), None);
    }

    #[test]
    fn header_lines() {
        assert_eq!(from_line("# date = 20201001"), d(2020, 10, 1));
        assert_eq!(from_line(" date 2022-10"), Some(Found::Year(2022)));
        assert_eq!(from_line(" date 2022-10-05"), d(2022, 10, 5));
        assert_eq!(
            from_line("Cập nhật lúc 14:46, Thứ Tư, 27/11/2019 (GMT+7)"),
            d(2019, 11, 27)
        );
        assert_eq!(from_line("Cập nhật: 02/04/2018 08:15"), d(2018, 4, 2));
        assert_eq!(from_line("Thứ năm, 5/9/2019, 10:20 (GMT+7)"), d(2019, 9, 5));
        assert_eq!(
            from_line("Thứ 5, 19/10/2023 | 15:40 GMT+7"),
            d(2023, 10, 19)
        );
        assert_eq!(from_line("(19/10/2023 15:40)"), d(2023, 10, 19));
        assert_eq!(
            from_line("Thứ Năm, 19 Tháng Mười 2023 15:40"),
            d(2023, 10, 19)
        );
        assert_eq!(from_line("Thứ Hai, 1 Tháng Mười Hai 2025"), d(2025, 12, 1));
        assert_eq!(from_line("Chủ nhật, 3 tháng Một 2021"), d(2021, 1, 3));
        assert_eq!(from_line("Thứ Ba, 5 Tháng Năm năm nay"), None);
        assert_eq!(from_line("(Ảnh: 19/10/2023)"), None);
        assert_eq!(from_line("Ngày đăng: 05/10/2022"), d(2022, 10, 5));
        assert_eq!(from_line("Đăng lúc: 08:00 - 12-03-2021"), d(2021, 3, 12));
        assert_eq!(from_line("CẬP NHẬT: 02/04/2018"), d(2018, 4, 2));
        assert_eq!(from_line("Cập nhật: 31/02/2018"), None);
        assert_eq!(from_line("Ngày 28/2/2018, Bộ Chính trị ban hành"), None);
        assert_eq!(from_line("dated 2022-10"), None);
        // Bare datelines under a headline.
        assert_eq!(from_line("28/06/2018 | 09:58"), d(2018, 6, 28));
        assert_eq!(from_line("24/06/2015 07:57"), d(2015, 6, 24));
        assert_eq!(from_line("09:58 - 28/06/2018"), d(2018, 6, 28));
        assert_eq!(from_line("20/09/2022, 16:22 (GMT+7)"), d(2022, 9, 20));
        assert_eq!(from_line("2018-06-28 09:58:00"), d(2018, 6, 28));
        assert_eq!(from_line("28/06/2018"), d(2018, 6, 28));
        assert_eq!(from_line("28/06/2018 Hội nghị"), None);
        assert_eq!(from_line("28/06/2018 - 30/06/2018"), None);
        assert_eq!(from_line("2018-2023"), None);
        assert_eq!(from_line("15.644 điểm cầu"), None);
        assert_eq!(from_line("04:57 14/03/2023"), d(2023, 3, 14));
        assert_eq!(from_line("08:21, ngày 16-04-2021"), d(2021, 4, 16));
        assert_eq!(
            from_line("Chủ nhật, 26 Tháng 11 2023 15:06"),
            d(2023, 11, 26)
        );
        assert_eq!(from_line("Ngày phát hành 0:0 | 19/5/2020"), d(2020, 5, 19));
    }

    #[test]
    fn header_only() {
        let mut body = String::from("Tiêu đề\n");
        for _ in 0..20 {
            body.push_str("Một dòng nội dung.\n");
        }
        body.push_str("Cập nhật: 02/04/2018\n");
        assert_eq!(from_header(&body), None);
        assert_eq!(
            from_header("date 2022-10\nCập nhật: 02/04/2018"),
            d(2018, 4, 2)
        );
        assert_eq!(
            from_header("date 2022-10\nnội dung"),
            Some(Found::Year(2022))
        );
    }

    #[test]
    fn meta_names() {
        assert!(is_date_meta("article:published_time"));
        assert!(is_date_meta("datePublished"));
        assert!(is_date_meta("pubdate"));
        assert!(!is_date_meta("description"));
    }
}
