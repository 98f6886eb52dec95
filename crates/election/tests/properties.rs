//! Property tests of the counting rules.

use proptest::prelude::*;
use vanban_election::{count_csv, parse_election, Election, Outcome};

fn election(n: usize, seats: usize, ballots: usize) -> Election {
    let names: Vec<String> = (0..n).map(|i| format!("\"C{i}\"")).collect();
    parse_election(&format!(
        "title = \"p\"\noffice = \"ban_chap_hanh\"\nseats = {seats}\ncongress = \"members\"\nconvened = {}\nballots_issued = {}\nballot_form = \"strike_out\"\ncandidates = [{}]\n",
        ballots + 3,
        ballots + 1,
        names.join(", ")
    ))
    .unwrap()
}

fn csv(n: usize, order: &[usize], ballots: &[(bool, Vec<bool>)]) -> Vec<u8> {
    let mut s = String::from("ballot,sealed");
    for &c in order {
        s += &format!(",C{c}");
    }
    s.push('\n');
    for (i, (sealed, keep)) in ballots.iter().enumerate() {
        s += &format!("{i},{sealed}");
        for &c in order {
            s += if keep[c % n] { ",keep" } else { ",strike" };
        }
        s.push('\n');
    }
    s.into_bytes()
}

type Ballots = Vec<(bool, Vec<bool>)>;

fn case() -> impl Strategy<Value = (usize, usize, Ballots, Vec<usize>)> {
    (1usize..7).prop_flat_map(|n| {
        (
            Just(n),
            1..=n,
            prop::collection::vec(
                (
                    prop::bool::weighted(0.9),
                    prop::collection::vec(any::<bool>(), n),
                ),
                0..40,
            ),
            Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
        )
    })
}

fn votes_by_name(o: &Outcome) -> Vec<(String, u64)> {
    let mut v: Vec<_> = o
        .candidates
        .iter()
        .map(|c| (c.name.clone(), c.votes))
        .collect();
    v.sort();
    v
}

proptest! {
    #[test]
    fn column_order_does_not_matter((n, seats, ballots, perm) in case()) {
        let e = election(n, seats, ballots.len());
        let id: Vec<usize> = (0..n).collect();
        let a = count_csv(&e, &csv(n, &id, &ballots)).unwrap();
        let b = count_csv(&e, &csv(n, &perm, &ballots)).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn an_invalid_ballot_changes_no_votes((n, seats, mut ballots, _p) in case(), kind in 0u8..3) {
        let e = election(n, seats, ballots.len());
        let id: Vec<usize> = (0..n).collect();
        let a = count_csv(&e, &csv(n, &id, &ballots)).unwrap();
        let bad = match kind {
            0 => (false, vec![true; n]),
            1 => (true, vec![true; n]),
            _ => (true, vec![false; n]),
        };
        // kind 1 is invalid only when n > seats; kind 2 only when n > 1.
        let invalid = kind == 0 || (kind == 1 && n > seats) || (kind == 2 && n > 1);
        prop_assume!(invalid);
        ballots.push(bad);
        let b = count_csv(&e, &csv(n, &id, &ballots)).unwrap();
        prop_assert_eq!(votes_by_name(&a), votes_by_name(&b));
        prop_assert_eq!(a.ballots.valid, b.ballots.valid);
        prop_assert_eq!(a.ballots.invalid + 1, b.ballots.invalid);
    }

    #[test]
    fn invariants((n, seats, ballots, _p) in case()) {
        let e = election(n, seats, ballots.len());
        let id: Vec<usize> = (0..n).collect();
        let bytes = csv(n, &id, &ballots);
        let o = count_csv(&e, &bytes).unwrap();
        prop_assert!(o.elected.len() <= seats);
        prop_assert_eq!(o.seats_filled as usize, o.elected.len());
        for c in &o.candidates {
            prop_assert!(c.votes <= o.ballots.valid);
            prop_assert_eq!(c.elected, o.elected.contains(&c.name));
            if c.elected { prop_assert!(c.votes >= o.threshold); }
        }
        prop_assert_eq!(o.ballots.valid + o.ballots.invalid, o.ballots.returned);
        prop_assert_eq!(count_csv(&e, &bytes).unwrap(), o);
    }
}

/// The hand-split fast path and the `csv`-crate path (forced by quoting a
/// header cell) give the same result or the same error, row numbers
/// included, on odd input: blank lines, CRLF, padding, bad cells.
#[test]
fn fast_path_matches_csv_path() {
    let toml = "title = \"p\"\noffice = \"ban_chap_hanh\"\nseats = 2\ncongress = \"members\"\nconvened = 9\nballots_issued = 4\nballot_form = \"strike_out\"\ncandidates = [\"A\", \"B\", \"C\"]\n";
    let e = parse_election(toml).unwrap();
    let rows = [
        "1,true,keep,strike,keep",
        "2, true ,keep , strike,keep\r",
        "",
        "\r",
        " ",
        "3,false,keep,keep,keep",
        "3,true,keep,keep,strike",
        ",true,keep,keep,keep",
        "4,yes,keep,keep,keep",
        "5,true,keep,Keep,keep",
        "6,true,keep,keep",
        "7,true,keep,keep,keep,keep",
        "007,true,keep,strike,strike",
        "7,true,strike,strike,strike",
        "8,true,strike,keep,strike",
        "9,true,keep,keep,strike",
    ];
    // Every ordered choice of up to 5 rows (with repetition bounded).
    let mut cases: Vec<Vec<&str>> = vec![vec![]];
    for _ in 0..3 {
        let mut next = Vec::new();
        for c in &cases {
            for r in &rows {
                let mut c = c.clone();
                c.push(r);
                next.push(c);
            }
        }
        cases.extend(next);
    }
    for c in cases {
        for end in ["", "\n", "\r\n"] {
            let body: String = c.iter().map(|r| format!("{r}\n")).collect::<String>();
            let body = body.trim_end_matches('\n').to_string() + end;
            let fast = format!("ballot,sealed,A,C,B\n{body}");
            let slow = format!("ballot,sealed,A,\"C\",B\n{body}");
            let a = count_csv(&e, fast.as_bytes()).map_err(|e| e.to_string());
            let b = count_csv(&e, slow.as_bytes()).map_err(|e| e.to_string());
            assert_eq!(a, b, "{fast:?}");
        }
    }
}
