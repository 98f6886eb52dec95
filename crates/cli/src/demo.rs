//! `vanban demo`: the README's first command. Builds the sample knowledge
//! base (the texts of `samples/demo/`, embedded in the binary) in a
//! temporary directory, indexes it, starts the web application and prints
//! its URL (bản trình diễn). Everything is removed when it stops.

use include_dir::{include_dir, Dir};
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::process::ExitCode;
use vanban_store::{Location, NewSource, Store};

/// The demo corpus, read at build time so that the demo runs from any
/// directory.
static DEMO: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../samples/demo");

/// The port tried first when `--listen` is not given.
const DEFAULT_PORT: u16 = 8080;

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Address and port to listen on [default: 127.0.0.1:8080, or a free
    /// port when 8080 is taken].
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Do not open a web browser (it is opened only on a terminal anyway).
    #[arg(long)]
    pub no_open: bool,
}

/// The demo texts: (path as shown, bytes), in name order.
pub fn demo_texts() -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    collect(&DEMO, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
    for file in dir.files() {
        let path = file.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if matches!(ext.as_deref(), Some("txt" | "html" | "htm")) {
            out.push((format!("samples/demo/{}", path.display()), file.contents()));
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let temp = tempfile::Builder::new()
        .prefix("vanban-demo-")
        .tempdir()
        .map_err(|e| anyhow::anyhow!("không tạo được thư mục tạm (cannot create a temporary directory): {e}; check that TMPDIR is writable"))?;
    let data = temp.path().to_path_buf();
    let mut store = Store::open(&Location::Embedded(data.clone()))?;
    let texts = demo_texts();
    if texts.is_empty() {
        anyhow::bail!("this build has no demo texts (samples/demo/ was empty when it was built)");
    }
    let batch: Vec<NewSource> = texts
        .iter()
        .map(|(path, bytes)| NewSource::from_input(path, bytes))
        .collect();
    store.insert(&batch)?;
    let index_dir = data.join("index");
    let index = vanban_search::SearchIndex::create(&index_dir)?;
    let (_, index_state) = vanban_store::indexing::rebuild(&mut store, &index, &mut |_| {})?;
    index_state.save(&index_dir)?;
    let state = vanban_server::AppState::new(
        store,
        Some(index),
        Some(index_dir),
        vanban_server::Config::default(),
    )?;
    let stats = state.snapshot().stats().clone();
    eprintln!(
        "Đã nạp {} bài viết mẫu: {} văn bản, {} quan hệ, {} sự kiện ({:.1} s).\n\
         Loaded {} sample texts: {} documents, {} relations, {} events.",
        stats.sources,
        stats.documents,
        stats.relations,
        stats.events,
        started.elapsed().as_secs_f64(),
        stats.sources,
        stats.documents,
        stats.relations,
        stats.events,
    );
    let listen = args.listen.unwrap_or_else(|| {
        let preferred = SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT));
        match std::net::TcpListener::bind(preferred) {
            Ok(_) => preferred,
            Err(_) => SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    });
    let open = !args.no_open && std::io::stdout().is_terminal();
    vanban_server::run_blocking(state, listen, |addr| {
        crate::serve::announce(addr);
        println!("Dữ liệu mẫu nằm trong thư mục tạm, sẽ bị xóa khi dừng / The sample data is temporary: {}", data.display());
        if open {
            open_browser(&format!("http://{addr}/"));
        }
    })?;
    drop(temp);
    Ok(ExitCode::SUCCESS)
}

/// Opens `url` in the desktop's browser; failures are ignored (the URL is
/// printed anyway).
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let _ = cmd
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
