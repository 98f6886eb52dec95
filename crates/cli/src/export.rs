//! `vanban export` (xuất dữ liệu): the knowledge base's documents, relations
//! and events as JSON Lines, CSV or a Graphviz DOT drawing, to standard
//! output or a file. A file is written beside its final name and renamed
//! into place when complete, so a failed export never leaves half a file.

use crate::kb::{self, StoreArgs};
use chrono::NaiveDate;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use vanban_store::export::{self, Table};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line with a `record` field (document, relation, event).
    Jsonl,
    /// One table (see --table), RFC 4180, header row first.
    Csv,
    /// The relation graph for Graphviz (`dot -Tsvg`).
    Dot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportTable {
    Documents,
    Relations,
    Events,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Which records: required sense for CSV [default: documents]; with
    /// JSON Lines, only these records [default: all].
    #[arg(long, value_enum)]
    pub table: Option<ExportTable>,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Documents' status as of this day (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::doc::parse_date)]
    pub as_of: Option<NaiveDate>,
}

pub fn run(args: ExportArgs, store_args: &StoreArgs) -> anyhow::Result<ExitCode> {
    let Some(mut store) = store_args.open_existing_store()? else {
        anyhow::bail!(kb::no_store_message(store_args));
    };
    let graph = store.graph()?;
    let as_of = args.as_of.unwrap_or_else(kb::today);
    let write = |out: &mut dyn Write| -> Result<(), export::ExportError> {
        match args.format {
            ExportFormat::Jsonl => match args.table {
                None => export::jsonl(&graph, as_of, out),
                Some(table) => {
                    let mut only = RecordFilter::new(out, record_name(table));
                    export::jsonl(&graph, as_of, &mut only)?;
                    only.finish()?;
                    Ok(())
                }
            },
            ExportFormat::Csv => {
                let table = match args.table.unwrap_or(ExportTable::Documents) {
                    ExportTable::Documents => Table::Documents,
                    ExportTable::Relations => Table::Relations,
                    ExportTable::Events => Table::Events,
                };
                export::csv(&graph, table, as_of, out)
            }
            ExportFormat::Dot => export::dot(&graph, out),
        }
    };
    match &args.output {
        Some(path) => write_file(path, &write)?,
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let result = write(&mut out).and_then(|()| Ok(out.flush()?));
            if let Err(e) = result {
                if !is_broken_pipe(&e) {
                    return Err(e.into());
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn record_name(table: ExportTable) -> &'static str {
    match table {
        ExportTable::Documents => "document",
        ExportTable::Relations => "relation",
        ExportTable::Events => "event",
    }
}

fn is_broken_pipe(e: &export::ExportError) -> bool {
    matches!(e, export::ExportError::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Writes `path` via a temporary file beside it, renamed when complete.
fn write_file(
    path: &Path,
    write: &dyn Fn(&mut dyn Write) -> Result<(), export::ExportError>,
) -> anyhow::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "--output {} không phải tên tệp (names no file); hãy cho một tên tệp",
                path.display()
            )
        })?;
    let tmp = path.with_file_name(format!(".{name}.part"));
    let file = std::fs::File::create(&tmp).map_err(|e| {
        anyhow::anyhow!(
            "không tạo được {} (cannot create: {e}); kiểm tra thư mục có tồn tại và ghi được không",
            tmp.display()
        )
    })?;
    let mut out = std::io::BufWriter::new(file);
    let result = write(&mut out)
        .map_err(anyhow::Error::from)
        .and_then(|()| {
            let file = out.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            Ok(())
        })
        .and_then(|()| Ok(std::fs::rename(&tmp, path)?));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.context(format!(
            "xuất dữ liệu thất bại (export failed); {} was not written",
            path.display()
        )));
    }
    Ok(())
}

/// Passes on only the JSON lines whose `record` is the given one (the
/// export's lines are compact JSON, so the field is matched exactly).
struct RecordFilter<'a> {
    out: &'a mut dyn Write,
    needle: String,
    line: Vec<u8>,
}

impl<'a> RecordFilter<'a> {
    fn new(out: &'a mut dyn Write, record: &str) -> Self {
        RecordFilter {
            out,
            needle: format!("\"record\":\"{record}\""),
            line: Vec::new(),
        }
    }

    fn emit(&mut self) -> std::io::Result<()> {
        if memchr::memmem::find(&self.line, self.needle.as_bytes()).is_some() {
            self.out.write_all(&self.line)?;
        }
        self.line.clear();
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        if !self.line.is_empty() {
            self.emit()?;
        }
        self.out.flush()
    }
}

impl Write for RecordFilter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = memchr::memchr(b'\n', rest) {
            self.line.extend_from_slice(&rest[..=i]);
            self.emit()?;
            rest = &rest[i + 1..];
        }
        self.line.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_chosen_records_pass() {
        let mut out = Vec::new();
        let mut only = RecordFilter::new(&mut out, "relation");
        only.write_all(b"{\"record\":\"document\",\"id\":\"a\"}\n{\"record\":\"rel")
            .expect("write");
        only.write_all(
            b"ation\",\"note\":\"x\\\"record\\\":\\\"event\\\"\"}\n{\"record\":\"event\"}",
        )
        .expect("write");
        only.finish().expect("finish");
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "{\"record\":\"relation\",\"note\":\"x\\\"record\\\":\\\"event\\\"\"}\n"
        );
    }
}
