//! `vanban export`: the graph's documents, relations and events as JSON
//! Lines, CSV, or a Graphviz DOT drawing of the relations.
//!
//! Pure functions writing to any [`std::io::Write`]; the caller opens the
//! file (or standard output). Documents carry their status as of a date.

use crate::graph::{CanonicalDocument, CanonicalRelation, EventView, Graph, Status};
use chrono::NaiveDate;
use serde::Serialize;
use std::io::Write;
use vanban_extract::RelationKind;

/// What went wrong while exporting.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "cannot write the export: {0}; check that the disk is not full and the output is writable"
    )]
    Io(#[from] std::io::Error),
    #[error("không ghi được bản xuất CSV (cannot write the CSV export: {0}); kiểm tra ổ đĩa còn chỗ và nơi ghi ra ghi được")]
    Csv(#[from] csv::Error),
    #[error("không mã hoá được bản xuất thành JSON (cannot encode the export as JSON: {0}); hãy báo lỗi này")]
    Json(#[from] serde_json::Error),
}

/// Which table `vanban export --format csv` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Documents,
    Relations,
    Events,
}

impl Table {
    /// `documents`, `relations` or `events`, as typed on the command line.
    pub fn parse(s: &str) -> Option<Table> {
        match s.trim().to_ascii_lowercase().as_str() {
            "documents" | "document" => Some(Table::Documents),
            "relations" | "relation" => Some(Table::Relations),
            "events" | "event" => Some(Table::Events),
            _ => None,
        }
    }
}

/// The Vietnamese label of a relation (edge labels, CSV).
pub fn relation_label_vi(kind: RelationKind) -> &'static str {
    kind.verb_vi()
}

#[derive(Serialize)]
struct Record<'a, T: Serialize> {
    record: &'static str,
    #[serde(flatten)]
    inner: &'a T,
}

#[derive(Serialize)]
struct DocumentRecord<'a> {
    #[serde(flatten)]
    document: &'a CanonicalDocument,
    status: Option<Status>,
    /// Distinct sources citing it.
    cited_by: usize,
}

/// JSON Lines: every document (with its status as of `as_of`), then every
/// relation, then every event; one object per line with a `record` field
/// (`document`, `relation`, `event`).
pub fn jsonl(graph: &Graph, as_of: NaiveDate, out: &mut dyn Write) -> Result<(), ExportError> {
    let mut out = std::io::BufWriter::new(out);
    for d in graph.documents() {
        let inner = DocumentRecord {
            document: d,
            status: graph.status(&d.id, as_of),
            cited_by: graph.cited_by(&d.id),
        };
        serde_json::to_writer(
            &mut out,
            &Record {
                record: "document",
                inner: &inner,
            },
        )?;
        out.write_all(b"\n")?;
    }
    for r in graph.relations() {
        serde_json::to_writer(
            &mut out,
            &Record {
                record: "relation",
                inner: r,
            },
        )?;
        out.write_all(b"\n")?;
    }
    for e in graph.all_events() {
        serde_json::to_writer(
            &mut out,
            &Record {
                record: "event",
                inner: e,
            },
        )?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn join_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(";")
}

/// One CSV table (RFC 4180, header row first). Lists inside a cell are
/// joined with `;`.
pub fn csv(
    graph: &Graph,
    table: Table,
    as_of: NaiveDate,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    match table {
        Table::Documents => {
            w.write_record([
                "id",
                "kind",
                "number",
                "symbol",
                "year",
                "date",
                "issuer",
                "title",
                "status",
                "status_since",
                "status_by",
                "other_dates",
                "sources",
            ])?;
            for d in graph.documents() {
                let status = graph.status(&d.id, as_of);
                let state = status
                    .as_ref()
                    .and_then(|s| serde_json::to_value(s.state).ok())
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let mut sources: Vec<i64> = d.mentions.iter().map(|m| m.source).collect();
                sources.sort_unstable();
                sources.dedup();
                let other_dates = d
                    .dates
                    .iter()
                    .skip(1)
                    .map(|s| crate::iso(s.value))
                    .collect::<Vec<_>>()
                    .join(";");
                w.write_record([
                    d.id.clone(),
                    d.kind.code().to_owned(),
                    opt(&d.number),
                    opt(&d.symbol),
                    opt(&d.year),
                    d.date.map(crate::iso).unwrap_or_default(),
                    opt(&d.issuer),
                    opt(&d.title),
                    state,
                    status
                        .as_ref()
                        .and_then(|s| s.since)
                        .map(crate::iso)
                        .unwrap_or_default(),
                    status.map(|s| s.by.join(";")).unwrap_or_default(),
                    other_dates,
                    join_ids(&sources),
                ])?;
            }
        }
        Table::Relations => {
            w.write_record(["type", "label", "from", "to", "sources"])?;
            for r in graph.relations() {
                w.write_record([
                    relation_code(r),
                    relation_label_vi(r.kind).to_owned(),
                    r.from.clone(),
                    r.to.clone(),
                    join_ids(&r.sources),
                ])?;
            }
        }
        Table::Events => {
            w.write_record([
                "type",
                "date",
                "end_date",
                "province",
                "province_now",
                "organizer",
                "documents",
                "source",
                "source_id",
            ])?;
            for e in graph.all_events() {
                w.write_record([
                    event_code(e),
                    e.date.map(crate::iso).unwrap_or_default(),
                    e.end_date.map(crate::iso).unwrap_or_default(),
                    opt(&e.province),
                    opt(&e.province_now),
                    opt(&e.organizer),
                    e.documents.join(";"),
                    e.source.clone(),
                    e.source_id.to_string(),
                ])?;
            }
        }
    }
    w.flush()?;
    Ok(())
}

fn relation_code(r: &CanonicalRelation) -> String {
    serde_json::to_value(r.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn event_code(e: &EventView) -> String {
    serde_json::to_value(e.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A DOT string literal: `"` and `\` escaped, line breaks as `\n`.
fn dot_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The relation graph in Graphviz DOT: one node per document that takes
/// part in a relation (labelled kind, number-symbol, date), one edge per
/// relation labelled in Vietnamese, from the acting document.
pub fn dot(graph: &Graph, out: &mut dyn Write) -> Result<(), ExportError> {
    let mut out = std::io::BufWriter::new(out);
    writeln!(out, "digraph vanban {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(out, "  node [shape=box, fontname=\"Noto Sans\"];")?;
    writeln!(out, "  edge [fontname=\"Noto Sans\"];")?;
    let mut used: Vec<&str> = graph
        .relations()
        .iter()
        .flat_map(|r| [r.from.as_str(), r.to.as_str()])
        .collect();
    used.sort_unstable();
    used.dedup();
    for id in used {
        let Some(d) = graph.document(id) else {
            continue;
        };
        let reference = d.id.split('@').next().unwrap_or(&d.id);
        let when = match (d.date, d.year) {
            (Some(date), _) => date.format("%d/%m/%Y").to_string(),
            (None, Some(y)) => format!("năm {y}"),
            (None, None) => "chưa rõ ngày".to_owned(),
        };
        let label = if reference.starts_with(d.kind.label_vi()) {
            format!("{reference}\n{when}")
        } else {
            format!("{} {reference}\n{when}", d.kind.label_vi())
        };
        writeln!(
            out,
            "  {} [label={}];",
            dot_string(&d.id),
            dot_string(&label)
        )?;
    }
    for r in graph.relations() {
        writeln!(
            out,
            "  {} -> {} [label={}];",
            dot_string(&r.from),
            dot_string(&r.to),
            dot_string(relation_label_vi(r.kind))
        )?;
    }
    writeln!(out, "}}")?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_strings_are_escaped() {
        assert_eq!(dot_string("58-QĐ/TW@2022-02-08"), "\"58-QĐ/TW@2022-02-08\"");
        assert_eq!(dot_string("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c\\nd\"");
    }

    #[test]
    fn tables_parse_as_typed() {
        assert_eq!(Table::parse("documents"), Some(Table::Documents));
        assert_eq!(Table::parse(" Relations "), Some(Table::Relations));
        assert_eq!(Table::parse("events"), Some(Table::Events));
        assert_eq!(Table::parse("officials"), None);
    }

    #[test]
    fn an_empty_graph_exports_headers_and_an_empty_drawing() {
        let g = Graph::build(Vec::new());
        let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
        let mut out = Vec::new();
        assert!(jsonl(&g, day, &mut out).is_ok());
        assert!(out.is_empty());
        let mut out = Vec::new();
        assert!(csv(&g, Table::Relations, day, &mut out).is_ok());
        assert_eq!(
            String::from_utf8_lossy(&out),
            "type,label,from,to,sources\n"
        );
        let mut out = Vec::new();
        assert!(dot(&g, &mut out).is_ok());
        let text = String::from_utf8_lossy(&out);
        assert!(text.starts_with("digraph vanban {") && text.trim_end().ends_with('}'));
        assert!(!text.contains("->"));
    }
}
