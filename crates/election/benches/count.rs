//! Criterion bench: counting BALLOTS.csv end to end (parse + count).
//! The 10-million-ballot figure in BENCHMARKS.md comes from the ignored test
//! `tests/large.rs` (see there for the command).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn synthetic(candidates: usize, ballots: usize) -> (String, Vec<u8>) {
    let names: Vec<String> = (0..candidates)
        .map(|i| format!("Ứng cử viên {i}"))
        .collect();
    let toml = format!(
        "title = \"bench\"\noffice = \"ban_chap_hanh\"\nseats = {}\ncongress = \"delegates\"\nconvened = {}\nballots_issued = {}\nballot_form = \"strike_out\"\ncandidates = [{}]\n",
        candidates * 3 / 4,
        ballots,
        ballots,
        names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
    );
    let mut csv = format!("ballot,sealed,{}\n", names.join(",")).into_bytes();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for b in 0..ballots {
        csv.extend_from_slice(format!("{b},true").as_bytes());
        for _ in 0..candidates {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            csv.extend_from_slice(if x & 7 < 2 { b",strike" } else { b",keep" });
        }
        csv.push(b'\n');
    }
    (toml, csv)
}

fn bench(c: &mut Criterion) {
    let (toml, csv) = synthetic(30, 100_000);
    let election = vanban_election::parse_election(&toml).expect("valid synthetic election");
    let mut g = c.benchmark_group("count_csv");
    g.throughput(Throughput::Elements(100_000));
    g.sample_size(10);
    g.bench_function("100k ballots x 30 candidates", |b| {
        b.iter(|| vanban_election::count_csv(&election, &csv).expect("valid synthetic csv"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
