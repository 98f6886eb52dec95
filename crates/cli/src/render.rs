//! The readable (`--format text`) form of one extraction, in Vietnamese.

use std::fmt::Write;
use vanban_extract::{Document, DocumentKind, EventKind, Extraction, RelationKind};

/// A short human name for a document: `Quy định số 126-QĐ/TW`,
/// `Nghị định số 30/2020/NĐ-CP`, `Quyết định số 281/QĐ-TTg`.
pub fn document_label(doc: &Document) -> String {
    let mut s = doc.kind.label_vi().to_owned();
    let Some(number) = &doc.number else {
        s.push_str(" (không rõ số)");
        return s;
    };
    let _ = write!(s, " số {number}");
    match &doc.symbol {
        // Party style: 126-QĐ/TW.
        Some(sym) if sym.contains('/') => {
            let _ = write!(s, "-{sym}");
        }
        Some(sym) => {
            // State legal documents carry their year in the number
            // (30/2020/NĐ-CP, 80/2015/QH13); administrative ones do not.
            let year_in_number = sym.starts_with("QH")
                || matches!(
                    doc.kind,
                    DocumentKind::NghiDinh
                        | DocumentKind::ThongTu
                        | DocumentKind::Luat
                        | DocumentKind::PhapLenh
                );
            if let (true, Some(y)) = (year_in_number, doc.year) {
                let _ = write!(s, "/{y}");
            }
            let _ = write!(s, "/{sym}");
        }
        None => {}
    }
    s
}

fn relation_verb(kind: RelationKind) -> &'static str {
    kind.verb_vi()
}

fn event_label(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Dissemination => "Hội nghị quán triệt, triển khai",
        EventKind::Review => "Hội nghị sơ kết, tổng kết",
        EventKind::Training => "Lớp bồi dưỡng, tập huấn",
        EventKind::Other => "Hội nghị",
    }
}

/// The whole readable summary of one file, ending with an empty line.
pub fn text_summary(result: &Extraction, text: &str) -> String {
    let mut out = String::new();
    let _ = write!(out, "== {}", result.source);
    if let Some(p) = result.published {
        let _ = write!(out, " (đăng ngày {})", p.format("%d/%m/%Y"));
    }
    out.push('\n');
    if result.documents.is_empty() && result.events.is_empty() && result.officials.is_empty() {
        out.push_str("   Không tìm thấy văn bản, sự kiện hay cán bộ nào.\n\n");
        return out;
    }
    if !result.documents.is_empty() {
        let _ = writeln!(out, "Văn bản được trích dẫn ({}):", result.documents.len());
        for (i, doc) in result.documents.iter().enumerate() {
            let _ = write!(out, "  [{i}] {}", document_label(doc));
            if let Some(d) = doc.date {
                let _ = write!(out, " ngày {}", d.format("%d/%m/%Y"));
            } else if let Some(y) = doc.year {
                let _ = write!(out, " năm {y}");
            }
            if let Some(issuer) = &doc.issuer {
                let _ = write!(out, " của {issuer}");
            }
            if let Some(title) = &doc.title {
                let _ = write!(out, " về “{title}”");
            }
            let n = doc.mentions.len();
            let _ = write!(out, " — {n} lần nhắc");
            if let Some(first) = doc.mentions.first() {
                if let Some(snippet) = text.get(first.start..first.end) {
                    let _ = write!(out, " (đầu tiên: “{snippet}” tại byte {})", first.start);
                }
            }
            out.push('\n');
        }
    }
    if !result.relations.is_empty() {
        out.push_str("Quan hệ giữa các văn bản:\n");
        for rel in &result.relations {
            let (Some(from), Some(to)) =
                (result.documents.get(rel.from), result.documents.get(rel.to))
            else {
                continue;
            };
            let _ = writeln!(
                out,
                "  [{}] {} {} [{}] {}",
                rel.from,
                document_label(from),
                relation_verb(rel.kind),
                rel.to,
                document_label(to)
            );
        }
    }
    if !result.events.is_empty() {
        out.push_str("Sự kiện:\n");
        for ev in &result.events {
            let _ = write!(out, "  {}", event_label(ev.kind));
            match (ev.date, ev.end_date) {
                (Some(d), Some(e)) => {
                    let _ = write!(
                        out,
                        ", từ {} đến {}",
                        d.format("%d/%m/%Y"),
                        e.format("%d/%m/%Y")
                    );
                }
                (Some(d), None) => {
                    let _ = write!(out, ", ngày {}", d.format("%d/%m/%Y"));
                }
                _ => out.push_str(", không rõ ngày"),
            }
            if let Some(p) = &ev.province {
                let _ = write!(out, ", tại {p}");
            }
            if let Some(o) = &ev.organizer {
                let _ = write!(out, ", do {o} tổ chức");
            }
            if !ev.documents.is_empty() {
                let refs: Vec<String> = ev.documents.iter().map(|i| format!("[{i}]")).collect();
                let _ = write!(out, "; văn bản: {}", refs.join(", "));
            }
            out.push('\n');
        }
    }
    if !result.officials.is_empty() {
        out.push_str("Cán bộ được nêu tên:\n");
        for o in &result.officials {
            let _ = writeln!(out, "  {} — {}", o.name, o.positions.join("; "));
        }
    }
    out.push('\n');
    out
}
