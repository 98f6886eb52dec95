//! `vanban search` and `vanban reindex` (being built).

use crate::kb::StoreArgs;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct SearchArgs {}

#[derive(clap::Args)]
pub struct ReindexArgs {}

pub fn run(_args: SearchArgs, _store: &StoreArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`vanban search` is not available yet")
}

pub fn reindex(_args: ReindexArgs, _store: &StoreArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`vanban reindex` is not available yet")
}
