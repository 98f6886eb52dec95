//! Relations between documents of one text (quan hệ giữa văn bản): see
//! ANNOTATION.md §Relations.
//!
//! Two consecutive mentions A, B of different documents in one sentence are
//! related when the words between them are A's citation tail (date, issuer,
//! title) and a cue (`thay thế`, `sửa đổi, bổ sung`, `bãi bỏ`, `hướng dẫn`,
//! `thực hiện`, `sơ kết` / `tổng kết`), or a passive form (`B được thay thế
//! bằng A`, `thay thế B bằng A`). A list after the cue (`B1, B2 và B3`) gives
//! one relation to each item; so does a list after a strong cue and a colon,
//! and each row of a legal-information site's effect-history table
//! (`Lịch sử hiệu lực`). Linear: each mention pair is looked at once,
//! each in a bounded window.

use crate::context::{ceil_char, floor_char, Context};
use crate::dates::{date_at, DateValue};
use crate::documents::{
    heading_kind, is_list_separator, kind_word_before, tail_end, tail_end_with_title,
};
use crate::model::{Document, DocumentKind as K, Relation, RelationKind as R};

/// Cues, longest first, with their relation.
const CUES: &[(&str, R)] = &[
    ("thay thế cho", R::Replaces),
    ("thay thế", R::Replaces),
    ("thay cho", R::Replaces),
    ("sửa đổi, bổ sung một số điều của", R::Amends),
    ("sửa đổi, bổ sung", R::Amends),
    ("sửa đổi", R::Amends),
    ("bổ sung", R::Amends),
    ("bãi bỏ", R::Repeals),
    ("hướng dẫn thực hiện", R::Guides),
    ("hướng dẫn thi hành", R::Guides),
    ("hướng dẫn", R::Guides),
    ("quy định chi tiết", R::Guides),
    ("triển khai thực hiện", R::Implements),
    ("triển khai", R::Implements),
    ("tiếp tục thực hiện", R::Implements),
    ("thực hiện", R::Implements),
    ("cụ thể hóa", R::Implements),
    ("cụ thể hoá", R::Implements),
    ("sơ kết", R::Reviews),
    ("tổng kết", R::Reviews),
];

/// Adverbs allowed before a cue.
const ADVERBS: &[&str] = &["đồng thời ", "đã ", "sẽ ", "vừa ", "nhằm ", "để "];

/// Most words between the cue and B (`một số điều của`, `5 năm thực hiện`).
const MAX_FILLER_WORDS: usize = 8;

/// True when document kind `k` can act in relation `r`.
fn kind_allows(r: R, k: K) -> bool {
    match r {
        R::Implements => matches!(k, K::KeHoach | K::ChuongTrinh),
        R::Guides => matches!(k, K::HuongDan | K::NghiDinh | K::ThongTu | K::QuyDinh),
        // `Kế hoạch số 88-KH/TU về tổng kết 10 năm thực hiện Nghị quyết số
        // 25`: the plan of a review is that review's document.
        R::Reviews => matches!(
            k,
            K::BaoCao | K::KetLuan | K::ThongBao | K::NghiQuyet | K::KeHoach
        ),
        _ => true,
    }
}

/// The cue at the start of `s`: relation and cue length.
fn cue_at(s: &str) -> Option<(R, usize)> {
    CUES.iter()
        .find(|(c, _)| {
            s.starts_with(c) && !s[c.len()..].starts_with(|ch: char| ch.is_alphanumeric())
        })
        .map(|&(c, r)| (r, c.len()))
}

/// `s` with its first letter in lower case when it is an upper-case letter
/// whose lower case has the same length (every Vietnamese letter).
fn lower_first(s: &str) -> Option<String> {
    let c = s.chars().next()?;
    if !c.is_uppercase() {
        return None;
    }
    let mut lower = c.to_lowercase();
    let l = lower.next()?;
    if lower.next().is_some() || l.len_utf8() != c.len_utf8() {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    out.push(l);
    out.push_str(&s[c.len_utf8()..]);
    Some(out)
}

/// Most words of a law's name between a list separator and the item's
/// number (`và Luật Ban hành văn bản quy phạm pháp luật của Hội đồng nhân
/// dân, Ủy ban nhân dân số 31/2004/QH11`).
const MAX_NAMED_ITEM_WORDS: usize = 24;

/// True when `sep` (the words between two citations) is a list separator
/// followed by the next item's kind word and name up to `số`: the name
/// holds a comma, so the mention itself starts at the number.
fn named_list_item(sep: &str) -> bool {
    let Some(rest) = sep
        .strip_prefix("và ")
        .or_else(|| sep.strip_prefix(", "))
        .or_else(|| sep.strip_prefix(','))
    else {
        return false;
    };
    let rest = rest.trim_start();
    [
        "Luật ",
        "Bộ luật ",
        "Pháp lệnh ",
        "Nghị định ",
        "Nghị quyết ",
    ]
    .iter()
    .any(|k| rest.starts_with(k))
        && rest.ends_with(" số")
        && rest.split(' ').count() <= MAX_NAMED_ITEM_WORDS
        && !rest.contains(['.', ';', ':', '(', ')', '"', '\n'])
}

/// True when `s` is short filler between a cue and its object.
fn is_filler(s: &str) -> bool {
    let s = s.trim();
    s.is_empty()
        || (s.split(' ').count() <= MAX_FILLER_WORDS
            && !s.contains([',', ';', ':', '(', ')', '"', '.', '\n']))
}

/// Most commas inside A's title that the cue scan passes (`về chức năng,
/// nhiệm vụ, quyền hạn, chế độ làm việc, quan hệ công tác …`).
const MAX_TITLE_COMMAS: usize = 8;

/// The relation a gap expresses between A (before) and B (after), as
/// `(relation, cue offset in text)`; the gap starts after A's tail.
fn active_cue(text: &str, gap_start: usize, gap_end: usize) -> Option<(R, usize)> {
    let gap = &text[gap_start..gap_end];
    let lead = gap.len() - gap.trim_start_matches([' ', ',']).len();
    let mut rest = &gap[lead..];
    let mut at = gap_start + lead;
    // Appositions and copulas between A and its predicate: `A (Quy định 58)
    // là Quy định mới thay thế B`, `A là văn bản thay thế B`, `A nêu rõ, bãi
    // bỏ B`, `A ra đời thay thế B`.
    // `sơ kết 1 năm thực hiện: Nghị quyết …`: a colon may introduce B.
    let try_cue = |rest: &str, at: usize| -> Option<(R, usize)> {
        let (r, len) = cue_at(rest)?;
        let filler = rest[len..].trim_end();
        let filler = filler.strip_suffix(':').unwrap_or(filler);
        is_filler(filler).then_some((r, at))
    };
    let after_adverb = |rest: &str, at: usize| -> (usize, usize) {
        for adv in ADVERBS {
            if rest.starts_with(adv) {
                return (at + adv.len(), adv.len());
            }
        }
        (at, 0)
    };
    // `A (thay thế B …)`: the cue opens a parenthesis right after A.
    if let Some(inner) = rest.strip_prefix('(') {
        let inner_at = at + 1 + (inner.len() - inner.trim_start().len());
        if let Some(found) = try_cue(inner.trim_start(), inner_at) {
            return Some(found);
        }
    }
    let skipped = skip_predicate_lead(rest);
    if skipped > 0 {
        let (at2, adv) = after_adverb(&rest[skipped..], at + skipped);
        if let Some(found) = try_cue(&rest[skipped + adv..], at2) {
            return Some(found);
        }
    }
    let (at2, adv) = after_adverb(rest, at);
    at = at2;
    rest = &rest[adv..];
    if let Some(found) = try_cue(rest, at) {
        return Some(found);
    }
    // `A được ban hành ngày D và thay thế B`.
    if let Some(found) = clause_cue(text, at, gap_end) {
        return Some(found);
    }
    // `A gồm 6 chương, 22 điều, thay thế B`: an apposition on A's size.
    if rest.starts_with("gồm ") && !rest.contains(['(', ')', '"', ';', ':', '\n']) {
        let k = rest.rfind(", ")?;
        if rest[..k].split(' ').count() <= MAX_APPOSITION_WORDS {
            return strong_cue(text, at + k + 2, gap_end);
        }
        return None;
    }
    // `về thực hiện …`, or a title `về …` running up to the cue.
    // (`A quy định về <title> thay thế B`: the verb before the subject line.)
    let lead_len = ["về ", "quy định về ", "quy định "]
        .iter()
        .find(|l| rest.starts_with(**l))?
        .len();
    let r = &rest[lead_len..];
    let base = at + lead_len;
    if let Some(found) = try_cue(r, base) {
        return Some(found);
    }
    // `về "Thực hiện B …"`, `về Thực hiện B`: a (quoted) subject line that
    // opens with the cue, capitalised as a heading is.
    let (q, q_at) = match r.strip_prefix('"') {
        Some(q) => (q, base + 1),
        None => (r, base),
    };
    if let Some(lowered) = lower_first(q) {
        if let Some(found) = try_cue(&lowered, q_at) {
            return Some(found);
        }
    } else if q_at != base {
        if let Some(found) = try_cue(q, q_at) {
            return Some(found);
        }
    }
    let mut off = 0;
    // Commas inside a title (`về công tác kiểm tra, giám sát và kỷ luật của
    // Đảng, thay thế B`) that the scan may pass: bounded, so that a long
    // gap costs linear time.
    let mut inner_commas = 0;
    for w in r.split(' ') {
        // `A về <title> được thay thế bởi B`: a passive, read elsewhere.
        if (w == "được" && !r[..off].ends_with("không ")) || w == "bị" {
            return None;
        }
        // `A về <title> (thay thế B …)`: the cue opens a parenthesis.
        if let Some(inner) = w.strip_prefix('(') {
            let at_inner = base + off + 1;
            if !inner.is_empty() {
                if let Some(found) = try_cue(&r[off + 1..], at_inner) {
                    return Some(found);
                }
            }
            return None;
        }
        if w.contains([',', ';', ':', '(', ')', '"', '.', '\n']) {
            // `sửa đổi, bổ sung`: only a cue may hold a comma.
            if let Some(found) = try_cue(&r[off..], base + off) {
                return Some(found);
            }
            // `A về <title>, thay thế B`, `A về <title>, được ban hành
            // ngày D và thay thế B`: a clause after the title's comma.
            if w.ends_with(',') && !w[..w.len() - 1].contains([',', ';', ':', '(', ')', '"', '.']) {
                let next = base + off + w.len() + 1;
                if next <= gap_end {
                    if let Some(found) =
                        strong_cue(text, next, gap_end).or_else(|| clause_cue(text, next, gap_end))
                    {
                        return Some(found);
                    }
                    // The title goes on after its comma with a lower-case word.
                    let continues = text[next..gap_end]
                        .chars()
                        .next()
                        .is_some_and(char::is_lowercase);
                    inner_commas += 1;
                    if continues && inner_commas <= MAX_TITLE_COMMAS {
                        off += w.len() + 1;
                        if off >= r.len() {
                            break;
                        }
                        continue;
                    }
                }
            }
            return None;
        }
        if let Some(found) = try_cue(&r[off..], base + off) {
            return Some(found);
        }
        off += w.len() + 1;
        if off >= r.len() {
            break;
        }
    }
    None
}

/// Lower-case heads of a copula's complement (`là văn bản`, `là Quy định
/// mới`): the document kinds and `văn bản`.
const COPULA_HEADS: &[&str] = &[
    "văn bản quy phạm pháp luật",
    "văn bản",
    "nghị quyết",
    "quy định",
    "quyết định",
    "chỉ thị",
    "kết luận",
    "hướng dẫn",
    "quy chế",
    "thông báo",
    "kế hoạch",
    "chương trình",
    "luật",
    "bộ luật",
    "pháp lệnh",
    "nghị định",
    "thông tư",
];

/// Reporting verbs after which a comma or colon opens what the document
/// itself does (`Quyết định 1269/QĐ-TTg nêu rõ, bãi bỏ …`).
const REPORTING_VERBS: &[&str] = &[
    "nêu rõ",
    "quy định rõ",
    "xác định rõ",
    "chỉ rõ",
    "nêu",
    "khẳng định",
    "quy định",
];

/// Verbs of coming into force between A and a strong cue (`A ra đời thay
/// thế B`, `A được ban hành để thay thế B`).
const COMING_INTO_FORCE: &[&str] = &[
    "ra đời",
    "được ban hành",
    "được xây dựng",
    "được ký ban hành",
];

/// Case-insensitive on the first letter only (`Quy định` / `quy định`).
fn strip_word_ci<'a>(s: &'a str, lower: &str) -> Option<&'a str> {
    let mut cs = s.chars();
    let first = cs.next()?;
    let mut ls = lower.chars();
    let lfirst = ls.next()?;
    if first.to_lowercase().next() != Some(lfirst) {
        return None;
    }
    let rest = cs.as_str();
    let tail = ls.as_str();
    let r = rest.strip_prefix(tail)?;
    (!r.starts_with(|c: char| c.is_alphanumeric())).then_some(r)
}

/// Bytes at the start of `s` (the gap after A's citation tail) that only
/// lead to A's predicate: a closing parenthesis of A's alias mention, an
/// apposition in parentheses, a copula with its complement (`là văn bản
/// (mới)`, `là <kind> mới`, `chính là`), a reporting verb with its comma,
/// or a verb of coming into force. 0 when there is none. Bounded: a few
/// fixed steps over at most a short parenthesis.
fn skip_predicate_lead(s: &str) -> usize {
    let mut rest = s;
    // `(Quy định 58) là …`: A's alias mention ends inside the parenthesis.
    if let Some(r) = rest.strip_prefix(')') {
        rest = r.trim_start();
    }
    // `(gọi tắt là Quy định 58)`, `(sau đây gọi là Quy chế)`: no sentence
    // punctuation inside, at most a dozen words.
    if let Some(r) = rest.strip_prefix('(') {
        if let Some(close) = r.find(')') {
            let inner = &r[..close];
            if inner.split(' ').count() <= 12 && !inner.contains(['.', ';', '(', '\n']) {
                rest = r[close + 1..].trim_start_matches([' ', ',']);
            }
        }
    }
    let before_copula = rest;
    let copula = rest
        .strip_prefix("chính là ")
        .or_else(|| rest.strip_prefix("là "));
    if let Some(r) = copula {
        let mut r2 = r;
        for head in COPULA_HEADS {
            if let Some(x) = strip_word_ci(r2, head) {
                r2 = x.trim_start();
                break;
            }
        }
        if let Some(x) = r2.strip_prefix("mới ") {
            r2 = x;
        }
        // A copula needs a cue right after its complement (checked by the
        // caller); `là` alone before a cue (`là thay thế`) is also a copula.
        rest = r2;
    } else {
        for v in REPORTING_VERBS {
            if let Some(x) = rest.strip_prefix(v) {
                if let Some(y) = x.strip_prefix(", ").or_else(|| x.strip_prefix(": ")) {
                    rest = y;
                    break;
                }
            }
        }
        if rest.len() == before_copula.len() {
            for v in COMING_INTO_FORCE {
                if let Some(x) = rest.strip_prefix(v) {
                    if let Some(y) = x.strip_prefix(' ') {
                        rest = y;
                        break;
                    }
                }
            }
        }
    }
    s.len() - rest.len()
}

/// Most words of an apposition between A and its cue (`gồm 6 chương, 22
/// điều`).
const MAX_APPOSITION_WORDS: usize = 10;

/// True for the relations a document states about another by itself
/// (thay thế, sửa đổi, bãi bỏ), which may follow a clause or comma.
fn is_strong(r: R) -> bool {
    matches!(r, R::Replaces | R::Amends | R::Repeals)
}

/// A strong cue at `text[from..]` (after optional `và ` / `đồng thời ` /
/// `đã `), followed only by filler up to `end`.
fn strong_cue(text: &str, from: usize, end: usize) -> Option<(R, usize)> {
    let mut s = text.get(from..end)?;
    let mut at = from;
    for lead in ["và ", "đồng thời ", "đã "] {
        if let Some(r) = s.strip_prefix(lead) {
            at += lead.len();
            s = r;
        }
    }
    let (r, len) = cue_at(s)?;
    (is_strong(r) && is_filler(&s[len..])).then_some((r, at))
}

/// A clause on A's issuing or effect date, then a strong cue:
/// `(đã) (được) ban hành ngày D và thay thế B`, `có hiệu lực từ ngày D,
/// thay thế B`.
fn clause_cue(text: &str, from: usize, end: usize) -> Option<(R, usize)> {
    let mut s = text.get(from..end)?;
    for lead in ["đã ", "được "] {
        if let Some(r) = s.strip_prefix(lead) {
            s = r;
        }
    }
    // `có hiệu lực (thi hành) sau 10 ngày kể từ ngày ký (ban hành) và thay
    // thế B`: a short effect clause without a date of its own.
    if let Some(r) = s
        .strip_prefix("có hiệu lực thi hành ")
        .or_else(|| s.strip_prefix("có hiệu lực "))
    {
        let stop = ["và thay thế", ", thay thế", "và bãi bỏ", ", bãi bỏ"]
            .iter()
            .filter_map(|c| r.find(c))
            .min()?;
        let clause = &r[..stop];
        if clause.split(' ').count() <= 16 && !clause.contains(['.', ';', ':', '(', '"']) {
            let next = &r[stop..];
            let next = next
                .strip_prefix("và ")
                .or_else(|| next.strip_prefix(", "))
                .unwrap_or(next);
            return strong_cue(text, end - next.len(), end);
        }
        return None;
    }
    let s = s
        .strip_prefix("ban hành ")
        .or_else(|| s.strip_prefix("có hiệu lực từ "))
        .or_else(|| s.strip_prefix("có hiệu lực thi hành từ "))?;
    let d = date_at(text, end - s.len()).filter(|d| d.end <= end)?;
    if !matches!(d.value, DateValue::Full(_)) {
        return None;
    }
    let after = &text[d.end..end];
    let next = after
        .strip_prefix(" và ")
        .or_else(|| after.strip_prefix(", "))?;
    strong_cue(text, end - next.len(), end)
}

/// A passive cue between B and A: `(đã) được thay thế bằng/bởi`, `bị
/// thay thế bởi`, `(đã) được sửa đổi, bổ sung (một số điều) theo/bởi/bằng`,
/// `(đã) được bãi bỏ bởi/bằng/theo`.
fn passive_cue(gap: &str) -> Option<R> {
    // `B … (được sửa đổi, bổ sung bởi A)`: the passive in a parenthesis.
    let g = gap.strip_prefix('(').map_or(gap, str::trim_start);
    let g = g.strip_prefix("đã ").unwrap_or(g);
    let g = g.strip_prefix("được ").or_else(|| g.strip_prefix("bị "))?;
    let (r, len) = cue_at(g)?;
    if !matches!(r, R::Replaces | R::Amends | R::Repeals) {
        return None;
    }
    let mut rest = g[len..].trim_start();
    for filler in ["một số điều", "một số Điều"] {
        if let Some(x) = rest.strip_prefix(filler) {
            rest = x.trim_start();
        }
    }
    matches!(rest, "bằng" | "bởi" | "theo" | "tại").then_some(r)
}

/// Bytes of a subject written after a number without `về` before a
/// passive cue (`Quyết định 75/2006/QĐ-UBND Quy chế quản lý nhà … đã được
/// thay thế bởi …`).
const BARE_TITLE_BYTES: usize = 240;

/// Where the passive cue starts in `gap`, the text between B's citation and
/// A's, when B is named by its number and then its subject with no `về`,
/// as legal-information pages write (`Thông tư 27/2005/TT-BTC hướng dẫn
/// giải ngân … đã được thay thế bởi Thông tư …`): the subject is one
/// clause (no sentence or clause mark) and the cue closes the gap.
fn bare_title_passive(gap: &str) -> Option<usize> {
    if gap.len() > BARE_TITLE_BYTES || gap.contains(['.', ';', ':', '\n', '(', ')', '"', '“']) {
        return None;
    }
    let mut from = 0;
    while let Some(p) = gap[from..].find(' ') {
        let at = from + p + 1;
        from = at;
        let rest = &gap[at..];
        if (rest.starts_with("được ") || rest.starts_with("bị "))
            && passive_cue(rest.trim()).is_some()
        {
            return Some(at);
        }
    }
    None
}

/// One mention in text order.
#[derive(Clone, Copy)]
struct M {
    start: usize,
    end: usize,
    doc: usize,
}

/// Relations of the text, in text order of their cue, without duplicates.
pub fn extract(ctx: &Context, documents: &[Document]) -> Vec<Relation> {
    let text = ctx.text;
    let mut ms: Vec<M> = documents
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| {
            doc.mentions.iter().map(move |s| M {
                start: s.start,
                end: s.end,
                doc: d,
            })
        })
        .filter(|m| m.start <= m.end && m.end <= text.len())
        .collect();
    ms.sort_by_key(|m| (m.start, m.end));
    let pointers = anaphors(ctx, documents, &ms);
    if !pointers.is_empty() {
        ms.extend(pointers);
        ms.sort_by_key(|m| (m.start, m.end));
    }
    let mut found: Vec<(usize, Relation)> = Vec::new();
    let mut i = 0;
    let mut sent = (0usize, 0usize);
    while i + 1 < ms.len() {
        let a = ms[i];
        let b = ms[i + 1];
        i += 1;
        if a.doc == b.doc || b.start < a.end {
            continue;
        }
        // Sentence bounds are reused while A stays inside them (amortised
        // linear on texts with many mentions).
        if !(sent.0 <= a.start && a.start < sent.1) {
            sent = ctx.sentence(a.start);
        }
        let s_end = sent.1;
        if b.start >= s_end {
            continue;
        }
        let after_a = tail_end(text, a.end, b.start).clamp(a.end, b.start);
        // Active: A <cue> B (and a list B, C… after it).
        if let Some((r, cue)) = active_cue(text, after_a, b.start) {
            // `Hướng dẫn số 01-HD/BTCTW … thực hiện Quy định số 58`: a
            // guidance carries out the text it guides.
            let r = if r == R::Implements && documents[a.doc].kind == K::HuongDan {
                R::Guides
            } else {
                r
            };
            if kind_allows(r, documents[a.doc].kind) {
                found.push((
                    cue,
                    Relation {
                        kind: r,
                        from: a.doc,
                        to: b.doc,
                    },
                ));
                let mut prev = b;
                let mut j = i + 1;
                let mut r = r;
                let mut cue = cue;
                let mut bound = s_end;
                while j < ms.len() {
                    let c = ms[j];
                    if c.start < prev.end {
                        break;
                    }
                    let t = tail_end(text, prev.end, c.start).clamp(prev.end, c.start);
                    let sep = text[t..c.start].trim();
                    if c.start >= bound {
                        // A list of citations goes on after `;` (`… thực
                        // hiện Nghị quyết số 06 …; Chương trình số 09 …`).
                        if sep != ";" {
                            break;
                        }
                        bound = ctx.sentence(c.start).1;
                    }
                    let listed = is_list_separator(sep) || named_list_item(sep);
                    if !listed {
                        // A second predicate of the same subject: `A sửa
                        // đổi, bổ sung B và bãi bỏ C`.
                        let gap = &text[t..c.start];
                        let lead = gap.len() - gap.trim_start_matches([' ', ',']).len();
                        match strong_cue(text, t + lead, c.start) {
                            Some((r2, at)) if kind_allows(r2, documents[a.doc].kind) => {
                                r = r2;
                                cue = at;
                            }
                            _ => break,
                        }
                    }
                    // A listed item with a predicate of its own opens a new
                    // clause (`… hướng dẫn thực hiện B, và Công văn C hướng
                    // dẫn triển khai …`): C is a subject, not another object
                    // (unlike the object of a second cue: `đồng thời bãi bỏ
                    // Thông tư D hướng dẫn …`).
                    let limit = ms.get(j + 1).map_or(bound, |n| n.start.min(bound));
                    if listed && c.end <= limit {
                        let tc = tail_end(text, c.end, limit).clamp(c.end, limit);
                        let after = text[tc..limit].trim_start_matches([' ', ',']);
                        if cue_at(after).is_some() {
                            break;
                        }
                    }
                    if c.doc != a.doc {
                        found.push((
                            cue,
                            Relation {
                                kind: r,
                                from: a.doc,
                                to: c.doc,
                            },
                        ));
                    }
                    prev = c;
                    j += 1;
                }
            }
            continue;
        }
        // Passive: B (đã) được thay thế bằng/bởi A, B đã được sửa đổi, bổ
        // sung (một số điều) theo A (A is the later mention; a list A1 và A2
        // gives one relation from each).
        let mut gap_from = after_a;
        let mut gap = text[after_a..b.start].trim();
        if passive_cue(gap).is_none() {
            // `B về <title> được thay thế bởi A`: the cue after B's title.
            let t = tail_end_with_title(text, a.end, b.start).clamp(after_a, b.start);
            if t > after_a && passive_cue(text[t..b.start].trim()).is_some() {
                gap_from = t;
                gap = text[t..b.start].trim();
            } else if let Some(t) = bare_title_passive(&text[after_a..b.start]) {
                gap_from = after_a + t;
                gap = text[gap_from..b.start].trim();
            }
        }
        if let Some(r) = passive_cue(gap) {
            let cue = gap_from
                + (text[gap_from..b.start].len() - text[gap_from..b.start].trim_start().len());
            found.push((
                cue,
                Relation {
                    kind: r,
                    from: b.doc,
                    to: a.doc,
                },
            ));
            let mut prev = b;
            let mut j = i + 1;
            while j < ms.len() {
                let c = ms[j];
                if c.start < prev.end || c.start >= s_end {
                    break;
                }
                let t = tail_end(text, prev.end, c.start).clamp(prev.end, c.start);
                if !is_list_separator(text[t..c.start].trim()) {
                    break;
                }
                if c.doc != a.doc {
                    found.push((
                        cue,
                        Relation {
                            kind: r,
                            from: c.doc,
                            to: a.doc,
                        },
                    ));
                }
                prev = c;
                j += 1;
            }
            continue;
        }
        // `thay thế B bằng A`.
        if gap == "bằng" {
            let before = text[..a.start].trim_end();
            if let Some(s) = before.strip_suffix("thay thế") {
                found.push((
                    s.len(),
                    Relation {
                        kind: R::Replaces,
                        from: b.doc,
                        to: a.doc,
                    },
                ));
            }
        }
    }
    colon_list(ctx, documents, &ms, &mut found);
    effect_history(text, documents, &ms, &mut found);
    this_one_replaces(ctx, documents, &ms, &mut found);
    fronted_purpose(ctx, documents, &ms, &mut found);
    header_acts(text, documents, &ms, &mut found);
    article_acts(text, documents, &ms, &mut found);
    found.sort_by_key(|&(p, _)| p);
    let mut out: Vec<Relation> = Vec::new();
    for (_, r) in found {
        if r.from != r.to && !out.contains(&r) && !earlier_than_object(documents, &r) {
            out.push(r);
        }
    }
    out
}

/// Most mentions looked at backwards for the document a `<kind> này`
/// points to (bounded: linear on texts full of citations).
const MAX_ANAPHOR_LOOKBACK: usize = 32;
/// Sentences before its own in which a `<kind> này` finds its document
/// (`… ban hành Chỉ thị số 23 … . Để triển khai …, … Kế hoạch số 141 … .
/// Cuối năm, … nhằm cụ thể hóa Chỉ thị này`).
const ANAPHOR_SENTENCES: usize = 3;

/// `<kind> này` outside a document's own text (`Để triển khai thực hiện
/// Chỉ thị này, … ban hành Kế hoạch số 96-KH/TU`, `… ban hành Kế hoạch số
/// 96-KH/TU thực hiện Chỉ thị này`): a pointer to the one document of that
/// kind named earlier in its sentence or in the few sentences before. Read as a
/// mention for relations only (the document's mentions do not list it);
/// two documents of that kind there, or none: nothing.
fn anaphors(ctx: &Context, documents: &[Document], ms: &[M]) -> Vec<M> {
    let text = ctx.text;
    let mut out = Vec::new();
    if ms.is_empty() {
        return out;
    }
    // (kind word start, pointer end, its kind (`None`: `Văn bản`, any
    // kind), how many sentences back its document may stand).
    let mut pointers: Vec<(usize, usize, Option<K>, usize)> = Vec::new();
    for &at in ctx.nay() {
        let end = at + crate::context::NAY.len();
        if text[end..].starts_with(|c: char| c.is_alphanumeric()) {
            continue;
        }
        // `Văn bản này`: a document of any kind.
        if text[..at].ends_with("Văn bản") {
            pointers.push((at - "Văn bản".len(), end, None, 1));
        } else if let Some((ks, kind)) = kind_word_before(text, at) {
            pointers.push((ks, end, Some(kind), ANAPHOR_SENTENCES));
        }
    }
    // `… ban hành Nghị định số 10/2024/NĐ-CP … . Nghị định có hiệu lực từ
    // ngày … và thay thế …`, `Quy định (mới) thay thế …`: a sentence that
    // opens on the bare kind word of a document just cited.
    // After each mention, the next likely sentence start (a `.`, `?` or line
    // break, then spaces and a capital) is looked at, once: every byte is
    // scanned at most once (linear); sentence bounds are computed only for
    // a candidate.
    let bytes = text.as_bytes();
    let mut scanned = 0usize;
    for m in ms {
        let mut from = m.end.max(scanned);
        let hi = (from + BARE_SUBJECT_REACH).min(bytes.len());
        while from < hi {
            let Some(p) = memchr::memchr3(b'.', b'?', b'\n', &bytes[from..hi]) else {
                from = hi;
                break;
            };
            let after = from + p + 1;
            from = after;
            let rest = &text[after..];
            let ns = after + (rest.len() - rest.trim_start_matches([' ', '\n']).len());
            if ns == after && bytes.get(after - 1) != Some(&b'\n') {
                continue; // `25.5.2016`, `…/QĐ-TW.`: no space after the stop
            }
            if !text[ns..].starts_with(|c: char| c.is_uppercase()) {
                continue;
            }
            if let Some(p) = bare_kind_subject(&text[ns..]) {
                if ctx.sentence(ns).0 == ns {
                    pointers.push((ns, ns + p.0, p.1, 1));
                }
            }
            break;
        }
        scanned = from;
    }
    pointers.sort_unstable_by_key(|p| p.0);
    pointers.dedup_by_key(|p| p.0);
    // The window start for the last (sentence, reach) looked at: pointers
    // come in text order, so one sentence's bounds serve all of its pointers.
    let mut sent = (0usize, 0usize);
    let mut window: Option<(usize, usize, usize)> = None;
    for (ks, end, kind, reach) in pointers {
        // Mentions starting before the kind word; one covering it (a
        // self-reference in a document's own text) leaves it alone.
        let k = ms.partition_point(|m| m.start < ks);
        if k == 0 || ms[k - 1].end > ks || ms.get(k).is_some_and(|m| m.start < end) {
            continue;
        }
        if !(sent.0 <= ks && ks < sent.1) {
            sent = ctx.sentence(ks);
        }
        let p0 = match window {
            Some((s0, r, p0)) if s0 == sent.0 && r == reach => p0,
            _ => {
                let mut p0 = sent.0;
                for _ in 0..reach {
                    let prev_end = text[..p0].trim_end_matches([' ', '\n']).len();
                    if prev_end == 0 {
                        break;
                    }
                    p0 = ctx.sentence(prev_end - 1).0;
                }
                window = Some((sent.0, reach, p0));
                p0
            }
        };
        let mut referent = None;
        let mut single = true;
        for m in ms[..k].iter().rev().take(MAX_ANAPHOR_LOOKBACK) {
            if m.start < p0 {
                break;
            }
            if kind.is_some_and(|k| documents[m.doc].kind != k) {
                continue;
            }
            match referent {
                None => referent = Some(m.doc),
                Some(d) if d != m.doc => single = false,
                _ => {}
            }
        }
        if let (Some(doc), true) = (referent, single) {
            out.push(M {
                start: ks,
                end,
                doc,
            });
        }
    }
    out
}

/// Bytes after a mention in which the next sentence's start is looked for.
const BARE_SUBJECT_REACH: usize = 1024;

/// Capitalised kind words that may open a sentence as its subject, with
/// their kind (`Văn bản`: any kind).
const BARE_SUBJECTS: &[(&str, Option<K>)] = &[
    ("Quy định", Some(K::QuyDinh)),
    ("Quyết định", Some(K::QuyetDinh)),
    ("Nghị định", Some(K::NghiDinh)),
    ("Nghị quyết", Some(K::NghiQuyet)),
    ("Chỉ thị", Some(K::ChiThi)),
    ("Kết luận", Some(K::KetLuan)),
    ("Hướng dẫn", Some(K::HuongDan)),
    ("Thông tư", Some(K::ThongTu)),
    ("Quy chế", Some(K::QuyChe)),
    ("Kế hoạch", Some(K::KeHoach)),
    ("Chương trình", Some(K::ChuongTrinh)),
    ("Luật", Some(K::Luat)),
    ("Văn bản", None),
];

/// A sentence opening on a bare kind word (with `mới`), followed by a verb
/// rather than a number or a name: the pointer's length and kind.
fn bare_kind_subject(s: &str) -> Option<(usize, Option<K>)> {
    let &(word, kind) = BARE_SUBJECTS.iter().find(|(w, _)| s.starts_with(w))?;
    let mut len = word.len();
    let mut rest = &s[len..];
    if let Some(r) = rest.strip_prefix(" mới") {
        len += " mới".len();
        rest = r;
    }
    let next = rest.strip_prefix(' ')?;
    // `Quy định số 58 …`, `Quy định 58 …`, `Luật Đất đai …`: a citation or
    // a name, not a pointer; `Quy định này` is read as a pointer already.
    let opens_clause = next.starts_with(|c: char| c.is_lowercase())
        && !["số", "này", "về", "của"].iter().any(|w| {
            next.strip_prefix(w)
                .is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric()))
        });
    opens_clause.then_some((len, kind))
}

/// Most words between a strong cue and the colon that opens its list
/// (`bãi bỏ toàn bộ 39 văn bản quy phạm pháp luật của Thủ tướng Chính phủ gồm:`).
const MAX_COLON_LEAD_WORDS: usize = 20;
/// Bytes after A in which its tail, the cue and the colon must stand.
const COLON_WINDOW: usize = 600;
/// Most items of one such list, and most bytes of one item.
const MAX_LIST_ITEMS: usize = 200;
const MAX_ITEM_BYTES: usize = 1200;

/// `A bãi bỏ toàn bộ N văn bản … gồm:` then the list: items after the
/// colon in the same paragraph (`: B1; B2`) and paragraphs that open on a
/// citation, with or without a list marker (`1. B2 …`, `- B3 …`, `a) …`).
/// Each item gives A → item with the cue's relation (replaces, amends and
/// repeals only). The list ends at the first paragraph that does not open
/// on a citation.
fn colon_list(ctx: &Context, documents: &[Document], ms: &[M], found: &mut Vec<(usize, Relation)>) {
    let text = ctx.text;
    let b = text.as_bytes();
    let starts_at = |p: usize| -> Option<M> {
        let k = ms.partition_point(|m| m.start < p);
        ms.get(k).copied().filter(|m| m.start == p)
    };
    let mut resume = 0usize;
    for (i, a) in ms.iter().enumerate() {
        if a.start < resume {
            continue;
        }
        // The cue follows A's tail at once and the colon comes within 20
        // words, so a bounded window is enough (no sentence scan per mention).
        let window = floor_char(text, (a.end + COLON_WINDOW).min(text.len()));
        let next = ms.get(i + 1).map_or(window, |n| n.start.min(window));
        let after_a = tail_end(text, a.end, next).clamp(a.end, next);
        let gap = &text[after_a..next];
        let lead = gap.len() - gap.trim_start_matches([' ', ',']).len();
        let mut rest = &gap[lead..];
        let mut cue_pos = after_a + lead;
        for adv in ADVERBS {
            if let Some(r) = rest.strip_prefix(adv) {
                rest = r;
                cue_pos += adv.len();
                break;
            }
        }
        let Some((r, len)) = cue_at(rest) else {
            continue;
        };
        if !is_strong(r) || !kind_allows(r, documents[a.doc].kind) {
            continue;
        }
        // The colon ends the lead; no other punctuation before it.
        let lead_text = &rest[len..];
        let Some(colon) = lead_text.find(':') else {
            continue;
        };
        let words = &lead_text[..colon];
        if words.contains(['.', ';', '(', ')', '"', '\n'])
            || words.split_whitespace().count() > MAX_COLON_LEAD_WORDS
        {
            continue;
        }
        let mut p = cue_pos + len + colon + 1;
        let mut items = 0;
        while items < MAX_LIST_ITEMS && p < b.len() {
            // Blank space and line breaks, then an optional list marker.
            while p < b.len() && matches!(b[p], b' ' | b'\t' | b'\n' | b'\r') {
                p += 1;
            }
            p = skip_list_marker(text, p);
            let Some(item) = starts_at(p) else {
                break;
            };
            if item.doc != a.doc {
                found.push((
                    cue_pos,
                    Relation {
                        kind: r,
                        from: a.doc,
                        to: item.doc,
                    },
                ));
            }
            items += 1;
            // The item runs to `;` or the end of its line.
            let limit = floor_char(text, (item.end + MAX_ITEM_BYTES).min(b.len()));
            let Some(off) = text[item.end..limit].find([';', '\n']) else {
                break;
            };
            p = item.end + off + 1;
        }
        resume = p;
    }
}

/// The status words of an effect-history row (legal-information sites'
/// `Lịch sử hiệu lực` table), longest first, with the relation the row's
/// source document has to the table's document. A partial replacement is an
/// amendment (the rest stays in force); partial repeals and `Bị hết hiệu
/// lực` (no act named) give nothing.
const HISTORY_STATUSES: &[(&str, Option<R>)] = &[
    ("Bị thay thế 1 phần", Some(R::Amends)),
    ("Bị thay thế một phần", Some(R::Amends)),
    ("Bị bãi bỏ 1 phần", None),
    ("Bị bãi bỏ một phần", None),
    ("Bị thay thế", Some(R::Replaces)),
    ("Bị bãi bỏ", Some(R::Repeals)),
    ("Được sửa đổi, bổ sung", Some(R::Amends)),
    ("Được sửa đổi", Some(R::Amends)),
    ("Được bổ sung", Some(R::Amends)),
    ("Bị sửa đổi", Some(R::Amends)),
    ("Được hướng dẫn", Some(R::Guides)),
];
/// Most rows read after one `Lịch sử hiệu lực:` line.
const MAX_HISTORY_ROWS: usize = 100;

/// `Lịch sử hiệu lực: Nghị định 57/2009/NĐ-CP`, then rows `01/02/2016 Bị
/// thay thế 129/2015/NĐ-CP`: each row whose status is in
/// [`HISTORY_STATUSES`] relates the row's source document to the table's.
/// Rows are lines opening on a whole date; the table ends at the first line
/// that is neither a row nor its header (`Ngày Trạng thái Văn bản nguồn …`).
fn effect_history(
    text: &str,
    documents: &[Document],
    ms: &[M],
    found: &mut Vec<(usize, Relation)>,
) {
    const MARK: &str = "Lịch sử hiệu lực:";
    let first_on = |from: usize, to: usize| -> Option<M> {
        let k = ms.partition_point(|m| m.start < from);
        ms.get(k).copied().filter(|m| m.end <= to)
    };
    let line_end = |p: usize| text[p..].find('\n').map_or(text.len(), |k| p + k);
    let mut resume = 0;
    // (memchr's SIMD search: this runs over every text.)
    static FINDER: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
        std::sync::OnceLock::new();
    let finder = FINDER.get_or_init(|| crate::context::vietnamese_finder(MARK));
    for at in finder.find_iter(text.as_bytes()) {
        // A mark inside a table already read (or on its line) is skipped,
        // so every line is read once.
        if at < resume {
            continue;
        }
        let from = at + MARK.len();
        let eol = line_end(from);
        resume = eol;
        let Some(subject) = first_on(from, eol) else {
            continue;
        };
        let mut p = eol;
        for _ in 0..MAX_HISTORY_ROWS {
            if p >= text.len() {
                break;
            }
            let start = p + 1;
            if start >= text.len() {
                break;
            }
            let end = line_end(start);
            p = end;
            let line = text[start..end].trim();
            if line.is_empty() || line.starts_with("Ngày Trạng thái") {
                continue;
            }
            let row = start + (text[start..end].len() - text[start..end].trim_start().len());
            let Some(d) = date_at(text, row) else {
                break;
            };
            if !matches!(d.value, DateValue::Full(_)) {
                break;
            }
            let rest = text[d.end..end].trim_start();
            let status_start = end - rest.len();
            let Some((word, r)) = HISTORY_STATUSES.iter().find(|(w, _)| rest.starts_with(w)) else {
                continue;
            };
            let Some(r) = *r else {
                continue;
            };
            let Some(source) = first_on(status_start + word.len(), end) else {
                continue;
            };
            if source.doc != subject.doc && kind_allows(r, documents[source.doc].kind) {
                found.push((
                    status_start,
                    Relation {
                        kind: r,
                        from: source.doc,
                        to: subject.doc,
                    },
                ));
            }
        }
        resume = p;
    }
}

/// After a list marker at `p` (`1.`, `12)`, `a)`, `-`, `–`, `+`, `•`) and the
/// space after it: the first byte of the item; else `p`.
fn skip_list_marker(text: &str, p: usize) -> usize {
    let rest = &text[p..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if (1..=3).contains(&digits) && rest[digits..].starts_with(['.', ')']) {
        digits + 1
    } else if rest.len() > 1
        && rest.as_bytes()[0].is_ascii_lowercase()
        && rest.as_bytes()[1] == b')'
    {
        2
    } else if let Some(c) = ['-', '–', '+', '•'].iter().find(|c| rest.starts_with(**c)) {
        c.len_utf8()
    } else {
        0
    };
    if marker == 0 || !rest[marker..].starts_with(' ') {
        return p;
    }
    p + marker + 1
}

/// True when the relation's subject is dated before its object: a text
/// cannot replace, amend, repeal, guide, carry out or review one issued
/// after it (`Kế hoạch số 25 ngày 30/11/2016 thực hiện Kết luận 100 … và
/// Kết luận 111 ngày 14/8/2017` lists 111 beside the plan, not under it).
/// Years decide when a date is missing on either side.
fn earlier_than_object(documents: &[Document], r: &Relation) -> bool {
    let (Some(a), Some(b)) = (documents.get(r.from), documents.get(r.to)) else {
        return false;
    };
    match (a.date, b.date) {
        (Some(x), Some(y)) => x < y,
        _ => matches!((a.year, b.year), (Some(x), Some(y)) if x < y),
    }
}

/// `<kind> này thay thế B` opening a sentence of a text without a header:
/// `này` points back to the document just named, so A is the one document
/// of that kind mentioned in the previous sentence (`Ngày 10/10/2024, …
/// ban hành Quyết định số 190-QĐ/TW … . Quyết định này thay thế Quyết định
/// số 244-QĐ/TW.`). Two documents of that kind there: nothing.
fn this_one_replaces(
    ctx: &Context,
    documents: &[Document],
    ms: &[M],
    found: &mut Vec<(usize, Relation)>,
) {
    let text = ctx.text;
    for k in 1..ms.len() {
        let b = ms[k];
        let before = text[..b.start].trim_end_matches(' ');
        let Some((r, cue)) = CUES
            .iter()
            .filter(|(_, r)| is_strong(*r))
            .find_map(|&(c, r)| before.strip_suffix(c).map(|s| (r, s.len())))
        else {
            continue;
        };
        let mut subj = text[..cue].trim_end_matches(' ');
        for adv in [" đã", " sẽ"] {
            subj = subj.strip_suffix(adv).unwrap_or(subj);
        }
        let kw_end = match subj.strip_suffix(" này") {
            Some(k) => k.len(),
            // `Quyết định này có hiệu lực sau 10 ngày kể từ ngày ký và thay
            // thế B`: an effect clause between `<kind> này` and the cue.
            // Looked for in the 200 bytes before the cue only (linear).
            None => {
                let lo = ceil_char(subj, subj.len().saturating_sub(200));
                match subj[lo..].rfind(" này ").map(|k| lo + k) {
                    Some(p) if clause_cue(text, p + " này ".len(), b.start).is_some() => p,
                    _ => continue,
                }
            }
        };
        let Some((ks, kind)) = kind_word_before(text, kw_end) else {
            continue;
        };
        let (s0, _) = ctx.sentence(ks);
        if s0 != ks {
            continue;
        }
        // The previous sentence, right before this one.
        let prev_end = text[..s0].trim_end_matches([' ', '\n']).len();
        if prev_end == 0 || ms[k - 1].start >= s0 {
            continue;
        }
        let (p0, _) = ctx.sentence(prev_end - 1);
        let mut subject = None;
        let mut single = true;
        for m in ms[..k].iter().rev() {
            if m.start < p0 {
                break;
            }
            if documents[m.doc].kind != kind {
                continue;
            }
            match subject {
                None => subject = Some(m.doc),
                Some(d) if d != m.doc => single = false,
                _ => {}
            }
        }
        if let (Some(a), true) = (subject, single) {
            if a != b.doc {
                found.push((
                    cue,
                    Relation {
                        kind: r,
                        from: a,
                        to: b.doc,
                    },
                ));
            }
        }
    }
}

/// Most citations inside a fronted purpose clause's object that are passed
/// over on the way to the document it introduces.
const MAX_NESTED_CITATIONS: usize = 4;

/// Purpose clauses that open a sentence (`Thực hiện B, …`), lower case
/// after the first letter, longest first.
const PURPOSE_CUES: &[&str] = &[
    "thi hành",
    "để triển khai thực hiện",
    "nhằm triển khai thực hiện",
    "triển khai thực hiện",
    "tiếp tục thực hiện",
    "để triển khai",
    "nhằm triển khai",
    "để thực hiện",
    "nhằm thực hiện",
    "để cụ thể hóa",
    "nhằm cụ thể hóa",
    "thực hiện",
    "triển khai",
];

/// Verbs of the main clause that end right before the plan it issues.
const ISSUING_VERBS: &[&str] = &["ban hành", "xây dựng"];

/// Most words of the main clause's subject and verb (`Ban Thường vụ Tỉnh
/// ủy đã ban hành`).
const MAX_ISSUING_CLAUSE_WORDS: usize = 14;

/// `Thực hiện B, X (đã) ban hành A`: a sentence opened by a purpose clause
/// on B (a list B1, B2 và B3 gives each) whose main clause issues a plan or
/// programme A: A implements B (a guidance A guides B). The opening may
/// follow a short lead (`Ngày 8/4/2022, thực hiện …`). The main clause is
/// what follows the last comma before A: a subject and an issuing verb,
/// nothing else, so `Thực hiện B, Tỉnh ủy tổ chức hội nghị quán triệt A`
/// relates nothing. Linear: each mention opens at most one look at its
/// sentence's start and its list.
fn fronted_purpose(
    ctx: &Context,
    documents: &[Document],
    ms: &[M],
    found: &mut Vec<(usize, Relation)>,
) {
    let text = ctx.text;
    let mut k = 0;
    while k < ms.len() {
        let b0 = ms[k];
        k += 1;
        let before = text[..b0.start].trim_end_matches(' ');
        let Some(cue_at) = PURPOSE_CUES.iter().find_map(|c| {
            // `c` and its capitalised form have the same length in bytes
            // (`đ`/`Đ`, `t`/`T`).
            let at = before.len().checked_sub(c.len())?;
            let w = before.get(at..)?;
            let rest = strip_word_ci(w, c)?;
            (rest.is_empty() && !text[..at].ends_with(|ch: char| ch.is_alphanumeric()))
                .then_some(at)
        }) else {
            continue;
        };
        let (s0, s1) = ctx.sentence(b0.start);
        if cue_at < s0 {
            continue;
        }
        let lead = text[s0..cue_at].trim();
        let lead_ok = lead.is_empty()
            || (lead.ends_with(',')
                && lead.split(' ').count() <= 6
                && !lead[..lead.len() - 1].contains([',', ';', ':', '(', ')', '"', '.']));
        if !lead_ok {
            continue;
        }
        // B and the items listed after it.
        let mut objects = vec![b0.doc];
        let mut prev = b0;
        let mut j = k;
        while j < ms.len() && ms[j].start < s1 {
            let c = ms[j];
            if c.start < prev.end {
                break;
            }
            let t = tail_end(text, prev.end, c.start).clamp(prev.end, c.start);
            if !is_list_separator(text[t..c.start].trim())
                && !title_then_and(
                    &text[tail_end_with_title(text, prev.end, c.start).clamp(t, c.start)..c.start],
                )
            {
                break;
            }
            objects.push(c.doc);
            prev = c;
            j += 1;
        }
        // B's alias (`(Nghị quyết số 57-NQ/TW)`) and repeats are still B.
        while j < ms.len() && ms[j].start < s1 && objects.contains(&ms[j].doc) {
            prev = ms[j];
            j += 1;
        }
        // A: the next mention of the sentence, after `, <subject> ban hành`.
        // Citations inside B's own title come first (`Thực hiện Kế hoạch
        // số 12-KH/TU … về thực hiện Nghị quyết số 18-NQ/TW …, Huyện ủy ban
        // hành Kế hoạch số 45-KH/HU`): passed over, a few at most.
        let mut nested = 0;
        while nested < MAX_NESTED_CITATIONS
            && ms.get(j + 1).is_some_and(|n| n.start < s1)
            && ms
                .get(j)
                .is_some_and(|a| a.start >= prev.end && !text[prev.end..a.start].contains(", "))
        {
            j += 1;
            nested += 1;
        }
        let Some(&a) = ms.get(j).filter(|a| a.start < s1 && a.start >= prev.end) else {
            // No numbered A: in a plan's own text, `…, <subject> ban hành
            // Kế hoạch thực hiện như sau` issues the plan itself.
            if let Some((me, r)) = self_plan_issued(text, documents, ms, prev.end, s1) {
                push_purpose(found, cue_at, r, me, &objects);
            }
            continue;
        };
        k = j;
        let gap = &text[prev.end..a.start];
        let Some(comma) = gap.rfind(", ") else {
            continue;
        };
        let clause = gap[comma + 2..].trim_end();
        if clause.split(' ').count() > MAX_ISSUING_CLAUSE_WORDS
            || clause.contains([',', ';', ':', '(', ')', '"', '.', '\n'])
            || !ISSUING_VERBS.iter().any(|v| clause.ends_with(v))
        {
            continue;
        }
        // The purpose clause runs up to that comma: B's tail, no sentence
        // of its own (a `;` or `:` ends it).
        if gap[..comma].contains([';', ':', '\n']) {
            continue;
        }
        // A plan or programme implements, a guidance guides; other kinds
        // relate nothing.
        let r = match documents[a.doc].kind {
            K::KeHoach | K::ChuongTrinh => R::Implements,
            K::HuongDan => R::Guides,
            _ => continue,
        };
        push_purpose(found, cue_at, r, a.doc, &objects);
    }
}

/// Most words of a title's continuation before ` và` that lists the next
/// object of a purpose clause.
const MAX_TITLE_REST_WORDS: usize = 24;

/// `(2021 - 2025) theo Nghị quyết Đại hội … của Đảng và `: the rest of the
/// previous object's title, past where its tail was cut, then ` và` right
/// before the next citation: that citation is listed, not nested (a nested
/// one follows `về`/`thực hiện` inside the title, not `và`). No comma,
/// semicolon or colon: those end the purpose clause or its list item.
fn title_then_and(gap: &str) -> bool {
    let g = gap.trim_end();
    g.ends_with(" và")
        && !g.contains([',', ';', ':', '\n', '.'])
        && g.split(' ').count() <= MAX_TITLE_REST_WORDS
}

/// The relations `r` of a fronted purpose clause on `objects` whose main
/// clause issues document `a`.
fn push_purpose(
    found: &mut Vec<(usize, Relation)>,
    cue_at: usize,
    r: R,
    a: usize,
    objects: &[usize],
) {
    for &b in objects {
        if b != a {
            found.push((
                cue_at,
                Relation {
                    kind: r,
                    from: a,
                    to: b,
                },
            ));
        }
    }
}

/// The text's own document (its first, cited on a `Số:` line near the top
/// of the text, as an official document's header does), if any.
fn self_document(text: &str, documents: &[Document]) -> Option<usize> {
    let m0 = documents.first()?.mentions.first()?;
    if m0.start > 8192 || m0.start > text.len() || !text.is_char_boundary(m0.start) {
        return None;
    }
    let ls = text[..m0.start].rfind('\n').map_or(0, |i| i + 1);
    let lead = text[ls..m0.start].trim();
    matches!(lead, "Số" | "Số:" | "SỐ" | "SỐ:").then_some(0)
}

/// Kind words that name a plan or programme without its number.
const SELF_KIND_WORDS: &[(&str, K)] = &[("Kế hoạch", K::KeHoach), ("Chương trình", K::ChuongTrinh)];

/// How a guidance's own text says it guides, after its subject (`…, Bộ Nội
/// vụ hướng dẫn thực hiện như sau:`).
const SELF_GUIDING: &[&str] = &[
    "hướng dẫn thực hiện",
    "hướng dẫn thi hành",
    "hướng dẫn như sau",
    "hướng dẫn cụ thể",
    "hướng dẫn một số",
];

/// In a document's own text, the main clause after a fronted purpose
/// clause that ends in `text[from..s1]` and issues the text itself, with
/// the relation it gives: `, <subject> ban hành Kế hoạch …` with no number
/// after the kind word in a plan's or programme's text (implements:
/// `Thực hiện Chỉ thị số 19/CT-TTg …, Ủy ban nhân dân tỉnh ban hành Kế
/// hoạch tổ chức thực hiện như sau:`), `, <subject> hướng dẫn thực hiện như
/// sau` in a circular's or guidance's (guides: `Thi hành Nghị định số
/// 115/2003/NĐ-CP …, Bộ Nội vụ hướng dẫn thực hiện như sau:`). No other
/// citation may stand between `from` and that phrase.
fn self_plan_issued(
    text: &str,
    documents: &[Document],
    ms: &[M],
    from: usize,
    s1: usize,
) -> Option<(usize, R)> {
    let me = self_document(text, documents)?;
    let kind = documents[me].kind;
    let end = floor_char(text, s1.min(text.len()).min(from + 1024));
    let rest = text.get(from..end)?;
    // The first issuing phrase, and the last comma before it: the main
    // clause is what lies between (the object's title may hold commas).
    let (verb_at, phrase_end, r) =
        if let Some((word, _)) = SELF_KIND_WORDS.iter().find(|(_, k)| *k == kind) {
            let (verb_at, kw_at) = ISSUING_VERBS
                .iter()
                .filter_map(|v| {
                    let at = rest.find(&format!("{v} {word}"))?;
                    Some((at, at + v.len() + 1))
                })
                .min()?;
            let after = rest[kw_at + word.len()..].trim_start();
            if after.starts_with(|c: char| c.is_ascii_digit()) || after.starts_with("số") {
                return None;
            }
            (verb_at, kw_at + word.len(), R::Implements)
        } else if matches!(kind, K::ThongTu | K::HuongDan) {
            let (at, len) = SELF_GUIDING
                .iter()
                .filter_map(|p| rest.find(p).map(|at| (at, p.len())))
                .min()?;
            (at, at + len, R::Guides)
        } else {
            return None;
        };
    let comma = rest[..verb_at].rfind(", ")?;
    if rest[..comma].contains([';', ':', '\n']) {
        return None;
    }
    let clause = rest[comma + 2..verb_at].trim_end();
    if clause.is_empty()
        || clause.split(' ').count() > MAX_ISSUING_CLAUSE_WORDS
        || clause.contains([',', ';', ':', '(', ')', '"', '.', '\n'])
    {
        return None;
    }
    // No citation between the purpose clause's object and the phrase.
    let first = ms.partition_point(|m| m.start < from);
    if ms.get(first).is_some_and(|m| m.start < from + phrase_end) {
        return None;
    }
    Some((me, r))
}

/// Cues that open an article of a document's own text and act on the
/// document cited after them, lower case after the first letter.
const ARTICLE_CUES: &[(&str, R)] = &[
    ("bãi bỏ", R::Repeals),
    ("thay thế", R::Replaces),
    ("sửa đổi, bổ sung", R::Amends),
];

/// In a document's own text (a `Số:` header), an article or list item that
/// opens with its verb (`Điều 3. Bãi bỏ Quyết định số 40/2016/QĐ-UBND …`,
/// `2. Sửa đổi, bổ sung một số điều của Thông tư số …`) acts on the
/// document cited right after it (a short filler between: `khoản 2 Điều 5
/// của`): the text itself repeals, replaces or amends it. Linear: each
/// mention looks back to its line's start once.
fn article_acts(text: &str, documents: &[Document], ms: &[M], found: &mut Vec<(usize, Relation)>) {
    let Some(me) = self_document(text, documents) else {
        return;
    };
    for m in ms {
        if m.doc == me || m.start > text.len() || !text.is_char_boundary(m.start) {
            continue;
        }
        let lo = floor_char(text, m.start.saturating_sub(160));
        let ls = text[lo..m.start].rfind('\n').map_or(lo, |i| lo + i + 1);
        if ls == lo && lo > 0 {
            continue; // the line is longer than the window: no article opening
        }
        // `Điều 3.`, `3.`, `a)`, `-`: the article or item marker.
        let body = skip_list_marker(text, ls);
        let body = if let Some(rest) = strip_word_ci(&text[body..m.start], "điều") {
            let r = rest.trim_start();
            let digits = r.len() - r.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits == 0 {
                continue;
            }
            m.start
                - r[digits..]
                    .trim_start_matches(['.', ':'])
                    .trim_start()
                    .len()
        } else {
            body
        };
        if body < ls || body > m.start {
            continue;
        }
        let head = &text[body..m.start];
        let Some((r, cue_len)) = ARTICLE_CUES.iter().find_map(|&(c, r)| {
            let rest = strip_word_ci(head, c)?;
            Some((r, head.len() - rest.len()))
        }) else {
            continue;
        };
        if !is_filler(&head[cue_len..]) {
            continue;
        }
        found.push((
            body,
            Relation {
                kind: r,
                from: me,
                to: m.doc,
            },
        ));
    }
}

/// Cues that open the subject line of a plan's own text (`KẾ HOẠCH` /
/// `thực hiện Quy định số 58-QĐ/TW …`).
const HEADER_IMPLEMENTS: &[&str] = &[
    "triển khai thực hiện ",
    "tiếp tục thực hiện ",
    "thực hiện ",
    "về việc thực hiện ",
    "về thực hiện ",
];

/// Cues that open the subject line of any document's own text, with the
/// relation they give (`THÔNG TƯ` / `Hướng dẫn thực hiện Nghị định số
/// 115/2003/NĐ-CP …`), longest first; the kind must allow the relation.
const HEADER_CUES: &[(&str, R)] = &[
    ("hướng dẫn thực hiện ", R::Guides),
    ("hướng dẫn thi hành ", R::Guides),
    ("quy định chi tiết thi hành ", R::Guides),
    ("sửa đổi, bổ sung một số điều của ", R::Amends),
    ("sửa đổi, bổ sung ", R::Amends),
    ("bãi bỏ ", R::Repeals),
];

/// A document's own text whose subject line (after the kind heading)
/// begins with a cue on B acts on B (and each item of a list after it): a
/// plan or programme's `thực hiện <B>` implements B, a circular's or
/// guidance's `Hướng dẫn thực hiện <B>` guides it, any kind's `Sửa đổi, bổ
/// sung một số điều của <B>` amends it and `Bãi bỏ <B>` repeals it.
fn header_acts(text: &str, documents: &[Document], ms: &[M], found: &mut Vec<(usize, Relation)>) {
    let Some(doc0) = documents.first() else {
        return;
    };

    // The self document's mention is the number-symbol of a `Số:` line.
    let (Some(_), Some(m0)) = (self_document(text, documents), doc0.mentions.first()) else {
        return;
    };
    let window = &text[m0.end..floor_char(text, (m0.end + 2048).min(text.len()))];
    let mut pos = m0.end;
    let mut lines = window.split('\n');
    let mut subject_line = None;
    for line in lines.by_ref().take(12) {
        pos += line.len() + 1;
        if heading_kind(line) == Some(doc0.kind) {
            // The subject line, past blank lines (`KẾ HOẠCH` / `` /
            // `THỰC HIỆN CHỈ THỊ SỐ 19/CT-TTG …`).
            for l in lines.by_ref().take(3) {
                if l.trim().is_empty() {
                    pos += l.len() + 1;
                    continue;
                }
                subject_line = Some((pos, l));
                break;
            }
            break;
        }
    }
    let Some((ls, line)) = subject_line else {
        return;
    };
    let t = line.trim_start();
    let starts = |c: &str| t.get(..c.len()).is_some_and(|h| h.to_lowercase() == c);
    let plan = matches!(doc0.kind, K::KeHoach | K::ChuongTrinh);
    let Some((cue_len, r)) = HEADER_CUES
        .iter()
        .filter(|(_, r)| kind_allows(*r, doc0.kind))
        .find(|(c, _)| starts(c))
        .map(|(c, r)| (c.len(), *r))
        .or_else(|| {
            HEADER_IMPLEMENTS
                .iter()
                .filter(|_| plan)
                .find(|c| starts(c))
                .map(|c| (c.len(), R::Implements))
        })
    else {
        return;
    };
    let cue = ls + (line.len() - t.len());
    let le = ls + line.len();
    let Some(k) = ms.iter().position(|m| m.start >= cue && m.start < le) else {
        return;
    };
    if !is_filler(&text[cue + cue_len..ms[k].start]) {
        return;
    }
    let mut prev = ms[k];
    if prev.doc != 0 {
        found.push((
            cue,
            Relation {
                kind: r,
                from: 0,
                to: prev.doc,
            },
        ));
    }
    for &c in &ms[k + 1..] {
        if c.start < prev.end || c.start >= le {
            break;
        }
        let t = tail_end(text, prev.end, c.start).clamp(prev.end, c.start);
        if !is_list_separator(text[t..c.start].trim()) {
            break;
        }
        if c.doc != 0 {
            found.push((
                cue,
                Relation {
                    kind: r,
                    from: 0,
                    to: c.doc,
                },
            ));
        }
        prev = c;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RelationKind;

    fn rels(text: &str) -> Vec<(RelationKind, usize, usize)> {
        let ctx = Context::new(text, None, None);
        let docs = crate::documents::extract(&ctx).documents;
        extract(&ctx, &docs)
            .into_iter()
            .map(|r| (r.kind, r.from, r.to))
            .collect()
    }

    #[test]
    fn replaces_active_with_tail() {
        let t = "Quy định số 58-QĐ/TW ngày 8/2/2022 của Bộ Chính trị về bảo vệ chính trị nội bộ thay thế Quy định số 126-QĐ/TW.";
        assert_eq!(rels(t), vec![(R::Replaces, 0, 1)]);
    }

    #[test]
    fn replaces_passive_forms() {
        let t = "Quy định số 126-QĐ/TW được thay thế bằng Quy định số 58-QĐ/TW.";
        assert_eq!(rels(t), vec![(R::Replaces, 1, 0)]);
        let t2 =
            "Bộ Chính trị quyết định thay thế Quy định số 126-QĐ/TW bằng Quy định số 58-QĐ/TW.";
        assert_eq!(rels(t2), vec![(R::Replaces, 1, 0)]);
    }

    #[test]
    fn passive_amends_with_list() {
        let t = "Luật Đất đai số 45/2013/QH13 đã được sửa đổi, bổ sung một số điều theo Luật số 35/2018/QH14 và Luật số 59/2020/QH14.";
        assert_eq!(rels(t), vec![(R::Amends, 1, 0), (R::Amends, 2, 0)]);
    }

    #[test]
    fn amends_repeals_guides() {
        assert_eq!(
            rels("Luật số 35/2018/QH14 sửa đổi, bổ sung một số điều của Luật số 22/2008/QH12."),
            vec![(R::Amends, 0, 1)]
        );
        assert_eq!(
            rels("Nghị định 10/2021/NĐ-CP bãi bỏ Nghị định 30/2015/NĐ-CP."),
            vec![(R::Repeals, 0, 1)]
        );
        assert_eq!(
            rels("Quyết định số 12/QĐ-UBND ngày 3/4/2021 của UBND tỉnh về việc bãi bỏ Quyết định số 5/QĐ-UBND."),
            vec![(R::Repeals, 0, 1)]
        );
        assert_eq!(
            rels("Hướng dẫn số 19-HD/BTCTW hướng dẫn thực hiện Quy định số 126-QĐ/TW."),
            vec![(R::Guides, 0, 1)]
        );
    }

    #[test]
    fn implements_needs_plan_kind_and_lists() {
        assert_eq!(
            rels("Kế hoạch số 25-KH/TU về thực hiện Nghị quyết số 18-NQ/TW và 19-NQ/TW."),
            vec![(R::Implements, 0, 1), (R::Implements, 0, 2)]
        );
        assert!(rels("Chỉ thị số 05-CT/TW thực hiện Nghị quyết số 18-NQ/TW.").is_empty());
    }

    #[test]
    fn reviews() {
        assert_eq!(
            rels("Kết luận số 21-KL/TW tổng kết 10 năm thực hiện Nghị quyết số 18-NQ/TW."),
            vec![(R::Reviews, 0, 1)]
        );
    }

    #[test]
    fn self_document_replaces() {
        let t =
            "BỘ CHÍNH TRỊ\nSố: 58-QĐ/TW\nQUY ĐỊNH\nQuy định này thay thế Quy định số 126-QĐ/TW.";
        assert_eq!(rels(t), vec![(R::Replaces, 0, 1)]);
    }

    #[test]
    fn replaces_after_apposition_title_comma_or_issue_clause() {
        let t = "Quy định số 58-QĐ/TW gồm 6 chương, 22 điều, thay thế Quy định số 126-QĐ/TW.";
        assert_eq!(rels(t), vec![(R::Replaces, 0, 1)]);
        let t2 = "Quyết định số 190-QĐ/TW về Quy chế bầu cử trong Đảng, thay thế Quyết định số 244-QĐ/TW.";
        assert_eq!(rels(t2), vec![(R::Replaces, 0, 1)]);
        let t3 = "Nghị định 30/2020/NĐ-CP về công tác văn thư, được ban hành ngày 5/3/2020 và thay thế Nghị định số 110/2004/NĐ-CP.";
        assert_eq!(rels(t3), vec![(R::Replaces, 0, 1)]);
        // A clause with its own subject is no apposition.
        let t4 = "Quy định số 58-QĐ/TW gồm 6 chương, các tỉnh đã thay thế Quyết định số 12-QĐ/TU.";
        assert!(rels(t4).is_empty());
    }

    #[test]
    fn this_one_points_back_to_the_only_document_of_its_kind() {
        let t = "Bộ Chính trị ban hành Quyết định số 190-QĐ/TW. Quyết định này thay thế Quyết định số 244-QĐ/TW.";
        assert_eq!(rels(t), vec![(R::Replaces, 0, 1)]);
        let two = "Hội nghị bàn Quyết định số 190-QĐ/TW và Quyết định số 12-QĐ/TW. Quyết định này thay thế Quyết định số 244-QĐ/TW.";
        assert!(rels(two).is_empty());
        let other_kind = "Bộ Chính trị ban hành Quy định số 58-QĐ/TW. Quyết định này thay thế Quyết định số 244-QĐ/TW.";
        assert!(rels(other_kind).is_empty());
    }

    #[test]
    fn plan_header_subject_line_implements() {
        let t = "TỈNH ỦY HÀ NAM\nSố 95-KH/TU\nKẾ HOẠCH\nthực hiện Quy định số 58-QĐ/TW và Hướng dẫn số 01-HD/BTCTW\nNội dung.";
        assert_eq!(rels(t), vec![(R::Implements, 0, 1), (R::Implements, 0, 2)]);
        let no = "TỈNH ỦY HÀ NAM\nSố 95-KH/TU\nKẾ HOẠCH\ntổ chức quán triệt Quy định số 58-QĐ/TW\nNội dung.";
        assert!(rels(no).is_empty());
    }

    #[test]
    fn copula_apposition_and_reporting_verbs_lead_to_the_cue() {
        let t = "Quy định số 58 là văn bản thay thế Quy định số 126-QĐ/TW ngày 28/2/2018 của Bộ Chính trị.";
        assert_eq!(rels(t), vec![(R::Replaces, 0, 1)]);
        let t2 = "Quy định 58-QĐ/TW ngày 8/2/2022 của Bộ Chính trị về bảo vệ chính trị nội bộ (Quy định 58) là Quy định mới thay thế Quy định số 126-QĐ/TW.";
        assert_eq!(rels(t2), vec![(R::Replaces, 0, 1)]);
        let t3 = "Quyết định 1269/QĐ-TTg nêu rõ, bãi bỏ Quyết định số 447/QĐ-TTg ngày 01 tháng 04 năm 2020 của Thủ tướng Chính phủ.";
        assert_eq!(rels(t3), vec![(R::Repeals, 0, 1)]);
        let t4 = "Nghị định số 30/2020/NĐ-CP (sau đây gọi là Nghị định 30) ra đời thay thế Nghị định số 110/2004/NĐ-CP.";
        assert_eq!(rels(t4), vec![(R::Replaces, 0, 1)]);
        // A new noun phrase is another subject: `và dự thảo Quyết định mới`.
        let t5 = "Hội nghị quán triệt Quy định số 58-QĐ/TW và dự thảo Quyết định mới thay thế Quyết định số 266-QĐ/TW.";
        assert!(rels(t5).is_empty());
    }

    #[test]
    fn effect_clause_then_replaces_and_guidance_carrying_out() {
        let t = "Quyết định số 14/2014/QĐ-UBND có hiệu lực sau 10 ngày kể từ ngày ký và thay thế Quyết định số 44/2010/QĐ-UBND ngày 28/10/2010 của UBND tỉnh Long An.";
        assert_eq!(rels(t), vec![(R::Replaces, 0, 1)]);
        let t2 = "Quyết định số 15/2015/QĐ-UBND có hiệu lực từ ngày 20/3/2015 và thay thế Quyết định số 44/2010/QĐ-UBND.";
        assert_eq!(rels(t2), vec![(R::Replaces, 0, 1)]);
        let t3 = "Hướng dẫn số 01-HD/BTCTW ngày 5/8/2022 của Ban Tổ chức Trung ương thực hiện Quy định số 58-QĐ/TW ngày 8/2/2022.";
        assert_eq!(rels(t3), vec![(R::Guides, 0, 1)]);
        let t4 = "Thông tư số 01/2018/TT-VPCP hướng dẫn thi hành Nghị định số 61/2018/NĐ-CP.";
        assert_eq!(rels(t4), vec![(R::Guides, 0, 1)]);
    }

    #[test]
    fn lists_after_semicolons_colons_and_second_predicates() {
        let t = "Báo cáo số 15-BC/TU ngày 10/12/2022 sơ kết 1 năm thực hiện Nghị quyết số 06-NQ/TU ngày 3/11/2021 của Tỉnh ủy; Chương trình số 09-CTr/TU ngày 5/11/2021 của Tỉnh ủy.";
        assert_eq!(rels(t), vec![(R::Reviews, 0, 1), (R::Reviews, 0, 2)]);
        let t2 = "Báo cáo số 15-BC/TU ngày 10/12/2022 sơ kết 1 năm thực hiện: Nghị quyết số 06-NQ/TU ngày 3/11/2021 của Tỉnh ủy.";
        assert_eq!(rels(t2), vec![(R::Reviews, 0, 1)]);
        let t3 = "Nghị định số 10/2024/NĐ-CP sửa đổi, bổ sung Nghị định số 30/2020/NĐ-CP và bãi bỏ Thông tư số 01/2011/TT-BNV.";
        assert_eq!(rels(t3), vec![(R::Amends, 0, 1), (R::Repeals, 0, 2)]);
        // A sentence after `.` is not the list.
        let t4 = "Quy định số 58-QĐ/TW thay thế Quy định số 126-QĐ/TW. Quy định số 57-QĐ/TW có hiệu lực.";
        assert_eq!(rels(t4), vec![(R::Replaces, 0, 1)]);
    }

    #[test]
    fn a_text_cannot_act_on_a_later_one() {
        let t = "Kế hoạch số 25-KH/TU ngày 30/11/2016 của Ban Thường vụ Tỉnh ủy thực hiện Kết luận số 100-KL/TW ngày 18/8/2014 của Ban Bí thư và Kết luận số 111-KL/TU ngày 14/8/2017 của Ban Thường vụ Tỉnh ủy.";
        assert_eq!(rels(t), vec![(R::Implements, 0, 1)]);
    }

    #[test]
    fn no_cue_or_other_sentence_gives_nothing() {
        assert!(rels("Quy định số 58-QĐ/TW và Quy định số 126-QĐ/TW.").is_empty());
        assert!(
            rels("Quy định số 58-QĐ/TW đã ban hành. Thay thế Quy định số 126-QĐ/TW là cần.")
                .is_empty()
        );
        assert!(rels("Quy định số 58-QĐ/TW thay thế quy định cũ.").is_empty());
    }
}
