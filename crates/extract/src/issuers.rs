//! Issuing bodies (cơ quan ban hành): recognition and canonical names.
//!
//! A body is recognised word by word at the start of a phrase, after the
//! abbreviations are expanded (BCH → Ban Chấp hành, TW/TƯ/T.Ư → Trung ương,
//! BTV → Ban Thường vụ, UBND → Ủy ban nhân dân, HĐND → Hội đồng nhân dân,
//! UBKT → Ủy ban Kiểm tra, BTC before TW → Ban Tổ chức). The canonical name
//! is the one of ANNOTATION.md (§Documents, Fields, `issuer`): `Đảng` after
//! `Trung ương` and the term `(khóa XII)` are dropped for central bodies, and a
//! provincial body keeps its province (`Ban Thường vụ Tỉnh ủy Hà Nam`).
//! Work is bounded: at most [`MAX_WORDS`] words of a phrase are read.

/// The most words of a phrase that are looked at.
const MAX_WORDS: usize = 14;

/// Canonicalises a body name as written (`BCH TW`, `Ban Chấp hành Trung ương
/// Đảng (khóa XII)`, `Ban Thường vụ Tỉnh ủy Hà Nam`, `UBND tỉnh Thanh Hóa`),
/// or `None` when the phrase does not start with a known body. Words after the
/// body (a verb, a date) are ignored.
pub fn canonical_body(raw: &str) -> Option<String> {
    match_body(raw).map(|(name, _)| name)
}

/// A body at the start of `s` (after leading spaces): its canonical name and
/// the byte length of `s` it covers (term and `Đảng` included).
pub fn match_body(s: &str) -> Option<(String, usize)> {
    if let Some(found) = district_committee(s)
        .or_else(|| commune_committee(s))
        .or_else(|| steering_committee(s))
        .or_else(|| department(s))
    {
        return Some(found);
    }
    let mut words = expand(s);
    if words.is_empty() {
        return None;
    }
    // `Hội nghị lần thứ sáu Ban Chấp hành Trung ương`: the conference
    // speaks for the central committee.
    if words.len() > 4
        && words[0].lower == "hội"
        && words[1].lower == "nghị"
        && words[2].lower == "lần"
        && words[3].lower == "thứ"
    {
        words.drain(..5);
        if words.len() >= 5
            && words[..5]
                .iter()
                .map(|w| w.lower.as_str())
                .eq(["ban", "chấp", "hành", "trung", "ương"])
        {
            let mut end = words[4].end;
            if words.len() > 5 && words[5].lower == "đảng" {
                end = words[5].end;
            }
            let end = skip_term(s, end).unwrap_or(end);
            return Some(("Ban Chấp hành Trung ương".to_owned(), end));
        }
        return None;
    }
    let mut best: Option<(&Pattern, usize)> = None;
    for p in PATTERNS {
        if p.words.len() <= words.len()
            && p.words.iter().zip(&words).all(|(a, w)| w.lower == *a)
            && best.is_none_or(|(b, _)| p.words.len() > b.words.len())
        {
            best = Some((p, p.words.len()));
        }
    }
    let (pat, n) = best?;
    // A bare `Trung ương` / `Tỉnh ủy` needs something more to be a body.
    let mut name = pat.canonical.to_owned();
    let mut end = words[n - 1].end;
    match pat.tail {
        Tail::Central => {
            // `Ban Bí thư Trung ương Đảng`, `Bộ Chính trị Trung ương Đảng`:
            // the centre named after the body is part of its name.
            let mut n = n;
            if matches!(pat.canonical, "Ban Bí thư" | "Bộ Chính trị")
                && n + 1 < words.len()
                && words[n].lower == "trung"
                && words[n + 1].lower == "ương"
            {
                end = words[n + 1].end;
                n += 2;
            }
            // `Ban Bí thư Trung ương Đoàn`, `Ban Chấp hành Trung ương Hội
            // Nông dân Việt Nam`: the central bodies of a mass organisation,
            // not the Party's.
            let mass_body = match pat.canonical {
                "Ban Chấp hành Trung ương" => Some("Ban Chấp hành Trung ương"),
                // (Only when `Trung ương` followed, just read above.)
                "Ban Bí thư" if n > pat.words.len() => Some("Ban Bí thư Trung ương"),
                _ => None,
            };
            if let Some((body, (org, used))) =
                mass_body.and_then(|b| Some((b, mass_organisation(&words[n..])?)))
            {
                let end = words[n + used - 1].end;
                let end = skip_term(s, end).unwrap_or(end);
                return Some((format!("{body} {org}"), end));
            }
            if n < words.len()
                && words[n].lower == "đảng"
                && pat.canonical != "Văn phòng Trung ương Đảng"
            {
                end = words[n].end;
                n += 1;
            }
            // `Hội nghị Trung ương 5 khóa XIII`, `Hội nghị Trung ương lần
            // thứ năm (khóa XII)`: the conference's ordinal before the term.
            if pat.words[0] == "hội" {
                let ordinal = conference_ordinal(&words[n.min(words.len())..]);
                if ordinal > 0 {
                    let with_ordinal = words[n + ordinal - 1].end;
                    // Covered only with the term after it (a bare number may
                    // start the next phrase).
                    if let Some(e) = skip_term(s, with_ordinal) {
                        end = e;
                    }
                }
            }
            if let Some(e) = skip_term(s, end) {
                end = e;
            }
        }
        Tail::Province => {
            let mut k = n;
            // `tỉnh`, `thành phố`, `TP.` before the province name.
            if k < words.len()
                && (words[k].lower == "tỉnh" || words[k].lower == "tp" || words[k].lower == "tp.")
            {
                k += 1;
            } else if k + 1 < words.len()
                && words[k].lower == "thành"
                && words[k + 1].lower == "phố"
            {
                k += 2;
            }
            if let Some((prov, used)) = match_province(&words[k..]) {
                name.push(' ');
                name.push_str(prov);
                end = words[k + used - 1].end;
            } else if pat.needs_province {
                return None;
            }
            // `Ban Chấp hành Đảng bộ tỉnh khóa XIII`: the term is covered,
            // not named.
            if let Some(e) = skip_term(s, end) {
                end = e;
            }
        }
        Tail::Congress => {
            let numeral = words.get(n).filter(|w| {
                !w.lower.is_empty() && w.lower.chars().all(|c| matches!(c, 'i' | 'v' | 'x' | 'l'))
            });
            if let Some(numeral) = numeral {
                name.push(' ');
                name.push_str(&numeral.lower.to_uppercase());
                end = numeral.end;
                if words.len() > n + 2
                    && words[n + 1].lower == "của"
                    && words[n + 2].lower == "đảng"
                {
                    end = words[n + 2].end;
                }
            }
        }
        Tail::None => {}
    }
    Some((name, end))
}

/// The standing anti-corruption steering committee of the Party centre
/// (Ban Chỉ đạo Trung ương về phòng, chống tham nhũng), under each of the
/// names it has had: `…, tiêu cực` from 2022, `…, lãng phí, tiêu cực` from
/// 2024. Its name holds commas, which end a phrase elsewhere, so it is read
/// here, case-insensitively, with `TW`/`T.Ư` for `Trung ương`.
pub(crate) fn steering_committee(s: &str) -> Option<(String, usize)> {
    const CANONICAL: &str = "Ban Chỉ đạo Trung ương về phòng, chống tham nhũng";
    let t = s.trim_start_matches(' ');
    let mut at = s.len() - t.len();
    let mut rest = t;
    let take = |rest: &mut &str, at: &mut usize, words: &[&str]| -> bool {
        let mut r = *rest;
        for (k, w) in words.iter().enumerate() {
            if k > 0 {
                let trimmed = r.trim_start_matches(' ');
                if trimmed.len() == r.len() {
                    return false;
                }
                r = trimmed;
            }
            let Some(head) = r.get(..w.len()) else {
                return false;
            };
            if head.to_lowercase() != *w {
                return false;
            }
            r = &r[w.len()..];
        }
        *at += rest.len() - r.len();
        *rest = r;
        true
    };
    if !take(&mut rest, &mut at, &["ban", "chỉ", "đạo"]) {
        return None;
    }
    let central = take(&mut rest, &mut at, &[" trung", "ương"])
        || take(&mut rest, &mut at, &[" tw"])
        || take(&mut rest, &mut at, &[" t.ư"]);
    if !central
        || !take(
            &mut rest,
            &mut at,
            &[" về", "phòng,", "chống", "tham", "nhũng"],
        )
    {
        return None;
    }
    let mut name = CANONICAL.to_owned();
    if take(&mut rest, &mut at, &[",", "lãng", "phí"]) {
        name.push_str(", lãng phí");
    }
    if take(&mut rest, &mut at, &[",", "tiêu", "cực"]) {
        name.push_str(", tiêu cực");
    }
    if rest.chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    Some((name, at))
}

/// A district-level Party committee at the start of `s`, by the gazetteer:
/// `Huyện ủy Kim Bảng`, `Ban Thường vụ Quận ủy Ba Đình`, `Thị ủy Sơn Tây`,
/// `Thành ủy Phủ Lý` (a district-level city; `Thành ủy Hà Nội` is a
/// province's and is left to the patterns). The name is kept as written,
/// the prefix canonical (`Huyện ủy`), and a term after it (`khóa XXIII`) is
/// covered. A bare `Huyện ủy` is no body here.
fn district_committee(s: &str) -> Option<(String, usize)> {
    use crate::places::{district_at, LocalKind};
    let lead = s.len() - s.trim_start_matches(' ').len();
    let mut at = lead;
    let mut name = String::new();
    for standing in ["Ban Thường vụ ", "BTV "] {
        if s[at..].starts_with(standing) {
            name.push_str("Ban Thường vụ ");
            at += standing.len();
            break;
        }
    }
    let m = district_at(s, at)?;
    let prefix = match m.kind {
        LocalKind::Huyen => "Huyện ủy",
        LocalKind::Quan => "Quận ủy",
        LocalKind::ThiXa => "Thị ủy",
        LocalKind::ThanhPho => "Thành ủy",
        LocalKind::CentralCity | LocalKind::Commune => return None,
    };
    // Only the committee prefixes (`Huyện ủy`), not `huyện` (a district's
    // people's committee or the place itself).
    let written = s.get(m.start..m.name_start)?.to_lowercase();
    if !(written.contains("ủy") || written.contains("uỷ")) {
        return None;
    }
    name.push_str(prefix);
    name.push(' ');
    name.push_str(s.get(m.name_start..m.end)?);
    let end = skip_term(s, m.end).unwrap_or(m.end);
    Some((name, end))
}

/// A provincial department's field as written after `Sở`, longest first
/// where one is a prefix of another, with the usual abbreviations (names
/// are facts: the departments of a province's people's committee).
const DEPARTMENTS: &[(&str, &str)] = &[
    ("Nội vụ", "Nội vụ"),
    ("Tư pháp", "Tư pháp"),
    ("Kế hoạch và Đầu tư", "Kế hoạch và Đầu tư"),
    ("KH&ĐT", "Kế hoạch và Đầu tư"),
    ("Tài chính", "Tài chính"),
    ("Công Thương", "Công Thương"),
    ("Công thương", "Công Thương"),
    (
        "Nông nghiệp và Phát triển nông thôn",
        "Nông nghiệp và Phát triển nông thôn",
    ),
    ("Nông nghiệp và Môi trường", "Nông nghiệp và Môi trường"),
    ("NN&PTNT", "Nông nghiệp và Phát triển nông thôn"),
    ("Giao thông vận tải", "Giao thông vận tải"),
    ("GTVT", "Giao thông vận tải"),
    ("Xây dựng", "Xây dựng"),
    ("Tài nguyên và Môi trường", "Tài nguyên và Môi trường"),
    ("TN&MT", "Tài nguyên và Môi trường"),
    ("Thông tin và Truyền thông", "Thông tin và Truyền thông"),
    ("TT&TT", "Thông tin và Truyền thông"),
    (
        "Lao động - Thương binh và Xã hội",
        "Lao động - Thương binh và Xã hội",
    ),
    ("LĐ-TB&XH", "Lao động - Thương binh và Xã hội"),
    (
        "Văn hóa, Thể thao và Du lịch",
        "Văn hóa, Thể thao và Du lịch",
    ),
    ("VH-TT&DL", "Văn hóa, Thể thao và Du lịch"),
    ("Văn hóa và Thể thao", "Văn hóa và Thể thao"),
    ("Du lịch", "Du lịch"),
    ("Khoa học và Công nghệ", "Khoa học và Công nghệ"),
    ("KH&CN", "Khoa học và Công nghệ"),
    ("Giáo dục và Đào tạo", "Giáo dục và Đào tạo"),
    ("GD&ĐT", "Giáo dục và Đào tạo"),
    ("GD-ĐT", "Giáo dục và Đào tạo"),
    ("Y tế", "Y tế"),
    ("Ngoại vụ", "Ngoại vụ"),
    ("Dân tộc và Tôn giáo", "Dân tộc và Tôn giáo"),
    ("Quy hoạch - Kiến trúc", "Quy hoạch - Kiến trúc"),
];

/// A provincial department at the start of `s`: `Sở Nội vụ`, `Sở Tài
/// nguyên và Môi trường tỉnh Lạng Sơn`, `Sở GD&ĐT`, with its full name and
/// the province when one follows (`tỉnh`, `thành phố`, `TP`).
fn department(s: &str) -> Option<(String, usize)> {
    let lead = s.len() - s.trim_start_matches(' ').len();
    let rest = s[lead..].strip_prefix("Sở ")?;
    let at = s.len() - rest.len();
    let (written, full) = DEPARTMENTS
        .iter()
        .filter(|(w, _)| {
            rest.starts_with(w)
                && !rest[w.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '&')
        })
        .max_by_key(|(w, _)| w.len())?;
    let mut end = at + written.len();
    let mut name = format!("Sở {full}");
    let words = expand(&s[end..]);
    let mut k = 0;
    if k < words.len()
        && (words[k].lower == "tỉnh" || words[k].lower == "tp" || words[k].lower == "tp.")
    {
        k += 1;
    } else if k + 1 < words.len() && words[k].lower == "thành" && words[k + 1].lower == "phố" {
        k += 2;
    }
    if k > 0 {
        if let Some((prov, used)) = match_province(&words[k..]) {
            name.push_str(" tỉnh ");
            if matches!(
                prov,
                "Hà Nội" | "Hồ Chí Minh" | "Hải Phòng" | "Đà Nẵng" | "Cần Thơ" | "Huế"
            ) {
                name.truncate(name.len() - " tỉnh ".len());
                name.push_str(" thành phố ");
            }
            name.push_str(prov);
            end += words[k + used - 1].end;
        }
    }
    Some((name, end))
}

/// A commune-level Party committee at the start of `s`: `Đảng ủy xã Quảng
/// Hòa`, `Ban Thường vụ Đảng ủy phường Bến Nghé`, `Đảng ủy thị trấn Rạng
/// Đông`, `Đảng ủy Phường 1`, named as written: one to four capitalised
/// words (or a number) after the unit. A commune's name is not unique in the
/// country, so it gives no province here.
fn commune_committee(s: &str) -> Option<(String, usize)> {
    let lead = s.len() - s.trim_start_matches(' ').len();
    let mut at = lead;
    let mut name = String::new();
    for standing in ["Ban Thường vụ ", "BTV "] {
        if s[at..].starts_with(standing) {
            name.push_str("Ban Thường vụ ");
            at += standing.len();
            break;
        }
    }
    let rest = s[at..]
        .strip_prefix("Đảng ủy ")
        .or_else(|| s[at..].strip_prefix("Đảng uỷ "))?;
    at = s.len() - rest.len();
    let unit = ["xã ", "phường ", "thị trấn ", "Phường ", "Xã "]
        .iter()
        .find(|u| rest.starts_with(**u))?;
    let mut end = at + unit.len();
    let mut pos = end;
    let mut words = 0;
    while words < 4 {
        let tail = &s[pos..];
        let wlen = tail
            .find([' ', ',', '.', ';', ':', ')', '(', '\n', '"'])
            .unwrap_or(tail.len());
        let w = &tail[..wlen];
        let mut cs = w.chars();
        let capitalised = cs.next().is_some_and(char::is_uppercase) && cs.all(char::is_lowercase);
        let number = words == 0 && !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
        if !(capitalised || number) {
            break;
        }
        end = pos + wlen;
        words += 1;
        if !tail[wlen..].starts_with(' ') {
            break;
        }
        pos = end + 1;
    }
    if words == 0 {
        return None;
    }
    name.push_str("Đảng ủy ");
    name.push_str(s.get(at..end)?);
    Some((name, end))
}

/// Vietnamese ordinal words of a Central Committee plenum (`lần thứ năm`).
const ORDINAL_WORDS: &[&str] = &[
    "nhất", "hai", "ba", "tư", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười",
];

/// How many of `words` name a plenum's ordinal: `5`, `lần thứ 5`, `lần thứ
/// năm`, `lần thứ mười hai` (at most four words), or 0.
fn conference_ordinal(words: &[Word]) -> usize {
    let is_number = |w: &Word| {
        !w.lower.is_empty() && w.lower.len() <= 2 && w.lower.bytes().all(|b| b.is_ascii_digit())
    };
    match words {
        [w, ..] if is_number(w) => 1,
        [l, t, rest @ ..] if l.lower == "lần" && t.lower == "thứ" => match rest {
            [w, ..] if is_number(w) => 3,
            [w, x, ..]
                if ORDINAL_WORDS.contains(&w.lower.as_str())
                    && ORDINAL_WORDS.contains(&x.lower.as_str()) =>
            {
                4
            }
            [w, ..] if ORDINAL_WORDS.contains(&w.lower.as_str()) => 3,
            _ => 0,
        },
        _ => 0,
    }
}

/// A mass organisation named after a central body's `Trung ương` (`Đoàn`,
/// `Đoàn TNCS Hồ Chí Minh`, `Hội Nông dân Việt Nam`): its full name and the
/// words it covers.
fn mass_organisation(words: &[Word]) -> Option<(&'static str, usize)> {
    let starts =
        |p: &[&str]| words.len() >= p.len() && words.iter().zip(p).all(|(w, x)| w.lower == *x);
    const YOUTH: &str = "Đoàn Thanh niên Cộng sản Hồ Chí Minh";
    if starts(&["đoàn", "thanh", "niên", "cộng", "sản", "hồ", "chí", "minh"]) {
        return Some((YOUTH, 8));
    }
    if starts(&["đoàn", "tncs", "hồ", "chí", "minh"]) {
        return Some((YOUTH, 5));
    }
    if starts(&["đoàn"]) {
        return Some((YOUTH, 1));
    }
    if starts(&["hội", "nông", "dân", "việt", "nam"]) {
        return Some(("Hội Nông dân Việt Nam", 5));
    }
    if starts(&["hội", "nông", "dân"]) {
        return Some(("Hội Nông dân Việt Nam", 3));
    }
    None
}

/// `(khóa XII)` / `khóa XII` / `khoá XII` after `end`: the end of the term.
fn skip_term(s: &str, end: usize) -> Option<usize> {
    let rest = s.get(end..)?;
    let t = rest.trim_start_matches(' ');
    let off = end + (rest.len() - t.len());
    let (paren, t2) = match t.strip_prefix('(') {
        Some(x) => (true, x),
        None => (false, t),
    };
    let t3 = t2
        .strip_prefix("khóa ")
        .or_else(|| t2.strip_prefix("Khóa "))
        .or_else(|| t2.strip_prefix("khoá "))?;
    let roman = t3
        .bytes()
        .take_while(|b| matches!(b, b'I' | b'V' | b'X' | b'L'))
        .count();
    if roman == 0 {
        return None;
    }
    let mut e = off + (t.len() - t3.len()) + roman;
    if paren {
        if s.as_bytes().get(e) == Some(&b')') {
            e += 1;
        } else {
            return None;
        }
    }
    Some(e)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tail {
    None,
    Central,
    Province,
    /// The number of a Party Congress (`Đại hội XII`), then `của Đảng`.
    Congress,
}

struct Pattern {
    words: &'static [&'static str],
    canonical: &'static str,
    tail: Tail,
    needs_province: bool,
}

macro_rules! pat {
    ([$($w:expr),*], $c:expr) => { Pattern { words: &[$($w),*], canonical: $c, tail: Tail::None, needs_province: false } };
    ([$($w:expr),*], $c:expr, central) => { Pattern { words: &[$($w),*], canonical: $c, tail: Tail::Central, needs_province: false } };
    ([$($w:expr),*], $c:expr, province) => { Pattern { words: &[$($w),*], canonical: $c, tail: Tail::Province, needs_province: false } };
    ([$($w:expr),*], $c:expr, congress) => { Pattern { words: &[$($w),*], canonical: $c, tail: Tail::Congress, needs_province: false } };
    ([$($w:expr),*], $c:expr, province!) => { Pattern { words: &[$($w),*], canonical: $c, tail: Tail::Province, needs_province: true } };
}

/// Known bodies, matched on lower-cased, abbreviation-expanded words.
static PATTERNS: &[Pattern] = &[
    pat!(["bộ", "chính", "trị"], "Bộ Chính trị", central),
    pat!(["ban", "bí", "thư"], "Ban Bí thư", central),
    pat!(
        ["ban", "chấp", "hành", "trung", "ương"],
        "Ban Chấp hành Trung ương",
        central
    ),
    pat!(
        ["hội", "nghị", "trung", "ương"],
        "Ban Chấp hành Trung ương",
        central
    ),
    pat!(
        ["hội", "nghị", "ban", "chấp", "hành", "trung", "ương"],
        "Ban Chấp hành Trung ương",
        central
    ),
    pat!(
        ["ban", "tổ", "chức", "trung", "ương"],
        "Ban Tổ chức Trung ương",
        central
    ),
    pat!(
        ["ban", "tuyên", "giáo", "trung", "ương"],
        "Ban Tuyên giáo Trung ương",
        central
    ),
    pat!(
        ["ban", "tuyên", "giáo", "và", "dân", "vận", "trung", "ương"],
        "Ban Tuyên giáo và Dân vận Trung ương",
        central
    ),
    pat!(
        ["ban", "dân", "vận", "trung", "ương"],
        "Ban Dân vận Trung ương",
        central
    ),
    pat!(
        ["ủy", "ban", "kiểm", "tra", "trung", "ương"],
        "Ủy ban Kiểm tra Trung ương",
        central
    ),
    pat!(
        ["văn", "phòng", "trung", "ương", "đảng"],
        "Văn phòng Trung ương Đảng",
        central
    ),
    pat!(
        ["văn", "phòng", "trung", "ương"],
        "Văn phòng Trung ương Đảng",
        central
    ),
    pat!(["quốc", "hội"], "Quốc hội"),
    pat!(
        ["ủy", "ban", "thường", "vụ", "quốc", "hội"],
        "Ủy ban Thường vụ Quốc hội"
    ),
    pat!(["chính", "phủ"], "Chính phủ"),
    pat!(["thủ", "tướng", "chính", "phủ"], "Thủ tướng Chính phủ"),
    pat!(["thủ", "tướng"], "Thủ tướng Chính phủ"),
    pat!(["chủ", "tịch", "nước"], "Chủ tịch nước"),
    pat!(["bộ", "nội", "vụ"], "Bộ Nội vụ"),
    pat!(["bộ", "tài", "chính"], "Bộ Tài chính"),
    pat!(["bộ", "công", "an"], "Bộ Công an"),
    pat!(["bộ", "quốc", "phòng"], "Bộ Quốc phòng"),
    pat!(
        ["bộ", "giáo", "dục", "và", "đào", "tạo"],
        "Bộ Giáo dục và Đào tạo"
    ),
    pat!(["bộ", "y", "tế"], "Bộ Y tế"),
    pat!(["bộ", "tư", "pháp"], "Bộ Tư pháp"),
    pat!(
        ["bộ", "kế", "hoạch", "và", "đầu", "tư"],
        "Bộ Kế hoạch và Đầu tư"
    ),
    pat!(["bộ", "công", "thương"], "Bộ Công Thương"),
    pat!(
        ["bộ", "nông", "nghiệp", "và", "phát", "triển", "nông", "thôn"],
        "Bộ Nông nghiệp và Phát triển nông thôn"
    ),
    pat!(
        ["bộ", "tài", "nguyên", "và", "môi", "trường"],
        "Bộ Tài nguyên và Môi trường"
    ),
    pat!(["bộ", "xây", "dựng"], "Bộ Xây dựng"),
    pat!(
        ["bộ", "giao", "thông", "vận", "tải"],
        "Bộ Giao thông vận tải"
    ),
    pat!(
        ["bộ", "thông", "tin", "và", "truyền", "thông"],
        "Bộ Thông tin và Truyền thông"
    ),
    pat!(
        ["bộ", "lao", "động", "-", "thương", "binh", "và", "xã", "hội"],
        "Bộ Lao động - Thương binh và Xã hội"
    ),
    pat!(
        ["bộ", "văn", "hóa,", "thể", "thao", "và", "du", "lịch"],
        "Bộ Văn hóa, Thể thao và Du lịch"
    ),
    pat!(
        ["bộ", "khoa", "học", "và", "công", "nghệ"],
        "Bộ Khoa học và Công nghệ"
    ),
    pat!(
        ["ngân", "hàng", "nhà", "nước", "việt", "nam"],
        "Ngân hàng Nhà nước Việt Nam"
    ),
    pat!(
        ["ngân", "hàng", "nhà", "nước"],
        "Ngân hàng Nhà nước Việt Nam"
    ),
    pat!(
        ["tiểu", "ban", "nhân", "sự", "đại", "hội"],
        "Tiểu ban Nhân sự Đại hội",
        congress
    ),
    pat!(
        ["tiểu", "ban", "văn", "kiện", "đại", "hội"],
        "Tiểu ban Văn kiện Đại hội",
        congress
    ),
    pat!(["văn", "phòng", "chính", "phủ"], "Văn phòng Chính phủ"),
    pat!(["văn", "phòng", "quốc", "hội"], "Văn phòng Quốc hội"),
    pat!(["thanh", "tra", "chính", "phủ"], "Thanh tra Chính phủ"),
    pat!(["kiểm", "toán", "nhà", "nước"], "Kiểm toán Nhà nước"),
    pat!(
        ["tòa", "án", "nhân", "dân", "tối", "cao"],
        "Tòa án nhân dân tối cao"
    ),
    pat!(
        ["viện", "kiểm", "sát", "nhân", "dân", "tối", "cao"],
        "Viện kiểm sát nhân dân tối cao"
    ),
    pat!(["bộ", "ngoại", "giao"], "Bộ Ngoại giao"),
    pat!(
        ["bộ", "dân", "tộc", "và", "tôn", "giáo"],
        "Bộ Dân tộc và Tôn giáo"
    ),
    pat!(
        ["bộ", "nông", "nghiệp", "và", "môi", "trường"],
        "Bộ Nông nghiệp và Môi trường"
    ),
    pat!(["ủy", "ban", "dân", "tộc"], "Ủy ban Dân tộc"),
    pat!(
        ["ban", "nội", "chính", "trung", "ương"],
        "Ban Nội chính Trung ương",
        central
    ),
    pat!(
        ["ban", "kinh", "tế", "trung", "ương"],
        "Ban Kinh tế Trung ương",
        central
    ),
    pat!(
        ["ban", "đối", "ngoại", "trung", "ương"],
        "Ban Đối ngoại Trung ương",
        central
    ),
    pat!(
        ["hội", "đồng", "lý", "luận", "trung", "ương"],
        "Hội đồng Lý luận Trung ương",
        central
    ),
    pat!(
        ["đảng", "ủy", "khối", "các", "cơ", "quan", "trung", "ương"],
        "Đảng ủy Khối các cơ quan Trung ương",
        central
    ),
    pat!(["đảng", "ủy", "chính", "phủ"], "Đảng ủy Chính phủ", central),
    pat!(["đảng", "ủy", "quốc", "hội"], "Đảng ủy Quốc hội", central),
    pat!(
        ["ủy", "ban", "trung", "ương", "mặt", "trận", "tổ", "quốc", "việt", "nam"],
        "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
        central
    ),
    pat!(
        ["ban", "nội", "chính", "tỉnh", "ủy"],
        "Ban Nội chính Tỉnh ủy",
        province
    ),
    pat!(
        ["ban", "tuyên", "giáo", "và", "dân", "vận", "tỉnh", "ủy"],
        "Ban Tuyên giáo và Dân vận Tỉnh ủy",
        province
    ),
    pat!(
        ["ban", "tổ", "chức", "thành", "ủy"],
        "Ban Tổ chức Thành ủy",
        province
    ),
    pat!(
        ["ban", "tuyên", "giáo", "thành", "ủy"],
        "Ban Tuyên giáo Thành ủy",
        province
    ),
    pat!(
        ["ủy", "ban", "kiểm", "tra", "thành", "ủy"],
        "Ủy ban Kiểm tra Thành ủy",
        province
    ),
    // A district's or commune's standing committee named without its place
    // (`Kế hoạch số 06-KH/HU … của Ban Thường vụ Huyện ủy về …`, after the
    // 2025 reform `… của Ban Thường vụ Đảng ủy xã`): the district committee
    // with its name is read first (`district_committee`).
    pat!(
        ["ban", "thường", "vụ", "huyện", "ủy"],
        "Ban Thường vụ Huyện ủy"
    ),
    pat!(["ban", "thường", "vụ", "thị", "ủy"], "Ban Thường vụ Thị ủy"),
    pat!(
        ["ban", "thường", "vụ", "quận", "ủy"],
        "Ban Thường vụ Quận ủy"
    ),
    pat!(
        ["ban", "thường", "vụ", "đảng", "ủy", "xã"],
        "Ban Thường vụ Đảng ủy xã"
    ),
    pat!(
        ["ban", "thường", "vụ", "đảng", "ủy", "phường"],
        "Ban Thường vụ Đảng ủy phường"
    ),
    pat!(
        ["ban", "thường", "vụ", "đảng", "ủy"],
        "Ban Thường vụ Đảng ủy"
    ),
    pat!(
        ["thường", "trực", "tỉnh", "ủy"],
        "Thường trực Tỉnh ủy",
        province
    ),
    pat!(
        ["thường", "trực", "thành", "ủy"],
        "Thường trực Thành ủy",
        province
    ),
    pat!(["thường", "trực", "huyện", "ủy"], "Thường trực Huyện ủy"),
    pat!(["tỉnh", "ủy"], "Tỉnh ủy", province),
    pat!(["thành", "ủy"], "Thành ủy", province),
    pat!(
        ["ban", "thường", "vụ", "tỉnh", "ủy"],
        "Ban Thường vụ Tỉnh ủy",
        province
    ),
    pat!(
        ["ban", "thường", "vụ", "thành", "ủy"],
        "Ban Thường vụ Thành ủy",
        province
    ),
    pat!(["ban", "chấp", "hành", "đảng", "bộ"], "Ban Chấp hành Đảng bộ tỉnh", province!),
    pat!(
        ["ban", "chấp", "hành", "đảng", "bộ", "tỉnh"],
        "Ban Chấp hành Đảng bộ tỉnh",
        province
    ),
    pat!(
        ["ban", "tổ", "chức", "tỉnh", "ủy"],
        "Ban Tổ chức Tỉnh ủy",
        province
    ),
    pat!(
        ["ban", "tuyên", "giáo", "tỉnh", "ủy"],
        "Ban Tuyên giáo Tỉnh ủy",
        province
    ),
    pat!(
        ["ban", "dân", "vận", "tỉnh", "ủy"],
        "Ban Dân vận Tỉnh ủy",
        province
    ),
    pat!(
        ["ủy", "ban", "kiểm", "tra", "tỉnh", "ủy"],
        "Ủy ban Kiểm tra Tỉnh ủy",
        province
    ),
    pat!(
        ["hội", "đồng", "nhân", "dân", "tỉnh"],
        "Hội đồng nhân dân tỉnh",
        province
    ),
    pat!(
        ["hội", "đồng", "nhân", "dân", "thành", "phố"],
        "Hội đồng nhân dân thành phố",
        province
    ),
    pat!(
        ["ủy", "ban", "nhân", "dân", "tỉnh"],
        "Ủy ban nhân dân tỉnh",
        province
    ),
    pat!(
        ["ủy", "ban", "nhân", "dân", "thành", "phố"],
        "Ủy ban nhân dân thành phố",
        province
    ),
];

/// Provinces (63 before 1/7/2025, plus Huế) with written variants, lower-case
/// words → canonical name.
static PROVINCES: &[(&[&str], &str)] = &[
    (&["hà", "nội"], "Hà Nội"),
    (&["hồ", "chí", "minh"], "Hồ Chí Minh"),
    (&["hcm"], "Hồ Chí Minh"),
    (&["hải", "phòng"], "Hải Phòng"),
    (&["đà", "nẵng"], "Đà Nẵng"),
    (&["cần", "thơ"], "Cần Thơ"),
    (&["huế"], "Huế"),
    (&["thừa", "thiên", "huế"], "Thừa Thiên Huế"),
    (&["thừa", "thiên", "-", "huế"], "Thừa Thiên Huế"),
    (&["tt-huế"], "Thừa Thiên Huế"),
    (&["lai", "châu"], "Lai Châu"),
    (&["điện", "biên"], "Điện Biên"),
    (&["sơn", "la"], "Sơn La"),
    (&["lạng", "sơn"], "Lạng Sơn"),
    (&["quảng", "ninh"], "Quảng Ninh"),
    (&["thanh", "hóa"], "Thanh Hóa"),
    (&["nghệ", "an"], "Nghệ An"),
    (&["hà", "tĩnh"], "Hà Tĩnh"),
    (&["cao", "bằng"], "Cao Bằng"),
    (&["tuyên", "quang"], "Tuyên Quang"),
    (&["hà", "giang"], "Hà Giang"),
    (&["lào", "cai"], "Lào Cai"),
    (&["yên", "bái"], "Yên Bái"),
    (&["thái", "nguyên"], "Thái Nguyên"),
    (&["bắc", "kạn"], "Bắc Kạn"),
    (&["bắc", "cạn"], "Bắc Kạn"),
    (&["phú", "thọ"], "Phú Thọ"),
    (&["vĩnh", "phúc"], "Vĩnh Phúc"),
    (&["hòa", "bình"], "Hòa Bình"),
    (&["bắc", "ninh"], "Bắc Ninh"),
    (&["bắc", "giang"], "Bắc Giang"),
    (&["hưng", "yên"], "Hưng Yên"),
    (&["thái", "bình"], "Thái Bình"),
    (&["hải", "dương"], "Hải Dương"),
    (&["ninh", "bình"], "Ninh Bình"),
    (&["hà", "nam"], "Hà Nam"),
    (&["nam", "định"], "Nam Định"),
    (&["quảng", "trị"], "Quảng Trị"),
    (&["quảng", "bình"], "Quảng Bình"),
    (&["quảng", "nam"], "Quảng Nam"),
    (&["quảng", "ngãi"], "Quảng Ngãi"),
    (&["kon", "tum"], "Kon Tum"),
    (&["gia", "lai"], "Gia Lai"),
    (&["bình", "định"], "Bình Định"),
    (&["khánh", "hòa"], "Khánh Hòa"),
    (&["ninh", "thuận"], "Ninh Thuận"),
    (&["lâm", "đồng"], "Lâm Đồng"),
    (&["đắk", "nông"], "Đắk Nông"),
    (&["đăk", "nông"], "Đắk Nông"),
    (&["bình", "thuận"], "Bình Thuận"),
    (&["đắk", "lắk"], "Đắk Lắk"),
    (&["đăk", "lăk"], "Đắk Lắk"),
    (&["đắc", "lắc"], "Đắk Lắk"),
    (&["đắk", "lăk"], "Đắk Lắk"),
    (&["phú", "yên"], "Phú Yên"),
    (&["bình", "dương"], "Bình Dương"),
    (&["bà", "rịa", "-", "vũng", "tàu"], "Bà Rịa – Vũng Tàu"),
    (&["bà", "rịa", "–", "vũng", "tàu"], "Bà Rịa – Vũng Tàu"),
    (&["đồng", "nai"], "Đồng Nai"),
    (&["bình", "phước"], "Bình Phước"),
    (&["tây", "ninh"], "Tây Ninh"),
    (&["long", "an"], "Long An"),
    (&["sóc", "trăng"], "Sóc Trăng"),
    (&["hậu", "giang"], "Hậu Giang"),
    (&["vĩnh", "long"], "Vĩnh Long"),
    (&["bến", "tre"], "Bến Tre"),
    (&["trà", "vinh"], "Trà Vinh"),
    (&["đồng", "tháp"], "Đồng Tháp"),
    (&["tiền", "giang"], "Tiền Giang"),
    (&["cà", "mau"], "Cà Mau"),
    (&["bạc", "liêu"], "Bạc Liêu"),
    (&["an", "giang"], "An Giang"),
    (&["kiên", "giang"], "Kiên Giang"),
];

/// The longest province at the start of `words`: canonical name and words used.
fn match_province(words: &[Word]) -> Option<(&'static str, usize)> {
    let mut best: Option<(&'static str, usize)> = None;
    for (ws, name) in PROVINCES {
        if ws.len() <= words.len()
            && ws
                .iter()
                .zip(words)
                .all(|(a, w)| w.lower == *a && w.capital_or_sign)
            && best.is_none_or(|(_, n)| ws.len() > n)
        {
            best = Some((name, ws.len()));
        }
    }
    best
}

/// One expanded word: its lower-case form and the end of the source token it
/// came from.
struct Word {
    lower: String,
    end: usize,
    /// Upper-case initial, or a sign such as `-` (province words must be
    /// capitalised).
    capital_or_sign: bool,
}

/// Splits the start of `s` into words (stopping at punctuation that ends a
/// name) and expands abbreviations.
fn expand(s: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut i = 0;
    let bytes = s.as_bytes();
    let mut tokens = 0;
    while i < bytes.len() && tokens < MAX_WORDS {
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let start = i;
        while i < bytes.len()
            && !matches!(
                bytes[i],
                b' ' | b'\n' | b',' | b';' | b'(' | b')' | b'"' | b':'
            )
        {
            i += 1;
        }
        // `Văn hóa, Thể thao`: keep the comma inside the ministry's name.
        let mut tok = &s[start..i];
        let mut stop = i >= bytes.len() || bytes[i] != b' ';
        // (Only after `Văn`: `Tỉnh ủy Thanh Hóa, Huyện ủy …` ends on the name.)
        if i < bytes.len()
            && bytes[i] == b','
            && tok.eq_ignore_ascii_case("hóa")
            && out.last().is_some_and(|w| w.lower == "văn")
        {
            i += 1;
            tok = &s[start..i];
            stop = false;
        }
        // A trailing full stop ends the name unless it is `TP.` / `T.Ư`.
        let mut t = tok;
        if t.ends_with('.') && t != "TP." && t.len() > 1 {
            t = &t[..t.len() - 1];
            stop = true;
        }
        if t.is_empty() {
            break;
        }
        tokens += 1;
        let end = start + t.len();
        let cap = t
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic());
        let push = |out: &mut Vec<Word>, ws: &[&str]| {
            for w in ws {
                out.push(Word {
                    lower: (*w).to_owned(),
                    end,
                    capital_or_sign: true,
                });
            }
        };
        match t {
            "BCH" => push(&mut out, &["ban", "chấp", "hành"]),
            "TW" | "TƯ" | "T.Ư" | "T.W" | "T.Ư." | "TƯƠNG" => {
                push(&mut out, &["trung", "ương"])
            }
            "BCHTW" | "BCHTƯ" => push(&mut out, &["ban", "chấp", "hành", "trung", "ương"]),
            "BTV" => push(&mut out, &["ban", "thường", "vụ"]),
            "UBND" => push(&mut out, &["ủy", "ban", "nhân", "dân"]),
            "HĐND" => push(&mut out, &["hội", "đồng", "nhân", "dân"]),
            "UBKT" => push(&mut out, &["ủy", "ban", "kiểm", "tra"]),
            "UBKTTW" | "UBKTTƯ" => push(&mut out, &["ủy", "ban", "kiểm", "tra", "trung", "ương"]),
            "BTCTW" | "BTCTƯ" => push(&mut out, &["ban", "tổ", "chức", "trung", "ương"]),
            "BTGTW" | "BTGTƯ" => push(&mut out, &["ban", "tuyên", "giáo", "trung", "ương"]),
            "UBTVQH" => push(&mut out, &["ủy", "ban", "thường", "vụ", "quốc", "hội"]),
            "TTg" => push(&mut out, &["thủ", "tướng", "chính", "phủ"]),
            "TP.HCM" | "TPHCM" => push(&mut out, &["tp", "hồ", "chí", "minh"]),
            "BTC" => {
                // Ban Tổ chức only before TW/TƯ.
                let next = s[i..].trim_start_matches(' ');
                if next.starts_with("TW")
                    || next.starts_with("TƯ")
                    || next.starts_with("Trung ương")
                {
                    push(&mut out, &["ban", "tổ", "chức"]);
                } else {
                    out.push(Word {
                        lower: "btc".to_owned(),
                        end,
                        capital_or_sign: true,
                    });
                }
            }
            _ => out.push(Word {
                lower: t.to_lowercase(),
                end,
                capital_or_sign: cap,
            }),
        }
        if stop {
            break;
        }
    }
    out
}

/// The issuer a symbol names by itself (`NĐ-CP` → Chính phủ, `QĐ-TTg` → Thủ
/// tướng Chính phủ, `QH15` → Quốc hội, `…/BTCTW` → Ban Tổ chức Trung ương,
/// `TT-BNV` → Bộ Nội vụ). `/TW`, `/TU`, `/HU`, `/ĐU` say nothing.
pub fn from_symbol(symbol: &str) -> Option<&'static str> {
    if let Some((_, issuer)) = symbol.split_once('/') {
        // Party style: TYPE/ISSUER[-MORE].
        let head = issuer.split('-').next().unwrap_or(issuer);
        return match head {
            "BTCTW" => Some("Ban Tổ chức Trung ương"),
            "BTGTW" => Some("Ban Tuyên giáo Trung ương"),
            "BTGDVTW" => Some("Ban Tuyên giáo và Dân vận Trung ương"),
            "BDVTW" => Some("Ban Dân vận Trung ương"),
            "UBKTTW" => Some("Ủy ban Kiểm tra Trung ương"),
            "VPTW" => Some("Văn phòng Trung ương Đảng"),
            _ => None,
        };
    }
    if symbol.starts_with("QH")
        && symbol[2..].bytes().all(|b| b.is_ascii_digit())
        && symbol.len() > 2
    {
        return Some("Quốc hội");
    }
    if symbol.starts_with("UBTVQH") {
        return Some("Ủy ban Thường vụ Quốc hội");
    }
    // An old state number without its type (`Nghị định 34/CP`, `58-CP`).
    match symbol {
        "CP" => return Some("Chính phủ"),
        "TTg" => return Some("Thủ tướng Chính phủ"),
        "HĐBT" => return Some("Hội đồng Bộ trưởng"),
        _ => {}
    }
    // State style: TYPE-ISSUER[-ISSUER…]; a single issuer only.
    let mut parts = symbol.split('-');
    let _ty = parts.next()?;
    let issuer = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    if issuer.starts_with("UBTVQH") {
        return Some("Ủy ban Thường vụ Quốc hội");
    }
    Some(match issuer {
        "CP" => "Chính phủ",
        "TTg" | "TTG" => "Thủ tướng Chính phủ",
        "BNV" => "Bộ Nội vụ",
        "BTC" => "Bộ Tài chính",
        "BCA" => "Bộ Công an",
        "BQP" => "Bộ Quốc phòng",
        "BGDĐT" => "Bộ Giáo dục và Đào tạo",
        "BYT" => "Bộ Y tế",
        "BTP" => "Bộ Tư pháp",
        "BKHĐT" => "Bộ Kế hoạch và Đầu tư",
        "BCT" => "Bộ Công Thương",
        "BNNPTNT" => "Bộ Nông nghiệp và Phát triển nông thôn",
        "BTNMT" => "Bộ Tài nguyên và Môi trường",
        "BXD" => "Bộ Xây dựng",
        "BGTVT" => "Bộ Giao thông vận tải",
        "BTTTT" => "Bộ Thông tin và Truyền thông",
        "BLĐTBXH" => "Bộ Lao động - Thương binh và Xã hội",
        "BVHTTDL" => "Bộ Văn hóa, Thể thao và Du lịch",
        "BKHCN" => "Bộ Khoa học và Công nghệ",
        "NHNN" => "Ngân hàng Nhà nước Việt Nam",
        "UBTVQH" => "Ủy ban Thường vụ Quốc hội",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn central_bodies_expand_and_drop_party_and_term() {
        assert_eq!(
            canonical_body("BCH TW").as_deref(),
            Some("Ban Chấp hành Trung ương")
        );
        assert_eq!(
            canonical_body("Ban Chấp hành Trung ương Đảng (khóa XII) về việc").as_deref(),
            Some("Ban Chấp hành Trung ương")
        );
        assert_eq!(
            canonical_body("Bộ Chính trị khóa XIII").as_deref(),
            Some("Bộ Chính trị")
        );
        assert_eq!(
            canonical_body("BTC TƯ").as_deref(),
            Some("Ban Tổ chức Trung ương")
        );
        assert_eq!(
            canonical_body("Ủy ban Kiểm tra TW").as_deref(),
            Some("Ủy ban Kiểm tra Trung ương")
        );
        assert_eq!(
            canonical_body("Văn phòng Trung ương Đảng").as_deref(),
            Some("Văn phòng Trung ương Đảng")
        );
        assert_eq!(
            canonical_body("Thủ tướng Chính phủ").as_deref(),
            Some("Thủ tướng Chính phủ")
        );
        assert_eq!(canonical_body("Chính phủ").as_deref(), Some("Chính phủ"));
        assert_eq!(
            canonical_body("Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XII về")
                .as_deref(),
            Some("Ban Chấp hành Trung ương")
        );
        assert_eq!(
            canonical_body("Hội nghị Trung ương 6 khóa XII").as_deref(),
            Some("Ban Chấp hành Trung ương")
        );
    }

    #[test]
    fn provincial_bodies_keep_the_province() {
        assert_eq!(
            canonical_body("Ban Thường vụ Tỉnh ủy Hà Nam").as_deref(),
            Some("Ban Thường vụ Tỉnh ủy Hà Nam")
        );
        assert_eq!(
            canonical_body("BTV Tỉnh ủy Đắk Lắk đã").as_deref(),
            Some("Ban Thường vụ Tỉnh ủy Đắk Lắk")
        );
        assert_eq!(
            canonical_body("UBND tỉnh Thanh Hóa").as_deref(),
            Some("Ủy ban nhân dân tỉnh Thanh Hóa")
        );
        assert_eq!(
            canonical_body("HĐND tỉnh").as_deref(),
            Some("Hội đồng nhân dân tỉnh")
        );
        assert_eq!(canonical_body("Tỉnh ủy").as_deref(), Some("Tỉnh ủy"));
        assert_eq!(
            canonical_body("Thành ủy TP. Hồ Chí Minh").as_deref(),
            Some("Thành ủy Hồ Chí Minh")
        );
        assert_eq!(
            canonical_body("Tỉnh ủy tổ chức").as_deref(),
            Some("Tỉnh ủy")
        );
    }

    #[test]
    fn unknown_phrases_are_not_bodies() {
        assert_eq!(canonical_body("Công ty cổ phần"), None);
        assert_eq!(canonical_body(""), None);
        assert_eq!(canonical_body("Ban Chỉ đạo 35"), None);
    }

    #[test]
    fn symbols_name_their_issuer() {
        assert_eq!(from_symbol("NĐ-CP"), Some("Chính phủ"));
        assert_eq!(from_symbol("QĐ-TTg"), Some("Thủ tướng Chính phủ"));
        assert_eq!(from_symbol("QH13"), Some("Quốc hội"));
        assert_eq!(from_symbol("HD/BTCTW"), Some("Ban Tổ chức Trung ương"));
        assert_eq!(from_symbol("TT-BNV"), Some("Bộ Nội vụ"));
        assert_eq!(from_symbol("QĐ/TW"), None);
        assert_eq!(from_symbol("CT/TU"), None);
        assert_eq!(from_symbol("TTLT-BTC-BNV"), None);
        assert_eq!(
            from_symbol("PL-UBTVQH12"),
            Some("Ủy ban Thường vụ Quốc hội")
        );
    }
}
