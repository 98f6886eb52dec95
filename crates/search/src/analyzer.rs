//! The Vietnamese analyser: syllable tokens, an exact form and a folded form.
//!
//! - A *word* is a maximal run of letters, digits and combining marks.
//! - A *compound* is words joined by `-` or `/` with no space
//!   (`126-QĐ/TW`, `30/2020/NĐ-CP`, `COVID-19`). When it has a letter and a
//!   digit it is also emitted whole (a document reference), at the position
//!   of its first part; its parts are always emitted one by one.
//! - [`exact`]: NFC, lower case, diacritics kept, one tone placement
//!   (`hoà` → `hòa`, `thuỷ` → `thủy`, `khoẻ` → `khỏe`; not after `q`: `quý`).
//! - [`fold`]: lower case, diacritics removed, `đ` → `d`.
//! - The folded field also carries *bigrams*: two consecutive syllables of
//!   one phrase (no punctuation between them), joined by a space
//!   (`bảo vệ` → `bao ve`), so that phrase-like queries rank higher.
//!
//! Offsets always point into the original text, so highlights land on
//! what the reader wrote. Linear time; never panics.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::decompose_canonical;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Name of the exact analyser in the index's tokenizer manager.
pub const EXACT: &str = "vi_exact";
/// Name of the folded (+ bigrams) analyser.
pub const FOLDED: &str = "vi_folded";

/// One raw token of the input: byte span, and whether it is a whole
/// reference-like compound or a part (syllable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub start: usize,
    pub end: usize,
    /// True for a whole compound (`126-QĐ/TW`); its parts follow it.
    pub whole: bool,
    /// True when this syllable directly follows the previous one with only
    /// white space between (bigram allowed). Always false for `whole`.
    pub joined: bool,
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

fn is_word_char(c: char) -> bool {
    match u32::from(c) {
        0..=0x7F => c.is_ascii_alphanumeric(),
        // Latin-1 letters (but × and ÷), Latin Extended-A and -B, and the
        // Latin Extended Additional block of Vietnamese (`ệ`, `ở`): all
        // letters, without the slow Unicode table look-up.
        0xC0..=0x24F => c != '×' && c != '÷',
        0x1E00..=0x1EFF => true,
        _ => c.is_alphanumeric() || is_mark(c),
    }
}

/// Split `text` into pieces (see the module doc). Linear time.
pub fn pieces(text: &str) -> Vec<Piece> {
    Pieces::new(text).collect()
}

/// The pieces of a text, one at a time (see [`pieces`]); allocates only
/// for the parts of one compound.
pub struct Pieces<'a> {
    text: &'a str,
    /// Byte offset of the next unread char.
    at: usize,
    /// Whether only white space has been seen since the last syllable.
    joined: bool,
    /// Pieces of the current compound not yet returned, in reverse order.
    pending: Vec<Piece>,
    /// Parts of the compound being read (reused).
    parts: Vec<(usize, usize)>,
}

impl<'a> Pieces<'a> {
    /// The pieces of `text`.
    pub fn new(text: &'a str) -> Self {
        Pieces {
            text,
            at: 0,
            joined: false,
            pending: Vec::new(),
            parts: Vec::new(),
        }
    }

    /// Reads the next compound into `pending`; false at the end of the text.
    fn fill(&mut self) -> bool {
        let text = self.text;
        let mut it = text[self.at..]
            .char_indices()
            .map(|(i, c)| (i + self.at, c))
            .peekable();
        while let Some(&(i, c)) = it.peek() {
            if !is_word_char(c) {
                it.next();
                if !c.is_whitespace() {
                    self.joined = false;
                }
                continue;
            }
            // A compound: words separated by single '-' or '/'.
            let start = i;
            self.parts.clear();
            let mut has_digit = false;
            let mut has_alpha = false;
            let mut ws = i;
            let mut end = i;
            loop {
                // Read one word.
                while let Some(&(j, d)) = it.peek() {
                    if is_word_char(d) {
                        match u32::from(d) {
                            0..=0x7F => {
                                has_digit |= d.is_ascii_digit();
                                has_alpha |= d.is_ascii_alphabetic();
                            }
                            // Letters only (see `is_word_char`).
                            0xC0..=0x24F | 0x1E00..=0x1EFF => has_alpha = true,
                            _ => {
                                has_digit |= d.is_numeric();
                                has_alpha |= d.is_alphabetic();
                            }
                        }
                        end = j + d.len_utf8();
                        it.next();
                    } else {
                        break;
                    }
                }
                self.parts.push((ws, end));
                // A joiner followed by a word char continues the compound.
                match it.peek() {
                    Some(&(j, '-' | '/')) => {
                        let next = text[j + 1..].chars().next();
                        if next.is_some_and(is_word_char) {
                            it.next();
                            ws = j + 1;
                            continue;
                        }
                        break;
                    }
                    _ => break,
                }
            }
            self.at = end;
            self.pending.clear();
            for (k, &(s, e)) in self.parts.iter().enumerate().rev() {
                self.pending.push(Piece {
                    start: s,
                    end: e,
                    whole: false,
                    joined: if k == 0 { self.joined } else { false },
                });
            }
            if self.parts.len() > 1 && has_digit && has_alpha {
                self.pending.push(Piece {
                    start,
                    end,
                    whole: true,
                    joined: false,
                });
            }
            self.joined = self.parts.len() == 1;
            return true;
        }
        self.at = text.len();
        false
    }
}

impl Iterator for Pieces<'_> {
    type Item = Piece;
    fn next(&mut self) -> Option<Piece> {
        if self.pending.is_empty() && !self.fill() {
            return None;
        }
        self.pending.pop()
    }
}

/// Lower-case, diacritic-free form of `s` appended to `out` (`Đảng` → `dang`).
pub fn fold_into(s: &str, out: &mut String) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        fold_char(c, out);
    }
}

/// Folded forms of U+0080..U+2000 (Latin, Greek, Cyrillic, Vietnamese),
/// computed once; `'\0'` = no output (a combining mark), `'\u{1}'` = not a
/// single char (slow path).
fn table() -> &'static [char] {
    static T: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        (0x80u32..0x2000)
            .map(|u| {
                let Some(c) = char::from_u32(u) else {
                    return '\u{1}';
                };
                let mut s = String::new();
                fold_char_slow(c, &mut s);
                let mut it = s.chars();
                match (it.next(), it.next()) {
                    (None, _) => '\0',
                    (Some(x), None) => x,
                    _ => '\u{1}',
                }
            })
            .collect()
    })
}

fn fold_char(c: char, out: &mut String) {
    let u = c as u32;
    if u < 0x80 {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if u < 0x2000 {
        match table().get((u - 0x80) as usize).copied() {
            Some('\0') => return,
            Some('\u{1}') | None => {}
            Some(x) => {
                out.push(x);
                return;
            }
        }
    }
    for l in c.to_lowercase() {
        fold_char_slow(l, out);
    }
}

fn fold_char_slow(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if is_mark(c) {
        return;
    }
    if matches!(c, 'đ' | 'Đ' | 'ð' | 'Ð') {
        out.push('d');
        return;
    }
    let lower: Vec<char> = c.to_lowercase().collect();
    for c in lower {
        if is_mark(c) {
            continue;
        }
        let mut base = None;
        decompose_canonical(c, |d| {
            if base.is_none() && !is_mark(d) {
                base = Some(d);
            }
        });
        let base = base.unwrap_or(c);
        if base == c {
            out.push(c);
        } else {
            for l in base.to_lowercase() {
                if !is_mark(l) {
                    out.push(l);
                }
            }
        }
    }
}

/// Lower-case, diacritic-free form of `s` (`Bảo vệ` → `bao ve`).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

const A_TONES: [char; 5] = ['à', 'á', 'ả', 'ã', 'ạ'];
const E_TONES: [char; 5] = ['è', 'é', 'ẻ', 'ẽ', 'ẹ'];
const Y_TONES: [char; 5] = ['ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'];
const O_TONES: [char; 5] = ['ò', 'ó', 'ỏ', 'õ', 'ọ'];
const U_TONES: [char; 5] = ['ù', 'ú', 'ủ', 'ũ', 'ụ'];

/// The exact form of one token: NFC, lower case, canonical tone placement.
pub fn exact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    exact_into(s, &mut out);
    out
}

/// [`exact`] appended to `out` (no allocation once `out` is large enough).
pub fn exact_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    let start = out.len();
    let lower = |c: char, out: &mut String| {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    };
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        for c in s.chars() {
            lower(c, out);
        }
    } else {
        for c in s.nfc() {
            lower(c, out);
        }
    }
    canonical_tone(out, start);
}

/// `oà oá… oè… uỳ…` at the end of a lower-case syllable (`out[start..]`,
/// not after `q`) put the tone on the first vowel, as `vanban-text`'s
/// matching view does.
fn canonical_tone(out: &mut String, start: usize) {
    let s = &out[start..];
    let mut rev = s.chars().rev();
    let (Some(last), Some(prev)) = (rev.next(), rev.next()) else {
        return;
    };
    let before = rev.next();
    let tone = |set: &[char; 5]| set.iter().position(|&t| t == last);
    let (first_set, plain) = match prev {
        'o' => match (tone(&A_TONES), tone(&E_TONES)) {
            (Some(t), _) => ((O_TONES, t), 'a'),
            (_, Some(t)) => ((O_TONES, t), 'e'),
            _ => return,
        },
        'u' if before != Some('q') => match tone(&Y_TONES) {
            Some(t) => ((U_TONES, t), 'y'),
            None => return,
        },
        _ => return,
    };
    let (set, t) = first_set;
    let cut = out.len() - last.len_utf8() - prev.len_utf8();
    out.truncate(cut);
    out.push(set[t]);
    out.push(plain);
}

/// Which form a [`ViTokenizer`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Exact syllables and whole references.
    Exact,
    /// Folded syllables, whole references and bigrams.
    Folded,
}

/// The analysed tokens of `text` in `mode`, offsets into `text`.
pub fn tokens(text: &str, mode: Mode) -> Vec<Token> {
    let mut stream = ViTokenStream::new(text, mode);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token.clone());
    }
    out
}

/// The tantivy tokenizer for one [`Mode`].
#[derive(Debug, Clone, Copy)]
pub struct ViTokenizer(pub Mode);

/// The token stream of a [`ViTokenizer`]: tokens are produced one at a
/// time into one reused [`Token`] (no allocation per token once its
/// buffers have grown).
pub struct ViTokenStream<'a> {
    text: &'a str,
    pieces: Pieces<'a>,
    mode: Mode,
    token: Token,
    /// Position of the last syllable.
    position: usize,
    /// Whether a token was produced already.
    started: bool,
    /// A whole compound was just produced: its first part shares its position.
    whole_pending: bool,
    /// Folded form of the last syllable, and its start, when a bigram may
    /// join it to the next one.
    prev: Option<usize>,
    prev_form: String,
    /// Form of the current piece.
    form: String,
    /// A syllable still to produce after its bigram.
    queued: Option<Piece>,
}

impl<'a> ViTokenStream<'a> {
    fn new(text: &'a str, mode: Mode) -> Self {
        ViTokenStream {
            text,
            pieces: Pieces::new(text),
            mode,
            token: Token::default(),
            position: 0,
            started: false,
            whole_pending: false,
            prev: None,
            prev_form: String::new(),
            form: String::new(),
            queued: None,
        }
    }

    fn set(&mut self, from: usize, to: usize, text: &str) {
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.position;
        self.token.position_length = 1;
        self.token.text.clear();
        self.token.text.push_str(text);
    }

    /// Produces the syllable `p` whose form is in `self.form`.
    fn syllable(&mut self, p: Piece) {
        let form = std::mem::take(&mut self.form);
        self.set(p.start, p.end, &form);
        self.form = form;
        if self.mode == Mode::Folded {
            std::mem::swap(&mut self.prev_form, &mut self.form);
            self.prev = Some(p.start);
        }
    }
}

impl Tokenizer for ViTokenizer {
    type TokenStream<'a> = ViTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> ViTokenStream<'a> {
        ViTokenStream::new(text, self.0)
    }
}

impl TokenStream for ViTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some(p) = self.queued.take() {
            self.syllable(p);
            return true;
        }
        let Some(p) = self.pieces.next() else {
            return false;
        };
        let raw = &self.text[p.start..p.end];
        self.form.clear();
        match self.mode {
            Mode::Exact => exact_into(raw, &mut self.form),
            Mode::Folded if p.whole => fold_into(&exact(raw).replace("/tư", "/tw"), &mut self.form),
            Mode::Folded => fold_into(raw, &mut self.form),
        }
        if p.whole {
            let form = std::mem::take(&mut self.form);
            self.set(p.start, p.end, &form);
            self.form = form;
            self.started = true;
            self.whole_pending = true;
            self.prev = None;
            return true;
        }
        if self.whole_pending {
            // The first part shares the whole's position.
            self.whole_pending = false;
        } else if self.started {
            self.position += 1;
        }
        self.started = true;
        if let (Mode::Folded, true, Some(prev_start)) = (self.mode, p.joined, self.prev) {
            self.token.offset_from = prev_start;
            self.token.offset_to = p.end;
            self.token.position = self.position;
            self.token.position_length = 1;
            self.token.text.clear();
            self.token.text.push_str(&self.prev_form);
            self.token.text.push(' ');
            self.token.text.push_str(&self.form);
            self.queued = Some(p);
            return true;
        }
        self.syllable(p);
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(s: &str, m: Mode) -> Vec<String> {
        tokens(s, m).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn syllables_lower_case() {
        assert_eq!(
            texts("Bảo vệ chính trị, nội bộ.", Mode::Exact),
            ["bảo", "vệ", "chính", "trị", "nội", "bộ"]
        );
    }

    #[test]
    fn word_chars_fast_path_agrees_with_unicode() {
        for u in 0..0x2000u32 {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(
                    is_word_char(c),
                    c.is_alphanumeric() || is_mark(c),
                    "U+{u:04X}"
                );
            }
        }
    }

    #[test]
    fn folding() {
        assert_eq!(fold("Đảng Cộng sản Việt Nam"), "dang cong san viet nam");
        assert_eq!(fold("ĐẮK LẮK"), "dak lak");
        assert_eq!(fold("Nghị định"), "nghi dinh");
        // Decomposed input folds the same.
        let nfd: String = "Nghị định".nfd().collect();
        assert_eq!(fold(&nfd), "nghi dinh");
    }

    #[test]
    fn tone_placement() {
        assert_eq!(exact("hoà"), "hòa");
        assert_eq!(exact("Thuỷ"), "thủy");
        assert_eq!(exact("KHOẺ"), "khỏe");
        assert_eq!(exact("quý"), "quý");
        assert_eq!(exact("hoàn"), "hoàn");
        assert_eq!(exact("hòa"), "hòa");
        let nfd: String = "hoà".nfd().collect();
        assert_eq!(exact(&nfd), "hòa");
    }

    #[test]
    fn references_kept_whole() {
        assert_eq!(
            texts("Quy định 126-QĐ/TW ngày", Mode::Exact),
            ["quy", "định", "126-qđ/tw", "126", "qđ", "tw", "ngày"]
        );
        assert_eq!(
            texts("số 30/2020/NĐ-CP", Mode::Folded),
            ["so", "30/2020/nd-cp", "30", "2020", "nd", "cp"]
        );
        assert_eq!(texts("126-QĐ/TƯ", Mode::Folded)[0], "126-qd/tw");
        // Dates have no letter: parts only.
        assert_eq!(texts("28/02/2018", Mode::Exact), ["28", "02", "2018"]);
        let t = tokens("Quy định 126-QĐ/TW", Mode::Exact);
        assert_eq!(t[2].position, t[3].position);
        assert_eq!(
            &"Quy định 126-QĐ/TW"[t[2].offset_from..t[2].offset_to],
            "126-QĐ/TW"
        );
    }

    #[test]
    fn bigrams_within_a_phrase() {
        assert_eq!(
            texts("Bảo vệ, chính trị", Mode::Folded),
            ["bao", "bao ve", "ve", "chinh", "chinh tri", "tri"]
        );
        let t = tokens("Bảo vệ", Mode::Folded);
        assert_eq!((t[1].offset_from, t[1].offset_to), (0, "Bảo vệ".len()));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            for m in [Mode::Exact, Mode::Folded] {
                for t in tokens(&s, m) {
                    prop_assert!(s.is_char_boundary(t.offset_from) && s.is_char_boundary(t.offset_to));
                    prop_assert!(t.offset_from <= t.offset_to);
                }
            }
        }

        #[test]
        fn fold_idempotent(s in "\\PC*") {
            let f = fold(&s);
            prop_assert_eq!(fold(&f), f.clone());
        }

        #[test]
        fn vietnamese_never_panics(s in "[a-zA-ZàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĐ0-9 /\\-.,]{0,60}") {
            let _ = tokens(&s, Mode::Folded);
            let f = fold(&s);
            prop_assert_eq!(fold(&f), f.clone());
        }
    }
}
