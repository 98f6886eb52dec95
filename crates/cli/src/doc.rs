//! `vanban doc` (being built).

use crate::kb::StoreArgs;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct DocArgs {}

pub fn run(_args: DocArgs, _store: &StoreArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`vanban doc` is not available yet")
}
