//! Meetings the text reports (hội nghị, lớp bồi dưỡng, tập huấn): see
//! ANNOTATION.md §Events.
//!
//! One aho-corasick automaton finds the triggers (`hội nghị`, `lớp bồi
//! dưỡng`, `tập huấn`, `tổ chức quán triệt`…); each trigger is then judged
//! inside its sentence only (≤ 2 KB each side): the type from the words after
//! `hội nghị`, instruction and plan contexts (`yêu cầu`, `sẽ`, `kế hoạch tổ
//! chức`…) excluded, the date nearest the trigger that is not a citation's
//! signing date, the province, the organiser (canonicalised like issuers,
//! province appended to a bare provincial body) and the documents mentioned in
//! the sentence. Trigger sentences of one type merge into one event unless
//! their dates or provinces differ.
//!
//! Organisers are canonicalised by `issuers::match_body` when it recognises
//! the whole phrase, else by a private fallback ([`canonical_body`]) that
//! expands the same abbreviations for other bodies.

use crate::context::{floor_char, Context};
use crate::dates::{self, DateValue};
use crate::model::{Document, Event, EventKind};
use crate::places;
use crate::scan::PhraseScan;
use chrono::{Datelike, NaiveDate};
use std::sync::OnceLock;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Trigger {
    /// `hội nghị`: the type depends on the words after it.
    Meeting,
    /// `lớp bồi dưỡng`, `tập huấn`.
    Training,
    /// `tổ chức quán triệt`, `tổ chức học tập`, `tổ chức triển khai`.
    OrganiseDissemination,
    /// `tổ chức sơ kết`, `tổ chức tổng kết`.
    OrganiseReview,
    /// `lễ công bố` (nghị quyết, quyết định): a meeting of type other, kept
    /// only when it or the sentences continuing it name a document.
    Ceremony,
    /// `quán triệt`, `triển khai` as the verb of a dated report with no
    /// meeting noun (`Ngày 15/8, Thị ủy Hoàng Mai đã quán triệt Quy định số
    /// 105-QĐ/TW đến cán bộ chủ chốt`): kept only in that shape
    /// ([`verbal_report`]).
    Verbal,
}

/// Trigger phrases in lower case; [`trigger_patterns`] adds every
/// capitalisation a headline or a sloppy report uses (`Lớp Bồi dưỡng`,
/// `lớp Bồi dưỡng`, `HỘI NGHỊ`).
const TRIGGERS: &[(&str, Trigger)] = &[
    ("hội nghị", Trigger::Meeting),
    ("lễ công bố", Trigger::Ceremony),
    ("lớp bồi dưỡng", Trigger::Training),
    ("lớp tập huấn", Trigger::Training),
    // `khai giảng lớp thứ nhất bồi dưỡng …`: a course named by its rank
    // (under the `lớp` marker of the trigger scan, so it costs no scan
    // phrase).
    ("lớp thứ", Trigger::Training),
    ("tập huấn", Trigger::Training),
    ("tổ chức quán triệt", Trigger::OrganiseDissemination),
    ("tổ chức học tập", Trigger::OrganiseDissemination),
    ("tổ chức triển khai", Trigger::OrganiseDissemination),
    ("tổ chức sơ kết", Trigger::OrganiseReview),
    ("tổ chức tổng kết", Trigger::OrganiseReview),
    ("quán triệt", Trigger::Verbal),
    ("triển khai", Trigger::Verbal),
];

/// Words before a leading date (`Sáng 11/8,`, `Chiều ngày 16/8,`).
const DAY_PARTS: &[&str] = &[
    "Ngày ",
    "Sáng ",
    "Chiều ",
    "Tối ",
    "Trưa ",
    "Sáng ngày ",
    "Chiều ngày ",
    "Tối ngày ",
    "Trưa ngày ",
];

/// A dated report with no meeting noun: the sentence `[s, e)` opens on a
/// date and a comma (`Ngày 15/8,`, `Chiều 16/8,`), then a body, then
/// (`đã`/`vừa`/`cũng`) the verb at `[ts, te)`, whose object is a document
/// mentioned within a few words (`quán triệt Quy định số 105-QĐ/TW`,
/// `triển khai Chỉ thị số 05-CT/TW tới …`). Returns the body's segment.
/// A meeting (`… tổ chức hội nghị quán triệt`), a plan or a general
/// activity (`đã triển khai nhiều giải pháp`) never has this shape.
fn verbal_report<'t>(
    text: &'t str,
    s: usize,
    ts: usize,
    te: usize,
    mentions: &[(usize, usize, usize)],
) -> Option<&'t str> {
    let lead = &text[s..ts];
    let comma = lead.find(", ")?;
    let opening = &lead[..comma];
    let part = DAY_PARTS.iter().find(|p| opening.starts_with(**p))?;
    let d = dates::date_at(text, s + part.len())?;
    if d.end != s + comma || !matches!(d.value, DateValue::Full(_) | DateValue::Yearless { .. }) {
        return None;
    }
    let seg = lead[comma + 2..].trim_end();
    if seg.is_empty()
        || [
            "tổ chức",
            "hội nghị",
            "Hội nghị",
            "lớp",
            "kế hoạch",
            "yêu cầu",
        ]
        .iter()
        .any(|w| contains_word(seg, w))
    {
        return None;
    }
    // The object: the first document after the verb, a few words on.
    let (ms, _, _) = *mentions.iter().find(|m| m.0 >= te)?;
    let gap = &text[te..ms];
    if gap.len() > 48 || gap.contains(['.', ';', ':']) {
        return None;
    }
    Some(seg)
}

/// Upper-cases the first letter of `w`.
fn capitalised(w: &str) -> String {
    let mut cs = w.chars();
    match cs.next() {
        Some(c) => c.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// Every trigger with each word lower-case or capitalised, and all in
/// capitals: (pattern, trigger). At most 2^4 + 1 patterns per phrase.
fn trigger_patterns() -> &'static [(String, Trigger)] {
    static P: OnceLock<Vec<(String, Trigger)>> = OnceLock::new();
    P.get_or_init(|| {
        let mut out: Vec<(String, Trigger)> = Vec::new();
        for &(phrase, trig) in TRIGGERS {
            let words: Vec<&str> = phrase.split(' ').collect();
            for mask in 0u32..(1 << words.len()) {
                let v: Vec<String> = words
                    .iter()
                    .enumerate()
                    .map(|(i, w)| {
                        if mask & (1 << i) != 0 {
                            capitalised(w)
                        } else {
                            (*w).to_owned()
                        }
                    })
                    .collect();
                out.push((v.join(" "), trig));
            }
            out.push((phrase.to_uppercase(), trig));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out.dedup_by(|a, b| a.0 == b.0);
        out
    })
}

/// The trigger phrases, scanned with the capitalisations of `tổ chức`,
/// `lớp` and `lễ` as markers: 31 phrases, under the 32 for which the SIMD
/// prefilter (Teddy) takes its slim form (32 bytes a step; the fat one
/// reads 16). Every hit is re-read over all the phrases: the same matches.
fn triggers() -> &'static PhraseScan {
    static SCAN: OnceLock<PhraseScan> = OnceLock::new();
    SCAN.get_or_init(|| {
        PhraseScan::new(
            trigger_patterns().iter().map(|t| t.0.as_str()),
            &[
                "tổ chức",
                "Tổ chức",
                "tổ Chức",
                "Tổ Chức",
                "TỔ CHỨC",
                "lớp ",
                "Lớp ",
                "LỚP ",
                "lễ ",
                "Lễ ",
                "LỄ ",
            ],
        )
    })
}

/// True when `rest` opens on a same-day phrase ([`SAME_DAY`]), also after a
/// part of the day (`Chiều cùng ngày,`, `Sáng cùng ngày`).
fn opens_same_day(rest: &str) -> bool {
    // `Chiều cùng ngày,` reads as `Cùng ngày,`: drop the part of the day.
    let rest = ["Sáng ", "Chiều ", "Tối ", "Trưa "]
        .iter()
        .find_map(|p| {
            rest.strip_prefix(p)
                .and_then(|r| r.strip_prefix("cùng ngày"))
        })
        .map_or(rest, |t| {
            if t.starts_with([',', ' ']) {
                "Cùng ngày,"
            } else {
                ""
            }
        });
    SAME_DAY.iter().any(|w| rest.starts_with(w))
}

/// Two named organisers that are different bodies: neither name contains
/// the other (`Ban Thường vụ Tỉnh ủy Quảng Ngãi` is `Tỉnh ủy Quảng Ngãi`).
fn organizers_differ(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => !a.contains(b) && !b.contains(a),
        _ => false,
    }
}

/// Lower-case place words that open an apposition locating a body.
const PLACE_APPOSITIONS: &[&str] = &["huyện ", "tỉnh ", "thành phố ", "quận ", "thị xã "];

/// Sentence openings that date a meeting by the one reported before it.
const SAME_DAY: &[&str] = &[
    "Cùng ngày,",
    "Cùng ngày ",
    "Trong cùng ngày",
    "Cũng trong ngày,",
    "Cũng trong ngày ",
    "Cũng ngày ",
];

/// Words after `hội nghị` (within the phrase) that make it a dissemination.
const DISSEMINATION_WORDS: &[&str] = &[
    "học tập",
    "quán triệt",
    "triển khai",
    "phổ biến",
    "tuyên truyền",
    "giới thiệu",
    // `hội nghị thông báo nhanh kết quả Hội nghị Trung ương …`: a briefing
    // on a plenum's or congress's results to the cadres.
    "thông báo nhanh",
    // `Hội nghị báo cáo viên …`: the regular briefing of the Party's
    // propagandists (báo cáo viên) on documents and current affairs.
    "báo cáo viên",
    "Báo cáo viên",
    "HỌC TẬP",
    "QUÁN TRIỆT",
    "TRIỂN KHAI",
    "PHỔ BIẾN",
    "TUYÊN TRUYỀN",
    "GIỚI THIỆU",
    "Học tập",
    "Quán triệt",
    "Triển khai",
    "Phổ biến",
    "Tuyên truyền",
    "Giới thiệu",
];
const REVIEW_WORDS: &[&str] = &[
    "sơ kết",
    "tổng kết",
    "SƠ KẾT",
    "TỔNG KẾT",
    "Sơ kết",
    "Tổng kết",
];

/// Sport words: `tập huấn` of a team is a training camp, not a course.
const SPORT_WORDS: &[&str] = &[
    "đội tuyển",
    "Đội tuyển",
    "HLV",
    "huấn luyện viên",
    "cầu thủ",
    "CLB",
    "câu lạc bộ",
    "VĐV",
    "vận động viên",
    "đội bóng",
    "giao hữu",
    "V-League",
    "SEA Games",
    "thầy trò",
];

/// Instruction and plan cues before a trigger: no event.
const INSTRUCTION_CUES: &[&str] = &[
    "yêu cầu",
    "đề nghị",
    "cần",
    "phải",
    "sẽ",
    "dự kiến",
    "kế hoạch tổ chức",
    "hướng dẫn tổ chức",
    "trước ngày",
    "Yêu cầu",
    "Đề nghị",
    "Phải",
    "Sẽ",
    "Dự kiến",
    "Kế hoạch tổ chức",
    "Hướng dẫn tổ chức",
    "Trước ngày",
    "trách nhiệm",
    "nhiệm vụ",
    "quyền hạn",
    "định kỳ",
    "hằng năm",
    "hàng năm",
    "tăng cường",
    "đẩy mạnh",
    "chủ động",
    "chưa",
    "Hằng năm",
    "Hàng năm",
    "Định kỳ",
    "có thể",
    "nên",
    "tham mưu",
    "thống nhất",
    "Thống nhất",
];

/// Past-tense and report markers: a sentence with one of them reports a
/// meeting that took place (ANNOTATION.md §Events, undated events).
const REPORT_MARKERS: &[&str] = &[
    "đã",
    "vừa",
    "mới đây",
    "vừa qua",
    "diễn ra",
    "khai mạc",
    "bế mạc",
    "Khai mạc",
    "Tại hội nghị",
    "tại hội nghị",
    "Tại lớp",
    "tại lớp",
    "chủ trì",
    "tham dự",
    "Tham dự",
    "Dự hội nghị",
    "dự hội nghị",
    "phát biểu",
    "Phát biểu",
];

/// A planned period (`trong năm 2019`, `trong quý I/2023`, `trong tháng
/// 2/2025`): with no past marker, the meeting is still to come.
const PLAN_PERIODS: &[&str] = &["trong năm", "trong quý", "trong tháng", "trong 6 tháng"];

/// Sentence openings that refer back to a meeting already reported (`Đây là
/// hội nghị đầu tiên …`): they create no event and add nothing to one.
const BACK_REFERENCES: &[&str] = &["Đây là", "Đó là", "Đây cũng là", "Đó cũng là"];

/// Words right after a sentence-opening `Hội nghị` that make it the subject
/// of a predicate about the meeting already reported (`Hội nghị cũng đã
/// nghe …`, `Hội nghị đã thông qua …`).
const ANAPHORIC_PREDICATES: &[&str] = &[
    "cũng ",
    "đã ",
    "còn ",
    "được ",
    "tiếp tục ",
    "đồng thời ",
    "nghe ",
    "thông qua ",
    "thống nhất ",
    "dành ",
];

/// Words before a document mention that name it only for comparison or as
/// the replaced text (`so với Quy định 126`, `thay thế Quy định 126`): not
/// what the meeting disseminated.
const COMPARISON_BEFORE: &[&str] = &["so với", "thay thế", "thay cho", "thế cho", "bãi bỏ"];

/// Openings of a sentence that goes on describing the meeting of the
/// sentence before (`Tại hội nghị, …`, `Nội dung tập trung vào …`).
const CONTINUATIONS: &[&str] = &[
    "Tại hội nghị",
    "Tại lớp",
    "Tại buổi",
    "Hội nghị đã",
    "Hội nghị được",
    "Lớp tập huấn",
    "Lớp bồi dưỡng",
    "Lớp học",
    "Các đại biểu",
    "Đại biểu",
    "Học viên",
    "Các học viên",
    "Nội dung",
    "Tham dự",
    "Dự hội nghị",
    "Dự lớp",
    "Chủ trì hội nghị",
    "Phát biểu chỉ đạo",
    "Phát biểu tại",
];

/// How many sentences after a meeting's own are searched for one that goes
/// on describing it.
const CONTINUED_SENTENCES: usize = 6;

/// `needle` occurs in `hay` as whole words.
fn contains_word(hay: &str, needle: &str) -> bool {
    find_word(hay, needle).is_some()
}

fn find_word(hay: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = hay
        .get(from..)
        .and_then(|h| memchr::memmem::find(h.as_bytes(), needle.as_bytes()))
    {
        let s = from + p;
        let e = s + needle.len();
        let left = hay[..s]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let right = hay[e..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if left && right {
            return Some(s);
        }
        from = e;
    }
    None
}

fn rfind_word(hay: &str, needle: &str) -> Option<usize> {
    let mut end = hay.len();
    while let Some(s) = hay[..end].rfind(needle) {
        let e = s + needle.len();
        let left = hay[..s]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let right = hay[e..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if left && right {
            return Some(s);
        }
        end = s;
    }
    None
}

/// True when the sentence text before the trigger is an instruction or plan.
fn is_instruction(before: &str, trigger_is_organise: bool) -> bool {
    // `Cần` only at the sentence start (`Cần Thơ` is a city).
    if before.starts_with("Cần ") && !before.starts_with("Cần Thơ") {
        return true;
    }
    if INSTRUCTION_CUES.iter().any(|c| contains_word(before, c)) {
        return true;
    }
    // `giao … tổ chức` (a task handed to a body), not `bàn giao`.
    if let Some(p) = rfind_word(before, "giao") {
        if !before[..p].trim_end().ends_with("bàn") {
            return true;
        }
    }
    // `chỉ đạo … tổ chức`
    if let Some(p) = rfind_word(before, "chỉ đạo") {
        if trigger_is_organise || contains_word(&before[p..], "tổ chức") {
            return true;
        }
    }
    false
}

/// One trigger sentence, judged.
struct Found {
    kind: EventKind,
    sentence: (usize, usize),
    date: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    province: Option<&'static str>,
    organizer: Option<String>,
    /// A date, a named organiser or a past/report marker in the sentence.
    reported: bool,
    /// A ceremony: an event only with a document.
    ceremony: bool,
    /// Reported as another body's meeting beside one before it: `cũng`
    /// before the trigger, or a same-day opening (`Chiều cùng ngày, …`).
    also: bool,
}

/// True when the sentence starting at `s` is an item of a numbered or bulleted
/// list that opens with the bare verb `Tổ chức` (`1. Tổ chức hội nghị quán
/// triệt …` in a plan): an imperative with no subject, not a report.
fn is_plan_list_item(text: &str, s: usize) -> bool {
    let window = &text[floor_char(text, s.saturating_sub(16))..s];
    let line_start = s - window.len() + window.rfind('\n').map_or(0, |p| p + 1);
    let line = &text[line_start..];
    let item = line.trim_start_matches(|c: char| {
        c.is_ascii_digit() || matches!(c, '.' | ')' | '-' | '+' | '•' | '*' | '–' | ' ')
    });
    item.len() < line.len() && item.starts_with("Tổ chức ")
}

/// True when the date at `start..end` is when a text takes effect, not when a
/// meeting met: after `kể từ (ngày)`, `hiệu lực (kể) từ (ngày)`, or `từ ngày
/// …` followed by `hiệu lực` in the same clause.
fn is_effective_date(text: &str, start: usize, end: usize, sentence_end: usize) -> bool {
    let before = &text[floor_char(text, start.saturating_sub(40))..start];
    let before = before.trim_end();
    let before = before
        .strip_suffix("ngày")
        .or_else(|| before.strip_suffix("Ngày"))
        .unwrap_or(before)
        .trim_end();
    if before.ends_with("kể từ") || before.ends_with("hiệu lực từ") {
        return true;
    }
    if before.ends_with("từ") || before.ends_with("Từ") {
        let stop = floor_char(text, (end + 120).min(sentence_end)).max(end);
        let after = &text[end..stop];
        let clause = after.split([';', '.']).next().unwrap_or("");
        return clause.contains("hiệu lực");
    }
    false
}

/// True when a document mention at `ms..me` is named only for comparison or as
/// the replaced text (`so với Quy định 126 trước đây`, `thay thế Quy định 126`).
fn is_comparison_mention(text: &str, ms: usize, me: usize) -> bool {
    let before = text[floor_char(text, ms.saturating_sub(24))..ms].trim_end();
    COMPARISON_BEFORE.iter().any(|w| before.ends_with(w))
        || text
            .get(me..)
            .is_some_and(|a| a.trim_start().starts_with("trước đây"))
}

/// All mention spans of all documents, sorted by start: (start, end, doc).
fn mention_index(documents: &[Document]) -> Vec<(usize, usize, usize)> {
    let mut v: Vec<(usize, usize, usize)> = documents
        .iter()
        .enumerate()
        .flat_map(|(i, d)| d.mentions.iter().map(move |m| (m.start, m.end, i)))
        .collect();
    v.sort_unstable();
    v
}

/// Mentions that start inside `[s, e)`.
fn mentions_in(index: &[(usize, usize, usize)], s: usize, e: usize) -> &[(usize, usize, usize)] {
    let a = index.partition_point(|m| m.0 < s);
    let b = index.partition_point(|m| m.0 < e);
    &index[a..b.max(a)]
}

/// True when the date at `start` belongs to a citation: only spaces, commas
/// and `ngày` between a mention's end and the date, or the date lies inside a
/// mention, or it follows `ban hành` / `ký`.
fn is_citation_date(text: &str, mentions: &[(usize, usize, usize)], start: usize) -> bool {
    for &(ms, me, _) in mentions {
        if ms <= start && start < me {
            return true;
        }
        if me <= start && start - me <= 24 {
            let gap = text.get(me..start).unwrap_or("");
            let rest = gap.replace("ngày", "").replace("Ngày", "");
            if rest.chars().all(|c| c == ' ' || c == ',') {
                return true;
            }
        }
    }
    let before = &text[floor_char(text, start.saturating_sub(24))..start];
    let before = before.trim_end().trim_end_matches("ngày").trim_end();
    before.ends_with("ban hành") || before.ends_with("ký") || before.ends_with("thông qua")
}

/// Latest document year and that document's date, for yearless dates.
fn latest_doc(documents: &[Document]) -> Option<(i32, Option<NaiveDate>)> {
    documents
        .iter()
        .filter_map(|d| d.year.map(|y| (y, d.date.filter(|x| x.year() == y))))
        .max_by_key(|&(y, d)| (y, d))
}

/// The year a meeting's own sentence gives a yearless date when the text
/// has no publication date: a review `tổng kết N năm thực hiện` a document
/// of year Y is held in Y + N (the first such phrase after the trigger); a
/// course named with its year (`lớp bồi dưỡng … năm 2019`) is held that year.
fn year_hint(
    text: &str,
    kind: EventKind,
    te: usize,
    e: usize,
    in_sentence: &[(usize, usize, usize)],
    documents: &[Document],
) -> Option<i32> {
    let window = |len: usize| &text[te.min(e)..floor_char(text, (te + len).min(e)).max(te.min(e))];
    match kind {
        EventKind::Review => {
            let w = window(400);
            let p = find_word(w, "năm thực hiện")
                .or_else(|| find_word(w, "năm triển khai thực hiện"))?;
            // `tổng kết 10 năm`, `sơ kết 05 năm`: one or two digits.
            let before = w[..p].trim_end();
            let digits = &before[before.trim_end_matches(|c: char| c.is_ascii_digit()).len()..];
            if !(1..=2).contains(&digits.len()) {
                return None;
            }
            let n: i32 = digits.parse().ok()?;
            let at = te + p;
            // The first document named right after the phrase.
            let &(_, _, d) = in_sentence.iter().find(|m| m.0 > at && m.0 <= at + 64)?;
            let y = documents.get(d)?.year?;
            (n > 0).then_some(y + n)
        }
        EventKind::Training => {
            let w = window(200);
            let base = te.min(e);
            for m in dates::find_dates(text, base..base + w.len()) {
                let DateValue::Year(y) = m.value else {
                    continue;
                };
                let before = text[floor_char(text, m.start.saturating_sub(16))..m.start].trim_end();
                let ranged = text[m.end..].starts_with(['-', '–']);
                let period = ["giai đoạn", "nhiệm kỳ", "đến", "từ", "sau", "trước"]
                    .iter()
                    .any(|w| before.ends_with(w));
                let cited = in_sentence.iter().any(|x| x.0 >= te && x.0 < m.start);
                if !ranged && !period && !cited {
                    return Some(y);
                }
            }
            None
        }
        _ => None,
    }
}

fn resolve(
    value: DateValue,
    ctx: &Context,
    latest: Option<(i32, Option<NaiveDate>)>,
    hint: Option<i32>,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let res = |d: u32, m: u32| match hint {
        Some(y) if ctx.published.is_none() && ctx.published_year.is_none() => {
            NaiveDate::from_ymd_opt(y, m, d)
        }
        _ => dates::resolve_yearless(d, m, ctx.published, ctx.published_year, latest),
    };
    match value {
        DateValue::Full(d) => (Some(d), None),
        DateValue::Range(a, b) => (Some(a), Some(b)),
        DateValue::Yearless { day, month } => (res(day, month), None),
        DateValue::YearlessRange { start, end } => {
            let Some(s) = res(start.0, start.1) else {
                return (None, None);
            };
            let e = NaiveDate::from_ymd_opt(s.year(), end.1, end.0).and_then(|e| {
                if e < s {
                    NaiveDate::from_ymd_opt(s.year() + 1, end.1, end.0)
                } else {
                    Some(e)
                }
            });
            (Some(s), e)
        }
        _ => (None, None),
    }
}

/// Prefixes that make a province mention a place of the event.
const PLACE_PREFIXES: &[&str] = &[
    "tại ",
    "Tại ",
    "tỉnh ",
    "Tỉnh ",
    "thành phố ",
    "Thành phố ",
    "TP ",
    "TP. ",
    "điểm cầu ",
    "Điểm cầu ",
    "đầu cầu ",
    "Đầu cầu ",
    "điểm cầu tỉnh ",
    "Điểm cầu tỉnh ",
];
const TITLE_PREFIXES: &[&str] = &["Tỉnh ủy ", "Thành ủy ", "TỈNH ỦY ", "THÀNH ỦY "];

fn province_with_prefix(text: &str, s: usize, e: usize, prefixes: &[&str]) -> Option<&'static str> {
    places::find_provinces(text, s..e)
        .into_iter()
        .find_map(|p| {
            let before = &text[floor_char(text, p.start.saturating_sub(16))..p.start];
            let written = &text[p.start..p.end];
            let self_prefixed = written.starts_with("TP")
                || written.starts_with("Thành phố")
                || written.starts_with("thành phố");
            (self_prefixed || prefixes.iter().any(|x| before.ends_with(x))).then_some(p.name)
        })
}

/// The province a text is about, for a meeting whose own sentences name
/// none (`Ban Chấp hành Đảng bộ tỉnh tổ chức hội nghị …` in a report whose
/// other lines say `Tỉnh ủy Hà Tĩnh`, `Tại Đắk Lắk`): the province named
/// with a place or title prefix anywhere in the text, when it is the only
/// one or named at least twice as often as any other.
fn dominant_province(text: &str) -> Option<&'static str> {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for p in places::find_provinces(text, 0..text.len()) {
        let before = &text[floor_char(text, p.start.saturating_sub(16))..p.start];
        let written = &text[p.start..p.end];
        let prefixed = written.starts_with("TP")
            || written.starts_with("Thành phố")
            || written.starts_with("thành phố")
            || PLACE_PREFIXES
                .iter()
                .chain(TITLE_PREFIXES)
                .any(|x| before.ends_with(x));
        if !prefixed {
            continue;
        }
        match counts.iter_mut().find(|c| c.0 == p.name) {
            Some(c) => c.1 += 1,
            None => counts.push((p.name, 1)),
        }
    }
    // A district, city or commune named with its prefix (`Huyện ủy Thường
    // Tín`, `xã Vĩnh Hào`) counts for its province.
    for d in places::find_districts(text, 0..text.len()) {
        let Some(name) = d.province else { continue };
        match counts.iter_mut().find(|c| c.0 == name) {
            Some(c) => c.1 += 1,
            None => counts.push((name, 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    match counts.as_slice() {
        [] => None,
        [(name, _)] => Some(name),
        [(name, n), (_, m), ..] => (*n >= 2 * *m).then_some(name),
    }
}

/// The province of the first district, city or commune named with its
/// prefix in `[s, e)` (`huyện Thường Tín` → Hà Nội, `thành phố Thủ Đức` →
/// Hồ Chí Minh). A name several provinces share gives the text's own
/// province when that is one of them, else nothing.
fn district_province(
    text: &str,
    s: usize,
    e: usize,
    text_province: &dyn Fn() -> Option<&'static str>,
) -> Option<&'static str> {
    places::find_districts(text, s..e)
        .into_iter()
        .find_map(|d| {
            d.province.or_else(|| {
                let tp = text_province()?;
                d.candidates.contains(&tp).then_some(tp)
            })
        })
}

/// Passive forms that say what the participants of the meeting received:
/// a sentence holding one describes the meeting reported before it.
const RECEIVED: &[&str] = &[
    "được quán triệt",
    "được phổ biến",
    "được nghe",
    "được truyền đạt",
    "được học tập",
    "được giới thiệu",
    "được tiếp thu",
    "được lãnh đạo",
    "được đại diện",
    "được báo cáo viên",
    "được trình bày",
];

/// Openings of a sentence about the meeting's duration or programme.
const PROGRAMME_OPENINGS: &[&str] = &[
    "Trong thời gian",
    "Trong hai ngày",
    "Trong 2 ngày",
    "Trong ba ngày",
    "Trong 3 ngày",
    "Trong buổi",
    "Trong chương trình",
    "Qua hội nghị",
    "Qua lớp",
    "Tại đây",
];

/// Words that count what follows them (`6 hội nghị`, `nhiều lớp tập huấn`,
/// `các hội nghị`); `năm` is left out (`năm` is also a year).
const COUNT_WORDS: &[&str] = &[
    "hai", "ba", "bốn", "sáu", "bảy", "tám", "chín", "mười", "nhiều", "chục", "trăm", "các",
    "những", "mấy",
];

/// True when `before` (the sentence up to a meeting noun) ends on a count,
/// with an optional classifier (`3 cuộc hội nghị`, `5 đợt tập huấn`).
fn counted_before(before: &str) -> bool {
    let mut b = before.trim_end();
    for classifier in [" cuộc", " đợt", " buổi", " lượt"] {
        if let Some(x) = b.strip_suffix(classifier) {
            b = x.trim_end();
            break;
        }
    }
    let last = b.rsplit(' ').next().unwrap_or("");
    let digits = !last.is_empty() && last.bytes().all(|c| c.is_ascii_digit() || c == b'.');
    digits || COUNT_WORDS.contains(&last)
}

/// A day or a run of days, with or without its year: what can date a
/// meeting.
fn is_day_or_days(v: DateValue) -> bool {
    matches!(
        v,
        DateValue::Full(_)
            | DateValue::Range(..)
            | DateValue::Yearless { .. }
            | DateValue::YearlessRange { .. }
    )
}

/// Meeting nouns, then verbs, that open a sentence saying when the meeting
/// reported before it took place (`Hội nghị diễn ra …`, `Lớp tập huấn được
/// tổ chức …`).
const WHEN_SUBJECTS: &[&str] = &[
    "Hội nghị",
    "Lớp tập huấn",
    "Lớp bồi dưỡng",
    "Lớp học",
    "Buổi tập huấn",
    "Buổi quán triệt",
];
const WHEN_VERBS: &[&str] = &[
    " diễn ra",
    " đã diễn ra",
    " được tổ chức",
    " được tổ chức vào",
    " đã được tổ chức",
    " khai mạc",
    " kéo dài",
];

/// Bytes of a meeting noun's modifiers before its verb of taking place
/// (`Lớp bồi dưỡng lý luận chính trị dành cho đối tượng kết nạp đảng được
/// tổ chức …`).
const WHEN_MODIFIER_BYTES: usize = 120;

/// True when `s` opens with a meeting noun and, in the same clause (no
/// comma before it, within [`WHEN_MODIFIER_BYTES`]), a verb of taking place.
fn states_when(s: &str) -> bool {
    WHEN_SUBJECTS.iter().any(|n| {
        s.strip_prefix(n).is_some_and(|r| {
            if WHEN_VERBS.iter().any(|v| r.starts_with(v)) {
                return true;
            }
            let clause = &r[..floor_char(r, WHEN_MODIFIER_BYTES.min(r.len()))];
            let clause = clause
                .split([',', '.', ';', ':', '\n'])
                .next()
                .unwrap_or("");
            r.starts_with(' ')
                && WHEN_VERBS.iter().any(|v| {
                    clause
                        .find(v)
                        .is_some_and(|p| clause[p + v.len()..].starts_with(' '))
                })
        })
    })
}

/// True when a sentence goes on about the meeting before it: it opens on
/// the meeting's programme or says what the participants received.
fn describes_meeting(sentence: &str) -> bool {
    PROGRAMME_OPENINGS.iter().any(|w| sentence.starts_with(w))
        || opening_days(sentence).is_some()
        || RECEIVED.iter().any(|w| contains_word(sentence, w))
        || speaker_disseminates(sentence)
}

/// The length of a list item's marker (`- `, `+ `, `• `, `a) `, `1. `) at
/// the start of `s`, 0 when there is none.
fn list_marker_len(s: &str) -> usize {
    for m in ["- ", "+ ", "• ", "– "] {
        if s.starts_with(m) {
            return m.len();
        }
    }
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=2).contains(&digits) && s[digits..].starts_with(". ") {
        return digits + 2;
    }
    if b.len() > 2 && b[0].is_ascii_lowercase() && b[1] == b')' && b[2] == b' ' {
        return 3;
    }
    0
}

/// Words right before a bare `tập huấn` that make it a course someone held.
fn organised_before(before: &str) -> bool {
    let b = before.trim_end().to_lowercase();
    [
        "tổ chức",
        "hội nghị",
        "mở",
        "khai mạc",
        "khai giảng",
        "buổi",
        "đợt",
        "lớp",
        "chương trình",
    ]
    .iter()
    .any(|w| b.ends_with(w))
}

/// Verbs of a speaker who puts documents across at a meeting.
const SPEAKER_VERBS: &[&str] = &["quán triệt", "truyền đạt", "phổ biến", "triển khai"];

/// A sentence about one speaker at the meeting putting documents across
/// (`Đồng chí Nguyễn Văn A, Phó Bí thư Thường trực Đảng ủy xã quán triệt
/// văn bản: …`, `Đ/c … truyền đạt Chỉ thị số …`).
fn speaker_disseminates(sentence: &str) -> bool {
    ["Đồng chí ", "Đ/c ", "Đ/c. "]
        .iter()
        .any(|w| sentence.starts_with(w))
        && SPEAKER_VERBS.iter().any(|v| contains_word(sentence, v))
}

/// The span of a meeting reported on `day`, from a sentence continuing its
/// report (`Trong hai ngày (27 và 28-11)`): a number of days, or a range
/// that starts on `day`; for the closing of a course (`closing`), one that
/// ends on it (`… bế giảng lớp … . Lớp học được tổ chức từ ngày 20 đến
/// 24/10`), and a number of days counts back from it.
fn continued_span(
    text: &str,
    s: usize,
    e: usize,
    day: NaiveDate,
    closing: bool,
) -> Option<(NaiveDate, NaiveDate)> {
    if let Some(days) = stated_days(&text[s..e.max(s)]) {
        return days_from(day, days, closing);
    }
    for m in dates::find_dates(text, s..e) {
        let span = match m.value {
            DateValue::Range(a, b) if a == day && b > a => Some((a, b)),
            DateValue::Range(a, b) if closing && b == day && a < b => Some((a, b)),
            DateValue::YearlessRange { start, end } if start == (day.day(), day.month()) => {
                let y = day.year();
                let e = NaiveDate::from_ymd_opt(y, end.1, end.0)?;
                let e = if e < day {
                    NaiveDate::from_ymd_opt(y + 1, end.1, end.0)?
                } else {
                    e
                };
                (e > day).then_some((day, e))
            }
            DateValue::YearlessRange { end, .. } if closing && end == (day.day(), day.month()) => {
                span_around(m.value, day)
            }
            _ => None,
        };
        if span.is_some() {
            return span;
        }
    }
    None
}

/// The span of `days` days from `day`, or up to it for a course reported
/// on its closing day.
fn days_from(day: NaiveDate, days: u32, closing: bool) -> Option<(NaiveDate, NaiveDate)> {
    let n = chrono::Days::new(u64::from(days) - 1);
    if closing {
        Some((day.checked_sub_days(n)?, day))
    } else {
        Some((day, day.checked_add_days(n)?))
    }
}

/// The span `[first, last]` of a range of days that holds `day` (a course
/// reported on its opening or closing day), a yearless range taking `day`'s
/// year (and the year before for its start when it runs over the new year).
fn span_around(value: DateValue, day: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let (a, b) = match value {
        DateValue::Range(a, b) => (a, b),
        DateValue::YearlessRange { start, end } => {
            let b = NaiveDate::from_ymd_opt(day.year(), end.1, end.0)?;
            let a = NaiveDate::from_ymd_opt(day.year(), start.1, start.0)?;
            if a > b {
                (
                    NaiveDate::from_ymd_opt(day.year() - 1, start.1, start.0)?,
                    b,
                )
            } else {
                (a, b)
            }
        }
        _ => return None,
    };
    (a < b && a <= day && day <= b).then_some((a, b))
}

/// True when the meeting's sentence reports the closing of a course
/// (`bế giảng`): its day is the course's last day.
fn reports_closing(sentence: &str) -> bool {
    contains_word(sentence, "bế giảng") || contains_word(sentence, "Bế giảng")
}

/// How long a meeting lasted, when a sentence says so in days: `kéo dài 3
/// ngày`, `diễn ra trong 2 ngày`, `diễn ra trong thời gian ba ngày` (a
/// bare `trong thời gian 30 ngày` is a deadline, not a length). Only 2 to 31
/// days; the first day and this count give the last day.
/// `Trong 5 ngày, báo cáo viên … truyền đạt …`: a sentence that opens on
/// the course's length in days, then a comma.
fn opening_days(sentence: &str) -> Option<u32> {
    let rest = sentence.strip_prefix("Trong ")?;
    // `Trong thời gian 10 ngày,`.
    let rest = rest.strip_prefix("thời gian ").unwrap_or(rest);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (n, after) = if digits > 0 {
        (rest[..digits].parse::<u32>().ok()?, &rest[digits..])
    } else {
        let (w, n) = [
            ("hai ", 2),
            ("ba ", 3),
            ("bốn ", 4),
            ("năm ", 5),
            ("sáu ", 6),
            ("bảy ", 7),
        ]
        .into_iter()
        .find(|(w, _)| rest.starts_with(w))?;
        (n, &rest[w.len() - 1..])
    };
    let after = after.strip_prefix(" ngày")?;
    (after.starts_with(',') && (2..=31).contains(&n)).then_some(n)
}

fn stated_days(sentence: &str) -> Option<u32> {
    if let Some(n) = opening_days(sentence) {
        return Some(n);
    }
    const LEADS: &[&str] = &[
        "kéo dài trong",
        "kéo dài",
        "diễn ra trong thời gian",
        "diễn ra trong vòng",
        "diễn ra trong",
    ];
    const WORDS: &[(&str, u32)] = &[
        ("hai", 2),
        ("ba", 3),
        ("bốn", 4),
        ("năm", 5),
        ("sáu", 6),
        ("bảy", 7),
        ("Hai", 2),
        ("Ba", 3),
    ];
    for lead in LEADS {
        let mut from = 0;
        while let Some(p) = find_word(&sentence[from..], lead) {
            let at = from + p + lead.len();
            from = at;
            let rest = sentence[at..].trim_start_matches(' ');
            let (n, after) = if let Some(d) = rest.find(|c: char| !c.is_ascii_digit()) {
                if d == 0 {
                    match WORDS
                        .iter()
                        .find(|(w, _)| rest.starts_with(w) && rest[w.len()..].starts_with(' '))
                    {
                        Some(&(w, n)) => (n, &rest[w.len()..]),
                        None => continue,
                    }
                } else {
                    match rest[..d].parse::<u32>() {
                        Ok(n) => (n, &rest[d..]),
                        Err(_) => continue,
                    }
                }
            } else {
                continue;
            };
            let after = after.trim_start_matches(' ');
            let is_days = after.starts_with("ngày")
                && !after["ngày".len()..].starts_with(|c: char| c.is_alphanumeric());
            if is_days && (2..=31).contains(&n) {
                return Some(n);
            }
        }
    }
    None
}

/// Body heads an organiser starts with.
const BODY_HEADS: &[&str] = &[
    "Ban Thường vụ",
    "Ban Chấp hành",
    "BTV",
    "BCH",
    "Thường trực",
    "Tỉnh ủy",
    "Thành ủy",
    "Huyện ủy",
    "Quận ủy",
    "Thị ủy",
    "Đảng ủy",
    "Đảng bộ",
    "Chi bộ",
    "UBND",
    "Ủy ban",
    "HĐND",
    "Hội đồng",
    "Ban ",
    "Sở ",
    "Bộ ",
    "Cục ",
    "Tổng cục",
    "Viện ",
    "Học viện",
    "Trường ",
    "Hội ",
    "Liên đoàn",
    "Công đoàn",
    "Mặt trận",
    "MTTQ",
    "Đoàn ",
    "Tỉnh đoàn",
    "Thành đoàn",
    "Trung tâm",
    "Văn phòng",
    "Công an",
    "Bộ Chỉ huy",
    "Tòa án",
    "Viện kiểm sát",
    "Chính phủ",
    "Quốc hội",
    "Bộ Chính trị",
    "Ban Bí thư",
    "Đảng đoàn",
    "Ban cán sự",
];

/// Canonical full name of a body as written: abbreviations expanded, province
/// variants canonical, `Đảng` after `Trung ương` and the term dropped
/// (ANNOTATION.md §Documents, issuer names).
fn canonical_body(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_end_matches([',', ' ', '-']);
    if raw.is_empty() {
        return None;
    }
    // Drop a term `(khóa XII)` or `khóa XII`.
    let raw = match raw.find(" (khóa").or_else(|| raw.find(" khóa ")) {
        Some(p) => &raw[..p],
        None => raw,
    };
    let mut out = String::with_capacity(raw.len() + 16);
    let mut i = 0;
    while i < raw.len() {
        // Province variants become canonical names.
        if let Some(p) = places::province_at(raw, i) {
            out.push_str(p.name);
            i = p.end;
            continue;
        }
        let rest = &raw[i..];
        let word_len = rest.find([' ', ',']).unwrap_or(rest.len());
        let word = &rest[..word_len];
        let left_ok = i == 0 || raw.as_bytes()[i - 1] == b' ';
        let expanded = if left_ok {
            match word {
                "BCH" => Some("Ban Chấp hành"),
                "BTV" => Some("Ban Thường vụ"),
                "UBND" => Some("Ủy ban nhân dân"),
                "HĐND" => Some("Hội đồng nhân dân"),
                "TW" | "TƯ" | "T.Ư" | "T.W" => Some("Trung ương"),
                "MTTQ" => Some("Mặt trận Tổ quốc"),
                "UBKT" => Some("Ủy ban Kiểm tra"),
                "BTG" => Some("Ban Tuyên giáo"),
                _ => None,
            }
        } else {
            None
        };
        match expanded {
            Some(e) => {
                out.push_str(e);
                i += word_len;
            }
            None => {
                let c = rest.chars().next().unwrap_or(' ');
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    let mut s = out;
    if let Some(p) = s.find("Trung ương Đảng") {
        s.replace_range(p..p + "Trung ương Đảng".len(), "Trung ương");
    }
    let s = s.trim().to_owned();
    (!s.is_empty()).then_some(s)
}

/// The organiser before `tổ chức` in the sentence `[s, e)`, near `trigger`.
fn organizer(
    text: &str,
    s: usize,
    e: usize,
    trigger: usize,
) -> Option<(String, Option<&'static str>)> {
    let sent = &text[s..e.max(s)];
    // The `tổ chức` nearest before (or at) the trigger, else the first after.
    let rel_trigger = trigger.saturating_sub(s).min(sent.len());
    // (Long enough to hold a trigger that is itself the verb: `khai giảng
    // lớp …`.)
    let limit = floor_char(sent, (rel_trigger + "khai giảng".len()).min(sent.len()));
    // `… tổ chức hội nghị`, `… mở lớp bồi dưỡng`.
    let before_verb = |w: &str| rfind_word(&sent[..limit], w);
    // `… khai giảng lớp bồi dưỡng`: a course opened by its school; `… khai
    // mạc lớp bồi dưỡng`: by the body that holds it.
    let tc = ["tổ chức", "mở", "khai giảng", "khai mạc"]
        .iter()
        .filter_map(|w| before_verb(w))
        .max()
        .or_else(|| find_word(sent, "tổ chức"))?;
    let mut seg = &sent[..tc];
    if let Some(p) = clause_mark(seg) {
        // `Đảng ủy xã Tân Phú, huyện Đồng Phú tổ chức`: a place after the
        // body's comma locates it; the body is before the comma.
        let tail = seg[p + 1..].trim_start();
        // (`huyện ủy Yên Thành` is a committee written in lower case.)
        let place = PLACE_APPOSITIONS.iter().any(|w| {
            tail.strip_prefix(w)
                .is_some_and(|r| !r.starts_with("ủy") && !r.starts_with("uỷ"))
        }) && seg.as_bytes()[p] == b',';
        let head = &seg[..p];
        // `Bộ Chính trị, Ban Bí thư tổ chức`: two organisers, neither named.
        let head_clause = clause_mark(head).map_or(head, |q| &head[q + 1..]).trim();
        if !place
            && seg.as_bytes()[p] == b','
            && crate::issuers::match_body(head_clause)
                .is_some_and(|(_, len)| len >= head_clause.len())
        {
            return None;
        }
        seg = if place {
            clause_mark(head).map_or(head, |q| &head[q + 1..])
        } else {
            &seg[p + 1..]
        };
    }
    body_in_segment(text, seg)
}

/// The last clause mark (`,` `;` `:` `(`) in `seg`, passing over the
/// parentheses of an abbreviation the report introduces inside a name
/// (`Ban Chấp hành (BCH) Đảng bộ tỉnh`).
fn clause_mark(seg: &str) -> Option<usize> {
    let mut end = seg.len();
    while let Some(p) = seg[..end].rfind([',', ';', ':', '(']) {
        if abbreviation_len(&seg[p..]) == 0 {
            return Some(p);
        }
        end = p;
    }
    None
}

/// Most letters of an abbreviation a report introduces in parentheses.
const MAX_ABBREVIATION: usize = 10;

/// The byte length of `(BCH) ` (2 to [`MAX_ABBREVIATION`] upper-case
/// letters or digits in parentheses, then a space or the end of `s`) at
/// the start of `s`, 0 when `s` does not open with one.
fn abbreviation_len(s: &str) -> usize {
    let Some(inner) = s.strip_prefix('(') else {
        return 0;
    };
    let Some(close) = inner.find(')') else {
        return 0;
    };
    let abbr = &inner[..close];
    let letters = abbr.chars().count();
    let ok = (2..=MAX_ABBREVIATION).contains(&letters)
        && abbr.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
        && abbr.chars().any(char::is_uppercase)
        && (inner[close + 1..].is_empty() || inner[close + 1..].starts_with(' '));
    match (ok, inner[close + 1..].is_empty()) {
        (false, _) => 0,
        // (At the end of the subject: `Bộ Giáo dục và Đào tạo (GDĐT)`.)
        (true, true) => close + 2,
        (true, false) => close + 3,
    }
}

/// `seg` with every introduced abbreviation (`Ban Chấp hành (BCH) Đảng bộ
/// tỉnh`) turned into spaces of the same byte length, so the name reads
/// whole and offsets into the text still hold.
fn blank_abbreviations(mut seg: String) -> String {
    let mut at = 0;
    while let Some(p) = seg[at..].find('(') {
        let start = at + p;
        let len = abbreviation_len(&seg[start..]);
        if len == 0 {
            at = start + 1;
            continue;
        }
        seg.replace_range(start..start + len, &" ".repeat(len));
        at = start + len;
    }
    seg
}

/// Most words of a bare district name as a sentence's subject.
const MAX_DISTRICT_SUBJECT_WORDS: usize = 4;

/// `Sáng 30/3, Nam Đàn tổ chức hội nghị …`: a district (or district-level
/// town) named alone as the subject before `tổ chức`, in one province only
/// by the gazetteer, gives that province.
fn district_subject(text: &str, s: usize, e: usize, trigger: usize) -> Option<&'static str> {
    let sent = &text[s..e.max(s)];
    let rel = trigger.saturating_sub(s).min(sent.len());
    let limit = floor_char(sent, (rel + "tổ chức".len()).min(sent.len()));
    let tc = rfind_word(&sent[..limit], "tổ chức")?;
    let mut seg = &sent[..tc];
    if let Some(p) = seg.rfind([',', ';', ':', '(']) {
        seg = &seg[p + 1..];
    }
    let mut seg = seg.trim();
    for w in [" đã", " vừa", " cũng"] {
        seg = seg.strip_suffix(w).unwrap_or(seg).trim_end();
    }
    let words: Vec<&str> = seg.split(' ').collect();
    if words.is_empty()
        || words.len() > MAX_DISTRICT_SUBJECT_WORDS
        || !words
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_uppercase()))
    {
        return None;
    }
    match places::district_provinces(seg) {
        [only] => Some(only),
        _ => None,
    }
}

/// The organiser named by `seg` (a slice of `text`: the subject before the
/// verb), after dropping a partner (`phối hợp …`), a passive agent marker
/// and trailing particles.
fn body_in_segment(text: &str, mut seg: &str) -> Option<(String, Option<&'static str>)> {
    if let Some(p) = find_word(seg, "phối hợp") {
        seg = &seg[..p];
    }
    // The passive agent: `hội nghị … do <body> tổ chức`, `… đã được <body>
    // tổ chức`: the body starts after the last agent marker.
    if let Some(p) = ["do", "được", "bởi"]
        .iter()
        .filter_map(|w| rfind_word(seg, w).map(|p| p + w.len()))
        .max()
    {
        seg = &seg[p..];
    }
    // Trailing particles.
    let mut seg = seg.trim_end();
    loop {
        let before = seg;
        for w in [
            "đã",
            "vừa",
            "mới",
            "long trọng",
            "trọng thể",
            "cũng",
            "đồng thời",
            "sẽ",
            "chính thức",
            // `X tổ chức khai mạc lớp …`: the verb before the opening.
            "tổ chức",
            // `X (đã) tổ chức Lễ khai giảng lớp …`: the ceremony's noun.
            "Lễ",
            "lễ",
        ] {
            if seg.ends_with(w) && seg[..seg.len() - w.len()].ends_with(' ') {
                seg = seg[..seg.len() - w.len()].trim_end();
            }
        }
        if seg == before {
            break;
        }
    }
    // `huyện ủy Đô Lương`, `Ban thường vụ tỉnh ủy`: a committee written in
    // lower case reads as its capitalised name (same bytes, ASCII letters
    // and `đ` only change case).
    let seg_at = seg.as_ptr() as usize - text.as_ptr() as usize;
    let recased = blank_abbreviations(recase_committee(seg));
    let seg = recased.as_str();
    // The earliest body head at a word start.
    let mut best: Option<usize> = None;
    for h in BODY_HEADS {
        if let Some(p) = find_word(seg, h.trim_end()) {
            if best.is_none_or(|b| p < b) {
                best = Some(p);
            }
        }
    }
    let body = &seg[best?..];
    // `Ban Bí thư`, `Bộ Chính trị`: known bodies with lower-case words.
    let known = crate::issuers::match_body(body.trim_end())
        .is_some_and(|(_, len)| len >= body.trim_end().len());
    if !known && !is_body_phrase(body) {
        return None;
    }
    // A body is a capitalised phrase without lower-case verbs at its end.
    // The shared issuer canonicaliser when it recognises the whole phrase,
    // else the local one (other bodies: `Hội Khuyến học`, `Công an tỉnh`).
    let body = body.trim_end();
    // (A blanked abbreviation leaves a run of spaces: one in the name.)
    let joined;
    let named = if body.contains("  ") {
        joined = body.split_whitespace().collect::<Vec<_>>().join(" ");
        joined.as_str()
    } else {
        body
    };
    let name = match crate::issuers::match_body(named) {
        Some((n, len)) if len >= named.len() => n,
        _ => canonical_body(named)?,
    };
    let base = seg_at + best.unwrap_or(0);
    let prov = places::find_provinces(text, base..base + body.len())
        .first()
        .map(|p| p.name)
        .or_else(|| district_province(text, base, base + body.len(), &|| None));
    Some((name, prov))
}

/// `seg` with a leading Party committee written in lower case capitalised
/// as its name is (`huyện ủy Yên Thành` → `Huyện ủy Yên Thành`, `Ban thường
/// vụ tỉnh ủy` → `Ban Thường vụ Tỉnh ủy`); the byte length never changes.
/// Only at the start of the segment (the subject of `tổ chức`), and a bare
/// committee word needs a capitalised name after it (`các huyện ủy` is not
/// one body).
fn recase_committee(seg: &str) -> String {
    let mut out = seg.to_owned();
    let lead = seg.len() - seg.trim_start().len();
    let mut at = lead;
    let upper_first = |out: &mut String, at: usize| {
        // Only ASCII letters and `đ` (same length as `Đ`).
        if let Some(c) = out[at..].chars().next() {
            let up: String = c.to_uppercase().collect();
            if up.len() == c.len_utf8() && c.is_lowercase() {
                out.replace_range(at..at + c.len_utf8(), &up);
            }
        }
    };
    let lower = seg.to_lowercase();
    if lower.len() != seg.len() {
        return out;
    }
    if lower[at..].starts_with("ban thường vụ ") {
        upper_first(&mut out, at);
        upper_first(&mut out, at + "ban ".len());
        at += "ban thường vụ ".len();
    }
    for head in [
        "huyện ủy ",
        "huyện uỷ ",
        "tỉnh ủy ",
        "tỉnh uỷ ",
        "thành ủy ",
        "thành uỷ ",
        "quận ủy ",
        "quận uỷ ",
        "thị ủy ",
        "thị uỷ ",
        "đảng ủy ",
        "đảng uỷ ",
    ] {
        if lower[at..].starts_with(head) {
            let name_first = seg[at + head.len()..].chars().next();
            let named = name_first.is_some_and(char::is_uppercase)
                || head.starts_with("đảng") && seg[at + head.len()..].starts_with(['x', 'p', 't']);
            if named || at > lead {
                upper_first(&mut out, at);
            }
            break;
        }
    }
    out
}

/// Lower-case words a body name runs over.
const BODY_LOWER: &[&str] = &[
    "ủy",
    "bồi",
    "dưỡng",
    "tỉnh",
    "thành",
    "phố",
    "huyện",
    "xã",
    "phường",
    "quận",
    "thị",
    "nhân",
    "dân",
    "và",
    "ban",
    "các",
    "cơ",
    "khối",
    "kiểm",
    "thường",
    "trực",
    "vụ",
    "hành",
    "trị",
    "giáo",
    "vận",
    "chính",
    "tra",
    "chức",
    "pháp",
    "an",
    "dục",
    "tạo",
    "tế",
    "phòng",
    "giao",
    "hội",
    "phủ",
    "trận",
    "quốc",
    "đồng",
    "nữ",
    "niên",
    "binh",
    "động",
    "học",
    "nghệ",
    "hóa",
    "thao",
    "lịch",
    "nguyên",
    "trường",
    "dựng",
    "thông",
    "tải",
    "tin",
    "hoạch",
    "tư",
    "nghiệp",
    "triển",
    "thôn",
    "đạo",
    "hiệp",
    "sản",
    "sát",
    "án",
    "quan",
    "sự",
    "khu",
    "vực",
    "gia",
    "đội",
    "huy",
    "tộc",
    "đua",
    "thưởng",
    "ngoại",
    "chế",
    "luật",
    "cứu",
    "bảo",
    "hiểm",
    "tâm",
    "bộ",
    "đoàn",
    "viện",
    "sự",
    "nghiên",
    "cán",
    "sở",
    "ương",
    "khóa",
    "doanh",
    "nông",
    "kinh",
    "thương",
    "mại",
    "công",
    "môi",
    "khoa",
    "hợp",
    "tác",
    "lao",
    "-",
    "&",
];

/// A capitalised body phrase (`Ban Thường vụ Tỉnh ủy Hà Nam`, `UBND tỉnh`):
/// every word capitalised, an abbreviation, or a known lower-case word.
fn is_body_phrase(body: &str) -> bool {
    let words: Vec<&str> = body.split(' ').filter(|w| !w.is_empty()).collect();
    !words.is_empty()
        && words.len() <= 14
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                || BODY_LOWER.contains(w)
                || w.starts_with('(')
                || w.ends_with(')')
        })
}

/// Appends the province to a bare provincial body (`Ban Thường vụ Tỉnh ủy` →
/// `Ban Thường vụ Tỉnh ủy Đắk Lắk`).
fn complete(org: &str, province: Option<&str>) -> String {
    if let Some(p) = province {
        let bare = [
            "Tỉnh ủy",
            "Thành ủy",
            " tỉnh",
            " thành phố",
            "Đảng bộ tỉnh",
            "Đảng bộ thành phố",
        ];
        if bare.iter().any(|b| org.ends_with(b)) {
            return format!("{org} {p}");
        }
    }
    org.to_owned()
}

/// Nouns of administrative units listed with a comma inside a meeting's
/// audience (`trực tuyến đến Công an các tỉnh, thành phố … về tổng kết …`,
/// `các sở, ban, ngành`): the comma does not end the phrase.
const LISTED_UNITS: &[&str] = &[
    "thành phố",
    "thị xã",
    "thị trấn",
    "huyện",
    "xã",
    "phường",
    "ban",
    "ngành",
    "đoàn thể",
    "đơn vị",
    "địa phương",
];

/// How far after `hội nghị` its type words are looked for, in bytes (about
/// twenty words: `Hội nghị trực tuyến đến Công an các tỉnh, thành phố trực
/// thuộc Trung ương về tổng kết …`).
const MEETING_PHRASE_BYTES: usize = 128;

/// The event type of a `hội nghị` trigger at `pos..end` in sentence end `e`.
fn meeting_kind(
    text: &str,
    end: usize,
    e: usize,
    mentions: &[(usize, usize, usize)],
) -> Option<EventKind> {
    let has_document = !mentions.is_empty();
    // The phrase ends with the first document it cites: a cue word after it
    // is in that document's title (`hội nghị giao ban việc thực hiện Chỉ thị
    // số 05-CT/TW … về đẩy mạnh học tập …`).
    let cited_end = mentions
        .iter()
        .find(|m| m.0 >= end)
        .map_or(e, |m| m.1.min(e));
    let stop = floor_char(text, (end + MEETING_PHRASE_BYTES).min(cited_end)).max(end);
    let mut phrase = &text[end..stop];
    if let Some(p) = phrase.find(['.', ';', '\n', ':', '(']) {
        phrase = &phrase[..p];
    }
    // A comma ends the phrase unless a listing of cue words continues it
    // (`hội nghị nghiên cứu, học tập, quán triệt`).
    let mut from = 0;
    while let Some(c) = phrase[from..].find(',') {
        let at = from + c;
        let next = phrase[at + 1..].trim_start();
        let listing = DISSEMINATION_WORDS
            .iter()
            .chain(REVIEW_WORDS)
            .any(|w| next.starts_with(w))
            || next.starts_with("tuyên")
            || next.starts_with("nghiên cứu")
            || LISTED_UNITS.iter().any(|w| {
                next.strip_prefix(w)
                    .is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric()))
            });
        if !listing {
            phrase = &phrase[..at];
            break;
        }
        from = at + 1;
    }
    // `hội nghị tập huấn …` is one training (its own trigger follows): not
    // also a dissemination or review (ANNOTATION.md §Events, precedence).
    let head = phrase.trim_start();
    if [
        "tập huấn",
        "Tập huấn",
        "TẬP HUẤN",
        "bồi dưỡng",
        "Bồi dưỡng",
        "BỒI DƯỠNG",
    ]
    .iter()
    .any(|w| head.starts_with(w))
    {
        return None;
    }
    // The first cue word in the phrase decides (`hội nghị nghiên cứu, học tập, quán triệt`).
    let dis = DISSEMINATION_WORDS
        .iter()
        .filter_map(|w| find_word(phrase, w))
        .min();
    let rev = REVIEW_WORDS
        .iter()
        .filter_map(|w| find_word(phrase, w))
        .min();
    match (dis, rev) {
        (Some(d), Some(r)) if r < d => return Some(EventKind::Review),
        (Some(_), _) => return Some(EventKind::Dissemination),
        (None, Some(_)) => return Some(EventKind::Review),
        (None, None) => {}
    }
    // A plenum naming a document's origin (`Hội nghị Trung ương 8`, `Hội nghị
    // lần thứ sáu Ban Chấp hành Trung ương`) is not a reported meeting.
    let head = phrase.trim_start();
    if head.starts_with("Trung ương")
        || head.starts_with("lần thứ")
        || head.starts_with("Ban Chấp hành Trung ương")
        || head.starts_with("BCH Trung ương")
        || head.starts_with("BCH TW")
    {
        return None;
    }
    // A kind of meeting named in a rule (`tại hội nghị ban chấp hành, hội nghị
    // ủy ban kiểm tra`): a generic body in lower case, no meeting reported.
    if [
        "ban chấp hành",
        "ban thường vụ",
        "ủy ban",
        "cấp ủy",
        "chi bộ",
        "đảng bộ",
        "thường trực",
        "đảng ủy",
    ]
    .iter()
    .any(|w| head.starts_with(w))
    {
        return None;
    }
    has_document.then_some(EventKind::Other)
}

/// A normative text (a law, decree or regulation: lines opening with `Điều 1.`,
/// `Điều 2.` …) prescribes duties (`tổ chức tập huấn`); it reports no meeting.
fn is_normative(text: &str) -> bool {
    // Searched for `Điều ` (memchr's SIMD memmem) rather than line by line:
    // an occurrence counts when only white space comes before it on its
    // line, as `line.trim_start().starts_with("Điều ")`.
    // Linear: the text before each occurrence is read back only to the
    // previous occurrence, and a line is judged at its first occurrence
    // (any later one on the line has that one before it).
    const ARTICLE: &str = "Điều ";
    let b = text.as_bytes();
    let mut count = 0;
    let mut scanned = 0;
    let mut line_start = 0;
    let mut judged_line = None;
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let finder = FINDER.get_or_init(|| crate::context::vietnamese_finder(ARTICLE));
    for i in finder.find_iter(b) {
        if let Some(n) = memchr::memrchr(b'\n', &b[scanned..i]) {
            line_start = scanned + n + 1;
        }
        scanned = i;
        if judged_line.replace(line_start) == Some(line_start)
            || !text[line_start..i].trim_start().is_empty()
        {
            continue;
        }
        if b.get(i + ARTICLE.len()).is_some_and(|c| c.is_ascii_digit()) {
            count += 1;
            if count >= 3 {
                return true;
            }
        }
    }
    false
}

/// All meetings the text reports, merged (one per type unless dates or
/// provinces differ), in order of first trigger.
pub fn extract(ctx: &Context, documents: &[Document]) -> Vec<Event> {
    let text = ctx.text;
    if is_normative(text) {
        return Vec::new();
    }
    let index = mention_index(documents);
    let latest = latest_doc(documents);
    let headline_end = text.find('\n').unwrap_or(text.len());
    let headline_province = places::find_provinces(text, 0..headline_end)
        .first()
        .map(|p| p.name);
    // Reading the whole text for its dominant province costs a pass of two
    // automata: only done for a text that has a meeting needing it.
    let dominant = std::cell::OnceCell::new();
    let text_province = || *dominant.get_or_init(|| dominant_province(text));
    let mut found: Vec<Found> = Vec::new();
    let mut last_judged: ((usize, usize), u8) = ((usize::MAX, usize::MAX), 0);
    let mut last_sentence: Option<(usize, usize)> = None;
    for m in triggers().find_iter(text) {
        let (ts, te) = (m.start, m.end);
        if text[..ts]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric())
            || text[te..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric())
        {
            continue;
        }
        let Some(&(_, trig)) = trigger_patterns().get(m.pattern) else {
            continue;
        };
        // Triggers inside the previous trigger's sentence reuse its bounds
        // (keeps hostile inputs with many triggers per sentence linear).
        let (s, e) = match last_sentence {
            Some((ls, le)) if ls <= ts && te <= le => (ls, le),
            _ => ctx.sentence(ts),
        };
        last_sentence = Some((s, e));
        // `Đây là hội nghị đầu tiên …` refers back to the meeting reported.
        if BACK_REFERENCES.iter().any(|w| text[s..].starts_with(w)) {
            continue;
        }
        // `Hội nghị cũng đã nghe …` opening a sentence after a reported
        // meeting: the subject is that meeting, not a new one.
        if trig == Trigger::Meeting
            && ts == s
            && !found.is_empty()
            && ANAPHORIC_PREDICATES.iter().any(|w| {
                text[te..]
                    .strip_prefix(' ')
                    .is_some_and(|r| r.starts_with(w))
            })
        {
            continue;
        }
        // `… đã được tập huấn các biện pháp phòng dịch`: people received
        // training, no course is reported.
        if trig == Trigger::Training
            && text[ts..te].eq_ignore_ascii_case("tập huấn")
            && text[..ts].ends_with("được ")
        {
            continue;
        }
        // The bare verb among other activities (`… các văn bản, hướng dẫn
        // chi tiết, tập huấn quy trình tiêm chủng sâu rộng …`) reports no
        // course: it needs an organiser's verb or noun right before it
        // (`tổ chức tập huấn`, `mở lớp`, `hội nghị tập huấn`) or a date in
        // its sentence.
        if trig == Trigger::Training
            && text[ts..te].eq_ignore_ascii_case("tập huấn")
            && !organised_before(&text[s..ts])
            && dates::find_dates(text, s..e).is_empty()
        {
            continue;
        }
        let in_sentence = mentions_in(&index, s, e);
        // The subject of a dated verbal report, read once.
        let verbal_subject = if trig == Trigger::Verbal {
            verbal_report(text, s, ts, te, in_sentence)
        } else {
            None
        };
        let kind = match trig {
            Trigger::Meeting => match meeting_kind(text, te, e, in_sentence) {
                Some(k) => k,
                None => continue,
            },
            Trigger::Training => EventKind::Training,
            Trigger::OrganiseDissemination => EventKind::Dissemination,
            Trigger::OrganiseReview => EventKind::Review,
            Trigger::Ceremony => EventKind::Other,
            Trigger::Verbal => match verbal_subject {
                Some(_) => EventKind::Dissemination,
                None => continue,
            },
        };
        // `tổ chức triển khai tiêm chủng` is an activity: a meeting only when a
        // document is what is being rolled out.
        if trig == Trigger::OrganiseDissemination
            && text[ts..te].to_lowercase().ends_with("triển khai")
            && !in_sentence.iter().any(|m| m.0 >= te)
            && !text[ts..te].starts_with("TỔ")
        {
            continue;
        }
        if trig == Trigger::Training {
            // `diễn tập huấn luyện` (an exercise).
            let after = &text[te..floor_char(text, (te + 12).min(text.len())).max(te)];
            // `tài liệu tập huấn`, `công tác tập huấn`: a noun modifier, not a meeting.
            let before = text[..ts].trim_end();
            if after.starts_with(" luyện")
                || [
                    "tài liệu",
                    "công tác",
                    "nội dung",
                    "chương trình",
                    "kinh phí",
                    "kế hoạch",
                    "giáo trình",
                ]
                .iter()
                .any(|w| before.ends_with(w))
            {
                continue;
            }
        }
        // One sentence, one event of a type: each (sentence, type) is judged once.
        let kind_bit = match kind {
            EventKind::Dissemination => 1u8,
            EventKind::Review => 2,
            EventKind::Training => 4,
            EventKind::Other => 8,
        };
        if last_judged.0 != (s, e) {
            last_judged = ((s, e), 0);
        }
        if last_judged.1 & kind_bit != 0 {
            continue;
        }
        last_judged.1 |= kind_bit;
        // Team training camps are not courses.
        if trig == Trigger::Training && SPORT_WORDS.iter().any(|w| contains_word(&text[s..e], w)) {
            continue;
        }
        let organise = matches!(
            trig,
            Trigger::OrganiseDissemination | Trigger::OrganiseReview
        );
        // A deadline (`trước ngày 30/6`) anywhere in the sentence marks a plan.
        if is_instruction(&text[s..ts.max(s)], organise)
            || contains_word(&text[ts..e.max(ts)], "trước ngày")
            || is_plan_list_item(text, s)
        {
            continue;
        }
        // Date: nearest before the trigger, else the first after; not a citation date.
        let ds: Vec<_> = dates::find_dates(text, s..e)
            .into_iter()
            .filter(|d| {
                (is_day_or_days(d.value) || matches!(d.value, DateValue::Invalid))
                    && !is_citation_date(text, in_sentence, d.start)
                    && !is_effective_date(text, d.start, d.end, e)
            })
            .collect();
        // `… bế giảng lớp bồi dưỡng … . Lớp bồi dưỡng … được tổ chức từ ngày
        // 18 đến 22/3`: a sentence saying when the course reported just
        // before took place gives its span (one that holds the day of that
        // report, its opening or its closing), not another course.
        if states_when(&text[s..]) {
            let prev_day = found
                .last()
                .filter(|p| p.kind == kind)
                .and_then(|p| p.date.and_then(|d| d.0));
            if let Some(day) = prev_day {
                if let Some(span) = ds.iter().find_map(|d| span_around(d.value, day)) {
                    if let Some(prev) = found.last_mut() {
                        prev.date = Some((Some(span.0), Some(span.1)));
                    }
                    continue;
                }
            }
        }
        let chosen = ds
            .iter()
            .rev()
            .find(|d| d.end <= ts)
            .or_else(|| ds.iter().find(|d| d.start >= te));
        let hint = year_hint(text, kind, te, e, in_sentence, documents);
        let mut date = chosen.map(|d| resolve(d.value, ctx, latest, hint));
        // `Cùng ngày, Thành ủy Hải Phòng cũng tổ chức …`: the day of the
        // meeting reported just before.
        let same_day = opens_same_day(&text[s..]);
        if date.is_none() && same_day {
            date = found
                .iter()
                .rev()
                .find_map(|f| f.date.and_then(|d| d.0))
                .map(|d| (Some(d), None));
        }
        // `đã tổ chức 6 hội nghị quán triệt`, `tổ chức được 30 lớp tập
        // huấn`, `nhiều hội nghị`: a tally of meetings, undated, is no
        // meeting reported.
        if date.is_none()
            && matches!(trig, Trigger::Meeting | Trigger::Training)
            && counted_before(&text[s..ts])
        {
            continue;
        }
        let sentence = &text[s..e];
        // `Cũng trong tháng 7, Ban Tổ chức Tỉnh ủy Lạng Sơn tổ chức …`: a
        // report that goes on from the one before it, unless it says `sẽ`.
        let goes_on = sentence.starts_with("Cũng trong ")
            && !contains_word(sentence, "sẽ")
            && !contains_word(sentence, "dự kiến");
        let past = contains_word(sentence, "đã") || contains_word(sentence, "vừa") || goes_on;
        // Undated, `trong năm 2019` / `trong quý I/2023` and no past marker: a plan.
        // (A bare `Hội nghị thống nhất … trong năm 2025` describes the meeting.)
        if kind != EventKind::Other
            && date.is_none()
            && !past
            && PLAN_PERIODS.iter().any(|w| contains_word(sentence, w))
        {
            continue;
        }
        let org = if trig == Trigger::Verbal {
            verbal_subject.and_then(|seg| body_in_segment(text, seg))
        } else {
            organizer(text, s, e, ts)
        };
        if trig == Trigger::Verbal && org.is_none() {
            continue;
        }
        let reported = date.is_some()
            || org.is_some()
            || REPORT_MARKERS.iter().any(|w| contains_word(sentence, w));
        let province = org
            .as_ref()
            .and_then(|o| o.1)
            .or_else(|| province_with_prefix(text, s, e, PLACE_PREFIXES))
            .or_else(|| province_with_prefix(text, s, e, TITLE_PREFIXES))
            .or_else(|| district_province(text, s, e, &text_province))
            .or_else(|| {
                org.is_none()
                    .then(|| district_subject(text, s, e, ts))
                    .flatten()
            });
        found.push(Found {
            kind,
            sentence: (s, e),
            date,
            province,
            organizer: org.map(|o| o.0),
            reported,
            ceremony: trig == Trigger::Ceremony,
            // (`Cũng trong tuần, Ủy ban Kiểm tra Huyện ủy … mở lớp …`: a
            // sentence opening on `Cũng` reports another meeting too.)
            also: same_day || contains_word(&text[s..ts], "cũng") || text[s..].starts_with("Cũng "),
        });
    }
    // Merge.
    struct Acc {
        kind: EventKind,
        date: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
        province: Option<&'static str>,
        organizer: Option<String>,
        sentences: Vec<(usize, usize)>,
        reported: bool,
        ceremony: bool,
        /// Began as another body's meeting (`Found::also`).
        also: bool,
    }
    let mut acc: Vec<Acc> = Vec::new();
    // Typed sentences first; a bare `hội nghị` sentence (type other) then joins
    // the meeting it refers back to (`tại hội nghị`), when one is compatible.
    let (typed, others): (Vec<Found>, Vec<Found>) =
        found.into_iter().partition(|f| f.kind != EventKind::Other);
    for f in typed.into_iter().chain(others) {
        let compatible = |a: &Acc| {
            // Same first day: the same meeting (`Sáng 27/4` and `trong 2 ngày 27-28/4`).
            (a.date.is_none() || f.date.is_none() || a.date.map(|d| d.0) == f.date.map(|d| d.0))
                && (a.province.is_none() || f.province.is_none() || a.province == f.province)
                // `Cùng ngày, Huyện ủy Sơn Tịnh cũng tổ chức …`: another
                // body's meeting, even on the same day in the same province.
                // Nor does a later body's meeting join it.
                && !((f.also || a.also)
                    && organizers_differ(a.organizer.as_deref(), f.organizer.as_deref()))
        };
        // An undated bare `hội nghị` sentence (`Báo cáo tại hội nghị …, tỉnh Kon
        // Tum …`) refers back to the typed meeting of the text: a province it
        // names is not the meeting's place.
        let back_reference = f.kind == EventKind::Other && f.date.is_none();
        // It refers back to the nearest typed meeting before it (the first
        // one when it comes before them all).
        let referred = || {
            acc.iter()
                .enumerate()
                .filter(|(_, a)| a.kind != EventKind::Other)
                .filter_map(|(i, a)| {
                    let start = a.sentences.iter().map(|x| x.0).min()?;
                    (start < f.sentence.0).then_some((start, i))
                })
                .max()
                .map(|(_, i)| i)
                .or_else(|| acc.iter().position(|a| a.kind != EventKind::Other))
        };
        let pos = back_reference
            .then(referred)
            .flatten()
            .or_else(|| acc.iter().position(|a| a.kind == f.kind && compatible(a)))
            .or_else(|| {
                if f.kind == EventKind::Other {
                    acc.iter().position(&compatible)
                } else {
                    None
                }
            });
        let target = pos.and_then(|p| acc.get_mut(p));
        match target {
            Some(a) => {
                match (&mut a.date, f.date) {
                    (None, d) => a.date = d,
                    (Some((_, end @ None)), Some((_, Some(e)))) => *end = Some(e),
                    _ => {}
                }
                if a.province.is_none() && !(back_reference && a.kind != EventKind::Other) {
                    a.province = f.province;
                }
                if a.organizer.is_none() {
                    a.organizer = f.organizer;
                }
                a.sentences.push(f.sentence);
                a.reported |= f.reported;
            }
            None => acc.push(Acc {
                kind: f.kind,
                date: f.date,
                province: f.province,
                organizer: f.organizer,
                sentences: vec![f.sentence],
                reported: f.reported,
                ceremony: f.ceremony,
                also: f.also,
            }),
        }
    }
    // An undated event with no organiser and no past or report marker in any
    // of its sentences is an instruction or a plan, not a report.
    acc.retain(|a| a.reported);
    acc.sort_by_key(|a| a.sentences.iter().map(|x| x.0).min().unwrap_or(0));
    let linked = |s: usize, e: usize| {
        // A comparison covers the list it opens (`so với Quy định số 102
        // ngày … và Quy định số 07 …`).
        let ms = mentions_in(&index, s, e);
        let mut out: Vec<usize> = Vec::with_capacity(ms.len());
        let mut prev: Option<((usize, usize, usize), bool)> = None;
        for &m in ms {
            let listed_after_comparison = prev.is_some_and(|(p, compared)| {
                compared && p.1 <= m.0 && {
                    let t = crate::documents::tail_end(text, p.1, m.0).clamp(p.1, m.0);
                    crate::documents::is_list_separator(text[t..m.0].trim())
                }
            });
            let compared = listed_after_comparison || is_comparison_mention(text, m.0, m.1);
            if !compared {
                out.push(m.2);
            }
            prev = Some((m, compared));
        }
        out.into_iter()
    };
    // Clauses after a `;` that ends `[.., ce)` and go on with the same list
    // of citations (`… Quy định số 126-QĐ/TW …; Hướng dẫn số 19 …`): each
    // must open on a document mention; at most eight, before `limit`.
    // … and after a colon, the items of a list on the lines below it (`…
    // quán triệt văn bản:` / `- Chỉ thị số 01-CT/ĐU …` / `- Chỉ thị số 50 …`).
    let listed_clauses = |mut ce: usize, limit: usize| {
        let mut out: Vec<usize> = Vec::new();
        let mut in_list = false;
        for _ in 0..8 {
            let head = text[..ce.min(text.len())].trim_end_matches([' ', '\n', '\r', '\t']);
            let go_on = in_list || head.ends_with(';') || head.ends_with(':');
            if ce >= limit || !go_on {
                break;
            }
            let rest = &text[ce..limit];
            let mut at = ce + (rest.len() - rest.trim_start().len());
            if at >= limit {
                break;
            }
            let marked = list_marker_len(&text[at..limit]);
            if in_list && marked == 0 {
                break;
            }
            if marked > 0 && (head.ends_with(':') || in_list) {
                at += marked;
                in_list = true;
            }
            let opens_on_citation = !mentions_in(&index, at, at + 1).is_empty();
            if !opens_on_citation {
                // A list item naming no document (`- Nghị quyết Đại hội …`):
                // the next item may.
                match text[at..limit].find('\n') {
                    Some(nl) if in_list => {
                        ce = at + nl;
                        continue;
                    }
                    _ => break,
                }
            }
            let (cs, cn) = ctx.sentence(at);
            if cn <= ce {
                break;
            }
            out.extend(linked(cs, cn.min(limit)));
            ce = cn;
        }
        out
    };
    // Where each reported meeting starts (its first sentence).
    let starts: Vec<usize> = acc
        .iter()
        .filter_map(|a| a.sentences.iter().map(|x| x.0).min())
        .collect();
    // Where the next reported meeting starts at or after `pos` (the end of
    // the text when none does): a continuation never runs past it.
    let next_meeting = |pos: usize| {
        starts
            .iter()
            .copied()
            .filter(|&st| st >= pos)
            .min()
            .unwrap_or(text.len())
    };
    acc.into_iter()
        .filter_map(|a| {
            let province = a.province.or(headline_province).or_else(text_province);
            let mut docs: Vec<usize> = a
                .sentences
                .iter()
                .flat_map(|&(s, e)| linked(s, e))
                .collect();
            // Each of the meeting's sentences may go on after `;` with more
            // of what it disseminated (`quán triệt Nghị quyết số 59-NQ/TW …;
            // Nghị quyết số 70-NQ/TW …`).
            if !docs.is_empty() {
                let ends: Vec<usize> = a.sentences.iter().map(|x| x.1).collect();
                for end in ends {
                    docs.extend(listed_clauses(end, next_meeting(end)));
                }
            }
            let (mut date, mut end_date) = a.date.unwrap_or((None, None));
            let need_docs = docs.is_empty();
            // `… vừa tổ chức hội nghị tập huấn … . Hội nghị diễn ra từ ngày
            // 12 đến 13/6/2024`: the day in a later sentence about the meeting.
            let need_date = date.is_none();
            // The closing of a course (`bế giảng lớp …`) is reported on its
            // last day.
            let closing = a
                .sentences
                .first()
                .is_some_and(|&(s, e)| reports_closing(&text[s..e.max(s)]));
            // `Lớp tập huấn kéo dài 3 ngày` among the meeting's sentences.
            if end_date.is_none() {
                if let Some(day) = date {
                    if let Some((first, last)) = a
                        .sentences
                        .iter()
                        .find_map(|&(s, e)| stated_days(&text[s..e.max(s)]))
                        .and_then(|n| days_from(day, n, closing))
                    {
                        date = Some(first);
                        end_date = Some(last);
                    }
                }
            }
            let mut need_end = end_date.is_none() && date.is_some();
            if need_docs || need_end || need_date {
                // A later sentence that opens by going on about the meeting
                // (`Tại hội nghị, …`, `Học viên được quán triệt …`, `Trong
                // thời gian hai ngày (27 và 28-11), các đại biểu được …`):
                // the first such one naming a document gives the documents,
                // the first one with a range from the meeting's first day
                // its last day; within a few sentences and before the next
                // meeting reported.
                let last = a.sentences.iter().map(|x| x.1).max().unwrap_or(0);
                let limit = next_meeting(last);
                let mut end = last;
                for _ in 0..CONTINUED_SENTENCES {
                    let rest = text.get(end..limit).unwrap_or("");
                    let next = end + (rest.len() - rest.trim_start().len());
                    if next >= limit {
                        break;
                    }
                    let (ns, ne) = ctx.sentence(next);
                    if need_date && date.is_none() && states_when(&text[next..]) {
                        let cited = mentions_in(&index, ns, ne);
                        let first = dates::find_dates(text, next..ne).into_iter().find(|d| {
                            is_day_or_days(d.value) && !is_citation_date(text, cited, d.start)
                        });
                        if let Some(d) = first {
                            let (first_day, last_day) = resolve(d.value, ctx, latest, None);
                            date = first_day;
                            if end_date.is_none() {
                                end_date = last_day;
                            }
                            need_end = end_date.is_none() && date.is_some();
                        }
                    }
                    if CONTINUATIONS.iter().any(|w| text[next..].starts_with(w))
                        || describes_meeting(&text[ns..ne.max(ns)])
                    {
                        if need_docs && docs.is_empty() {
                            docs.extend(linked(ns, ne));
                            docs.extend(listed_clauses(ne, limit));
                        }
                        if need_end && end_date.is_none() {
                            if let Some((first, last)) =
                                date.and_then(|d| continued_span(text, ns, ne, d, closing))
                            {
                                date = Some(first);
                                end_date = Some(last);
                            }
                        }
                        if (!need_docs || !docs.is_empty())
                            && (!need_end || end_date.is_some())
                            && (!need_date || date.is_some())
                        {
                            break;
                        }
                    }
                    if ne <= end {
                        break;
                    }
                    end = ne;
                }
            }
            docs.sort_unstable();
            docs.dedup();
            if a.ceremony && docs.is_empty() {
                return None;
            }
            // Ho Chi Minh City is named as it was on the day.
            let province =
                province.map(|p| places::name_as_of(p, date.or(ctx.published), ctx.published_year));
            Some(Event {
                kind: a.kind,
                date,
                end_date: if end_date.is_some() && date.is_some() {
                    end_date
                } else {
                    None
                },
                province: province.map(str::to_owned),
                organizer: a.organizer.map(|o| {
                    let o = complete(&o, province);
                    // `Thành ủy Hồ Chí Minh` named with its province as of the day.
                    match (province, o.strip_suffix("Thành ủy Hồ Chí Minh")) {
                        (Some(places::HCM_BEFORE_MERGER), Some(head)) => {
                            format!("{head}Thành ủy {}", places::HCM_BEFORE_MERGER)
                        }
                        _ => o,
                    }
                }),
                documents: docs,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocumentKind, Span};

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn doc(text: &str, mention: &str, year: Option<i32>, date: Option<NaiveDate>) -> Document {
        let s = text.find(mention).unwrap();
        Document {
            kind: DocumentKind::QuyDinh,
            number: Some("126".into()),
            symbol: Some("QĐ/TW".into()),
            year,
            date,
            issuer: None,
            title: None,
            mentions: vec![Span {
                start: s,
                end: s + mention.len(),
            }],
        }
    }

    fn run(t: &str, published: Option<NaiveDate>, docs: &[Document]) -> Vec<Event> {
        let ctx = Context::new(t, published, None);
        extract(&ctx, docs)
    }

    #[test]
    fn dissemination_with_date_organizer_province() {
        let t = "Ngày 27 và 28-11, Ban Thường vụ Tỉnh ủy đã tổ chức hội nghị học tập, quán triệt Quy định số 126-QĐ/TW ngày 28/2/2018 tại Đắk Lắk.";
        let docs = [doc(
            t,
            "Quy định số 126-QĐ/TW",
            Some(2018),
            Some(d(2018, 2, 28)),
        )];
        let ev = run(t, Some(d(2019, 11, 29)), &docs);
        assert_eq!(ev.len(), 1);
        let e = &ev[0];
        assert_eq!(e.kind, EventKind::Dissemination);
        assert_eq!(e.date, Some(d(2019, 11, 27)));
        assert_eq!(e.end_date, Some(d(2019, 11, 28)));
        assert_eq!(e.province.as_deref(), Some("Đắk Lắk"));
        assert_eq!(
            e.organizer.as_deref(),
            Some("Ban Thường vụ Tỉnh ủy Đắk Lắk")
        );
        assert_eq!(e.documents, vec![0]);
    }

    #[test]
    fn citation_date_is_not_the_event_date() {
        let t = "Tỉnh ủy Hà Nam tổ chức hội nghị quán triệt Quy định số 126-QĐ/TW ngày 28/2/2018 của Bộ Chính trị.";
        let docs = [doc(
            t,
            "Quy định số 126-QĐ/TW",
            Some(2018),
            Some(d(2018, 2, 28)),
        )];
        let ev = run(t, None, &docs);
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].date, None);
        assert_eq!(ev[0].province.as_deref(), Some("Hà Nam"));
        assert_eq!(ev[0].organizer.as_deref(), Some("Tỉnh ủy Hà Nam"));
    }

    #[test]
    fn types() {
        let t = "Sáng 30/3, Huyện ủy tổ chức hội nghị sơ kết 5 năm thực hiện Quy định 126.";
        let docs = [doc(t, "Quy định 126", None, None)];
        assert_eq!(
            run(t, Some(d(2023, 4, 1)), &docs)[0].kind,
            EventKind::Review
        );
        let t = "Từ ngày 12 đến ngày 14-7-2023, Trường Chính trị tỉnh mở lớp bồi dưỡng cho 120 học viên.";
        let ev = run(t, None, &[]);
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].kind, EventKind::Training);
        assert_eq!(
            (ev[0].date, ev[0].end_date),
            (Some(d(2023, 7, 12)), Some(d(2023, 7, 14)))
        );
        let t = "Sáng 2/10, Hội Khuyến học tỉnh Cần Thơ long trọng tổ chức Hội nghị Tổng kết 5 năm thực hiện Quy định 126.";
        let docs = [doc(t, "Quy định 126", None, None)];
        let ev = run(t, Some(d(2020, 10, 2)), &docs);
        assert_eq!(
            (ev[0].kind, ev[0].date),
            (EventKind::Review, Some(d(2020, 10, 2)))
        );
        assert_eq!(
            ev[0].organizer.as_deref(),
            Some("Hội Khuyến học tỉnh Cần Thơ")
        );
        let t = "Đảng ủy Bộ tổ chức Hội nghị nghiên cứu, học tập, quán triệt Quy định 126. Tại hội nghị, đại biểu thảo luận về Quy định 126.";
        let docs = [doc(t, "Quy định 126", None, None)];
        let ev = run(t, None, &docs);
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].kind, EventKind::Dissemination);
        assert!(run("Các đơn vị đã tổ chức triển khai tiêm chủng.", None, &[]).is_empty());
        let t = "Tại hội nghị, đại biểu thảo luận về Quy định 126.";
        let docs = [doc(t, "Quy định 126", None, None)];
        assert_eq!(run(t, None, &docs)[0].kind, EventKind::Other);
        assert!(run("Hội nghị diễn ra sôi nổi.", None, &[]).is_empty());
        assert!(run(
            "Văn bản được nêu trong tài liệu tập huấn nội bộ.",
            None,
            &[]
        )
        .is_empty());
        assert!(run(
            "Tại hội nghị mô phỏng Liên hợp quốc, các em giới thiệu về nước bạn.",
            None,
            &[]
        )
        .is_empty());
        assert!(run("Đội tuyển sẽ tập huấn tại Bình Định từ 20/5.", None, &[]).is_empty());
        assert!(run("Đội tuyển tập huấn tại Bình Định từ 20/5.", None, &[]).is_empty());
        assert!(run(
            "Trong cuộc diễn tập huấn luyện ngày 21/4, tàu gặp nạn.",
            None,
            &[]
        )
        .is_empty());
        assert!(run("Bộ có trách nhiệm tổ chức tập huấn cho cán bộ.", None, &[]).is_empty());
        let law =
            "Điều 1. Phạm vi\nĐiều 2. Đối tượng\nĐiều 3. Bộ Nội vụ tổ chức tập huấn cho cán bộ.";
        assert!(run(law, None, &[]).is_empty());
    }

    #[test]
    fn instructions_and_plans_are_not_events() {
        for t in [
            "Ban Thường vụ yêu cầu các cấp ủy tổ chức hội nghị quán triệt Quy định 126.",
            "Các huyện sẽ tổ chức học tập Quy định 126 trước quý III.",
            "Kế hoạch tổ chức hội nghị tập huấn Quy định 126 được ban hành.",
            "Các đơn vị tổ chức quán triệt Quy định 126 trước ngày 30/6.",
            "Tỉnh ủy chỉ đạo các huyện tổ chức triển khai Quy định 126.",
        ] {
            let docs = [doc(t, "Quy định 126", None, None)];
            assert!(run(t, None, &docs).is_empty(), "{t}");
        }
    }

    #[test]
    fn effective_dates_plan_items_and_comparisons() {
        let t = "Nghị quyết có hiệu lực từ ngày 1/7/2025.";
        let s = t.find("1/7").unwrap();
        assert!(is_effective_date(t, s, s + 8, t.len()));
        let t = "Từ ngày 1/1/2025, Quy định có hiệu lực thi hành.";
        let s = t.find("1/1").unwrap();
        assert!(is_effective_date(t, s, s + 8, t.len()));
        let t = "Từ ngày 12 đến ngày 14/7, Tỉnh ủy mở lớp bồi dưỡng.";
        let s = t.find("12").unwrap();
        assert!(!is_effective_date(t, s, s + 2, t.len()));
        let t = "Kế hoạch:\n1. Tổ chức hội nghị quán triệt.";
        assert!(is_plan_list_item(t, t.find("Tổ").unwrap()));
        let t = "Tổ chức hội nghị quán triệt Quy định 58";
        assert!(!is_plan_list_item(t, 0));
        let t = "điểm mới so với Quy định 126 trước đây";
        let s = t.find("Quy").unwrap();
        assert!(is_comparison_mention(t, s, s + "Quy định 126".len()));
        let t = "quán triệt Quy định 126 của Bộ Chính trị";
        let s = t.find("Quy").unwrap();
        assert!(!is_comparison_mention(t, s, s + "Quy định 126".len()));
    }

    #[test]
    fn sentences_merge_unless_dates_differ() {
        let t = "Hà Nam: Hội nghị quán triệt Quy định 126\nSáng 30/3, Tỉnh ủy Hà Nam tổ chức hội nghị quán triệt Quy định 126. Hội nghị học tập được truyền hình trực tuyến.";
        let docs = [doc(t, "Quy định 126", None, None)];
        let ev = run(t, Some(d(2018, 4, 2)), &docs);
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].date, Some(d(2018, 3, 30)));
        let t = "Sáng 30/3, Tỉnh ủy tổ chức hội nghị quán triệt. Sáng 5/4, Thành ủy Vinh tổ chức hội nghị quán triệt.";
        assert_eq!(run(t, Some(d(2018, 4, 6)), &[]).len(), 2);
    }

    #[test]
    fn yearless_previous_year_and_document_year() {
        let t = "Sáng 28/12, Tỉnh ủy tổ chức hội nghị quán triệt Quy định 126.";
        let docs = [doc(t, "Quy định 126", None, None)];
        assert_eq!(
            run(t, Some(d(2019, 1, 3)), &docs)[0].date,
            Some(d(2018, 12, 28))
        );
        let docs = [doc(t, "Quy định 126", Some(2018), Some(d(2018, 2, 28)))];
        assert_eq!(run(t, None, &docs)[0].date, Some(d(2018, 12, 28)));
        assert_eq!(
            run(t, None, &[doc(t, "Quy định 126", None, None)])[0].date,
            None
        );
    }

    #[test]
    fn organizer_canonical_and_province_sources() {
        let t = "Chiều 5/4, BTV Tỉnh ủy Thanh Hóa phối hợp với Sở Nội vụ tổ chức hội nghị triển khai Quy định 126.";
        let docs = [doc(t, "Quy định 126", None, None)];
        let ev = run(t, Some(d(2020, 4, 6)), &docs);
        assert_eq!(
            ev[0].organizer.as_deref(),
            Some("Ban Thường vụ Tỉnh ủy Thanh Hóa")
        );
        assert_eq!(ev[0].province.as_deref(), Some("Thanh Hóa"));
        let t = "UBND tỉnh tổ chức hội nghị phổ biến Quy định 126 tại tỉnh Long An.";
        let docs = [doc(t, "Quy định 126", None, None)];
        let ev = run(t, None, &docs);
        assert_eq!(
            ev[0].organizer.as_deref(),
            Some("Ủy ban nhân dân tỉnh Long An")
        );
        let t = "BCH TW Đảng tổ chức hội nghị quán triệt Quy định 126 về tư tưởng Hồ Chí Minh.";
        let docs = [doc(t, "Quy định 126", None, None)];
        let ev = run(t, None, &docs);
        assert_eq!(ev[0].organizer.as_deref(), Some("Ban Chấp hành Trung ương"));
        assert_eq!(ev[0].province, None);
        let t = "Ngày 21/3, Ủy ban Kiểm tra Tỉnh ủy Phú Yên mở lớp tập huấn nghiệp vụ.";
        assert_eq!(
            run(t, None, &[])[0].organizer.as_deref(),
            Some("Ủy ban Kiểm tra Tỉnh ủy Phú Yên")
        );
        let t = "Bộ đã xây dựng các văn bản và tổ chức tập huấn cho cán bộ y tế.";
        assert_eq!(run(t, None, &[])[0].organizer, None);
    }

    #[test]
    fn never_panics_on_shuffled_fragments() {
        const PIECES: &[&str] = &[
            "hội nghị",
            "Hội nghị",
            "tập huấn",
            "tổ chức",
            "quán triệt",
            "triển khai",
            "sơ kết",
            "Tỉnh ủy",
            "Hà Nam",
            "TP. Hồ Chí Minh",
            "30/3",
            "27 và 28-11",
            "12 - 14/7/2023",
            ",",
            ".",
            "\n",
            " ",
            "Bí thư",
            "Chủ tịch",
            "Nguyễn Văn A",
            "đồng chí",
            "Đại tá",
            "ngày",
            "đ",
            "ố",
            "-",
            "Quy định 126",
            "UBND",
            "tại",
            "yêu cầu",
            "(",
            "\"",
            "31/02/2018",
            "Điều 1.",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..400 {
            let mut t = String::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
                if seed.is_multiple_of(3) {
                    t.push(' ');
                }
            }
            seed = seed.wrapping_add(1);
            let docs = match t.find("Quy định 126") {
                Some(_) => vec![doc(&t, "Quy định 126", Some(2018), Some(d(2018, 2, 28)))],
                None => vec![],
            };
            let ctx = Context::new(&t, Some(d(2019, 1, 1)), None);
            let _ = extract(&ctx, &docs);
            let _ = crate::officials::extract(&ctx);
            let _ = dates::find_dates(&t, 0..t.len());
            let _ = places::find_provinces(&t, 0..t.len());
        }
    }

    #[test]
    fn many_triggers_in_one_sentence_stay_fast() {
        let t = "hội nghị tập huấn ".repeat(20_000);
        let start = std::time::Instant::now();
        let _ = run(&t, None, &[]);
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }
}

/// `is_normative` as the line-by-line reading it replaced.
#[cfg(test)]
mod normative_lines {
    use super::is_normative;

    fn by_lines(text: &str) -> bool {
        text.split('\n')
            .filter(|l| {
                l.trim_start()
                    .strip_prefix("Điều ")
                    .is_some_and(|r| r.as_bytes().first().is_some_and(|b| b.is_ascii_digit()))
            })
            .count()
            >= 3
    }

    #[test]
    fn same_answer_as_reading_each_line() {
        for t in [
            "Điều 1. A\nĐiều 2. B\n  Điều 3. C",
            "Điều 1. A\nĐiều 2. B\nTheo Điều 3 của luật",
            "Điều 1. Điều 2. Điều 3.",
            "\u{A0}Điều 1.\n\tĐiều 2.\n \u{2003}Điều 3.\n",
            "Điều kiện 1\nĐiều 2\nĐiều 3",
            "Điều 1\n\nĐiều 2\r\nĐiều  3\nĐiều 4",
            "",
            "Điều ",
        ] {
            assert_eq!(is_normative(t), by_lines(t), "{t:?}");
        }
    }

    #[test]
    fn one_long_line_stays_linear() {
        let t = format!("{}{}", " ".repeat(200_000), "Điều 1 ".repeat(100_000));
        let start = std::time::Instant::now();
        assert!(!is_normative(&t));
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }
}

/// The marker scan of [`triggers`] gives exactly the matches of one
/// automaton over every trigger pattern.
#[cfg(test)]
mod trigger_scan_equivalence {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};
    use proptest::prelude::*;

    fn reference(text: &str) -> Vec<(usize, usize)> {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(trigger_patterns().iter().map(|t| t.0.as_str()))
            .expect("trigger automaton")
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect()
    }

    fn scanned(text: &str) -> Vec<(usize, usize)> {
        triggers()
            .find_iter(text)
            .map(|h| (h.start, h.end))
            .collect()
    }

    #[test]
    fn markers_alone_and_in_triggers() {
        for t in [
            "Lễ công bố lễ hội, lớp học và Lớp Bồi dưỡng; LỚP TẬP HUẤN lớp tập huấn",
            "tổ chức Tổ chức quán triệt lễ lớp lớp bồi dưỡng LỄ CÔNG BỐ",
            "lễ",
            "",
        ] {
            assert_eq!(scanned(t), reference(t), "{t}");
        }
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(
                trigger_patterns()
                    .iter()
                    .map(|t| t.0.clone())
                    .collect::<Vec<_>>()
            ),
            proptest::sample::select(vec!["lễ ", "Lớp ", "lớp", "LỄ ", "tổ chức", " "])
                .prop_map(str::to_owned),
            "[a-zA-Zơư ]{0,4}",
        ]
    }

    proptest! {
        #[test]
        fn same_matches_as_one_automaton_over_every_trigger(
            parts in proptest::collection::vec(fragment(), 0..12)
        ) {
            let text = parts.concat();
            prop_assert_eq!(scanned(&text), reference(&text));
        }
    }
}
