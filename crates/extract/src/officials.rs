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
use crate::scan::PhraseScan;
#[cfg(test)]
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::words::{FnvSet, WordSet};

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
    "Phó Cục trưởng",
    "Phó Vụ trưởng",
    "Phó Tổng cục trưởng",
    "Phó trưởng Ban",
    "Phó trưởng ban",
    "Trưởng phòng",
    "Phó Trưởng phòng",
    "Phó trưởng phòng",
    "Chỉ huy trưởng",
    "Phó Chỉ huy trưởng",
    "Tham mưu trưởng",
    "Phó Tham mưu trưởng",
    "Tổng Tham mưu trưởng",
    "Phó Tổng Tham mưu trưởng",
    "Hiệu trưởng",
    "Phó Hiệu trưởng",
    "Đại sứ",
    "Tổng bí thư",
    "Phó bí thư",
    "Phó chủ tịch",
    "Phó giám đốc",
    // Abbreviations (Ủy viên Trung ương, Tỉnh ủy viên, Ủy viên Thường vụ, Phó Chủ tịch).
    "UVTƯ",
    "UVTW",
    "UVT.Ư",
    "TUV",
    "TVTU",
    "UVTV",
    "UVBTV",
    "UV BTV",
    "PCT",
    // `CT HĐND huyện`, `CT UBND tỉnh`: Chủ tịch, abbreviated before its body.
    "CT HĐND",
    "CT UBND",
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
    "Huyện ủy viên",
    "Chủ tịch Quốc hội",
    "Phó Chủ tịch Quốc hội",
    "Tổng Kiểm toán",
    "Thống đốc",
    "Phó Thống đốc",
    "Tổng bí thư",
    "Tổng Tham mưu trưởng",
    "UVTƯ",
    "UVTW",
    "UVT.Ư",
    "TUV",
    "TVTU",
    "UVTV",
    "UVBTV",
    "UV BTV",
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
    "phố",
];

/// City and district names that look like personal names.
const NOT_NAMES: &[&str] = &[
    "Hồ Chí Minh",
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
static CONNECTORS: WordSet = WordSet::new(&[
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
    // `Phó Bí thư chuyên trách Đảng ủy UBND tỉnh`.
    "chuyên",
    "trách",
]);

/// Lower-case second syllables of body names a position runs over after a
/// capitalised word (`Bộ Chính trị`, `Ban Tuyên giáo`, `Bộ Công an`).
static CONTINUATIONS: WordSet = WordSet::new(&[
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
]);

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
    "Bộ Tư lệnh",
    "Quân đoàn",
    "Sư đoàn",
    "Lữ đoàn",
    "Trung đoàn",
    "Tiểu đoàn",
    "Hải đoàn",
    "Chỉ đạo",
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

/// Words after which a number names a unit inside a position (`Ban Chỉ
/// đạo 35`, `Quân khu 7`, `Sư đoàn 5`, `Phường 1`).
const NUMBERED_UNITS: &[&str] = &[
    "đạo",
    "đoàn",
    "Đoàn",
    "khu",
    "Khu",
    "Phường",
    "phường",
    "Quận",
    "quận",
];

/// Words that end a position (verbs and particles after a title).
static STOPS: WordSet = WordSet::new(&[
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
    "phổ", "báo", "khai", "bế", "kết", "đọc", "nghe", "thay", "hướng", "góp", "chúc", "mở",
    "chứng", "đón", "lưu", "giải", "bấm", "cắt", "quyết", "gợi", "tuyên", "lắng", "dành", "kêu",
    "gọi", "ôn", "trò", "chuyện", "tỏ", "bày", "giữ", "khuyến", "gởi", "tất",
]);

/// Honorifics skipped before a name.
const HONORIFICS: &[&[&str]] = &[
    &["đồng", "chí"],
    &["Đồng", "chí"],
    &["thầy"],
    &["Thầy"],
    &["cô"],
    &["Cô"],
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
    &["NSND"],
    &["NSƯT"],
    &["Nhà", "giáo", "Ưu", "tú"],
    &["Nhà", "giáo", "Nhân", "dân"],
    &["Nghệ", "sĩ", "Nhân", "dân"],
    &["Nghệ", "sĩ", "Ưu", "tú"],
    &["Anh", "hùng", "Lao", "động"],
    &["TS.BS"],
    &["TS.BS."],
    &["ThS.BS"],
    &["ThS.BS."],
    &["BS"],
    &["BSCKII"],
    &["BSCKI"],
    &["BS.CKII"],
    &["BS.CKI"],
    &["TSKH"],
    &["GS.TSKH"],
    &["GS.TSKH."],
    &["PGS.TSKH"],
    &["TS.KTS"],
    &["KTS."],
    &["KS."],
    &["LS."],
    &["Luật", "sư"],
    &["Kỹ", "sư"],
    &["Đại", "úy"],
    &["Thượng", "úy"],
    &["Trung", "úy"],
    &["Thiếu", "úy"],
    &["Đô", "đốc"],
    &["Phó", "Đô", "đốc"],
    &["Chuẩn", "Đô", "đốc"],
    &["Hòa", "thượng"],
    &["Thượng", "tọa"],
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
    "sáng lập",
    "Khối",
];

/// The deputy prefix (phó) that most heads also take: the marker of the
/// head scan, which keeps it under the size of the SIMD prefilter.
const DEPUTY: &str = "Phó ";

/// The markers of the head scan: the deputy prefix and the first words
/// that several heads share (`Tổng Bí thư`, `Tổng cục trưởng`, …). With
/// them the scan looks for 32 phrases, the most for which Aho-Corasick's
/// SIMD prefilter (Teddy) uses its slim form (32 bytes a step, 8 buckets)
/// rather than the fat one (16 bytes a step); each hit is then re-read
/// anchored over every head, so the matches are the same.
const HEAD_MARKERS: &[&str] = &[
    DEPUTY,
    "Tổng ",
    "Chủ ",
    "Trưởng ",
    "Chánh ",
    "UVT",
    "CT ",
    "Đại ",
];

/// Every head word: scanned over a text, or tried at one position.
fn heads() -> &'static PhraseScan {
    static SCAN: OnceLock<PhraseScan> = OnceLock::new();
    SCAN.get_or_init(|| PhraseScan::new(HEADS.iter().copied(), HEAD_MARKERS))
}

/// Every head in `text` as (start, end), non-overlapping, leftmost-longest.
fn find_heads(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    heads().find_iter(text).map(|h| (h.start, h.end))
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

/// [`BYTE_CLASS`]: a byte that ends a word (a space, a comma or a stop).
const ENDS_WORD: u8 = 1;
/// [`BYTE_CLASS`]: an upper-case ASCII letter or a multi-byte lead byte,
/// where a capital glued to the word before may start.
const MAY_START_CAPITAL: u8 = 2;

/// What each byte is to [`tokenize`]'s word loop: one table lookup a byte.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let ends = b" \t,;:()\"\n\r!?[]";
    let mut k = 0;
    while k < ends.len() {
        t[ends[k] as usize] = ENDS_WORD;
        k += 1;
    }
    let mut c = b'A';
    while c <= b'Z' {
        t[c as usize] = MAY_START_CAPITAL;
        c += 1;
    }
    let mut c = 0xC0usize;
    while c <= 0xFF {
        t[c] = MAY_START_CAPITAL;
        c += 1;
    }
    t
};

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
                while i < to {
                    let class = BYTE_CLASS[b[i] as usize];
                    if class == ENDS_WORD {
                        break;
                    }
                    // A lost space (`Tổng Bí thưNguyễn`, `LêDiễn`) ends the word.
                    // (Only an upper-case ASCII letter or a multi-byte lead
                    // byte can start the capital: most bytes skip the check.)
                    if class == MAY_START_CAPITAL && i > s && glue_at(text, s, i) {
                        break;
                    }
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
                } else if e > s + 1 && word.ends_with('-') {
                    // `Bí thư huyện ủy- Chủ tịch …`: a dash glued to the word
                    // before it is the separator all the same.
                    out.push(Tok {
                        start: s,
                        end: e - 1,
                        kind: TokKind::Word,
                    });
                    out.push(Tok {
                        start: e - 1,
                        end: e,
                        kind: TokKind::Word,
                    });
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

/// A lost space at byte `i` inside the word starting at `s`: a lower-case
/// letter then a capital (`thưNguyễn`, `LêDiễn`, `tịchUBND`), where the
/// piece before is a syllable, not a mixed-case abbreviation (`ThS`,
/// `iPhone`): at least three characters, or two with a diacritic.
fn glue_at(text: &str, s: usize, i: usize) -> bool {
    // Cheap exit on the lower-case letters most syllables carry, read from
    // their bytes: `à`–`ÿ` (`C3 A0`–`C3 BF`) and the odd code points of
    // U+1EA0–U+1EFF (`ạ ả ấ … ỹ`, `E1 BA A1`, `E1 BB 81`, …). No capital
    // starts there.
    let b = text.as_bytes();
    match (b.get(i), b.get(i + 1), b.get(i + 2)) {
        (Some(0xC3), Some(&c), _) if c >= 0xA0 => return false,
        (Some(0xE1), Some(0xBA), Some(&c)) if c >= 0xA0 && c & 1 == 1 => return false,
        (Some(0xE1), Some(0xBB), Some(&c)) if c & 1 == 1 => return false,
        // `ă đ ĩ ũ ơ ư`: lower case.
        (Some(0xC4), Some(0x83 | 0x91 | 0xA9), _)
        | (Some(0xC5), Some(0xA9), _)
        | (Some(0xC6), Some(0xA1 | 0xB0), _) => return false,
        _ => {}
    }
    let Some(piece) = text.get(s..i) else {
        return false;
    };
    let Some(next) = text.get(i..).and_then(|r| r.chars().next()) else {
        return false;
    };
    if !next.is_uppercase() {
        return false;
    }
    let Some(prev) = piece.chars().next_back() else {
        return false;
    };
    if !prev.is_lowercase() || !piece.chars().all(char::is_alphabetic) {
        return false;
    }
    let n = piece.chars().count();
    n >= 3 || (n == 2 && !piece.is_ascii())
}

/// `text[a..b]` as a clean string: lost spaces restored, runs of spaces
/// collapsed, no space before a comma.
fn render(text: &str, a: usize, b: usize) -> String {
    let Some(slice) = text.get(a..b) else {
        return String::new();
    };
    let mut out = String::with_capacity(slice.len() + 4);
    let mut word_start = 0usize;
    for (k, c) in slice.char_indices() {
        if c.is_whitespace() {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            word_start = k + c.len_utf8();
            continue;
        }
        if c == ',' && out.ends_with(' ') {
            out.pop();
        }
        if k > word_start && glue_at(slice, word_start, k) {
            out.push(' ');
            word_start = k;
        }
        if !c.is_alphanumeric() {
            word_start = k + c.len_utf8();
        }
        out.push(c);
    }
    out.trim().to_owned()
}

/// `Nguyễn`, `Khang`, `A`: a capital then lower-case letters only.
fn is_title(w: &str) -> bool {
    let mut cs = w.chars();
    match cs.next() {
        Some(c) if c.is_uppercase() => {
            // An apostrophe inside a Central Highlands name or place, the
            // letter after it of either case (`H'Yim`, `M'gar`, `K'Ré`).
            let mut after_apostrophe = false;
            cs.all(|c| {
                let ok = c.is_lowercase()
                    || (after_apostrophe && c.is_uppercase())
                    || (is_apostrophe(c) && !after_apostrophe);
                after_apostrophe = is_apostrophe(c);
                ok
            }) && !after_apostrophe
        }
        _ => false,
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
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

/// The first word of every [`HONORIFICS`] and [`RANKS`] sequence.
fn title_first_words() -> &'static FnvSet {
    static SET: OnceLock<FnvSet> = OnceLock::new();
    SET.get_or_init(|| {
        HONORIFICS
            .iter()
            .chain(RANKS)
            .filter_map(|seq| seq.first().copied())
            .collect()
    })
}

/// Skips honorifics and rank words from token `k`.
fn skip_titles(text: &str, toks: &[Tok], mut k: usize) -> usize {
    loop {
        // Cheap exit: no honorific or rank sequence starts with this word.
        if !toks.get(k).is_some_and(|t| {
            t.kind == TokKind::Word && title_first_words().contains(&text[t.start..t.end])
        }) {
            return k;
        }
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
    name_in_run_from(text, toks, a, b, provinces, None)
}

/// [`name_in_run`], or with `only = Some(k)` whether the name can start at
/// exactly token `k` (a caller that needs the whole run after honorifics to
/// be the name, whatever its length: `đồng chí Y Thanh Hà Niê Kđăm`).
fn name_in_run_from(
    text: &str,
    toks: &[Tok],
    a: usize,
    b: usize,
    provinces: &[places::PlaceMatch],
    only: Option<usize>,
) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None; // (rank, index)
    let prev = if a > 0 && toks[a - 1].kind == TokKind::Word {
        &text[toks[a - 1].start..toks[a - 1].end]
    } else {
        ""
    };
    // After a place word (`TP. Châu Đốc`, `xã Hà Ra`) the first two
    // capitalised syllables are the place; a run of two is a place
    // (`thành phố Sầm Sơn`), and so after `tỉnh` (`tỉnh Hồ Nam`).
    let after_place = PLACE_WORDS.contains(&prev);
    if (after_place || prev == "tỉnh") && b - a == 2 {
        return None;
    }
    // After a school or a continent (`Trường THCS Chu Văn An`, `châu Âu`)
    // the run is the body's name.
    let after_institution = INSTITUTION_BEFORE.contains(&prev);
    if after_institution && b - a <= 3 {
        return None;
    }
    for k in a..b {
        if only.is_some_and(|o| o != k) {
            continue;
        }
        if after_place && k < a + 2 && !(k == a && b - a == 3) {
            continue;
        }
        if after_institution && k < a + 2 {
            continue;
        }
        let rest = &text[toks[k].start..];
        if k == a && COUNTRIES.iter().any(|c| rest.starts_with(c)) {
            return None; // a foreign leader's country, then a foreign name
        }
        let len = b - k;
        let w = &text[toks[k].start..toks[k].end];
        // `đồng chí K'Điều, Bí thư Huyện ủy …`: a Cơ Ho or Ê Đê name of one
        // word with its apostrophe (`K'`, `H'`), only after an honorific.
        let one_word_highland = len == 1
            && w.len() > 3
            && {
                let mut cs = w.chars();
                matches!(cs.next(), Some('K' | 'H')) && cs.next().is_some_and(is_apostrophe)
            }
            && is_title(w)
            && after_honorific(text, toks, k);
        if !(2..=5).contains(&len) && !one_word_highland {
            continue;
        }
        // `A` opens a Ba Na or Xơ Đăng man's name (`đồng chí A Ten`), only
        // right after an honorific (`Khối A`, `A Lưới` are no names).
        let ethnic = is_highland_surname(w) || (w == "A" && after_honorific(text, toks, k));
        if !is_surname(w) && !ethnic {
            continue;
        }
        // Not right after a body word inside the run (`Sở Y Tế`, `Trường Lương Thế Vinh`).
        if k > a && BODY_TYPES.contains(&&text[toks[k - 1].start..toks[k - 1].end]) {
            continue;
        }
        // Foreign names (`Âu Charles Michel`): a plain ASCII syllable no
        // Vietnamese spelling allows. A Central Highlands name (`Ksor Phước
        // Hà`, `Rơ Mah Tuân`) keeps its own spelling.
        if !ethnic
            && toks[k..b].iter().any(|t| {
                let w = &text[t.start..t.end];
                w.is_ascii() && !is_viet_syllable(w)
            })
        {
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
    if only.is_some() {
        return best.map(|(_, k)| k);
    }
    // An Ê Đê man's name opens with `Y` and closes with his clan's (`Y Thanh
    // Hà Niê Kđăm`, `Y Biêr Niê`): the whole of it, not its last three.
    if let Some(k) = (a.max(b.saturating_sub(5))..b.saturating_sub(1)).find(|&k| {
        &text[toks[k].start..toks[k].end] == "Y"
            && toks[k + 1..b]
                .iter()
                .any(|t| is_highland_surname(&text[t.start..t.end]))
    }) {
        if best.is_some_and(|(_, n)| n > k) {
            return Some(k);
        }
    }
    // A surname the list does not know (`Chẩu Văn Lâm`, `Quản Minh Cường`):
    // the whole run, three syllables (two to four right after `đồng chí`,
    // `ông`, `bà` or a rank), each a Vietnamese syllable, none a body word.
    // It wins over a two-syllable tail (`Văn Lâm`), not over a longer one.
    if !after_place && unknown_surname_name(text, toks, a, b, provinces) {
        match best {
            None => return Some(a),
            Some((_, k)) if k > a && b - k < 3 => return Some(a),
            _ => {}
        }
    }
    best.map(|(_, k)| k)
}

/// First syllables of the family or clan names of the Central Highlands
/// peoples (Ê Đê, Gia Rai, Ba Na, M'nông, Xtiêng), whose spelling is not a
/// Kinh syllable's: `Ksor Phước Hà`, `Rơ Mah Tuân`, `Niê Kđăm`.
const HIGHLAND_SURNAMES: &[&str] = &[
    "Ksor", "Rơ", "Siu", "Nay", "Rah", "Kpă", "Niê", "Êban", "Mlô", "Byă", "Điểu", "Rmah", "Kbuôr",
    "Hđơk", "Ayun", "Rcom", "Êya", "Kpuih",
];

fn is_highland_surname(w: &str) -> bool {
    // An Ê Đê woman's name opens `H'` (`H'Yim Kđoh`), a Cơ Ho man's `K'`.
    HIGHLAND_SURNAMES.contains(&w) || (w.len() > 2 && w.contains(is_apostrophe) && is_title(w))
}

/// Lower-case Vietnamese vowels, every tone.
const VOWELS: &str = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ";

/// Vowel clusters of Vietnamese syllables, without tone marks.
const CLUSTERS: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "ưa", "ưi", "ưu", "ươ", "uy", "yê", "iêu", "oai", "oay", "oeo", "uây", "uôi",
    "ươi", "ươu", "uya", "uyê", "uyu", "yêu",
];

/// The vowel without its tone mark (`ẩ` → `â`).
fn base_vowel(c: char) -> char {
    VOWELS
        .chars()
        .position(|v| v == c)
        .and_then(|p| VOWELS.chars().nth(p / 6 * 6))
        .unwrap_or(c)
}

/// `w` is one Vietnamese syllable: initial consonant(s), one to three
/// vowels, a final consonant (`Chẩu`, `Quản`, `Điểu`; not `Ahmad`, `Yassin`).
fn is_viet_syllable(w: &str) -> bool {
    const INITIALS: &[&str] = &[
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu", "b", "c", "d", "đ", "g",
        "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
    ];
    const FINALS: &[&str] = &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
    let lower = w.to_lowercase();
    if lower.chars().count() > 7 {
        return false;
    }
    INITIALS.iter().any(|i| {
        let Some(rest) = lower.strip_prefix(i) else {
            return false;
        };
        let vowels = rest.chars().take_while(|c| VOWELS.contains(*c)).count();
        if !(1..=3).contains(&vowels) {
            return false;
        }
        let base: String = rest.chars().take(vowels).map(base_vowel).collect();
        if !(CLUSTERS.contains(&base.as_str()) || i == &"gi" || i == &"qu") {
            return false;
        }
        let tail: String = rest.chars().skip(vowels).collect();
        FINALS.contains(&tail.as_str())
    })
}

/// Bodies a `phòng` (unit) belongs to, named after a comma.
const UNIT_PARENTS: &[&str] = &[
    "Ban", "Sở", "Cục", "Bộ", "Vụ", "Viện", "UBND", "Công", "Văn", "Tỉnh", "Thành", "Huyện",
    "Trung",
];

/// Words right before a run that make the run a body's own name.
const INSTITUTION_BEFORE: &[&str] = &[
    "THCS",
    "THPT",
    "PTTH",
    "PTCS",
    "ĐH",
    "CĐ",
    "TH",
    "chuyên",
    "học",
    "viện",
    "đường",
    "châu",
    "non",
    "Trường",
    "cầu",
    "chợ",
    "làng",
    "thôn",
    "ấp",
    "bản",
    "giải",
    "Giải",
];

/// Capitalised body words after which a run inside a title names the body.
const BODY_TYPES: &[&str] = &[
    "Sở",
    "Bộ",
    "Cục",
    "Ban",
    "Vụ",
    "Viện",
    "Trường",
    "Hội",
    "Đoàn",
    "Phòng",
    "Đài",
    "Báo",
    "Học",
    "Khoa",
    "Quỹ",
    "Đội",
    "Tòa",
    "Ngân",
    "Đường",
    "Phố",
    "Cầu",
    "Khu",
    "Giải",
    "Lăng",
    "Nhà",
];

/// Capitalised words that never start a personal name.
const NOT_NAME_START: &[&str] = &[
    "Sáng",
    "Chiều",
    "Tối",
    "Trưa",
    "Ngày",
    "Tại",
    "Theo",
    "Trong",
    "Sau",
    "Trước",
    "Khi",
    "Với",
    "Về",
    "Cùng",
    "Dự",
    "Tham",
    "Phát",
    "Đến",
    "Thay",
    "Các",
    "Những",
    "Một",
    "Cũng",
    "Còn",
    "Đây",
    "Đó",
    "Hôm",
    "Năm",
    "Tháng",
    "Tuần",
    "Lúc",
    "Ông",
    "Bà",
    "Anh",
    "Chị",
    "Em",
    "Thứ",
    "Chủ",
    "Phó",
    "Giám",
    "Bí",
    "Trưởng",
    "Thầy",
    "Cô",
    "Chú",
    "Bác",
    "Cụ",
    "Mẹ",
    "Bố",
    "Cha",
    "Kỳ",
    "Khóa",
    "Lễ",
    "Lớp",
    "Đợt",
    "Thôn",
    "Bản",
    "Xóm",
    "Ấp",
    "Làng",
    "Số",
    "Điều",
    "Quy",
    "Nghị",
    "Kết",
    "Luật",
    "Hiến",
    "Quyết",
    "Ảnh",
    "Tin",
    "Bài",
    "Nguồn",
    "Đài",
    "Báo",
    "Tạp",
    "Nhóm",
    "Đội",
    "Tiểu",
    "Phân",
    "Chi",
    "Đường",
    "Phố",
    "Cầu",
    "Sông",
    "Núi",
    "Hồ",
    "Chợ",
    "Đền",
    "Chùa",
    "Miền",
    "Vùng",
    "Bắc",
    "Trung",
    "Tây",
    "Đông",
];

/// Syllables of body names that never occur in a name whose surname the
/// list does not know.
const BODY_SYLLABLES: &[&str] = &[
    "Tỉnh",
    "Huyện",
    "Ủy",
    "Ban",
    "Bộ",
    "Sở",
    "Cục",
    "Hội",
    "Đảng",
    "Đoàn",
    "Nhà",
    "Nước",
    "Tòa",
    "Viện",
    "Vụ",
    "Phòng",
    "Trường",
    "Học",
    "Kiểm",
    "Thường",
    "Tổng",
    "Mặt",
    "Liên",
    "Khối",
    "Quân",
    "Xã",
    "Phường",
    "Thành",
    "Thị",
    "Đại",
    "Tế",
    "Nhân",
    "Dân",
    "Chính",
    "Trị",
];

fn unknown_surname_name(
    text: &str,
    toks: &[Tok],
    a: usize,
    b: usize,
    provinces: &[places::PlaceMatch],
) -> bool {
    let len = b.saturating_sub(a);
    let lead = after_honorific(text, toks, a);
    if !(len == 3 || (lead && (2..=4).contains(&len))) {
        return false;
    }
    let first = &text[toks[a].start..toks[a].end];
    if ORG_WORDS.contains(&first) || NOT_NAME_START.contains(&first) || is_surname(first) {
        return false;
    }
    // A Vietnamese name is written with its diacritics (`Chan Chung Sing`,
    // `Mae Hong Son` are not).
    if text[toks[a].start..toks[b - 1].end].is_ascii() {
        return false;
    }
    if toks[a..b].iter().any(|t| {
        let w = &text[t.start..t.end];
        t.kind != TokKind::Word
            || !is_title(w)
            || !is_viet_syllable(w)
            || BODY_SYLLABLES.contains(&w)
    }) {
        return false;
    }
    let (s, e) = (toks[a].start, toks[b - 1].end);
    if provinces.iter().any(|p| p.start < e && s < p.end) {
        return false;
    }
    let rest = &text[s..];
    !COUNTRIES.iter().any(|c| rest.starts_with(c))
        && !NOT_NAMES
            .iter()
            .any(|n| text[..e].ends_with(n) || rest.starts_with(n))
}

/// Token `a` follows `đồng chí`, `ông`, `bà` or a rank word.
fn after_honorific(text: &str, toks: &[Tok], a: usize) -> bool {
    // Every sequence ends on the word just before `a`: compare that first.
    let Some(prev) = a.checked_sub(1).and_then(|i| toks.get(i)) else {
        return false;
    };
    if prev.kind != TokKind::Word {
        return false;
    }
    let w = &text[prev.start..prev.end];
    HONORIFICS.iter().chain(RANKS.iter()).any(|seq| {
        seq.last() == Some(&w)
            && a >= seq.len()
            && match_seq(text, toks, a - seq.len(), &[seq]) == Some(seq.len())
    })
}

/// One parsed chain of positions and the name after it.
struct Chain {
    positions: Vec<(usize, usize, usize)>, // (start, end, head length)
    name: Option<(usize, usize)>,
    /// The name follows an honorific or a rank word.
    name_marked: bool,
    /// Byte offset up to which the text is consumed.
    end: usize,
}

/// Parses positions from token `k0` (a head word at `toks[k0]`).
fn parse_chain(text: &str, toks: &[Tok], k0: usize, provinces: &[places::PlaceMatch]) -> Chain {
    let ac = heads();
    let mut chain = Chain {
        positions: Vec::new(),
        name: None,
        name_marked: false,
        end: toks[k0].end,
    };
    let mut k = k0;
    'positions: loop {
        // The head word spans one or more tokens.
        let hs = toks[k].start;
        let Some(hm) = ac.at(text, hs) else {
            break;
        };
        let he = hm.end;
        let mut j = k;
        while j < toks.len() && toks[j].end <= he {
            j += 1;
        }
        let head_tok_end = j;
        let mut last_end = he;
        let mut prev_title = false;
        let mut last_cont = false;
        let mut in_body = false;
        let mut low_run = 0usize;
        let mut title_end = he;
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
                    chain.name_marked = true;
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
                TokKind::Comma
                    if text[hs..he].ends_with("phòng")
                        && toks.get(j + 1).is_some_and(|n| {
                            n.kind == TokKind::Word && UNIT_PARENTS.contains(&&text[n.start..n.end])
                        }) =>
                {
                    // `Trưởng phòng Văn hóa văn nghệ, Ban Tuyên giáo Thành ủy`:
                    // the unit's parent body goes on after the comma.
                    j += 1;
                    prev_title = false;
                    last_cont = false;
                    continue;
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
                            chain.name_marked = true;
                            chain.name = Some((toks[n].start, toks[r - 1].end));
                            chain.end = toks[r - 1].end;
                        }
                        return chain;
                    }
                    if n == j + 1 {
                        if let Some(h) = next_head(text, toks, n) {
                            k = h;
                            continue 'positions;
                        }
                    }
                    return chain;
                }
                TokKind::Stop => break,
                TokKind::Word => {}
            }
            let w = &text[t.start..t.end];
            // `Trưởng Ban Chỉ đạo Trung ương về phòng, chống tham nhũng, tiêu
            // cực`: the committee's name, commas and all, is the body.
            let ban_at = match w {
                "Ban" => Some(t.start),
                "Chỉ" if j > 0 && &text[toks[j - 1].start..toks[j - 1].end] == "Ban" => {
                    Some(toks[j - 1].start)
                }
                _ => None,
            };
            if let Some((_, len)) =
                ban_at.and_then(|b| crate::issuers::steering_committee(&text[b..]))
            {
                let end = ban_at.unwrap_or(t.start) + len;
                last_end = end;
                title_end = end;
                while j < toks.len() && toks[j].start < end {
                    j += 1;
                }
                prev_title = true;
                in_body = true;
                low_run = 0;
                last_cont = false;
                continue;
            }
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
                in_body = true;
                low_run = 0;
                title_end = last_end;
                last_cont = false;
                continue;
            }
            if is_caps(w) {
                last_end = t.end;
                j += 1;
                prev_title = true;
                in_body = true;
                low_run = 0;
                title_end = last_end;
                last_cont = false;
                continue;
            }
            // `Ban Chỉ đạo 35`, `Quân khu 7`, `Sư đoàn 5`, `UBND Phường 1`: a
            // unit named by its number.
            let prev_w = (j > 0 && toks[j - 1].kind == TokKind::Word)
                .then(|| &text[toks[j - 1].start..toks[j - 1].end]);
            if (1..=4).contains(&w.len())
                && w.bytes().all(|b| b.is_ascii_digit())
                && prev_w.is_some_and(|p| NUMBERED_UNITS.contains(&p))
            {
                last_end = t.end;
                title_end = last_end;
                j += 1;
                prev_title = true;
                in_body = true;
                low_run = 0;
                last_cont = false;
                continue;
            }
            if w == "-" {
                // `… Huyện ủy - Giám đốc Trung tâm …`: the dash starts the next position.
                if let Some(h) = next_head(text, toks, j + 1) {
                    chain.positions.push((hs, last_end, he - hs));
                    chain.end = last_end;
                    k = h;
                    continue 'positions;
                }
            }
            if is_lower(w) || w == "-" {
                if w == "và" && starts_head(text, toks, j + 1) {
                    // `Thủ tướng A và Thủ tướng B`: two people; the next head is
                    // parsed on its own.
                    chain.positions.clear();
                    chain.end = t.start;
                    return chain;
                }
                let next_w = toks
                    .get(j + 1)
                    .filter(|t| t.kind == TokKind::Word)
                    .map(|t| &text[t.start..t.end]);
                // `Ủy viên dự khuyết …` is a title; `ban hành` is a verb.
                let dự_khuyết = w == "dự" && next_w == Some("khuyết");
                // `hành chính`, `tài chính`, `bưu chính`, `Ban Nội chính`: a
                // body's words.
                let prev_w = (j > 0 && toks[j - 1].kind == TokKind::Word)
                    .then(|| &text[toks[j - 1].start..toks[j - 1].end]);
                let chính = (w == "chính"
                    && (matches!(
                        prev_w,
                        Some("hành" | "tài" | "bưu" | "Tài" | "Bưu" | "nội" | "Nội")
                    )
                        || matches!(next_w, Some("trị" | "sách"))))
                    // `Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh`
                    || (w == "các" && matches!(prev_w, Some("Khối" | "khối")))
                    // `Vụ Thiết bị và Công trình y tế`: a noun, not the passive.
                    || (w == "bị" && matches!(prev_w, Some("Thiết" | "thiết" | "Chuẩn" | "chuẩn")))
                    // `Vụ … Công trình y tế`, `Ban Chương trình …`: nouns.
                    || (w == "trình" && matches!(prev_w, Some("Công" | "công" | "Chương" | "chương")))
                    || (w == "và"
                        && in_body
                        && low_run > 0
                        && next_w.is_some_and(|n| {
                            is_lower(n)
                                && !STOPS.contains(&n)
                                && !matches!(n, "đồng" | "ông" | "bà" | "thầy" | "cô")
                        }));
                let kept = dự_khuyết || chính || (w == "và" && next_is_word_title(text, toks, j));
                if STOPS.contains(&w) && !kept
                    || (w == "ban" && next_w == Some("hành"))
                    // `Bí thư Đảng ủy xã triển khai …`: the verb.
                    || (w == "triển" && next_w == Some("khai"))
                    // `… Bộ VH - TT&DL đồng chủ trì`: a verb (co-chairing).
                    || (w == "đồng" && matches!(next_w, Some("chủ" | "chí")))
                    // `Trưởng ban Tuyên giáo Trung ương và đoàn công tác`,
                    // `Sở Nội vụ và đoàn …`: a capitalised name (and its one
                    // lower-case syllable) ends; `và` joins something else.
                    // (`các cơ quan và doanh nghiệp`: a longer lower-case run.)
                    || (w == "và"
                        && low_run <= 1
                        && next_w.is_some_and(|n| is_lower(n) && !CONNECTORS.contains(&n)))
                {
                    break;
                }
                if dự_khuyết {
                    // Both syllables, then the body (`Trung ương Đảng`).
                    last_end = toks[j + 1].end;
                    title_end = last_end;
                    prev_title = true;
                    last_cont = false;
                    j += 2;
                    continue;
                }
                let after_province = j > 0 && provinces.iter().any(|p| p.end == toks[j - 1].end);
                let continues = if prev_title {
                    // one lower-case syllable after a capitalised word (`Cục Hàng không`),
                    // not a verb, not after a province name (`Cà Mau dẫn đầu`)
                    (w == "chính" || !STOPS.contains(&w)) && !after_province && is_plain_syllable(w)
                } else {
                    // inside a body name, a few more lower-case syllables
                    // (`Cục Bảo vệ chính trị nội bộ`, `Trung tâm bồi dưỡng chính trị`)
                    in_body
                        && !after_province
                        && is_plain_syllable(w)
                        && (w == "chính" || !STOPS.contains(&w))
                };
                if continues && !prev_title && !CONNECTORS.contains(&w) && low_run >= 7 {
                    // Too long for a body name: a verb phrase the list does not know.
                    last_end = title_end;
                    break;
                }
                if CONNECTORS.contains(&w)
                    || dự_khuyết
                    || chính
                    || continues
                    || (last_cont && CONTINUATIONS.contains(&w))
                {
                    if w != "-" && w != "và" {
                        last_end = t.end;
                        if prev_title {
                            // `Trung tâm`: the syllable after a capital is the body's own.
                            title_end = last_end;
                        }
                    }
                    last_cont = prev_title && !CONNECTORS.contains(&w);
                    prev_title = false;
                    low_run += 1;
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

/// The token index of a head word at `j`, or after `nguyên` at `j`
/// (`…, nguyên Chủ tịch nước`).
fn next_head(text: &str, toks: &[Tok], j: usize) -> Option<usize> {
    if starts_head(text, toks, j) {
        return Some(j);
    }
    let t = toks.get(j)?;
    if t.kind == TokKind::Word
        && matches!(&text[t.start..t.end], "nguyên" | "Nguyên")
        && starts_head(text, toks, j + 1)
    {
        return Some(j + 1);
    }
    None
}

/// True when a head word starts at token `j`.
fn starts_head(text: &str, toks: &[Tok], j: usize) -> bool {
    toks.get(j).is_some_and(|t| {
        t.kind == TokKind::Word
            && heads()
                .at(text, t.start)
                .is_some_and(|m| word_end(text, m.end))
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
    match text.get(i..).and_then(|r| r.chars().next()) {
        Some(c) if c.is_alphanumeric() => {
            // A lost space after the head (`Phó Chủ tịchUBND`).
            let from = text[..i].rfind([' ', '\n', '\t']).map_or(0, |p| p + 1);
            glue_at(text, from, i)
        }
        _ => true,
    }
}

/// Where a position at byte `s` starts when `nguyên ` (former) stands
/// before it; `s` otherwise.
fn former_start(text: &str, s: usize) -> usize {
    let before = &text[..s];
    for p in ["nguyên ", "Nguyên "] {
        if let Some(b) = before.strip_suffix(p) {
            if !b.chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
                return b.len();
            }
        }
    }
    s
}

/// The name at byte `ns` follows a credit label (`Ảnh:`, `Tin, ảnh:`,
/// `Bài và ảnh:`, `Nguồn:`, `Tác giả:`, `PV:`): a byline, not an official.
fn is_credit_before(text: &str, ns: usize) -> bool {
    let from = floor_char(text, ns.saturating_sub(40));
    let before = text[from..ns].trim_end();
    let Some(label) = before.strip_suffix(':') else {
        return false;
    };
    let label = label.trim_end();
    let last = label
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    [
        "ảnh", "tin", "bài", "nguồn", "giả", "pv", "clip", "video", "hiện", "viết", "thuật",
    ]
    .contains(&last.as_str())
}

/// A head word may start at byte `s`: after a non-letter, or after a lost
/// space (`đồng chíBí thư`), but not glued to `Phó` / `Tổng` / `Thứ`.
fn word_start(text: &str, s: usize) -> bool {
    match text[..s].chars().next_back() {
        Some(c) if c.is_alphanumeric() => {
            let from = text[..s].rfind([' ', '\n', '\t']).map_or(0, |p| p + 1);
            let piece = &text[from..s];
            glue_at(text, from, s) && !["Phó", "Tổng", "Thứ", "Chủ", "Trưởng"].contains(&piece)
        }
        _ => true,
    }
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
    // The name must be the whole run after honorifics (`Ông Nguyễn Văn A`),
    // five syllables too (`đồng chí Y Thanh Hà Niê Kđăm`).
    let start = skip_titles(text, toks, a);
    let n = match name_in_run(text, toks, a, last, &provinces) {
        Some(n) if n == a || n == start => n,
        _ => name_in_run_from(text, toks, a, last, &provinces, Some(start))?,
    };
    // The run ends the previous person's title (`Chủ tịch Huỳnh Ngọc Huy, Phó
    // Chủ tịch …`): that chain has it.
    let lead = text[from..toks[n].start].trim_end();
    if HEADS.iter().any(|h| lead.ends_with(h)) {
        return None;
    }
    // A short name or one with a surname the list does not know needs a
    // clear start: the segment's start, `đồng chí` / `ông` / a rank, an
    // abbreviation (`TS`), or a word that introduces a person (`có`, `và`,
    // `của`, `được`…), not a body's name (`… chính trị Hồ Nam, Phó chủ tịch`).
    let short = last - n == 2 || !is_surname(&text[toks[n].start..toks[n].end]);
    if short && n > 0 && !after_honorific(text, toks, n) {
        let p = &text[toks[n - 1].start..toks[n - 1].end];
        if !(is_caps(p) || INTRODUCERS.contains(&p)) {
            return None;
        }
    }
    Some((toks[n].start, toks[last - 1].end))
}

/// Words after which a name starts (`có đồng chí`, `dự có …`, `của …`).
const INTRODUCERS: &[&str] = &[
    "có", "và", "của", "được", "với", "nghe", "cùng", "do", "là", "gồm", "tặng", "trao", "thăm",
    "tiếp", "đón", "mời", "cho", "giữa", "bởi", "theo", "từ", "tới", "đến", "mặt", "hỏi", "chúc",
    "nhờ", "vị", "dự", "gặp", "hai", "ba", "các", "Các",
];

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
    if non_public(position) {
        return false;
    }
    // `Chủ tịch Hồ Chí Minh`: the historical leader, never a report's official.
    if position
        .get(head_len..)
        .is_some_and(|r| r.trim_start().starts_with("Hồ Chí Minh"))
    {
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
        "Huyện ủy viên",
        "Thủ tướng",
        "Phó Thủ tướng",
        "Bộ trưởng",
        "Thứ trưởng",
        "Đại biểu Quốc hội",
        "Chủ tịch nước",
    ];
    party_head.contains(&head) || PUBLIC.iter().any(|m| contains_word(rest, m))
}

/// A company, club or team marker in `s`, outside a Party bloc committee
/// (`Đảng ủy Khối Doanh nghiệp`, `Đảng ủy Khối các cơ quan và doanh nghiệp`).
fn non_public(s: &str) -> bool {
    let s = match bloc_start(s) {
        Some(p) => &s[..p],
        None => s,
    };
    non_public_marks().is_match(s)
}

/// One automaton over [`NON_PUBLIC`]: `is_match` is `NON_PUBLIC.iter().any(|m|
/// s.contains(m))` in one pass instead of a substring search per mark.
fn non_public_marks() -> &'static aho_corasick::AhoCorasick {
    static AC: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        aho_corasick::AhoCorasick::new(NON_PUBLIC).expect("the non-public marks build an automaton")
    })
}

const BLOCS: &[&str] = &[
    "Đảng ủy Khối",
    "Đảng ủy khối",
    "Đảng bộ Khối",
    "Đảng bộ khối",
];

fn bloc_start(s: &str) -> Option<usize> {
    // Every bloc opens with `Đ`: a quick character search rules most texts out.
    s.find('Đ')?;
    // Every bloc opens with `Đảng `: the first occurrence of that which
    // opens a bloc is the leftmost bloc (one search instead of four).
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    FINDER
        .get_or_init(|| crate::context::vietnamese_finder("Đảng "))
        .find_iter(s.as_bytes())
        .find(|&p| BLOCS.iter().any(|b| s[p..].starts_with(b)))
}

/// The text ends inside a Party bloc committee's name (within 60 bytes).
fn party_bloc(before: &str) -> bool {
    let from = floor_char(before, before.len().saturating_sub(60));
    bloc_start(&before[from..]).is_some()
}

/// `needle` occurs in `hay` with word boundaries on both sides.
fn contains_word(hay: &str, needle: &str) -> bool {
    let Some(&first) = needle.as_bytes().first() else {
        return true; // an empty mark is everywhere
    };
    // The leftmost occurrence from `from`, as `str::find` gives it, without
    // building a substring searcher for each (short) position and mark.
    let find_from = |from: usize| {
        let h = hay.as_bytes().get(from..)?;
        memchr::memchr_iter(first, h)
            .find(|&p| h[p..].starts_with(needle.as_bytes()))
            .map(|p| from + p)
    };
    let mut from = 0;
    while let Some(s) = find_from(from) {
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
    for (s, m_end) in find_heads(text) {
        if s < consumed {
            continue;
        }
        // Word boundary and not inside a body name (`Ban Bí thư`, `Văn phòng Chủ tịch nước`).
        if !word_start(text, s) || !word_end(text, m_end) {
            continue;
        }
        // Every body prefix below ends in `n ` or `g `: test those two
        // bytes before the eight suffixes.
        let bb = text.as_bytes();
        let body_before = s >= 2 && bb[s - 1] == b' ' && matches!(bb[s - 2], b'n' | b'g');
        let before = &text[floor_char(text, s.saturating_sub(24))..s];
        if body_before
            && [
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
        let has_surname = toks.iter().enumerate().any(|(k, t)| {
            t.kind == TokKind::Word
                && !text.as_bytes()[t.start].is_ascii_lowercase()
                && (is_surname(&text[t.start..t.end]) || title_run(text, &toks, k) >= k + 2)
        });
        let b = text.as_bytes();
        // `nguyên Chủ tịch nước`: a former office, the name is before `nguyên`.
        let s_pre = former_start(text, s);
        let mut q = s_pre;
        while q > 0 && b[q - 1] == b' ' {
            q -= 1;
        }
        let name_before_possible = q > 0 && (b[q - 1] == b',' || b[q - 1] == b'-');
        let span_end = toks.last().map_or(s, |t| t.end);
        let colon_list = text[span_end..].trim_start_matches(' ').starts_with(':');
        if !has_surname && !name_before_possible && !colon_list {
            consumed = span_end;
            continue;
        }
        let provinces = places::find_provinces(text, s..span_end);
        let chain = parse_chain(text, &toks, 0, &provinces);
        consumed = chain.end;
        // A title shared by a list after a colon (`Các đồng chí Phó Chủ
        // tịch UBND tỉnh: Đỗ Văn Giang, Bùi Thị Hà`).
        let listed = if chain.name.is_none() && chain.end == span_end && colon_list {
            names_after_colon(text, span_end)
        } else {
            Vec::new()
        };
        if let Some(&(_, e)) = listed.last() {
            consumed = e;
        }
        // `<Name>, <position>` wins over a run after the position (`…
        // thường xuyên Lục Ngạn`) unless `ông` / `đồng chí` / a rank marks it.
        let before = name_before(text, s_pre, &mut toks2);
        let chain_short = chain
            .name
            .is_some_and(|(a, b)| text[a..b].split(' ').count() <= 2);
        let name = match chain.name {
            Some(n) if chain.name_marked || before.is_none() || !chain_short => Some(n),
            _ => before,
        };
        let names: Vec<(usize, usize)> = match name {
            Some(n) => vec![n],
            None => listed,
        };
        if names.is_empty() {
            continue;
        }
        let positions: Vec<String> = chain
            .positions
            .iter()
            .map(|&(a, b, h)| {
                let p = render(text, a, b.max(a));
                (
                    trim_dangling(&p, h).to_owned(),
                    h,
                    former_start(text, a) < a,
                )
            })
            .filter(|(p, h, _)| is_public(p, *h))
            .map(|(p, _, former)| if former { format!("nguyên {p}") } else { p })
            .collect();
        if positions.is_empty() {
            continue;
        }
        // A company role anywhere in the chain disqualifies the person here.
        let tail_end = floor_char(text, (chain.end + 32).min(text.len()));
        let tail = &text[chain.end.min(tail_end)..tail_end];
        // `… Bí thư Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh`
        let tail = if party_bloc(&text[..chain.end.min(tail_end)]) {
            ""
        } else {
            tail
        };
        if chain
            .positions
            .iter()
            .any(|&(a, b, _)| non_public(&text[a..b.max(a)]))
            || non_public(tail)
        {
            continue;
        }
        for (ns, ne) in names {
            // Photo credits and bylines (`Ảnh: Nguyễn Văn A`, `Tin, ảnh: …`).
            if is_credit_before(text, ns) {
                continue;
            }
            let name = render(text, ns, ne);
            if name == "Hồ Chí Minh" || name.starts_with("Hồ Chí Minh ") {
                continue;
            }
            let idx = *index.entry(name.clone()).or_insert_with(|| {
                out.push(Official {
                    name,
                    positions: Vec::new(),
                });
                out.len() - 1
            });
            for p in &positions {
                if !out[idx].positions.contains(p) {
                    out[idx].positions.push(p.clone());
                }
            }
        }
    }
    out
}

/// The names listed after the colon at or after `at` (`: Đỗ Văn Giang, Bùi
/// Thị Hà và Lê Văn Cường`): each a run of two to five capitalised words
/// opening on a known surname, joined by `,` or `và`; the list ends at any
/// other word or punctuation. Empty when the first item is not a name.
fn names_after_colon(text: &str, at: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let Some(rest) = text.get(at..) else {
        return out;
    };
    let Some(after) = rest.trim_start_matches(' ').strip_prefix(':') else {
        return out;
    };
    let mut i = text.len() - after.len();
    loop {
        let r = &text[i..];
        let r2 = r.trim_start_matches(' ');
        i += r.len() - r2.len();
        // One name: capitalised words.
        let (start, mut end, mut words) = (i, i, 0usize);
        let mut j = i;
        for w in text[i..].split(' ') {
            let word = &w[..w.find(|c: char| !c.is_alphabetic()).unwrap_or(w.len())];
            if word.is_empty() || !is_title(word) || words == 5 {
                break;
            }
            if words == 0 && !is_surname(word) {
                break;
            }
            words += 1;
            end = j + word.len();
            if word.len() != w.len() {
                break;
            }
            j += w.len() + 1;
        }
        if !(2..=5).contains(&words) {
            break;
        }
        out.push((start, end));
        let r = &text[end..];
        let sep = if let Some(x) = r.strip_prefix(", ") {
            // `: A, Phó Chủ nhiệm …; B, Bộ trưởng …`: each item has its own
            // title, read from the name; the list is not one of bare names.
            if heads().at(text, text.len() - x.len()).is_some() {
                return Vec::new();
            }
            x
        } else if let Some(x) = r.strip_prefix(" và ") {
            x
        } else {
            break;
        };
        i = text.len() - sep.len();
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

    /// Prints what each line of `$OFFICIALS_DEBUG` yields (a development aid).
    #[test]
    #[ignore]
    fn debug_lines() {
        let Ok(path) = std::env::var("OFFICIALS_DEBUG") else {
            return;
        };
        let t = std::fs::read_to_string(path).unwrap_or_default();
        for line in t.lines() {
            eprintln!("{line}\n  => {:?}", run(line));
        }
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

/// The byte test at the top of [`glue_at`] rejects only characters that are
/// not capitals, so a lost space before a capital is still found.
#[cfg(test)]
mod glue_bytes {
    use super::glue_at;

    #[test]
    fn the_rejected_characters_are_not_capitals() {
        let rejected = (0xE0..=0xFF).chain((0x1EA1..=0x1EFF).step_by(2));
        for cp in rejected {
            let c = char::from_u32(cp).expect("a character");
            assert!(!c.is_uppercase(), "{c} U+{cp:04X}");
            let word = format!("thư{c}");
            assert!(!glue_at(&word, 0, "thư".len()), "{word}");
        }
    }

    #[test]
    fn capitals_after_a_syllable_still_glue() {
        for (word, at) in [
            ("thưNguyễn", "thư".len()),
            ("LêẤn", "Lê".len()),
            ("tịchỦy", "tịch".len()),
        ] {
            assert!(glue_at(word, 0, at), "{word}");
        }
    }
}

/// The fast scan of [`find_heads`] gives exactly the matches of one
/// automaton over every head.
#[cfg(test)]
mod head_scan_equivalence {
    use super::*;
    use proptest::prelude::*;

    fn reference(text: &str) -> Vec<(usize, usize)> {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(HEADS)
            .expect("heads automaton")
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect()
    }

    #[test]
    fn deputies_and_their_heads() {
        for t in [
            "Phó Bí thư Tỉnh ủy, Phó Chủ tịch Quốc hội và Phó Tổng Bí thư.",
            "Phó Phó Chủ tịch; Phó trưởng ban Tuyên giáo; Phó Tổng cục trưởng",
            "Chủ tịch Phó Giám đốc Phó giám đốc Phó Tổng Tham mưu trưởng Phó",
            "Phó Tổng Giám đốc, Phó Trưởng phòng, UV BTV, Phó Chủ tịch nước",
        ] {
            assert_eq!(find_heads(t).collect::<Vec<_>>(), reference(t), "{t}");
        }
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(HEADS).prop_map(str::to_owned),
            Just(DEPUTY.to_owned()),
            Just("Phó".to_owned()),
            Just(" ".to_owned()),
            Just(", ".to_owned()),
            proptest::sample::select(HEAD_MARKERS).prop_map(str::to_owned),
            Just("Tổng ".to_owned()),
            Just("Chủ".to_owned()),
            Just("UV".to_owned()),
            "[a-zA-Zơư ]{0,4}",
        ]
    }

    proptest! {
        #[test]
        fn same_matches_as_one_automaton_over_every_head(
            parts in proptest::collection::vec(fragment(), 0..12)
        ) {
            let text = parts.concat();
            prop_assert_eq!(find_heads(&text).collect::<Vec<_>>(), reference(&text));
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
            hits += super::find_heads(v.text()).count();
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
