//! `vanban track` (theo dõi tiến độ): what is expected of a document and by
//! when, and which provinces are overdue. `vanban track REF --stage
//! disseminated --by 2022-06-30` sets one, `--within 30` counts days from
//! the document's date, `--list [REF]` lists them with the overdue
//! provinces (today view, today's date), `--remove ID` removes one.
//!
//! Exit status: 0 done, 2 usage or store error, 3 ambiguous reference,
//! 4 unknown document or expectation.

use crate::kb::{self, StoreArgs};
use serde::Serialize;
use std::fmt::Write as _;
use std::process::ExitCode;
use vanban_server::coverage::expectations::{validate, ExpectationDto, ExpectationRequest};
use vanban_store::coverage::{coverage, View};
use vanban_store::expectations::{self, Expectation};
use vanban_store::graph::{Graph, Lookup};

const AMBIGUOUS: u8 = 3;
const NOT_FOUND: u8 = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TrackFormat {
    /// Readable, in Vietnamese.
    Text,
    /// The same objects as the API's `expectations`.
    Json,
}

#[derive(clap::Args)]
#[command(after_help = "EXAMPLES:\n  \
    vanban track 58-QĐ/TW --stage disseminated --by 2022-06-30\n  \
    vanban track 58-QĐ/TW --stage plan_issued --within 30 --provinces 'Huế,Quảng Trị'\n  \
    vanban track --list 58-QĐ/TW\n  \
    vanban track --remove 3")]
pub struct TrackArgs {
    /// The document, as a person types it (`58-QĐ/TW`, `quy dinh 58`) or
    /// its id.
    #[arg(value_name = "REF")]
    pub reference: Option<String>,
    /// The stage expected: disseminated, trained, plan_issued,
    /// interim_review, final_review.
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
    /// By this day (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD", conflicts_with = "within")]
    pub by: Option<String>,
    /// Within N days of the document's own date.
    #[arg(long, value_name = "N")]
    pub within: Option<i64>,
    /// Only these provinces (separated by commas) [default: every province].
    #[arg(long, value_name = "LIST")]
    pub provinces: Option<String>,
    /// A note kept with the expectation.
    #[arg(long)]
    pub note: Option<String>,
    /// Who sets it [default: cli:$USER].
    #[arg(long, value_name = "NAME")]
    pub set_by: Option<String>,
    /// List the expectations (of REF, or of every document).
    #[arg(long, conflicts_with_all = ["stage", "by", "within", "provinces", "note", "remove"])]
    pub list: bool,
    /// Remove the expectation with this id.
    #[arg(long, value_name = "ID", conflicts_with_all = ["stage", "by", "within", "provinces", "note"])]
    pub remove: Option<i64>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TrackFormat,
}

/// The document a reference names, or the exit status to end with.
fn resolve(graph: &Graph, reference: &str) -> Result<String, ExitCode> {
    let r = reference.trim();
    if graph.document(r).is_some() {
        return Ok(r.to_owned());
    }
    match graph.lookup(r) {
        Lookup::Found(id) => Ok(id),
        Lookup::Ambiguous(ids) => {
            eprintln!(
                "vanban: `{r}` có thể là {} văn bản (ambiguous): {}; give one of these ids",
                ids.len(),
                ids.join(", ")
            );
            Err(ExitCode::from(AMBIGUOUS))
        }
        Lookup::NotFound => {
            eprintln!("vanban: `{r}`: không tìm thấy văn bản (document not found)");
            Err(ExitCode::from(NOT_FOUND))
        }
    }
}

pub fn run(args: TrackArgs, store_args: &StoreArgs) -> anyhow::Result<ExitCode> {
    if let Some(id) = args.remove {
        let Some(mut store) = store_args.open_existing_store()? else {
            anyhow::bail!(kb::no_store_message(store_args));
        };
        return if store.backend().remove_expectation(id)? {
            eprintln!("Đã xóa kỳ vọng {id} (expectation removed).");
            Ok(ExitCode::SUCCESS)
        } else {
            eprintln!("vanban: không có kỳ vọng {id} (no expectation with this id): `vanban track --list` lists them");
            Ok(ExitCode::from(NOT_FOUND))
        };
    }
    if args.list {
        return list(&args, store_args);
    }
    let Some(reference) = args.reference.as_deref() else {
        anyhow::bail!("thiếu văn bản (no document): `vanban track REF --stage STAGE --by YYYY-MM-DD`, or `vanban track --list`");
    };
    let Some(stage) = args.stage.clone() else {
        anyhow::bail!("thiếu --stage (no stage): disseminated, trained, plan_issued, interim_review or final_review");
    };
    let Some(mut store) = store_args.open_existing_store()? else {
        anyhow::bail!(kb::no_store_message(store_args));
    };
    let graph = store.graph()?;
    let id = match resolve(&graph, reference) {
        Ok(id) => id,
        Err(code) => return Ok(code),
    };
    let req = ExpectationRequest {
        stage,
        by: args.by.clone(),
        within_days: args.within,
        provinces: args
            .provinces
            .as_deref()
            .map(|p| p.split(',').map(str::to_owned).collect()),
        note: args.note.clone(),
    };
    let set_by = args
        .set_by
        .clone()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| match std::env::var("USER") {
            Ok(u) if !u.trim().is_empty() => format!("cli:{}", u.trim()),
            _ => "cli".to_owned(),
        });
    let set_at = vanban_watch::rfc3339(vanban_watch::unix_now());
    let new = validate(req, &id, set_by, set_at)
        .map_err(|e| anyhow::anyhow!("{}", e.body.error.message))?;
    let eid = store.backend().add_expectation(&new)?;
    let e = Expectation {
        id: eid,
        fields: new,
    };
    let dtos = measure(&graph, &[e]);
    print(&dtos, args.format)?;
    Ok(ExitCode::SUCCESS)
}

fn list(args: &TrackArgs, store_args: &StoreArgs) -> anyhow::Result<ExitCode> {
    let Some(mut store) = store_args.open_existing_store()? else {
        anyhow::bail!(kb::no_store_message(store_args));
    };
    let graph = store.graph()?;
    let document = match args.reference.as_deref() {
        Some(r) => match resolve(&graph, r) {
            Ok(id) => Some(id),
            Err(code) => return Ok(code),
        },
        None => None,
    };
    let list = store.backend().expectations(document.as_deref())?;
    let dtos = measure(&graph, &list);
    if dtos.is_empty() && args.format == TrackFormat::Text {
        outln!("Chưa có kỳ vọng nào (no expectations): set one with `vanban track REF --stage disseminated --by YYYY-MM-DD`.");
        return Ok(ExitCode::SUCCESS);
    }
    print(&dtos, args.format)?;
    Ok(ExitCode::SUCCESS)
}

/// Each expectation against its document's coverage (today view) today.
fn measure(graph: &Graph, list: &[Expectation]) -> Vec<ExpectationDto> {
    let today = kb::today();
    let mut out = Vec::new();
    let mut cache: Option<(String, vanban_store::coverage::Coverage)> = None;
    for e in list {
        let doc = &e.fields.document;
        if cache.as_ref().is_none_or(|(d, _)| d != doc) {
            cache = coverage(graph, doc, View::Today).map(|c| (doc.clone(), c));
        }
        match &cache {
            Some((d, c)) if d == doc => {
                out.push(ExpectationDto::from(&expectations::status(e, c, today)))
            }
            // A document no longer in the knowledge base: nobody judged.
            _ => {
                let empty = vanban_store::coverage::Coverage {
                    document: doc.clone(),
                    date: None,
                    view: View::Today,
                    rows: Vec::new(),
                    totals: Vec::new(),
                    unplaced: 0,
                };
                out.push(ExpectationDto::from(&expectations::status(
                    e, &empty, today,
                )))
            }
        }
    }
    out
}

#[derive(Serialize)]
struct Listing<'a> {
    expectations: &'a [ExpectationDto],
}

fn print(dtos: &[ExpectationDto], format: TrackFormat) -> anyhow::Result<()> {
    match format {
        TrackFormat::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&Listing { expectations: dtos })?
        ),
        TrackFormat::Text => out!("{}", text(dtos)),
    }
    Ok(())
}

fn vi_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}/{}/{}", d.day(), d.month(), d.year())
}

fn text(dtos: &[ExpectationDto]) -> String {
    let mut out = String::new();
    for e in dtos {
        let deadline = match (e.by, e.within_days) {
            (Some(d), _) => format!("trước ngày {}", vi_date(d)),
            (None, Some(n)) => match e.due {
                Some(due) => format!("trong {n} ngày kể từ ngày ban hành (đến {})", vi_date(due)),
                None => format!("trong {n} ngày kể từ ngày ban hành (chưa rõ ngày ban hành)"),
            },
            (None, None) => String::new(),
        };
        let scope = if e.provinces.is_empty() {
            "mọi tỉnh, thành phố".to_owned()
        } else {
            e.provinces.join(", ")
        };
        let _ = writeln!(
            out,
            "[{}] {} — {} {}\n    Phạm vi: {scope}\n    Đặt bởi: {}, lúc {}",
            e.id,
            e.document,
            e.stage.label_vi(),
            deadline,
            e.set_by,
            e.set_at
        );
        if let Some(n) = &e.note {
            let _ = writeln!(out, "    Ghi chú: {n}");
        }
        let names = |v: &[vanban_server::coverage::expectations::ProvinceDueDto], unit: &str| {
            v.iter()
                .map(|p| format!("{} ({} ngày{unit})", p.province, p.days))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "    Quá hạn (overdue): {}{}",
            e.overdue.len(),
            if e.overdue.is_empty() {
                String::new()
            } else {
                format!(" — {}", names(&e.overdue, ""))
            }
        );
        if !e.late.is_empty() {
            let _ = writeln!(
                out,
                "    Hoàn thành muộn (late): {} — {}",
                e.late.len(),
                names(&e.late, " muộn")
            );
        }
        let _ = writeln!(out, "    Đúng hạn (on time): {}", e.on_time.len());
        if !e.pending.is_empty() {
            let _ = writeln!(out, "    Chưa đến hạn (pending): {}", e.pending.len());
        }
        if !e.undated.is_empty() {
            let _ = writeln!(
                out,
                "    Đã thực hiện, chưa rõ ngày (undated): {}",
                e.undated.join(", ")
            );
        }
    }
    out
}
