//! Sparse, monotone offset maps between the output of one preparation stage
//! and its input.
//!
//! A map is a sorted list of *anchors* `(out, in)`. Between two anchors the
//! map is the identity shifted by the earlier anchor (`in = a.in + (out -
//! a.out)`), clamped so it never passes the next anchor: a replaced unit
//! (`“` → `"`) is two anchors, its start and its end. Before the first anchor
//! the map is the identity. When several anchors share one `out` (a removed
//! character), the first one wins, so an offset maps to the *start* of what
//! was removed there. Lookups are a binary search: O(log n).

/// A monotone map from output byte offsets to input byte offsets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    anchors: Vec<(usize, usize)>,
    /// Length of the input, if known: results are clamped to it.
    in_len: Option<usize>,
}

impl OffsetMap {
    /// The identity map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the input length (results are clamped to it).
    pub fn set_input_len(&mut self, len: usize) {
        self.in_len = Some(len);
    }

    /// True when the map is the identity (no anchors).
    pub fn is_identity(&self) -> bool {
        self.anchors.is_empty()
    }

    /// Number of anchors (for tests and diagnostics).
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// True when there are no anchors.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// Records that output offset `out` comes from input offset `inp`. Skipped
    /// when the previous anchor already implies it. Anchors must be pushed in
    /// non-decreasing order of both `out` and `inp`; out-of-order pushes are
    /// ignored (the map stays monotone).
    #[inline]
    pub fn push(&mut self, out: usize, inp: usize) {
        match self.anchors.last() {
            Some(&(lo, li)) => {
                if out < lo || inp < li || out - lo == inp - li {
                    return;
                }
            }
            None => {
                if out == inp {
                    return;
                }
            }
        }
        self.anchors.push((out, inp));
    }

    /// Like [`push`](Self::push) but always records the anchor (used for the
    /// start of a removed unit, so that the first anchor at an offset is the
    /// start of the removed input).
    #[inline]
    pub fn push_exact(&mut self, out: usize, inp: usize) {
        if let Some(&(lo, li)) = self.anchors.last() {
            if out < lo || inp < li || (out == lo && inp == li) {
                return;
            }
        }
        self.anchors.push((out, inp));
    }

    /// Maps an output offset to an input offset. Monotone.
    pub fn map(&self, out: usize) -> usize {
        let a = &self.anchors;
        let i = a.partition_point(|&(o, _)| o < out);
        let r = if i < a.len() && a[i].0 == out {
            a[i].1
        } else if i == 0 {
            match a.first() {
                Some(&(_, first_in)) => out.min(first_in),
                None => out,
            }
        } else {
            let (ao, ai) = a[i - 1];
            let v = ai.saturating_add(out - ao);
            match a.get(i) {
                Some(&(_, next_in)) => v.min(next_in),
                None => v,
            }
        };
        match self.in_len {
            Some(n) => r.min(n),
            None => r,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity() {
        let m = OffsetMap::new();
        assert_eq!(m.map(0), 0);
        assert_eq!(m.map(17), 17);
    }

    #[test]
    fn shift_and_replace() {
        // "a“b" (a=0, “=1..4, b=4) -> "a\"b" (a=0, "=1, b=2)
        let mut m = OffsetMap::new();
        m.push(1, 1);
        m.push(2, 4);
        assert_eq!(m.map(0), 0);
        assert_eq!(m.map(1), 1);
        assert_eq!(m.map(2), 4);
        assert_eq!(m.map(3), 5);
    }

    #[test]
    fn removal_maps_to_start() {
        // "ab\u{200B}c": view "abc"; view 2 -> text 2 (start of the ZWSP)
        let mut m = OffsetMap::new();
        m.push_exact(2, 2);
        m.push(2, 5);
        assert_eq!(m.map(2), 2);
        assert_eq!(m.map(3), 6);
        assert_eq!(m.map(1), 1);
    }

    #[test]
    fn clamps_to_input() {
        let mut m = OffsetMap::new();
        m.push(0, 3);
        m.set_input_len(5);
        assert_eq!(m.map(0), 3);
        assert_eq!(m.map(10), 5);
    }
}
