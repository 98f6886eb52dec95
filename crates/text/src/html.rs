//! HTML to visible text: a hand-written, streaming, tolerant tokenizer.
//!
//! One pass over the input, no tree, no recursion, no backtracking: every
//! byte is looked at a bounded number of times (`memchr` finds `<` and `&` in
//! text, closing quotes in attributes, and the end of comments and raw-text
//! elements), so time is linear and memory is the output.
//!
//! - Not content: `<script>`, `<style>`, `<noscript>`, `<template>`,
//!   `<textarea>`, `<title>`, `<iframe>`, `<svg>`, `<math>` (skipped up to
//!   their end tag), comments, CDATA, doctype and processing instructions,
//!   and text inside `<head>`.
//! - Publication dates are read on the way: `<meta property|name|itemprop=…
//!   content=…>` (see [`crate::published::is_date_meta`]) and the first
//!   `<time datetime=…>`.
//! - Entities: named (HTML 4 + Vietnamese Latin Extended-A), decimal, hex;
//!   unknown or malformed references are left as written.
//! - Block elements become line breaks; runs of whitespace (and NBSP) within
//!   a line become one space; lines are trimmed; at most one empty line in a
//!   row (from `<br>`); no leading or trailing empty lines.
//! - Offsets: the map has an anchor wherever the output/input distance
//!   changes, so it is exact at every text run, word and entity start, and
//!   approximate only inside a decoded entity or a collapsed space.

use crate::entities;
use crate::offsets::OffsetMap;
use crate::published::{is_date_meta, parse_value, Found};

/// The result of [`to_text`].
#[derive(Debug, Clone, Default)]
pub struct HtmlText {
    /// Visible text.
    pub text: String,
    /// From `text` back to the HTML source.
    pub map: OffsetMap,
    /// Publication date from a `<meta>` tag.
    pub meta_date: Option<Found>,
    /// Date of the first `<time datetime>`.
    pub time_date: Option<Found>,
    /// The first `"datePublished"` of a `<script>` (JSON-LD,
    /// `application/ld+json`).
    pub ld_date: Option<Found>,
}

/// Output builder: whitespace collapsing, line breaks, offset anchors.
struct Out {
    text: String,
    map: OffsetMap,
    pending_space: bool,
    /// Current line has no content yet.
    line_empty: bool,
    /// Number of '\n' at the end of `text`.
    newlines: u8,
}

impl Out {
    fn new(cap: usize) -> Self {
        Out {
            text: String::with_capacity(cap),
            map: OffsetMap::new(),
            pending_space: false,
            line_empty: true,
            newlines: 0,
        }
    }

    #[inline]
    fn before_content(&mut self, in_off: usize) {
        if self.pending_space && !self.line_empty {
            self.text.push(' ');
        }
        self.pending_space = false;
        self.line_empty = false;
        self.newlines = 0;
        self.map.push(self.text.len(), in_off);
    }

    /// Raw text (no markup, no entities) found at input offset `in_off`.
    fn run(&mut self, s: &str, in_off: usize) {
        let b = s.as_bytes();
        // Fast path: only single spaces inside (the common case in a
        // paragraph): copy the run at once, one anchor.
        let inner = s.trim_matches(' ');
        if !inner.is_empty()
            && memchr::memchr3(b'\n', b'\t', b'\r', b).is_none()
            && memchr::memchr2(0x0C, 0xC2, b).is_none()
            && memchr::memmem::find(inner.as_bytes(), b"  ").is_none()
        {
            let lead = s.len() - s.trim_start_matches(' ').len();
            if lead > 0 {
                self.pending_space = true;
            }
            self.before_content(in_off + lead);
            self.text.push_str(inner);
            if inner.len() + lead < s.len() {
                self.pending_space = true;
            }
            return;
        }
        self.run_slow(s, in_off);
    }

    /// The general case of [`run`](Self::run): word by word.
    fn run_slow(&mut self, s: &str, in_off: usize) {
        let b = s.as_bytes();
        let n = b.len();
        let mut i = 0;
        while i < n {
            // whitespace
            let c = b[i];
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0C) {
                self.pending_space = true;
                i += 1;
                continue;
            }
            if c == 0xC2 && i + 1 < n && b[i + 1] == 0xA0 {
                self.pending_space = true;
                i += 2;
                continue;
            }
            // a word: up to the next whitespace
            let start = i;
            while i < n {
                let c = b[i];
                if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0C)
                    || (c == 0xC2 && i + 1 < n && b[i + 1] == 0xA0)
                {
                    break;
                }
                i += 1;
            }
            self.before_content(in_off + start);
            // `start` and `i` are char boundaries: we only stopped at ASCII
            // bytes or at the lead byte of NBSP.
            if let Some(w) = s.get(start..i) {
                self.text.push_str(w);
            }
        }
    }

    /// One decoded character from a reference spanning `in_start..in_end`.
    fn entity(&mut self, c: char, in_start: usize, in_end: usize) {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0C}' | '\u{A0}') {
            self.pending_space = true;
            return;
        }
        self.before_content(in_start);
        self.text.push(c);
        self.map.push(self.text.len(), in_end);
    }

    /// A block boundary: end the current line if it has content.
    fn block(&mut self) {
        if !self.line_empty {
            self.text.push('\n');
            self.newlines = 1;
            self.line_empty = true;
        }
        self.pending_space = false;
    }

    /// `<br>`: a line break, allowing one empty line.
    fn br(&mut self) {
        if !self.line_empty {
            self.block();
        } else if self.newlines == 1 {
            self.text.push('\n');
            self.newlines = 2;
        }
        self.pending_space = false;
    }

    fn finish(mut self, in_len: usize) -> (String, OffsetMap) {
        while self.text.ends_with('\n') {
            self.text.pop();
        }
        self.map.set_input_len(in_len);
        (self.text, self.map)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TagKind {
    Block,
    Br,
    Raw,
    Head,
    Body,
    Meta,
    Time,
    /// Allowed inside `<head>` without ending it.
    HeadItem,
    Other,
}

fn classify(name: &[u8]) -> TagKind {
    let mut buf = [0u8; 12];
    if name.len() > buf.len() {
        return TagKind::Other;
    }
    for (d, s) in buf.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    match &buf[..name.len()] {
        b"p" | b"div" | b"li" | b"ul" | b"ol" | b"tr" | b"td" | b"th" | b"h1" | b"h2" | b"h3"
        | b"h4" | b"h5" | b"h6" | b"article" | b"section" | b"header" | b"footer" | b"table"
        | b"blockquote" | b"pre" | b"hr" | b"figure" | b"figcaption" | b"dd" | b"dt" | b"dl"
        | b"nav" | b"aside" | b"main" | b"form" | b"caption" | b"thead" | b"tbody" | b"tfoot"
        | b"address" | b"fieldset" | b"legend" | b"details" | b"summary" | b"center"
        | b"option" | b"dialog" | b"menu" | b"html" => TagKind::Block,
        b"br" => TagKind::Br,
        b"script" | b"style" | b"noscript" | b"template" | b"textarea" | b"title" | b"iframe"
        | b"svg" | b"math" | b"xmp" | b"noembed" | b"noframes" | b"object" | b"select" => {
            TagKind::Raw
        }
        b"head" => TagKind::Head,
        b"body" => TagKind::Body,
        b"meta" => TagKind::Meta,
        b"time" => TagKind::Time,
        b"link" | b"base" => TagKind::HeadItem,
        _ => TagKind::Other,
    }
}

#[inline]
fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0C)
}

/// Finds the end of a raw-text element: the index just after the `>` of the
/// first `</name` (case-insensitive), or the end of input.
fn skip_raw(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(k) = memchr::memchr(b'<', &b[i.min(b.len())..]) {
        let lt = i + k;
        let after = lt + 2 + name.len();
        if b.get(lt + 1) == Some(&b'/')
            && b.get(lt + 2..after)
                .is_some_and(|t| t.eq_ignore_ascii_case(name))
            && b.get(after)
                .is_none_or(|&c| is_ws(c) || c == b'>' || c == b'/')
        {
            return match memchr::memchr(b'>', &b[after.min(b.len())..]) {
                Some(g) => after + g + 1,
                None => b.len(),
            };
        }
        i = lt + 1;
    }
    b.len()
}

/// Parsed attributes we care about.
#[derive(Default)]
struct Attrs<'a> {
    key: Option<&'a str>,
    content: Option<&'a str>,
    datetime: Option<&'a str>,
    class: Option<&'a str>,
    id: Option<&'a str>,
}

/// How a block element's `class` / `id` marks it as page chrome.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ChromeKind {
    /// Navigation, menus, breadcrumbs, top bars, logos, footers: never content.
    Hard,
    /// A site header (`class="header"`): chrome up to the first heading,
    /// `<time>` or date-like text, which may be the article's own header.
    Header,
}

/// Words (between `-`, `_` and spaces of a class or id, ASCII case ignored)
/// that mark navigation and site chrome.
const CHROME_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "topbar",
    "topnav",
    "menu",
    "mainmenu",
    "topmenu",
    "megamenu",
    "breadcrumb",
    "breadcrumbs",
    "footer",
    "logo",
];

/// Words that make a `header` an article's own header (title, date).
const ARTICLE_WORDS: &[&str] = &[
    "article", "post", "entry", "story", "detail", "news", "title", "content", "main", "body",
];

/// The chrome kind of an element from its `class` and `id` values.
fn chrome_kind(values: [Option<&str>; 2]) -> Option<ChromeKind> {
    let mut header = false;
    let mut article = false;
    for v in values.into_iter().flatten() {
        if v.len() > 512 {
            continue;
        }
        for word in v.split(|c: char| c.is_ascii_whitespace() || c == '-' || c == '_') {
            let is = |list: &[&str]| list.iter().any(|w| word.eq_ignore_ascii_case(w));
            if is(CHROME_WORDS) {
                return Some(ChromeKind::Hard);
            }
            if word.eq_ignore_ascii_case("header") || word.eq_ignore_ascii_case("masthead") {
                header = true;
            }
            if is(ARTICLE_WORDS) {
                article = true;
            }
        }
        // `top-bar`, `site-nav` written apart are caught above; `topBar`:
        if v.eq_ignore_ascii_case("topbar") {
            return Some(ChromeKind::Hard);
        }
    }
    (header && !article).then_some(ChromeKind::Header)
}

/// An element being skipped as chrome: its tag name, the nesting depth of
/// that name inside it, and its kind.
struct Skip {
    name: [u8; 12],
    len: usize,
    depth: u32,
    kind: ChromeKind,
}

impl Skip {
    fn is(&self, name: &[u8]) -> bool {
        self.name[..self.len].eq_ignore_ascii_case(name)
    }
}

/// Elements whose end tag is required: only these are skipped as chrome (an
/// optional end tag, `<li>` or `<p>`, could not be matched reliably).
const SKIPPABLE: &[&str] = &[
    "div", "nav", "header", "footer", "ul", "ol", "section", "aside", "menu", "table", "form",
];

/// Starts a skip when a block element is chrome: `<nav>`, or a class / id
/// naming navigation, a menu, a breadcrumb, a top bar, a logo, a footer or a
/// site header.
fn chrome_start(name: &[u8], attrs: &Attrs) -> Option<Skip> {
    if name.len() > 12
        || !SKIPPABLE
            .iter()
            .any(|t| name.eq_ignore_ascii_case(t.as_bytes()))
    {
        return None;
    }
    let kind = if name.eq_ignore_ascii_case(b"nav") {
        ChromeKind::Hard
    } else {
        chrome_kind([attrs.class, attrs.id])?
    };
    let mut buf = [0u8; 12];
    buf[..name.len()].copy_from_slice(name);
    Some(Skip {
        name: buf,
        len: name.len(),
        depth: 0,
        kind,
    })
}

/// Whether a text run is visible: not inside a skipped element, except that a
/// date-like run (`Cập nhật lúc 16:20, 18/03/2025`) ends a site header's skip.
fn visible_run(skip: &mut Option<Skip>, run: &str, out: &mut Out) -> bool {
    match skip {
        None => true,
        Some(sk) if sk.kind == ChromeKind::Header && has_date_like(run) => {
            *skip = None;
            out.block();
            true
        }
        Some(_) => false,
    }
}

/// True when `s` looks like a date line (`18/03/2025`, `15-3-2019`): a digit,
/// `/` or `-`, a digit. Used to end a site header's skip.
fn has_date_like(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr2_iter(b'/', b'-', b).any(|i| {
        i > 0 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(|c| c.is_ascii_digit())
    })
}

/// Parses a start tag's attributes from `i` (just after the name). Returns
/// the index after `>` or None at end of input (the tag is dropped).
fn parse_attrs<'a>(s: &'a str, mut i: usize, want: bool, attrs: &mut Attrs<'a>) -> Option<usize> {
    let b = s.as_bytes();
    let n = b.len();
    loop {
        while i < n && (is_ws(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if i >= n {
            return None;
        }
        if b[i] == b'>' {
            return Some(i + 1);
        }
        let ns = i;
        i += 1;
        while i < n && !is_ws(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = &b[ns..i];
        while i < n && is_ws(b[i]) {
            i += 1;
        }
        let mut value: Option<(usize, usize)> = None;
        if i < n && b[i] == b'=' {
            i += 1;
            while i < n && is_ws(b[i]) {
                i += 1;
            }
            if i >= n {
                return None;
            }
            let q = b[i];
            if q == b'"' || q == b'\'' {
                let close = memchr::memchr(q, &b[i + 1..])?;
                value = Some((i + 1, i + 1 + close));
                i = i + 1 + close + 1;
            } else {
                let vs = i;
                while i < n && !is_ws(b[i]) && b[i] != b'>' {
                    i += 1;
                }
                value = Some((vs, i));
            }
        }
        if want {
            if let Some((vs, ve)) = value {
                let v = s.get(vs..ve);
                if name.eq_ignore_ascii_case(b"class") {
                    attrs.class = v;
                } else if name.eq_ignore_ascii_case(b"id") {
                    attrs.id = v;
                } else if name.eq_ignore_ascii_case(b"content") {
                    attrs.content = v;
                } else if name.eq_ignore_ascii_case(b"datetime") {
                    attrs.datetime = v;
                } else if (name.eq_ignore_ascii_case(b"property")
                    || name.eq_ignore_ascii_case(b"name")
                    || name.eq_ignore_ascii_case(b"itemprop"))
                    && v.is_some_and(is_date_meta)
                {
                    attrs.key = v;
                }
            }
        }
    }
}

/// Decodes a character reference at `b[i] == '&'`. Returns the char and the
/// index after the reference, or None (then `&` is literal).
fn parse_ref(s: &str, i: usize) -> Option<(char, usize)> {
    let b = s.as_bytes();
    let mut j = i + 1;
    if b.get(j) == Some(&b'#') {
        j += 1;
        let hex = matches!(b.get(j), Some(b'x' | b'X'));
        if hex {
            j += 1;
        }
        let ds = j;
        let mut v: u32 = 0;
        while let Some(&c) = b.get(j) {
            let d = if hex {
                (c as char).to_digit(16)
            } else {
                (c as char).to_digit(10)
            };
            let Some(d) = d else { break };
            v = v
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d);
            j += 1;
        }
        if j == ds {
            return None;
        }
        if b.get(j) == Some(&b';') {
            j += 1;
        }
        let c = match v {
            0x80..=0x9F => char::from_u32(entities::WINDOWS_1252[(v - 0x80) as usize]),
            0 => None,
            _ => char::from_u32(v),
        }
        .unwrap_or('\u{FFFD}');
        return Some((c, j));
    }
    let ns = j;
    while j < b.len() && j - ns < 32 && b[j].is_ascii_alphanumeric() {
        j += 1;
    }
    if j == ns {
        return None;
    }
    let name = s.get(ns..j)?;
    if b.get(j) == Some(&b';') {
        return entities::named(name).map(|c| (c, j + 1));
    }
    if entities::legacy_without_semicolon(name) {
        return entities::named(&name.to_ascii_lowercase()).map(|c| (c, j));
    }
    None
}

/// Converts HTML source to visible text (see the module doc).
pub fn to_text(s: &str) -> HtmlText {
    let b = s.as_bytes();
    let n = b.len();
    let mut out = Out::new(n / 2);
    let mut meta_date: Option<Found> = None;
    let mut time_date: Option<Found> = None;
    let mut ld_date: Option<Found> = None;
    let mut in_head = false;
    // A chrome element being skipped (navigation, menu, site header…).
    let mut skip: Option<Skip> = None;
    let mut i = 0;
    while i < n {
        let Some(k) = memchr::memchr2(b'<', b'&', &b[i..]) else {
            if !in_head && visible_run(&mut skip, &s[i..], &mut out) {
                out.run(&s[i..], i);
            }
            break;
        };
        let p = i + k;
        if p > i && !in_head && visible_run(&mut skip, &s[i..p], &mut out) {
            out.run(&s[i..p], i);
        }
        if b[p] == b'&' {
            match parse_ref(s, p) {
                Some((c, end)) => {
                    if !in_head && skip.is_none() {
                        out.entity(c, p, end);
                    }
                    i = end;
                }
                None => {
                    if !in_head && skip.is_none() {
                        out.run("&", p);
                    }
                    i = p + 1;
                }
            }
            continue;
        }
        // b[p] == '<'
        let next = b.get(p + 1).copied();
        match next {
            Some(b'!') => {
                if b[p..].starts_with(b"<!--") {
                    let body = p + 4;
                    if b.get(body) == Some(&b'>') {
                        i = body + 1;
                    } else if b[body.min(n)..].starts_with(b"->") {
                        i = body + 2;
                    } else {
                        i = match memchr::memmem::find(&b[body.min(n)..], b"-->") {
                            Some(e) => body + e + 3,
                            None => n,
                        };
                    }
                } else if b[p..].starts_with(b"<![CDATA[") {
                    i = match memchr::memmem::find(&b[p + 9..], b"]]>") {
                        Some(e) => p + 9 + e + 3,
                        None => n,
                    };
                } else {
                    i = match memchr::memchr(b'>', &b[p..]) {
                        Some(e) => p + e + 1,
                        None => n,
                    };
                }
            }
            Some(b'?') => {
                i = match memchr::memchr(b'>', &b[p..]) {
                    Some(e) => p + e + 1,
                    None => n,
                };
            }
            Some(b'/') => {
                let ns = p + 2;
                if b.get(ns).is_some_and(|c| c.is_ascii_alphabetic()) {
                    let mut j = ns;
                    while j < n && !is_ws(b[j]) && b[j] != b'/' && b[j] != b'>' {
                        j += 1;
                    }
                    let name = &b[ns..j];
                    if let Some(sk) = &mut skip {
                        if sk.is(name) {
                            if sk.depth == 0 {
                                skip = None;
                            } else {
                                sk.depth -= 1;
                            }
                        }
                    }
                    match classify(name) {
                        TagKind::Block => out.block(),
                        TagKind::Br => out.br(),
                        TagKind::Head => in_head = false,
                        _ => {}
                    }
                }
                // skip to '>' (end-tag attributes are ignored)
                i = match memchr::memchr(b'>', &b[p..]) {
                    Some(e) => p + e + 1,
                    None => n,
                };
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let ns = p + 1;
                let mut j = ns;
                while j < n && !is_ws(b[j]) && b[j] != b'/' && b[j] != b'>' {
                    j += 1;
                }
                let name = &b[ns..j];
                let kind = classify(name);
                let want = matches!(kind, TagKind::Meta | TagKind::Time | TagKind::Block);
                let mut attrs = Attrs::default();
                let Some(after) = parse_attrs(s, j, want, &mut attrs) else {
                    break; // end of input inside a tag: the tag is dropped
                };
                i = after;
                if let Some(sk) = &mut skip {
                    if sk.is(name) {
                        sk.depth = sk.depth.saturating_add(1);
                    }
                    // The article starts: a skip never runs past it (an
                    // unclosed chrome element must not eat the page); a site
                    // header ends at its first heading or `<time>`.
                    let ends = ["h1", "article", "main"]
                        .iter()
                        .any(|t| name.eq_ignore_ascii_case(t.as_bytes()))
                        || (sk.kind == ChromeKind::Header
                            && (kind == TagKind::Time
                                || ["h2", "h3"]
                                    .iter()
                                    .any(|t| name.eq_ignore_ascii_case(t.as_bytes()))));
                    if ends {
                        skip = None;
                    }
                }
                if skip.is_none() && kind == TagKind::Block && !b[..after].ends_with(b"/>") {
                    skip = chrome_start(name, &attrs);
                }
                match kind {
                    TagKind::Block => {
                        in_head = false;
                        out.block();
                    }
                    TagKind::Br => {
                        in_head = false;
                        out.br();
                    }
                    TagKind::Raw => {
                        // Raw-text elements never end <head> (script, style…).
                        i = skip_raw(b, after, name);
                        if ld_date.is_none() && name.eq_ignore_ascii_case(b"script") {
                            ld_date = json_ld_date(&b[after.min(i)..i]);
                        }
                    }
                    TagKind::Head => in_head = true,
                    TagKind::Body => in_head = false,
                    TagKind::Meta => {
                        if meta_date.is_none() && attrs.key.is_some() {
                            meta_date = attrs.content.and_then(parse_value);
                        }
                    }
                    TagKind::Time => {
                        in_head = false;
                        if time_date.is_none() {
                            time_date = attrs.datetime.and_then(parse_value);
                        }
                    }
                    TagKind::HeadItem => {}
                    TagKind::Other => in_head = false,
                }
            }
            _ => {
                // a literal '<'
                if !in_head && skip.is_none() {
                    out.run("<", p);
                }
                i = p + 1;
            }
        }
    }
    let (text, map) = out.finish(n);
    HtmlText {
        text,
        map,
        meta_date,
        time_date,
        ld_date,
    }
}

/// The value of the first `"datePublished": "…"` in a script's body (JSON-LD
/// as sites write it; a key with escaped quotes or a non-string value is
/// passed over). Linear: one `memmem` pass, and each value is read up to its
/// closing quote within a bounded window.
fn json_ld_date(body: &[u8]) -> Option<Found> {
    const KEY: &[u8] = b"\"datePublished\"";
    const MAX_VALUE: usize = 64;
    for k in memchr::memmem::find_iter(body, KEY) {
        let mut j = k + KEY.len();
        while j < body.len() && is_ws(body[j]) {
            j += 1;
        }
        if body.get(j) != Some(&b':') {
            continue;
        }
        j += 1;
        while j < body.len() && is_ws(body[j]) {
            j += 1;
        }
        if body.get(j) != Some(&b'"') {
            continue;
        }
        let start = j + 1;
        let window = &body[start.min(body.len())..body.len().min(start + MAX_VALUE)];
        let Some(end) = memchr::memchr(b'"', window) else {
            continue;
        };
        if let Some(found) = std::str::from_utf8(&window[..end])
            .ok()
            .and_then(parse_value)
        {
            return Some(found);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> String {
        to_text(s).text
    }

    #[test]
    fn blocks_and_whitespace() {
        assert_eq!(t("<p>Một   hai\n ba</p><p> bốn </p>"), "Một hai ba\nbốn");
        assert_eq!(t("<div><span>a</span><b>b</b></div>c"), "ab\nc");
        assert_eq!(t("a<br>b<br><br><br><br>c"), "a\nb\n\nc");
        assert_eq!(t("<ul><li>x</li><li>y</li></ul>"), "x\ny");
        assert_eq!(
            t("<h1>T</h1><table><tr><td>1</td><td>2</td></tr></table>"),
            "T\n1\n2"
        );
    }

    #[test]
    fn hidden_content() {
        let h = "<html><head><title>Tiêu đề</title><style>p{}</style></head><body>\
                 <script>var x = '<p>Quyết định 9-QĐ/TW</p>';</script><p>Nội dung</p>\
                 <noscript>bật JS</noscript><template><p>mẫu</p></template><!-- ghi chú <p>x</p> -->\
                 <![CDATA[ dữ liệu ]]><p>hết</p></body></html>";
        assert_eq!(t(h), "Nội dung\nhết");
    }

    #[test]
    fn entities() {
        assert_eq!(
            t("&agrave;&ecirc;&ocirc;&Dstrok;&dstrok;&abreve;&utilde;"),
            "àêôĐđăũ"
        );
        assert_eq!(t("&#7897;&#x1EA1;&#X1ea1;&quot;x&quot;&amp;"), "ộạạ\"x\"&");
        assert_eq!(
            t("AT&T &bogus; &#; &#xZZ; a & b &amp"),
            "AT&T &bogus; &#; &#xZZ; a & b &"
        );
        assert_eq!(t("a&nbsp;&nbsp;b"), "a b");
        assert_eq!(t("&#0;&#1114112;&#150;"), "\u{FFFD}\u{FFFD}–");
        assert_eq!(t("&lt;p&gt;"), "<p>");
    }

    #[test]
    fn broken_html() {
        assert_eq!(t("a < b and c<d"), "a < b and c");
        assert_eq!(t("<p>x</p><div"), "x");
        assert_eq!(t("<p title='a>b'>x</p>"), "x");
        assert_eq!(t("<p title=\"unterminated>x"), "");
        assert_eq!(t("<script>never closed <p>x"), "");
        assert_eq!(t("<!-- never closed"), "");
        assert_eq!(t("</>x</ p>y"), "xy");
        assert_eq!(t("<!-->x<!--->y"), "xy");
        assert_eq!(t("<SCRIPT>a</SCRIPT >b<Style>c</STYLE>d"), "bd");
    }

    #[test]
    fn deep_nesting_is_linear() {
        let mut s = String::new();
        for _ in 0..100_000 {
            s.push_str("<div>");
        }
        s.push_str("sâu");
        let out = t(&s);
        assert_eq!(out, "sâu");
    }

    #[test]
    fn huge_attribute() {
        let mut s = String::from("<p data-x=\"");
        s.push_str(&"a".repeat(1 << 20));
        s.push_str("\">nội dung</p>");
        assert_eq!(t(&s), "nội dung");
    }

    #[test]
    fn json_ld_date_published() {
        let date = |h: &str| {
            to_text(h)
                .ld_date
                .and_then(|f| f.date())
                .map(|d| d.to_string())
        };
        let h = r#"<head><script type="application/ld+json">{"@type":"NewsArticle",
            "headline":"Hội nghị quán triệt","datePublished" : "2022-04-01T07:30:00+07:00",
            "dateModified":"2022-04-02"}</script></head><p>Sáng 30/3</p>"#;
        assert_eq!(date(h).as_deref(), Some("2022-04-01"));
        assert_eq!(to_text(h).text, "Sáng 30/3");
        // Not a string, then a string: the string counts; escaped keys are not keys.
        let h = r#"<script>{"datePublished": 5, "datePublished":"2021-12-30"}</script>"#;
        assert_eq!(date(h).as_deref(), Some("2021-12-30"));
        assert_eq!(
            date(r#"<script>{\"datePublished\":\"2020-01-01\"}</script>"#),
            None
        );
        // Unterminated value and script: nothing, no panic.
        assert_eq!(date(r#"<script>{"datePublished": "2020-01-0"#), None);
        assert_eq!(date("<p>datePublished: 2020-01-01</p>"), None);
    }

    #[test]
    fn meta_and_time() {
        let h = "<head><meta property=\"article:published_time\" content=\"2019-11-27T08:00:00+07:00\"></head>";
        assert_eq!(
            to_text(h)
                .meta_date
                .and_then(|f| f.date())
                .map(|d| d.to_string()),
            Some("2019-11-27".into())
        );
        let h = "<meta itemprop=datePublished content='2020-01-02'>";
        assert_eq!(
            to_text(h)
                .meta_date
                .and_then(|f| f.date())
                .map(|d| d.to_string()),
            Some("2020-01-02".into())
        );
        let h = "<meta content=\"2021-03-04\" name=\"pubdate\">";
        assert_eq!(
            to_text(h)
                .meta_date
                .and_then(|f| f.date())
                .map(|d| d.to_string()),
            Some("2021-03-04".into())
        );
        let h = "<p><time datetime=\"2018-04-02T08:15\">2/4</time></p>";
        let r = to_text(h);
        assert_eq!(
            r.time_date.and_then(|f| f.date()).map(|d| d.to_string()),
            Some("2018-04-02".into())
        );
        assert_eq!(r.text, "2/4");
        let h = "<meta name=\"description\" content=\"2019-11-27\">";
        assert_eq!(to_text(h).meta_date, None);
    }

    #[test]
    fn offsets_at_words() {
        let h = "<p>Quy  định &quot;số&quot; 126</p>";
        let r = to_text(h);
        assert_eq!(r.text, "Quy định \"số\" 126");
        for w in ["Quy", "định", "số", "126"] {
            let o = r.text.find(w).unwrap_or(0);
            assert_eq!(&h[r.map.map(o)..r.map.map(o) + w.len()], w);
        }
        assert_eq!(r.map.map(r.text.len()), h.find("</p>").unwrap_or(0));
    }
}
