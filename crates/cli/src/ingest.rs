//! `vanban ingest` (being built).

use crate::kb::StoreArgs;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct IngestArgs {}

pub fn run(_args: IngestArgs, _store: &StoreArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`vanban ingest` is not available yet")
}
