//! The citation graph (đồ thị trích dẫn), resolved in memory from every
//! stored fact: canonical documents, their relations, status in force as of
//! a date, and the events held on them. Pure: no I/O.
//!
//! Identity (shared/domain §1): a document is kind + number + symbol + date
//! (or term). Its id is `NUMBER-SYMBOL@YYYY-MM-DD` when the signing date is
//! known, `NUMBER-SYMBOL@YYYY` when only the year is, `NUMBER-SYMBOL@?`
//! otherwise; a document cited without a symbol is `KIND NUMBER@…` with the
//! kind's Vietnamese name (`Quy định 58@2022`).
//!
//! Resolution ([`Graph::build`]), in this order, deterministic:
//! 1. Mentions with number + symbol + year (from the date or a state number
//!    `30/2020/NĐ-CP`) group by number (leading zeros ignored), symbol
//!    (`TƯ` = `TW`, diacritics folded) and year: Party numbering restarts per
//!    term and state numbering per year, so another year is another document;
//!    two dates in one year are one document with conflicting dates (both
//!    kept with their sources; the most supported shown, then the first
//!    seen). The kind is not part of the identity (`QĐ` is Quy định and
//!    Quyết định; a news text may call one the other): the best-supported
//!    kind is shown. A term boundary inside a year is not detected.
//! 2. Number + symbol without a year: the one candidate left after dropping
//!    documents dated after the text was published and preferring one the
//!    same text cites; none known → its own `@?` document; two → unresolved.
//! 3. A short mention (`Quy định 58`, no symbol) links to a document of step
//!    1–2 with that number and kind (`Quy định`/`Quyết định` confusable only
//!    when no exact kind fits), the same year when it gives one, narrowed as in
//!    step 2; two candidates left → unresolved, never a guess.
//! 4. What is left forms documents of kind + number + year (`Quy định 58@2022`),
//!    or kind + number `@?` when nothing else with that kind and number exists.
//!
//! Mentions without a number (named laws) stay unresolved.

use crate::SourceFacts;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use vanban_extract::{DocumentKind, EventKind, RelationKind, Span};

/// The resolved knowledge base. Build it with [`Graph::build`]; add sources
/// with [`Graph::with_sources`] (only the numbers they cite are resolved
/// again; everything else is shared with the graph it started from).
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Every source, in id order.
    sources: Vec<Arc<SourceFacts>>,
    /// Per source (same order as `sources`), per extraction document: the
    /// id of the canonical document it resolved to.
    resolved: Vec<Arc<[Option<Arc<str>>]>>,
    /// Every canonical document, in [`DocOrd`] order.
    documents: Vec<Arc<CanonicalDocument>>,
    /// The same documents with what is derived about each.
    entries: Vec<Arc<DocEntry>>,
    /// Document id → its entry.
    by_id: Sharded<Arc<DocEntry>>,
    /// Every relation, by acting document, then the document acted upon
    /// (both in [`DocOrd`] order), then type.
    relations: Vec<Arc<CanonicalRelation>>,
    /// The sort key of each relation (same order).
    relation_keys: Vec<Arc<RelKey>>,
    /// Every event of every source, by date (undated last), then ingest
    /// order.
    events: Vec<Arc<EventView>>,
    /// The sort key of each event (same order).
    event_keys: Vec<EvKey>,
    /// Reference key (`vanban_search::reference`) → documents.
    keys: Sharded<Arc<Vec<Arc<str>>>>,
    /// Number key → the sources citing a document of that number and the
    /// documents of that number (resolution never crosses numbers).
    numbers: Sharded<Arc<NumberEntry>>,
    /// Province of today → how many events it held.
    provinces: BTreeMap<String, usize>,
    /// Issuer search key → the documents (in [`DocOrd`] order) that show an
    /// issuer of that key, with its name.
    issuer_docs: Sharded<IssuerFirst>,
    /// Issuer search key → the first issuer of that key any text names
    /// (source id, document index).
    issuer_raw: Sharded<((i64, usize), String)>,
}

/// A document's place in [`Graph::documents`]: its id before any `#n`
/// suffix, its first mention (source id, index), then its first member
/// mention (source id, index), which is unique.
pub(crate) type DocOrd = (String, Option<(i64, usize)>, (i64, usize));

/// A relation's place in [`Graph::relations`].
pub(crate) type RelKey = (DocOrd, DocOrd, RelationKind);

/// An event's place in [`Graph::all_events`]: undated last, by date, then
/// ingest order (source id, index of the event in its extraction).
pub(crate) type EvKey = (bool, Option<NaiveDate>, i64, usize);

/// Events about one document in one province of today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProvinceCount {
    pub province_now: String,
    pub events: usize,
    /// Names before the 2025 merger that events were held under.
    pub old_names: Vec<String>,
}

/// One canonical document with what is derived about it.
#[derive(Debug, Clone)]
struct DocEntry {
    doc: Arc<CanonicalDocument>,
    id: Arc<str>,
    ord: DocOrd,
    /// Its number key.
    number: String,
    /// The earliest publication date of a source citing it.
    first_reported: Option<NaiveDate>,
    /// How many distinct sources cite it (resolve a document to it).
    cited_by: usize,
    /// How many distinct sources its mentions come from.
    citations: usize,
    /// Relations where it is `to` and where it is `from` (any order).
    incoming: Vec<Arc<CanonicalRelation>>,
    outgoing: Vec<Arc<CanonicalRelation>>,
    /// The events about it, in [`Graph::all_events`] order.
    events: Vec<(EvKey, Arc<EventView>)>,
    /// Its events per province of today, in the order first held.
    provinces: Vec<ProvinceCount>,
    /// Its own reference keys.
    keys: Vec<String>,
    /// The search key of its issuer (`vanban_search::issuer_key`).
    issuer_key: Option<String>,
}

/// The first document (in [`DocOrd`] order) that shows an issuer of one
/// search key, and how many do.
#[derive(Debug, Clone)]
struct IssuerFirst {
    count: usize,
    ord: DocOrd,
    name: String,
}

/// What one number key holds.
#[derive(Debug, Clone, Default)]
struct NumberEntry {
    /// Sources with a mention of that number, in id order.
    sources: Vec<i64>,
    /// Documents of that number.
    docs: Vec<Arc<str>>,
}

/// How many shards a [`Sharded`] map has.
const SHARDS: usize = 4096;

/// A map from strings cut into shards shared between its clones: a clone
/// copies pointers, and a change copies only the shard it touches (for
/// tables kept per snapshot and updated per write).
#[derive(Debug, Clone)]
pub struct Sharded<V> {
    shards: Vec<Arc<HashMap<String, V>>>,
    len: usize,
}

impl<V> Default for Sharded<V> {
    fn default() -> Self {
        Sharded {
            shards: (0..SHARDS).map(|_| Arc::new(HashMap::new())).collect(),
            len: 0,
        }
    }
}

impl<V: Clone> Sharded<V> {
    /// How many keys it holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when it holds no key.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn at(key: &str) -> usize {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut h);
        (h.finish() as usize) % SHARDS
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.shards.get(Self::at(key))?.get(key)
    }

    /// Sets the value of `key`.
    pub fn insert(&mut self, key: String, value: V) {
        let i = Self::at(&key);
        if let Some(shard) = self.shards.get_mut(i) {
            if Arc::make_mut(shard).insert(key, value).is_none() {
                self.len += 1;
            }
        }
    }

    /// Removes `key`.
    pub fn remove(&mut self, key: &str) -> Option<V> {
        let shard = self.shards.get_mut(Self::at(key))?;
        if !shard.contains_key(key) {
            return None;
        }
        let v = Arc::make_mut(shard).remove(key);
        if v.is_some() {
            self.len -= 1;
        }
        v
    }
}

/// A relation between two canonical documents, with the sources stating it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CanonicalRelation {
    #[serde(rename = "type")]
    pub kind: RelationKind,
    /// The acting document (the replacement, the guide…).
    pub from: String,
    /// The document acted upon.
    pub to: String,
    /// Sources that state it, in ingest order.
    pub sources: Vec<i64>,
    /// The earliest publication date among those sources.
    #[serde(skip)]
    pub first_reported: Option<NaiveDate>,
}

/// A value some texts give, with the sources that give it (most supported first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supported<T> {
    pub value: T,
    /// Ids of the sources that give this value, in ingest order.
    pub sources: Vec<i64>,
}

/// One mention of a document: which source, where in its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionRef {
    pub source: i64,
    /// Index of the document in that source's extraction.
    pub index: usize,
    pub span: Span,
}

/// A document after resolution: every mention of it in every text merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CanonicalDocument {
    pub id: String,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub symbol: Option<String>,
    pub year: Option<i32>,
    /// The best-supported signing date (most sources, then first seen).
    pub date: Option<NaiveDate>,
    pub issuer: Option<String>,
    pub title: Option<String>,
    /// Every date the texts give, most supported first (conflicts kept).
    pub dates: Vec<Supported<NaiveDate>>,
    pub issuers: Vec<Supported<String>>,
    pub titles: Vec<Supported<String>>,
    pub mentions: Vec<MentionRef>,
}

/// What a reference a person typed (`126-qd/tw`, `quy dinh 126`) names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(String),
    /// Two or more documents fit: their ids, most cited first.
    Ambiguous(Vec<String>),
    NotFound,
}

/// `status.state` of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Còn hiệu lực
    InForce,
    /// Được sửa đổi, bổ sung
    Amended,
    /// Đã bị thay thế
    Replaced,
    /// Đã bị bãi bỏ
    Repealed,
    /// Hết hiệu lực
    Expired,
    /// No evidence either way.
    Unknown,
}

/// A document's status as of a date (the contract's `status` object).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub state: State,
    pub since: Option<NaiveDate>,
    /// Ids of the documents that replaced, amended or repealed it.
    pub by: Vec<String>,
}

/// One edge as seen from a document (`vanban doc`'s `relations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelationView {
    #[serde(rename = "type")]
    pub kind: RelationKind,
    /// `outgoing`: this document acts on `other`; `incoming`: `other` acts on it.
    pub direction: Direction,
    pub other: String,
    /// Sources that state this relation.
    pub sources: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Outgoing,
    Incoming,
}

/// An event with its source (`vanban doc`'s `events`, the event pages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventView {
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// As named at the time of the event.
    pub province: Option<String>,
    /// The province of today it belongs to (after the 2025 merger).
    pub province_now: Option<String>,
    pub organizer: Option<String>,
    /// The source's path or URL.
    pub source: String,
    pub source_id: i64,
    /// Ids of the documents the event was about.
    pub documents: Vec<String>,
}

/// A source citing a document, with the excerpt around the first mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    pub source: String,
    pub published: Option<NaiveDate>,
    pub excerpt: String,
    /// The store's id of the source (added after the contract's fields).
    pub source_id: i64,
}

/// `vanban doc REF --format json`: exactly the contract's object (fields
/// may only be added).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocView {
    pub id: String,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub symbol: Option<String>,
    pub date: Option<NaiveDate>,
    pub issuer: Option<String>,
    pub title: Option<String>,
    pub status: Status,
    pub relations: Vec<RelationView>,
    pub events: Vec<EventView>,
    pub sources: Vec<SourceRef>,
}

/// A page of each list of a [`DocView`]: the same window (`offset`, at
/// most `limit` items) applies to its relations, events and sources, each in
/// its own stable order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Page {
    pub offset: usize,
    /// `None`: every item from `offset` on.
    pub limit: Option<usize>,
}

impl Page {
    /// Every item.
    pub const ALL: Page = Page {
        offset: 0,
        limit: None,
    };

    fn window<T>(&self, items: impl Iterator<Item = T>) -> impl Iterator<Item = T> {
        items
            .skip(self.offset)
            .take(self.limit.unwrap_or(usize::MAX))
    }
}

/// How many items each list of a document holds in all, whatever the page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ViewTotals {
    pub relations: usize,
    pub events: usize,
    pub sources: usize,
}

/// Which events to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub document: Option<String>,
    /// A province, old or of today (today's name also finds the old ones).
    pub province: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<EventKind>,
}

/// Counts for the home page and `/api/v1/stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub sources: usize,
    pub documents: usize,
    pub relations: usize,
    pub events: usize,
    pub provinces: usize,
}

/// One document mention of one source, with its identity keys.
struct Mention {
    /// Position of the source in `Graph::sources`.
    source_pos: usize,
    index: usize,
    kind: DocumentKind,
    number: String,
    symbol: Option<String>,
    year: Option<i32>,
    date: Option<NaiveDate>,
    issuer: Option<String>,
    published: Option<NaiveDate>,
}

/// A group of mentions that are one document (before it gets its id).
#[derive(Default)]
struct Cluster {
    /// `(number key, symbol key)` or `(number key, kind code)` without a symbol.
    has_symbol: bool,
    number: String,
    year: Option<i32>,
    /// Mentions (indexes into the mention list).
    members: Vec<usize>,
    /// The earliest date its mentions give.
    earliest: Option<NaiveDate>,
    /// Every issuer its mentions name.
    issuers: Vec<String>,
    /// Every kind its mentions give.
    kinds: Vec<DocumentKind>,
}

/// The number as a key: leading zeros dropped (`01` and `1` are one number).
pub(crate) fn number_key(number: &str) -> String {
    let n = number.trim().to_lowercase();
    let t = n.trim_start_matches('0');
    if t.is_empty() && !n.is_empty() {
        "0".to_owned()
    } else {
        t.to_owned()
    }
}

/// The symbol as a key: folded, no spaces, `TƯ` = `TW` (`QĐ/TƯ` = `qd/tw`).
fn symbol_key(symbol: &str) -> String {
    let lower = symbol.to_lowercase().replace("/tư", "/tw");
    vanban_search::analyzer::fold(&lower)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Kinds a news text confuses (`QĐ` is both Quy định and Quyết định).
fn kinds_confusable(a: DocumentKind, b: DocumentKind) -> bool {
    use DocumentKind::{QuyDinh, QuyetDinh};
    a == b || matches!((a, b), (QuyDinh, QuyetDinh) | (QuyetDinh, QuyDinh))
}

/// Values with the sources that give them, most supported first, then first
/// seen (items must come in ingest order).
fn supported<T: Clone + Eq + std::hash::Hash>(
    items: impl Iterator<Item = (T, i64)>,
) -> Vec<Supported<T>> {
    let mut out: Vec<Supported<T>> = Vec::new();
    let mut at: HashMap<T, usize> = HashMap::new();
    for (value, source) in items {
        match at.get(&value) {
            Some(&i) => {
                // In ingest order a source already listed is the last one:
                // the whole list is searched only for one out of order (a
                // document cited by 100,000 sources stays linear).
                let last = out[i].sources.last().copied();
                let listed = match last {
                    Some(l) if l == source => true,
                    Some(l) if l > source => out[i].sources.contains(&source),
                    _ => false,
                };
                if !listed {
                    out[i].sources.push(source);
                }
            }
            None => {
                at.insert(value.clone(), out.len());
                out.push(Supported {
                    value,
                    sources: vec![source],
                });
            }
        }
    }
    // Stable: equal support keeps first-seen order.
    out.sort_by_key(|s| std::cmp::Reverse(s.sources.len()));
    out
}

/// True when a state document's number carries its year (`30/2020/NĐ-CP`):
/// laws, ordinances, decrees, circulars, or written that way in an excerpt.
fn state_number_has_year(
    kind: DocumentKind,
    symbol: &str,
    number: &str,
    year: i32,
    excerpts: &[&str],
) -> bool {
    let s = symbol_key(symbol);
    matches!(
        kind,
        DocumentKind::Luat
            | DocumentKind::PhapLenh
            | DocumentKind::NghiDinh
            | DocumentKind::ThongTu
    ) || s.starts_with("qh")
        || s.starts_with("nd-")
        || s.starts_with("tt-")
        || s.starts_with("pl-")
        || {
            let written = format!("{number}/{year}/");
            excerpts.iter().any(|e| e.contains(&written))
        }
}

/// A relation between canonical documents while building: kind, from, to,
/// sources, earliest publication.
type Lifted = (RelationKind, usize, usize, Vec<i64>, Option<NaiveDate>);

/// When an acting document took effect, as far as the texts tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Timing {
    /// Its date, or the first publication reporting it.
    On(NaiveDate),
    /// Only its year is known: certainly by the year's end.
    ByEndOf(i32),
    /// Nothing is known about when.
    Unknown,
}

impl Timing {
    fn reached(self, as_of: NaiveDate) -> bool {
        match self {
            Timing::On(d) => d <= as_of,
            Timing::ByEndOf(y) => NaiveDate::from_ymd_opt(y, 12, 31).is_some_and(|d| d <= as_of),
            Timing::Unknown => true,
        }
    }
    fn since(self) -> Option<NaiveDate> {
        match self {
            Timing::On(d) => Some(d),
            _ => None,
        }
    }
}

struct Resolver {
    mentions: Vec<Mention>,
    clusters: Vec<Cluster>,
    /// Cluster of each mention.
    assigned: Vec<Option<usize>>,
    /// Per source position: its mentions, `start..end` in `mentions`.
    source_range: Vec<(usize, usize)>,
    /// `(number key, symbol key)` → clusters.
    by_symbol: HashMap<(String, String), Vec<usize>>,
    /// `(number key, kind code)` → symbol-less clusters.
    by_kind: HashMap<(String, DocumentKind), Vec<usize>>,
    /// Number key → clusters with a symbol.
    by_number: HashMap<String, Vec<usize>>,
}

impl Resolver {
    fn new(sources: &[Arc<SourceFacts>]) -> Resolver {
        let mut mentions = Vec::new();
        let mut source_range = Vec::with_capacity(sources.len());
        for (source_pos, s) in sources.iter().enumerate() {
            let start = mentions.len();
            for (index, d) in s.extraction.documents.iter().enumerate() {
                let Some(number) = d.number.as_deref().map(str::trim).filter(|n| !n.is_empty())
                else {
                    continue;
                };
                mentions.push(Mention {
                    source_pos,
                    index,
                    kind: d.kind,
                    number: number.to_owned(),
                    symbol: d
                        .symbol
                        .as_deref()
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned),
                    year: d.year.or(d.date.map(|x| x.year())),
                    date: d.date,
                    issuer: d.issuer.clone().filter(|i| !i.trim().is_empty()),
                    published: s.extraction.published,
                });
            }
            source_range.push((start, mentions.len()));
        }
        let n = mentions.len();
        Resolver {
            mentions,
            clusters: Vec::new(),
            assigned: vec![None; n],
            source_range,
            by_symbol: HashMap::new(),
            by_kind: HashMap::new(),
            by_number: HashMap::new(),
        }
    }

    fn new_cluster(
        &mut self,
        has_symbol: bool,
        number: String,
        key: String,
        year: Option<i32>,
    ) -> usize {
        let c = self.clusters.len();
        self.clusters.push(Cluster {
            has_symbol,
            number: number.clone(),
            year,
            members: Vec::new(),
            earliest: None,
            issuers: Vec::new(),
            kinds: Vec::new(),
        });
        if has_symbol {
            self.by_symbol
                .entry((number.clone(), key))
                .or_default()
                .push(c);
            self.by_number.entry(number).or_default().push(c);
        }
        c
    }

    fn assign(&mut self, m: usize, c: usize) {
        self.assigned[m] = Some(c);
        let mention = &self.mentions[m];
        let cluster = &mut self.clusters[c];
        cluster.members.push(m);
        if let Some(d) = mention.date {
            cluster.earliest = Some(cluster.earliest.map_or(d, |e| e.min(d)));
        }
        if !cluster.kinds.contains(&mention.kind) {
            cluster.kinds.push(mention.kind);
        }
        if let Some(i) = &mention.issuer {
            if !cluster.issuers.contains(i) {
                cluster.issuers.push(i.clone());
            }
        }
    }

    /// Narrows candidates for mention `m`: a document first known after the
    /// text was published cannot be the one it means; nor one whose known
    /// issuers all differ from the one the text names (`Ban Thường vụ Tỉnh
    /// ủy` fits `Ban Thường vụ Tỉnh ủy Hà Tĩnh`); one the same text cites is
    /// preferred.
    fn narrow(&self, m: usize, candidates: &[usize]) -> Vec<usize> {
        let mention = &self.mentions[m];
        let mut out: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&c| match (mention.published, self.clusters[c].year) {
                (Some(p), Some(y)) => {
                    y <= p.year() && self.clusters[c].earliest.is_none_or(|d| d <= p)
                }
                _ => true,
            })
            .collect();
        if let Some(issuer) = &mention.issuer {
            let fits = |c: usize| {
                let known = &self.clusters[c].issuers;
                known.is_empty()
                    || known
                        .iter()
                        .any(|k| k.starts_with(issuer.as_str()) || issuer.starts_with(k.as_str()))
            };
            if out.iter().any(|&c| fits(c)) {
                out.retain(|&c| fits(c));
            }
        }
        let (from, to) = self.source_range[mention.source_pos];
        let same_text: Vec<usize> = out
            .iter()
            .copied()
            .filter(|&c| (from..to).any(|o| self.assigned[o] == Some(c)))
            .collect();
        if !same_text.is_empty() {
            out = same_text;
        }
        out
    }

    fn run(mut self) -> (Vec<Mention>, Vec<Cluster>, Vec<Option<usize>>) {
        let all: Vec<usize> = (0..self.mentions.len()).collect();
        let (with_symbol, without): (Vec<usize>, Vec<usize>) = all
            .into_iter()
            .partition(|&m| self.mentions[m].symbol.is_some());

        // A: number + symbol + year (Party numbering restarts per term, state
        // numbering per year): one document per year.
        let mut by_year: HashMap<(String, String, i32), usize> = HashMap::new();
        for &m in &with_symbol {
            let mention = &self.mentions[m];
            let Some(year) = mention.year else { continue };
            let number = number_key(&mention.number);
            let key = symbol_key(mention.symbol.as_deref().unwrap_or_default());
            let c = match by_year.get(&(number.clone(), key.clone(), year)) {
                Some(&c) => c,
                None => {
                    let c = self.new_cluster(true, number.clone(), key.clone(), Some(year));
                    by_year.insert((number, key, year), c);
                    c
                }
            };
            self.assign(m, c);
        }
        // B: number + symbol without a year: the one candidate, else unresolved.
        for &m in &with_symbol {
            if self.mentions[m].year.is_some() {
                continue;
            }
            let number = number_key(&self.mentions[m].number);
            let key = symbol_key(self.mentions[m].symbol.as_deref().unwrap_or_default());
            let group = self
                .by_symbol
                .get(&(number.clone(), key.clone()))
                .cloned()
                .unwrap_or_default();
            let left = self.narrow(m, &group);
            match left.as_slice() {
                [c] => self.assign(m, *c),
                [] => {
                    // Nothing known can be it: an undated document of its own.
                    let undated = group
                        .iter()
                        .copied()
                        .find(|&c| self.clusters[c].year.is_none());
                    let c = match undated {
                        Some(c) => c,
                        None => self.new_cluster(true, number, key, None),
                    };
                    self.assign(m, c);
                }
                _ => {}
            }
        }
        // C: short mentions (kind + number) linked to a document with a symbol.
        let mut leftover = Vec::new();
        for &m in &without {
            let mention = &self.mentions[m];
            let number = number_key(&mention.number);
            let group = self.by_number.get(&number).cloned().unwrap_or_default();
            let kinds_of = |c: usize| -> &[DocumentKind] { &self.clusters[c].kinds };
            let exact: Vec<usize> = group
                .iter()
                .copied()
                .filter(|&c| kinds_of(c).contains(&mention.kind))
                .collect();
            let mut cands = if exact.is_empty() {
                group
                    .iter()
                    .copied()
                    .filter(|&c| {
                        kinds_of(c)
                            .iter()
                            .any(|&k| kinds_confusable(k, mention.kind))
                    })
                    .collect()
            } else {
                exact
            };
            if let Some(y) = mention.year {
                cands.retain(|&c| self.clusters[c].year == Some(y));
            }
            let left = self.narrow(m, &cands);
            match left.as_slice() {
                [c] => self.assign(m, *c),
                [] => leftover.push(m),
                _ => {} // two candidates remain: unresolved, never a guess
            }
        }
        // D: short mentions of documents known only by kind + number (+ year).
        let mut symless_year: HashMap<(String, DocumentKind, i32), usize> = HashMap::new();
        for &m in &leftover {
            let mention = &self.mentions[m];
            let Some(year) = mention.year else { continue };
            let number = number_key(&mention.number);
            let kind = mention.kind;
            let c = match symless_year.get(&(number.clone(), kind, year)) {
                Some(&c) => c,
                None => {
                    let c =
                        self.new_cluster(false, number.clone(), kind.code().to_owned(), Some(year));
                    self.by_kind
                        .entry((number.clone(), kind))
                        .or_default()
                        .push(c);
                    symless_year.insert((number, kind, year), c);
                    c
                }
            };
            self.assign(m, c);
        }
        for &m in &leftover {
            if self.mentions[m].year.is_some() {
                continue;
            }
            let number = number_key(&self.mentions[m].number);
            let kind = self.mentions[m].kind;
            let group = self
                .by_kind
                .get(&(number.clone(), kind))
                .cloned()
                .unwrap_or_default();
            let left = self.narrow(m, &group);
            match left.as_slice() {
                [c] => self.assign(m, *c),
                [] => {
                    let undated = group
                        .iter()
                        .copied()
                        .find(|&c| self.clusters[c].year.is_none());
                    let c = match undated {
                        Some(c) => c,
                        None => {
                            let c = self.new_cluster(
                                false,
                                number.clone(),
                                kind.code().to_owned(),
                                None,
                            );
                            self.by_kind.entry((number, kind)).or_default().push(c);
                            c
                        }
                    };
                    self.assign(m, c);
                }
                _ => {}
            }
        }
        (self.mentions, self.clusters, self.assigned)
    }
}

/// A document's number as the resolver reads it (trimmed, not empty).
fn mention_number(d: &vanban_extract::Document) -> Option<&str> {
    d.number.as_deref().map(str::trim).filter(|n| !n.is_empty())
}

/// The canonical documents of the clusters `keep` accepts (ids without the
/// `#n` suffix of documents printed alike), each with its place in the
/// document order and its number key, and each cluster's document (index
/// into the returned list).
fn drafts(
    sources: &[Arc<SourceFacts>],
    mentions: &[Mention],
    clusters: &mut [Cluster],
    keep: &dyn Fn(&Cluster) -> bool,
) -> (Vec<(CanonicalDocument, DocOrd)>, Vec<Option<usize>>) {
    let mut docs: Vec<(CanonicalDocument, DocOrd)> = Vec::new();
    let mut cluster_doc: Vec<Option<usize>> = vec![None; clusters.len()];
    for (ci, cluster) in clusters.iter_mut().enumerate() {
        if cluster.members.is_empty() || !keep(cluster) {
            continue;
        }
        cluster
            .members
            .sort_by_key(|&m| (sources[mentions[m].source_pos].id, mentions[m].index));
        let members = &cluster.members;
        let doc_of =
            |m: usize| &sources[mentions[m].source_pos].extraction.documents[mentions[m].index];
        let sid = |m: usize| sources[mentions[m].source_pos].id;
        let kinds = supported(members.iter().map(|&m| (mentions[m].kind, sid(m))));
        let numbers = supported(
            members
                .iter()
                .map(|&m| (mentions[m].number.clone(), sid(m))),
        );
        let symbols = supported(
            members
                .iter()
                .filter_map(|&m| mentions[m].symbol.clone().map(|s| (s, sid(m)))),
        );
        let dates = supported(
            members
                .iter()
                .filter_map(|&m| mentions[m].date.map(|d| (d, sid(m)))),
        );
        let issuers = supported(members.iter().filter_map(|&m| {
            doc_of(m)
                .issuer
                .clone()
                .filter(|s| !s.trim().is_empty())
                .map(|s| (s, sid(m)))
        }));
        // Titles differ in case only at the start of a sentence ("Một số
        // vấn đề…" / "một số vấn đề…"): one title, shown as first written.
        let mut title_forms: HashMap<String, String> = HashMap::new();
        let mut titles = supported(members.iter().filter_map(|&m| {
            let t = doc_of(m).title.as_deref()?.trim();
            if t.is_empty() {
                return None;
            }
            let key = t.to_lowercase();
            title_forms
                .entry(key.clone())
                .or_insert_with(|| t.to_owned());
            Some((key, sid(m)))
        }));
        for t in &mut titles {
            if let Some(form) = title_forms.get(&t.value) {
                t.value = form.clone();
            }
        }
        let kind = kinds
            .first()
            .map(|k| k.value)
            .unwrap_or(DocumentKind::Other);
        let number = numbers
            .first()
            .map(|n| n.value.clone())
            .unwrap_or_else(|| cluster.number.clone());
        let symbol = symbols.first().map(|s| s.value.clone());
        let date = dates.first().map(|d| d.value);
        let year = cluster.year.or(date.map(|d| d.year()));
        let reference = match (&symbol, cluster.has_symbol) {
            (Some(sym), true) if sym.contains('/') => format!("{number}-{sym}"),
            (Some(sym), true) => {
                let excerpts: Vec<&str> = members
                    .iter()
                    .filter_map(|&m| {
                        sources[mentions[m].source_pos]
                            .excerpts
                            .get(mentions[m].index)
                            .map(String::as_str)
                    })
                    .collect();
                match year {
                    Some(y) if state_number_has_year(kind, sym, &number, y, &excerpts) => {
                        format!("{number}/{y}/{sym}")
                    }
                    _ => format!("{number}/{sym}"),
                }
            }
            _ => format!("{} {number}", kind.label_vi()),
        };
        let when = match (date, year) {
            (Some(d), _) => crate::iso(d),
            (None, Some(y)) => y.to_string(),
            (None, None) => "?".to_owned(),
        };
        let mut mention_refs = Vec::new();
        for &m in members {
            let d = doc_of(m);
            for &span in &d.mentions {
                mention_refs.push(MentionRef {
                    source: sid(m),
                    index: mentions[m].index,
                    span,
                });
            }
        }
        let first_member = members
            .first()
            .map(|&m| (sid(m), mentions[m].index))
            .unwrap_or_default();
        let id = format!("{reference}@{when}");
        let ord: DocOrd = (
            id.clone(),
            mention_refs.first().map(|m| (m.source, m.index)),
            first_member,
        );
        cluster_doc[ci] = Some(docs.len());
        docs.push((
            CanonicalDocument {
                id,
                kind,
                number: Some(number),
                symbol,
                year,
                date,
                issuer: issuers.first().map(|s| s.value.clone()),
                title: titles.first().map(|s| s.value.clone()),
                dates,
                issuers,
                titles,
                mentions: mention_refs,
            },
            ord,
        ));
    }
    (docs, cluster_doc)
}

/// The order of `docs` ([`DocOrd`]); two documents that print alike get a
/// suffix (`#2`…) in that order.
fn order_and_suffix(docs: &mut [(CanonicalDocument, DocOrd)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| docs[a].1.cmp(&docs[b].1));
    let mut seen: HashMap<String, usize> = HashMap::new();
    for &i in &order {
        let n = seen.entry(docs[i].1 .0.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            docs[i].0.id = format!("{}#{}", docs[i].1 .0, n);
        }
    }
    order
}

/// A document's own reference keys (`vanban_search::reference`), from its
/// kinds as its mentions give them; `source` finds a mention's source.
fn document_keys<'a>(
    d: &CanonicalDocument,
    source: &dyn Fn(i64) -> Option<&'a SourceFacts>,
) -> Vec<String> {
    let mut kinds: Vec<DocumentKind> = Vec::new();
    for m in &d.mentions {
        if let Some(doc) = source(m.source).and_then(|s| s.extraction.documents.get(m.index)) {
            if !kinds.contains(&doc.kind) {
                kinds.push(doc.kind);
            }
        }
    }
    if !kinds.contains(&d.kind) {
        kinds.push(d.kind);
    }
    let mut own: HashSet<String> = HashSet::new();
    // The number as written and without leading zeros (`05`, `5`).
    let mut numbers: Vec<String> = d.number.iter().cloned().collect();
    numbers.extend(d.number.as_deref().map(number_key));
    numbers.dedup();
    for k in kinds {
        for n in &numbers {
            for key in
                vanban_search::reference::document_keys(k, Some(n), d.symbol.as_deref(), d.year)
            {
                own.insert(key);
            }
        }
    }
    let mut own: Vec<String> = own.into_iter().collect();
    own.sort();
    own
}

/// Events per province of today, in the order first held, with the old
/// names they were held under.
fn province_counts(events: &[(EvKey, Arc<EventView>)]) -> Vec<ProvinceCount> {
    let mut counts: Vec<ProvinceCount> = Vec::new();
    for (_, e) in events {
        let Some(now) = e.province_now.as_deref() else {
            continue;
        };
        let at = match counts.iter().position(|c| c.province_now == now) {
            Some(at) => at,
            None => {
                counts.push(ProvinceCount {
                    province_now: now.to_owned(),
                    ..ProvinceCount::default()
                });
                counts.len() - 1
            }
        };
        let c = &mut counts[at];
        c.events += 1;
        if let Some(p) = e.province.as_deref() {
            if p != now && !c.old_names.iter().any(|o| o == p) {
                c.old_names.push(p.to_owned());
            }
        }
    }
    counts
}

/// Today's province of an event held in `province`.
fn province_now(province: Option<&str>) -> Option<String> {
    province
        .map(vanban_extract::places::province_now)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
}

/// How many distinct sources a document's mentions come from.
fn citations(d: &CanonicalDocument) -> usize {
    let mut sources: Vec<i64> = d.mentions.iter().map(|m| m.source).collect();
    sources.sort_unstable();
    sources.dedup();
    sources.len()
}

impl Graph {
    /// Resolves every stored fact into the graph (deterministic: the same
    /// facts give the same graph, whatever order they come in).
    pub fn build(sources: Vec<SourceFacts>) -> Graph {
        Graph::build_shared(sources.into_iter().map(Arc::new).collect())
    }

    /// [`Graph::build`] of facts held behind `Arc`s (the reference
    /// implementation that [`Graph::with_sources`] must equal).
    pub fn build_shared(mut sources: Vec<Arc<SourceFacts>>) -> Graph {
        sources.sort_by_key(|s| s.id);
        sources.dedup_by_key(|s| s.id);
        let (mentions, mut clusters, assigned) = Resolver::new(&sources).run();

        // Canonical documents from the clusters.
        let (mut docs, cluster_doc) = drafts(&sources, &mentions, &mut clusters, &|_| true);
        // Ids in order; two clusters that print alike get a suffix.
        let order = order_and_suffix(&mut docs);
        let mut rank = vec![0usize; docs.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r;
        }
        let mut slots: Vec<Option<(CanonicalDocument, DocOrd)>> =
            docs.into_iter().map(Some).collect();
        let (documents, ords): (Vec<CanonicalDocument>, Vec<DocOrd>) =
            order.iter().filter_map(|&i| slots[i].take()).unzip();
        let doc_index = |c: usize| cluster_doc[c].map(|d| rank[d]);

        let mut resolved: Vec<Vec<Option<usize>>> = sources
            .iter()
            .map(|s| vec![None; s.extraction.documents.len()])
            .collect();
        for (m, c) in assigned.iter().enumerate() {
            if let Some(c) = c {
                resolved[mentions[m].source_pos][mentions[m].index] = doc_index(*c);
            }
        }

        let mut first_reported: Vec<Option<NaiveDate>> = vec![None; documents.len()];
        let mut cited_by = vec![0usize; documents.len()];
        for (pos, s) in sources.iter().enumerate() {
            let mut here: Vec<usize> = resolved[pos].iter().flatten().copied().collect();
            here.sort_unstable();
            here.dedup();
            for d in here {
                cited_by[d] += 1;
                if let Some(p) = s.extraction.published {
                    first_reported[d] = Some(first_reported[d].map_or(p, |f| f.min(p)));
                }
            }
        }

        // Relations lifted to canonical ids, deduplicated.
        let mut relation_at: HashMap<(RelationKind, usize, usize), usize> = HashMap::new();
        let mut lifted: Vec<Lifted> = Vec::new();
        for (pos, s) in sources.iter().enumerate() {
            for r in &s.extraction.relations {
                let from = resolved[pos].get(r.from).copied().flatten();
                let to = resolved[pos].get(r.to).copied().flatten();
                let (Some(from), Some(to)) = (from, to) else {
                    continue;
                };
                if from == to {
                    continue;
                }
                let i = *relation_at.entry((r.kind, from, to)).or_insert_with(|| {
                    lifted.push((r.kind, from, to, Vec::new(), None));
                    lifted.len() - 1
                });
                let entry = &mut lifted[i];
                note_statement(&mut entry.3, &mut entry.4, s.id, s.extraction.published);
            }
        }
        lifted.sort_by_key(|a| (a.1, a.2, a.0));
        let mut incoming = vec![Vec::new(); documents.len()];
        let mut outgoing = vec![Vec::new(); documents.len()];
        let mut relation_keys = Vec::with_capacity(lifted.len());
        let relations: Vec<Arc<CanonicalRelation>> = lifted
            .into_iter()
            .enumerate()
            .map(|(i, (kind, from, to, sources, first))| {
                outgoing[from].push(i);
                incoming[to].push(i);
                relation_keys.push(Arc::new((ords[from].clone(), ords[to].clone(), kind)));
                Arc::new(CanonicalRelation {
                    kind,
                    from: documents[from].id.clone(),
                    to: documents[to].id.clone(),
                    sources,
                    first_reported: first,
                })
            })
            .collect();

        // Events with their documents and today's province.
        let mut events: Vec<(EvKey, Vec<usize>, EventView)> = Vec::new();
        for (pos, s) in sources.iter().enumerate() {
            for (ei, e) in s.extraction.events.iter().enumerate() {
                let mut ids: Vec<usize> = e
                    .documents
                    .iter()
                    .filter_map(|&i| resolved[pos].get(i).copied().flatten())
                    .collect();
                ids.dedup();
                let mut seen = HashSet::new();
                ids.retain(|d| seen.insert(*d));
                events.push((
                    (e.date.is_none(), e.date, s.id, ei),
                    ids.clone(),
                    EventView {
                        kind: e.kind,
                        date: e.date,
                        end_date: e.end_date,
                        province: e.province.clone(),
                        province_now: province_now(e.province.as_deref()),
                        organizer: e.organizer.clone(),
                        source: s.extraction.source.clone(),
                        source_id: s.id,
                        documents: ids.into_iter().map(|d| documents[d].id.clone()).collect(),
                    },
                ));
            }
        }
        // Undated last, by date; same-day events keep ingest order.
        events.sort_by_key(|a| a.0);
        let mut doc_events: Vec<Vec<(EvKey, Arc<EventView>)>> = vec![Vec::new(); documents.len()];
        let mut provinces: BTreeMap<String, usize> = BTreeMap::new();
        let mut event_keys = Vec::with_capacity(events.len());
        let mut all_events = Vec::with_capacity(events.len());
        for (key, docs, view) in events {
            let view = Arc::new(view);
            if let Some(p) = &view.province_now {
                *provinces.entry(p.clone()).or_insert(0) += 1;
            }
            for d in docs {
                doc_events[d].push((key, Arc::clone(&view)));
            }
            event_keys.push(key);
            all_events.push(view);
        }

        let find = |id: i64| {
            sources
                .binary_search_by_key(&id, |s| s.id)
                .ok()
                .map(|p| &*sources[p])
        };
        let documents: Vec<Arc<CanonicalDocument>> = documents.into_iter().map(Arc::new).collect();
        let ids: Vec<Arc<str>> = documents.iter().map(|d| Arc::from(d.id.as_str())).collect();
        let mut entries = Vec::with_capacity(documents.len());
        let mut by_id = Sharded::default();
        let mut keys: HashMap<String, Vec<Arc<str>>> = HashMap::new();
        let mut numbers: HashMap<String, NumberEntry> = HashMap::new();
        let mut issuer_docs: HashMap<String, IssuerFirst> = HashMap::new();
        let mut doc_events = doc_events.into_iter();
        for (i, d) in documents.iter().enumerate() {
            let events = doc_events.next().unwrap_or_default();
            let own = document_keys(d, &find);
            for k in &own {
                keys.entry(k.clone()).or_default().push(Arc::clone(&ids[i]));
            }
            let number = number_key(d.number.as_deref().unwrap_or_default());
            numbers
                .entry(number.clone())
                .or_default()
                .docs
                .push(Arc::clone(&ids[i]));
            let issuer_key = d.issuer.as_deref().map(vanban_search::issuer_key);
            if let (Some(name), Some(key)) = (&d.issuer, &issuer_key) {
                issuer_docs
                    .entry(key.clone())
                    .or_insert_with(|| IssuerFirst {
                        count: 0,
                        ord: ords[i].clone(),
                        name: name.clone(),
                    })
                    .count += 1;
            }
            let entry = Arc::new(DocEntry {
                doc: Arc::clone(d),
                id: Arc::clone(&ids[i]),
                ord: ords[i].clone(),
                number,
                first_reported: first_reported[i],
                cited_by: cited_by[i],
                citations: citations(d),
                incoming: incoming[i]
                    .iter()
                    .map(|&r| Arc::clone(&relations[r]))
                    .collect(),
                outgoing: outgoing[i]
                    .iter()
                    .map(|&r| Arc::clone(&relations[r]))
                    .collect(),
                provinces: province_counts(&events),
                events,
                keys: own,
                issuer_key,
            });
            by_id.insert(d.id.clone(), Arc::clone(&entry));
            entries.push(entry);
        }
        for m in &mentions {
            let list = &mut numbers.entry(number_key(&m.number)).or_default().sources;
            let id = sources[m.source_pos].id;
            if list.last() != Some(&id) {
                list.push(id);
            }
        }
        let mut issuer_raw: HashMap<String, ((i64, usize), String)> = HashMap::new();
        for s in &sources {
            for (i, d) in s.extraction.documents.iter().enumerate() {
                if let Some(name) = d.issuer.as_deref() {
                    issuer_raw
                        .entry(vanban_search::issuer_key(name))
                        .or_insert_with(|| ((s.id, i), name.to_owned()));
                }
            }
        }
        let resolved = resolved
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|d| d.map(|d| Arc::clone(&ids[d])))
                    .collect::<Vec<_>>()
                    .into()
            })
            .collect();
        let mut key_map = Sharded::default();
        for (k, v) in keys {
            key_map.insert(k, Arc::new(v));
        }
        let mut number_map = Sharded::default();
        for (k, v) in numbers {
            number_map.insert(k, Arc::new(v));
        }
        Graph {
            sources,
            resolved,
            documents,
            entries,
            by_id,
            relations,
            relation_keys,
            events: all_events,
            event_keys,
            keys: key_map,
            numbers: number_map,
            provinces,
            issuer_docs: {
                let mut map = Sharded::default();
                for (k, v) in issuer_docs {
                    map.insert(k, v);
                }
                map
            },
            issuer_raw: {
                let mut map = Sharded::default();
                for (k, v) in issuer_raw {
                    map.insert(k, v);
                }
                map
            },
        }
    }

    fn entry(&self, id: &str) -> Option<&DocEntry> {
        self.by_id.get(id).map(|e| &**e)
    }

    /// Every canonical document, in id order (documents printed alike, `#2`
    /// after the first, by their first mention).
    pub fn documents(&self) -> &[Arc<CanonicalDocument>] {
        &self.documents
    }

    /// One document by id.
    pub fn document(&self, id: &str) -> Option<&CanonicalDocument> {
        self.entry(id).map(|e| &*e.doc)
    }

    /// Every relation between canonical documents, by acting document.
    pub fn relations(&self) -> &[Arc<CanonicalRelation>] {
        &self.relations
    }

    /// Every event of every source, by date (undated last).
    pub fn all_events(&self) -> &[Arc<EventView>] {
        &self.events
    }

    /// The events about one document, by date (undated last; same-day
    /// events in ingest order); empty for an unknown id.
    pub fn document_events(&self, id: &str) -> impl Iterator<Item = &EventView> {
        self.entry(id)
            .map(|e| e.events.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|(_, e)| &**e)
    }

    /// Events about document `id` by date, `offset` skipped, at most `n`.
    pub fn document_events_from(&self, id: &str, offset: usize, n: usize) -> Vec<&EventView> {
        self.entry(id)
            .map(|e| {
                e.events
                    .iter()
                    .skip(offset)
                    .take(n)
                    .map(|(_, e)| &**e)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How many events are about document `id`.
    pub fn document_event_count(&self, id: &str) -> usize {
        self.entry(id).map_or(0, |e| e.events.len())
    }

    /// Events about document `id` per province of today, in the order
    /// first held, with the old names they were held under.
    pub fn document_provinces(&self, id: &str) -> &[ProvinceCount] {
        self.entry(id).map_or(&[], |e| e.provinces.as_slice())
    }

    /// How many distinct sources cite a document.
    pub fn cited_by(&self, id: &str) -> usize {
        self.entry(id).map_or(0, |e| e.cited_by)
    }

    /// How many distinct sources a document's mentions come from.
    pub fn citations(&self, id: &str) -> usize {
        self.entry(id).map_or(0, |e| e.citations)
    }

    /// The `n` most cited documents (by [`Graph::citations`], then in
    /// [`Graph::documents`] order), with their counts.
    pub fn most_cited(&self, n: usize) -> Vec<(Arc<CanonicalDocument>, usize)> {
        let mut all: Vec<(usize, usize)> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.citations, i))
            .collect();
        let by = |a: &(usize, usize), b: &(usize, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if all.len() > n && n > 0 {
            all.select_nth_unstable_by(n - 1, by);
        }
        all.truncate(n);
        all.sort_by(by);
        all.into_iter()
            .map(|(c, i)| (Arc::clone(&self.documents[i]), c))
            .collect()
    }

    /// The name of the issuer whose search key (`vanban_search::issuer_key`)
    /// is `key`: the one the first document showing it gives, else the
    /// first any text names.
    pub fn issuer_name(&self, key: &str) -> Option<&str> {
        self.issuer_docs
            .get(key)
            .map(|f| &f.name)
            .or_else(|| self.issuer_raw.get(key).map(|(_, n)| n))
            .map(String::as_str)
    }

    /// Every source's facts, in id order.
    pub fn sources(&self) -> &[Arc<SourceFacts>] {
        &self.sources
    }

    /// One source's facts by id.
    pub fn source(&self, id: i64) -> Option<&SourceFacts> {
        self.sources
            .binary_search_by_key(&id, |s| s.id)
            .ok()
            .map(|i| &*self.sources[i])
    }

    /// For each document of a source's extraction (by index), the id of the
    /// canonical document it was resolved to, or `None` when it stayed
    /// unresolved.
    pub fn resolved_ids(&self, source: i64) -> Vec<Option<String>> {
        let Ok(pos) = self.sources.binary_search_by_key(&source, |s| s.id) else {
            return Vec::new();
        };
        self.resolved[pos]
            .iter()
            .map(|d| d.as_deref().map(str::to_owned))
            .collect()
    }

    /// Candidates ranked most cited first, then by id.
    fn ranked(&self, found: Vec<&DocEntry>) -> Lookup {
        let mut found = found;
        found.sort_by(|a, b| a.id.cmp(&b.id));
        found.dedup_by(|a, b| a.id == b.id);
        match found.len() {
            0 => Lookup::NotFound,
            1 => Lookup::Found(found[0].doc.id.clone()),
            _ => {
                found.sort_by(|a, b| b.cited_by.cmp(&a.cited_by).then_with(|| a.id.cmp(&b.id)));
                Lookup::Ambiguous(found.into_iter().map(|e| e.doc.id.clone()).collect())
            }
        }
    }

    fn candidates(&self, reference: &str) -> Vec<&DocEntry> {
        let parsed = vanban_search::reference::parse(reference);
        if let Some(keys) = parsed.references.first() {
            for key in keys {
                if let Some(found) = self.keys.get(key) {
                    return found.iter().filter_map(|id| self.entry(id)).collect();
                }
            }
            return Vec::new();
        }
        // A bare number: every document with that number.
        let t = reference.trim();
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            let n = number_key(t);
            return self
                .numbers
                .get(&n)
                .map(|e| e.docs.iter().filter_map(|id| self.entry(id)).collect())
                .unwrap_or_default();
        }
        Vec::new()
    }

    /// What a typed reference names (`126-QĐ/TW`, `126-qd/tw`, `quy dinh 126`,
    /// `QĐ 126`, `30/2020/NĐ-CP`, or an id).
    pub fn lookup(&self, reference: &str) -> Lookup {
        let reference = reference.trim();
        if let Some(e) = self.entry(reference) {
            return Lookup::Found(e.doc.id.clone());
        }
        if let Some((r, when)) = reference.rsplit_once('@') {
            let when = when.trim();
            let found: Vec<&DocEntry> = self
                .candidates(r)
                .into_iter()
                .filter(|e| {
                    let id = &e.doc.id;
                    let own = id.rsplit_once('@').map_or("", |(_, w)| w);
                    own == when
                        || (when.len() < own.len()
                            && own.starts_with(when)
                            && own.as_bytes().get(when.len()) == Some(&b'-'))
                })
                .collect();
            return self.ranked(found);
        }
        self.ranked(self.candidates(reference))
    }

    /// When the acting document of relation `rel` took effect, as far as known.
    fn timing(&self, rel: &CanonicalRelation) -> Timing {
        let Some(acting) = self.entry(&rel.from) else {
            return Timing::Unknown;
        };
        if let Some(d) = acting.doc.date {
            return Timing::On(d);
        }
        let reported = match (acting.first_reported, rel.first_reported) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match (reported, acting.doc.year) {
            (Some(d), _) => Timing::On(d),
            (None, Some(y)) => Timing::ByEndOf(y),
            (None, None) => Timing::Unknown,
        }
    }

    /// A document's status as of `as_of`: replaced / repealed (the earliest
    /// one that ended it) over amended; in force when it is known to exist by
    /// then; unknown otherwise. `expired` is reserved for texts saying "hết
    /// hiệu lực", which the extractor does not report yet.
    pub fn status(&self, id: &str, as_of: NaiveDate) -> Option<Status> {
        let entry = self.entry(id)?;
        let mut ended: Vec<(Timing, RelationKind, &str)> = Vec::new();
        let mut amended: Vec<(Timing, &str)> = Vec::new();
        for rel in &entry.incoming {
            let t = self.timing(rel);
            if !t.reached(as_of) {
                continue;
            }
            match rel.kind {
                RelationKind::Replaces | RelationKind::Repeals => {
                    ended.push((t, rel.kind, rel.from.as_str()))
                }
                RelationKind::Amends => amended.push((t, rel.from.as_str())),
                _ => {}
            }
        }
        // Earliest first; undated last; replaced before repealed on a tie.
        let key = |t: &Timing| match t {
            Timing::On(d) => (0, *d),
            Timing::ByEndOf(y) => (
                1,
                NaiveDate::from_ymd_opt(*y, 12, 31).unwrap_or(NaiveDate::MAX),
            ),
            Timing::Unknown => (2, NaiveDate::MAX),
        };
        if !ended.is_empty() {
            ended.sort_by(|a, b| {
                key(&a.0)
                    .cmp(&key(&b.0))
                    .then(a.1.cmp(&b.1))
                    .then(a.2.cmp(b.2))
            });
            let (t, kind, _) = ended[0];
            let mut by: Vec<String> = ended
                .iter()
                .filter(|e| e.1 == kind)
                .map(|e| e.2.to_owned())
                .collect();
            by.dedup();
            return Some(Status {
                state: if kind == RelationKind::Replaces {
                    State::Replaced
                } else {
                    State::Repealed
                },
                since: t.since(),
                by,
            });
        }
        if !amended.is_empty() {
            amended.sort_by(|a, b| key(&a.0).cmp(&key(&b.0)).then(a.1.cmp(b.1)));
            let mut by: Vec<String> = amended.iter().map(|e| e.1.to_owned()).collect();
            by.dedup();
            return Some(Status {
                state: State::Amended,
                since: amended[0].0.since(),
                by,
            });
        }
        let d = &entry.doc;
        let issued = match d.date {
            Some(date) => date <= as_of,
            None => {
                Timing::ByEndOf(d.year.unwrap_or(i32::MAX)).reached(as_of)
                    || entry.first_reported.is_some_and(|p| p <= as_of)
            }
        };
        Some(Status {
            state: if issued {
                State::InForce
            } else {
                State::Unknown
            },
            since: None,
            by: Vec::new(),
        })
    }

    /// The chain of replacements (chuỗi thay thế) through document `id`:
    /// what it replaced, back to the first, then what replaced it, up to
    /// the last (the first replacement of each in [`Graph::relation_views`]
    /// order; cycles cut, at most about 40 documents); empty for an
    /// unknown id.
    pub fn replacement_chain(&self, id: &str) -> Vec<String> {
        let Some(start) = self.entry(id) else {
            return Vec::new();
        };
        let step = |id: &str, direction: Direction| -> Option<String> {
            relation_order(self.entry(id)?)
                .into_iter()
                .find(|&(r, d)| r.kind == RelationKind::Replaces && d == direction)
                .map(|(r, d)| other_end(r, d).to_owned())
        };
        let first = start.doc.id.clone();
        let mut seen: HashSet<String> = HashSet::from([first.clone()]);
        let mut before = Vec::new();
        let mut cur = first.clone();
        while let Some(prev) = step(&cur, Direction::Outgoing) {
            if !seen.insert(prev.clone()) || before.len() > 20 {
                break;
            }
            before.push(prev.clone());
            cur = prev;
        }
        before.reverse();
        let mut chain = before;
        chain.push(first.clone());
        let mut cur = first;
        while let Some(next) = step(&cur, Direction::Incoming) {
            if !seen.insert(next.clone()) || chain.len() > 40 {
                break;
            }
            chain.push(next.clone());
            cur = next;
        }
        chain
    }

    /// The number keys whose sources decide what this graph says about
    /// document `id`: its own number (its mentions, events and the
    /// statements of its relations are all in the sources citing it) and
    /// the numbers of the other ends of its relations (of its replacements
    /// only, unless `full`) and, when `full`, of the other documents of its
    /// events, as its sources write them, resolved or not. A graph of the
    /// sources of these numbers answers [`Graph::view_page`] (with `full`)
    /// and [`Graph::replacement_chain`]'s step from `id` as the whole graph
    /// does, as long as `id`'s own number is complete in it. Empty for an
    /// unknown id.
    pub fn keys_around(&self, id: &str, full: bool) -> std::collections::BTreeSet<String> {
        let mut keys = std::collections::BTreeSet::new();
        let Some(entry) = self.entry(id) else {
            return keys;
        };
        keys.insert(entry.number.clone());
        let Some(number) = self.numbers.get(&entry.number) else {
            return keys;
        };
        for &sid in &number.sources {
            let Ok(pos) = self.sources.binary_search_by_key(&sid, |s| s.id) else {
                continue;
            };
            let s = &self.sources[pos];
            let resolved = &self.resolved[pos];
            let is_it = |i: usize| resolved.get(i).and_then(|d| d.as_deref()) == Some(id);
            let docs = &s.extraction.documents;
            let key_at = |i: usize| docs.get(i).and_then(mention_number).map(number_key);
            for r in &s.extraction.relations {
                if (full || r.kind == RelationKind::Replaces) && (is_it(r.from) || is_it(r.to)) {
                    keys.extend(key_at(r.from));
                    keys.extend(key_at(r.to));
                }
            }
            if full {
                for e in &s.extraction.events {
                    if e.documents.iter().any(|&i| is_it(i)) {
                        keys.extend(e.documents.iter().filter_map(|&i| key_at(i)));
                    }
                }
            }
        }
        keys
    }

    /// The ids of the documents of number key `key` ([`number_key`]).
    pub fn number_documents(&self, key: &str) -> Vec<&str> {
        self.numbers
            .get(key)
            .map(|e| e.docs.iter().map(|d| &**d).collect())
            .unwrap_or_default()
    }

    /// Every relation of a document seen from it, in [`Graph::view_page`]'s
    /// order; `None` for an unknown id. Cheaper than a view: no event or
    /// source is copied.
    pub fn relation_views(&self, id: &str) -> Option<Vec<RelationView>> {
        let entry = self.entry(id)?;
        Some(
            relation_order(entry)
                .into_iter()
                .map(|(r, direction)| relation_view(r, direction))
                .collect(),
        )
    }

    /// `vanban doc`'s object for a document.
    pub fn view(&self, id: &str, as_of: NaiveDate) -> Option<DocView> {
        self.view_page(id, as_of, Page::ALL).map(|(v, _)| v)
    }

    /// [`Graph::view`] with one page of each list, and the totals of each.
    /// Relations are ordered by type, direction (incoming first) and the
    /// other document's id; events by date (undated last; same-day events in
    /// ingest order); sources in the order of the document's mentions. Only
    /// the page's items are copied.
    pub fn view_page(
        &self,
        id: &str,
        as_of: NaiveDate,
        page: Page,
    ) -> Option<(DocView, ViewTotals)> {
        let entry = self.entry(id)?;
        let d = &entry.doc;
        let status = self.status(id, as_of)?;
        let order = relation_order(entry);
        let relations: Vec<RelationView> = page
            .window(order.iter())
            .map(|&(r, direction)| relation_view(r, direction))
            .collect();
        let events = page
            .window(entry.events.iter())
            .map(|(_, e)| (**e).clone())
            .collect();
        // One entry per run of mentions from the same source.
        let firsts = d
            .mentions
            .iter()
            .enumerate()
            .filter(|&(k, m)| k == 0 || d.mentions[k - 1].source != m.source)
            .filter_map(|(_, m)| self.source(m.source).map(|s| (m, s)));
        let mut source_total = 0usize;
        let mut sources: Vec<SourceRef> = Vec::new();
        let limit = page.limit.unwrap_or(usize::MAX);
        for (m, s) in firsts {
            if source_total >= page.offset && sources.len() < limit {
                sources.push(SourceRef {
                    source: s.extraction.source.clone(),
                    published: s.extraction.published,
                    excerpt: s.excerpts.get(m.index).cloned().unwrap_or_default(),
                    source_id: s.id,
                });
            }
            source_total += 1;
        }
        let totals = ViewTotals {
            relations: order.len(),
            events: entry.events.len(),
            sources: source_total,
        };
        Some((
            DocView {
                id: d.id.clone(),
                kind: d.kind,
                number: d.number.clone(),
                symbol: d.symbol.clone(),
                date: d.date,
                issuer: d.issuer.clone(),
                title: d.title.clone(),
                status,
                relations,
                events,
                sources,
            },
            totals,
        ))
    }

    /// Events matching the filter, by date (undated last). A province of
    /// today also finds the old provinces merged into it in 2025; an old name
    /// finds only itself. `document` is an id or any reference that
    /// [`Graph::lookup`] finds.
    pub fn events(&self, filter: &EventFilter) -> Vec<EventView> {
        let document = match filter.document.as_deref() {
            None => None,
            Some(r) => match self.entry(r) {
                Some(e) => Some(e.doc.id.clone()),
                None => match self.lookup(r) {
                    Lookup::Found(id) => Some(id),
                    _ => return Vec::new(),
                },
            },
        };
        let provinces = match filter.province.as_deref() {
            None => None,
            Some(p) => match vanban_search::provinces::covered(p) {
                Some(v) => Some(v),
                None => return Vec::new(),
            },
        };
        self.events
            .iter()
            .filter(|e| document.as_ref().is_none_or(|id| e.documents.contains(id)))
            .filter(|e| {
                provinces.as_ref().is_none_or(|names| {
                    e.province
                        .as_deref()
                        .and_then(vanban_search::provinces::canonical)
                        .is_some_and(|c| names.contains(&c))
                })
            })
            .filter(|e| {
                filter.from.is_none_or(|f| {
                    e.date
                        .is_some_and(|d| d >= f || e.end_date.is_some_and(|x| x >= f))
                })
            })
            .filter(|e| filter.to.is_none_or(|t| e.date.is_some_and(|d| d <= t)))
            .filter(|e| filter.kind.is_none_or(|k| e.kind == k))
            .map(|e| (**e).clone())
            .collect()
    }

    /// How many events a province of today held (under any of its names).
    pub fn province_event_count(&self, province_now: &str) -> usize {
        self.provinces.get(province_now).copied().unwrap_or(0)
    }

    /// Counts.
    pub fn stats(&self) -> Stats {
        Stats {
            sources: self.sources.len(),
            documents: self.documents.len(),
            relations: self.relations.len(),
            events: self.events.len(),
            provinces: self.provinces.len(),
        }
    }
}

/// The other end of relation `rel` seen from a document in `direction`.
fn other_end(rel: &CanonicalRelation, direction: Direction) -> &str {
    match direction {
        Direction::Incoming => &rel.from,
        Direction::Outgoing => &rel.to,
    }
}

/// A document's relations by type, direction (incoming first) and the
/// other document's id.
fn relation_order(entry: &DocEntry) -> Vec<(&CanonicalRelation, Direction)> {
    let mut order: Vec<(&CanonicalRelation, Direction)> = entry
        .incoming
        .iter()
        .map(|r| (&**r, Direction::Incoming))
        .chain(entry.outgoing.iter().map(|r| (&**r, Direction::Outgoing)))
        .collect();
    order.sort_by(|&(ra, da), &(rb, db)| {
        (ra.kind, da == Direction::Outgoing, other_end(ra, da)).cmp(&(
            rb.kind,
            db == Direction::Outgoing,
            other_end(rb, db),
        ))
    });
    order
}

fn relation_view(rel: &CanonicalRelation, direction: Direction) -> RelationView {
    RelationView {
        kind: rel.kind,
        direction,
        other: other_end(rel, direction).to_owned(),
        sources: rel.sources.clone(),
    }
}

/// `keys`/`values` (sorted by key) without the places `gone` (sorted) and
/// with `fresh` (sorted) merged in: runs between the changes are copied
/// whole.
fn splice<K: Ord + Clone, V: Clone>(
    keys: &[K],
    values: &[V],
    gone: &[usize],
    fresh: &[(K, V)],
) -> (Vec<K>, Vec<V>) {
    let n = keys.len().min(values.len());
    let mut out_keys = Vec::with_capacity(n + fresh.len());
    let mut out_values = Vec::with_capacity(n + fresh.len());
    let mut gone = gone.iter().copied().peekable();
    let mut fresh = fresh.iter().peekable();
    let mut from = 0usize;
    loop {
        let stop = [
            gone.peek().copied(),
            fresh
                .peek()
                .map(|f| keys[..n].partition_point(|k| *k < f.0)),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(n)
        .clamp(from, n);
        out_keys.extend_from_slice(&keys[from..stop]);
        out_values.extend_from_slice(&values[from..stop]);
        from = stop;
        while let Some(f) = fresh.next_if(|f| from >= n || f.0 < keys[from]) {
            out_keys.push(f.0.clone());
            out_values.push(f.1.clone());
        }
        if from >= n {
            break;
        }
        if let Some(g) = gone.next_if(|&g| g <= from) {
            if g == from {
                from += 1;
            }
        } else if fresh.peek().is_some_and(|f| f.0 == keys[from]) {
            // A fresh key equal to a kept one goes after it.
            out_keys.push(keys[from].clone());
            out_values.push(values[from].clone());
            from += 1;
        }
    }
    (out_keys, out_values)
}

impl Graph {
    /// The graph of these facts and `new`'s: exactly [`Graph::build`] of
    /// them all, computed by re-resolving only the numbers that `new`'s
    /// mentions carry (resolution never crosses numbers) and the documents
    /// printed alike with theirs, re-lifting the relations and events of the
    /// sources citing those numbers, and updating the lists of the documents
    /// those relations and events name. Everything else (documents,
    /// relations, events, sources) is shared with `self`. Sources already
    /// in the graph are ignored (the facts of a stored source never change).
    pub fn with_sources(&self, new: Vec<Arc<SourceFacts>>) -> Graph {
        let mut new: Vec<Arc<SourceFacts>> = new
            .into_iter()
            .filter(|s| self.source(s.id).is_none())
            .collect();
        new.sort_by_key(|s| s.id);
        new.dedup_by_key(|s| s.id);
        if new.is_empty() {
            return self.clone();
        }
        // The numbers to resolve again.
        let mut touched: HashSet<String> = new
            .iter()
            .flat_map(|s| s.extraction.documents.iter().filter_map(mention_number))
            .map(number_key)
            .collect();
        let (subset, mentions, cluster_doc, mut docs, old_docs) = loop {
            let mut ids: Vec<i64> = touched
                .iter()
                .filter_map(|k| self.numbers.get(k))
                .flat_map(|e| e.sources.iter().copied())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let mut subset: Vec<Arc<SourceFacts>> = ids
                .iter()
                .filter_map(|&id| {
                    let p = self.sources.binary_search_by_key(&id, |s| s.id).ok()?;
                    Some(Arc::clone(&self.sources[p]))
                })
                .chain(new.iter().cloned())
                .collect();
            subset.sort_by_key(|s| s.id);
            let (mentions, mut clusters, assigned) = Resolver::new(&subset).run();
            let (docs, cluster_doc) = drafts(&subset, &mentions, &mut clusters, &|c| {
                touched.contains(&c.number)
            });
            let old_docs: Vec<Arc<DocEntry>> = touched
                .iter()
                .filter_map(|k| self.numbers.get(k))
                .flat_map(|e| e.docs.iter())
                .filter_map(|id| self.by_id.get(id).cloned())
                .collect();
            // Documents printed alike are numbered (`#2`) together: all of
            // them are resolved again.
            let mut more: Vec<String> = Vec::new();
            let bases = docs
                .iter()
                .map(|(_, o)| o.0.as_str())
                .chain(old_docs.iter().map(|e| e.ord.0.as_str()));
            for base in bases {
                let from = self.entries.partition_point(|e| e.ord.0.as_str() < base);
                for e in self.entries[from..]
                    .iter()
                    .take_while(|e| e.ord.0.as_str() == base)
                {
                    if !touched.contains(&e.number) {
                        more.push(e.number.clone());
                    }
                }
            }
            if more.is_empty() {
                let cluster_doc: Vec<Option<usize>> = assigned
                    .iter()
                    .map(|c| c.and_then(|c| cluster_doc[c]))
                    .collect();
                break (subset, mentions, cluster_doc, docs, old_docs);
            }
            touched.extend(more);
        };
        let order = order_and_suffix(&mut docs);
        let mut slots: Vec<Option<(CanonicalDocument, DocOrd)>> =
            docs.into_iter().map(Some).collect();
        // The new documents, in order; `rank` maps a draft to its place.
        let mut rank = vec![0usize; slots.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r;
        }
        let (new_docs, new_ords): (Vec<CanonicalDocument>, Vec<DocOrd>) =
            order.iter().filter_map(|&i| slots[i].take()).unzip();
        let new_docs: Vec<Arc<CanonicalDocument>> = new_docs.into_iter().map(Arc::new).collect();
        let new_ids: Vec<Arc<str>> = new_docs.iter().map(|d| Arc::from(d.id.as_str())).collect();
        let new_at: HashMap<Arc<str>, usize> = new_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (Arc::clone(id), i))
            .collect();
        let is_new = |id: &str| new_at.contains_key(id);

        // Resolution of the subset: the touched numbers' mentions anew, the
        // others as they were.
        let mut resolved: Vec<Vec<Option<Arc<str>>>> = subset
            .iter()
            .map(
                |s| match self.sources.binary_search_by_key(&s.id, |x| x.id) {
                    Ok(p) => self.resolved[p].to_vec(),
                    Err(_) => vec![None; s.extraction.documents.len()],
                },
            )
            .collect();
        for (m, mention) in mentions.iter().enumerate() {
            if !touched.contains(&number_key(&mention.number)) {
                continue;
            }
            resolved[mention.source_pos][mention.index] =
                cluster_doc[m].map(|d| Arc::clone(&new_ids[rank[d]]));
        }
        let mut first_reported: Vec<Option<NaiveDate>> = vec![None; new_docs.len()];
        let mut cited_by = vec![0usize; new_docs.len()];
        for (pos, s) in subset.iter().enumerate() {
            let mut here: Vec<usize> = resolved[pos]
                .iter()
                .flatten()
                .filter_map(|id| new_at.get(id).copied())
                .collect();
            here.sort_unstable();
            here.dedup();
            for d in here {
                cited_by[d] += 1;
                if let Some(p) = s.extraction.published {
                    first_reported[d] = Some(first_reported[d].map_or(p, |f| f.min(p)));
                }
            }
        }
        let ord_of = |id: &str| -> Option<DocOrd> {
            match new_at.get(id) {
                Some(&i) => Some(new_ords[i].clone()),
                None => self.by_id.get(id).map(|e| e.ord.clone()),
            }
        };

        // Relations: those with an end among the touched numbers are lifted
        // again from the subset (every source stating one is in it).
        let gone_relations: HashSet<*const CanonicalRelation> = old_docs
            .iter()
            .flat_map(|e| e.incoming.iter().chain(e.outgoing.iter()))
            .map(Arc::as_ptr)
            .collect();
        type NewLifted = (
            RelationKind,
            Arc<str>,
            Arc<str>,
            Vec<i64>,
            Option<NaiveDate>,
        );
        let mut relation_at: HashMap<(RelationKind, Arc<str>, Arc<str>), usize> = HashMap::new();
        let mut lifted: Vec<NewLifted> = Vec::new();
        for (pos, s) in subset.iter().enumerate() {
            for r in &s.extraction.relations {
                let from = resolved[pos].get(r.from).cloned().flatten();
                let to = resolved[pos].get(r.to).cloned().flatten();
                let (Some(from), Some(to)) = (from, to) else {
                    continue;
                };
                if from == to || !(is_new(&from) || is_new(&to)) {
                    continue;
                }
                let i = *relation_at
                    .entry((r.kind, Arc::clone(&from), Arc::clone(&to)))
                    .or_insert_with(|| {
                        lifted.push((r.kind, from, to, Vec::new(), None));
                        lifted.len() - 1
                    });
                let entry = &mut lifted[i];
                note_statement(&mut entry.3, &mut entry.4, s.id, s.extraction.published);
            }
        }
        let mut new_relations: Vec<(Arc<RelKey>, Arc<CanonicalRelation>)> = lifted
            .into_iter()
            .filter_map(|(kind, from, to, sources, first)| {
                let key = (ord_of(&from)?, ord_of(&to)?, kind);
                Some((
                    Arc::new(key),
                    Arc::new(CanonicalRelation {
                        kind,
                        from: from.to_string(),
                        to: to.to_string(),
                        sources,
                        first_reported: first,
                    }),
                ))
            })
            .collect();
        new_relations.sort_by(|a, b| a.0.cmp(&b.0));
        // The old relations with an end among the touched numbers, by place.
        let mut gone_at: Vec<usize> = old_docs
            .iter()
            .flat_map(|e| e.incoming.iter().chain(e.outgoing.iter()))
            .filter_map(|r| {
                let from = self.by_id.get(&r.from)?;
                let to = self.by_id.get(&r.to)?;
                let key = (from.ord.clone(), to.ord.clone(), r.kind);
                self.relation_keys
                    .binary_search_by(|k| (**k).cmp(&key))
                    .ok()
            })
            .collect();
        gone_at.sort_unstable();
        gone_at.dedup();
        let (relation_keys, relations) = splice(
            &self.relation_keys,
            &self.relations,
            &gone_at,
            &new_relations,
        );

        // Events of the subset, lifted again.
        let subset_old: HashSet<i64> = subset
            .iter()
            .map(|s| s.id)
            .filter(|&id| self.source(id).is_some())
            .collect();
        let mut new_events: Vec<(EvKey, Arc<EventView>)> = Vec::new();
        for (pos, s) in subset.iter().enumerate() {
            for (ei, e) in s.extraction.events.iter().enumerate() {
                let mut ids: Vec<Arc<str>> = e
                    .documents
                    .iter()
                    .filter_map(|&i| resolved[pos].get(i).cloned().flatten())
                    .collect();
                ids.dedup();
                let mut seen = HashSet::new();
                ids.retain(|d| seen.insert(Arc::clone(d)));
                new_events.push((
                    (e.date.is_none(), e.date, s.id, ei),
                    Arc::new(EventView {
                        kind: e.kind,
                        date: e.date,
                        end_date: e.end_date,
                        province: e.province.clone(),
                        province_now: province_now(e.province.as_deref()),
                        organizer: e.organizer.clone(),
                        source: s.extraction.source.clone(),
                        source_id: s.id,
                        documents: ids.iter().map(|d| d.to_string()).collect(),
                    }),
                ));
            }
        }
        new_events.sort_by_key(|a| a.0);
        let mut provinces = self.provinces.clone();
        // Documents whose event lists change: those the old and the new
        // events of the subset name.
        let mut event_docs: HashSet<Arc<str>> = HashSet::new();
        // The old events of the subset, by their place.
        let mut gone_events: Vec<usize> = subset
            .iter()
            .filter(|s| subset_old.contains(&s.id))
            .flat_map(|s| {
                s.extraction
                    .events
                    .iter()
                    .enumerate()
                    .map(move |(ei, e)| (e.date.is_none(), e.date, s.id, ei))
            })
            .filter_map(|k| self.event_keys.binary_search(&k).ok())
            .collect();
        gone_events.sort_unstable();
        for &g in &gone_events {
            let e = &self.events[g];
            for d in &e.documents {
                if let Some(entry) = self.by_id.get(d) {
                    event_docs.insert(Arc::clone(&entry.id));
                }
            }
            if let Some(p) = &e.province_now {
                if let Some(n) = provinces.get_mut(p) {
                    *n -= 1;
                    if *n == 0 {
                        provinces.remove(p);
                    }
                }
            }
        }
        let (event_keys, events) =
            splice(&self.event_keys, &self.events, &gone_events, &new_events);
        let mut events_of: HashMap<Arc<str>, Vec<(EvKey, Arc<EventView>)>> = HashMap::new();
        for (k, e) in &new_events {
            if let Some(p) = &e.province_now {
                *provinces.entry(p.clone()).or_insert(0) += 1;
            }
            for d in &e.documents {
                let id: Arc<str> = Arc::from(d.as_str());
                event_docs.insert(Arc::clone(&id));
                events_of.entry(id).or_default().push((*k, Arc::clone(e)));
            }
        }

        // The new documents' entries.
        let find = |id: i64| {
            subset
                .binary_search_by_key(&id, |s| s.id)
                .ok()
                .map(|p| &*subset[p])
        };
        let mut incoming: Vec<Vec<Arc<CanonicalRelation>>> = vec![Vec::new(); new_docs.len()];
        let mut outgoing: Vec<Vec<Arc<CanonicalRelation>>> = vec![Vec::new(); new_docs.len()];
        // Documents of other numbers at an end of a relation lifted again.
        let mut relation_docs: HashSet<Arc<str>> = HashSet::new();
        for r in old_docs
            .iter()
            .flat_map(|e| e.incoming.iter().chain(e.outgoing.iter()))
        {
            for end in [&r.from, &r.to] {
                if let Some(e) = self.by_id.get(end) {
                    if !touched.contains(&e.number) {
                        relation_docs.insert(Arc::clone(&e.id));
                    }
                }
            }
        }
        let mut other_in: HashMap<&str, Vec<Arc<CanonicalRelation>>> = HashMap::new();
        let mut other_out: HashMap<&str, Vec<Arc<CanonicalRelation>>> = HashMap::new();
        for (_, r) in &new_relations {
            match new_at.get(r.from.as_str()) {
                Some(&i) => outgoing[i].push(Arc::clone(r)),
                None => {
                    relation_docs.insert(Arc::from(r.from.as_str()));
                    other_out
                        .entry(r.from.as_str())
                        .or_default()
                        .push(Arc::clone(r));
                }
            }
            match new_at.get(r.to.as_str()) {
                Some(&i) => incoming[i].push(Arc::clone(r)),
                None => {
                    relation_docs.insert(Arc::from(r.to.as_str()));
                    other_in
                        .entry(r.to.as_str())
                        .or_default()
                        .push(Arc::clone(r));
                }
            }
        }
        let mut new_entries: Vec<Arc<DocEntry>> = Vec::with_capacity(new_docs.len());
        for (i, d) in new_docs.iter().enumerate() {
            let events = events_of.remove(&new_ids[i]).unwrap_or_default();
            new_entries.push(Arc::new(DocEntry {
                doc: Arc::clone(d),
                id: Arc::clone(&new_ids[i]),
                ord: new_ords[i].clone(),
                number: number_key(d.number.as_deref().unwrap_or_default()),
                first_reported: first_reported[i],
                cited_by: cited_by[i],
                citations: citations(d),
                incoming: std::mem::take(&mut incoming[i]),
                outgoing: std::mem::take(&mut outgoing[i]),
                provinces: province_counts(&events),
                events,
                keys: document_keys(d, &find),
                issuer_key: d.issuer.as_deref().map(vanban_search::issuer_key),
            }));
        }
        // Documents of other numbers whose relation or event lists change.
        let mut changed: Vec<Arc<DocEntry>> = Vec::new();
        for id in relation_docs.union(&event_docs) {
            if is_new(id) {
                continue;
            }
            // A document of a touched number is new or gone.
            let Some(old) = self.by_id.get(id).filter(|e| !touched.contains(&e.number)) else {
                continue;
            };
            let mut e = DocEntry::clone(old);
            if relation_docs.contains(id) {
                let keep = |r: &Arc<CanonicalRelation>| !gone_relations.contains(&Arc::as_ptr(r));
                e.incoming.retain(keep);
                e.outgoing.retain(keep);
                e.incoming
                    .extend(other_in.get(&**id).into_iter().flatten().cloned());
                e.outgoing
                    .extend(other_out.get(&**id).into_iter().flatten().cloned());
            }
            if event_docs.contains(id) {
                let fresh = events_of.remove(id).unwrap_or_default();
                let mut merged = Vec::with_capacity(e.events.len() + fresh.len());
                let mut fresh = fresh.into_iter().peekable();
                for (k, ev) in e.events.drain(..) {
                    if subset_old.contains(&k.2) {
                        continue;
                    }
                    while let Some(f) = fresh.next_if(|f| f.0 < k) {
                        merged.push(f);
                    }
                    merged.push((k, ev));
                }
                merged.extend(fresh);
                e.provinces = province_counts(&merged);
                e.events = merged;
            }
            changed.push(Arc::new(e));
        }

        // Documents in order: the old ones of the touched numbers out, the
        // changed ones replaced, the new ones merged in.
        let position = |ord: &DocOrd| self.entries.binary_search_by(|e| e.ord.cmp(ord)).ok();
        let mut gone: Vec<usize> = old_docs.iter().filter_map(|e| position(&e.ord)).collect();
        gone.sort_unstable();
        let mut replaced: Vec<(usize, Arc<DocEntry>)> = changed
            .iter()
            .filter_map(|e| Some((position(&e.ord)?, Arc::clone(e))))
            .collect();
        replaced.sort_by_key(|r| r.0);
        let mut entries: Vec<Arc<DocEntry>> =
            Vec::with_capacity(self.entries.len() + new_entries.len());
        {
            // Runs of untouched entries are copied whole between the
            // places that change.
            let mut fresh = new_entries.iter().peekable();
            let mut gone = gone.into_iter().peekable();
            let mut replaced = replaced.into_iter().peekable();
            let mut from = 0usize;
            let len = self.entries.len();
            while from < len {
                let stop = [
                    gone.peek().copied(),
                    replaced.peek().map(|r| r.0),
                    fresh
                        .peek()
                        .map(|f| self.entries.partition_point(|e| e.ord < f.ord)),
                ]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(len)
                .max(from);
                entries.extend(self.entries[from..stop].iter().cloned());
                from = stop;
                if from >= len {
                    break;
                }
                while let Some(f) = fresh.next_if(|f| f.ord < self.entries[from].ord) {
                    entries.push(Arc::clone(f));
                }
                if gone.next_if(|&g| g == from).is_some() {
                    from += 1;
                } else if let Some((_, r)) = replaced.next_if(|r| r.0 == from) {
                    entries.push(r);
                    from += 1;
                }
            }
            entries.extend(fresh.cloned());
        }
        let documents: Vec<Arc<CanonicalDocument>> =
            entries.iter().map(|e| Arc::clone(&e.doc)).collect();

        // Lookup tables.
        let mut by_id = self.by_id.clone();
        let mut keys = self.keys.clone();
        let mut issuer_docs = self.issuer_docs.clone();
        let mut rescan: Vec<String> = Vec::new();
        for e in &old_docs {
            by_id.remove(&e.id);
            for k in &e.keys {
                if let Some(list) = keys.get(k) {
                    let rest: Vec<Arc<str>> =
                        list.iter().filter(|x| **x != e.id).cloned().collect();
                    if rest.is_empty() {
                        keys.remove(k);
                    } else {
                        keys.insert(k.clone(), Arc::new(rest));
                    }
                }
            }
            if let Some(key) = &e.issuer_key {
                if let Some(f) = issuer_docs.get(key) {
                    let mut f = f.clone();
                    f.count -= 1;
                    if f.count == 0 {
                        issuer_docs.remove(key);
                    } else {
                        // The first one gone: found again below.
                        if f.ord == e.ord {
                            rescan.push(key.clone());
                        }
                        issuer_docs.insert(key.clone(), f);
                    }
                }
            }
        }
        for e in changed.iter().chain(&new_entries) {
            by_id.insert(e.id.to_string(), Arc::clone(e));
        }
        for e in &new_entries {
            for k in &e.keys {
                let mut list: Vec<Arc<str>> = keys.get(k).map(|l| l.to_vec()).unwrap_or_default();
                list.push(Arc::clone(&e.id));
                keys.insert(k.clone(), Arc::new(list));
            }
            if let (Some(name), Some(key)) = (&e.doc.issuer, &e.issuer_key) {
                let f = match issuer_docs.get(key) {
                    Some(f) if f.ord < e.ord => IssuerFirst {
                        count: f.count + 1,
                        ..f.clone()
                    },
                    f => IssuerFirst {
                        count: f.map_or(0, |f| f.count) + 1,
                        ord: e.ord.clone(),
                        name: name.clone(),
                    },
                };
                issuer_docs.insert(key.clone(), f);
            }
        }
        rescan.sort();
        rescan.dedup();
        for key in rescan {
            let first = entries
                .iter()
                .find(|e| e.issuer_key.as_deref() == Some(key.as_str()));
            if let (Some(first), Some(f)) = (first, issuer_docs.get(&key)) {
                let f = IssuerFirst {
                    count: f.count,
                    ord: first.ord.clone(),
                    name: first.doc.issuer.clone().unwrap_or_default(),
                };
                issuer_docs.insert(key, f);
            }
        }
        let mut issuer_raw = self.issuer_raw.clone();
        for s in &new {
            for (i, d) in s.extraction.documents.iter().enumerate() {
                if let Some(name) = d.issuer.as_deref() {
                    let at = (s.id, i);
                    let key = vanban_search::issuer_key(name);
                    if issuer_raw.get(&key).is_none_or(|(first, _)| at < *first) {
                        issuer_raw.insert(key, (at, name.to_owned()));
                    }
                }
            }
        }
        let mut numbers = self.numbers.clone();
        for k in &touched {
            let mut entry = numbers
                .get(k)
                .map(|e| NumberEntry::clone(e))
                .unwrap_or_default();
            for s in &new {
                if s.extraction
                    .documents
                    .iter()
                    .filter_map(mention_number)
                    .any(|n| number_key(n) == *k)
                {
                    entry.sources.push(s.id);
                }
            }
            entry.sources.sort_unstable();
            entry.sources.dedup();
            entry.docs = new_entries
                .iter()
                .filter(|e| e.number == *k)
                .map(|e| Arc::clone(&e.id))
                .collect();
            numbers.insert(k.clone(), Arc::new(entry));
        }

        // Sources and their resolution.
        let mut sources = Vec::with_capacity(self.sources.len() + new.len());
        let mut all_resolved: Vec<Arc<[Option<Arc<str>>]>> = Vec::with_capacity(sources.capacity());
        {
            let mut fresh = subset.iter().zip(resolved).peekable();
            for (s, r) in self.sources.iter().zip(&self.resolved) {
                while let Some((fs, fr)) = fresh.next_if(|(fs, _)| fs.id <= s.id) {
                    if fs.id == s.id {
                        all_resolved.push(fr.into());
                        sources.push(Arc::clone(s));
                    } else {
                        all_resolved.push(fr.into());
                        sources.push(Arc::clone(fs));
                    }
                }
                if sources.last().map(|x| x.id) != Some(s.id) {
                    all_resolved.push(Arc::clone(r));
                    sources.push(Arc::clone(s));
                }
            }
            for (fs, fr) in fresh {
                all_resolved.push(fr.into());
                sources.push(Arc::clone(fs));
            }
        }

        Graph {
            sources,
            resolved: all_resolved,
            documents,
            entries,
            by_id,
            relations,
            relation_keys,
            events,
            event_keys,
            keys,
            numbers,
            provinces,
            issuer_docs,
            issuer_raw,
        }
    }
}

/// A lifted relation stated once more, by source `id` published on
/// `published`: the source is listed once, and the first report is the
/// earliest publication date.
fn note_statement(
    sources: &mut Vec<i64>,
    first: &mut Option<NaiveDate>,
    id: i64,
    published: Option<NaiveDate>,
) {
    if !sources.contains(&id) {
        sources.push(id);
    }
    if let Some(p) = published {
        *first = Some(first.map_or(p, |f| f.min(p)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vanban_extract::{Document, Event, Extraction, Relation};

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    fn doc(kind: DocumentKind, number: &str, symbol: Option<&str>, when: Option<&str>) -> Document {
        let d = when.map(date);
        Document {
            kind,
            number: Some(number.to_owned()),
            symbol: symbol.map(str::to_owned),
            year: d.map(|d| d.year()),
            date: d,
            issuer: None,
            title: None,
            mentions: vec![Span { start: 0, end: 1 }],
        }
    }

    fn source(
        id: i64,
        published: Option<&str>,
        documents: Vec<Document>,
        relations: Vec<Relation>,
    ) -> SourceFacts {
        let excerpts = documents.iter().map(|_| String::new()).collect();
        SourceFacts {
            id,
            hash: format!("{id:064x}"),
            title: String::new(),
            extraction: Extraction {
                source: format!("s{id}.txt"),
                published: published.map(date),
                documents,
                relations,
                events: Vec::new(),
                officials: Vec::new(),
            },
            excerpts,
        }
    }

    use DocumentKind::{QuyDinh, QuyetDinh};

    #[test]
    fn same_number_symbol_in_different_years_are_different_documents() {
        let g = Graph::build(vec![
            source(
                1,
                None,
                vec![doc(QuyDinh, "58", Some("QĐ/TW"), Some("2022-02-08"))],
                vec![],
            ),
            source(
                2,
                None,
                vec![doc(QuyDinh, "58", Some("QĐ/TW"), Some("2007-02-07"))],
                vec![],
            ),
        ]);
        let ids: Vec<&str> = g.documents().iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["58-QĐ/TW@2007-02-07", "58-QĐ/TW@2022-02-08"]);
        // The number-symbol alone is ambiguous: both listed.
        assert!(matches!(g.lookup("58-QĐ/TW"), Lookup::Ambiguous(v) if v.len() == 2));
        assert_eq!(
            g.lookup("58-qđ/tw@2022"),
            Lookup::Found("58-QĐ/TW@2022-02-08".into())
        );
    }

    #[test]
    fn two_dates_in_one_year_are_one_document_with_a_conflict() {
        let g = Graph::build(vec![
            source(
                1,
                None,
                vec![doc(QuyDinh, "05", Some("QĐ/TU"), Some("2021-03-13"))],
                vec![],
            ),
            source(
                2,
                None,
                vec![doc(QuyDinh, "5", Some("QĐ/TU"), Some("2021-03-12"))],
                vec![],
            ),
            source(
                3,
                None,
                vec![doc(QuyDinh, "05", Some("QĐ/TU"), Some("2021-03-12"))],
                vec![],
            ),
        ]);
        assert_eq!(g.documents().len(), 1);
        let d = &g.documents()[0];
        assert_eq!(d.id, "05-QĐ/TU@2021-03-12");
        assert_eq!(d.dates.len(), 2);
        assert_eq!(d.dates[0].sources, [2, 3]);
        assert_eq!(d.dates[1].sources, [1]);
    }

    #[test]
    fn a_tie_between_dates_goes_to_the_first_seen() {
        let g = Graph::build(vec![
            source(
                2,
                None,
                vec![doc(QuyDinh, "7", Some("QĐ/TU"), Some("2020-05-02"))],
                vec![],
            ),
            source(
                1,
                None,
                vec![doc(QuyDinh, "7", Some("QĐ/TU"), Some("2020-05-01"))],
                vec![],
            ),
        ]);
        assert_eq!(g.documents()[0].date, Some(date("2020-05-01")));
    }

    #[test]
    fn a_short_mention_resolves_only_when_one_candidate_remains() {
        let g = Graph::build(vec![
            source(
                1,
                None,
                vec![doc(QuyDinh, "58", Some("QĐ/TW"), Some("2022-02-08"))],
                vec![],
            ),
            source(
                2,
                Some("2023-01-05"),
                vec![doc(QuyDinh, "58", None, None)],
                vec![],
            ),
        ]);
        assert_eq!(g.resolved_ids(2), [Some("58-QĐ/TW@2022-02-08".to_owned())]);

        let g = Graph::build(vec![
            source(
                1,
                None,
                vec![doc(QuyDinh, "58", Some("QĐ/TW"), Some("2022-02-08"))],
                vec![],
            ),
            source(
                2,
                None,
                vec![doc(QuyDinh, "58", Some("QĐ/HU"), Some("2019-04-01"))],
                vec![],
            ),
            source(
                3,
                Some("2023-01-05"),
                vec![doc(QuyDinh, "58", None, None)],
                vec![],
            ),
            // Published before the 2022 one existed: only the 2019 one fits.
            source(
                4,
                Some("2020-01-05"),
                vec![doc(QuyDinh, "58", None, None)],
                vec![],
            ),
        ]);
        assert_eq!(g.resolved_ids(3), [None]);
        assert_eq!(g.resolved_ids(4), [Some("58-QĐ/HU@2019-04-01".to_owned())]);
    }

    #[test]
    fn the_issuer_named_with_a_short_mention_narrows_the_candidates() {
        let mut central = doc(QuyDinh, "58", Some("QĐ/TW"), Some("2022-02-08"));
        central.issuer = Some("Bộ Chính trị".into());
        let mut local = doc(QuyDinh, "58", Some("QĐ/TU"), Some("2021-06-01"));
        local.issuer = Some("Ban Thường vụ Tỉnh ủy Hà Tĩnh".into());
        let mut short = doc(QuyDinh, "58", None, None);
        short.issuer = Some("Bộ Chính trị".into());
        let mut short_local = doc(QuyDinh, "58", None, None);
        short_local.issuer = Some("Ban Thường vụ Tỉnh ủy".into());
        let g = Graph::build(vec![
            source(1, None, vec![central], vec![]),
            source(2, None, vec![local], vec![]),
            source(3, Some("2023-01-05"), vec![short], vec![]),
            source(4, Some("2023-01-05"), vec![short_local], vec![]),
            source(
                5,
                Some("2023-01-05"),
                vec![doc(QuyDinh, "58", None, None)],
                vec![],
            ),
        ]);
        assert_eq!(g.resolved_ids(3), [Some("58-QĐ/TW@2022-02-08".to_owned())]);
        assert_eq!(g.resolved_ids(4), [Some("58-QĐ/TU@2021-06-01".to_owned())]);
        assert_eq!(g.resolved_ids(5), [None]);
    }

    #[test]
    fn a_quyet_dinh_called_quy_dinh_stays_one_document() {
        let g = Graph::build(vec![
            source(
                1,
                None,
                vec![doc(QuyetDinh, "190", Some("QĐ/TW"), Some("2024-10-10"))],
                vec![],
            ),
            source(
                2,
                None,
                vec![doc(QuyetDinh, "190", Some("QĐ/TW"), Some("2024-10-10"))],
                vec![],
            ),
            source(
                3,
                None,
                vec![doc(QuyDinh, "190", Some("QĐ/TW"), Some("2024-10-10"))],
                vec![],
            ),
            source(
                4,
                Some("2025-03-01"),
                vec![doc(QuyDinh, "190", None, None)],
                vec![],
            ),
        ]);
        assert_eq!(g.documents().len(), 1);
        assert_eq!(g.documents()[0].kind, QuyetDinh);
        assert_eq!(g.resolved_ids(4), [Some("190-QĐ/TW@2024-10-10".to_owned())]);
        assert_eq!(
            g.lookup("quy dinh 190"),
            Lookup::Found("190-QĐ/TW@2024-10-10".into())
        );
    }

    #[test]
    fn ids_without_symbol_or_date() {
        let g = Graph::build(vec![
            source(
                1,
                None,
                vec![doc(QuyDinh, "58", None, Some("2022-02-08"))],
                vec![],
            ),
            source(
                2,
                None,
                vec![doc(DocumentKind::ChiThi, "05", Some("CT/TW"), None)],
                vec![],
            ),
        ]);
        let ids: Vec<&str> = g.documents().iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["05-CT/TW@?", "Quy định 58@2022-02-08"]);
        let mut year_only = doc(DocumentKind::NghiDinh, "30", Some("NĐ-CP"), None);
        year_only.year = Some(2020);
        let g = Graph::build(vec![source(1, None, vec![year_only], vec![])]);
        assert_eq!(g.documents()[0].id, "30/2020/NĐ-CP@2020");
        assert_eq!(
            g.lookup("30/2020/NĐ-CP"),
            Lookup::Found("30/2020/NĐ-CP@2020".into())
        );
    }

    #[test]
    fn status_follows_the_replacing_document_date() {
        let replaces = Relation {
            kind: RelationKind::Replaces,
            from: 1,
            to: 0,
        };
        let g = Graph::build(vec![source(
            1,
            Some("2022-03-01"),
            vec![
                doc(QuyDinh, "126", Some("QĐ/TW"), Some("2018-02-28")),
                doc(QuyDinh, "58", Some("QĐ/TW"), Some("2022-02-08")),
            ],
            vec![replaces],
        )]);
        let id = "126-QĐ/TW@2018-02-28";
        let at = |d: &str| g.status(id, date(d)).map(|s| s.state);
        assert_eq!(at("2017-01-01"), Some(State::Unknown));
        assert_eq!(at("2018-02-28"), Some(State::InForce));
        assert_eq!(at("2022-02-07"), Some(State::InForce));
        let s = g.status(id, date("2022-02-08"));
        assert_eq!(
            s,
            Some(Status {
                state: State::Replaced,
                since: Some(date("2022-02-08")),
                by: vec!["58-QĐ/TW@2022-02-08".into()],
            })
        );
        assert_eq!(g.status("nope", date("2022-02-08")), None);
    }

    #[test]
    fn an_undated_replacement_counts_from_its_first_report() {
        let g = Graph::build(vec![source(
            1,
            Some("2022-03-01"),
            vec![
                doc(QuyDinh, "126", Some("QĐ/TW"), Some("2018-02-28")),
                doc(QuyDinh, "58", Some("QĐ/TW"), None),
            ],
            vec![Relation {
                kind: RelationKind::Replaces,
                from: 1,
                to: 0,
            }],
        )]);
        let s = g.status("126-QĐ/TW@2018-02-28", date("2022-03-01"));
        assert_eq!(
            s.map(|s| (s.state, s.since)),
            Some((State::Replaced, Some(date("2022-03-01"))))
        );
        let s = g.status("126-QĐ/TW@2018-02-28", date("2022-02-28"));
        assert_eq!(s.map(|s| s.state), Some(State::InForce));
    }

    #[test]
    fn events_by_province_of_today() {
        let mut s1 = source(
            1,
            None,
            vec![doc(QuyDinh, "126", Some("QĐ/TW"), Some("2018-02-28"))],
            vec![],
        );
        let ev = |p: &str, d: &str| Event {
            kind: EventKind::Dissemination,
            date: Some(date(d)),
            end_date: None,
            province: Some(p.to_owned()),
            organizer: None,
            documents: vec![0],
        };
        s1.extraction.events = vec![
            ev("Ninh Bình", "2025-09-01"),
            ev("Hà Nam", "2019-05-01"),
            ev("Nam Định", "2018-06-01"),
        ];
        let g = Graph::build(vec![s1]);
        let by = |p: &str| {
            g.events(&EventFilter {
                province: Some(p.to_owned()),
                ..EventFilter::default()
            })
            .iter()
            .map(|e| e.province.clone().unwrap_or_default())
            .collect::<Vec<_>>()
        };
        assert_eq!(by("Ninh Bình"), ["Nam Định", "Hà Nam", "Ninh Bình"]);
        assert_eq!(by("ha nam"), ["Hà Nam"]);
        assert!(by("Atlantis").is_empty());
        assert_eq!(g.all_events()[1].province_now.as_deref(), Some("Ninh Bình"));
        let ranged = g.events(&EventFilter {
            from: Some(date("2019-01-01")),
            to: Some(date("2019-12-31")),
            ..EventFilter::default()
        });
        assert_eq!(ranged.len(), 1);
        assert_eq!(g.stats().provinces, 1);
    }

    #[test]
    fn build_is_fast_and_deterministic() {
        // 100,000 sources, ~60,000 document mentions.
        let mut sources = Vec::new();
        for id in 1..=100_000i64 {
            let mut docs = Vec::new();
            if id % 5 < 3 {
                let n = (id % 997).to_string();
                let year = 2000 + (id % 25) as i32;
                let d = format!("{year}-0{}-1{}", 1 + id % 9, id % 10);
                docs.push(doc(
                    QuyDinh,
                    &n,
                    if id % 3 == 0 { None } else { Some("QĐ/TW") },
                    Some(&d),
                ));
            }
            sources.push(source(id, Some("2025-01-01"), docs, vec![]));
        }
        let mut reversed = sources.clone();
        reversed.reverse();
        // CPU time of this thread (Linux), as the machine may be busy.
        let cpu_ticks = || -> Option<u64> {
            let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
            let rest = stat.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
        };
        let cpu = cpu_ticks();
        let t = std::time::Instant::now();
        let g = Graph::build(sources);
        let took = t.elapsed();
        if let (Some(a), Some(b)) = (cpu, cpu_ticks()) {
            eprintln!("build CPU time: about {} ms", (b - a) * 10);
        }
        let h = Graph::build(reversed);
        assert_eq!(g.documents(), h.documents());
        eprintln!(
            "build of 100,000 sources: {took:?}, {} documents",
            g.documents().len()
        );
        assert!(took < std::time::Duration::from_secs(if cfg!(debug_assertions) { 20 } else { 1 }));
    }
}
