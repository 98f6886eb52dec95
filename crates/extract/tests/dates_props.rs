//! Property tests for the date scanner (ngày tháng): no panics on any input,
//! every valid date round-trips in each written form, impossible days are
//! `Invalid`, matches stay inside the range on char boundaries.

use chrono::NaiveDate;
use proptest::prelude::*;
use vanban_extract::dates::{date_at, find_dates, DateValue};

fn only(s: &str) -> Option<DateValue> {
    let v = find_dates(s, 0..s.len());
    if v.len() == 1 {
        Some(v[0].value)
    } else {
        None
    }
}

proptest! {
    #[test]
    fn never_panics(s in "\\PC{0,60}", a in 0usize..80, b in 0usize..80) {
        let (lo, hi) = (a.min(b), a.max(b));
        let ms = find_dates(&s, lo..hi);
        for m in &ms {
            prop_assert!(m.start >= lo && m.end <= hi.min(s.len()) && m.start < m.end);
            prop_assert!(s.is_char_boundary(m.start) && s.is_char_boundary(m.end));
        }
        let _ = date_at(&s, a);
    }

    #[test]
    fn never_panics_on_datelike(s in "[0-9/\\-., ngàytháng năm đếnvà]{0,40}", a in 0usize..60, b in 0usize..60) {
        let (lo, hi) = (a.min(b), a.max(b));
        for m in find_dates(&s, lo..hi) {
            prop_assert!(m.start >= lo && m.end <= hi.min(s.len()));
            prop_assert!(s.is_char_boundary(m.start) && s.is_char_boundary(m.end));
        }
        let _ = date_at(&s, a);
    }

    #[test]
    fn valid_dates_round_trip(y in 1945i32..=2100, m in 1u32..=12, d in 1u32..=31, pad in any::<bool>()) {
        if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
            let (ds, ms) = if pad { (format!("{d:02}"), format!("{m:02}")) } else { (d.to_string(), m.to_string()) };
            for s in [
                format!("ngày {ds}/{ms}/{y} của"),
                format!("ngày {ds}-{ms}-{y}."),
                format!("ký {ds}.{ms}.{y}"),
                format!("ngày {ds} tháng {ms} năm {y}"),
            ] {
                prop_assert_eq!(only(&s), Some(DateValue::Full(date)), "{}", s);
            }
            prop_assert_eq!(only(&format!("Sáng {ds}/{ms}, ")), Some(DateValue::Yearless { day: d, month: m }));
            prop_assert_eq!(only(&format!("tháng {ms}/{y}")), Some(DateValue::MonthYear { month: m, year: y }));
            prop_assert_eq!(only(&format!("năm {y}")), Some(DateValue::Year(y)));
            let t = format!(" ngày {ds}/{ms}/{y}");
            let got = date_at(&t, 0).map(|m| m.value);
            prop_assert_eq!(got, Some(DateValue::Full(date)));
        }
    }

    #[test]
    fn impossible_days_are_invalid(y in 1945i32..=2100, m in 1u32..=12, d in 28u32..=31) {
        if NaiveDate::from_ymd_opt(y, m, d).is_none() {
            prop_assert_eq!(only(&format!("ngày {d}/{m}/{y}")), Some(DateValue::Invalid));
            prop_assert_eq!(only(&format!("ngày {d} tháng {m} năm {y}")), Some(DateValue::Invalid));
        }
    }
}
