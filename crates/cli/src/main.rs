//! `vanban`: the command-line program. Parses arguments, reads files, prints
//! results; all the knowledge lives in the library crates.

/// `print!` to standard output that ends the program quietly (exit 0)
/// when the reader has gone away (`vanban doc … | head`), instead of the
/// panic `print!` gives on a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::write_stdout(format_args!($($arg)*))
    };
}

/// [`out!`] with a newline.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// What [`out!`] does: write and flush; a closed pipe ends the program
/// with exit status 0; any other failure is reported and exits 2.
fn write_stdout(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("vanban: error: cannot write to standard output: {e}");
        std::process::exit(2);
    }
}

mod bench;
mod demo;
mod doc;
mod election;
mod export;
mod extract;
mod fetch;
mod ingest;
mod inputs;
mod kb;
mod rebuild;
mod render;
mod search;
mod serve;
mod token;
mod track;
mod watch;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// vanban — đọc văn bản, tìm trích dẫn. Reads Vietnamese news and Party and
/// state documents and turns their prose into citations: which documents a
/// text cites (number, date, issuer, title), how they relate (replaces,
/// amends, guides, implements, reviews), the meetings where they were
/// disseminated or reviewed, and the officials named. Also counts Party
/// election ballots by the election regulation.
#[derive(Parser)]
#[command(
    name = "vanban",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(after_help = "EXAMPLES:\n  \
    vanban extract article.html              one JSON object per file\n  \
    vanban extract --format text news/       a readable summary of every .txt/.html file\n  \
    cat article.txt | vanban extract -       read standard input\n  \
    vanban ingest tin-tuc/                   store texts in the knowledge base\n  \
    vanban fetch https://…/rss.xml           fetch a feed's pages and store them\n  \
    vanban doc 126-QĐ/TW                     status, related documents, conferences\n  \
    vanban election count bau-cu.toml phieu.csv --format text --minutes bien-ban.pdf\n\n\
    Manual (in the repository): docs/README.md; formats: docs/extract-json.md,\n\
    docs/knowledge-base-json.md, docs/election.md, docs/fetch.md; HTTP API: docs/api.md.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    store: kb::StoreArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Extract documents, relations, events and officials from texts (trích xuất).
    ///
    /// Reads files, directories (recursively: .txt, .html, .htm) and `-` for
    /// standard input. Prints one JSON object per input file, one per line
    /// (JSON Lines), in the order given; `--format text` prints a readable
    /// summary instead. Files are processed in parallel on all cores. A file
    /// that cannot be read or is not text is reported on standard error and
    /// the others are still processed; the exit status is then 1.
    Extract(extract::ExtractArgs),
    /// Party elections: count ballots by the election regulation (bầu cử).
    #[command(subcommand)]
    Election(election::ElectionCommand),
    /// Store texts in the knowledge base (nạp văn bản): extract, resolve, index.
    Ingest(ingest::IngestArgs),
    /// Fetch pages and feeds (RSS, Atom, JSON Feed) and store them (tải và nạp).
    ///
    /// Politely: one request at a time, at least --delay seconds apart per
    /// host, robots.txt obeyed, conditional GET (a page or feed unchanged
    /// since the last run is answered 304 and not fetched again). Each
    /// failure is named on standard error with its URL and cause, and the
    /// other URLs go on; the exit status is then 1 (2 on a store error).
    Fetch(fetch::FetchArgs),
    /// Watch feeds and pages listed in SOURCES.toml, each at its interval (theo dõi).
    ///
    /// Fetches as `vanban fetch` does; a source fetched less than its
    /// interval ago (per the store) is not fetched again, so a killed watch
    /// resumes; errors back off exponentially (the back-off is kept in the
    /// store) and Retry-After is honoured. Sources added through `POST
    /// /api/v1/watch` are watched too. `--once`: one pass over the due
    /// sources, then exit; `--status`: the watched sources and their state.
    Watch(watch::WatchArgs),
    /// Expectations on a document and the provinces overdue (theo dõi tiến độ).
    ///
    /// `vanban track REF --stage disseminated --by 2022-06-30` expects every
    /// province (or `--provinces`) to reach the stage by that day;
    /// `--within 30` counts days from the document's date instead.
    /// `--list [REF]` lists the expectations with the provinces overdue,
    /// late and on time today; `--remove ID` removes one.
    Track(track::TrackArgs),
    /// One document: status in force, relations, events, sources (tra cứu văn bản).
    Doc(doc::DocArgs),
    /// Full-text search over the knowledge base, diacritics optional (tìm kiếm).
    Search(search::SearchArgs),
    /// Rebuild the search index from the store.
    Reindex(search::ReindexArgs),
    /// Rebuild the resolved graph kept in the store from every stored fact (dựng lại đồ thị).
    ///
    /// Writes are kept up to date as they are stored; run this after
    /// upgrading vanban's resolver, or to check: the result is the same.
    Rebuild(search::ReindexArgs),
    /// Export documents, relations and events as JSON Lines, CSV or DOT.
    Export(export::ExportArgs),
    /// Serve the web application and the HTTP API (máy chủ web).
    Serve(serve::ServeArgs),
    /// Build a sample knowledge base, start the web application, print its URL.
    Demo(demo::DemoArgs),
    /// API tokens for writes (`vanban token create NAME`).
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Measure throughput (for BENCHMARKS.md).
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Election(cmd) => election::run(cmd),
        Command::Ingest(args) => ingest::run(args, &cli.store),
        Command::Fetch(args) => fetch::run(args, &cli.store),
        Command::Watch(args) => watch::run(args, &cli.store),
        Command::Track(args) => track::run(args, &cli.store),
        Command::Doc(args) => doc::run(args, &cli.store),
        Command::Search(args) => search::run(args, &cli.store),
        Command::Reindex(args) => search::reindex(args, &cli.store),
        Command::Rebuild(args) => rebuild::run(args, &cli.store),
        Command::Export(args) => export::run(args, &cli.store),
        Command::Serve(args) => serve::run(args, &cli.store),
        Command::Demo(args) => demo::run(args),
        Command::Token(cmd) => token::run(cmd, &cli.store),
        Command::Bench(cmd) => bench::run(cmd),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("vanban: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
