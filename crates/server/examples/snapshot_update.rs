//! The cost of applying one new text to a server's snapshot (issue 12):
//! `Snapshot::with_sources` (the per-write path) against the whole
//! `Snapshot::new(Graph::build(..))` it replaces, on a real store.
//!
//!     cargo run --release -p vanban-server --example snapshot_update -- DATA DOCUMENTS.tsv [N]
//!
//! DATA is a `vanban --data` folder (embedded store); DOCUMENTS.tsv the one
//! `scripts/gen-corpus.py` writes. Each of the N texts cites one of its
//! documents, as `scripts/bench-post.py` sends them; the texts are not
//! stored (the store is only read).

use std::sync::Arc;
use std::time::Instant;
use vanban_server::snapshot::Snapshot;
use vanban_store::{Location, NewSource, SourceFacts, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(data), Some(documents)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: snapshot_update DATA DOCUMENTS.tsv [N]");
        std::process::exit(2);
    };
    let n: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20);
    let docs: Vec<(String, String)> = std::fs::read_to_string(documents)?
        .lines()
        .filter_map(|l| {
            let mut p = l.split('\t');
            Some((p.next()?.to_owned(), p.next()?.to_owned()))
        })
        .collect();
    let mut store = Store::open(&Location::Embedded(std::path::PathBuf::from(data)))?;
    let t = Instant::now();
    let graph = store.graph()?;
    let loaded = t.elapsed();
    let first_id = graph.sources().last().map_or(1, |s| s.id + 1);
    let t = Instant::now();
    let mut snapshot = Arc::new(Snapshot::new(graph));
    println!(
        "load {:.0} ms, first snapshot {:.0} ms, {} sources, {} documents",
        loaded.as_secs_f64() * 1e3,
        t.elapsed().as_secs_f64() * 1e3,
        snapshot.graph.sources().len(),
        snapshot.graph.documents().len()
    );
    let mut incremental = Vec::new();
    let mut whole = Vec::new();
    for (i, id) in (0..n).zip(first_id..) {
        let (reference, kind) = &docs[(i * 7919) % docs.len().max(1)];
        let text = format!(
            "# date = 20250{}1{}\nHà Nam quán triệt {kind} {reference}\nNgày 3/5/2025, Ban Thường vụ Tỉnh ủy Hà Nam tổ chức hội nghị quán triệt {kind} số {reference} cho cán bộ chủ chốt (bài đo {i}).\n",
            1 + i % 9,
            i % 10
        );
        let new = NewSource::from_input(&format!("do/{i}.txt"), text.as_bytes());
        let excerpts = new
            .extraction
            .documents
            .iter()
            .map(|d| {
                d.mentions
                    .first()
                    .map(|s| vanban_store::excerpt(&new.text, *s))
                    .unwrap_or_default()
            })
            .collect();
        let facts = SourceFacts {
            id,
            hash: new.hash.clone(),
            title: new.title.clone(),
            extraction: new.extraction.clone(),
            excerpts,
        };
        let t = Instant::now();
        let updated = snapshot.with_sources(vec![facts.clone()]);
        incremental.push(t.elapsed().as_secs_f64() * 1e3);
        if i < 3 {
            // The whole rebuild it replaces (and a check that both agree).
            let t = Instant::now();
            let mut all: Vec<Arc<SourceFacts>> = snapshot.graph.sources().to_vec();
            all.push(Arc::new(facts));
            let rebuilt = Snapshot::new(vanban_store::graph::Graph::build_shared(all));
            whole.push(t.elapsed().as_secs_f64() * 1e3);
            assert_eq!(
                serde_json::to_string(&updated.graph.documents())?,
                serde_json::to_string(&rebuilt.graph.documents())?
            );
            assert_eq!(updated.graph.stats(), rebuilt.graph.stats());
        }
        let t = Instant::now();
        snapshot = Arc::new(updated);
        if let Some(x) = incremental.last_mut() {
            *x += t.elapsed().as_secs_f64() * 1e3;
        }
    }
    let mut sorted = incremental.clone();
    sorted.sort_by(f64::total_cmp);
    let pct = |p: f64| sorted[((p / 100.0) * (sorted.len() - 1) as f64).round() as usize];
    println!(
        "with_sources (one text): p50 {:.1} ms, p90 {:.1} ms, max {:.1} ms over {n}; whole build + snapshot: {:?} ms",
        pct(50.0),
        pct(90.0),
        pct(100.0),
        whole.iter().map(|x| x.round()).collect::<Vec<_>>()
    );
    Ok(())
}
