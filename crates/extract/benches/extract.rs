//! Whole-pipeline throughput (prepare + extract) over `shared/corpus/`, one
//! core. Baseline in the same run: a plain byte scan (`memchr` for `/` — the
//! least any citation finder must do) and a UTF-8 validation pass, so the
//! ratio is meaningful on a shared machine.
//!
//!     cargo bench -p vanban-extract --bench extract

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;
use vanban_extract::{extract, prepare, Format};

fn load_corpus() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let mut files = Vec::new();
    for sub in ["vlc", "unc"] {
        let Ok(rd) = std::fs::read_dir(root.join(sub)) else {
            continue;
        };
        let mut paths: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if let Ok(bytes) = std::fs::read(&p) {
                files.push((p.to_string_lossy().into_owned(), bytes));
            }
        }
    }
    files
}

fn bench(c: &mut Criterion) {
    let corpus = load_corpus();
    if corpus.is_empty() {
        eprintln!("../shared/corpus not found: nothing to measure");
        return;
    }
    let bytes: u64 = corpus.iter().map(|(_, b)| b.len() as u64).sum();
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    group.bench_function("baseline_utf8_validate", |b| {
        b.iter(|| {
            corpus
                .iter()
                .filter(|(_, d)| std::str::from_utf8(d).is_ok())
                .count()
        })
    });
    group.bench_function("baseline_memchr_slash", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|(_, d)| memchr::memchr_iter(b'/', d).count())
                .sum::<usize>()
        })
    });
    group.bench_function("prepare", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|(n, d)| prepare(d, Format::from_path(n)).text().len())
                .sum::<usize>()
        })
    });
    group.bench_function("prepare_and_extract", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|(n, d)| {
                    extract(n, &prepare(d, Format::from_path(n)))
                        .documents
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
