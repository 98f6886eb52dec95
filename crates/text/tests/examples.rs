//! Example-based tests of the whole preparation: chrome kinds, date headers,
//! entities, hidden HTML content, broken and hostile HTML.

use vanban_text::{prepare, Format};

fn text(s: &str) -> String {
    prepare(s.as_bytes(), Format::Text).text().to_string()
}

fn html(s: &str) -> String {
    prepare(s.as_bytes(), Format::Html).text().to_string()
}

fn date(s: &str, f: Format) -> Option<String> {
    prepare(s.as_bytes(), f).published().map(|d| d.to_string())
}

#[test]
fn chrome_kinds_in_text() {
    let body = "Hội nghị quán triệt Quy định số 126-QĐ/TW được tổ chức.\nCác đại biểu thảo luận sôi nổi.\n";
    let mut s = String::from(body);
    for line in [
        "Giấy phép xuất bản số 99/GP-BTTTT cấp ngày 1/1/2020",
        "Giấy phép số 12/GP-STTTT",
        "Tổng Biên tập: Nguyễn Văn Mẫu",
        "Phó Tổng Biên tập: Trần Thị Ví",
        "Địa chỉ: Số 1 đường Thử, Hà Nội",
        "Điện thoại: 0243 000 111",
        "Email: lienhe@baomau.vn",
        "E-mail: bandoc@baomau.vn",
        "Fax: 0243 000 222",
        "Bản quyền thuộc về Báo Mẫu",
        "® Ghi rõ nguồn \"Báo Mẫu\" khi phát hành lại thông tin",
        "Chịu trách nhiệm xuất bản: Ông Thử",
    ] {
        s.push_str(line);
        s.push('\n');
    }
    assert_eq!(text(&s), body);
}

#[test]
fn comment_form_at_end() {
    let mut s = String::new();
    for i in 0..8 {
        s.push_str(&format!("Dòng nội dung thứ {i} của bài.\n"));
    }
    s.push_str("Gửi bình luận\nHọ và tên\nMã xác nhận\nreset captcha\nMột bạn đọc viết rất nhiều chữ ở đây\n");
    let out = text(&s);
    assert!(out.ends_with("Dòng nội dung thứ 7 của bài.\n"), "{out}");
}

#[test]
fn caption_repeated() {
    let s = "Tỉnh ủy tổ chức hội nghị sơ kết công tác năm\nNội dung.\nTỉnh ủy tổ chức hội nghị sơ kết công tác năm\nHết.";
    assert_eq!(
        text(s),
        "Tỉnh ủy tổ chức hội nghị sơ kết công tác năm\nNội dung.\nHết."
    );
}

#[test]
fn metadata_lines() {
    let s =
        "# doc_id = news_x\n# url = https://example.vn/a\n# date = 20201001\nTiêu đề bài viết\n";
    let p = prepare(s.as_bytes(), Format::Text);
    assert_eq!(p.text(), "Tiêu đề bài viết\n");
    assert_eq!(
        p.published().map(|d| d.to_string()),
        Some("2020-10-01".into())
    );
    let o = p.text().find("Tiêu").unwrap_or(0);
    assert_eq!(p.to_input_offset(o), s.find("Tiêu").unwrap_or(0));
}

#[test]
fn every_date_header_form() {
    let cases = [
        ("# date = 20201001\nA", "2020-10-01"),
        (" date 2022-10-05\nA", "2022-10-05"),
        (
            "Tiêu đề\nCập nhật lúc 14:46, Thứ Tư, 27/11/2019 (GMT+7)\nA",
            "2019-11-27",
        ),
        ("Cập nhật: 02/04/2018 08:15\nA", "2018-04-02"),
        ("Thứ năm, 5/9/2019, 10:20 (GMT+7)\nA", "2019-09-05"),
        ("Ngày đăng: 05/10/2022\nA", "2022-10-05"),
        ("Đăng lúc 09:00 ngày 12/03/2021\nA", "2021-03-12"),
    ];
    for (s, want) in cases {
        assert_eq!(date(s, Format::Text).as_deref(), Some(want), "{s}");
    }
    let p = prepare(b" date 2022-10\nA", Format::Text);
    assert_eq!((p.published(), p.published_year()), (None, Some(2022)));
    assert_eq!(date("Cập nhật: 31/02/2019\nA", Format::Text), None);
}

#[test]
fn body_dates_are_not_publication_dates() {
    let mut s = String::from("Tiêu đề\n");
    for _ in 0..20 {
        s.push_str("Nội dung không có ngày.\n");
    }
    s.push_str("Cập nhật: 02/04/2018 08:15\n");
    assert_eq!(date(&s, Format::Text), None);
    assert_eq!(
        date(
            "Ngày 28/2/2018, Bộ Chính trị ban hành Quy định.\n",
            Format::Text
        ),
        None
    );
}

#[test]
fn html_dates() {
    let cases = [
        ("<meta property=\"article:published_time\" content=\"2019-11-27T08:00:00+07:00\"><p>A</p>", "2019-11-27"),
        ("<meta name=\"pubdate\" content=\"2020-02-03\"><p>A</p>", "2020-02-03"),
        ("<meta itemprop=\"datePublished\" content=\"2021-04-05T10:00:00Z\"><p>A</p>", "2021-04-05"),
        ("<p><time datetime=\"2018-06-07T08:00\">7/6</time></p>", "2018-06-07"),
        ("<p>Cập nhật: 02/04/2018 08:15</p><p>A</p>", "2018-04-02"),
    ];
    for (s, want) in cases {
        assert_eq!(date(s, Format::Html).as_deref(), Some(want), "{s}");
    }
}

#[test]
fn html_visible_text_only() {
    let s = "<!DOCTYPE html><html><head><title>T</title><meta charset=utf-8><style>body{}</style>\
             <script>document.write('<p>ẩn</p>')</script></head><body><noscript>JS</noscript>\
             <template><p>mẫu</p></template><!-- <p>chú thích</p> --><h1>Tiêu đề</h1>\
             <p>Đoạn &agrave; &ecirc; &#7897; &#x1EA1; &quot;trích&quot; &amp; &copy;</p>\
             <div class=\"comments\"><p>Ý kiến bạn đọc</p></div></body></html>";
    assert_eq!(html(s), "Tiêu đề\nĐoạn à ê ộ ạ \"trích\" & ©");
}

#[test]
fn sample_page() {
    let s = "<html><head><meta property=\"article:published_time\" content=\"2023-03-31T09:15:00+07:00\"></head><body>\
             <nav><ul><li>Trang chủ</li></ul></nav><article><h1>Sơ kết Nghị quyết 18-NQ/TW</h1>\
             <p>Sáng 30/3, Tỉnh ủy tổ chức hội nghị.</p></article><footer><p>Giấy phép xuất bản số 123/GP-BTTTT</p>\
             <p>Tổng Biên tập: Nguyễn Văn Biên</p></footer><div><p>Ý kiến bạn đọc</p><p>Gửi bình luận</p></div></body></html>";
    let p = prepare(s.as_bytes(), Format::Html);
    // `<nav>` is navigation, never content.
    assert_eq!(
        p.text(),
        "Sơ kết Nghị quyết 18-NQ/TW\nSáng 30/3, Tỉnh ủy tổ chức hội nghị."
    );
    assert_eq!(
        p.published().map(|d| d.to_string()),
        Some("2023-03-31".into())
    );
}

#[test]
fn hostile_html_is_linear_and_safe() {
    let mut s = "<div>".repeat(100_000);
    s.push('x');
    s.push_str(&"</div>".repeat(100_000));
    assert_eq!(html(&s), "x");
    let big = format!("<p title=\"{}\">y</p>", "&".repeat(1 << 20));
    assert_eq!(html(&big), "y");
    let lts = "<".repeat(200_000);
    assert_eq!(html(&lts).len(), 200_000);
    let amps = "&#".repeat(100_000);
    assert_eq!(html(&amps).len(), 200_000);
    assert_eq!(html("<p>a<b>b</i>c</p></div></div>d"), "abc\nd");
    assert_eq!(html("<p>a\n   b\t\tc</p>"), "a b c");
}

#[test]
fn invalid_utf8_and_bom() {
    let p = prepare(b"\xEF\xBB\xBFQuy \xC3 \xFF\xFE", Format::Text);
    assert_eq!(p.text(), "Quy \u{FFFD} \u{FFFD}\u{FFFD}");
    assert_eq!(p.to_input_offset(0), 3);
}

#[test]
fn nfc_and_view() {
    let s = "Ho\u{0300}a Bi\u{0300}nh – “Thanh Hoá”\n";
    let p = prepare(s.as_bytes(), Format::Text);
    assert_eq!(p.text(), "Hòa Bình – “Thanh Hoá”\n");
    let v = p.matching();
    assert_eq!(v.text(), "Hòa Bình - \"Thanh Hóa\"\n");
    let o = v.text().find("Thanh").unwrap_or(0);
    assert_eq!(
        &p.text()[v.to_text_offset(o)..v.to_text_offset(v.text().len() - 2)],
        "Thanh Hoá"
    );
    let b = p.text().find("Bình").unwrap_or(0);
    assert_eq!(&s[p.to_input_offset(b)..p.to_input_offset(b) + 1], "B");
}

#[test]
fn hostile_inputs_stay_fast() {
    let start = std::time::Instant::now();
    let mut s = "Nội dung.\n".repeat(10);
    s.push_str("Ý kiến bạn đọc\n");
    s.push_str(&"1/2020/-1 - 2/ ".repeat(100_000));
    s.push('\n');
    let _ = prepare(s.as_bytes(), Format::Text);
    let tags = "<a ".repeat(300_000);
    let _ = prepare(tags.as_bytes(), Format::Html);
    let scripts = "<script>".repeat(300_000);
    let _ = prepare(scripts.as_bytes(), Format::Html);
    let tones = "hoà uỷ “x” \u{200B}".repeat(100_000);
    let p = prepare(tones.as_bytes(), Format::Text);
    assert!(p.matching().text().starts_with("hòa ủy \"x\" "));
    let combining = "a\u{0301}".repeat(300_000);
    let p = prepare(combining.as_bytes(), Format::Text);
    assert_eq!(p.text().chars().count(), 300_000);
    let lines: String = (0..100_000)
        .map(|i| format!("dòng lặp lại có đủ năm chữ {}\n", i % 7))
        .collect();
    let p = prepare(lines.as_bytes(), Format::Text);
    assert_eq!(p.text().lines().count(), 7);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn navigation_and_site_chrome_elements_are_not_content() {
    let s = "<html><body><div id=\"topbar\"><a href=\"/\">Trang chủ</a> | <a>Chính trị</a> | <a>Đăng nhập</a></div>\
             <header><div class=\"logo\">Báo điện tử tỉnh</div><nav><ul class=\"top-menu\"><li>Thời sự</li><li>Kinh tế</li></ul></nav></header>\
             <div class=\"header\"><span class=\"brand\">Báo</span> <span>Thủ Dầu Một 33°C</span></div>\
             <ul class=\"menu\"><li><a>Pháp luật</a></li><li><ul><li>Con</li></ul></li></ul>\
             <div class=\"breadcrumb\">Trang chủ › Chính trị</div>\
             <div class=\"article\"><div class=\"meta\">Cập nhật lúc 16:20, Thứ Ba, 18/03/2025 (GMT+7)</div>\
             <h1>Tập huấn Quy chế bầu cử</h1><p>Sáng 17/3, Tỉnh ủy tổ chức lớp tập huấn.</p></div>\
             <div class=\"site-footer\">Liên hệ quảng cáo</div></body></html>";
    let p = prepare(s.as_bytes(), Format::Html);
    assert_eq!(
        p.text(),
        "Cập nhật lúc 16:20, Thứ Ba, 18/03/2025 (GMT+7)\nTập huấn Quy chế bầu cử\nSáng 17/3, Tỉnh ủy tổ chức lớp tập huấn."
    );
    assert_eq!(
        p.published().map(|d| d.to_string()),
        Some("2025-03-18".into())
    );
}

#[test]
fn article_headers_are_kept() {
    // An article's own header (title, date) stays, whatever its class.
    let s = "<body><header class=\"article-header\"><h1>Quán triệt Quy định 58</h1>\
             <p>Cập nhật lúc 09:05, Thứ Năm, 18/09/2025</p></header><p>Nội dung.</p></body>";
    let p = prepare(s.as_bytes(), Format::Html);
    assert_eq!(
        p.text(),
        "Quán triệt Quy định 58\nCập nhật lúc 09:05, Thứ Năm, 18/09/2025\nNội dung."
    );
    assert_eq!(
        p.published().map(|d| d.to_string()),
        Some("2025-09-18".into())
    );
    // A site header holding the title and the date line: kept from the heading on.
    let s = "<body><div class=\"header\"><span>Báo điện tử</span><h1>Quán triệt Quy định 58</h1>\
             <div>Cập nhật: 02/04/2018 08:15</div></div><p>Nội dung.</p></body>";
    let p = prepare(s.as_bytes(), Format::Html);
    assert_eq!(
        p.text(),
        "Quán triệt Quy định 58\nCập nhật: 02/04/2018 08:15\nNội dung."
    );
    // A site header with only the date line: the date line is kept.
    let s = "<body><div id=\"header\"><span>Báo điện tử</span><div>Cập nhật: 02/04/2018 08:15</div></div><p>Nội dung.</p></body>";
    let p = prepare(s.as_bytes(), Format::Html);
    assert_eq!(p.text(), "Cập nhật: 02/04/2018 08:15\nNội dung.");
    assert_eq!(
        p.published().map(|d| d.to_string()),
        Some("2018-04-02".into())
    );
    // An unclosed menu never eats the article.
    let s = "<body><div class=\"menu\">Trang chủ<article><h1>Tiêu đề</h1><p>Nội dung.</p></article></body>";
    assert_eq!(
        prepare(s.as_bytes(), Format::Html).text(),
        "Tiêu đề\nNội dung."
    );
    // A self-closed chrome element hides nothing.
    let s = "<body><div class=\"logo\"/><p>Nội dung.</p></body>";
    assert_eq!(prepare(s.as_bytes(), Format::Html).text(), "Nội dung.");
}
