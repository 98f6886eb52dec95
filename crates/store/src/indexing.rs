//! Feeding the search index (`vanban-search`) from the graph and the stored
//! texts (đánh chỉ mục tìm kiếm): used by `vanban ingest`, `vanban reindex`,
//! the web application's uploads and `vanban demo`.
//!
//! The store is the truth; the index is derived and can be rebuilt at any
//! time ([`rebuild`]). Incremental updates ([`update`]) keep a small state
//! file inside the index directory ([`IndexState`], `vanban-indexed.json`)
//! naming what is indexed, written only after the index committed: an
//! update that was interrupted is simply redone by the next one (adding an
//! entry again replaces it).

use crate::graph::{number_key, CanonicalDocument, EventFilter, Graph};
use crate::{SourceText, Store};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use vanban_search::{DocumentEntry, SearchIndex, SearchWriter, SourceEntry};

/// Name of the state file inside the index directory.
pub const STATE_FILE: &str = "vanban-indexed.json";

/// Name of the state's journal inside the index directory: one line of
/// JSON per incremental update (a [`StateDelta`]), appended after the index
/// committed, so that a write costs what it changed and not the size of the
/// whole state; folded into [`STATE_FILE`] once it holds about a quarter as
/// many entries as the state ([`IndexState::append`]).
pub const JOURNAL_FILE: &str = "vanban-indexed.log";

/// What went wrong while feeding the search index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Search(#[from] vanban_search::Error),
    #[error("không ghi được tệp trạng thái của chỉ mục tìm kiếm {path} (cannot write the search index state: {source}); nếu ổ đĩa đầy, hãy giải phóng dung lượng rồi chạy `vanban reindex`")]
    State {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl From<vanban_search::Error> for crate::Error {
    fn from(e: vanban_search::Error) -> Self {
        crate::Error::Indexing(IndexError::Search(e))
    }
}

/// An indexed document as the state records it: the number key of its
/// bucket (so that an incremental update finds the documents of the
/// numbers it touched that are gone, without listing every document) and
/// a fingerprint of its entry (so that only entries that changed are added
/// again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexedDocument {
    /// [`crate::graph::number_key`] of its number (`None` in a state
    /// migrated from version 1, which did not keep it).
    pub key: Option<String>,
    /// Fingerprint of its entry (`None` when not known: the entry is then
    /// added again).
    pub entry: Option<u64>,
}

/// What the index holds (trạng thái chỉ mục): for each indexed source id a
/// fingerprint of the document ids it was indexed with (so that a source
/// whose citations resolve differently after new texts is re-indexed), and
/// the indexed documents (so that documents that no longer exist after
/// resolution are removed).
///
/// Kept on disk as [`STATE_FILE`] (the whole state, version 2) and
/// [`JOURNAL_FILE`] (the incremental updates since); a version-1 state file
/// (`documents` a list of ids, `entries` their fingerprints) is read and
/// migrated: its documents' number keys are unknown, so the first
/// incremental update declines and the whole [`update`] writes version 2.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IndexState {
    /// Format of this file.
    pub version: u32,
    /// Source id → fingerprint of its resolved document ids.
    pub sources: BTreeMap<i64, u64>,
    /// Id → the indexed document.
    pub documents: BTreeMap<String, IndexedDocument>,
    /// How many entries the index held when this state was written (absent
    /// in a state written before it was kept): an index that holds another
    /// number later lost entries, or is an older copy of itself
    /// ([`check_held`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<u64>,
    /// Which base file the journal's lines follow (a journal left over from
    /// another base, after a crash between writing the base and removing
    /// the journal, is ignored).
    #[serde(default)]
    pub generation: u64,
    /// Lines in the journal since the base (not in the file).
    #[serde(skip)]
    pub journal: u64,
}

/// Two states are equal when they say the same of the index (the base's
/// generation and the journal's length are how it is kept on disk).
impl PartialEq for IndexState {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.sources == other.sources
            && self.documents == other.documents
            && self.held == other.held
    }
}

impl Eq for IndexState {}

/// Version 1 of the state file, read to migrate it.
#[derive(Deserialize)]
struct StateV1 {
    version: u32,
    sources: BTreeMap<i64, u64>,
    documents: Vec<String>,
    #[serde(default)]
    entries: BTreeMap<String, u64>,
    #[serde(default)]
    held: Option<u64>,
}

/// One incremental update of the state (a line of [`JOURNAL_FILE`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateDelta {
    /// The base's [`IndexState::generation`] this line follows.
    pub base: u64,
    /// Sources indexed or re-marked, with their fingerprints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<(i64, u64)>,
    /// Documents added or re-indexed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<(String, IndexedDocument)>,
    /// Documents removed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
    /// Entries the index held after the update.
    pub held: u64,
}

const STATE_VERSION: u32 = 2;

impl IndexState {
    /// The state recorded in `dir` (base and journal); an empty state when
    /// there is none or it cannot be read (everything is then indexed
    /// again, which is safe).
    pub fn load(dir: &Path) -> IndexState {
        let Ok(bytes) = std::fs::read(dir.join(STATE_FILE)) else {
            return IndexState::default();
        };
        let mut state = match serde_json::from_slice::<IndexState>(&bytes) {
            Ok(state) if state.version == STATE_VERSION => state,
            _ => match serde_json::from_slice::<StateV1>(&bytes) {
                Ok(v1) if v1.version == 1 => return IndexState::from_v1(v1),
                _ => return IndexState::default(),
            },
        };
        if let Ok(journal) = std::fs::read(dir.join(JOURNAL_FILE)) {
            // A line cut short by a crash is the last one: it and anything
            // after it are ignored (that update is simply redone).
            for line in journal.split(|&b| b == b'\n') {
                if line.is_empty() {
                    continue;
                }
                match serde_json::from_slice::<StateDelta>(line) {
                    Ok(delta) if delta.base == state.generation => {
                        state.apply(&delta);
                        state.journal += 1;
                    }
                    _ => {
                        // Lines appended after this one would be lost at
                        // the next load: the next append writes a new base.
                        state.journal = u64::MAX / 2;
                        break;
                    }
                }
            }
        }
        state
    }

    fn from_v1(v1: StateV1) -> IndexState {
        let documents = v1
            .documents
            .into_iter()
            .map(|id| {
                let entry = v1.entries.get(&id).copied();
                (id, IndexedDocument { key: None, entry })
            })
            .collect();
        IndexState {
            version: STATE_VERSION,
            sources: v1.sources,
            documents,
            held: v1.held,
            generation: 0,
            journal: 0,
        }
    }

    /// Applies one incremental update.
    pub fn apply(&mut self, delta: &StateDelta) {
        for (id, mark) in &delta.sources {
            self.sources.insert(*id, *mark);
        }
        for (id, doc) in &delta.documents {
            self.documents.insert(id.clone(), doc.clone());
        }
        for id in &delta.removed {
            self.documents.remove(id);
        }
        self.held = Some(delta.held);
    }

    /// True when every document's number key is known (not a state
    /// migrated from version 1).
    fn keyed(&self) -> bool {
        self.documents.values().all(|d| d.key.is_some())
    }

    /// Writes the whole state into `dir` atomically (temporary file, then
    /// rename) as a new base, and removes the journal.
    pub fn save(&self, dir: &Path) -> Result<(), IndexError> {
        let path = dir.join(STATE_FILE);
        let tmp = dir.join(format!("{STATE_FILE}.tmp"));
        let state = IndexState {
            version: STATE_VERSION,
            generation: self.generation.wrapping_add(1),
            journal: 0,
            ..self.clone()
        };
        let bytes = serde_json::to_vec(&state).unwrap_or_default();
        let io = |source| IndexError::State {
            path: path.clone(),
            source,
        };
        std::fs::write(&tmp, bytes).map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)?;
        match std::fs::remove_file(dir.join(JOURNAL_FILE)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(IndexError::State {
                    path: dir.join(JOURNAL_FILE),
                    source,
                })
            }
        }
        Ok(())
    }

    /// Applies `delta` and records it in `dir`: one line appended to the
    /// journal, or, once the journal holds about a quarter as many lines
    /// as the state has entries (so that folding it costs a bounded share
    /// of each write on average), the whole state written as a new base.
    pub fn append(&mut self, dir: &Path, mut delta: StateDelta) -> Result<(), IndexError> {
        delta.base = self.generation;
        self.apply(&delta);
        let size = (self.sources.len() + self.documents.len()) as u64;
        if self.journal + 1 > 64 + size / 4 {
            self.save(dir)?;
            self.generation = self.generation.wrapping_add(1);
            self.journal = 0;
            return Ok(());
        }
        let path = dir.join(JOURNAL_FILE);
        let io = |source| IndexError::State {
            path: path.clone(),
            source,
        };
        let mut line = serde_json::to_vec(&delta).unwrap_or_default();
        line.push(b'\n');
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io)?;
        file.write_all(&line).map_err(io)?;
        self.journal += 1;
        Ok(())
    }
}

/// The number keys the mentions of `facts` carry, in order: what a batch of
/// these sources touched ([`crate::Inserted::touched`]), for a process
/// that learns of them from the change feed ([`update_touched_with`]).
pub fn touched_keys(facts: &[crate::SourceFacts]) -> Vec<String> {
    let mut keys = std::collections::BTreeSet::new();
    for f in facts {
        keys.extend(crate::derived::keys_of(&f.extraction));
    }
    keys.into_iter().collect()
}

/// Below this many entries an incremental update that replaced or removed
/// an entry merges the whole index (cheap at that size), so that a small
/// knowledge base's scores are exactly a rebuild's; above it, only the
/// merge policy's background merges run ([`update_touched`]).
pub const MERGE_WHOLE_BELOW: u64 = 5_000;

/// What an update or rebuild did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Indexed {
    /// Sources added or re-indexed.
    pub sources: u64,
    /// Documents (re-)indexed.
    pub documents: u64,
    /// Documents removed (they no longer exist after resolution).
    pub removed: u64,
}

/// The search entry of a canonical document, with the provinces of the
/// events held on it.
pub fn document_entry(graph: &Graph, doc: &CanonicalDocument) -> DocumentEntry {
    let filter = EventFilter {
        document: Some(doc.id.clone()),
        ..EventFilter::default()
    };
    let provinces = graph
        .events(&filter)
        .into_iter()
        .filter_map(|e| e.province)
        .collect();
    entry_of(doc, provinces)
}

fn entry_of(doc: &CanonicalDocument, mut provinces: Vec<String>) -> DocumentEntry {
    dedup(&mut provinces);
    DocumentEntry {
        id: doc.id.clone(),
        kind: doc.kind,
        number: doc.number.clone(),
        symbol: doc.symbol.clone(),
        year: doc.year.or(doc.date.map(|d| chrono::Datelike::year(&d))),
        issuer: doc.issuer.clone(),
        title: doc.title.clone(),
        provinces,
    }
}

/// The search entry of a stored source (its text is copied; see
/// [`source_entry_owned`] to avoid the copy).
pub fn source_entry(graph: &Graph, source: &SourceText) -> SourceEntry {
    source_entry_owned(graph, source.clone())
}

/// The search entry of a stored source, taking its text.
pub fn source_entry_owned(graph: &Graph, source: SourceText) -> SourceEntry {
    let resolved: Vec<String> = graph
        .resolved_ids(source.facts.id)
        .into_iter()
        .flatten()
        .collect();
    entry_with(source, resolved)
}

/// The search entry of a source whose cited documents resolved to `document_ids`.
fn entry_with(source: SourceText, mut document_ids: Vec<String>) -> SourceEntry {
    let ex = &source.facts.extraction;
    let mut kinds: Vec<String> = ex.documents.iter().map(|d| d.kind.code().into()).collect();
    let mut issuers: Vec<String> = ex
        .documents
        .iter()
        .filter_map(|d| d.issuer.clone())
        .collect();
    let mut years: Vec<i32> = ex.documents.iter().filter_map(|d| d.year).collect();
    let mut provinces: Vec<String> = ex
        .events
        .iter()
        .filter_map(|e| e.province.clone())
        .collect();
    dedup(&mut kinds);
    dedup(&mut issuers);
    years.sort_unstable();
    years.dedup();
    dedup(&mut provinces);
    dedup(&mut document_ids);
    SourceEntry {
        source: ex.source.clone(),
        published: ex.published,
        title: source.facts.title,
        text: source.text,
        kinds,
        issuers,
        years,
        provinces,
        document_ids,
    }
}

/// Every document entry of the graph, with the provinces of its events.
fn document_entries(graph: &Graph) -> Vec<DocumentEntry> {
    let mut provinces: HashMap<&str, Vec<String>> = HashMap::new();
    let events = graph.events(&EventFilter::default());
    for event in &events {
        if let Some(p) = &event.province {
            for id in &event.documents {
                provinces.entry(id.as_str()).or_default().push(p.clone());
            }
        }
    }
    graph
        .documents()
        .iter()
        .map(|doc| {
            let p = provinces.get(doc.id.as_str()).cloned().unwrap_or_default();
            entry_of(doc, p)
        })
        .collect()
}

/// Adds (or replaces) every document of the graph; returns their ids.
pub fn refresh_documents(
    graph: &Graph,
    writer: &mut SearchWriter,
) -> Result<Vec<String>, IndexError> {
    let entries = document_entries(graph);
    let mut ids = Vec::with_capacity(entries.len());
    for entry in entries {
        ids.push(entry.id.clone());
        writer.add_document(entry)?;
    }
    Ok(ids)
}

/// Brings the index in `dir` up to date with the store: sources not yet
/// indexed (or whose citations now resolve differently) are added, every
/// document re-indexed, vanished documents removed; then commits and
/// records the new [`IndexState`]. `graph` must be the store's current graph.
/// `progress` is called after each source with the number done and to do.
pub fn update(
    store: &mut Store,
    graph: &Graph,
    index: &SearchIndex,
    dir: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> crate::Result<Indexed> {
    let plan = Plan::new(graph, IndexState::load(dir));
    plan.apply(store, index, dir, progress)
}

/// [`update`], dropping the graph as soon as what the index needs of it is
/// known, before the texts are read (a large store's graph is big).
pub fn update_owned(
    store: &mut Store,
    graph: Graph,
    index: &SearchIndex,
    dir: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> crate::Result<Indexed> {
    let plan = Plan::new(&graph, IndexState::load(dir));
    drop(graph);
    plan.apply(store, index, dir, progress)
}

/// How the index in a directory stands against the store's graph
/// ([`check`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Its state lists every source with its current resolution and every
    /// document, and it holds as many entries as that says.
    UpToDate,
    /// Sources or documents to add, re-index or remove: [`update`] brings
    /// it up to date.
    Behind,
    /// Its state says it is up to date, but it holds another number of
    /// entries: it lost or kept entries its state does not account for;
    /// only a [`rebuild`] can be trusted.
    Inconsistent {
        /// Entries the state accounts for (one per source path and one
        /// per document).
        expected: u64,
        /// Entries the index holds.
        found: u64,
    },
}

/// Compares the index in `dir` with `graph` (the store's current graph):
/// its state file (every source with the fingerprint of its resolution,
/// every document) and its number of entries. Cheap: no text is read.
pub fn check(graph: &Graph, index: &SearchIndex, dir: &Path) -> Standing {
    let old = IndexState::load(dir);
    let plan = Plan::new(graph, old);
    let documents: HashSet<&str> = plan.documents.iter().map(|d| d.id.as_str()).collect();
    let listed: HashSet<&str> = plan.old.documents.keys().map(String::as_str).collect();
    // A state migrated from version 1 (no number keys) is brought to
    // version 2 by the whole update.
    if !plan.todo.is_empty()
        || !plan.old.keyed()
        || plan.old.sources.len() != plan.state.sources.len()
        || documents != listed
    {
        return Standing::Behind;
    }
    // One entry per source path (a source stored again under the same
    // path replaces the entry) and one per document.
    let paths: HashSet<&str> = graph
        .sources()
        .iter()
        .map(|f| f.extraction.source.as_str())
        .collect();
    let expected = (paths.len() + documents.len()) as u64;
    let found = index.len();
    if found == expected {
        Standing::UpToDate
    } else {
        Standing::Inconsistent { expected, found }
    }
}

/// [`check`] without the graph (cheap enough for every `vanban ingest`,
/// which takes only what one batch touched): an index that holds another
/// number of entries than its state file says it held is
/// [`Standing::Inconsistent`] (only a [`rebuild`] can be trusted); one whose
/// state lists another number of sources than the store's `sources` is
/// [`Standing::Behind`]. A state written before it kept the count is never
/// found inconsistent here.
pub fn check_held(index: &SearchIndex, dir: &Path, sources: u64) -> Standing {
    let state = IndexState::load(dir);
    let found = index.len();
    match state.held {
        Some(expected) if expected != found => Standing::Inconsistent { expected, found },
        _ if state.sources.len() as u64 != sources => Standing::Behind,
        _ => Standing::UpToDate,
    }
}

/// [`update`] after one batch stored with its derived state kept: only the
/// sources of the number keys it touched (`keys`, [`crate::Inserted::touched`])
/// and the sources it stored (`new`, [`crate::Inserted::ids`]) can resolve
/// differently (resolution never crosses numbers), and only the documents
/// of those keys can change, so only they are read (from the derived
/// state) and re-indexed; the index ends with the same entries and state as
/// [`update`] would give it. `sources` is how many sources the store holds.
/// Returns `None`, having done nothing, when the index does not hold every
/// other stored source (no state, or an earlier update was interrupted):
/// then [`update`] must run.
///
/// The update is one small commit: replaced entries are deleted by their
/// key and added again in a new segment, and the index is never merged
/// whole here (tantivy's merge policy merges segments of similar sizes;
/// [`update`] and [`rebuild`] end with one segment). Until a merge purges
/// them, deleted entries still count in the BM25 statistics (document
/// frequencies, average lengths), so scores may differ slightly from a
/// rebuild's (docs/search.md): the same entries match, with the same
/// totals.
pub fn update_touched(
    store: &mut Store,
    keys: &[String],
    new: &[i64],
    sources: u64,
    index: &SearchIndex,
    dir: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> crate::Result<Option<Indexed>> {
    let mut state = IndexState::load(dir);
    if !touched_applies(&state, new, sources) {
        return Ok(None);
    }
    let mut writer = index.writer()?;
    let done = update_touched_with(
        store,
        keys,
        new,
        sources,
        index,
        &mut writer,
        &mut state,
        dir,
        MERGE_WHOLE_BELOW,
        progress,
    )?;
    writer.finish_small()?;
    Ok(done)
}

/// Whether [`update_touched`] can run on an index with `state`.
fn touched_applies(state: &IndexState, new: &[i64], sources: u64) -> bool {
    state.version == STATE_VERSION
        && !new.iter().any(|id| state.sources.contains_key(id))
        && state.sources.len() as u64 + new.len() as u64 == sources
        && state.keyed()
}

/// [`update_touched`] with a writer and the index's state that the caller
/// keeps between updates (a server: no writer opened, no state file read
/// per write): commits the writer (without waiting for merges) and appends
/// the update to the state's journal ([`IndexState::append`]). `state` must
/// be the index's current state (as [`IndexState::load`] gives it, and as
/// this function leaves it). An index with fewer than `merge_whole_below`
/// entries is merged whole when the update replaced or removed an entry
/// ([`MERGE_WHOLE_BELOW`]).
#[allow(clippy::too_many_arguments)]
pub fn update_touched_with(
    store: &mut Store,
    keys: &[String],
    new: &[i64],
    sources: u64,
    index: &SearchIndex,
    writer: &mut SearchWriter,
    state: &mut IndexState,
    dir: &Path,
    merge_whole_below: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> crate::Result<Option<Indexed>> {
    if !touched_applies(state, new, sources) {
        return Ok(None);
    }
    let backend = store.backend();
    let mut facts = if keys.is_empty() {
        Vec::new()
    } else {
        backend.facts_with_keys(keys)?
    };
    let have: HashSet<i64> = facts.iter().map(|f| f.id).collect();
    let missing: Vec<i64> = new
        .iter()
        .copied()
        .filter(|id| !have.contains(id))
        .collect();
    if !missing.is_empty() {
        facts.extend(backend.facts_of(&missing)?);
        facts.sort_by_key(|f| f.id);
    }
    let ids: Vec<i64> = facts.iter().map(|f| f.id).collect();
    let mut resolved: HashMap<i64, Vec<Option<String>>> = facts
        .iter()
        .map(|f| (f.id, vec![None; f.extraction.documents.len()]))
        .collect();
    for (source, idx, document) in backend.derived_resolution(&ids)? {
        if let Some(slot) = resolved
            .get_mut(&source)
            .and_then(|v| usize::try_from(idx).ok().and_then(|i| v.get_mut(i)))
        {
            *slot = Some(document);
        }
    }
    let mut delta = StateDelta::default();
    let mut todo = Vec::new();
    for f in &facts {
        let ids = resolved.remove(&f.id).unwrap_or_default();
        let mark = fingerprint(&ids);
        if state.sources.get(&f.id) != Some(&mark) {
            todo.push((f.id, ids.iter().flatten().cloned().collect::<Vec<_>>()));
            delta.sources.push((f.id, mark));
        }
        resolved.insert(f.id, ids);
    }
    // The touched documents, with the provinces of their events in the
    // graph's event order (by date, undated last, then ingest order).
    let documents = if keys.is_empty() {
        Vec::new()
    } else {
        backend.derived_documents(keys)?
    };
    let wanted: HashSet<&str> = documents.iter().map(|d| d.id.as_str()).collect();
    let mut events: Vec<(Option<chrono::NaiveDate>, &str, Vec<&str>)> = Vec::new();
    for f in &facts {
        let ids = resolved.get(&f.id).map(Vec::as_slice).unwrap_or_default();
        for e in &f.extraction.events {
            let Some(province) = e.province.as_deref() else {
                continue;
            };
            let docs: Vec<&str> = e
                .documents
                .iter()
                .filter_map(|&i| ids.get(i).and_then(|d| d.as_deref()))
                .filter(|d| wanted.contains(d))
                .collect();
            if !docs.is_empty() {
                events.push((e.date, province, docs));
            }
        }
    }
    events.sort_by_key(|e| (e.0.is_none(), e.0));
    let mut provinces: HashMap<&str, Vec<String>> = HashMap::new();
    for (_, province, docs) in &events {
        for d in docs {
            provinces.entry(d).or_default().push((*province).to_owned());
        }
    }
    let mut entries: Vec<DocumentEntry> = Vec::new();
    for d in &documents {
        let entry = entry_of(d, provinces.remove(d.id.as_str()).unwrap_or_default());
        let indexed = indexed_document(&entry);
        if state.documents.get(&d.id) != Some(&indexed) {
            delta.documents.push((d.id.clone(), indexed));
            entries.push(entry);
        }
    }
    // The documents of the touched numbers that resolution no longer
    // gives (no other number's documents can change).
    let touched: HashSet<&str> = keys.iter().map(String::as_str).collect();
    delta.removed = state
        .documents
        .iter()
        .filter(|(id, d)| {
            d.key.as_deref().is_some_and(|k| touched.contains(k)) && !wanted.contains(id.as_str())
        })
        .map(|(id, _)| id.clone())
        .collect();

    let mut done = Indexed::default();
    add_sources(store, writer, todo, &mut done, progress)?;
    for entry in entries {
        writer.add_document(entry)?;
    }
    for id in &delta.removed {
        writer.delete_document(id);
        done.removed += 1;
    }
    let replaced = !delta.removed.is_empty()
        || delta
            .sources
            .iter()
            .any(|(id, _)| state.sources.contains_key(id))
        || delta
            .documents
            .iter()
            .any(|(id, _)| state.documents.contains_key(id));
    if replaced && index.len() < merge_whole_below {
        writer.merge_all()?;
    } else {
        writer.commit()?;
    }
    delta.held = index.len();
    state.append(dir, delta)?;
    done.documents = state.documents.len() as u64;
    Ok(Some(done))
}

/// What the state records of an indexed document entry.
fn indexed_document(entry: &DocumentEntry) -> IndexedDocument {
    IndexedDocument {
        key: Some(number_key(entry.number.as_deref().unwrap_or_default())),
        entry: Some(entry_fingerprint(entry)),
    }
}

/// Reads each source of `todo` from the store and (re-)indexes it with the
/// ids its citations resolve to; counts them in `done`.
fn add_sources(
    store: &mut Store,
    writer: &mut SearchWriter,
    todo: Vec<(i64, Vec<String>)>,
    done: &mut Indexed,
    progress: &mut dyn FnMut(u64, u64),
) -> crate::Result<()> {
    let total = todo.len() as u64;
    for (id, resolved) in todo {
        if let Some(source) = store.source_text(id)? {
            writer.add_source(entry_with(source, resolved))?;
        }
        done.sources += 1;
        progress(done.sources, total);
    }
    Ok(())
}

/// What an update must do, taken from the graph.
struct Plan {
    old: IndexState,
    state: IndexState,
    /// Sources to (re-)index, with the ids their citations resolve to.
    todo: Vec<(i64, Vec<String>)>,
    documents: Vec<DocumentEntry>,
}

impl Plan {
    fn new(graph: &Graph, old: IndexState) -> Plan {
        let mut state = IndexState {
            version: STATE_VERSION,
            generation: old.generation,
            ..IndexState::default()
        };
        let mut todo = Vec::new();
        for facts in graph.sources() {
            let resolved = graph.resolved_ids(facts.id);
            let mark = fingerprint(&resolved);
            if old.sources.get(&facts.id) != Some(&mark) {
                todo.push((facts.id, resolved.into_iter().flatten().collect()));
            }
            state.sources.insert(facts.id, mark);
        }
        let documents = document_entries(graph);
        state.documents = documents
            .iter()
            .map(|e| (e.id.clone(), indexed_document(e)))
            .collect();
        Plan {
            old,
            state,
            todo,
            documents,
        }
    }

    fn apply(
        self,
        store: &mut Store,
        index: &SearchIndex,
        dir: &Path,
        progress: &mut dyn FnMut(u64, u64),
    ) -> crate::Result<Indexed> {
        let Plan {
            old,
            mut state,
            todo,
            documents,
        } = self;
        let mut writer = index.writer()?;
        writer.defer_merges();
        let mut done = Indexed::default();
        add_sources(store, &mut writer, todo, &mut done, progress)?;
        for entry in documents {
            writer.add_document(entry)?;
        }
        done.documents = state.documents.len() as u64;
        for id in old.documents.keys() {
            if !state.documents.contains_key(id) {
                writer.delete_document(id);
                done.removed += 1;
            }
        }
        writer.finish()?;
        state.held = Some(index.len());
        state.save(dir)?;
        Ok(done)
    }
}

/// Fills an empty index from the whole store (sources streamed, never all
/// in memory), commits, and returns the state to [`IndexState::save`] in
/// its directory. `progress` is called after each source.
pub fn rebuild(
    store: &mut Store,
    index: &SearchIndex,
    progress: &mut dyn FnMut(u64),
) -> crate::Result<(Indexed, IndexState)> {
    // What the index needs of the graph, taken before the graph is dropped
    // and the texts streamed.
    let graph = store.graph()?;
    let mut plan = Plan::new(&graph, IndexState::default());
    drop(graph);
    let mut resolved: HashMap<i64, Vec<String>> = plan.todo.drain(..).collect();
    let mut writer = index.writer()?;
    writer.defer_merges();
    writer.clear()?;
    let mut done = Indexed::default();
    let mut failure: Option<vanban_search::Error> = None;
    let streamed = store.backend().for_each_source(&mut |source: SourceText| {
        let ids = resolved.remove(&source.facts.id).unwrap_or_default();
        match writer.add_source(entry_with(source, ids)) {
            Ok(()) => {
                done.sources += 1;
                progress(done.sources);
                Ok(())
            }
            Err(e) => {
                let message = e.to_string();
                failure = Some(e);
                Err(message)
            }
        }
    });
    if let Some(e) = failure {
        return Err(e.into());
    }
    streamed?;
    let mut state = plan.state;
    for entry in plan.documents {
        writer.add_document(entry)?;
    }
    done.documents = state.documents.len() as u64;
    writer.finish()?;
    state.held = Some(index.len());
    Ok((done, state))
}

/// A stable fingerprint (FNV-1a) of a document's search entry.
fn entry_fingerprint(entry: &DocumentEntry) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in format!("{entry:?}").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A stable fingerprint (FNV-1a) of a source's resolved document ids.
fn fingerprint(ids: &[Option<String>]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for id in ids {
        let bytes = id.as_deref().unwrap_or("\u{0}");
        for b in bytes.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = HashSet::new();
    v.retain(|s| !s.trim().is_empty() && seen.insert(s.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_tell_resolutions_apart() {
        let a = fingerprint(&[Some("58-QĐ/TW@2022-02-08".into()), None]);
        let b = fingerprint(&[None, Some("58-QĐ/TW@2022-02-08".into())]);
        let c = fingerprint(&[Some("58-QĐ/TW@2022-02-08".into()), None]);
        assert_ne!(a, b);
        assert_eq!(a, c);
        assert_ne!(fingerprint(&[]), fingerprint(&[None]));
    }

    #[test]
    fn state_round_trips_and_a_missing_one_is_empty() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(IndexState::load(dir.path()), IndexState::default());
        let mut state = IndexState::default();
        state.sources.insert(3, 42);
        state.documents.insert(
            "126-QĐ/TW@2018-02-28".into(),
            IndexedDocument {
                key: Some("126".into()),
                entry: Some(7),
            },
        );
        state.save(dir.path()).expect("save");
        let back = IndexState::load(dir.path());
        assert_eq!(back.sources, state.sources);
        assert_eq!(back.documents, state.documents);
        std::fs::write(dir.path().join(STATE_FILE), b"{not json").expect("write");
        assert_eq!(IndexState::load(dir.path()), IndexState::default());
    }

    /// Updates appended to the journal are what a load gives back; the
    /// journal is folded into a new base once long; a line cut short by a
    /// crash is ignored and the next append writes a whole base; a journal
    /// left over from another base is ignored.
    #[test]
    fn the_journal_replays_and_folds() {
        let dir = tempfile::tempdir().expect("tempdir");
        let state = IndexState {
            version: STATE_VERSION,
            ..IndexState::default()
        };
        state.save(dir.path()).expect("save");
        let mut state = IndexState::load(dir.path());
        let doc = |k: &str| IndexedDocument {
            key: Some(k.into()),
            entry: Some(1),
        };
        for i in 0..10 {
            let delta = StateDelta {
                sources: vec![(i, 100 + i as u64)],
                documents: vec![(format!("{i}-QĐ/TW"), doc(&i.to_string()))],
                removed: if i == 5 {
                    vec!["2-QĐ/TW".into()]
                } else {
                    vec![]
                },
                held: 2 * i as u64,
                ..StateDelta::default()
            };
            state.append(dir.path(), delta).expect("append");
            assert_eq!(IndexState::load(dir.path()), state, "after {i}");
        }
        assert!(dir.path().join(JOURNAL_FILE).exists());
        assert_eq!(state.documents.len(), 9);
        assert_eq!(state.held, Some(18));
        // Many more updates: the journal is folded now and then, and stays
        // short.
        for i in 10..400 {
            let delta = StateDelta {
                sources: vec![(i, 1)],
                held: i as u64,
                ..StateDelta::default()
            };
            state.append(dir.path(), delta).expect("append");
        }
        assert_eq!(IndexState::load(dir.path()), state);
        assert!(state.journal <= 64 + 410 / 4, "journal {}", state.journal);
        // A torn last line.
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(dir.path().join(JOURNAL_FILE))
            .expect("journal");
        f.write_all(b"{\"base\":").expect("write");
        drop(f);
        let mut torn = IndexState::load(dir.path());
        assert_eq!(torn, state);
        let delta = StateDelta {
            sources: vec![(1000, 1)],
            held: 1,
            ..StateDelta::default()
        };
        torn.append(dir.path(), delta.clone()).expect("append");
        state.apply(&delta);
        assert_eq!(IndexState::load(dir.path()), state);
        // A journal of another base.
        let base = IndexState::load(dir.path());
        let stale = StateDelta {
            base: base.generation + 7,
            sources: vec![(2000, 1)],
            held: 1,
            ..StateDelta::default()
        };
        let mut line = serde_json::to_vec(&stale).expect("json");
        line.push(b'\n');
        std::fs::write(dir.path().join(JOURNAL_FILE), line).expect("write");
        assert_eq!(IndexState::load(dir.path()), base);
    }

    /// A version-1 state file is read: its sources and documents, without
    /// number keys (the whole update then writes version 2).
    #[test]
    fn a_version_1_state_is_migrated() {
        let dir = tempfile::tempdir().expect("tempdir");
        let v1 = r#"{"version":1,"sources":{"1":5,"2":6},"documents":["58-QĐ/TW@2022-02-08"],"entries":{"58-QĐ/TW@2022-02-08":9},"held":3}"#;
        std::fs::write(dir.path().join(STATE_FILE), v1).expect("write");
        let state = IndexState::load(dir.path());
        assert_eq!(state.version, STATE_VERSION);
        assert_eq!(state.sources.len(), 2);
        assert_eq!(
            state.documents.get("58-QĐ/TW@2022-02-08"),
            Some(&IndexedDocument {
                key: None,
                entry: Some(9)
            })
        );
        assert_eq!(state.held, Some(3));
        assert!(!state.keyed());
        assert!(!touched_applies(&state, &[], 2));
    }
}
