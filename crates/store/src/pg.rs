//! The postgres backend (placeholder until the store helper lands it).

use crate::{Backend, Counts, Inserted, NewSource, Result, SourceFacts, SourceText, TokenRecord};
use std::collections::HashSet;

pub(crate) struct PostgresBackend;

impl PostgresBackend {
    pub(crate) fn open(url: &str) -> Result<Self> {
        todo!("store helper: {:?}", url)
    }
}

impl Backend for PostgresBackend {
    fn schema_version(&mut self) -> Result<i64> {
        todo!()
    }
    fn known_hashes(&mut self, _hashes: &[String]) -> Result<HashSet<String>> {
        todo!()
    }
    fn insert(&mut self, _batch: &[NewSource]) -> Result<Inserted> {
        todo!()
    }
    fn load_facts(&mut self) -> Result<Vec<SourceFacts>> {
        todo!()
    }
    fn source_text(&mut self, _id: i64) -> Result<Option<SourceText>> {
        todo!()
    }
    fn for_each_source(
        &mut self,
        _f: &mut dyn FnMut(SourceText) -> std::result::Result<(), String>,
    ) -> Result<()> {
        todo!()
    }
    fn counts(&mut self) -> Result<Counts> {
        todo!()
    }
    fn put_token(&mut self, _name: &str, _hash: &str) -> Result<()> {
        todo!()
    }
    fn tokens(&mut self) -> Result<Vec<TokenRecord>> {
        todo!()
    }
}
