//! Party election vote counting (kiểm phiếu) by the election regulation,
//! Quyết định 190-QĐ/TW (2024), as specified in `docs/election.md`.
//!
//! What it is for: turn an election's settings (ELECTION.toml) and its
//! returned ballots (BALLOTS.csv) into the exact result — base, threshold,
//! valid and invalid ballots, each candidate's votes, the elected and, when
//! needed, the next round.
//!
//! What it must never do: read or write files, the network or the clock
//! (callers pass bytes in); use floating point for anything but the
//! displayed percentages; panic on any input; count anything from input
//! that fails validation — bad input is rejected whole with an
//! [`InputError`] naming the row and column.
//!
//! # Rules
//! - `base` = `convened` − the sum of the deductions (error if larger).
//! - `threshold` = `base / 2 + 1`, the least integer strictly more than half.
//! - A ballot is invalid when (reasons checked in this order, each invalid
//!   ballot counted once under the first that applies): `not_sealed`;
//!   `too_many_kept` (more names kept — or agreed — than seats);
//!   `all_struck` (every name struck — or, on an agree/disagree ballot,
//!   every name marked `disagree`, see [`Rules::all_disagree_is_all_struck`]
//!   — on a list of more than one candidate).
//! - `both` and `none` on an agree/disagree ballot count for no one and do
//!   not invalidate the ballot.
//! - Elected: candidates with at least `threshold` votes, highest first, at
//!   most `seats`; a tie at the last seat is settled by [`TieRule`].
//!
//! # Settings the regulation leaves to the congress
//! [`Rules`] holds them, read from the optional `[rules]` table of
//! ELECTION.toml. Defaults follow the contract. The tie rule
//! ([`TieRule::NewRound`]) is marked *unconfirmed* in the domain notes
//! (shared/domain §8): the regulation text was not checked for it.

mod csvin;
mod model;
mod tally;

pub use csvin::count_csv;
pub use model::{
    parse_election, BallotForm, CandidateId, Congress, Deductions, Election, ElectionSpec, Mark,
    Office, Rules, TieRule,
};
pub use tally::{
    count, Ballot, BallotCounts, CandidateResult, InvalidReason, InvalidReasons, NextRound,
    NextRoundReason, Outcome, Percent, Tally,
};

/// Input that cannot be counted. Rows are lines of BALLOTS.csv counting the
/// header as row 1; columns are 1-based (column 1 is `ballot`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("ELECTION.toml: {0}")]
    Toml(String),
    #[error("ELECTION.toml: field `{field}`: {message}")]
    Setting {
        field: &'static str,
        message: String,
    },
    #[error("row {row}: CSV syntax error: {message}")]
    Csv { row: u64, message: String },
    #[error("row 1: the file is empty; expected a header `ballot,sealed,<candidates…>`")]
    Empty,
    #[error("row 1, column {column}: expected header `{expected}`, found `{found}`")]
    HeaderStart {
        column: usize,
        expected: &'static str,
        found: String,
    },
    #[error("row 1, column {column}: unknown candidate column `{name}`")]
    UnknownColumn { column: usize, name: String },
    #[error(
        "row 1, column {column}: duplicate candidate column `{name}` (first at column {first})"
    )]
    DuplicateColumn {
        column: usize,
        first: usize,
        name: String,
    },
    #[error("row 1: missing candidate column `{name}`")]
    MissingColumn { name: String },
    #[error("row {row}: expected {expected} cells, found {found}")]
    WrongCellCount {
        row: u64,
        expected: usize,
        found: usize,
    },
    #[error("row {row}, column 1 (ballot): empty ballot id")]
    EmptyBallotId { row: u64 },
    #[error("row {row}, column 1 (ballot): duplicated ballot id `{id}`")]
    DuplicateBallot { row: u64, id: String },
    #[error("row {row}, column 2 (sealed): `{found}` is not `true` or `false`")]
    BadSealed { row: u64, found: String },
    #[error("row {row}, column {column} ({candidate}): `{found}` is not one of {allowed}")]
    BadCell {
        row: u64,
        column: usize,
        candidate: String,
        found: String,
        allowed: &'static str,
    },
    #[error("row {row}: more ballots returned than the {issued} issued")]
    TooManyReturned { row: u64, issued: u64 },
}
