//! Fixed word lists looked up by exact match.
//!
//! A rule list such as `STOPS` (about 190 syllables) used to be a
//! `&[&str]` searched with `slice::contains`: one comparison per entry,
//! several times per token of every official's window. [`WordSet`] keeps the
//! list as written (the rules read the same) and answers `contains` from a
//! hash set built on first use, with a small non-cryptographic hash: the
//! words are the program's own, not input.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// FNV-1a over the bytes: a few instructions a byte, enough for short
/// syllables whose set is fixed at build time.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A set of the program's own words, hashed with [`Fnv`].
pub(crate) type FnvSet = HashSet<&'static str, BuildHasherDefault<Fnv>>;

/// A fixed list of words with a constant-time [`WordSet::contains`].
pub(crate) struct WordSet {
    words: &'static [&'static str],
    set: OnceLock<FnvSet>,
}

impl WordSet {
    pub(crate) const fn new(words: &'static [&'static str]) -> Self {
        WordSet {
            words,
            set: OnceLock::new(),
        }
    }

    /// True when `w` is one of the words (exact, case-sensitive), as
    /// `words.contains(w)` on the list.
    pub(crate) fn contains(&self, w: &&str) -> bool {
        self.set
            .get_or_init(|| self.words.iter().copied().collect())
            .contains(*w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SET: WordSet = WordSet::new(&["và", "ủy", "-", "Kiểm tra", "chính"]);

    #[test]
    fn same_answers_as_the_list() {
        for w in ["và", "ủy", "-", "Kiểm tra", "chính"] {
            assert!(SET.contains(&w), "{w}");
        }
        for w in ["", "va", "Và", "ủy ban", "Kiểm", "chín", "chínhh", " và"] {
            assert!(!SET.contains(&w), "{w}");
        }
    }
}
