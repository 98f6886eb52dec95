//! The validated election: settings, candidates, rules.

use crate::InputError;
use serde::{Deserialize, Serialize};

/// The office being elected (contract names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Office {
    BanChapHanh,
    BanThuongVu,
    BiThu,
    PhoBiThu,
    UyBanKiemTra,
    ChuNhiemUbkt,
    DaiBieu,
}

impl Office {
    /// The Vietnamese name of the office, for minutes and tables.
    pub fn label(self) -> &'static str {
        match self {
            Office::BanChapHanh => "Ban Chấp hành",
            Office::BanThuongVu => "Ban Thường vụ",
            Office::BiThu => "Bí thư",
            Office::PhoBiThu => "Phó Bí thư",
            Office::UyBanKiemTra => "Ủy ban Kiểm tra",
            Office::ChuNhiemUbkt => "Chủ nhiệm Ủy ban Kiểm tra",
            Office::DaiBieu => "Đại biểu dự Đại hội cấp trên",
        }
    }
}

/// Whether the congress is of delegates or of all members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Congress {
    Delegates,
    Members,
}

/// The ballot form: strike-out (list with surplus) or agree/disagree (no surplus).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BallotForm {
    StrikeOut,
    AgreeDisagree,
}

/// The deductions from `convened` (each defaults to 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Deductions {
    pub absent_with_leave: u64,
    pub suspended: u64,
    pub prosecuted_or_detained: u64,
    pub attached_elsewhere: u64,
    pub exempt_and_absent: u64,
    pub absent_without_substitute: u64,
}

impl Deductions {
    /// The sum, or `None` on overflow.
    pub fn total(&self) -> Option<u64> {
        [
            self.absent_with_leave,
            self.suspended,
            self.prosecuted_or_detained,
            self.attached_elsewhere,
            self.exempt_and_absent,
            self.absent_without_substitute,
        ]
        .iter()
        .try_fold(0u64, |a, &b| a.checked_add(b))
    }
}

/// What happens when candidates tie for the last seat(s).
///
/// *Unconfirmed*: the domain notes (shared/domain §8) record a new round
/// among the tied as the practice but mark it unconfirmed against the
/// regulation text, hence a setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TieRule {
    /// The tied are not elected; `next_round` = tie among them for the seats
    /// left (the contract's rule, the default).
    #[default]
    NewRound,
}

/// Rules the regulation leaves to the congress (optional `[rules]` table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// Tie at the last seat. Default `new_round`.
    pub tie: TieRule,
    /// On an agree/disagree ballot of more than one candidate, is a ballot
    /// marking every name `disagree` invalid as "every name struck"?
    /// Default `true` (the contract's "every name struck" read literally).
    pub all_disagree_is_all_struck: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            tie: TieRule::NewRound,
            all_disagree_is_all_struck: true,
        }
    }
}

/// ELECTION.toml as written, before validation. Build an [`Election`] from
/// it with [`Election::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectionSpec {
    pub title: String,
    pub office: Office,
    pub seats: u64,
    pub congress: Congress,
    pub convened: u64,
    pub ballots_issued: u64,
    pub ballot_form: BallotForm,
    pub candidates: Vec<String>,
    #[serde(default)]
    pub deductions: Deductions,
    #[serde(default)]
    pub rules: Rules,
    /// Optional, for the minutes: where the count took place.
    #[serde(default)]
    pub place: Option<String>,
    /// Optional, for the minutes: when (free text, e.g. "14 giờ 30, ngày 20/5/2025").
    #[serde(default)]
    pub held_at: Option<String>,
    /// Optional, for the minutes: the counting committee, head first.
    #[serde(default)]
    pub counting_committee: Vec<String>,
}

/// A candidate's position in the list (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CandidateId(pub(crate) usize);

impl CandidateId {
    pub fn index(self) -> usize {
        self.0
    }
}

/// One mark on a ballot for one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    Keep,
    Strike,
    Agree,
    Disagree,
    Both,
    Neither,
}

impl Mark {
    /// Is this a vote for the candidate?
    pub fn is_vote(self) -> bool {
        matches!(self, Mark::Keep | Mark::Agree)
    }
    pub fn allowed_on(self, form: BallotForm) -> bool {
        match form {
            BallotForm::StrikeOut => matches!(self, Mark::Keep | Mark::Strike),
            BallotForm::AgreeDisagree => !matches!(self, Mark::Keep | Mark::Strike),
        }
    }
}

/// A validated election: only [`Election::new`] or [`parse_election`] build one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Election {
    spec: ElectionSpec,
    seats: usize,
    base: u64,
    threshold: u64,
}

impl Election {
    /// Validates the settings: seats in 1..=candidates, candidate names
    /// non-empty and distinct, deductions not larger than `convened`.
    pub fn new(spec: ElectionSpec) -> Result<Election, InputError> {
        let set = |field, message: String| InputError::Setting { field, message };
        if spec.candidates.is_empty() {
            return Err(set("candidates", "the list is empty".into()));
        }
        for (i, name) in spec.candidates.iter().enumerate() {
            if name.trim().is_empty() {
                return Err(set(
                    "candidates",
                    format!("candidate {} has an empty name", i + 1),
                ));
            }
            if spec.candidates[..i].contains(name) {
                return Err(set("candidates", format!("`{name}` is listed twice")));
            }
            if matches!(name.as_str(), "ballot" | "sealed") {
                return Err(set(
                    "candidates",
                    format!("`{name}` is a reserved column name"),
                ));
            }
        }
        if spec.seats == 0 {
            return Err(set("seats", "must be at least 1".into()));
        }
        let n = spec.candidates.len();
        let seats = match usize::try_from(spec.seats) {
            Ok(s) if s <= n => s,
            _ => {
                return Err(set(
                    "seats",
                    format!("{} seats but only {} candidates", spec.seats, n),
                ))
            }
        };
        let ded = spec
            .deductions
            .total()
            .filter(|&d| d <= spec.convened)
            .ok_or_else(|| {
                set(
                    "deductions",
                    format!("deductions larger than convened ({})", spec.convened),
                )
            })?;
        let base = spec.convened - ded;
        let threshold = base / 2 + 1;
        Ok(Election {
            spec,
            seats,
            base,
            threshold,
        })
    }

    pub fn spec(&self) -> &ElectionSpec {
        &self.spec
    }
    pub fn title(&self) -> &str {
        &self.spec.title
    }
    pub fn seats(&self) -> usize {
        self.seats
    }
    pub fn form(&self) -> BallotForm {
        self.spec.ballot_form
    }
    pub fn rules(&self) -> Rules {
        self.spec.rules
    }
    pub fn candidates(&self) -> &[String] {
        &self.spec.candidates
    }
    pub fn candidate(&self, id: CandidateId) -> &str {
        &self.spec.candidates[id.0]
    }
    pub fn candidate_id(&self, name: &str) -> Option<CandidateId> {
        self.spec
            .candidates
            .iter()
            .position(|c| c == name)
            .map(CandidateId)
    }
    /// `convened` − deductions.
    pub fn base(&self) -> u64 {
        self.base
    }
    /// The least integer strictly more than half of `base`.
    pub fn threshold(&self) -> u64 {
        self.threshold
    }
    pub fn ballots_issued(&self) -> u64 {
        self.spec.ballots_issued
    }
}

/// Parses and validates ELECTION.toml.
pub fn parse_election(toml_text: &str) -> Result<Election, InputError> {
    let spec: ElectionSpec = toml::from_str(toml_text)
        .map_err(|e| InputError::Toml(e.to_string().trim().to_string()))?;
    Election::new(spec)
}
