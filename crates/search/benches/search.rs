//! Search benchmark: the corpus (../shared/corpus, vlc + unc) repeated to
//! 100,000 source entries, 60 fixed queries, p50/p99 latency in-process,
//! compared with SQLite FTS5 (`unicode61`, default options) over the same
//! texts and queries.
//!
//! `cargo bench -p vanban-search --bench search`
//! (`VANBAN_SEARCH_BENCH_ENTRIES=20000` for a shorter run). The indexes are
//! written to a temporary directory and removed at the end.

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use vanban_extract::{extract, prepare, Format};
use vanban_search::{analyzer, provinces, DocumentEntry, Query, SearchIndex, SourceEntry};

const REPS: usize = 5;

struct Q {
    text: &'static str,
    kind: Option<&'static str>,
    year: Option<i32>,
    province: Option<&'static str>,
}

const fn q(text: &'static str) -> Q {
    Q {
        text,
        kind: None,
        year: None,
        province: None,
    }
}

const QUERIES: &[Q] = &[
    q("bảo vệ chính trị nội bộ"),
    q("bao ve chinh tri noi bo"),
    q("chuyển đổi số"),
    q("chuyen doi so"),
    q("giáo dục"),
    q("giao duc"),
    q("phòng chống tham nhũng"),
    q("phong chong tham nhung"),
    q("bảo vệ môi trường"),
    q("bao ve moi truong"),
    q("an toàn giao thông"),
    q("an toan giao thong"),
    q("bóng đá"),
    q("bong da"),
    q("dịch Covid-19"),
    q("dich covid"),
    q("thị trường chứng khoán"),
    q("thi truong chung khoan"),
    q("xử phạt vi phạm hành chính"),
    q("xu phat vi pham hanh chinh"),
    q("quyền và nghĩa vụ của công dân"),
    q("quyen va nghia vu cua cong dan"),
    q("Đảng Cộng sản Việt Nam"),
    q("dang cong san viet nam"),
    q("bộ luật hình sự"),
    q("bo luat hinh su"),
    q("hợp đồng lao động"),
    q("hop dong lao dong"),
    q("bảo hiểm xã hội"),
    q("bao hiem xa hoi"),
    q("đất đai"),
    q("dat dai"),
    q("du lịch Đà Nẵng"),
    q("du lich da nang"),
    q("trí tuệ nhân tạo"),
    q("tri tue nhan tao"),
    q("học sinh thi tốt nghiệp"),
    q("hoc sinh thi tot nghiep"),
    q("ngân hàng nhà nước"),
    q("ngan hang nha nuoc"),
    q("126-QĐ/TW"),
    q("quy dinh 126"),
    q("QĐ 126"),
    q("30/2020/NĐ-CP"),
    q("nghị định 30/2020"),
    q("Luật số 80/2015/QH13"),
    q("luat 80/2015"),
    q("nghi dinh 15/2020"),
    Q {
        text: "giáo dục",
        kind: None,
        year: Some(2020),
        province: None,
    },
    Q {
        text: "giao duc",
        kind: None,
        year: Some(2021),
        province: None,
    },
    Q {
        text: "xử lý vi phạm",
        kind: Some("luat"),
        year: None,
        province: None,
    },
    Q {
        text: "nghi dinh",
        kind: Some("nghi_dinh"),
        year: None,
        province: None,
    },
    Q {
        text: "dich benh",
        kind: None,
        year: None,
        province: Some("Hồ Chí Minh"),
    },
    Q {
        text: "du lịch",
        kind: None,
        year: None,
        province: Some("Đà Nẵng"),
    },
    Q {
        text: "kinh te",
        kind: None,
        year: None,
        province: Some("ha noi"),
    },
    Q {
        text: "doanh nghiệp",
        kind: None,
        year: Some(2020),
        province: Some("Hà Nội"),
    },
    q("hội nghị"),
    q("hoi nghi"),
    q("Việt Nam"),
    q("viet nam"),
];

fn has_diacritics(s: &str) -> bool {
    analyzer::fold(s) != s.to_lowercase()
}

fn files(root: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for sub in ["vlc", "unc"] {
        if let Ok(rd) = std::fs::read_dir(root.join(sub)) {
            for e in rd.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "txt") {
                    v.push(p);
                }
            }
        }
    }
    v.sort();
    v
}

fn percentile(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    if v.is_empty() {
        return 0.0;
    }
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

fn fts_match(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.to_lowercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let entries: usize = std::env::var("VANBAN_SEARCH_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let paths = files(&root);
    if paths.is_empty() {
        eprintln!("no corpus at {}; nothing to benchmark", root.display());
        return;
    }
    // Prepare and extract once.
    let t = Instant::now();
    let mut base: Vec<SourceEntry> = Vec::new();
    let mut docs: Vec<DocumentEntry> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in &paths {
        let Ok(bytes) = std::fs::read(p) else {
            continue;
        };
        let prepared = prepare(&bytes, Format::Text);
        let name = p.strip_prefix(&root).unwrap_or(p).display().to_string();
        let x = extract(&name, &prepared);
        let text = prepared.text().to_owned();
        let title = text
            .lines()
            .find(|l| !l.starts_with('#') && !l.trim().is_empty())
            .unwrap_or("")
            .to_owned();
        let mut ids = Vec::new();
        for d in &x.documents {
            let (Some(n), Some(s)) = (&d.number, &d.symbol) else {
                continue;
            };
            let r = if s.contains('/') {
                format!("{n}-{s}")
            } else if let Some(y) = d.year {
                format!("{n}/{y}/{s}")
            } else {
                format!("{n}/{s}")
            };
            let id = format!(
                "{r}@{}",
                d.date
                    .map(|d| d.to_string())
                    .or(d.year.map(|y| y.to_string()))
                    .unwrap_or_default()
            );
            ids.push(id.clone());
            if seen.insert(id.clone()) {
                docs.push(DocumentEntry {
                    id,
                    kind: d.kind,
                    number: d.number.clone(),
                    symbol: d.symbol.clone(),
                    year: d.year,
                    issuer: d.issuer.clone(),
                    title: d.title.clone(),
                    provinces: vec![],
                });
            }
        }
        let mut provs: Vec<String> = x.events.iter().filter_map(|e| e.province.clone()).collect();
        // Also the provinces the text names (the bench needs province filters to bite).
        for m in vanban_extract::places::find_provinces(&text, 0..text.len()) {
            provs.push(m.name.to_owned());
        }
        provs.sort();
        provs.dedup();
        base.push(SourceEntry {
            source: name,
            published: x.published,
            title,
            kinds: x
                .documents
                .iter()
                .map(|d| d.kind.code().to_owned())
                .collect(),
            issuers: x
                .documents
                .iter()
                .filter_map(|d| d.issuer.clone())
                .collect(),
            years: x.documents.iter().filter_map(|d| d.year).collect(),
            provinces: provs,
            document_ids: ids,
            text,
        });
    }
    let bytes: usize = base.iter().map(|s| s.text.len()).sum();
    println!(
        "corpus: {} files, {:.1} MB, {} documents cited; prepared and extracted in {:.1} s",
        base.len(),
        bytes as f64 / 1e6,
        docs.len(),
        t.elapsed().as_secs_f64()
    );

    // Analyser throughput (both forms).
    let t = Instant::now();
    let mut n = 0usize;
    for e in base.iter().step_by(4) {
        n += analyzer::tokens(&e.text, analyzer::Mode::Exact).len();
        n += analyzer::tokens(&e.text, analyzer::Mode::Folded).len();
    }
    let el = t.elapsed().as_secs_f64();
    let mb: usize = base.iter().step_by(4).map(|e| e.text.len()).sum();
    println!(
        "analyser: exact + folded, {:.1} MB/s ({n} tokens)",
        mb as f64 / 1e6 / el
    );
    let t = Instant::now();
    let terms: std::collections::HashSet<String> = ["bao", "ve", "moi", "truong"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    for e in base.iter().step_by(4) {
        std::hint::black_box(vanban_search::snippet::snippet(&e.text, &terms));
    }
    println!(
        "snippets: {:.1} MB/s",
        mb as f64 / 1e6 / t.elapsed().as_secs_f64()
    );

    let tmp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("no temp dir: {e}");
            return;
        }
    };
    let entry = |i: usize| -> SourceEntry {
        let mut e = base[i % base.len()].clone();
        e.source = format!("{}#{}", e.source, i / base.len());
        e
    };

    // tantivy
    let t = Instant::now();
    let idx = SearchIndex::create(tmp.path().join("tantivy")).expect("create index");
    let mut w = idx.writer().expect("writer");
    for d in &docs {
        w.add_document(d.clone()).expect("add document");
    }
    for i in 0..entries {
        w.add_source(entry(i)).expect("add source");
    }
    w.finish().expect("commit");
    idx.reload().expect("reload");
    let tantivy_build = t.elapsed().as_secs_f64();
    println!(
        "tantivy: {} entries indexed in {:.1} s",
        idx.len(),
        tantivy_build
    );

    // SQLite FTS5, unicode61 with its defaults.
    let t = Instant::now();
    let db = Connection::open(tmp.path().join("fts.sqlite")).expect("sqlite");
    db.execute_batch(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
         CREATE VIRTUAL TABLE t USING fts5(source UNINDEXED, text, kinds UNINDEXED, years UNINDEXED, provinces UNINDEXED);",
    )
    .expect("fts5 table");
    {
        let tx = db.unchecked_transaction().expect("tx");
        {
            let mut ins = tx.prepare("INSERT INTO t(source, text, kinds, years, provinces) VALUES (?1, ?2, ?3, ?4, ?5)").expect("insert");
            for i in 0..entries {
                let e = entry(i);
                let years: Vec<String> = e
                    .years
                    .iter()
                    .copied()
                    .chain(e.published.map(|p| chrono::Datelike::year(&p)))
                    .map(|y| y.to_string())
                    .collect();
                ins.execute(rusqlite::params![
                    e.source,
                    e.text,
                    format!("|{}|", e.kinds.join("|")),
                    format!("|{}|", years.join("|")),
                    format!("|{}|", e.provinces.join("|"))
                ])
                .expect("insert row");
            }
        }
        tx.commit().expect("commit");
    }
    let fts_build = t.elapsed().as_secs_f64();
    println!("fts5: {entries} rows indexed in {fts_build:.1} s");

    // Queries.
    let mut lat_t = Vec::new();
    let mut lat_f = Vec::new();
    let (mut plain_t, mut plain_f, mut plain_n) = (0usize, 0usize, 0usize);
    let (mut zero_t, mut zero_f) = (0usize, 0usize);
    println!("\n| query | filters | tantivy total | tantivy p50 ms | fts5 total | fts5 p50 ms |");
    println!("|---|---|---:|---:|---:|---:|");
    for qq in QUERIES {
        let mut query = Query::new(qq.text);
        query.kind = qq.kind.map(str::to_owned);
        query.year = qq.year;
        query.province = qq.province.map(str::to_owned);
        let mut mine = Vec::new();
        let mut total_t = 0;
        for _ in 0..=REPS {
            let t = Instant::now();
            let r = idx.search(&query).expect("search");
            mine.push(t.elapsed());
            total_t = r.total;
        }
        mine.remove(0); // warm-up
                        // FTS5
        let m = fts_match(qq.text);
        let mut filt = String::new();
        if let Some(k) = qq.kind {
            filt.push_str(&format!(" AND kinds LIKE '%|{k}|%'"));
        }
        if let Some(y) = qq.year {
            filt.push_str(&format!(" AND years LIKE '%|{y}|%'"));
        }
        if let Some(p) = qq.province {
            let names = provinces::covered(p).unwrap_or_default();
            let ors: Vec<String> = names
                .iter()
                .map(|n| format!("provinces LIKE '%|{n}|%'"))
                .collect();
            filt.push_str(&format!(" AND ({})", ors.join(" OR ")));
        }
        let count_sql = format!("SELECT count(*) FROM t WHERE t MATCH ?1{filt}");
        let top_sql = format!(
            "SELECT source, snippet(t, 1, '<mark>', '</mark>', '…', 24) FROM t WHERE t MATCH ?1{filt} ORDER BY rank LIMIT 10"
        );
        let mut theirs = Vec::new();
        let mut total_f = 0usize;
        for _ in 0..=REPS {
            let t = Instant::now();
            let n: i64 = db.query_row(&count_sql, [&m], |r| r.get(0)).unwrap_or(0);
            let mut st = db.prepare_cached(&top_sql).expect("prepare");
            let rows: Vec<(String, String)> = st
                .query_map([&m], |r| Ok((r.get(0)?, r.get(1)?)))
                .map(|it| it.flatten().collect())
                .unwrap_or_default();
            std::hint::black_box(rows);
            theirs.push(t.elapsed());
            total_f = n as usize;
        }
        theirs.remove(0);
        let filters = [
            qq.kind.map(|k| format!("kind={k}")),
            qq.year.map(|y| format!("year={y}")),
            qq.province.map(|p| format!("province={p}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        let p_t = percentile(&mut mine.clone(), 0.5);
        let p_f = percentile(&mut theirs.clone(), 0.5);
        println!(
            "| {} | {} | {} | {:.2} | {} | {:.2} |",
            qq.text, filters, total_t, p_t, total_f, p_f
        );
        if !has_diacritics(qq.text)
            && qq.text.chars().any(char::is_alphabetic)
            && qq.text == qq.text.to_lowercase()
        {
            plain_n += 1;
            plain_t += total_t;
            plain_f += total_f;
            zero_t += usize::from(total_t == 0);
            zero_f += usize::from(total_f == 0);
        }
        lat_t.extend(mine);
        lat_f.extend(theirs);
    }
    println!("\n| engine | build s | p50 ms | p99 ms | diacritic-less queries: hits (sum) | … with no hit |");
    println!("|---|---:|---:|---:|---:|---:|");
    println!(
        "| vanban-search (tantivy) | {:.1} | {:.2} | {:.2} | {} over {} queries | {} |",
        tantivy_build,
        percentile(&mut lat_t, 0.5),
        percentile(&mut lat_t, 0.99),
        plain_t,
        plain_n,
        zero_t
    );
    println!(
        "| SQLite FTS5 unicode61 | {:.1} | {:.2} | {:.2} | {} over {} queries | {} |",
        fts_build,
        percentile(&mut lat_f, 0.5),
        percentile(&mut lat_f, 0.99),
        plain_f,
        plain_n,
        zero_f
    );
    println!(
        "\n{} queries x {} runs each (after one warm-up), {} source entries",
        QUERIES.len(),
        REPS,
        entries
    );
}
