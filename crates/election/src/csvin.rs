//! BALLOTS.csv: a byte-level fast path over one reused `csv::ByteRecord`.

use crate::model::{BallotForm, Election, Mark};
use crate::tally::Tally;
use crate::{InputError, Outcome};
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

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

/// Ballot ids seen so far: canonical decimal ids as integers (a bitset
/// while they stay below `dense_limit`, else a hash set), others as bytes.
struct Ids {
    bits: Vec<u64>,
    dense_limit: u64,
    nums: HashSet<u64, BuildHasherDefault<FastHash>>,
    other: HashSet<Box<[u8]>>,
}

/// A multiplicative hasher for `u64` keys (ids are not attacker-chosen
/// for a counting program run locally; a collision costs time, not truth).
#[derive(Default)]
struct FastHash(u64);

impl Hasher for FastHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl Ids {
    fn new(issued: u64) -> Self {
        Ids {
            bits: Vec::new(),
            // Ids up to 4 × issued (at least 2^20) go in a bitset of at most
            // issued / 2 bytes; returned ballots never exceed `issued`.
            dense_limit: issued.saturating_mul(4).clamp(1 << 20, 1 << 36),
            nums: HashSet::default(),
            other: HashSet::new(),
        }
    }

    #[inline]
    fn insert(&mut self, id: &[u8]) -> bool {
        let canonical = !id.is_empty()
            && id.len() <= 19
            && id.iter().all(u8::is_ascii_digit)
            && (id.len() == 1 || id[0] != b'0');
        if canonical {
            let n = id.iter().fold(0u64, |a, &d| a * 10 + u64::from(d - b'0'));
            if n < self.dense_limit {
                let (w, b) = ((n / 64) as usize, n % 64);
                if w >= self.bits.len() {
                    let len = (w + 1).max(self.bits.len() * 2).max(1024);
                    self.bits.resize(len, 0);
                }
                let seen = self.bits[w] >> b & 1 == 1;
                self.bits[w] |= 1 << b;
                !seen
            } else {
                self.nums.insert(n)
            }
        } else {
            self.other.insert(id.into())
        }
    }
}

/// True when the body can be split on `,` and `\n` by hand with exactly
/// the `csv` crate's result: no quote character and no `\r` (the `csv`
/// crate numbers rows of CRLF files differently; those take its path).
fn plain(data: &[u8]) -> bool {
    !data.contains(&b'"') && !data.contains(&b'\r')
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
    let mut ids = Ids::new(issued);
    // Fast path: a quote-free file whose header is line 1 is split by hand.
    if let Some(nl) = data.iter().position(|&b| b == b'\n') {
        if nl > 0 && data[0] != b'\r' && plain(data) {
            let cx = Body {
                election,
                form,
                issued,
                n,
                col_to_cand: &col_to_cand,
            };
            cx.run(&data[nl + 1..], &mut tally, &mut marks, &mut ids)?;
            return Ok(tally.finish());
        }
    }
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

/// What the hand-written body parser needs to know.
struct Body<'a> {
    election: &'a Election,
    form: BallotForm,
    issued: u64,
    n: usize,
    col_to_cand: &'a [usize],
}

impl Body<'_> {
    /// Validates and counts the rows after the header (`body` starts on
    /// line 2), one pass, no allocation per row. Any row that is not a
    /// plain valid ballot is re-examined by [`Body::row_error`], which
    /// reports exactly what the `csv`-crate path reports.
    fn run(
        &self,
        body: &[u8],
        tally: &mut Tally,
        marks: &mut [Mark],
        ids: &mut Ids,
    ) -> Result<(), InputError> {
        let len = body.len();
        let mut pos = 0;
        // The csv crate numbers a record by the line after the previous
        // record, skipped empty lines not counted: follow it exactly.
        let mut line: u64 = 1;
        let mut last: u64 = 1;
        while pos < len {
            line += 1;
            let row = last + 1;
            let start = pos;
            // Cell 0: the id.
            while pos < len && body[pos] != b',' && body[pos] != b'\n' {
                pos += 1;
            }
            let id_cell = &body[start..pos];
            if pos >= len || body[pos] == b'\n' {
                // One cell: an empty line (skipped, as the csv crate does) or an error.
                if id_cell.is_empty() {
                    pos += 1;
                    continue;
                }
                return Err(self.row_error(start, body, row));
            }
            pos += 1;
            // Cell 1: sealed.
            let s = pos;
            while pos < len && body[pos] != b',' && body[pos] != b'\n' {
                pos += 1;
            }
            let sealed = match trim(&body[s..pos]) {
                b"true" => true,
                b"false" => false,
                _ => return Err(self.row_error(start, body, row)),
            };
            // Candidate cells.
            let mut ok = true;
            for &cand in self.col_to_cand {
                if pos >= len || body[pos] != b',' {
                    ok = false;
                    break;
                }
                pos += 1;
                let s = pos;
                while pos < len && body[pos] != b',' && body[pos] != b'\n' {
                    pos += 1;
                }
                let m = match (self.form, &body[s..pos]) {
                    (BallotForm::StrikeOut, b"keep") => Mark::Keep,
                    (BallotForm::StrikeOut, b"strike") => Mark::Strike,
                    (_, cell) => match mark(self.form, cell) {
                        Some(m) => m,
                        None => {
                            ok = false;
                            break;
                        }
                    },
                };
                marks[cand] = m;
            }
            if !ok || (pos < len && body[pos] != b'\n') {
                return Err(self.row_error(start, body, row));
            }
            pos += 1;
            last = line;
            let id = trim(id_cell);
            if id.is_empty() {
                return Err(self.row_error(start, body, row));
            }
            if tally.returned() >= self.issued {
                return Err(InputError::TooManyReturned {
                    row,
                    issued: self.issued,
                });
            }
            if !ids.insert(id) {
                return Err(InputError::DuplicateBallot { row, id: lossy(id) });
            }
            tally.add(sealed, marks);
        }
        Ok(())
    }

    /// The error for the row starting at `start`, checked in the order of
    /// the `csv`-crate path: cell count, id, sealed, candidate cells.
    #[cold]
    fn row_error(&self, start: usize, body: &[u8], row: u64) -> InputError {
        let end = body[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(body.len(), |e| start + e);
        let mut line = &body[start..end];
        if let Some(l) = line.strip_suffix(b"\r") {
            line = l;
        }
        let cells: Vec<&[u8]> = line.split(|&b| b == b',').collect();
        let n = self.n;
        if cells.len() != n + 2 {
            return InputError::WrongCellCount {
                row,
                expected: n + 2,
                found: cells.len(),
            };
        }
        if trim(cells[0]).is_empty() {
            return InputError::EmptyBallotId { row };
        }
        match trim(cells[1]) {
            b"true" | b"false" => {}
            other => {
                return InputError::BadSealed {
                    row,
                    found: lossy(other),
                }
            }
        }
        for (j, cell) in cells[2..].iter().enumerate() {
            if mark(self.form, cell).is_none() {
                return InputError::BadCell {
                    row,
                    column: j + 3,
                    candidate: self.election.candidates()[self.col_to_cand[j]].clone(),
                    found: lossy(cell),
                    allowed: allowed(self.form),
                };
            }
        }
        // Unreachable for a row the fast parser rejected, but stay total.
        InputError::Csv {
            row,
            message: "unexpected row".into(),
        }
    }
}
