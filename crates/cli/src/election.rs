//! `vanban election …`: reads ELECTION.toml and BALLOTS.csv, counts with
//! `vanban-election`, prints the result, writes the minutes PDF.

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ElectionCommand {
    /// Count the ballots of one election (kiểm phiếu).
    Count,
}

pub fn run(_cmd: ElectionCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("election counting is not built yet")
}
