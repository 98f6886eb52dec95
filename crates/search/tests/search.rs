//! Integration tests over a few hand-written Vietnamese texts.

use chrono::NaiveDate;
use vanban_extract::DocumentKind;
use vanban_search::{DocumentEntry, Error, Hit, Query, SearchIndex, SourceEntry};

fn source(id: &str, date: &str, text: &str) -> SourceEntry {
    SourceEntry {
        source: id.to_owned(),
        published: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(),
        title: text.lines().next().unwrap_or("").to_owned(),
        text: text.to_owned(),
        kinds: vec![],
        issuers: vec![],
        years: vec![],
        provinces: vec![],
        document_ids: vec![],
    }
}

fn index() -> SearchIndex {
    let idx = SearchIndex::in_memory().expect("index");
    let mut w = idx.writer().expect("writer");
    let mut a = source(
        "a.txt",
        "2022-10-05",
        "Hội nghị quán triệt Quy định 58-QĐ/TW\nTỉnh ủy Hà Nam tổ chức hội nghị quán triệt Quy định số 58-QĐ/TW về bảo vệ chính trị nội bộ Đảng.",
    );
    a.kinds = vec!["quy_dinh".into()];
    a.issuers = vec!["Bộ Chính trị".into()];
    a.years = vec![2022];
    a.provinces = vec!["Hà Nam".into()];
    a.document_ids = vec!["58-QĐ/TW@2022-02-08".into()];
    w.add_source(a).expect("add");
    let mut b = source(
        "b.txt",
        "2021-03-01",
        "Tin tổng hợp\nBảo đảm an ninh, chính trị ổn định; công tác nội bộ được chú ý; bảo vệ môi trường.",
    );
    b.provinces = vec!["Nam Định".into()];
    w.add_source(b).expect("add");
    let mut c = source(
        "c.txt",
        "2020-05-01",
        "Chuyển đổi số\nTỉnh Thanh Hóa đẩy mạnh chuyển đổi số và giáo dục.",
    );
    c.provinces = vec!["Thanh Hoá".into()];
    c.kinds = vec!["nghi_quyet".into()];
    w.add_source(c).expect("add");
    let d = source(
        "d.txt",
        "2020-05-02",
        "Giao duc\nBài viết không dấu: giao duc va chuyen doi so.",
    );
    w.add_source(d).expect("add");
    let hostile = source(
        "x.html",
        "2020-01-01",
        "Tiêu đề\n<script>alert('bảo vệ')</script> & bảo vệ",
    );
    w.add_source(hostile).expect("add");
    w.add_document(DocumentEntry {
        id: "58-QĐ/TW@2022-02-08".into(),
        kind: DocumentKind::QuyDinh,
        number: Some("58".into()),
        symbol: Some("QĐ/TW".into()),
        year: Some(2022),
        issuer: Some("Bộ Chính trị".into()),
        title: Some("Một số vấn đề bảo vệ chính trị nội bộ Đảng".into()),
        provinces: vec!["Hà Nam".into()],
    })
    .expect("add");
    w.add_document(DocumentEntry {
        id: "126-QĐ/TW@2018-02-28".into(),
        kind: DocumentKind::QuyDinh,
        number: Some("126".into()),
        symbol: Some("QĐ/TW".into()),
        year: Some(2018),
        issuer: Some("Bộ Chính trị".into()),
        title: Some("Một số vấn đề bảo vệ chính trị nội bộ Đảng".into()),
        provinces: vec![],
    })
    .expect("add");
    w.add_document(DocumentEntry {
        id: "30/2020/NĐ-CP@2020-03-05".into(),
        kind: DocumentKind::NghiDinh,
        number: Some("30".into()),
        symbol: Some("NĐ-CP".into()),
        year: Some(2020),
        issuer: Some("Chính phủ".into()),
        title: Some("công tác văn thư".into()),
        provinces: vec![],
    })
    .expect("add");
    w.commit().expect("commit");
    idx
}

fn keys(idx: &SearchIndex, q: &Query) -> Vec<String> {
    idx.search(q)
        .expect("search")
        .hits
        .iter()
        .map(|h| h.key().to_owned())
        .collect()
}

#[test]
fn diacritic_less_query_finds_accented_text() {
    let idx = index();
    let k = keys(&idx, &Query::new("bao ve chinh tri noi bo"));
    assert!(k.contains(&"a.txt".to_owned()), "{k:?}");
    let k = keys(&idx, &Query::new("chuyen doi so"));
    assert!(
        k.contains(&"c.txt".to_owned()) && k.contains(&"d.txt".to_owned()),
        "{k:?}"
    );
}

#[test]
fn phrase_ranks_above_scattered_syllables() {
    let idx = index();
    let k = keys(&idx, &Query::new("bao ve chinh tri noi bo"));
    let a = k.iter().position(|x| x == "a.txt");
    let b = k.iter().position(|x| x == "b.txt");
    assert!(a.is_some() && (b.is_none() || a < b), "{k:?}");
}

#[test]
fn exact_diacritics_rank_higher() {
    let idx = index();
    let k = keys(&idx, &Query::new("giáo dục"));
    assert_eq!(k.first().map(String::as_str), Some("c.txt"), "{k:?}");
    let k = keys(&idx, &Query::new("giao duc"));
    assert_eq!(k.first().map(String::as_str), Some("d.txt"), "{k:?}");
}

#[test]
fn reference_query_ranks_document_first() {
    let idx = index();
    for q in [
        "126-QĐ/TW",
        "126-qd/tw",
        "quy dinh 126",
        "QĐ 126",
        "Quy định số 126",
    ] {
        let k = keys(&idx, &Query::new(q));
        assert_eq!(
            k.first().map(String::as_str),
            Some("126-QĐ/TW@2018-02-28"),
            "{q}: {k:?}"
        );
    }
    for q in ["30/2020/NĐ-CP", "nghị định 30/2020", "nghi dinh 30"] {
        let k = keys(&idx, &Query::new(q));
        assert_eq!(
            k.first().map(String::as_str),
            Some("30/2020/NĐ-CP@2020-03-05"),
            "{q}: {k:?}"
        );
    }
    // A text that writes the number-symbol is found even when not cited in its entry.
    let k = keys(&idx, &Query::new("58-qd/tw"));
    assert!(k.contains(&"a.txt".to_owned()), "{k:?}");
    // The citing source follows its document.
    let k = keys(&idx, &Query::new("58-QĐ/TW"));
    assert_eq!(
        k.iter().take(2).cloned().collect::<Vec<_>>(),
        ["58-QĐ/TW@2022-02-08", "a.txt"],
        "{k:?}"
    );
}

#[test]
fn filters() {
    let idx = index();
    let mut q = Query::new("bảo vệ");
    q.kind = Some("Quy định".into());
    let k = keys(&idx, &q);
    assert!(
        k.iter().all(|x| x == "a.txt" || x.contains("QĐ/TW")),
        "{k:?}"
    );
    assert!(k.contains(&"a.txt".to_owned()));

    let mut q = Query::new("bao ve");
    q.issuer = Some("bo chinh tri".into());
    let k = keys(&idx, &q);
    assert!(!k.is_empty() && !k.contains(&"b.txt".to_owned()), "{k:?}");

    let mut q = Query::new("bao ve");
    q.year = Some(2018);
    assert_eq!(keys(&idx, &q), ["126-QĐ/TW@2018-02-28"]);

    let mut q = Query::new("chuyển đổi số");
    q.province = Some("thanh hoa".into());
    assert_eq!(keys(&idx, &q), ["c.txt"]);

    // Filters alone.
    let mut q = Query::new("");
    q.year = Some(2021);
    assert_eq!(keys(&idx, &q), ["b.txt"]);
}

#[test]
fn province_of_today_finds_merged_provinces() {
    let idx = index();
    let mut q = Query::new("");
    q.province = Some("Ninh Bình".into());
    let mut k = keys(&idx, &q);
    k.sort();
    assert_eq!(k, ["58-QĐ/TW@2022-02-08", "a.txt", "b.txt"]);
    q.province = Some("Hà Nam".into());
    let mut k = keys(&idx, &q);
    k.sort();
    assert_eq!(k, ["58-QĐ/TW@2022-02-08", "a.txt"]);
    q.province = Some("Narnia".into());
    assert!(matches!(idx.search(&q), Err(Error::UnknownProvince(_))));
    let mut q = Query::new("x");
    q.kind = Some("bogus".into());
    assert!(matches!(idx.search(&q), Err(Error::UnknownKind(_))));
    assert!(matches!(
        idx.search(&Query::new("  ")),
        Err(Error::EmptyQuery)
    ));
}

#[test]
fn snippets_highlight_and_escape() {
    let idx = index();
    let r = idx
        .search(&Query::new("bao ve chinh tri noi bo"))
        .expect("search");
    let a = r.hits.iter().find(|h| h.key() == "a.txt").expect("a");
    let Hit::Source {
        snippet, published, ..
    } = a
    else {
        panic!("source hit")
    };
    assert!(
        snippet.contains("bảo vệ chính trị nội bộ</mark> Đảng"),
        "{snippet}"
    );
    assert_eq!(published.as_deref(), Some("2022-10-05"));
    let x = r.hits.iter().find(|h| h.key() == "x.html");
    let r2 = idx.search(&Query::new("script bảo vệ")).expect("search");
    for h in r.hits.iter().chain(x).chain(r2.hits.iter()) {
        let (Hit::Source { snippet, .. } | Hit::Document { snippet, .. }) = h;
        let stripped = snippet.replace("<mark>", "").replace("</mark>", "");
        assert!(
            !stripped.contains('<') && !stripped.contains('>'),
            "{snippet}"
        );
    }
}

#[test]
fn json_shape() {
    let idx = index();
    let r = idx.search(&Query::new("126-QĐ/TW")).expect("search");
    let v = serde_json::to_value(&r).expect("json");
    assert_eq!(v["query"], "126-QĐ/TW");
    assert!(v["total"].is_u64() && v["took_ms"].is_f64());
    let h = &v["hits"][0];
    assert_eq!(h["type"], "document");
    assert_eq!(h["id"], "126-QĐ/TW@2018-02-28");
    assert!(h["score"].is_f64() && h["title"].is_string() && h["snippet"].is_string());
    let s = serde_json::to_string(&r.hits[0]).expect("json");
    assert!(s.starts_with("{\"type\":\"document\",\"id\":"), "{s}");
    let r = idx.search(&Query::new("chuyển đổi số")).expect("search");
    let s = serde_json::to_value(&r.hits[0]).expect("json");
    assert_eq!(s["type"], "source");
    assert!(s["source"].is_string() && s["published"].is_string());
}

#[test]
fn replace_and_delete_sources() {
    let idx = index();
    let before = idx.len();
    let mut w = idx.writer().expect("writer");
    w.add_source(source("c.txt", "2020-05-01", "Chuyển đổi số\nlần hai"))
        .expect("add");
    w.commit().expect("commit");
    assert_eq!(idx.len(), before);
    w.delete_source("c.txt");
    w.commit().expect("commit");
    assert_eq!(idx.len(), before - 1);
    assert!(!keys(&idx, &Query::new("chuyển đổi số")).contains(&"c.txt".to_owned()));
    // Deleted entries are not counted either.
    for q in ["chuyển đổi số", "bao ve"] {
        let r = idx.search(&Query::new(q)).expect("search");
        assert_eq!(r.total, r.hits.len(), "{q}");
        assert_eq!(
            r.total,
            idx.matching(&Query::new(q)).expect("matching").len()
        );
    }
    assert_eq!(
        idx.search(&Query::new("chuyen doi so"))
            .expect("search")
            .total,
        1
    );
}

#[test]
fn on_disk_create_and_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let idx = SearchIndex::create(dir.path()).expect("create");
        let mut w = idx.writer().expect("writer");
        w.add_source(source("a", "2020-01-01", "Phòng chống tham nhũng"))
            .expect("add");
        w.commit().expect("commit");
    }
    let idx = SearchIndex::open(dir.path()).expect("open");
    assert_eq!(keys(&idx, &Query::new("phong chong tham nhung")), ["a"]);
    assert!(SearchIndex::create(dir.path()).is_err());
    let empty = tempfile::tempdir().expect("tempdir");
    let e = SearchIndex::open(empty.path().join("missing"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("vanban reindex"), "{e}");
}

#[test]
fn matching_lists_every_hit() {
    let idx = index();
    for text in ["bao ve", "chuyển đổi số", "58-QĐ/TW"] {
        let mut q = Query::new(text);
        q.limit = 100;
        let r = idx.search(&q).expect("search");
        let mut all: Vec<String> = r.hits.iter().map(|h| h.key().to_owned()).collect();
        let mut m = idx.matching(&q).expect("matching");
        all.sort();
        m.sort();
        assert_eq!(m, all, "{text}");
        assert_eq!(m.len(), r.total, "{text}");
    }
}

#[test]
fn long_text_found_past_the_stored_prefix() {
    let idx = SearchIndex::in_memory().expect("index");
    let mut w = idx.writer().expect("writer");
    // 200 KB of filler, then the only mention of a rare phrase.
    let text = format!(
        "Mở đầu về chuyển đổi số.\n{}\nĐoạn cuối nói về khu bảo tồn thiên nhiên.",
        "Nội dung lặp lại của văn bản dài. ".repeat(6000)
    );
    w.add_source(source("dai.txt", "2024-01-01", &text))
        .expect("add");
    w.commit().expect("commit");
    let r = idx
        .search(&Query::new("bảo tồn thiên nhiên"))
        .expect("search");
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].key(), "dai.txt");
    let r = idx.search(&Query::new("chuyen doi so")).expect("search");
    let (Hit::Source { snippet, .. } | Hit::Document { snippet, .. }) = &r.hits[0];
    assert!(snippet.contains("<mark>chuyển đổi số</mark>"), "{snippet}");
    assert!(snippet.ends_with('…'), "{snippet}");
}

/// Every facet count is exactly the total that choosing that filter gives,
/// over all matches (not only the hits of the page), for queries of words,
/// of references, and with a filter already chosen.
#[test]
fn facet_counts_are_the_totals_of_their_filters() {
    let idx = index();
    // Facets read (and kept) before the index changes below.
    let before = idx
        .search_with_facets(&Query::new("bảo vệ"))
        .expect("search");
    assert!(!before.1.kind.is_empty());
    let mut w = idx.writer().expect("writer");
    w.delete_source("a.txt");
    // An entry naming both Hà Nam and Ninh Bình counts once under Ninh Bình.
    let mut e = source(
        "e.txt",
        "2025-08-01",
        "Ninh Bình quán triệt\nTỉnh ủy Ninh Bình (gồm Hà Nam cũ) quán triệt Quy định 58-QĐ/TW về bảo vệ chính trị nội bộ.",
    );
    e.provinces = vec!["Hà Nam".into(), "Ninh Bình".into()];
    e.kinds = vec!["quy_dinh".into()];
    e.issuers = vec!["Bộ Chính trị".into()];
    e.years = vec![2022];
    w.add_source(e).expect("add");
    w.commit().expect("commit");

    for (text, filter) in [
        ("bảo vệ", None),
        ("bao ve chinh tri", None),
        ("58-QĐ/TW", None),
        ("chuyển đổi số", None),
        ("bảo vệ", Some(2022)),
    ] {
        let mut q = Query::new(text);
        q.limit = 1;
        q.year = filter;
        let (results, facets) = idx.search_with_facets(&q).expect("search");
        assert!(results.total > 0, "{text}");
        assert!(results.hits.len() <= 1);
        let total_with = |f: &dyn Fn(&mut Query)| {
            let mut q2 = q.clone();
            f(&mut q2);
            idx.search(&q2).expect("filtered").total
        };
        for (kind, n) in &facets.kind {
            assert_eq!(
                *n,
                total_with(&|q| q.kind = Some(kind.clone())),
                "{text} kind {kind}"
            );
        }
        for (issuer, n) in &facets.issuer {
            assert_eq!(
                *n,
                total_with(&|q| q.issuer = Some(issuer.clone())),
                "{text} issuer {issuer}"
            );
        }
        for (year, n) in &facets.year {
            assert_eq!(
                *n,
                total_with(&|q| q.year = Some(*year)),
                "{text} year {year}"
            );
        }
        for (province, n) in &facets.province {
            assert_eq!(
                *n,
                total_with(&|q| q.province = Some(province.clone())),
                "{text} province {province}"
            );
        }
        // The same hits and total as without facets.
        let plain = idx.search(&q).expect("plain");
        assert_eq!((plain.total, plain.hits), (results.total, results.hits));
    }
    let (_, f) = idx
        .search_with_facets(&Query::new("bảo vệ chính trị nội bộ"))
        .expect("search");
    assert!(
        f.province.get("Ninh Bình").is_some_and(|&n| n >= 2),
        "{f:?}"
    );
    assert!(
        !f.province.contains_key("Hà Nam"),
        "only provinces of today: {f:?}"
    );
    assert!(f.issuer.contains_key("bo chinh tri"), "{f:?}");
}
