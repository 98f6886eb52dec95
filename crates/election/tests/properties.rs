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
