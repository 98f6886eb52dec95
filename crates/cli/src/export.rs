//! `vanban export` (being built).

use crate::kb::StoreArgs;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ExportArgs {}

pub fn run(_args: ExportArgs, _store: &StoreArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`vanban export` is not available yet")
}
