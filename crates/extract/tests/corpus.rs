//! Runs the extractor over all of `shared/corpus/` (real laws and news):
//! no panic, every span on a char boundary and inside the text, every index in
//! range, and no document found in sport or entertainment news.
//!
//! The corpus lives beside the repository (`../shared/corpus`); when it is
//! absent (a checkout without `shared/`), the test says so and passes only
//! outside CI.

use std::path::{Path, PathBuf};
use vanban_extract::{extract, prepare, Format};

fn corpus_root() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    root.is_dir().then_some(root)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn whole_corpus_is_processed_without_error_and_sport_yields_no_document() {
    let Some(root) = corpus_root() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "shared/corpus is missing beside the repository"
        );
        eprintln!("skipped: ../shared/corpus not found");
        return;
    };
    let mut total = 0usize;
    let mut with_documents = 0usize;
    let mut offenders = Vec::new();
    for sub in ["vlc", "unc"] {
        for path in files(&root.join(sub)) {
            let bytes = std::fs::read(&path).expect("corpus file readable");
            let prepared = prepare(&bytes, Format::from_path(&path.to_string_lossy()));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let result = extract(&name, &prepared);
            let text = prepared.text();
            for doc in &result.documents {
                assert!(!doc.mentions.is_empty(), "{name}: document without mention");
                for m in &doc.mentions {
                    assert!(
                        m.start < m.end && m.end <= text.len(),
                        "{name}: span {m:?} out of range"
                    );
                    assert!(
                        text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
                        "{name}: span {m:?} not on char boundaries"
                    );
                }
            }
            for rel in &result.relations {
                assert!(
                    rel.from < result.documents.len()
                        && rel.to < result.documents.len()
                        && rel.from != rel.to,
                    "{name}: bad relation {rel:?}"
                );
            }
            for ev in &result.events {
                assert!(
                    ev.documents.iter().all(|&i| i < result.documents.len()),
                    "{name}: bad event index"
                );
                if let (Some(d), Some(e)) = (ev.date, ev.end_date) {
                    assert!(d < e, "{name}: event ends before it starts");
                }
            }
            // The output is valid JSON Lines.
            let line = serde_json::to_string(&result).expect("serialisable");
            assert!(!line.contains('\n'));
            if !result.documents.is_empty() {
                with_documents += 1;
            }
            if name.starts_with("news_sport") || name.starts_with("news_entertainment") {
                for doc in &result.documents {
                    let m = doc.mentions[0];
                    offenders.push(format!("{name}: {:?}", &text[m.start..m.end]));
                }
            }
            total += 1;
        }
    }
    assert!(
        total > 2700,
        "expected the whole corpus, read {total} files"
    );
    assert!(
        offenders.is_empty(),
        "documents found in sport/entertainment news:\n{}",
        offenders.join("\n")
    );
    // The laws cite laws: most law files must yield documents.
    assert!(
        with_documents >= 100,
        "only {with_documents} corpus files yielded a document"
    );
}
