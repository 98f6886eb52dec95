//! How facts are laid into table rows and read back, shared by both
//! backends: the contract's codes for kinds, ISO dates, JSON lists, and the
//! assembly of rows (ordered by source id, then index) into [`SourceFacts`].
//!
//! Reading must rebuild exactly what was inserted; anything that does not
//! decode is [`Error::Corrupt`], never a panic.

use crate::{Error, NewSource, Result, SourceFacts};
use chrono::NaiveDate;
use serde::de::IntoDeserializer;
use serde::Deserialize;
use vanban_extract::{
    Document, DocumentKind, Event, EventKind, Extraction, Official, Relation, RelationKind, Span,
};

/// Now, UTC, as `YYYY-MM-DDTHH:MM:SSZ` (no clock feature needed).
pub(crate) fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// A date as stored: `YYYY-MM-DD`.
pub(crate) fn date_text(date: Option<NaiveDate>) -> Option<String> {
    date.map(crate::iso)
}

/// Reads a stored `YYYY-MM-DD` date.
pub(crate) fn parse_date(text: &str) -> Result<NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let parsed = if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        match (digits(0..4), digits(5..7), digits(8..10)) {
            (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d),
            _ => None,
        }
    } else {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    };
    parsed.ok_or_else(|| Error::Corrupt(format!("a stored date is not YYYY-MM-DD: {text:?}")))
}

/// Reads an optional stored date.
pub(crate) fn parse_opt_date(text: Option<&str>) -> Result<Option<NaiveDate>> {
    text.map(parse_date).transpose()
}

/// A date read back as days since 2000-01-01 (PostgreSQL's own epoch,
/// cheaper to send than text).
pub(crate) fn opt_date_from_days(days: Option<i32>) -> Result<Option<NaiveDate>> {
    let Some(days) = days else { return Ok(None) };
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let n = chrono::Days::new(u64::from(days.unsigned_abs()));
    let date = if days >= 0 {
        epoch.checked_add_days(n)
    } else {
        epoch.checked_sub_days(n)
    };
    date.map(Some)
        .ok_or_else(|| Error::Corrupt(format!("a stored date is out of range: {days} days")))
}

fn from_code<'de, T: Deserialize<'de>>(code: &'de str, what: &str) -> Result<T> {
    let de: serde::de::value::StrDeserializer<'de, serde::de::value::Error> =
        code.into_deserializer();
    T::deserialize(de).map_err(|_| Error::Corrupt(format!("unknown {what} code {code:?}")))
}

/// The contract's code of a kind, through its serde name.
pub(crate) fn to_code<T: serde::Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

pub(crate) fn parse_kind(code: &str) -> Result<DocumentKind> {
    from_code(code, "document kind")
}

pub(crate) fn parse_relation_kind(code: &str) -> Result<RelationKind> {
    from_code(code, "relation type")
}

pub(crate) fn parse_event_kind(code: &str) -> Result<EventKind> {
    from_code(code, "event type")
}

/// `[[start,end],...]`.
pub(crate) fn spans_json(spans: &[Span]) -> String {
    let mut out = String::with_capacity(2 + spans.len() * 14);
    out.push('[');
    for (i, s) in spans.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        out.push_str(&s.start.to_string());
        out.push(',');
        out.push_str(&s.end.to_string());
        out.push(']');
    }
    out.push(']');
    out
}

pub(crate) fn parse_spans(json: &str) -> Result<Vec<Span>> {
    let pairs: Vec<(usize, usize)> = serde_json::from_str(json)
        .map_err(|e| Error::Corrupt(format!("stored mention spans {json:?}: {e}")))?;
    Ok(pairs
        .into_iter()
        .map(|(start, end)| Span { start, end })
        .collect())
}

pub(crate) fn indexes_json(indexes: &[usize]) -> String {
    serde_json::to_string(indexes).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn parse_indexes(json: &str) -> Result<Vec<usize>> {
    serde_json::from_str(json)
        .map_err(|e| Error::Corrupt(format!("stored document indexes {json:?}: {e}")))
}

pub(crate) fn strings_json(strings: &[String]) -> String {
    serde_json::to_string(strings).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn parse_strings(json: &str) -> Result<Vec<String>> {
    serde_json::from_str(json)
        .map_err(|e| Error::Corrupt(format!("stored positions {json:?}: {e}")))
}

/// An index (position in a list, byte offset) as a database integer.
pub(crate) fn int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A stored index back to `usize`.
pub(crate) fn index(n: i64) -> Result<usize> {
    usize::try_from(n).map_err(|_| Error::Corrupt(format!("a stored index is negative: {n}")))
}

/// One source ready to be written: every column already encoded.
pub(crate) struct SourceRow<'a> {
    pub hash: &'a str,
    pub source: &'a str,
    pub published: Option<String>,
    pub title: &'a str,
    pub text: &'a str,
    pub bytes: i64,
    pub documents: Vec<DocumentRow<'a>>,
    pub relations: Vec<RelationRow>,
    pub events: Vec<EventRow<'a>>,
    pub officials: Vec<OfficialRow<'a>>,
}

pub(crate) struct DocumentRow<'a> {
    pub kind: &'static str,
    pub number: Option<&'a str>,
    pub symbol: Option<&'a str>,
    pub year: Option<i32>,
    pub date: Option<String>,
    pub issuer: Option<&'a str>,
    pub title: Option<&'a str>,
    pub spans: String,
    pub excerpt: String,
}

pub(crate) struct RelationRow {
    pub kind: String,
    pub from: i64,
    pub to: i64,
}

pub(crate) struct EventRow<'a> {
    pub kind: String,
    pub date: Option<String>,
    pub end_date: Option<String>,
    pub province: Option<&'a str>,
    pub organizer: Option<&'a str>,
    pub documents: String,
}

pub(crate) struct OfficialRow<'a> {
    pub name: &'a str,
    pub positions: String,
}

/// Encodes one source for writing; the excerpt of each document is taken
/// around its first mention (empty when it has none).
pub(crate) fn encode(s: &NewSource) -> SourceRow<'_> {
    let x = &s.extraction;
    SourceRow {
        hash: &s.hash,
        source: &x.source,
        published: date_text(x.published),
        title: &s.title,
        text: &s.text,
        bytes: i64::try_from(s.bytes).unwrap_or(i64::MAX),
        documents: x
            .documents
            .iter()
            .map(|d| DocumentRow {
                kind: d.kind.code(),
                number: d.number.as_deref(),
                symbol: d.symbol.as_deref(),
                year: d.year,
                date: date_text(d.date),
                issuer: d.issuer.as_deref(),
                title: d.title.as_deref(),
                spans: spans_json(&d.mentions),
                excerpt: d
                    .mentions
                    .first()
                    .map(|span| crate::excerpt(&s.text, *span))
                    .unwrap_or_default(),
            })
            .collect(),
        relations: x
            .relations
            .iter()
            .map(|r| RelationRow {
                kind: to_code(r.kind),
                from: int(r.from),
                to: int(r.to),
            })
            .collect(),
        events: x
            .events
            .iter()
            .map(|e| EventRow {
                kind: to_code(e.kind),
                date: date_text(e.date),
                end_date: date_text(e.end_date),
                province: e.province.as_deref(),
                organizer: e.organizer.as_deref(),
                documents: indexes_json(&e.documents),
            })
            .collect(),
        officials: x
            .officials
            .iter()
            .map(|o| OfficialRow {
                name: &o.name,
                positions: strings_json(&o.positions),
            })
            .collect(),
    }
}

/// The sources' own columns as read back (text only when asked for).
pub(crate) struct StoredSource {
    pub id: i64,
    pub hash: String,
    pub source: String,
    pub published: Option<NaiveDate>,
    pub title: String,
    pub text: Option<String>,
}

/// Rows read back, each list ordered by (source id, index).
#[derive(Default)]
pub(crate) struct StoredRows {
    pub sources: Vec<StoredSource>,
    pub documents: Vec<(i64, Document, String)>,
    pub relations: Vec<(i64, Relation)>,
    pub events: Vec<(i64, Event)>,
    pub officials: Vec<(i64, Official)>,
}

/// Takes from `rows` (ordered by source id) the entries of source `id`.
fn take<T>(rows: &mut std::iter::Peekable<std::vec::IntoIter<(i64, T)>>, id: i64) -> Vec<T> {
    let mut out = Vec::new();
    while let Some((source_id, _)) = rows.peek() {
        if *source_id > id {
            break;
        }
        if let Some((source_id, item)) = rows.next() {
            // Rows of a source not in this page cannot exist (foreign keys);
            // they are skipped rather than attached to the wrong source.
            if source_id == id {
                out.push(item);
            }
        }
    }
    out
}

/// Puts rows back together into facts (and texts when they were read).
pub(crate) fn assemble(rows: StoredRows) -> Vec<(SourceFacts, Option<String>)> {
    let mut documents = rows
        .documents
        .into_iter()
        .map(|(id, d, e)| (id, (d, e)))
        .collect::<Vec<_>>()
        .into_iter()
        .peekable();
    let mut relations = rows.relations.into_iter().peekable();
    let mut events = rows.events.into_iter().peekable();
    let mut officials = rows.officials.into_iter().peekable();
    rows.sources
        .into_iter()
        .map(|s| {
            let (docs, excerpts): (Vec<Document>, Vec<String>) =
                take(&mut documents, s.id).into_iter().unzip();
            let facts = SourceFacts {
                id: s.id,
                hash: s.hash,
                title: s.title,
                extraction: Extraction {
                    source: s.source,
                    published: s.published,
                    documents: docs,
                    relations: take(&mut relations, s.id),
                    events: take(&mut events, s.id),
                    officials: take(&mut officials, s.id),
                },
                excerpts,
            };
            (facts, s.text)
        })
        .collect()
}

/// A backend's reader of stored rows: the sources with ids in `from..=to`,
/// at most `limit` of them, with or without their texts, and their facts.
pub(crate) type ReadRows<'r> = &'r mut dyn FnMut(i64, i64, i64, bool) -> Result<StoredRows>;

/// [`crate::Backend::load_facts`] over a backend's reader.
pub(crate) fn load_facts(read: ReadRows) -> Result<Vec<SourceFacts>> {
    let rows = read(i64::MIN, i64::MAX, i64::MAX, false)?;
    Ok(assemble(rows).into_iter().map(|(facts, _)| facts).collect())
}

/// [`crate::Backend::source_text`] over a backend's reader.
pub(crate) fn source_text(read: ReadRows, id: i64) -> Result<Option<crate::SourceText>> {
    let rows = read(id, id, 1, true)?;
    Ok(assemble(rows)
        .into_iter()
        .next()
        .map(|(facts, text)| crate::SourceText {
            facts,
            text: text.unwrap_or_default(),
        }))
}

/// [`crate::Backend::for_each_source`] over a backend's reader, `page`
/// sources at a time.
pub(crate) fn for_each_source(
    read: ReadRows,
    page: i64,
    f: &mut dyn FnMut(crate::SourceText) -> std::result::Result<(), String>,
) -> Result<()> {
    let mut from = i64::MIN;
    loop {
        let rows = read(from, i64::MAX, page, true)?;
        let Some(last) = rows.sources.last().map(|s| s.id) else {
            return Ok(());
        };
        for (facts, text) in assemble(rows) {
            let id = facts.id;
            f(crate::SourceText {
                facts,
                text: text.unwrap_or_default(),
            })
            .map_err(|message| Error::Callback { id, message })?;
        }
        if last == i64::MAX {
            return Ok(());
        }
        from = last + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_serde_names() {
        for code in [
            "replaces",
            "amends",
            "repeals",
            "guides",
            "implements",
            "reviews",
        ] {
            let kind = parse_relation_kind(code).unwrap();
            assert_eq!(to_code(kind), code);
        }
        for code in ["dissemination", "review", "training", "other"] {
            assert_eq!(to_code(parse_event_kind(code).unwrap()), code);
        }
        assert_eq!(parse_kind("quy_dinh").unwrap(), DocumentKind::QuyDinh);
        assert!(matches!(parse_kind("quy dinh"), Err(Error::Corrupt(_))));
    }

    #[test]
    fn dates_and_spans_round_trip() {
        let d = NaiveDate::from_ymd_opt(2018, 2, 28).unwrap();
        assert_eq!(parse_date(&crate::iso(d)).unwrap(), d);
        assert!(parse_date("2018-02-30").is_err());
        assert!(parse_date("28-2-2018").is_err());
        assert_eq!(opt_date_from_days(Some(6633)).unwrap(), Some(d));
        assert_eq!(
            opt_date_from_days(Some(-1)).unwrap(),
            NaiveDate::from_ymd_opt(1999, 12, 31)
        );
        assert_eq!(opt_date_from_days(None).unwrap(), None);
        let spans = vec![Span { start: 3, end: 17 }, Span { start: 40, end: 52 }];
        assert_eq!(spans_json(&spans), "[[3,17],[40,52]]");
        assert_eq!(parse_spans(&spans_json(&spans)).unwrap(), spans);
        assert_eq!(
            parse_spans("[[1, 2]]").unwrap(),
            vec![Span { start: 1, end: 2 }]
        );
    }
}
