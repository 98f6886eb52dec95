//! Provinces (tỉnh, thành phố) before and after the 2025 merger: names, variants, and which new province each old one became.
