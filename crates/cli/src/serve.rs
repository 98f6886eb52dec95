//! `vanban serve` (being built).

use crate::kb::StoreArgs;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ServeArgs {}

pub fn run(_args: ServeArgs, _store: &StoreArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`vanban serve` is not available yet")
}
