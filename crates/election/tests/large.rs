//! 10 million ballots of 30 candidates, end to end from a CSV file written to
//! a temporary directory (never committed). Ignored by default; run with
//!
//!     cargo test --release -p vanban-election --test large -- --ignored --nocapture

use std::io::Write;
use std::time::Instant;

#[test]
#[ignore]
fn ten_million_ballots() {
    let (candidates, ballots) = (30usize, 10_000_000usize);
    let names: Vec<String> = (0..candidates)
        .map(|i| format!("Ứng cử viên {i}"))
        .collect();
    let toml = format!(
        "title = \"large\"\noffice = \"ban_chap_hanh\"\nseats = 22\ncongress = \"delegates\"\nconvened = {ballots}\nballots_issued = {ballots}\nballot_form = \"strike_out\"\ncandidates = [{}]\n",
        names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
    );
    let dir = std::env::temp_dir().join(format!("vanban-election-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("BALLOTS.csv");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(f, "ballot,sealed,{}", names.join(",")).unwrap();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for b in 0..ballots {
            write!(f, "{b},{}", if b % 1000 < 1 { "false" } else { "true" }).unwrap();
            for _ in 0..candidates {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                f.write_all(if x & 3 == 0 { b",strike" } else { b",keep" })
                    .unwrap();
            }
            f.write_all(b"\n").unwrap();
        }
    }
    // Same-run baseline: read the file and count its lines (a vectorised
    // byte count), so the ratio below means something on a shared machine.
    let t = Instant::now();
    let bytes = std::fs::read(&path).unwrap();
    let lines = bytes
        .chunks(1 << 16)
        .map(|c| c.iter().filter(|&&b| b == b'\n').count())
        .sum::<usize>();
    let base_secs = t.elapsed().as_secs_f64();
    drop(bytes);
    println!("baseline: read + line count ({lines} lines): {base_secs:.2} s");
    let t = Instant::now();
    let bytes = std::fs::read(&path).unwrap();
    let election = vanban_election::parse_election(&toml).unwrap();
    let outcome = vanban_election::count_csv(&election, &bytes).unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{} ballots x {} candidates ({} MB): {:.2} s, {:.0} ballots/s; valid {}",
        ballots,
        candidates,
        bytes.len() / 1_000_000,
        secs,
        ballots as f64 / secs,
        outcome.ballots.valid
    );
    println!(
        "{:.0} MB/s; {:.1}x the baseline",
        bytes.len() as f64 / 1e6 / secs,
        secs / base_secs
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(outcome.ballots.returned, ballots as u64);
}
