//! `vanban search` (tìm kiếm) and `vanban reindex` (dựng lại chỉ mục).
//!
//! The search index lives in `DATA/index` and is derived from the store:
//! `vanban reindex` builds a new one beside it (`DATA/index.new`) and swaps
//! it in only when it is complete, so a failed rebuild leaves the old index
//! usable.

use crate::kb::{self, StoreArgs};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;
use vanban_search::{Hit, Query, SearchIndex, SearchResults};
use vanban_store::indexing;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SearchFormat {
    /// A readable list in Vietnamese.
    Text,
    /// Exactly the contract's JSON object.
    Json,
}

#[derive(clap::Args)]
pub struct SearchArgs {
    /// Words or a document reference; diacritics optional
    /// ("bao ve chinh tri noi bo", "quy dinh 126", "30/2020/NĐ-CP").
    #[arg(value_name = "QUERY", num_args = 1.., required = true)]
    pub query: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: SearchFormat,
    /// At most this many hits.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Skip this many hits first (the next page).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Only this kind of document: a code (quy_dinh) or name (Quy định).
    #[arg(long, value_name = "K")]
    pub kind: Option<String>,
    /// Only this issuer (Bộ Chính trị; accents optional).
    #[arg(long, value_name = "I")]
    pub issuer: Option<String>,
    /// Only this year.
    #[arg(long, value_name = "Y")]
    pub year: Option<i32>,
    /// Only this province, old or of today (today's name also finds the
    /// provinces merged into it in 2025).
    #[arg(long, value_name = "P")]
    pub province: Option<String>,
}

#[derive(clap::Args)]
pub struct ReindexArgs {
    /// Summary format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: SearchFormat,
}

pub fn run(args: SearchArgs, store_args: &StoreArgs) -> anyhow::Result<ExitCode> {
    let dir = store_args.index_dir()?;
    let Some(index) = kb::open_index(&dir)? else {
        anyhow::bail!(
            "chưa có chỉ mục tìm kiếm trong {} (no search index yet): ingest texts with `vanban ingest PATH...`, or build it from the store with `vanban reindex`",
            dir.display()
        );
    };
    let query = Query {
        text: args.query.join(" "),
        limit: args.limit,
        offset: args.offset,
        kind: args.kind,
        issuer: args.issuer,
        year: args.year,
        province: args.province,
    };
    let results = index.search(&query)?;
    match args.format {
        SearchFormat::Json => outln!("{}", serde_json::to_string(&results)?),
        SearchFormat::Text => out!(
            "{}",
            text_results(&results, args.offset, std::io::stdout().is_terminal())
        ),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn reindex(args: ReindexArgs, store_args: &StoreArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let Some(mut store) = store_args.open_existing_store()? else {
        anyhow::bail!(kb::no_store_message(store_args));
    };
    let dir = store_args.index_dir()?;
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            anyhow::anyhow!(
                "không tạo được thư mục dữ liệu {} (cannot create the data directory: {e}); kiểm tra đường dẫn và quyền ghi, hoặc chọn thư mục khác bằng --data",
                parent.display()
            )
        })?;
    }
    let fresh = kb::fresh_sibling(&dir, "new")?;
    let built = (|| -> anyhow::Result<indexing::Indexed> {
        let index = SearchIndex::create(&fresh)?;
        let (done, state) = indexing::rebuild(&mut store, &index, &mut |_| {})?;
        state.save(&fresh)?;
        Ok(done)
    })();
    let done = match built {
        Ok(done) => done,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&fresh);
            return Err(e.context(
                "dựng lại chỉ mục thất bại (reindex failed); the previous index is unchanged",
            ));
        }
    };
    kb::swap_in(&fresh, &dir)?;
    let seconds = started.elapsed().as_secs_f64();
    match args.format {
        SearchFormat::Json => outln!(
            "{}",
            serde_json::json!({
                "sources": done.sources,
                "documents": done.documents,
                "seconds": (seconds * 1000.0).round() / 1000.0,
            })
        ),
        SearchFormat::Text => outln!(
            "Đã dựng lại chỉ mục tìm kiếm (reindexed) trong {seconds:.1} s: {} nguồn (sources), {} văn bản (documents).",
            done.sources, done.documents
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// HTML snippet (`<mark>` around matches, escaped text) → terminal text:
/// bold on a terminal, `[…]` otherwise.
fn plain_snippet(html: &str, terminal: bool) -> String {
    let (open, close) = if terminal {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    html.replace("<mark>", open)
        .replace("</mark>", close)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

fn text_results(results: &SearchResults, offset: usize, terminal: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} kết quả (results) cho «{}» ({:.1} ms):",
        results.total, results.query, results.took_ms
    );
    if results.hits.is_empty() {
        let _ = writeln!(
            out,
            "  Không tìm thấy. Thử bỏ bớt từ hoặc bộ lọc (try fewer words or filters)."
        );
    }
    for (i, hit) in results.hits.iter().enumerate() {
        let n = offset + i + 1;
        match hit {
            Hit::Document {
                id, title, snippet, ..
            } => {
                let _ = writeln!(out, "{n}. [văn bản] {title}");
                let _ = writeln!(out, "   {id}  —  vanban doc '{id}'");
                if !snippet.is_empty() && snippet != title {
                    let _ = writeln!(out, "   {}", plain_snippet(snippet, terminal));
                }
            }
            Hit::Source {
                source,
                published,
                title,
                snippet,
                ..
            } => {
                let date = published
                    .as_deref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default();
                let _ = writeln!(out, "{n}. [nguồn] {title}{date}");
                let _ = writeln!(out, "   {source}");
                if !snippet.is_empty() {
                    let _ = writeln!(out, "   {}", plain_snippet(snippet, terminal));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_lose_their_markup() {
        assert_eq!(
            plain_snippet("…<mark>bảo vệ</mark> &amp; &lt;b&gt;…", false),
            "…[bảo vệ] & <b>…"
        );
    }
}
