//! A counting session (phiên kiểm phiếu) and its append-only log (nhật ký).
//!
//! The log is one JSON event per line; the session is always the replay of
//! its log from the first line, and every event is checked on replay
//! exactly as it was when written, so a log edited by hand into something
//! impossible is refused rather than counted.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use vanban_election::{
    count, count_csv, parse_election, Ballot, BallotForm, Election, Mark, Outcome,
};

/// One event of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// The session starts with the exact text of ELECTION.toml.
    Created { election_toml: String },
    /// A clerk (người nhập 1 or 2) enters a ballot for the first time.
    Entry {
        clerk: u8,
        ballot: u64,
        sealed: bool,
        marks: Vec<String>,
    },
    /// A clerk changes a ballot they entered before, saying why.
    Correction {
        clerk: u8,
        ballot: u64,
        sealed: bool,
        marks: Vec<String>,
        reason: String,
    },
    /// A disagreement (or a ballot entered by one clerk only) settled.
    Resolution {
        ballot: u64,
        sealed: bool,
        marks: Vec<String>,
        by: Choice,
    },
    /// Counting done: the SHA-256 of ELECTION.toml followed by BALLOTS.csv.
    Closed { inputs_sha256: String },
}

/// How a ballot was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    /// Clerk 1's entry was taken.
    Entry1,
    /// Clerk 2's entry was taken.
    Entry2,
    /// The ballot was looked at again and entered anew.
    ReEntered,
}

impl Choice {
    pub fn label(self) -> &'static str {
        match self {
            Choice::Entry1 => "lấy theo người nhập 1",
            Choice::Entry2 => "lấy theo người nhập 2",
            Choice::ReEntered => "xem lại phiếu và nhập lại",
        }
    }
}

/// One line of the log: its number, when it was written (UTC) and the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub seq: u64,
    pub at: String,
    #[serde(flatten)]
    pub event: Event,
}

/// What one clerk read on one ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub sealed: bool,
    pub marks: Vec<Mark>,
}

/// Where a ballot stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BallotState<'a> {
    /// Both clerks entered it the same way.
    Agreed(&'a Reading),
    /// Settled by a resolution.
    Resolved(&'a Reading, Choice),
    /// Both entered it, differently.
    Differ(&'a Reading, &'a Reading),
    /// Only this clerk (1 or 2) entered it.
    Only(u8, &'a Reading),
}

impl BallotState<'_> {
    /// The reading to count, once settled.
    pub fn settled(&self) -> Option<&Reading> {
        match self {
            BallotState::Agreed(r) | BallotState::Resolved(r, _) => Some(r),
            _ => None,
        }
    }
}

/// Why an event or a request cannot be accepted. Messages are for the
/// people at the counting table: what was wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("ELECTION.toml không hợp lệ ({0}); sửa tệp rồi tạo lại phiên")]
    Election(String),
    #[error("người nhập phải là 1 hoặc 2 (nhận được {0})")]
    Clerk(u8),
    #[error("số phiếu {ballot} nằm ngoài khoảng 1–{issued} (số phiếu phát ra); kiểm tra lại số ghi trên phiếu")]
    BallotOutOfRange { ballot: u64, issued: u64 },
    #[error(
        "phiếu cần đúng {expected} ô đánh dấu, mỗi người trong danh sách một ô (nhận được {found})"
    )]
    MarkCount { expected: usize, found: usize },
    #[error("số phiếu `{0}` không phải là một số nguyên dương; nhập số ghi trên phiếu")]
    BallotNumber(String),
    #[error("ô của {candidate}: `{found}` không dùng được trên mẫu phiếu này; chọn một trong: {allowed}")]
    BadMark {
        candidate: String,
        found: String,
        allowed: &'static str,
    },
    #[error("người nhập {clerk} đã nhập phiếu số {ballot}; muốn sửa thì ghi lý do sửa")]
    AlreadyEntered { clerk: u8, ballot: u64 },
    #[error("người nhập {clerk} chưa nhập phiếu số {ballot} nên không có gì để sửa; hãy nhập phiếu (bỏ trống lý do)")]
    NotEntered { clerk: u8, ballot: u64 },
    #[error("lý do sửa không được để trống")]
    EmptyReason,
    #[error("phiếu số {ballot} không cần đối chiếu (chưa ai nhập, hoặc hai người nhập đã khớp, hoặc đã xử lý)")]
    NothingToResolve { ballot: u64 },
    #[error("người nhập {clerk} chưa nhập phiếu số {ballot}; chọn bản của người kia hoặc nhập lại phiếu")]
    ChoiceMissing { clerk: u8, ballot: u64 },
    #[error("phiên kiểm phiếu đã kết thúc; không nhận thêm thay đổi")]
    Closed,
    #[error("chưa thể kiểm phiếu: còn {pending} phiếu chưa được cả hai người nhập khớp nhau hoặc chưa xử lý; xem trang Đối chiếu")]
    NotReady { pending: usize },
    #[error("chưa có phiếu nào được nhập; hãy nhập phiếu trước khi kiểm")]
    NoBallots,
    #[error("phiên kiểm phiếu chưa kết thúc; kết quả có sau khi bấm “Kiểm phiếu” ở trang phiên")]
    NotClosed,
    #[error("không đếm được phiếu ({0})")]
    Count(String),
    #[error(
        "nhật ký hỏng ở dòng {line}: {message}; không sửa nhật ký bằng tay — khôi phục bản sao lưu"
    )]
    Log { line: usize, message: String },
}

/// The session as replayed from its log.
#[derive(Debug, Clone)]
pub struct Session {
    pub election_toml: String,
    pub election: Election,
    /// Clerk 1's and clerk 2's latest reading of each ballot, by number.
    pub entries: [BTreeMap<u64, Reading>; 2],
    pub resolutions: BTreeMap<u64, (Reading, Choice)>,
    /// The SHA-256 of the inputs, once closed.
    pub closed: Option<String>,
    /// The records in order.
    pub records: Vec<Record>,
}

/// The contract's word for a mark (the cells of BALLOTS.csv).
pub fn mark_word(m: Mark) -> &'static str {
    match m {
        Mark::Keep => "keep",
        Mark::Strike => "strike",
        Mark::Agree => "agree",
        Mark::Disagree => "disagree",
        Mark::Both => "both",
        Mark::Neither => "none",
    }
}

/// The Vietnamese words for a mark, for the pages.
pub fn mark_label(m: Mark) -> &'static str {
    match m {
        Mark::Keep => "giữ",
        Mark::Strike => "gạch",
        Mark::Agree => "đồng ý",
        Mark::Disagree => "không đồng ý",
        Mark::Both => "đánh cả hai ô",
        Mark::Neither => "không đánh ô nào",
    }
}

/// The marks a form allows, in the order the pages offer them.
pub fn marks_of(form: BallotForm) -> &'static [Mark] {
    match form {
        BallotForm::StrikeOut => &[Mark::Keep, Mark::Strike],
        BallotForm::AgreeDisagree => &[Mark::Agree, Mark::Disagree, Mark::Both, Mark::Neither],
    }
}

fn allowed_words(form: BallotForm) -> &'static str {
    match form {
        BallotForm::StrikeOut => "keep (giữ), strike (gạch)",
        BallotForm::AgreeDisagree => {
            "agree (đồng ý), disagree (không đồng ý), both (cả hai ô), none (không ô nào)"
        }
    }
}

/// Parses a contract word into a mark of the election's form.
pub fn parse_mark(election: &Election, index: usize, word: &str) -> Result<Mark, SessionError> {
    let form = election.form();
    marks_of(form)
        .iter()
        .copied()
        .find(|m| mark_word(*m) == word.trim())
        .ok_or_else(|| SessionError::BadMark {
            candidate: election
                .candidates()
                .get(index)
                .cloned()
                .unwrap_or_default(),
            found: word.to_owned(),
            allowed: allowed_words(form),
        })
}

/// Parses a whole ballot's marks (one per candidate, in list order).
pub fn parse_marks(election: &Election, words: &[String]) -> Result<Vec<Mark>, SessionError> {
    let expected = election.candidates().len();
    if words.len() != expected {
        return Err(SessionError::MarkCount {
            expected,
            found: words.len(),
        });
    }
    words
        .iter()
        .enumerate()
        .map(|(i, w)| parse_mark(election, i, w))
        .collect()
}

/// The contract's words for a reading's marks.
pub fn words(marks: &[Mark]) -> Vec<String> {
    marks.iter().map(|m| mark_word(*m).to_owned()).collect()
}

/// Quotes a CSV field when it needs it (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.trim() != s {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

impl Session {
    /// Starts a session from ELECTION.toml (validated by vanban-election).
    pub fn new(election_toml: &str) -> Result<Session, SessionError> {
        let election =
            parse_election(election_toml).map_err(|e| SessionError::Election(e.to_string()))?;
        Ok(Session {
            election_toml: election_toml.to_owned(),
            election,
            entries: [BTreeMap::new(), BTreeMap::new()],
            resolutions: BTreeMap::new(),
            closed: None,
            records: Vec::new(),
        })
    }

    /// Replays a log (the file's text). The first line must create the
    /// session; every later one is checked as it was when written.
    pub fn replay(text: &str) -> Result<Session, SessionError> {
        let mut session: Option<Session> = None;
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let bad = |message: String| SessionError::Log {
                line: line_no,
                message,
            };
            let record: Record = serde_json::from_str(line)
                .map_err(|e| bad(format!("không đọc được JSON ({e})")))?;
            if record.seq != line_no as u64 {
                return Err(bad(format!("số thứ tự {} thay vì {line_no}", record.seq)));
            }
            match (&mut session, &record.event) {
                (None, Event::Created { election_toml }) => {
                    let mut s = Session::new(election_toml).map_err(|e| bad(e.to_string()))?;
                    s.records.push(record);
                    session = Some(s);
                }
                (None, _) => return Err(bad("dòng đầu phải là sự kiện tạo phiên".into())),
                (Some(_), Event::Created { .. }) => {
                    return Err(bad("phiên chỉ được tạo một lần".into()))
                }
                (Some(s), event) => {
                    let event = event.clone();
                    s.apply(&event).map_err(|e| bad(e.to_string()))?;
                    s.records.push(record);
                }
            }
        }
        session.ok_or(SessionError::Log {
            line: 1,
            message: "nhật ký trống".into(),
        })
    }

    fn check_ballot(&self, ballot: u64) -> Result<(), SessionError> {
        let issued = self.election.ballots_issued();
        if ballot == 0 || ballot > issued {
            return Err(SessionError::BallotOutOfRange { ballot, issued });
        }
        Ok(())
    }

    /// A clerk's reading of a ballot: a first entry (`reason` None: the
    /// ballot must not be entered yet by that clerk) or a correction (a
    /// reason, and the ballot must already be entered). Either clears the
    /// ballot's resolution.
    fn put_reading(
        &mut self,
        clerk: u8,
        ballot: u64,
        sealed: bool,
        marks: &[String],
        reason: Option<&str>,
    ) -> Result<(), SessionError> {
        let c = Self::clerk_index(clerk)?;
        self.check_ballot(ballot)?;
        let marks = parse_marks(&self.election, marks)?;
        if reason.is_some_and(|r| r.trim().is_empty()) {
            return Err(SessionError::EmptyReason);
        }
        let entered = self.entries[c].contains_key(&ballot);
        match (reason, entered) {
            (None, true) => return Err(SessionError::AlreadyEntered { clerk, ballot }),
            (Some(_), false) => return Err(SessionError::NotEntered { clerk, ballot }),
            _ => {}
        }
        self.entries[c].insert(ballot, Reading { sealed, marks });
        self.resolutions.remove(&ballot);
        Ok(())
    }

    fn clerk_index(clerk: u8) -> Result<usize, SessionError> {
        match clerk {
            1 | 2 => Ok(usize::from(clerk - 1)),
            other => Err(SessionError::Clerk(other)),
        }
    }

    /// Checks `event` against the session and applies it; on an error the
    /// session is unchanged.
    pub fn apply(&mut self, event: &Event) -> Result<(), SessionError> {
        if self.closed.is_some() {
            return Err(SessionError::Closed);
        }
        match event {
            Event::Created { .. } => Err(SessionError::Log {
                line: self.records.len() + 1,
                message: "phiên chỉ được tạo một lần".into(),
            }),
            Event::Entry {
                clerk,
                ballot,
                sealed,
                marks,
            } => self.put_reading(*clerk, *ballot, *sealed, marks, None),
            Event::Correction {
                clerk,
                ballot,
                sealed,
                marks,
                reason,
            } => self.put_reading(*clerk, *ballot, *sealed, marks, Some(reason)),
            Event::Resolution {
                ballot,
                sealed,
                marks,
                by,
            } => {
                let marks = parse_marks(&self.election, marks)?;
                let reading = Reading {
                    sealed: *sealed,
                    marks,
                };
                match self.state(*ballot) {
                    Some(BallotState::Differ(..)) | Some(BallotState::Only(..)) => {}
                    _ => return Err(SessionError::NothingToResolve { ballot: *ballot }),
                }
                let wanted = match by {
                    Choice::Entry1 => Some(1u8),
                    Choice::Entry2 => Some(2u8),
                    Choice::ReEntered => None,
                };
                if let Some(clerk) = wanted {
                    match self.entries[usize::from(clerk - 1)].get(ballot) {
                        None => {
                            return Err(SessionError::ChoiceMissing {
                                clerk,
                                ballot: *ballot,
                            })
                        }
                        Some(r) if *r != reading => {
                            return Err(SessionError::Log {
                                line: self.records.len() + 1,
                                message: format!(
                                    "phiếu số {ballot}: bản được chọn khác bản người nhập {clerk} đã nhập"
                                ),
                            })
                        }
                        Some(_) => {}
                    }
                }
                self.resolutions.insert(*ballot, (reading, *by));
                Ok(())
            }
            Event::Closed { inputs_sha256 } => {
                let (_, csv) = self.final_result()?;
                let sha = vanban_minutes::inputs_sha256(self.election_toml.as_bytes(), &csv);
                if &sha != inputs_sha256 {
                    return Err(SessionError::Log {
                        line: self.records.len() + 1,
                        message: format!(
                            "mã SHA-256 ghi khi kết thúc ({inputs_sha256}) khác mã tính lại ({sha})"
                        ),
                    });
                }
                self.closed = Some(sha);
                Ok(())
            }
        }
    }

    /// The event for a clerk's reading: an entry, or a correction when a
    /// reason is given.
    pub fn entry_event(
        clerk: u8,
        ballot: u64,
        sealed: bool,
        marks: Vec<String>,
        reason: Option<String>,
    ) -> Event {
        match reason
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
        {
            Some(reason) => Event::Correction {
                clerk,
                ballot,
                sealed,
                marks,
                reason,
            },
            None => Event::Entry {
                clerk,
                ballot,
                sealed,
                marks,
            },
        }
    }

    /// The event settling ballot `ballot` by `by`; a re-entry brings its
    /// own reading, a choice takes the chosen clerk's.
    pub fn resolution_event(
        &self,
        ballot: u64,
        by: Choice,
        reentered: Option<(bool, Vec<String>)>,
    ) -> Result<Event, SessionError> {
        let (sealed, marks) = match by {
            Choice::Entry1 | Choice::Entry2 => {
                let clerk = if by == Choice::Entry1 { 1u8 } else { 2u8 };
                let r = self.entries[usize::from(clerk - 1)]
                    .get(&ballot)
                    .ok_or(SessionError::ChoiceMissing { clerk, ballot })?;
                (r.sealed, words(&r.marks))
            }
            Choice::ReEntered => reentered.ok_or(SessionError::MarkCount {
                expected: self.election.candidates().len(),
                found: 0,
            })?,
        };
        Ok(Event::Resolution {
            ballot,
            sealed,
            marks,
            by,
        })
    }

    /// Where ballot `n` stands (`None`: nobody entered it).
    pub fn state(&self, n: u64) -> Option<BallotState<'_>> {
        if let Some((r, c)) = self.resolutions.get(&n) {
            return Some(BallotState::Resolved(r, *c));
        }
        match (self.entries[0].get(&n), self.entries[1].get(&n)) {
            (Some(a), Some(b)) if a == b => Some(BallotState::Agreed(a)),
            (Some(a), Some(b)) => Some(BallotState::Differ(a, b)),
            (Some(a), None) => Some(BallotState::Only(1, a)),
            (None, Some(b)) => Some(BallotState::Only(2, b)),
            (None, None) => None,
        }
    }

    /// Every ballot anyone entered, by number.
    pub fn ballots(&self) -> Vec<(u64, BallotState<'_>)> {
        let mut numbers: Vec<u64> = self.entries[0]
            .keys()
            .chain(self.entries[1].keys())
            .copied()
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
            .into_iter()
            .filter_map(|n| self.state(n).map(|s| (n, s)))
            .collect()
    }

    /// The ballots still to compare: entered by one clerk only, or differing.
    pub fn pending(&self) -> Vec<(u64, BallotState<'_>)> {
        self.ballots()
            .into_iter()
            .filter(|(_, s)| s.settled().is_none())
            .collect()
    }

    /// The settled ballots as vanban-election ballots (id = the number).
    pub fn settled_ballots(&self) -> Vec<Ballot> {
        self.ballots()
            .into_iter()
            .filter_map(|(n, s)| {
                s.settled().map(|r| Ballot {
                    id: n.to_string(),
                    sealed: r.sealed,
                    marks: r.marks.clone(),
                })
            })
            .collect()
    }

    /// The running totals over the ballots settled so far (tạm tính).
    pub fn live_outcome(&self) -> Result<Outcome, SessionError> {
        count(&self.election, self.settled_ballots())
            .map_err(|e| SessionError::Count(e.to_string()))
    }

    /// BALLOTS.csv of the settled ballots, by number (the contract's format).
    pub fn ballots_csv(&self) -> Vec<u8> {
        let mut out = String::from("ballot,sealed");
        for name in self.election.candidates() {
            out.push(',');
            out.push_str(&csv_field(name));
        }
        out.push('\n');
        for b in self.settled_ballots() {
            out.push_str(&b.id);
            out.push_str(if b.sealed { ",true" } else { ",false" });
            for m in &b.marks {
                out.push(',');
                out.push_str(mark_word(*m));
            }
            out.push('\n');
        }
        out.into_bytes()
    }

    /// The result once every ballot is settled: the outcome counted by
    /// vanban-election from the very BALLOTS.csv returned with it.
    pub fn final_result(&self) -> Result<(Outcome, Vec<u8>), SessionError> {
        let pending = self.pending().len();
        if pending > 0 {
            return Err(SessionError::NotReady { pending });
        }
        if self.entries[0].is_empty() && self.entries[1].is_empty() {
            return Err(SessionError::NoBallots);
        }
        let csv = self.ballots_csv();
        let outcome =
            count_csv(&self.election, &csv).map_err(|e| SessionError::Count(e.to_string()))?;
        Ok((outcome, csv))
    }

    /// The closing event for this session as it stands.
    pub fn closing_event(&self) -> Result<Event, SessionError> {
        let (_, csv) = self.final_result()?;
        Ok(Event::Closed {
            inputs_sha256: vanban_minutes::inputs_sha256(self.election_toml.as_bytes(), &csv),
        })
    }

    /// The minutes (biên bản kiểm phiếu) as PDF bytes, once closed.
    pub fn minutes(&self) -> Result<Vec<u8>, SessionError> {
        if self.closed.is_none() {
            return Err(SessionError::NotClosed);
        }
        let (outcome, csv) = self.final_result()?;
        vanban_minutes::minutes_pdf(
            &self.election,
            &outcome,
            self.election_toml.as_bytes(),
            &csv,
        )
        .map_err(|e| SessionError::Count(e.to_string()))
    }

    pub fn title(&self) -> &str {
        self.election.title()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"title = "Bầu Ban Chấp hành Chi bộ thôn Đông"
office = "ban_chap_hanh"
seats = 2
congress = "members"
convened = 6
ballots_issued = 6
ballot_form = "strike_out"
candidates = ["Lê Văn Ánh", "Phạm Thị Hoa", "Đỗ Minh \"Tú\", Jr"]
"#;

    fn entry(clerk: u8, ballot: u64, marks: &[&str]) -> Event {
        Event::Entry {
            clerk,
            ballot,
            sealed: true,
            marks: marks.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn entries_compare_and_resolutions_settle() {
        let mut s = Session::new(TOML).expect("valid");
        s.apply(&entry(1, 1, &["keep", "keep", "strike"]))
            .expect("ok");
        s.apply(&entry(2, 1, &["keep", "keep", "strike"]))
            .expect("ok");
        s.apply(&entry(1, 2, &["keep", "strike", "keep"]))
            .expect("ok");
        s.apply(&entry(2, 2, &["strike", "strike", "keep"]))
            .expect("ok");
        assert!(matches!(s.state(1), Some(BallotState::Agreed(_))));
        assert!(matches!(s.state(2), Some(BallotState::Differ(..))));
        assert_eq!(
            s.apply(&entry(1, 2, &["keep", "keep", "strike"])),
            Err(SessionError::AlreadyEntered {
                clerk: 1,
                ballot: 2
            })
        );
        assert_eq!(
            s.final_result().map(|_| ()),
            Err(SessionError::NotReady { pending: 1 })
        );
        // Choosing entry 1 with other marks than it has is refused.
        let wrong = Event::Resolution {
            ballot: 2,
            sealed: true,
            marks: words(&[Mark::Strike, Mark::Strike, Mark::Keep]),
            by: Choice::Entry1,
        };
        assert!(s.apply(&wrong).is_err());
        let right = Event::Resolution {
            ballot: 2,
            sealed: true,
            marks: words(&[Mark::Keep, Mark::Strike, Mark::Keep]),
            by: Choice::Entry1,
        };
        s.apply(&right).expect("resolved");
        let (outcome, csv) = s.final_result().expect("ready");
        assert_eq!(outcome.ballots.returned, 2);
        let text = String::from_utf8(csv).expect("utf-8");
        assert!(
            text.starts_with("ballot,sealed,Lê Văn Ánh,Phạm Thị Hoa,\"Đỗ Minh \"\"Tú\"\", Jr\"\n")
        );
        assert!(text.contains("\n2,true,keep,strike,keep\n"), "{text}");
    }

    #[test]
    fn a_correction_after_a_resolution_sends_the_ballot_back_to_comparison() {
        let mut s = Session::new(TOML).expect("valid");
        s.apply(&entry(1, 3, &["keep", "strike", "keep"]))
            .expect("ok");
        let settle = s
            .resolution_event(3, Choice::Entry1, None)
            .expect("clerk 1 entered it");
        s.apply(&settle).expect("resolved");
        assert!(s.pending().is_empty());
        assert_eq!(s.live_outcome().map(|o| o.ballots.returned), Ok(1));
        let fix = Session::entry_event(
            1,
            3,
            true,
            vec!["strike".into(), "strike".into(), "keep".into()],
            Some("  ".into()),
        );
        assert_eq!(
            s.apply(&fix),
            Err(SessionError::AlreadyEntered {
                clerk: 1,
                ballot: 3
            }),
            "a blank reason is no reason"
        );
        let fix = Session::entry_event(
            1,
            3,
            true,
            vec!["strike".into(), "strike".into(), "keep".into()],
            Some("nhìn nhầm dòng".into()),
        );
        s.apply(&fix).expect("corrected");
        assert_eq!(s.pending().len(), 1);
        assert_eq!(s.live_outcome().map(|o| o.ballots.returned), Ok(0));
        assert!(matches!(
            s.resolution_event(3, Choice::Entry2, None),
            Err(SessionError::ChoiceMissing {
                clerk: 2,
                ballot: 3
            })
        ));
    }

    #[test]
    fn out_of_range_and_wrong_marks_are_refused() {
        let mut s = Session::new(TOML).expect("valid");
        assert!(matches!(
            s.apply(&entry(1, 7, &["keep", "keep", "keep"])),
            Err(SessionError::BallotOutOfRange { .. })
        ));
        assert!(matches!(
            s.apply(&entry(1, 1, &["keep", "agree", "keep"])),
            Err(SessionError::BadMark { .. })
        ));
        assert!(matches!(
            s.apply(&entry(3, 1, &["keep", "keep", "keep"])),
            Err(SessionError::Clerk(3))
        ));
        assert!(s.ballots().is_empty());
    }
}
