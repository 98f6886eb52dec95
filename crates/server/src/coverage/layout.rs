//! Tile-grid layouts of Vietnam (bản đồ ô): one tile per province at its
//! rough geographic position, north at the top. `(name, column, row,
//! label)`: the canonical name (as in `vanban_extract::places`), the grid
//! cell, and a short label that fits a tile. The sea east of the central
//! provinces and the land west of them (Laos, Cambodia) are left empty; the
//! legend sits in the west.

/// A tile: canonical province name, column, row, short label.
pub type Tile = (&'static str, u8, u8, &'static str);

/// A layout: its tiles, its size in cells and where the legend goes.
pub struct Layout {
    pub tiles: &'static [Tile],
    pub columns: u8,
    pub rows: u8,
    /// The legend's top-left cell.
    pub legend: (u8, u8),
}

/// The 34 provinces from 1/7/2025.
pub const TODAY: Layout = Layout {
    columns: 5,
    rows: 18,
    legend: (0, 7),
    tiles: &[
        ("Lai Châu", 0, 0, "Lai Châu"),
        ("Lào Cai", 1, 0, "Lào Cai"),
        ("Tuyên Quang", 2, 0, "T.Quang"),
        ("Cao Bằng", 3, 0, "Cao Bằng"),
        ("Điện Biên", 0, 1, "Đ.Biên"),
        ("Thái Nguyên", 2, 1, "T.Nguyên"),
        ("Lạng Sơn", 3, 1, "Lạng Sơn"),
        ("Sơn La", 0, 2, "Sơn La"),
        ("Phú Thọ", 1, 2, "Phú Thọ"),
        ("Hà Nội", 2, 2, "Hà Nội"),
        ("Bắc Ninh", 3, 2, "Bắc Ninh"),
        ("Quảng Ninh", 4, 2, "Q.Ninh"),
        ("Ninh Bình", 2, 3, "N.Bình"),
        ("Hưng Yên", 3, 3, "Hưng Yên"),
        ("Hải Phòng", 4, 3, "H.Phòng"),
        ("Thanh Hóa", 1, 4, "T.Hóa"),
        ("Nghệ An", 1, 5, "Nghệ An"),
        ("Hà Tĩnh", 2, 6, "Hà Tĩnh"),
        ("Quảng Trị", 2, 7, "Q.Trị"),
        ("Huế", 3, 8, "Huế"),
        ("Đà Nẵng", 3, 9, "Đà Nẵng"),
        ("Quảng Ngãi", 3, 10, "Q.Ngãi"),
        ("Gia Lai", 3, 11, "Gia Lai"),
        ("Đắk Lắk", 3, 12, "Đắk Lắk"),
        ("Lâm Đồng", 2, 13, "L.Đồng"),
        ("Khánh Hòa", 3, 13, "K.Hòa"),
        ("Tây Ninh", 0, 14, "Tây Ninh"),
        ("Hồ Chí Minh", 1, 14, "TP.HCM"),
        ("Đồng Nai", 2, 14, "Đồng Nai"),
        ("An Giang", 0, 15, "An Giang"),
        ("Đồng Tháp", 1, 15, "Đ.Tháp"),
        ("Vĩnh Long", 2, 15, "V.Long"),
        ("Cần Thơ", 1, 16, "Cần Thơ"),
        ("Cà Mau", 0, 17, "Cà Mau"),
    ],
};

/// The 63 provinces before 1/7/2025.
pub const AT_THE_TIME: Layout = Layout {
    columns: 7,
    rows: 24,
    legend: (0, 9),
    tiles: &[
        ("Lai Châu", 1, 0, "L.Châu"),
        ("Lào Cai", 2, 0, "Lào Cai"),
        ("Hà Giang", 3, 0, "H.Giang"),
        ("Cao Bằng", 4, 0, "C.Bằng"),
        ("Điện Biên", 0, 1, "Đ.Biên"),
        ("Yên Bái", 2, 1, "Yên Bái"),
        ("Tuyên Quang", 3, 1, "T.Quang"),
        ("Bắc Kạn", 4, 1, "Bắc Kạn"),
        ("Lạng Sơn", 5, 1, "L.Sơn"),
        ("Sơn La", 1, 2, "Sơn La"),
        ("Phú Thọ", 2, 2, "Phú Thọ"),
        ("Vĩnh Phúc", 3, 2, "V.Phúc"),
        ("Thái Nguyên", 4, 2, "T.Nguyên"),
        ("Bắc Giang", 5, 2, "B.Giang"),
        ("Quảng Ninh", 6, 2, "Q.Ninh"),
        ("Hòa Bình", 2, 3, "H.Bình"),
        ("Hà Nội", 3, 3, "Hà Nội"),
        ("Bắc Ninh", 4, 3, "B.Ninh"),
        ("Hải Dương", 5, 3, "H.Dương"),
        ("Hải Phòng", 6, 3, "H.Phòng"),
        ("Hà Nam", 3, 4, "Hà Nam"),
        ("Hưng Yên", 4, 4, "H.Yên"),
        ("Thái Bình", 5, 4, "T.Bình"),
        ("Ninh Bình", 3, 5, "N.Bình"),
        ("Nam Định", 4, 5, "N.Định"),
        ("Thanh Hóa", 2, 6, "T.Hóa"),
        ("Nghệ An", 2, 7, "Nghệ An"),
        ("Hà Tĩnh", 3, 8, "Hà Tĩnh"),
        ("Quảng Bình", 3, 9, "Q.Bình"),
        ("Quảng Trị", 4, 10, "Q.Trị"),
        ("Thừa Thiên Huế", 4, 11, "Huế"),
        ("Đà Nẵng", 5, 12, "Đ.Nẵng"),
        ("Quảng Nam", 5, 13, "Q.Nam"),
        ("Kon Tum", 4, 14, "Kon Tum"),
        ("Quảng Ngãi", 5, 14, "Q.Ngãi"),
        ("Gia Lai", 4, 15, "Gia Lai"),
        ("Bình Định", 5, 15, "B.Định"),
        ("Đắk Lắk", 4, 16, "Đắk Lắk"),
        ("Phú Yên", 5, 16, "Phú Yên"),
        ("Đắk Nông", 3, 17, "Đ.Nông"),
        ("Lâm Đồng", 4, 17, "L.Đồng"),
        ("Khánh Hòa", 5, 17, "K.Hòa"),
        ("Tây Ninh", 1, 18, "T.Ninh"),
        ("Bình Phước", 2, 18, "B.Phước"),
        ("Đồng Nai", 3, 18, "Đ.Nai"),
        ("Bình Thuận", 4, 18, "B.Thuận"),
        ("Ninh Thuận", 5, 18, "N.Thuận"),
        ("Long An", 1, 19, "Long An"),
        ("Bình Dương", 2, 19, "B.Dương"),
        ("Hồ Chí Minh", 3, 19, "TP.HCM"),
        ("Bà Rịa – Vũng Tàu", 4, 19, "BR-VT"),
        ("An Giang", 0, 20, "A.Giang"),
        ("Đồng Tháp", 1, 20, "Đ.Tháp"),
        ("Tiền Giang", 2, 20, "T.Giang"),
        ("Bến Tre", 3, 20, "Bến Tre"),
        ("Kiên Giang", 0, 21, "K.Giang"),
        ("Cần Thơ", 1, 21, "Cần Thơ"),
        ("Vĩnh Long", 2, 21, "V.Long"),
        ("Trà Vinh", 3, 21, "Trà Vinh"),
        ("Hậu Giang", 1, 22, "H.Giang"),
        ("Sóc Trăng", 2, 22, "S.Trăng"),
        ("Cà Mau", 0, 23, "Cà Mau"),
        ("Bạc Liêu", 1, 23, "B.Liêu"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use vanban_extract::places::{NEW_PROVINCES, OLD_PROVINCES};

    fn check(layout: &Layout, provinces: &[&str]) {
        let names: HashSet<&str> = layout.tiles.iter().map(|t| t.0).collect();
        let wanted: HashSet<&str> = provinces.iter().copied().collect();
        assert_eq!(names, wanted);
        assert_eq!(layout.tiles.len(), provinces.len(), "one tile each");
        let cells: HashSet<(u8, u8)> = layout.tiles.iter().map(|t| (t.1, t.2)).collect();
        assert_eq!(cells.len(), layout.tiles.len(), "no two tiles share a cell");
        for t in layout.tiles {
            assert!(t.1 < layout.columns && t.2 < layout.rows, "{} outside", t.0);
            assert!(t.3.chars().count() <= 8, "label of {} too long", t.0);
        }
    }

    #[test]
    fn every_province_has_one_tile_of_its_own() {
        check(&TODAY, &NEW_PROVINCES);
        check(&AT_THE_TIME, &OLD_PROVINCES);
    }
}
