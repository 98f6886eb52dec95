//! Prints the prepared text, publication date and matching view of files:
//! `cargo run -p vanban-text --example show -- samples/*.html`.

use vanban_text::{prepare, Format};

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("cannot read {path}");
            continue;
        };
        let p = prepare(&bytes, Format::from_path(&path));
        println!(
            "== {path}: published {:?}, year {:?}",
            p.published(),
            p.published_year()
        );
        println!("{}", p.text());
        let v = p.matching();
        if !v.is_identity() {
            println!("-- matching view:\n{}", v.text());
        }
    }
}
