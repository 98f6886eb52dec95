//! Office-holders named with a title (cán bộ, chức vụ): see ANNOTATION.md
//! §Officials.
//!
//! Position head words (`Bí thư`, `Chủ tịch`, `Giám đốc`…) are found with one
//! aho-corasick automaton; each hit is parsed locally (a bounded window of
//! tokens): a chain of positions separated by commas, optional rank words
//! (`Đại tá`, `TS.`) and honorifics (`đồng chí`, `ông`, `bà`), then a name of
//! 2–5 capitalised syllables starting with a Vietnamese surname. The other
//! form, `<Name>, <position>, <position>`, is tried when the chain has no name
//! after it. Company, club and team roles, bare ambiguous titles, and
//! `Hồ Chí Minh` are never reported.

use crate::context::{ceil_char, floor_char, Context};
use crate::model::Official;
use crate::places;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Position head words (chức danh). Case-sensitive: a position is written
/// with a capital.
const HEADS: &[&str] = &[
    "Tổng Bí thư",
    "Chủ tịch nước",
    "Phó Chủ tịch nước",
    "Thủ tướng",
    "Phó Thủ tướng",
    "Bí thư",
    "Phó Bí thư",
    "Chủ tịch",
    "Phó Chủ tịch",
    "Ủy viên",
    "Tỉnh ủy viên",
    "Thành ủy viên",
    "Huyện ủy viên",
    "Trưởng ban",
    "Phó Trưởng ban",
    "Trưởng Ban",
    "Phó Trưởng Ban",
    "Bộ trưởng",
    "Thứ trưởng",
    "Giám đốc",
    "Phó Giám đốc",
    "Tổng Giám đốc",
    "Chánh Văn phòng",
    "Phó Chánh Văn phòng",
    "Chủ nhiệm",
    "Phó Chủ nhiệm",
    "Tổng Thư ký",
    "Trưởng Đoàn",
    "Phó Trưởng Đoàn",
    "Trưởng đoàn",
    "Đại biểu Quốc hội",
    "Thường trực",
    "Chánh án",
    "Phó Chánh án",
    "Viện trưởng",
    "Phó Viện trưởng",
    "Tư lệnh",
    "Phó Tư lệnh",
    "Chính ủy",
    "Phó Chính ủy",
    "Tổng cục trưởng",
    "Cục trưởng",
    "Vụ trưởng",
    "Tổng Kiểm toán",
    "Thống đốc",
    "Phó Thống đốc",
    "Chánh Thanh tra",
    "Tổng Thanh tra",
    "Trưởng Công an",
    "Chủ tịch Quốc hội",
    "Phó Chủ tịch Quốc hội",
];

/// Heads that identify a public office even with nothing after them.
const BARE_OK: &[&str] = &[
    "Tổng Bí thư",
    "Chủ tịch nước",
    "Phó Chủ tịch nước",
    "Thủ tướng",
    "Phó Thủ tướng",
    "Bộ trưởng",
    "Thứ trưởng",
    "Đại biểu Quốc hội",
    "Tỉnh ủy viên",
    "Thành ủy viên",
    "Chủ tịch Quốc hội",
    "Phó Chủ tịch Quốc hội",
    "Tổng Kiểm toán",
    "Thống đốc",
    "Phó Thống đốc",
];

/// Vietnamese surnames (họ).
const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Đoàn", "Lâm", "Trịnh", "Mai", "Trương", "Lương", "Tô",
    "Hà", "Tạ", "Chu", "Cao", "Lưu", "Thái", "Vương", "Kiều", "Quách", "Nông", "Lò", "Hầu", "Y",
    "Thân", "Triệu", "Từ", "Đào", "Văn", "Tống", "La", "Lại", "Khổng", "Giang", "Châu", "Mạc",
    "Tăng", "Phùng", "Doãn", "Hứa", "Bế", "Âu", "Đàm", "Lục", "Ninh", "Khúc", "Diệp", "Quan",
    "Viên", "Lã", "Kim", "Ma", "Sầm", "Đồng", "Hoàng", "Vi", "Lường", "Cầm", "Tòng", "Giàng",
    "Sùng", "Thào", "Vàng", "Mùa", "Lầu", "Nghiêm", "Bạch", "Ứng", "Tôn", "Trình", "Khương", "Đậu",
    "Trà",
];

/// Words after which the capitalised syllables name a place.
const PLACE_WORDS: &[&str] = &[
    "huyện",
    "xã",
    "quận",
    "phường",
    "trấn",
    "TP.",
    "TP",
    "Tp.",
    "Tp",
];

/// City and district names that look like personal names.
const NOT_NAMES: &[&str] = &[
    "Bạch Mai",
    "Buôn Ma Thuột",
    "Ma Thuột",
    "Hà Đông",
    "Hà Tiên",
    "Hồ Gươm",
    "Lý Sơn",
    "Cao Lãnh",
    "Hà Giang",
];

/// Country and region names that start with a surname-like syllable.
const COUNTRIES: &[&str] = &[
    "Châu Âu",
    "Châu Á",
    "Châu Phi",
    "Thái Lan",
    "Hàn Quốc",
    "Trung Quốc",
    "Hoa Kỳ",
    "Nhật Bản",
    "Triều Tiên",
    "Đài Loan",
    "Ấn Độ",
];

fn is_surname(w: &str) -> bool {
    static SET: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| SURNAMES.iter().copied().collect())
        .contains(w)
}

/// Lower-case words a position runs over (ANNOTATION.md connectors, plus the
/// syllables of common body names).
const CONNECTORS: &[&str] = &[
    "tỉnh",
    "thành",
    "phố",
    "huyện",
    "xã",
    "phường",
    "quận",
    "thị",
    "trấn",
    "ban",
    "thường",
    "trực",
    "nhân",
    "dân",
    "và",
    "đại",
    "biểu",
    "ủy",
    "vụ",
    "khóa",
    "-",
    "hội",
];

/// Lower-case second syllables of body names a position runs over after a
/// capitalised word (`Bộ Chính trị`, `Ban Tuyên giáo`, `Bộ Công an`).
const CONTINUATIONS: &[&str] = &[
    "trị",
    "giáo",
    "vận",
    "chính",
    "tra",
    "chức",
    "pháp",
    "an",
    "dục",
    "tạo",
    "tế",
    "phòng",
    "giao",
    "hội",
    "phủ",
    "trận",
    "quốc",
    "đồng",
    "nữ",
    "niên",
    "binh",
    "động",
    "học",
    "nghệ",
    "hóa",
    "thao",
    "lịch",
    "nguyên",
    "trường",
    "dựng",
    "thông",
    "tải",
    "tin",
    "hoạch",
    "tư",
    "nghiệp",
    "triển",
    "thôn",
    "đạo",
    "hiệp",
    "sản",
    "sát",
    "án",
    "quan",
    "bạc",
    "sự",
    "khu",
    "đội",
    "huy",
    "tộc",
    "đua",
    "thưởng",
    "ngoại",
    "chế",
    "luật",
    "nguyện",
    "gia",
    "nghiên",
    "cứu",
    "vực",
    "mại",
    "công",
    "lực",
    "tịch",
    "sinh",
    "ương",
    "ninh",
    "thuế",
    "hành",
    "tài",
    "vệ",
    "liệu",
    "hải",
    "thủy",
    "lợi",
    "lâm",
    "tác",
    "bộ",
    "kỳ",
    "điện",
    "hình",
    "tấn",
    "viện",
    "lệnh",
    "kiểm",
    "toán",
    "nhiệm",
    "lý",
    "luận",
    "sách",
    "ương",
    "chiến",
    "cựu",
    "đoàn",
    "thanh",
    "tuyên",
    "truyền",
    "giám",
    "đốc",
    "văn",
    "phòng",
    "quân",
    "cảnh",
];

/// Markers that a position names a public body (checked as whole words).
const PUBLIC: &[&str] = &[
    "Tỉnh ủy",
    "Thành ủy",
    "Huyện ủy",
    "Đảng ủy",
    "Quận ủy",
    "Thị ủy",
    "Tỉnh đoàn",
    "Thành đoàn",
    "UBND",
    "HĐND",
    "Ủy ban",
    "Hội đồng nhân dân",
    "MTTQ",
    "Mặt trận",
    "Quốc hội",
    "Chính phủ",
    "Nhà nước",
    "Bộ",
    "Sở",
    "Cục",
    "Tổng cục",
    "Vụ",
    "Viện",
    "Ban",
    "ban",
    "Trung ương",
    "TƯ",
    "TW",
    "T.Ư",
    "Đảng",
    "tỉnh",
    "thành phố",
    "TP",
    "TP.",
    "huyện",
    "xã",
    "phường",
    "quận",
    "thị xã",
    "thị trấn",
    "Công an",
    "Quân khu",
    "Quân đội",
    "Bộ đội",
    "Tòa án",
    "Kiểm toán",
    "Thanh tra",
    "Văn phòng",
    "Học viện",
    "Đại học",
    "Trường",
    "Hội",
    "Đoàn",
    "Công đoàn",
    "Liên đoàn Lao động",
    "Đài",
    "Thông tấn",
    "Bệnh viện",
    "Trung tâm",
    "Quốc gia",
    "Hải quan",
    "Kho bạc",
    "Biên phòng",
    "Cảnh sát",
    "Bộ Chỉ huy",
    "Thường trực",
    "thường trực",
    "Thường vụ",
    "Chi bộ",
    "Đảng bộ",
    "Chính trị",
    "Kiểm tra",
    "nước",
    "Nhân dân",
    "nhân dân",
];

/// Words that end a position (verbs and particles after a title).
const STOPS: &[&str] = &[
    "dự", "chủ", "phát", "nhấn", "cho", "khẳng", "yêu", "đề", "trao", "tặng", "làm", "đã", "đang",
    "sẽ", "cùng", "tới", "đến", "thăm", "kiểm", "chúc", "tham", "cũng", "là", "được", "có", "tại",
    "về", "với", "nói", "trả", "giới", "quán", "truyền", "thông", "trình", "điều", "chỉ", "ký",
    "tiếp", "gửi", "vừa", "mới", "nhiệm", "kỳ", "cho", "trong", "của", "từ", "năm", "lên", "và",
    "dẫn", "đánh", "hay", "nhận", "ghi", "thừa", "ủng", "chia", "đi", "ra", "vào", "đưa", "bày",
    "đặt", "thực", "tổ", "xem", "hỏi", "mong", "hy", "vui", "rất", "thì", "mà", "nhưng", "khi",
    "sau", "trước", "này", "đó", "nay", "hôm", "ngày", "tháng", "lúc", "vẫn", "luôn", "từng",
    "cần", "phải", "muốn", "biết", "nêu", "gặp", "cảm", "nắm", "bị", "do", "bởi", "vì", "nên", "ở",
    "trên", "dưới", "theo", "như", "để", "hoặc", "bà", "ông", "anh", "chị", "lại", "còn", "vẫn",
    "chưa", "đều", "các", "những", "một", "hai", "ba", "nhiều", "gồm", "chính", "tiếp", "kiêm",
];

/// Honorifics skipped before a name.
const HONORIFICS: &[&[&str]] = &[
    &["đồng", "chí"],
    &["Đồng", "chí"],
    &["ông"],
    &["Ông"],
    &["bà"],
    &["Bà"],
    &["đ/c"],
    &["Đ/c"],
];

/// Rank and degree words (cấp hàm, học hàm, học vị): in neither name nor position.
const RANKS: &[&[&str]] = &[
    &["Đại", "tá"],
    &["Thượng", "tá"],
    &["Trung", "tá"],
    &["Thiếu", "tá"],
    &["Thiếu", "tướng"],
    &["Trung", "tướng"],
    &["Thượng", "tướng"],
    &["Đại", "tướng"],
    &["Tiến", "sĩ"],
    &["Tiến", "sỹ"],
    &["Thạc", "sĩ"],
    &["Giáo", "sư"],
    &["Phó", "Giáo", "sư"],
    &["GS."],
    &["PGS."],
    &["TS."],
    &["ThS."],
    &["PGS.TS"],
    &["PGS.TS."],
    &["GS.TS"],
    &["GS.TS."],
    &["PGS"],
    &["GS"],
    &["TS"],
    &["ThS"],
    &["BS."],
    &["Bác", "sĩ"],
    &["Nhà", "báo"],
    &["NGƯT"],
    &["NGND"],
];

/// Marks of company, club and team roles (not public office).
const NON_PUBLIC: &[&str] = &[
    "HĐQT",
    "Hội đồng quản trị",
    "HĐTV",
    "Hội đồng thành viên",
    "công ty",
    "Công ty",
    "CTCP",
    "Tập đoàn",
    "Tổng công ty",
    "Tổng Công ty",
    "TMCP",
    "Ngân hàng",
    "CLB",
    "Câu lạc bộ",
    "FC",
    "đội tuyển",
    "Đội tuyển",
    "Liên đoàn",
    "VFF",
    "VPF",
    "Group",
    "JSC",
    "Corp",
    "Bank",
    "CEO",
    "doanh nghiệp",
    "Doanh nghiệp",
    "điều hành",
    "Điều hành",
    "Hãng",
    "hãng",
    "Quỹ",
    "Resort",
    "Holdings",
    "quản trị",
    "Hội đồng thành viên",
    "UEFA",
    "FIFA",
    "AFF",
    "AFC",
    "Marketing",
    "marketing",
    "Khối",
];

fn heads() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(aho_corasick::StartKind::Both)
            .build(HEADS)
            .unwrap_or_else(|_| AhoCorasick::new(Vec::<&str>::new()).expect("empty automaton"))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokKind {
    Word,
    Comma,
    /// Other punctuation, line break or a sentence-final full stop.
    Stop,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    kind: TokKind,
}

/// Window of text a hit may look at, in bytes.
const WINDOW: usize = 320;
const MAX_TOKENS: usize = 30;

/// Tokenises `text[from..to]` into `out` (bounded).
fn tokenize(text: &str, from: usize, to: usize, out: &mut Vec<Tok>) {
    out.clear();
    let b = text.as_bytes();
    let mut i = from;
    while i < to && out.len() < MAX_TOKENS {
        let c = b[i];
        match c {
            b' ' | b'\t' => i += 1,
            b',' => {
                out.push(Tok {
                    start: i,
                    end: i + 1,
                    kind: TokKind::Comma,
                });
                i += 1;
            }
            b';' | b':' | b'(' | b')' | b'"' | b'\n' | b'\r' | b'!' | b'?' | b'[' | b']' => {
                out.push(Tok {
                    start: i,
                    end: i + 1,
                    kind: TokKind::Stop,
                });
                return;
            }
            _ => {
                let s = i;
                while i < to
                    && !matches!(
                        b[i],
                        b' ' | b'\t'
                            | b','
                            | b';'
                            | b':'
                            | b'('
                            | b')'
                            | b'"'
                            | b'\n'
                            | b'\r'
                            | b'!'
                            | b'?'
                            | b'['
                            | b']'
                    )
                {
                    i += 1;
                }
                let i2 = ceil_char(text, i).min(to);
                let mut e = i2;
                let word = &text[s..e];
                // A trailing full stop belongs to abbreviations only (`TP.`, `TS.`).
                if word.ends_with('.') && !is_caps(word) && !word.contains("S.") {
                    e -= 1;
                    if e > s {
                        out.push(Tok {
                            start: s,
                            end: e,
                            kind: TokKind::Word,
                        });
                    }
                    out.push(Tok {
                        start: e,
                        end: e + 1,
                        kind: TokKind::Stop,
                    });
                    return;
                } else if e > s {
                    out.push(Tok {
                        start: s,
                        end: e,
                        kind: TokKind::Word,
                    });
                }
                i = i2.max(s + 1);
            }
        }
    }
}

/// `Nguyễn`, `Khang`, `A`: a capital then lower-case letters only.
fn is_title(w: &str) -> bool {
    let mut cs = w.chars();
    match cs.next() {
        Some(c) if c.is_uppercase() => cs.all(|c| c.is_lowercase()),
        _ => false,
    }
}

/// `UBND`, `HĐND`, `TƯ`, `T.Ư`, `TP.`: upper-case letters (≥ 2) and dots.
fn is_caps(w: &str) -> bool {
    let mut upper = 0;
    for c in w.chars() {
        if c.is_uppercase() {
            upper += 1;
        } else if !matches!(c, '.' | '&' | '-') && !c.is_ascii_digit() {
            return false;
        }
    }
    upper >= 2
}

fn is_lower(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_lowercase())
}

/// Length in tokens of the word sequence `seqs` matching at token `k`.
fn match_seq(text: &str, toks: &[Tok], k: usize, seqs: &[&[&str]]) -> Option<usize> {
    'outer: for seq in seqs {
        if k + seq.len() > toks.len() {
            continue;
        }
        for (j, w) in seq.iter().enumerate() {
            let t = toks[k + j];
            if t.kind != TokKind::Word || &text[t.start..t.end] != *w {
                continue 'outer;
            }
        }
        return Some(seq.len());
    }
    None
}

/// Skips honorifics and rank words from token `k`.
fn skip_titles(text: &str, toks: &[Tok], mut k: usize) -> usize {
    loop {
        if let Some(n) =
            match_seq(text, toks, k, HONORIFICS).or_else(|| match_seq(text, toks, k, RANKS))
        {
            k += n;
        } else {
            return k;
        }
    }
}

/// The title-case run from token `k`: end index (exclusive).
fn title_run(text: &str, toks: &[Tok], k: usize) -> usize {
    let mut j = k;
    while j < toks.len()
        && toks[j].kind == TokKind::Word
        && is_title(&text[toks[j].start..toks[j].end])
    {
        j += 1;
    }
    j
}

/// Within the title-case run `toks[a..b]`, the start of the name (a surname
/// token not inside a province name, 2–5 syllables to the run's end),
/// preferring 3 syllables, then 4, 2, 5.
fn name_in_run(
    text: &str,
    toks: &[Tok],
    a: usize,
    b: usize,
    provinces: &[places::PlaceMatch],
) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None; // (rank, index)
                                                 // After a place word (`TP. Châu Đốc`, `xã Hà Ra`) the first two
                                                 // capitalised syllables are the place.
    let after_place = a > 0
        && toks[a - 1].kind == TokKind::Word
        && PLACE_WORDS.contains(&&text[toks[a - 1].start..toks[a - 1].end]);
    for k in a..b {
        if after_place && k < a + 2 {
            continue;
        }
        let rest = &text[toks[k].start..];
        if k == a && COUNTRIES.iter().any(|c| rest.starts_with(c)) {
            return None; // a foreign leader's country, then a foreign name
        }
        let len = b - k;
        if !(2..=5).contains(&len) {
            continue;
        }
        let w = &text[toks[k].start..toks[k].end];
        if !is_surname(w) {
            continue;
        }
        let s = toks[k].start;
        let e = toks[b - 1].end;
        if provinces.iter().any(|p| p.start < e && s < p.end) {
            continue; // `Đại học Y Hà Nội`
        }
        if NOT_NAMES
            .iter()
            .any(|n| text[..e].ends_with(n) || text[s..].starts_with(n))
        {
            continue;
        }
        let rank = match len {
            3 => 0,
            4 => 1,
            2 => 2,
            _ => 3,
        };
        if best.is_none_or(|(r, _)| rank < r) {
            best = Some((rank, k));
        }
    }
    best.map(|(_, k)| k)
}

/// One parsed chain of positions and the name after it.
struct Chain {
    positions: Vec<(usize, usize, usize)>, // (start, end, head length)
    name: Option<(usize, usize)>,
    /// Byte offset up to which the text is consumed.
    end: usize,
}

/// Parses positions from token `k0` (a head word at `toks[k0]`).
fn parse_chain(text: &str, toks: &[Tok], k0: usize, provinces: &[places::PlaceMatch]) -> Chain {
    let ac = heads();
    let mut chain = Chain {
        positions: Vec::new(),
        name: None,
        end: toks[k0].end,
    };
    let mut k = k0;
    'positions: loop {
        // The head word spans one or more tokens.
        let hs = toks[k].start;
        let Some(hm) = ac.find(
            aho_corasick::Input::new(text)
                .range(hs..)
                .anchored(aho_corasick::Anchored::Yes),
        ) else {
            break;
        };
        let he = hm.end();
        let mut j = k;
        while j < toks.len() && toks[j].end <= he {
            j += 1;
        }
        let head_tok_end = j;
        let mut last_end = he;
        let mut prev_title = false;
        let mut last_cont = false;
        loop {
            // Rank words / honorifics then a name (`Bà Rịa - Vũng Tàu` is a province).
            let at_province = toks
                .get(j)
                .is_some_and(|t| provinces.iter().any(|p| p.start == t.start));
            let after = if at_province {
                j
            } else {
                skip_titles(text, toks, j)
            };
            if after > j {
                let r = title_run(text, toks, after);
                if let Some(n) =
                    name_in_run(text, toks, after, r, provinces).filter(|&n| n == after)
                {
                    chain.positions.push((hs, last_end, he - hs));
                    chain.name = Some((toks[n].start, toks[r - 1].end));
                    chain.end = toks[r - 1].end;
                    return chain;
                }
                chain.positions.push((hs, last_end, he - hs));
                chain.end = last_end;
                return chain;
            }
            if j >= toks.len() {
                break;
            }
            let t = toks[j];
            match t.kind {
                TokKind::Comma if text[t.end..].starts_with(" Thể thao") => {
                    // `Bộ Văn hóa, Thể thao và Du lịch`
                    j += 1;
                    continue;
                }
                TokKind::Comma
                    if foreign_name_after_head(text, toks, head_tok_end, j, provinces) =>
                {
                    // `Thủ tướng Hun Sen, Thủ tướng …`: the first title had its own person.
                    chain.positions.clear();
                    chain.end = t.start;
                    return chain;
                }
                TokKind::Comma => {
                    chain.positions.push((hs, last_end, he - hs));
                    chain.end = last_end;
                    // Another position only when it starts with a head word.
                    let n = skip_titles(text, toks, j + 1);
                    if n > j + 1 {
                        // `…, Đại tá Nguyễn Văn A cho biết`, `…, ông Lê Văn B "hỏa tốc"`;
                        // but in a list `A - Chủ tịch …, ông B - Phó Chủ tịch …` the
                        // name after the comma is the next person's.
                        let r = title_run(text, toks, n);
                        let next_person = toks.get(r).is_some_and(|t| {
                            t.kind == TokKind::Word && &text[t.start..t.end] == "-"
                        });
                        if !next_person && name_in_run(text, toks, n, r, provinces) == Some(n) {
                            chain.name = Some((toks[n].start, toks[r - 1].end));
                            chain.end = toks[r - 1].end;
                        }
                        return chain;
                    }
                    if n < toks.len()
                        && n == j + 1
                        && toks[n].kind == TokKind::Word
                        && ac
                            .find(
                                aho_corasick::Input::new(text)
                                    .range(toks[n].start..)
                                    .anchored(aho_corasick::Anchored::Yes),
                            )
                            .is_some_and(|m| word_end(text, m.end()))
                    {
                        k = n;
                        continue 'positions;
                    }
                    return chain;
                }
                TokKind::Stop => break,
                TokKind::Word => {}
            }
            let w = &text[t.start..t.end];
            if is_title(w) {
                // A head word inside the run starts the next position (`… và Chủ tịch`)
                let r = title_run(text, toks, j);
                if let Some(n) = name_in_run(text, toks, j, r, provinces) {
                    let name_start = toks[n].start;
                    let pe = if n > j { toks[n - 1].end } else { last_end };
                    chain.positions.push((hs, pe, he - hs));
                    chain.name = Some((name_start, toks[r - 1].end));
                    chain.end = toks[r - 1].end;
                    return chain;
                }
                last_end = toks[r - 1].end;
                j = r;
                prev_title = true;
                last_cont = false;
                continue;
            }
            if is_caps(w) {
                last_end = t.end;
                j += 1;
                prev_title = true;
                last_cont = false;
                continue;
            }
            if is_lower(w) || w == "-" {
                if w == "và" && starts_head(text, toks, j + 1) {
                    // `Thủ tướng A và Thủ tướng B`: two people; the next head is
                    // parsed on its own.
                    chain.positions.clear();
                    chain.end = t.start;
                    return chain;
                }
                if STOPS.contains(&w) && !(w == "và" && next_is_word_title(text, toks, j)) {
                    break;
                }
                let after_province = j > 0 && provinces.iter().any(|p| p.end == toks[j - 1].end);
                let continues = if prev_title {
                    // one lower-case syllable after a capitalised word (`Cục Hàng không`),
                    // not a verb, not after a province name (`Cà Mau dẫn đầu`)
                    (w == "chính" || !STOPS.contains(&w)) && !after_province && is_plain_syllable(w)
                } else {
                    false
                };
                if CONNECTORS.contains(&w) || continues || (last_cont && CONTINUATIONS.contains(&w))
                {
                    if w != "-" && w != "và" {
                        last_end = t.end;
                    }
                    last_cont = prev_title && !CONNECTORS.contains(&w);
                    prev_title = false;
                    j += 1;
                    continue;
                }
            }
            break;
        }
        chain.positions.push((hs, last_end, he - hs));
        chain.end = last_end;
        return chain;
    }
    chain
}

/// A lower-case Vietnamese syllable (letters only, no digits or marks).
fn is_plain_syllable(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| c.is_alphabetic() && c.is_lowercase())
}

/// True when a head word starts at token `j`.
fn starts_head(text: &str, toks: &[Tok], j: usize) -> bool {
    toks.get(j).is_some_and(|t| {
        t.kind == TokKind::Word
            && heads()
                .find(
                    aho_corasick::Input::new(text)
                        .range(t.start..)
                        .anchored(aho_corasick::Anchored::Yes),
                )
                .is_some_and(|m| word_end(text, m.end()))
    })
}

/// First syllables of body names (to tell `Thủ tướng Hun Sen` from
/// `Chủ tịch Quốc hội`).
const ORG_WORDS: &[&str] = &[
    "Trung",
    "Đảng",
    "Quốc",
    "Chính",
    "Tỉnh",
    "Thành",
    "Huyện",
    "Ban",
    "Bộ",
    "Sở",
    "Ủy",
    "Hội",
    "Văn",
    "Việt",
    "Nam",
    "Nhà",
    "Nước",
    "Thường",
    "Tổng",
    "Cục",
    "Vụ",
    "Viện",
    "Công",
    "Tòa",
    "Mặt",
    "Đoàn",
    "Liên",
    "Phòng",
    "Trường",
    "Học",
    "Đại",
    "Kiểm",
    "Thanh",
    "Dân",
    "Nội",
    "Ngoại",
    "Tài",
    "Giáo",
    "Y",
    "Tư",
    "Lao",
    "Xây",
    "Giao",
    "Khoa",
    "Kế",
    "Nông",
    "Tuyên",
    "Tổ",
    "Quân",
    "Cảnh",
    "Biên",
    "Hải",
    "Kho",
    "Thông",
    "Truyền",
    "Thể",
    "Du",
    "Phát",
    "Môi",
    "Điều",
    "Khối",
    "Thi",
    "Tôn",
    "Cựu",
    "Phụ",
    "Nhân",
    "Hành",
    "Pháp",
    "Xã",
    "Ngân",
    "Kinh",
    "Đối",
    "Hợp",
    "Hiệp",
    "An",
    "Bảo",
    "Lâm",
    "Thủy",
    "Đô",
    "Mật",
    "Đặc",
    "Chỉ",
    "Hậu",
    "Tham",
];

/// The tokens right after the head (`head_end..j`) are a title-case run of
/// two or more words with no body word and no province: a person's name the
/// surname list does not know (`Hun Sen`).
fn foreign_name_after_head(
    text: &str,
    toks: &[Tok],
    head_end: usize,
    j: usize,
    provinces: &[places::PlaceMatch],
) -> bool {
    if j < head_end + 2 || title_run(text, toks, head_end) != j {
        return false;
    }
    let (s, e) = (toks[head_end].start, toks[j - 1].end);
    if provinces.iter().any(|p| p.start < e && s < p.end) {
        return false;
    }
    !toks[head_end..j]
        .iter()
        .any(|t| ORG_WORDS.contains(&&text[t.start..t.end]))
}

fn next_is_word_title(text: &str, toks: &[Tok], j: usize) -> bool {
    toks.get(j + 1)
        .is_some_and(|t| t.kind == TokKind::Word && is_title(&text[t.start..t.end]))
}

fn word_end(text: &str, i: usize) -> bool {
    !text[i..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric())
}

/// `<Name>, ` or `<Name> - ` right before byte `s`: the name span.
fn name_before(text: &str, s: usize, toks_buf: &mut Vec<Tok>) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut i = s;
    while i > 0 && b[i - 1] == b' ' {
        i -= 1;
    }
    if i == 0 || !(b[i - 1] == b',' || b[i - 1] == b'-') {
        return None;
    }
    let end = i - 1;
    let from = floor_char(text, end.saturating_sub(80));
    let from = text[from..end]
        .rfind(['\n', ',', '.', ';', ':', '(', ')', '"'])
        .map(|p| from + p + 1)
        .unwrap_or(from);
    tokenize(text, from, end, toks_buf);
    let toks = &toks_buf[..];
    if toks.is_empty() || toks.last().is_some_and(|t| t.kind != TokKind::Word) {
        return None;
    }
    // The title-case run ending at the last token.
    let last = toks.len();
    let mut a = last;
    while a > 0
        && toks[a - 1].kind == TokKind::Word
        && is_title(&text[toks[a - 1].start..toks[a - 1].end])
    {
        a -= 1;
    }
    if a == last {
        return None;
    }
    let provinces = places::find_provinces(text, toks[a].start..toks[last - 1].end);
    let n = name_in_run(text, toks, a, last, &provinces)?;
    // The name must be the whole run after honorifics (`Ông Nguyễn Văn A`).
    if n != a && skip_titles(text, toks, a) != n {
        return None;
    }
    Some((toks[n].start, toks[last - 1].end))
}

/// A position without the connector it stopped on (`… TP Cần Thơ đại`).
fn trim_dangling(p: &str, head_len: usize) -> &str {
    let mut p = p.trim_end_matches([' ', '-']);
    loop {
        let Some(sp) = p.rfind(' ') else { return p };
        if sp < head_len {
            return p;
        }
        let last = &p[sp + 1..];
        if ["đại", "và", "thường", "khóa", "-"].contains(&last) {
            p = p[..sp].trim_end_matches([' ', '-']);
        } else {
            return p;
        }
    }
}

fn is_public(position: &str, head_len: usize) -> bool {
    if NON_PUBLIC.iter().any(|m| position.contains(m)) {
        return false;
    }
    if position.starts_with("Tổng Giám đốc")
        && !position.contains("Đài")
        && !position.contains("Thông tấn")
    {
        return false;
    }
    if position.len() <= head_len {
        return BARE_OK.contains(&position);
    }
    if BARE_OK
        .iter()
        .any(|h| position.starts_with(h) && position.len() == h.len())
    {
        return true;
    }
    let rest = &position[head_len..];
    if rest.trim() == "Hội đồng" {
        return false;
    }
    let head = &position[..head_len];
    let party_head = [
        "Bí thư",
        "Phó Bí thư",
        "Tổng Bí thư",
        "Tỉnh ủy viên",
        "Thành ủy viên",
        "Thủ tướng",
        "Phó Thủ tướng",
        "Bộ trưởng",
        "Thứ trưởng",
        "Đại biểu Quốc hội",
        "Chủ tịch nước",
    ];
    party_head.contains(&head) || PUBLIC.iter().any(|m| contains_word(rest, m))
}

/// `needle` occurs in `hay` with word boundaries on both sides.
fn contains_word(hay: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(p) = hay[from..].find(needle) {
        let s = from + p;
        let e = s + needle.len();
        let left = hay[..s]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let right = hay[e..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if left && right {
            return true;
        }
        from = e;
    }
    false
}

/// Every official named with a position, by first appearance.
pub fn extract(ctx: &Context) -> Vec<Official> {
    let text = ctx.text;
    let mut out: Vec<Official> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut toks: Vec<Tok> = Vec::new();
    let mut toks2: Vec<Tok> = Vec::new();
    let mut consumed = 0usize;
    for m in heads().find_iter(text) {
        let s = m.start();
        if s < consumed {
            continue;
        }
        // Word boundary and not inside a body name (`Ban Bí thư`, `Văn phòng Chủ tịch nước`).
        if text[..s]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric())
            || !word_end(text, m.end())
        {
            continue;
        }
        let before = &text[floor_char(text, s.saturating_sub(24))..s];
        if [
            "Ban ",
            "Văn phòng ",
            "Hội đồng ",
            "Tổng ",
            "Cơ quan ",
            "Phòng ",
            "phòng ",
            "Đảng đoàn ",
        ]
        .iter()
        .any(|p| before.ends_with(p))
        {
            continue;
        }
        let to = floor_char(text, (s + WINDOW).min(text.len()));
        tokenize(text, s, to, &mut toks);
        // The chain never crosses other punctuation: cut the tokens there.
        if let Some(p) = toks.iter().position(|t| t.kind == TokKind::Stop) {
            toks.truncate(p);
        }
        if toks.is_empty() {
            continue;
        }
        // Cheap exits: no surname after the head and no `<Name>, ` before it.
        let has_surname = toks.iter().any(|t| {
            t.kind == TokKind::Word
                && !text.as_bytes()[t.start].is_ascii_lowercase()
                && is_surname(&text[t.start..t.end])
        });
        let b = text.as_bytes();
        let mut q = s;
        while q > 0 && b[q - 1] == b' ' {
            q -= 1;
        }
        let name_before_possible = q > 0 && (b[q - 1] == b',' || b[q - 1] == b'-');
        if !has_surname && !name_before_possible {
            consumed = toks.last().map_or(s, |t| t.end);
            continue;
        }
        let span_end = toks.last().map_or(s, |t| t.end);
        let provinces = places::find_provinces(text, s..span_end);
        let chain = parse_chain(text, &toks, 0, &provinces);
        consumed = chain.end;
        let name = match chain.name {
            Some(n) => Some(n),
            None => name_before(text, s, &mut toks2),
        };
        let Some((ns, ne)) = name else { continue };
        let name = text[ns..ne].trim();
        if name == "Hồ Chí Minh" || name.starts_with("Hồ Chí Minh ") {
            continue;
        }
        let positions: Vec<&str> = chain
            .positions
            .iter()
            .map(|&(a, b, h)| (trim_dangling(&text[a..b.max(a)], h), h))
            .filter(|&(p, h)| is_public(p, h))
            .map(|(p, _)| p)
            .collect();
        if positions.is_empty() {
            continue;
        }
        // A company role anywhere in the chain disqualifies the person here.
        let tail_end = floor_char(text, (chain.end + 32).min(text.len()));
        if chain
            .positions
            .iter()
            .any(|&(a, b, _)| NON_PUBLIC.iter().any(|m| text[a..b.max(a)].contains(m)))
            || NON_PUBLIC
                .iter()
                .any(|m| text[chain.end.min(tail_end)..tail_end].contains(m))
        {
            continue;
        }
        let idx = *index.entry(name.to_owned()).or_insert_with(|| {
            out.push(Official {
                name: name.to_owned(),
                positions: Vec::new(),
            });
            out.len() - 1
        });
        for p in positions {
            if !out[idx].positions.iter().any(|q| q == p) {
                out[idx].positions.push(p.to_owned());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(t: &str) -> Vec<(String, Vec<String>)> {
        let ctx = Context::new(t, None, None);
        extract(&ctx)
            .into_iter()
            .map(|o| (o.name, o.positions))
            .collect()
    }

    fn one(name: &str, pos: &[&str]) -> Vec<(String, Vec<String>)> {
        vec![(name.to_owned(), pos.iter().map(|s| s.to_string()).collect())]
    }

    #[test]
    fn title_before_name() {
        assert_eq!(
            run("Bí thư Tỉnh ủy Hà Nam Lê Văn Hùng chủ trì hội nghị."),
            one("Lê Văn Hùng", &["Bí thư Tỉnh ủy Hà Nam"])
        );
        assert_eq!(
            run("Dự hội nghị có Thủ tướng Phạm Văn Tâm."),
            one("Phạm Văn Tâm", &["Thủ tướng"])
        );
        assert_eq!(
            run("Cục trưởng Cục Hàng không Việt Nam Đinh Văn Sơn cho biết."),
            one("Đinh Văn Sơn", &["Cục trưởng Cục Hàng không Việt Nam"])
        );
        assert_eq!(
            run("Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch Nguyễn Văn Hòa phát biểu."),
            one(
                "Nguyễn Văn Hòa",
                &["Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch"]
            )
        );
        assert!(run("Phó Chủ tịch UBND TP. Châu Đốc cho biết.").is_empty());
        assert_eq!(
            run("Dự có PGS.TS Trương Thị Hiền - Phó Chủ tịch Hội Khuyến học Việt Nam, ông Đinh Văn Khanh - Chủ tịch Hội Khuyến học tỉnh cùng đại biểu."),
            vec![
                ("Trương Thị Hiền".to_owned(), vec!["Phó Chủ tịch Hội Khuyến học Việt Nam".to_owned()]),
                ("Đinh Văn Khanh".to_owned(), vec!["Chủ tịch Hội Khuyến học tỉnh".to_owned()]),
            ]
        );
        assert_eq!(
            run("Chủ tịch UBND tỉnh Cà Mau, ông Lê Văn Quân chỉ đạo các đơn vị."),
            one("Lê Văn Quân", &["Chủ tịch UBND tỉnh Cà Mau"])
        );
        assert_eq!(
            run("Dự có ông Trần Văn Anh - Giám đốc Sở Nội vụ, Thiếu tướng Nguyễn Quốc Duy - Tư lệnh Bộ Tư lệnh Thủ đô."),
            vec![
                ("Trần Văn Anh".to_owned(), vec!["Giám đốc Sở Nội vụ".to_owned()]),
                ("Nguyễn Quốc Duy".to_owned(), vec!["Tư lệnh Bộ Tư lệnh Thủ đô".to_owned()]),
            ]
        );
        assert!(run("Chủ tịch UBND quận Bắc Từ Liêm cho biết.").is_empty());
        assert_eq!(
            run("Tại cuộc gặp Thủ tướng Hun Sen, Thủ tướng Phạm Văn Chinh khẳng định."),
            one("Phạm Văn Chinh", &["Thủ tướng"])
        );
        assert_eq!(
            run("Thủ tướng Malaysia Ahmad Yassin và Thủ tướng Việt Nam Phạm Văn Chinh thống nhất."),
            one("Phạm Văn Chinh", &["Thủ tướng Việt Nam"])
        );
        assert_eq!(
            run("Chủ tịch UBND tỉnh Bà Rịa - Vũng Tàu Nguyễn Văn Thọ dự."),
            one("Nguyễn Văn Thọ", &["Chủ tịch UBND tỉnh Bà Rịa - Vũng Tàu"])
        );
        assert!(run("Giám đốc Bệnh viện Đại học Y Hà Nội cho biết.").is_empty());
        assert_eq!(
            run("Thứ trưởng Bộ GD&ĐT Ngô Thị Minh phát biểu."),
            one("Ngô Thị Minh", &["Thứ trưởng Bộ GD&ĐT"])
        );
        assert!(run("Chủ tịch Ủy ban Châu Âu Ursula von der Leyen nói.").is_empty());
        assert_eq!(
            run("Phó Chủ tịch UBND tỉnh Cà Mau Lâm Văn Tư dẫn đầu đoàn."),
            one("Lâm Văn Tư", &["Phó Chủ tịch UBND tỉnh Cà Mau"])
        );
        assert_eq!(
            run("Chủ tịch HĐND tỉnh Cà Mau dẫn đầu đoàn, ông Trần Văn Tú, Bộ trưởng Bộ Công an cho biết."),
            one("Trần Văn Tú", &["Bộ trưởng Bộ Công an"])
        );
    }

    #[test]
    fn several_positions_before_name() {
        assert_eq!(
            run("Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Trần Minh Đức phát biểu."),
            one("Trần Minh Đức", &["Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy", "Chủ tịch HĐND tỉnh"])
        );
    }

    #[test]
    fn name_then_titles() {
        assert_eq!(
            run("Đồng chí Đỗ Quang Vinh, Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh chủ trì."),
            one("Đỗ Quang Vinh", &["Phó Bí thư Thường trực Tỉnh ủy", "Chủ tịch HĐND tỉnh"])
        );
    }

    #[test]
    fn rank_words_skipped() {
        assert_eq!(
            run("Giám đốc Công an tỉnh, Đại tá Nguyễn Hữu Phước cho biết."),
            one("Nguyễn Hữu Phước", &["Giám đốc Công an tỉnh"])
        );
        assert_eq!(
            run("Phó Trưởng ban Tuyên giáo Tỉnh ủy, TS. Hoàng Thị Lan trình bày."),
            one("Hoàng Thị Lan", &["Phó Trưởng ban Tuyên giáo Tỉnh ủy"])
        );
    }

    #[test]
    fn merged_by_name() {
        let r = run("Bí thư Tỉnh ủy Vũ Đức Hải dự. Sau đó, đồng chí Vũ Đức Hải, Chủ tịch HĐND tỉnh phát biểu.");
        assert_eq!(
            r,
            one("Vũ Đức Hải", &["Bí thư Tỉnh ủy", "Chủ tịch HĐND tỉnh"])
        );
    }

    #[test]
    fn exclusions() {
        assert!(run("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.").is_empty());
        assert!(run("Kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh.").is_empty());
        assert!(run("Chủ tịch HĐQT Công ty Cổ phần ABC Nguyễn Văn Bình cho biết.").is_empty());
        assert!(run("Ông Trần Văn Tú, Chủ tịch HĐQT công ty, cho biết.").is_empty());
        assert!(run("Chủ tịch CLB Hà Nội Đỗ Văn Long cho biết.").is_empty());
        assert!(run("Huấn luyện viên Nguyễn Văn Sỹ hài lòng.\nThu Thảo").is_empty());
        assert!(run("Ban Bí thư Trung ương Đảng ban hành chỉ thị.").is_empty());
        assert!(run("Chủ tịch Hội đồng quản trị Trần Văn Tú cho biết.").is_empty());
        assert!(run("Chủ tịch Vingroup Phạm Văn Vượng cho biết.").is_empty());
        assert!(run("Ông Giản Tư Trung, Giám đốc Điều hành Marketing cho biết.").is_empty());
    }

    #[test]
    fn province_before_name_is_not_part_of_it() {
        assert_eq!(
            run("Chủ tịch UBND TP. Hồ Chí Minh Phan Văn Lộc kiểm tra."),
            one("Phan Văn Lộc", &["Chủ tịch UBND TP. Hồ Chí Minh"])
        );
        assert_eq!(
            run("Phó Chủ tịch UBND tỉnh Hà Giang Hoàng Gia Long dự."),
            one("Hoàng Gia Long", &["Phó Chủ tịch UBND tỉnh Hà Giang"])
        );
    }

    #[test]
    fn no_panic_on_odd_text() {
        for t in [
            "Bí thư",
            "Bí thư ,",
            "Chủ tịch Nguyễn",
            ", Bí thư Tỉnh ủy",
            "Nguyễn Văn A, Chủ tịch",
            "Bí thư Tỉnh ủy, Đại tá",
        ] {
            let _ = run(t);
        }
    }
}

/// Throughput of this module alone over the shared corpus (run with
/// `cargo test --release -p vanban-extract --lib officials::bench -- --ignored --nocapture`).
#[cfg(test)]
mod bench {
    #[test]
    #[ignore]
    fn corpus_throughput() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
        let mut texts = Vec::new();
        for sub in ["unc", "vlc"] {
            let Ok(rd) = std::fs::read_dir(root.join(sub)) else {
                return;
            };
            for e in rd.flatten() {
                let p = e.path();
                let b = std::fs::read(&p).unwrap_or_default();
                texts.push(vanban_text::prepare(
                    &b,
                    vanban_text::Format::from_path(&p.to_string_lossy()),
                ));
            }
        }
        let total: usize = texts.iter().map(|t| t.text().len()).sum();
        let views: Vec<_> = texts.iter().map(|t| t.matching()).collect();
        let t0 = std::time::Instant::now();
        for (t, v) in texts.iter().zip(&views) {
            let ctx = crate::context::Context::new(v.text(), t.published(), t.published_year());
            std::hint::black_box(super::extract(&ctx));
        }
        let dt = t0.elapsed();
        eprintln!(
            "officials: {:.0} MB/s",
            total as f64 / dt.as_secs_f64() / 1e6
        );
        let t0 = std::time::Instant::now();
        let mut hits = 0;
        for v in &views {
            hits += super::heads().find_iter(v.text()).count();
        }
        let dt = t0.elapsed();
        eprintln!(
            "heads automaton: {:.0} MB/s, {hits} hits",
            total as f64 / dt.as_secs_f64() / 1e6
        );
        let t0 = std::time::Instant::now();
        for (t, v) in texts.iter().zip(&views) {
            let ctx = crate::context::Context::new(v.text(), t.published(), t.published_year());
            std::hint::black_box(crate::events::extract(&ctx, &[]));
        }
        let dt = t0.elapsed();
        eprintln!("events: {:.0} MB/s", total as f64 / dt.as_secs_f64() / 1e6);
    }
}
