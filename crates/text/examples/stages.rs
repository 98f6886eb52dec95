//! Times each preparation stage over a directory of `.txt` files:
//! `cargo run --release -p vanban-text --example stages -- ../shared/corpus`.

use std::time::Instant;
use vanban_text::{chrome, decode, html, matching, normalize, prepare, published, Format};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpus".into());
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
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
    let total: usize = files.iter().map(Vec::len).sum();
    let texts: Vec<String> = files
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    if std::env::var("ONLY_PM").is_ok() {
        for _ in 0..40 {
            let n: usize = files
                .iter()
                .map(|f| {
                    let p = prepare(f, Format::Text);
                    let v = p.matching();
                    v.text().len()
                })
                .sum();
            std::hint::black_box(n);
        }
        return;
    }
    let mbps = |t: f64| total as f64 / t / 1e6;
    let time = |name: &str, f: &dyn Fn() -> usize| {
        let mut best = f64::MAX;
        let mut r = 0;
        for _ in 0..15 {
            let t = Instant::now();
            r = f();
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("{name:24} {:8.0} MB/s  ({r})", mbps(best));
    };
    time("decode", &|| {
        files.iter().map(|f| decode::decode(f).0.len()).sum()
    });
    time("nfc check", &|| {
        texts
            .iter()
            .map(|t| normalize::first_unstable(t, 0).unwrap_or(0))
            .sum()
    });
    time("nfc", &|| {
        texts
            .iter()
            .map(|t| normalize::nfc(t).map(|x| x.0.len()).unwrap_or(0))
            .sum()
    });
    time("header date", &|| {
        texts
            .iter()
            .map(|t| {
                published::from_header(t)
                    .map(|f| f.year() as usize)
                    .unwrap_or(0)
            })
            .sum()
    });
    time("chrome", &|| {
        texts
            .iter()
            .map(|t| chrome::remove(t, true).map(|x| x.0.len()).unwrap_or(0))
            .sum()
    });
    time("matching", &|| {
        texts
            .iter()
            .map(|t| matching::normalize_for_matching(t).len())
            .sum()
    });
    time("copy", &|| texts.iter().map(|t| t.to_owned().len()).sum());
    time("prepare text", &|| {
        files
            .iter()
            .map(|f| prepare(f, Format::Text).text().len())
            .sum()
    });
    time("prepare+matching", &|| {
        files
            .iter()
            .map(|f| {
                let p = prepare(f, Format::Text);
                let v = p.matching();
                v.text().len()
            })
            .sum()
    });
    let htmls: Vec<String> = texts
        .iter()
        .map(|t| {
            let mut h = String::from("<html><head><title>x</title></head><body>");
            for l in t.lines() {
                h.push_str("<p>");
                h.push_str(&l.replace('&', "&amp;").replace('<', "&lt;"));
                h.push_str("</p>\n");
            }
            h.push_str("</body></html>");
            h
        })
        .collect();
    let htotal: usize = htmls.iter().map(String::len).sum();
    let t = Instant::now();
    let n: usize = htmls.iter().map(|h| html::to_text(h).text.len()).sum();
    println!(
        "html::to_text            {:8.0} MB/s ({n})",
        htotal as f64 / t.elapsed().as_secs_f64() / 1e6
    );
    let t = Instant::now();
    let n: usize = htmls
        .iter()
        .map(|h| prepare(h.as_bytes(), Format::Html).text().len())
        .sum();
    println!(
        "prepare html             {:8.0} MB/s ({n})",
        htotal as f64 / t.elapsed().as_secs_f64() / 1e6
    );
}
