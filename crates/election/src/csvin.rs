//! BALLOTS.csv: a byte-level fast path over one reused `csv::ByteRecord`.

use crate::model::{BallotForm, Election, Mark};
use crate::tally::Tally;
use crate::{InputError, Outcome};
use std::collections::HashSet;

pub(crate) fn allowed(form: BallotForm) -> &'static str {
    match form {
        BallotForm::StrikeOut => "`keep`, `strike`",
        BallotForm::AgreeDisagree => "`agree`, `disagree`, `both`, `none`",
    }
}

fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[inline]
fn mark(form: BallotForm, cell: &[u8]) -> Option<Mark> {
    match (form, trim(cell)) {
        (BallotForm::StrikeOut, b"keep") => Some(Mark::Keep),
        (BallotForm::StrikeOut, b"strike") => Some(Mark::Strike),
        (BallotForm::AgreeDisagree, b"agree") => Some(Mark::Agree),
        (BallotForm::AgreeDisagree, b"disagree") => Some(Mark::Disagree),
        (BallotForm::AgreeDisagree, b"both") => Some(Mark::Both),
        (BallotForm::AgreeDisagree, b"none") => Some(Mark::Neither),
        _ => None,
    }
}

/// Ballot ids seen so far: canonical decimal ids as integers, others as bytes.
#[derive(Default)]
struct Ids {
    nums: HashSet<u64>,
    other: HashSet<Box<[u8]>>,
}

impl Ids {
    fn insert(&mut self, id: &[u8]) -> bool {
        let canonical = !id.is_empty()
            && id.len() <= 19
            && id.iter().all(u8::is_ascii_digit)
            && (id.len() == 1 || id[0] != b'0');
        if canonical {
            let n = id.iter().fold(0u64, |a, &d| a * 10 + u64::from(d - b'0'));
            self.nums.insert(n)
        } else {
            self.other.insert(id.into())
        }
    }
}

/// Parses BALLOTS.csv (UTF-8; header `ballot,sealed,<candidates…>` in any
/// candidate order) and counts it. The whole file is checked; on the first
/// error nothing is returned but the error, naming row (line, header = 1)
/// and column (1-based).
pub fn count_csv(election: &Election, csv_bytes: &[u8]) -> Result<Outcome, InputError> {
    let data = csv_bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(csv_bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut rec = csv::ByteRecord::new();
    let csv_err = |e: csv::Error| {
        let row = e.position().map(|p| p.line()).unwrap_or(0);
        InputError::Csv {
            row,
            message: e.to_string(),
        }
    };
    if !rdr.read_byte_record(&mut rec).map_err(csv_err)? {
        return Err(InputError::Empty);
    }
    // Header.
    for (i, expected) in ["ballot", "sealed"].into_iter().enumerate() {
        let found = rec.get(i).map(trim).unwrap_or(b"");
        if found != expected.as_bytes() {
            return Err(InputError::HeaderStart {
                column: i + 1,
                expected,
                found: lossy(found),
            });
        }
    }
    let n = election.candidates().len();
    // column (from 0 after `sealed`) -> candidate index
    let mut col_to_cand = Vec::with_capacity(n);
    let mut first_col: Vec<Option<usize>> = vec![None; n];
    for (j, cell) in rec.iter().enumerate().skip(2) {
        let name = std::str::from_utf8(trim(cell)).unwrap_or("");
        let Some(id) = election.candidate_id(name) else {
            return Err(InputError::UnknownColumn {
                column: j + 1,
                name: lossy(trim(cell)),
            });
        };
        if let Some(first) = first_col[id.index()] {
            return Err(InputError::DuplicateColumn {
                column: j + 1,
                first: first + 1,
                name: name.into(),
            });
        }
        first_col[id.index()] = Some(j);
        col_to_cand.push(id.index());
    }
    if let Some(missing) = first_col.iter().position(Option::is_none) {
        return Err(InputError::MissingColumn {
            name: election.candidates()[missing].clone(),
        });
    }
    let form = election.form();
    let issued = election.ballots_issued();
    let mut tally = Tally::new(election);
    let mut marks = vec![Mark::Strike; n];
    let mut ids = Ids::default();
    while rdr.read_byte_record(&mut rec).map_err(csv_err)? {
        let row = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.len() != n + 2 {
            // A wholly empty line is a csv-level skip already; anything else is wrong.
            return Err(InputError::WrongCellCount {
                row,
                expected: n + 2,
                found: rec.len(),
            });
        }
        let id = trim(&rec[0]);
        if id.is_empty() {
            return Err(InputError::EmptyBallotId { row });
        }
        let sealed = match trim(&rec[1]) {
            b"true" => true,
            b"false" => false,
            other => {
                return Err(InputError::BadSealed {
                    row,
                    found: lossy(other),
                })
            }
        };
        for (j, cell) in rec.iter().skip(2).enumerate() {
            match mark(form, cell) {
                Some(m) => marks[col_to_cand[j]] = m,
                None => {
                    return Err(InputError::BadCell {
                        row,
                        column: j + 3,
                        candidate: election.candidates()[col_to_cand[j]].clone(),
                        found: lossy(cell),
                        allowed: allowed(form),
                    })
                }
            }
        }
        if tally.returned() >= issued {
            return Err(InputError::TooManyReturned { row, issued });
        }
        if !ids.insert(id) {
            return Err(InputError::DuplicateBallot { row, id: lossy(id) });
        }
        tally.add(sealed, &marks);
    }
    Ok(tally.finish())
}
