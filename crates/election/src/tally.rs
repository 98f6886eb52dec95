//! Counting: ballot validity, votes, winners, next round.

use crate::model::{BallotForm, CandidateId, Election, Mark, TieRule};
use crate::InputError;
use serde::{Serialize, Serializer};
use std::collections::HashSet;

/// Why a ballot is invalid; checked in this order, the first applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidReason {
    NotSealed,
    TooManyKept,
    AllStruck,
}

/// One returned ballot; `marks` are in list order, one per candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    pub id: String,
    pub sealed: bool,
    pub marks: Vec<Mark>,
}

/// Judges one ballot. `marks` must be in list order and of the election's form.
pub fn judge(election: &Election, sealed: bool, marks: &[Mark]) -> Option<InvalidReason> {
    if !sealed {
        return Some(InvalidReason::NotSealed);
    }
    let kept = marks.iter().filter(|m| m.is_vote()).count();
    if kept > election.seats() {
        return Some(InvalidReason::TooManyKept);
    }
    if marks.len() > 1 {
        let struck = match election.form() {
            BallotForm::StrikeOut => kept == 0,
            BallotForm::AgreeDisagree => {
                election.rules().all_disagree_is_all_struck
                    && marks.iter().all(|&m| m == Mark::Disagree)
            }
        };
        if struck {
            return Some(InvalidReason::AllStruck);
        }
    }
    None
}

/// A percentage in hundredths of a percent, rounded half up with integers.
/// Serialised as a number with at most two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(pub u64);

impl Percent {
    /// `part / whole` in hundredths of a percent, half up; 0 when `whole` is 0.
    pub fn of(part: u64, whole: u64) -> Percent {
        if whole == 0 {
            return Percent(0);
        }
        let num = u128::from(part) * 10_000 * 2 + u128::from(whole);
        let den = u128::from(whole) * 2;
        Percent(u64::try_from(num / den).unwrap_or(u64::MAX))
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Display only: the shortest double for n/100 prints as n/100.
        s.serialize_f64(self.0 as f64 / 100.0)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct InvalidReasons {
    pub not_sealed: u64,
    pub too_many_kept: u64,
    pub all_struck: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BallotCounts {
    pub issued: u64,
    pub returned: u64,
    pub valid: u64,
    pub invalid: u64,
    pub invalid_reasons: InvalidReasons,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateResult {
    pub name: String,
    pub votes: u64,
    pub percent_of_base: Percent,
    pub percent_of_valid: Percent,
    pub elected: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NextRoundReason {
    Tie,
    TooFewElected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextRound {
    pub reason: NextRoundReason,
    pub candidates: Vec<String>,
    pub seats: u64,
}

/// The result, serialised exactly as the contract's JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub base: u64,
    pub threshold: u64,
    pub ballots: BallotCounts,
    /// By votes, highest first, then in list order.
    pub candidates: Vec<CandidateResult>,
    /// Highest first.
    pub elected: Vec<String>,
    pub seats_filled: u64,
    pub next_round: Option<NextRound>,
}

/// A running count. Feed ballots with [`Tally::add`], then [`Tally::finish`].
#[derive(Debug, Clone)]
pub struct Tally<'e> {
    election: &'e Election,
    votes: Vec<u64>,
    returned: u64,
    valid: u64,
    reasons: InvalidReasons,
}

impl<'e> Tally<'e> {
    pub fn new(election: &'e Election) -> Self {
        Tally {
            election,
            votes: vec![0; election.candidates().len()],
            returned: 0,
            valid: 0,
            reasons: InvalidReasons::default(),
        }
    }

    /// Number of ballots added so far.
    pub fn returned(&self) -> u64 {
        self.returned
    }

    /// Adds one ballot whose marks are in list order and already checked
    /// against the form (the caller guarantees `marks.len()` = candidates).
    pub fn add(&mut self, sealed: bool, marks: &[Mark]) {
        self.returned += 1;
        match judge(self.election, sealed, marks) {
            Some(InvalidReason::NotSealed) => self.reasons.not_sealed += 1,
            Some(InvalidReason::TooManyKept) => self.reasons.too_many_kept += 1,
            Some(InvalidReason::AllStruck) => self.reasons.all_struck += 1,
            None => {
                self.valid += 1;
                for (v, m) in self.votes.iter_mut().zip(marks) {
                    *v += u64::from(m.is_vote());
                }
            }
        }
    }

    /// The result.
    pub fn finish(self) -> Outcome {
        let e = self.election;
        let base = e.base();
        let threshold = e.threshold();
        let seats = e.seats();
        let mut order: Vec<CandidateId> = (0..self.votes.len()).map(CandidateId).collect();
        order.sort_by(|a, b| self.votes[b.0].cmp(&self.votes[a.0]).then(a.0.cmp(&b.0)));
        let qualified: Vec<CandidateId> = order
            .iter()
            .copied()
            .filter(|c| self.votes[c.0] >= threshold)
            .collect();
        let mut elected: Vec<CandidateId>;
        let mut next_round = None;
        if qualified.len() <= seats {
            elected = qualified;
        } else {
            let last = self.votes[qualified[seats - 1].0];
            let above: Vec<CandidateId> = qualified
                .iter()
                .copied()
                .filter(|c| self.votes[c.0] > last)
                .collect();
            let tied: Vec<CandidateId> = qualified
                .iter()
                .copied()
                .filter(|c| self.votes[c.0] == last)
                .collect();
            if above.len() + tied.len() <= seats {
                elected = above;
                elected.extend(tied);
            } else {
                match e.rules().tie {
                    TieRule::NewRound => {
                        let k = seats - above.len();
                        next_round = Some(NextRound {
                            reason: NextRoundReason::Tie,
                            candidates: tied.iter().map(|&c| e.candidate(c).to_string()).collect(),
                            seats: k as u64,
                        });
                        elected = above;
                    }
                }
            }
        }
        if next_round.is_none() && elected.len() < seats {
            next_round = Some(NextRound {
                reason: NextRoundReason::TooFewElected,
                candidates: order
                    .iter()
                    .filter(|c| !elected.contains(c))
                    .map(|&c| e.candidate(c).to_string())
                    .collect(),
                seats: (seats - elected.len()) as u64,
            });
        }
        let is_elected: HashSet<CandidateId> = elected.iter().copied().collect();
        let candidates = order
            .iter()
            .map(|&c| CandidateResult {
                name: e.candidate(c).to_string(),
                votes: self.votes[c.0],
                percent_of_base: Percent::of(self.votes[c.0], base),
                percent_of_valid: Percent::of(self.votes[c.0], self.valid),
                elected: is_elected.contains(&c),
            })
            .collect();
        Outcome {
            base,
            threshold,
            ballots: BallotCounts {
                issued: e.ballots_issued(),
                returned: self.returned,
                valid: self.valid,
                invalid: self.returned - self.valid,
                invalid_reasons: self.reasons,
            },
            candidates,
            elected: elected
                .iter()
                .map(|&c| e.candidate(c).to_string())
                .collect(),
            seats_filled: elected.len() as u64,
            next_round,
        }
    }
}

/// Counts ballots given as values (row numbers in errors are 2, 3, … as if
/// the ballots were CSV rows after a header). Rejects the whole input on
/// the first bad ballot.
pub fn count(
    election: &Election,
    ballots: impl IntoIterator<Item = Ballot>,
) -> Result<Outcome, InputError> {
    let mut tally = Tally::new(election);
    let mut ids = HashSet::new();
    let n = election.candidates().len();
    for (i, b) in ballots.into_iter().enumerate() {
        let row = i as u64 + 2;
        if b.marks.len() != n {
            return Err(InputError::WrongCellCount {
                row,
                expected: n + 2,
                found: b.marks.len() + 2,
            });
        }
        for (j, m) in b.marks.iter().enumerate() {
            if !m.allowed_on(election.form()) {
                return Err(InputError::BadCell {
                    row,
                    column: j + 3,
                    candidate: election.candidates()[j].clone(),
                    found: format!("{m:?}").to_lowercase(),
                    allowed: crate::csvin::allowed(election.form()),
                });
            }
        }
        if b.id.is_empty() {
            return Err(InputError::EmptyBallotId { row });
        }
        if tally.returned() >= election.ballots_issued() {
            return Err(InputError::TooManyReturned {
                row,
                issued: election.ballots_issued(),
            });
        }
        if !ids.insert(b.id.clone()) {
            return Err(InputError::DuplicateBallot { row, id: b.id });
        }
        tally.add(b.sealed, &b.marks);
    }
    Ok(tally.finish())
}
