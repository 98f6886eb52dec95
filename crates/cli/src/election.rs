//! `vanban election …`: reads ELECTION.toml and BALLOTS.csv, counts with
//! `vanban-election`, prints the result, writes the minutes PDF.

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use vanban_election::{InputError, NextRoundReason, Outcome};

#[derive(Subcommand)]
pub enum ElectionCommand {
    /// Count the ballots of one election (kiểm phiếu).
    ///
    /// Reads the election's settings (ELECTION.toml) and the returned
    /// ballots (BALLOTS.csv), checks the whole input, and prints base,
    /// threshold, ballots, each candidate's votes and percentages, the
    /// elected and the next round, by Quyết định 190-QĐ/TW
    /// (docs/election.md).
    ///
    /// Optional ELECTION.toml fields for the minutes: place, held_at,
    /// counting_committee = ["head", "member", …]; optional [rules]:
    /// tie = "new_round", all_disagree_is_all_struck = true.
    ///
    /// EXIT STATUS: 0 counted; 2 bad input (the message names the file, row
    /// and column; nothing is counted) or a file that cannot be read or
    /// written.
    Count(CountArgs),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// The contract's JSON object.
    Json,
    /// A readable table in Vietnamese.
    Text,
}

#[derive(Args)]
pub struct CountArgs {
    /// The election's settings (title, office, seats, convened, deductions…).
    pub election: PathBuf,
    /// The ballots: header `ballot,sealed,<candidate names>`, one row per ballot.
    pub ballots: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Also write the minutes (biên bản kiểm phiếu) as an A4 PDF to this file.
    #[arg(long, value_name = "FILE.pdf")]
    pub minutes: Option<PathBuf>,
}

pub fn run(cmd: ElectionCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ElectionCommand::Count(args) => count(args),
    }
}

fn bad_input(file: &std::path::Path, err: &InputError) -> ExitCode {
    let msg = err.to_string();
    let msg = msg.strip_prefix("ELECTION.toml: ").unwrap_or(&msg);
    eprintln!("vanban: error: {}: {msg}; nothing counted", file.display());
    ExitCode::from(2)
}

fn count(args: CountArgs) -> anyhow::Result<ExitCode> {
    let toml_bytes = std::fs::read(&args.election)
        .with_context(|| format!("cannot read {}", args.election.display()))?;
    let csv_bytes = std::fs::read(&args.ballots)
        .with_context(|| format!("cannot read {}", args.ballots.display()))?;
    let Ok(toml_text) = std::str::from_utf8(&toml_bytes) else {
        eprintln!(
            "vanban: error: {}: not UTF-8 text; nothing counted",
            args.election.display()
        );
        return Ok(ExitCode::from(2));
    };
    let election = match vanban_election::parse_election(toml_text) {
        Ok(e) => e,
        Err(e) => return Ok(bad_input(&args.election, &e)),
    };
    let outcome = match vanban_election::count_csv(&election, &csv_bytes) {
        Ok(o) => o,
        Err(e) => return Ok(bad_input(&args.ballots, &e)),
    };
    if let Some(path) = &args.minutes {
        let pdf = vanban_minutes::minutes_pdf(&election, &outcome, &toml_bytes, &csv_bytes)?;
        std::fs::write(path, pdf).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let out = match args.format {
        Format::Json => serde_json::to_string_pretty(&outcome)? + "\n",
        Format::Text => text(&election, &outcome),
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn text(e: &vanban_election::Election, o: &Outcome) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let b = &o.ballots;
    let r = &b.invalid_reasons;
    let _ = writeln!(s, "{}", e.title());
    let _ = writeln!(s, "Số lượng cần bầu: {}", e.seats());
    let _ = writeln!(
        s,
        "Tổng số làm căn cứ: {}   Số phiếu cần để trúng cử: {}",
        o.base, o.threshold
    );
    let _ = writeln!(
        s,
        "Phiếu phát ra: {}   thu vào: {}   hợp lệ: {}   không hợp lệ: {} (không có dấu: {}, để quá số tên: {}, gạch hết: {})",
        b.issued, b.returned, b.valid, b.invalid, r.not_sealed, r.too_many_kept, r.all_struck
    );
    let _ = writeln!(s);
    let name_w = o
        .candidates
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(9);
    let pad = |t: &str, w: usize| format!("{t}{}", " ".repeat(w.saturating_sub(t.chars().count())));
    let _ = writeln!(
        s,
        "{} {:>8}  {:>16}  {:>20}  Trúng cử",
        pad("Họ và tên", name_w),
        "Số phiếu",
        "% so với tổng số",
        "% so với phiếu hợp lệ"
    );
    for c in &o.candidates {
        let _ = writeln!(
            s,
            "{} {:>8}  {:>16}  {:>20}  {}",
            pad(&c.name, name_w),
            c.votes,
            c.percent_of_base.to_string(),
            c.percent_of_valid.to_string(),
            if c.elected { "x" } else { "" }
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Trúng cử ({}/{}): {}",
        o.seats_filled,
        e.seats(),
        o.elected.join(", ")
    );
    if let Some(nr) = &o.next_round {
        let why = match nr.reason {
            NextRoundReason::Tie => "bằng phiếu nhau ở vị trí cuối",
            NextRoundReason::TooFewElected => "chưa đủ số lượng",
        };
        let _ = writeln!(
            s,
            "Cần bầu tiếp ({why}): {} chỗ, trong số: {}",
            nr.seats,
            nr.candidates.join(", ")
        );
    }
    s
}
