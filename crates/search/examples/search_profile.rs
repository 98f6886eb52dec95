//! Runs the benchmark queries against an index built by the search
//! benchmark, for profiling (`perf record`):
//!
//! ```text
//! cargo run --release -p vanban-search --example search_profile -- <index dir> [runs] [query filter]
//! ```

use std::time::Instant;
use vanban_search::{Query, SearchIndex};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: search_profile <index dir> [runs] [query filter]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let only = args.next();
    let idx = match SearchIndex::open(&dir) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/queries.tsv");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut c = line.split('\t').map(str::trim);
        let mut q = Query::new(c.next().unwrap_or(""));
        let mut opt = || c.next().filter(|s| !s.is_empty()).map(str::to_owned);
        q.kind = opt();
        q.issuer = opt();
        q.year = opt().and_then(|y| y.parse().ok());
        q.province = opt();
        if only.as_deref().is_some_and(|o| !q.text.contains(o)) {
            continue;
        }
        let mut best = f64::MAX;
        let mut total = 0;
        for _ in 0..runs {
            let t = Instant::now();
            match idx.search(&q) {
                Ok(r) => total = r.total,
                Err(e) => eprintln!("{}: {e}", q.text),
            }
            best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!("{:>8.2} ms  {:>6}  {}", best, total, q.text);
    }
}
