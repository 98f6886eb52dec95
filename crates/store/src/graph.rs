//! The citation graph (đồ thị trích dẫn), resolved in memory from every
//! stored fact: canonical documents, their relations, status in force as of
//! a date, and the events held on them. Pure: no I/O.
//!
//! Identity (shared/domain §1): a document is kind + number + symbol + date
//! (or term). Its id is `NUMBER-SYMBOL@YYYY-MM-DD` when the signing date is
//! known, `NUMBER-SYMBOL@YYYY` when only the year is, `NUMBER-SYMBOL@?`
//! otherwise; a document cited without a symbol is `KIND NUMBER@…` with the
//! kind's Vietnamese name (`Quy định 58@2022`).

use crate::SourceFacts;
use chrono::NaiveDate;
use serde::Serialize;
use vanban_extract::{DocumentKind, EventKind, RelationKind, Span};

/// The resolved knowledge base. Build it with [`Graph::build`].
#[derive(Debug, Clone, Default)]
pub struct Graph {
    sources: Vec<SourceFacts>,
    documents: Vec<CanonicalDocument>,
}

/// A value some texts give, with the sources that give it (most supported first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Supported<T> {
    pub value: T,
    /// Ids of the sources that give this value, in ingest order.
    pub sources: Vec<i64>,
}

/// One mention of a document: which source, where in its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MentionRef {
    pub source: i64,
    /// Index of the document in that source's extraction.
    pub index: usize,
    pub span: Span,
}

/// A document after resolution: every mention of it in every text merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    pub source_id: i64,
    pub published: Option<NaiveDate>,
    pub excerpt: String,
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

impl Graph {
    /// Resolves every stored fact into the graph (deterministic: the same
    /// facts give the same graph).
    pub fn build(sources: Vec<SourceFacts>) -> Graph {
        todo!("graph helper: {}", sources.len())
    }

    /// Every canonical document, in id order.
    pub fn documents(&self) -> &[CanonicalDocument] {
        &self.documents
    }

    /// One document by id.
    pub fn document(&self, id: &str) -> Option<&CanonicalDocument> {
        self.documents.iter().find(|d| d.id == id)
    }

    /// Every source's facts, in id order.
    pub fn sources(&self) -> &[SourceFacts] {
        &self.sources
    }

    /// One source's facts by id.
    pub fn source(&self, id: i64) -> Option<&SourceFacts> {
        self.sources
            .binary_search_by_key(&id, |s| s.id)
            .ok()
            .map(|i| &self.sources[i])
    }

    /// For each document of a source's extraction (by index), the id of the
    /// canonical document it was resolved to, or `None` when it stayed
    /// unresolved.
    pub fn resolved_ids(&self, source: i64) -> Vec<Option<String>> {
        todo!("graph helper: {source}")
    }

    /// What a typed reference names (`126-QĐ/TW`, `126-qd/tw`, `quy dinh 126`,
    /// `QĐ 126`, `30/2020/NĐ-CP`, or an id).
    pub fn lookup(&self, reference: &str) -> Lookup {
        todo!("graph helper: {reference}")
    }

    /// A document's status as of `as_of`.
    pub fn status(&self, id: &str, as_of: NaiveDate) -> Option<Status> {
        todo!("graph helper: {id} {as_of}")
    }

    /// `vanban doc`'s object for a document.
    pub fn view(&self, id: &str, as_of: NaiveDate) -> Option<DocView> {
        todo!("graph helper: {id} {as_of}")
    }

    /// Events matching the filter, by date (undated last).
    pub fn events(&self, filter: &EventFilter) -> Vec<EventView> {
        todo!("graph helper: {filter:?}")
    }

    /// Counts.
    pub fn stats(&self) -> Stats {
        todo!("graph helper")
    }
}
