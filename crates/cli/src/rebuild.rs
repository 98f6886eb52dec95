//! `vanban rebuild`: the store's derived state (the resolved graph) written
//! again from every stored fact.

use crate::kb::{self, StoreArgs};
use crate::search::{ReindexArgs, SearchFormat};
use std::process::ExitCode;
use std::time::Instant;

pub fn run(args: ReindexArgs, store_args: &StoreArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let Some(mut store) = store_args.open_existing_store()? else {
        anyhow::bail!(kb::no_store_message(store_args));
    };
    let documents = store.rebuild_derived().map_err(|e| {
        anyhow::Error::new(e).context(
            "dựng lại đồ thị thất bại (rebuild failed); the stored facts and the previous graph are unchanged",
        )
    })?;
    let sources = store.counts()?.sources;
    let seconds = started.elapsed().as_secs_f64();
    match args.format {
        SearchFormat::Json => outln!(
            "{}",
            serde_json::json!({
                "sources": sources,
                "documents": documents,
                "seconds": (seconds * 1000.0).round() / 1000.0,
            })
        ),
        SearchFormat::Text => outln!(
            "Đã dựng lại đồ thị trích dẫn (rebuilt) trong {seconds:.1} s: {sources} nguồn (sources), {documents} văn bản (documents)."
        ),
    }
    Ok(ExitCode::SUCCESS)
}
