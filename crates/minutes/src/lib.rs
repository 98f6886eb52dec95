//! The minutes of the vote count (biên bản kiểm phiếu) as an A4 PDF.
//!
//! What it is for: lay out an election's [`Outcome`] in the customary form —
//! Party header, title, election and office, time and place, base and
//! threshold, ballots, each candidate's votes and percentages, the elected,
//! the next round, the counting committee's signature blocks — with the
//! SHA-256 of the inputs printed on it, and return the PDF as bytes.
//!
//! What it must never do: read or write files (fonts are compiled in with
//! `include_bytes!`, the caller writes the bytes), recount or alter the
//! result it is given, or panic on any election or outcome.
//!
//! # The SHA-256 of the inputs
//! [`inputs_sha256`] is the SHA-256 of the exact bytes of ELECTION.toml
//! followed immediately by the exact bytes of BALLOTS.csv, i.e. what
//! `cat ELECTION.toml BALLOTS.csv | sha256sum` prints. The minutes also
//! print each file's own SHA-256.
//!
//! # Optional ELECTION.toml fields used here
//! `place` (địa điểm), `held_at` (thời gian, free text) and
//! `counting_committee = ["head", "member", …]` (Ban kiểm phiếu, head
//! first). Missing ones leave a dotted line to fill in by hand.
//!
//! Font: DejaVu Serif (fonts/, Bitstream Vera / DejaVu licence, see
//! fonts/LICENSE-DejaVu.txt), full Vietnamese coverage.

use printpdf::{
    IndirectFontRef, Line, Mm, PdfDocument, PdfDocumentReference, PdfLayerReference, Point,
};
use sha2::{Digest, Sha256};
use vanban_election::{Election, NextRoundReason, Outcome};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSerif.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSerif-Bold.ttf");

#[derive(Debug, thiserror::Error)]
pub enum MinutesError {
    #[error("PDF: {0}")]
    Pdf(String),
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 (hex) of the TOML bytes followed by the CSV bytes.
pub fn inputs_sha256(toml: &[u8], csv: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(toml);
    h.update(csv);
    hex(&h.finalize())
}

const W: f32 = 210.0;
const H: f32 = 297.0;
const LEFT: f32 = 20.0;
const RIGHT: f32 = 190.0;
const BOTTOM: f32 = 22.0;

struct Writer {
    doc: PdfDocumentReference,
    layer: PdfLayerReference,
    regular: IndirectFontRef,
    bold: IndirectFontRef,
    y: f32,
    page: u32,
}

/// Approximate advance width of DejaVu Serif (em ≈ 0.56 for text).
fn width(text: &str, size: f32) -> f32 {
    let pt = text.chars().count() as f32 * size * 0.56;
    pt * 25.4 / 72.0
}

impl Writer {
    fn new_page(&mut self) {
        let (p, l) = self.doc.add_page(Mm(W), Mm(H), "Layer 1");
        self.layer = self.doc.get_page(p).get_layer(l);
        self.page += 1;
        self.y = H - 20.0;
    }
    fn need(&mut self, mm: f32) {
        if self.y - mm < BOTTOM {
            self.new_page();
        }
    }
    fn text(&self, s: &str, size: f32, x: f32, bold: bool) {
        let f = if bold { &self.bold } else { &self.regular };
        self.layer.use_text(s, size, Mm(x), Mm(self.y), f);
    }
    fn center(&self, s: &str, size: f32, cx: f32, bold: bool) {
        self.text(s, size, cx - width(s, size) / 2.0, bold);
    }
    /// Writes a paragraph, wrapping at the right margin.
    fn para(&mut self, s: &str, size: f32, x: f32, bold: bool) {
        let max = RIGHT - x;
        let mut line = String::new();
        for word in s.split_whitespace() {
            let cand = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(&cand, size) > max && !line.is_empty() {
                self.need(size * 0.5);
                self.text(&line, size, x, bold);
                self.y -= size * 0.5;
                line = word.to_string();
            } else {
                line = cand;
            }
        }
        if !line.is_empty() {
            self.need(size * 0.5);
            self.text(&line, size, x, bold);
            self.y -= size * 0.5;
        }
    }
    fn rule(&self, x1: f32, x2: f32, y: f32) {
        self.layer.set_outline_thickness(0.5);
        self.layer.add_line(Line {
            points: vec![
                (Point::new(Mm(x1), Mm(y)), false),
                (Point::new(Mm(x2), Mm(y)), false),
            ],
            is_closed: false,
        });
    }
}

fn or_dots(s: Option<&str>) -> String {
    match s {
        Some(s) if !s.trim().is_empty() => s.trim().to_string(),
        _ => "…………………………………………".to_string(),
    }
}

/// The minutes as PDF bytes. `toml` and `csv` are the exact input bytes
/// (only hashed).
pub fn minutes_pdf(
    election: &Election,
    outcome: &Outcome,
    toml: &[u8],
    csv: &[u8],
) -> Result<Vec<u8>, MinutesError> {
    let spec = election.spec();
    let (doc, p, l) = PdfDocument::new("Biên bản kiểm phiếu", Mm(W), Mm(H), "Layer 1");
    let regular = doc
        .add_external_font(REGULAR)
        .map_err(|e| MinutesError::Pdf(e.to_string()))?;
    let bold = doc
        .add_external_font(BOLD)
        .map_err(|e| MinutesError::Pdf(e.to_string()))?;
    let layer = doc.get_page(p).get_layer(l);
    let mut w = Writer {
        doc,
        layer,
        regular,
        bold,
        y: H - 20.0,
        page: 1,
    };

    // Header: Party on the right, counting committee on the left.
    w.center("ĐẢNG CỘNG SẢN VIỆT NAM", 12.0, 145.0, true);
    w.center("BAN KIỂM PHIẾU", 11.0, 55.0, true);
    w.y -= 2.0;
    w.rule(120.0, 170.0, w.y);
    w.rule(42.0, 68.0, w.y);
    w.y -= 6.0;
    let when = or_dots(spec.held_at.as_deref());
    w.center(
        &format!("{}, {}", or_dots(spec.place.as_deref()), when),
        10.0,
        145.0,
        false,
    );
    w.y -= 14.0;
    w.center("BIÊN BẢN KIỂM PHIẾU", 16.0, W / 2.0, true);
    w.y -= 7.0;
    let title = spec.title.clone();
    // Centre short titles, wrap long ones.
    if width(&title, 11.0) < RIGHT - LEFT {
        w.center(&title, 11.0, W / 2.0, true);
        w.y -= 6.0;
    } else {
        w.para(&title, 11.0, LEFT, true);
    }
    w.center(
        &format!("Chức danh bầu: {}", spec.office.label()),
        11.0,
        W / 2.0,
        false,
    );
    w.y -= 10.0;

    let congress = match spec.congress {
        vanban_election::Congress::Delegates => "đại biểu",
        vanban_election::Congress::Members => "đảng viên",
    };
    w.para(
        &format!(
            "Thời gian: {}. Địa điểm: {}.",
            when,
            or_dots(spec.place.as_deref())
        ),
        11.0,
        LEFT,
        false,
    );
    let committee = &spec.counting_committee;
    if !committee.is_empty() {
        w.para(
            &format!("Ban kiểm phiếu gồm: {}.", committee.join(", ")),
            11.0,
            LEFT,
            false,
        );
    }
    w.y -= 2.0;
    let d = spec.deductions;
    let ded = d.total().unwrap_or(0);
    let b = &outcome.ballots;
    let r = &b.invalid_reasons;
    let lines = [
        format!("1. Số {congress} được triệu tập: {}.", spec.convened),
        format!(
            "2. Số không tính vào tổng số: {ded} (vắng có lý do: {}; đình chỉ sinh hoạt: {}; bị truy tố, tạm giam: {}; sinh hoạt tạm thời nơi khác: {}; miễn sinh hoạt và vắng: {}; vắng không có người thay: {}).",
            d.absent_with_leave, d.suspended, d.prosecuted_or_detained, d.attached_elsewhere, d.exempt_and_absent, d.absent_without_substitute
        ),
        format!("3. Tổng số {congress} làm căn cứ tính kết quả: {}. Số phiếu cần để trúng cử (quá một nửa): {}.", outcome.base, outcome.threshold),
        format!("4. Số phiếu phát ra: {}. Số phiếu thu vào: {}.", b.issued, b.returned),
        format!("5. Số phiếu hợp lệ: {}. Số phiếu không hợp lệ: {}.", b.valid, b.invalid),
        format!(
            "   Trong đó: không có dấu của Ban kiểm phiếu: {}; để lại nhiều tên hơn số lượng cần bầu: {}; gạch tên tất cả: {}.",
            r.not_sealed, r.too_many_kept, r.all_struck
        ),
        format!("6. Số lượng cần bầu: {}. Số người trong danh sách: {}.", spec.seats, spec.candidates.len()),
    ];
    for s in &lines {
        w.para(s, 11.0, LEFT, false);
        w.y -= 1.0;
    }
    w.y -= 2.0;
    w.para("7. Kết quả bầu cử (xếp theo số phiếu):", 11.0, LEFT, true);

    // Table.
    let cols = [
        LEFT,
        LEFT + 10.0,
        LEFT + 82.0,
        LEFT + 104.0,
        LEFT + 128.0,
        LEFT + 152.0,
    ];
    let header = |w: &mut Writer| {
        w.need(12.0);
        for (x, h) in cols.iter().zip([
            "TT",
            "Họ và tên",
            "Số phiếu",
            "% tổng số",
            "% hợp lệ",
            "Trúng cử",
        ]) {
            w.text(h, 10.0, *x, true);
        }
        w.rule(LEFT, RIGHT, w.y - 1.5);
        w.y -= 6.0;
    };
    header(&mut w);
    for (i, c) in outcome.candidates.iter().enumerate() {
        if w.y - 6.0 < BOTTOM {
            w.new_page();
            header(&mut w);
        }
        let cells = [
            (i + 1).to_string(),
            c.name.clone(),
            c.votes.to_string(),
            format!("{}%", c.percent_of_base),
            format!("{}%", c.percent_of_valid),
            if c.elected {
                "Trúng cử".into()
            } else {
                String::new()
            },
        ];
        for (x, s) in cols.iter().zip(&cells) {
            w.text(s, 10.0, *x, false);
        }
        w.y -= 5.5;
    }
    w.rule(LEFT, RIGHT, w.y + 3.5);
    w.y -= 4.0;
    if outcome.elected.is_empty() {
        w.para("8. Không có người trúng cử.", 11.0, LEFT, true);
    } else {
        w.para(
            &format!(
                "8. Những người trúng cử ({} / {}): {}.",
                outcome.seats_filled,
                spec.seats,
                outcome.elected.join(", ")
            ),
            11.0,
            LEFT,
            true,
        );
    }
    if let Some(nr) = &outcome.next_round {
        let why = match nr.reason {
            NextRoundReason::Tie => "có người bằng phiếu nhau ở vị trí cuối",
            NextRoundReason::TooFewElected => "số người trúng cử chưa đủ số lượng cần bầu",
        };
        w.para(
            &format!(
                "9. Cần bầu tiếp ({why}): còn {} chỗ; danh sách: {}.",
                nr.seats,
                nr.candidates.join(", ")
            ),
            11.0,
            LEFT,
            false,
        );
    }
    w.y -= 3.0;
    w.para(
        "Mã SHA-256 của dữ liệu đầu vào (ELECTION.toml nối tiếp BALLOTS.csv):",
        9.0,
        LEFT,
        false,
    );
    w.para(&inputs_sha256(toml, csv), 9.0, LEFT, false);
    w.para(
        &format!(
            "ELECTION.toml: {}  BALLOTS.csv: {}",
            &hex(&Sha256::digest(toml))[..16],
            &hex(&Sha256::digest(csv))[..16]
        ),
        8.0,
        LEFT,
        false,
    );
    w.para(
        "Biên bản lập xong cùng ngày, các thành viên Ban kiểm phiếu cùng ký tên.",
        11.0,
        LEFT,
        false,
    );

    // Signatures: members on the left, head on the right.
    let members: Vec<String> = committee.iter().skip(1).cloned().collect();
    let head = committee.first().cloned();
    let rows = members.len().max(1).div_ceil(2);
    w.need(30.0 + rows as f32 * 22.0);
    w.y -= 6.0;
    w.center("TRƯỞNG BAN KIỂM PHIẾU", 11.0, 150.0, true);
    w.center("CÁC THÀNH VIÊN", 11.0, 60.0, true);
    w.y -= 5.0;
    w.center("(Ký, ghi rõ họ tên)", 9.0, 150.0, false);
    w.center("(Ký, ghi rõ họ tên)", 9.0, 60.0, false);
    let top = w.y;
    w.y = top - 22.0;
    w.center(&or_dots(head.as_deref()), 11.0, 150.0, true);
    if members.is_empty() {
        w.center(&or_dots(None), 11.0, 60.0, false);
    }
    for (i, m) in members.iter().enumerate() {
        w.y = top - 22.0 - (i / 2) as f32 * 22.0;
        let cx = if i % 2 == 0 { 38.0 } else { 82.0 };
        w.center(m, 10.0, cx, true);
    }
    let _ = w.page;
    w.doc
        .save_to_bytes()
        .map_err(|e| MinutesError::Pdf(e.to_string()))
}
