//! The output model: exactly the object of `docs/extract-json.md`.
//!
//! Field order and names are part of the contract; fields are only ever added.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One input text's extraction result (one JSON Lines object).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extraction {
    /// The path as given on the command line, or `-` for standard input.
    pub source: String,
    /// Publication date read from the page header, when it gives a whole date.
    pub published: Option<NaiveDate>,
    pub documents: Vec<Document>,
    pub relations: Vec<Relation>,
    pub events: Vec<Event>,
    pub officials: Vec<Official>,
}

/// A distinct document the text refers to (văn bản), all its mentions merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub kind: DocumentKind,
    /// The number as written, leading zeros kept (`"01"`).
    pub number: Option<String>,
    /// The sign after the number, spaces removed (`QĐ/TW`, `NĐ-CP`, `QH15`).
    pub symbol: Option<String>,
    /// The year in a state-style number, else the year of the signing date.
    pub year: Option<i32>,
    /// The signing date (ngày ký).
    pub date: Option<NaiveDate>,
    /// The issuing body's full canonical name (cơ quan ban hành).
    pub issuer: Option<String>,
    /// The subject as written after "về" or in quotation marks (trích yếu).
    pub title: Option<String>,
    pub mentions: Vec<Span>,
}

/// A byte range `[start, end)` into the prepared NFC text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// The kind of a document (loại văn bản). Serialised as the contract's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Nghị quyết
    NghiQuyet,
    /// Quy định
    QuyDinh,
    /// Quyết định
    QuyetDinh,
    /// Chỉ thị
    ChiThi,
    /// Kết luận
    KetLuan,
    /// Hướng dẫn
    HuongDan,
    /// Quy chế
    QuyChe,
    /// Thông báo, Thông báo kết luận
    ThongBao,
    /// Kế hoạch
    KeHoach,
    /// Chương trình (hành động)
    ChuongTrinh,
    /// Báo cáo
    BaoCao,
    /// Công văn
    CongVan,
    /// Hiến pháp
    HienPhap,
    /// Luật, Bộ luật
    Luat,
    /// Pháp lệnh
    PhapLenh,
    /// Nghị định
    NghiDinh,
    /// Thông tư
    ThongTu,
    Other,
}

impl DocumentKind {
    /// The contract's code, e.g. `quy_dinh`.
    pub fn code(self) -> &'static str {
        match self {
            Self::NghiQuyet => "nghi_quyet",
            Self::QuyDinh => "quy_dinh",
            Self::QuyetDinh => "quyet_dinh",
            Self::ChiThi => "chi_thi",
            Self::KetLuan => "ket_luan",
            Self::HuongDan => "huong_dan",
            Self::QuyChe => "quy_che",
            Self::ThongBao => "thong_bao",
            Self::KeHoach => "ke_hoach",
            Self::ChuongTrinh => "chuong_trinh",
            Self::BaoCao => "bao_cao",
            Self::CongVan => "cong_van",
            Self::HienPhap => "hien_phap",
            Self::Luat => "luat",
            Self::PhapLenh => "phap_lenh",
            Self::NghiDinh => "nghi_dinh",
            Self::ThongTu => "thong_tu",
            Self::Other => "other",
        }
    }

    /// The Vietnamese name a person reads, e.g. `Quy định`.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::NghiQuyet => "Nghị quyết",
            Self::QuyDinh => "Quy định",
            Self::QuyetDinh => "Quyết định",
            Self::ChiThi => "Chỉ thị",
            Self::KetLuan => "Kết luận",
            Self::HuongDan => "Hướng dẫn",
            Self::QuyChe => "Quy chế",
            Self::ThongBao => "Thông báo",
            Self::KeHoach => "Kế hoạch",
            Self::ChuongTrinh => "Chương trình",
            Self::BaoCao => "Báo cáo",
            Self::CongVan => "Công văn",
            Self::HienPhap => "Hiến pháp",
            Self::Luat => "Luật",
            Self::PhapLenh => "Pháp lệnh",
            Self::NghiDinh => "Nghị định",
            Self::ThongTu => "Thông tư",
            Self::Other => "Văn bản",
        }
    }
}

/// A directed relation between two documents of the same text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Relation {
    #[serde(rename = "type")]
    pub kind: RelationKind,
    /// Index into `documents`: the acting document (the replacement, the guide…).
    pub from: usize,
    /// Index into `documents`: the document acted upon.
    pub to: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// thay thế
    Replaces,
    /// sửa đổi, bổ sung
    Amends,
    /// bãi bỏ
    Repeals,
    /// hướng dẫn (thực hiện), quy định chi tiết
    Guides,
    /// kế hoạch / chương trình hành động thực hiện
    Implements,
    /// sơ kết, tổng kết
    Reviews,
}

impl RelationKind {
    /// The Vietnamese verb for the relation, as people read it
    /// ("58-QĐ/TW *thay thế* 126-QĐ/TW").
    pub fn verb_vi(self) -> &'static str {
        match self {
            RelationKind::Replaces => "thay thế",
            RelationKind::Amends => "sửa đổi, bổ sung",
            RelationKind::Repeals => "bãi bỏ",
            RelationKind::Guides => "hướng dẫn",
            RelationKind::Implements => "thực hiện",
            RelationKind::Reviews => "sơ kết/tổng kết",
        }
    }
}

/// A meeting the text reports (hội nghị, lớp bồi dưỡng…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// The first day.
    pub date: Option<NaiveDate>,
    /// The last day, when the event lasted longer than one day.
    pub end_date: Option<NaiveDate>,
    /// The province as named at the time of the event.
    pub province: Option<String>,
    /// The organising body (đơn vị tổ chức).
    pub organizer: Option<String>,
    /// Indexes into `documents`.
    pub documents: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Dissemination — hội nghị học tập, quán triệt, triển khai, phổ biến.
    Dissemination,
    /// Review — hội nghị sơ kết, tổng kết.
    Review,
    /// Training — lớp bồi dưỡng, tập huấn.
    Training,
    Other,
}

/// A public office-holder named with a title in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Official {
    /// The name as written.
    pub name: String,
    /// Each position as written (chức vụ), rank words excluded.
    pub positions: Vec<String>,
}
