//! Throughput of text preparation over the real corpus (`shared/corpus`).
//!
//! Groups: plain-text `prepare`, `prepare` + matching view, and HTML
//! `prepare` over the same corpus wrapped as HTML pages (each line a `<p>`,
//! with a head, scripts, entities and a footer). Skips when the corpus is
//! missing. Set `VANBAN_CORPUS` to point elsewhere.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::{Path, PathBuf};
use std::time::Duration;
use vanban_text::{prepare, Format};

fn corpus_dir() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("VANBAN_CORPUS") {
        return Some(PathBuf::from(p));
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        manifest.join("../../../shared/corpus"),
        manifest.join("../../shared/corpus"),
    ]
    .into_iter()
    .find(|p| p.is_dir())
}

fn load(dir: &Path) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt") {
                if let Ok(b) = std::fs::read(&p) {
                    files.push(b);
                }
            }
        }
    }
    files
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn to_html(text: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(text);
    let mut h = String::with_capacity(s.len() * 2);
    h.push_str(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Bài viết</title>",
    );
    h.push_str("<meta property=\"article:published_time\" content=\"2020-10-01T08:00:00+07:00\">");
    h.push_str("<script>var cfg = {a: 1, b: '<p>x</p>'};</script><style>.a{color:red}</style></head><body>");
    h.push_str("<nav><ul><li><a href=\"/\">Trang chủ</a></li><li><a href=\"/c\">Chính trị</a></li></ul></nav><article>");
    for line in s.lines() {
        h.push_str("<p class=\"body-text\">");
        h.push_str(&escape(line));
        h.push_str("</p>\n");
    }
    h.push_str("</article><footer><p>Giấy phép xuất bản số 1/GP-BTTTT</p><p>Tổng Biên tập: A</p></footer></body></html>");
    h.into_bytes()
}

fn bench(c: &mut Criterion) {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not found; skipping the prepare benchmarks");
        return;
    };
    let files = load(&dir);
    if files.is_empty() {
        eprintln!("corpus is empty; skipping");
        return;
    }
    let total: usize = files.iter().map(Vec::len).sum();
    let html: Vec<Vec<u8>> = files.iter().map(|f| to_html(f)).collect();
    let html_total: usize = html.iter().map(Vec::len).sum();

    let mut g = c.benchmark_group("prepare");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("text", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| prepare(f, Format::Text).text().len())
                .sum::<usize>()
        })
    });
    g.bench_function("text+matching", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| {
                    let p = prepare(f, Format::Text);
                    let v = p.matching();
                    v.text().len()
                })
                .sum::<usize>()
        })
    });
    g.throughput(Throughput::Bytes(html_total as u64));
    g.bench_function("html", |b| {
        b.iter(|| {
            html.iter()
                .map(|f| prepare(f, Format::Html).text().len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
