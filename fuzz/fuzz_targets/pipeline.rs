//! The whole pipeline on arbitrary bytes, read both as text and as HTML:
//! it must never panic, and everything it returns must be consistent (spans
//! inside the text on char boundaries, indexes in range, valid JSON).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vanban_extract::{extract, prepare, Format};

fuzz_target!(|data: &[u8]| {
    for format in [Format::Text, Format::Html] {
        let prepared = prepare(data, format);
        let text = prepared.text();
        let result = extract("fuzz", &prepared);
        for doc in &result.documents {
            for m in &doc.mentions {
                assert!(m.start <= m.end && m.end <= text.len());
                assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            }
        }
        for rel in &result.relations {
            assert!(rel.from < result.documents.len() && rel.to < result.documents.len());
        }
        for ev in &result.events {
            assert!(ev.documents.iter().all(|&i| i < result.documents.len()));
        }
        let _ = serde_json::to_string(&result).expect("serialisable");
    }
});
