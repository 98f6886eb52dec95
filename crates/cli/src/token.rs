//! `vanban token` (being built).

use crate::kb::StoreArgs;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum TokenCommand {
    /// Create a token.
    Create,
}

pub fn run(_cmd: TokenCommand, _store: &StoreArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`vanban token` is not available yet")
}
