//! The ballot-entry pages (`/bau-cu/…`): plain HTML forms that work
//! without JavaScript. Writes carry the token in the site's login cookie (set
//! at `/dang-nhap` or `/bau-cu`) or an `Authorization` header.

use super::session::{
    mark_label, mark_word, marks_of, BallotState, Choice, Reading, Session, SessionError,
};
use super::{authorize, blocking, request_token, BallotError, BallotsState};
use crate::templates::page;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use vanban_election::{BallotForm, Election, Mark, Outcome};

use crate::auth::{field, Fields};

fn base(id: &str) -> String {
    format!("/bau-cu/{id}")
}

/// The session's navigation bar.
fn nav(id: &str) -> Markup {
    let b = base(id);
    html! {
        nav.pagination aria-label="Phiên kiểm phiếu" {
            a href=(b) { "Tổng quan" }
            a href={ (b) "/nhap/1" } { "Người nhập 1" }
            a href={ (b) "/nhap/2" } { "Người nhập 2" }
            a href={ (b) "/doi-chieu" } { "Đối chiếu" }
            a href={ (b) "/tam-tinh" } { "Tạm tính" }
            a href={ (b) "/ket-qua" } { "Kết quả" }
            a href={ (b) "/nhat-ky" } { "Nhật ký" }
        }
    }
}

/// The form to enter the token once (it is kept in a cookie).
fn token_form(next: &str) -> Markup {
    html! {
        form.token-form action="/bau-cu/ma-truy-cap" method="post" {
            p {
                label for="token" { "Mã truy cập (tạo bằng " code { "vanban token create TÊN" } "): " }
                input #token type="password" name="token" required autocomplete="off";
                input type="hidden" name="next" value=(next);
                " "
                button type="submit" { "Dùng mã này" }
            }
        }
    }
}

fn token_notice(headers: &HeaderMap, next: &str) -> Markup {
    html! {
        @if request_token(headers).is_none() {
            div.notice {
                p { "Mọi thao tác ghi (tạo phiên, nhập phiếu, đối chiếu, kiểm phiếu) cần mã truy cập." }
                (token_form(next))
            }
        }
    }
}

fn error_page(title: &str, e: &BallotError, back: &str) -> Response {
    let body = html! {
        h1 { (title) }
        p.notice role="alert" { (e.to_string()) }
        @if matches!(e, BallotError::Unauthorized) {
            (token_form(back))
        }
        p { a href=(back) { "Quay lại" } }
    };
    (e.status(), page(title, back, Some(""), body)).into_response()
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

async fn load(state: &BallotsState, id: &str) -> Result<Session, BallotError> {
    let sessions = state.sessions.clone();
    let id = id.to_owned();
    blocking(move || sessions.load(&id)).await
}

async fn append(
    state: &BallotsState,
    id: &str,
    make: impl FnOnce(&Session) -> Result<super::session::Event, SessionError> + Send + 'static,
) -> Result<Session, BallotError> {
    let sessions = state.sessions.clone();
    let id = id.to_owned();
    blocking(move || sessions.append(&id, make)).await
}

fn marks_text(election: &Election, r: &Reading) -> Markup {
    html! {
        @if !r.sealed { strong { "không có dấu" } "; " }
        @for (i, (name, m)) in election.candidates().iter().zip(&r.marks).enumerate() {
            @if i > 0 { "; " }
            (name) ": " (mark_label(*m))
        }
    }
}

/// The controls of one ballot: number (unless fixed), seal, one control per
/// candidate; `prefix` keeps several forms on one page apart.
fn ballot_controls(election: &Election, prefix: &str, current: Option<&Reading>) -> Markup {
    let sealed = current.map(|r| r.sealed).unwrap_or(true);
    html! {
        p {
            label {
                input type="checkbox" name="sealed" value="true" checked[sealed];
                " Phiếu có dấu của Ban kiểm phiếu"
            }
        }
        table {
            thead { tr { th { "TT" } th { "Họ và tên" } th { "Đánh dấu trên phiếu" } } }
            tbody {
                @for (i, name) in election.candidates().iter().enumerate() {
                    @let now = current.and_then(|r| r.marks.get(i).copied());
                    tr {
                        td { (i + 1) }
                        td { (name) }
                        td {
                            @match election.form() {
                                BallotForm::StrikeOut => {
                                    label {
                                        input type="checkbox" name={ "m" (i) } value="strike"
                                            id={ (prefix) "m" (i) } checked[now == Some(Mark::Strike)];
                                        " gạch tên"
                                    }
                                }
                                BallotForm::AgreeDisagree => {
                                    @for m in marks_of(BallotForm::AgreeDisagree) {
                                        label {
                                            input type="radio" name={ "m" (i) } value=(mark_word(*m))
                                                required checked[now == Some(*m)];
                                            " " (mark_label(*m))
                                        }
                                        " "
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Reads the seal and the marks from a form (a strike-out name not ticked
/// is kept; an agree/disagree name needs one of its four choices).
fn reading_fields(election: &Election, fields: &Fields) -> (bool, Vec<String>) {
    let sealed = field(fields, "sealed").is_some_and(|v| v == "true" || v == "on");
    let marks = (0..election.candidates().len())
        .map(|i| {
            let v = field(fields, &format!("m{i}")).map(str::to_owned);
            match election.form() {
                BallotForm::StrikeOut => v.unwrap_or_else(|| "keep".to_owned()),
                BallotForm::AgreeDisagree => v.unwrap_or_else(|| "(chưa chọn)".to_owned()),
            }
        })
        .collect();
    (sealed, marks)
}

fn ballot_number(fields: &Fields) -> Result<u64, BallotError> {
    let raw = field(fields, "ballot").unwrap_or("").trim();
    raw.parse::<u64>()
        .map_err(|_| BallotError::Session(SessionError::BallotNumber(raw.to_owned())))
}

fn facts(s: &Session) -> Markup {
    let e = &s.election;
    html! {
        dl.facts {
            dt { "Chức danh bầu" } dd { (e.spec().office.label()) }
            dt { "Số lượng cần bầu" } dd { (e.seats()) }
            dt { "Số người trong danh sách" } dd { (e.candidates().len()) }
            dt { "Mẫu phiếu" } dd {
                @match e.form() {
                    BallotForm::StrikeOut => "gạch tên",
                    BallotForm::AgreeDisagree => "đồng ý / không đồng ý",
                }
            }
            dt { "Tổng số làm căn cứ" } dd { (e.base()) }
            dt { "Số phiếu cần để trúng cử" } dd { (e.threshold()) }
            dt { "Số phiếu phát ra" } dd { (e.ballots_issued()) }
        }
    }
}

// ------------------------------------------------------------------ index

/// `GET /bau-cu`: the sessions and the form to start one.
pub async fn index(State(state): State<BallotsState>, headers: HeaderMap) -> Response {
    let sessions = state.sessions.clone();
    let list = match blocking(move || sessions.list()).await {
        Ok(l) => l,
        Err(e) => return error_page("Kiểm phiếu", &e, "/"),
    };
    let body = html! {
        h1 { "Kiểm phiếu bầu cử" }
        p {
            "Hai người nhập độc lập nhập từng phiếu; hai bản được đối chiếu, mọi chỗ khác nhau phải được xử lý trước khi kiểm phiếu. "
            "Quy tắc tính theo Quy định 190-QĐ/TW (2024)."
        }
        (token_notice(&headers, "/bau-cu"))
        h2 { "Các phiên kiểm phiếu" }
        @if list.is_empty() {
            p.muted { "Chưa có phiên nào." }
        } @else {
            ul.plain.sessions {
                @for s in &list {
                    li {
                        a href=(base(&s.id)) { (s.title) }
                        @if s.closed { " " span.kind-tag { "đã kiểm phiếu" } }
                    }
                }
            }
        }
        h2 { "Tạo phiên mới" }
        form action="/bau-cu" method="post" {
            p {
                label for="election_toml" { "Nội dung tệp ELECTION.toml (xem tài liệu " code { "docs/election.md" } "):" }
            }
            textarea #election_toml name="election_toml" rows="14" cols="80" required {}
            p { button type="submit" { "Tạo phiên" } }
        }
    };
    page("Kiểm phiếu bầu cử", "/bau-cu", Some(""), body).into_response()
}

/// `POST /bau-cu`: creates a session and goes to it.
pub async fn create(
    State(state): State<BallotsState>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    if let Err(e) = authorize(&state, &headers).await {
        return error_page("Tạo phiên kiểm phiếu", &e, "/bau-cu");
    }
    let text = field(&fields, "election_toml")
        .unwrap_or("")
        .replace("\r\n", "\n");
    let sessions = state.sessions.clone();
    match blocking(move || sessions.create(&text)).await {
        Ok(id) => see_other(&base(&id)),
        Err(e) => error_page("Tạo phiên kiểm phiếu", &e, "/bau-cu"),
    }
}

/// `POST /bau-cu/ma-truy-cap`: checks the token and keeps it in a cookie
/// (HttpOnly, SameSite=Strict) for the forms.
pub async fn set_token(
    State(state): State<BallotsState>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    if let Some(refused) = crate::auth::refuse_cross_site(&headers) {
        return refused;
    }
    let token = field(&fields, "token").unwrap_or("").trim().to_owned();
    let next = field(&fields, "next")
        .map(crate::auth::local_path)
        .filter(|n| n.starts_with("/bau-cu") && !n.contains("//"))
        .unwrap_or("/bau-cu")
        .to_owned();
    let cookie = match crate::auth::login_cookie(&token) {
        Some(c) if state.app.knows_token_hash(&crate::auth::hash(&token)).await => c,
        _ => return error_page("Mã truy cập", &BallotError::Unauthorized, &next),
    };
    // The site's one login cookie (Path=/): it opens the pages too.
    let mut response = crate::auth::see_other(&next);
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    response
}

// --------------------------------------------------------------- overview

/// `GET /bau-cu/{id}`.
pub async fn overview(
    State(state): State<BallotsState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let s = match load(&state, &id).await {
        Ok(s) => s,
        Err(e) => return error_page("Phiên kiểm phiếu", &e, "/bau-cu"),
    };
    let ballots = s.ballots();
    let agreed = ballots
        .iter()
        .filter(|(_, b)| matches!(b, BallotState::Agreed(_)))
        .count();
    let resolved = ballots
        .iter()
        .filter(|(_, b)| matches!(b, BallotState::Resolved(..)))
        .count();
    let pending = ballots.len() - agreed - resolved;
    let b = base(&id);
    let body = html! {
        h1 { (s.title()) }
        (nav(&id))
        (token_notice(&headers, &b))
        (facts(&s))
        h2 { "Tình hình nhập phiếu" }
        ul.counts {
            li { strong { (s.entries[0].len()) } "phiếu người nhập 1 đã nhập" }
            li { strong { (s.entries[1].len()) } "phiếu người nhập 2 đã nhập" }
            li { strong { (agreed) } "phiếu hai bản khớp nhau" }
            li { strong { (resolved) } "phiếu đã xử lý khi đối chiếu" }
            li { strong { (pending) } "phiếu cần đối chiếu" }
        }
        @if let Some(sha) = &s.closed {
            p.notice { "Đã kiểm phiếu. " a href={ (b) "/ket-qua" } { "Xem kết quả" } " · SHA-256: " code { (sha) } }
        } @else {
            h2 { "Kiểm phiếu" }
            @if pending > 0 {
                p.notice { "Chưa thể kiểm phiếu: còn " (pending) " phiếu cần " a href={ (b) "/doi-chieu" } { "đối chiếu" } "." }
            }
            form action={ (b) "/kiem-phieu" } method="post" {
                p {
                    "Kiểm phiếu khi mọi phiếu đã được cả hai người nhập khớp nhau hoặc đã được xử lý. Sau khi kiểm, phiên không nhận thêm thay đổi. "
                    button type="submit" { "Kiểm phiếu" }
                }
            }
        }
    };
    page(s.title(), &b, Some(""), body).into_response()
}

// ------------------------------------------------------------------ entry

#[derive(Debug, Deserialize)]
pub struct EntryQuery {
    /// The ballot just saved, for the confirmation line.
    #[serde(default)]
    pub saved: Option<u64>,
}

fn entry_body(
    id: &str,
    clerk: u8,
    s: &Session,
    headers: &HeaderMap,
    saved: Option<u64>,
    error: Option<&BallotError>,
) -> Markup {
    let b = base(id);
    let action = format!("{b}/nhap/{clerk}");
    let mine = &s.entries[usize::from(clerk - 1)];
    let next = (1..=s.election.ballots_issued()).find(|n| !mine.contains_key(n));
    html! {
        h1 { "Người nhập " (clerk) " · " (s.title()) }
        (nav(id))
        (token_notice(headers, &action))
        @if let Some(e) = error { p.notice role="alert" { (e.to_string()) } }
        @if let Some(n) = saved { p.notice role="status" { "Đã lưu phiếu số " (n) "." } }
        @if s.closed.is_some() {
            p.notice { "Đã kiểm phiếu; không nhập thêm được." }
        } @else {
            form.ballot-entry action=(action) method="post" {
                p {
                    label for="ballot" { "Số phiếu: " }
                    input #ballot type="number" name="ballot" min="1" max=(s.election.ballots_issued())
                        required value=[next];
                }
                (ballot_controls(&s.election, "e", None))
                p {
                    label for="reason" { "Lý do sửa (chỉ điền khi sửa phiếu đã nhập): " }
                    input #reason type="text" name="reason" size="40";
                }
                p { button type="submit" { "Lưu phiếu" } }
            }
        }
        h2 { "Các phiếu người nhập " (clerk) " đã nhập (" (mine.len()) ")" }
        p.muted { "Mỗi người chỉ thấy bản nhập của mình; hai bản được so ở trang Đối chiếu." }
        div.table-wrap {
            table.entries {
                thead { tr { th { "Số phiếu" } th { "Nội dung" } } }
                tbody {
                    @for (n, r) in mine {
                        tr { td { (n) } td { (marks_text(&s.election, r)) } }
                    }
                }
            }
        }
    }
}

fn clerk_of(raw: &str) -> Option<u8> {
    match raw {
        "1" => Some(1),
        "2" => Some(2),
        _ => None,
    }
}

/// `GET /bau-cu/{id}/nhap/{clerk}`.
pub async fn entry_page(
    State(state): State<BallotsState>,
    Path((id, clerk)): Path<(String, String)>,
    Query(q): Query<EntryQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(clerk) = clerk_of(&clerk) else {
        return error_page(
            "Nhập phiếu",
            &BallotError::NotFound(format!("{id}/nhap/{clerk}")),
            &base(&id),
        );
    };
    match load(&state, &id).await {
        Ok(s) => {
            let body = entry_body(&id, clerk, &s, &headers, q.saved, None);
            let url = format!("{}/nhap/{clerk}", base(&id));
            page("Nhập phiếu", &url, Some(""), body).into_response()
        }
        Err(e) => error_page("Nhập phiếu", &e, "/bau-cu"),
    }
}

/// `POST /bau-cu/{id}/nhap/{clerk}`: saves one reading (a correction when
/// a reason is given).
pub async fn enter(
    State(state): State<BallotsState>,
    Path((id, clerk)): Path<(String, String)>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let url = format!("{}/nhap/{clerk}", base(&id));
    let Some(clerk) = clerk_of(&clerk) else {
        return error_page(
            "Nhập phiếu",
            &BallotError::NotFound(url.clone()),
            &base(&id),
        );
    };
    if let Err(e) = authorize(&state, &headers).await {
        return error_page("Nhập phiếu", &e, &url);
    }
    let ballot = match ballot_number(&fields) {
        Ok(n) => n,
        Err(e) => return error_page("Nhập phiếu", &e, &url),
    };
    let reason = field(&fields, "reason").map(str::to_owned);
    let result = append(&state, &id, move |s| {
        let (sealed, marks) = reading_fields(&s.election, &fields);
        Ok(Session::entry_event(clerk, ballot, sealed, marks, reason))
    })
    .await;
    match result {
        Ok(_) => see_other(&format!("{url}?saved={ballot}")),
        Err(e) => match load(&state, &id).await {
            Ok(s) => {
                let body = entry_body(&id, clerk, &s, &headers, None, Some(&e));
                (e.status(), page("Nhập phiếu", &url, Some(""), body)).into_response()
            }
            Err(_) => error_page("Nhập phiếu", &e, &url),
        },
    }
}

// ------------------------------------------------------------- comparison

fn reading_cells(election: &Election, r: Option<&Reading>, other: Option<&Reading>) -> Markup {
    html! {
        @match r {
            None => span.muted { "(chưa nhập)" },
            Some(r) => {
                @if r.sealed { "có dấu" } @else { strong { "không có dấu" } }
                ul.plain {
                    @for (i, (name, m)) in election.candidates().iter().zip(&r.marks).enumerate() {
                        @let differs = other.is_some_and(|o| o.marks.get(i) != Some(m));
                        li {
                            (name) ": "
                            @if differs { strong.differs { (mark_label(*m)) } } @else { (mark_label(*m)) }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /bau-cu/{id}/doi-chieu`: ballots entered by one clerk only and
/// ballots whose two entries differ, each with the forms to settle it.
pub async fn compare(
    State(state): State<BallotsState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match load(&state, &id).await {
        Ok(s) => {
            let body = compare_body(&id, &s, &headers, None);
            let url = format!("{}/doi-chieu", base(&id));
            page("Đối chiếu", &url, Some(""), body).into_response()
        }
        Err(e) => error_page("Đối chiếu", &e, "/bau-cu"),
    }
}

fn compare_body(id: &str, s: &Session, headers: &HeaderMap, error: Option<&BallotError>) -> Markup {
    let b = base(id);
    let action = format!("{b}/doi-chieu");
    let pending = s.pending();
    let resolved: Vec<(u64, Choice)> = s.resolutions.iter().map(|(n, (_, c))| (*n, *c)).collect();
    html! {
        h1 { "Đối chiếu · " (s.title()) }
        (nav(id))
        (token_notice(headers, &action))
        @if let Some(e) = error { p.notice role="alert" { (e.to_string()) } }
        @if pending.is_empty() {
            p.notice.all-agreed { "Không còn phiếu nào cần đối chiếu." }
        } @else {
            p.notice { "Còn " (pending.len()) " phiếu cần đối chiếu; chưa thể kiểm phiếu." }
        }
        @for (n, st) in &pending {
            @let (one, two) = (s.entries[0].get(n), s.entries[1].get(n));
            section.disagreement id={ "phieu-" (n) } {
                h2 {
                    "Phiếu số " (n) " — "
                    @match st {
                        BallotState::Only(c, _) => { "chỉ người nhập " (c) " đã nhập" },
                        _ => "hai bản nhập khác nhau",
                    }
                }
                div.table-wrap {
                    table {
                        thead { tr { th { "Người nhập 1" } th { "Người nhập 2" } } }
                        tbody { tr {
                            td { (reading_cells(&s.election, one, two)) }
                            td { (reading_cells(&s.election, two, one)) }
                        } }
                    }
                }
                @if s.closed.is_none() {
                    form action=(action) method="post" {
                        input type="hidden" name="ballot" value=(n);
                        @if one.is_some() { button type="submit" name="by" value="entry1" { "Lấy theo người nhập 1" } " " }
                        @if two.is_some() { button type="submit" name="by" value="entry2" { "Lấy theo người nhập 2" } }
                    }
                    details {
                        summary { "Xem lại phiếu giấy và nhập lại" }
                        form action=(action) method="post" {
                            input type="hidden" name="ballot" value=(n);
                            input type="hidden" name="by" value="re_entered";
                            (ballot_controls(&s.election, &format!("r{n}"), None))
                            p { button type="submit" { "Lưu bản nhập lại" } }
                        }
                    }
                }
            }
        }
        @if !resolved.is_empty() {
            h2 { "Đã xử lý" }
            ul.plain {
                @for (n, c) in &resolved { li { "Phiếu số " (n) ": " (c.label()) } }
            }
        }
    }
}

/// `POST /bau-cu/{id}/doi-chieu`: settles one ballot.
pub async fn resolve(
    State(state): State<BallotsState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let url = format!("{}/doi-chieu", base(&id));
    if let Err(e) = authorize(&state, &headers).await {
        return error_page("Đối chiếu", &e, &url);
    }
    let ballot = match ballot_number(&fields) {
        Ok(n) => n,
        Err(e) => return error_page("Đối chiếu", &e, &url),
    };
    let by = match field(&fields, "by") {
        Some("entry1") => Choice::Entry1,
        Some("entry2") => Choice::Entry2,
        Some("re_entered") => Choice::ReEntered,
        _ => {
            let e = BallotError::Session(SessionError::NothingToResolve { ballot });
            return error_page("Đối chiếu", &e, &url);
        }
    };
    let result = append(&state, &id, move |s| {
        let reentered = (by == Choice::ReEntered).then(|| reading_fields(&s.election, &fields));
        s.resolution_event(ballot, by, reentered)
    })
    .await;
    match result {
        Ok(_) => see_other(&url),
        Err(e) => match load(&state, &id).await {
            Ok(s) => {
                let body = compare_body(&id, &s, &headers, Some(&e));
                (e.status(), page("Đối chiếu", &url, Some(""), body)).into_response()
            }
            Err(_) => error_page("Đối chiếu", &e, &url),
        },
    }
}

// ----------------------------------------------------------------- totals

fn outcome_table(o: &Outcome) -> Markup {
    let b = &o.ballots;
    let r = &b.invalid_reasons;
    html! {
        ul.counts {
            li { strong { (b.issued) } "phiếu phát ra" }
            li { strong { (b.returned) } "phiếu thu vào" }
            li { strong { (b.valid) } "phiếu hợp lệ" }
            li { strong { (b.invalid) } "phiếu không hợp lệ" }
        }
        p.muted {
            "Không hợp lệ vì: không có dấu " (r.not_sealed)
            "; để lại nhiều tên hơn số lượng cần bầu " (r.too_many_kept)
            "; gạch tên tất cả " (r.all_struck) "."
        }
        div.table-wrap {
            table.outcome {
                thead { tr {
                    th { "TT" } th { "Họ và tên" } th { "Số phiếu" }
                    th { "% so với tổng số" } th { "% so với phiếu hợp lệ" } th { "Trúng cử" }
                } }
                tbody {
                    @for (i, c) in o.candidates.iter().enumerate() {
                        tr {
                            td { (i + 1) } td { (c.name) } td.votes { (c.votes) }
                            td { (c.percent_of_base.to_string()) "%" }
                            td { (c.percent_of_valid.to_string()) "%" }
                            td { @if c.elected { "Trúng cử" } }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /bau-cu/{id}/tam-tinh`: totals over the settled ballots so far.
pub async fn totals(State(state): State<BallotsState>, Path(id): Path<String>) -> Response {
    let s = match load(&state, &id).await {
        Ok(s) => s,
        Err(e) => return error_page("Tạm tính", &e, "/bau-cu"),
    };
    let outcome = match s.live_outcome() {
        Ok(o) => o,
        Err(e) => return error_page("Tạm tính", &e.into(), &base(&id)),
    };
    let url = format!("{}/tam-tinh", base(&id));
    let body = html! {
        h1 { "Tạm tính · " (s.title()) }
        (nav(&id))
        p.notice {
            "Tạm tính trên " (outcome.ballots.returned) " phiếu đã được hai người nhập khớp nhau hoặc đã xử lý; "
            (s.pending().len()) " phiếu đang chờ đối chiếu. Đây chưa phải kết quả chính thức."
        }
        p { "Tổng số làm căn cứ: " (outcome.base) ". Số phiếu cần để trúng cử: " (outcome.threshold) "." }
        (outcome_table(&outcome))
    };
    page("Tạm tính", &url, Some(""), body).into_response()
}

// ---------------------------------------------------------------- closing

/// `POST /bau-cu/{id}/kiem-phieu`: counts and closes (refused with 409
/// while a ballot is not settled).
pub async fn close(
    State(state): State<BallotsState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let b = base(&id);
    if let Err(e) = authorize(&state, &headers).await {
        return error_page("Kiểm phiếu", &e, &b);
    }
    match append(&state, &id, |s| s.closing_event()).await {
        Ok(_) => see_other(&format!("{b}/ket-qua")),
        Err(e) => error_page("Chưa thể kiểm phiếu", &e, &format!("{b}/doi-chieu")),
    }
}

/// `GET /bau-cu/{id}/ket-qua`: the result, the minutes and the SHA-256.
pub async fn result(State(state): State<BallotsState>, Path(id): Path<String>) -> Response {
    let b = base(&id);
    let s = match load(&state, &id).await {
        Ok(s) => s,
        Err(e) => return error_page("Kết quả", &e, "/bau-cu"),
    };
    let Some(sha) = s.closed.clone() else {
        return error_page("Kết quả", &SessionError::NotClosed.into(), &b);
    };
    let outcome = match s.final_result() {
        Ok((o, _)) => o,
        Err(e) => return error_page("Kết quả", &e.into(), &b),
    };
    let e = &s.election;
    let body = html! {
        h1 { "Kết quả · " (s.title()) }
        (nav(&id))
        p { "Số lượng cần bầu: " (e.seats()) ". Tổng số làm căn cứ: " (outcome.base)
            ". Số phiếu cần để trúng cử: " (outcome.threshold) "." }
        (outcome_table(&outcome))
        p.elected {
            @if outcome.elected.is_empty() { "Không có người trúng cử." }
            @else { "Trúng cử (" (outcome.seats_filled) "/" (e.seats()) "): " (outcome.elected.join(", ")) "." }
        }
        @if let Some(nr) = &outcome.next_round {
            p.notice {
                "Cần bầu tiếp ("
                @match nr.reason {
                    vanban_election::NextRoundReason::Tie => "bằng phiếu nhau ở vị trí cuối",
                    vanban_election::NextRoundReason::TooFewElected => "chưa đủ số lượng",
                }
                "): " (nr.seats) " chỗ, trong số: " (nr.candidates.join(", ")) "."
            }
        }
        h2 { "Biên bản và dữ liệu" }
        ul.plain {
            li { a.minutes href={ (b) "/bien-ban.pdf" } { "Tải biên bản kiểm phiếu (PDF)" } }
            li { a href={ (b) "/ELECTION.toml" } { "ELECTION.toml" } " · " a href={ (b) "/BALLOTS.csv" } { "BALLOTS.csv" } }
            li { "SHA-256 của ELECTION.toml nối tiếp BALLOTS.csv: " code.sha256 { (sha) } }
        }
        p.muted { "Kiểm tra lại: " code { "cat ELECTION.toml BALLOTS.csv | sha256sum" } ", hoặc " code { "vanban election count ELECTION.toml BALLOTS.csv" } "." }
    };
    page("Kết quả", &format!("{b}/ket-qua"), Some(""), body).into_response()
}

fn download(content_type: &'static str, name: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    let mut r = ([(header::CONTENT_TYPE, content_type)], bytes).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// `GET /bau-cu/{id}/bien-ban.pdf`: the minutes (vanban-minutes).
pub async fn minutes(State(state): State<BallotsState>, Path(id): Path<String>) -> Response {
    let sessions = state.sessions.clone();
    let id2 = id.clone();
    let pdf = blocking(move || Ok(sessions.load(&id2)?.minutes()?)).await;
    match pdf {
        Ok(bytes) => download("application/pdf", "bien-ban-kiem-phieu.pdf", bytes),
        Err(e) => error_page("Biên bản", &e, &base(&id)),
    }
}

/// `GET /bau-cu/{id}/BALLOTS.csv`: the settled ballots (all of them once
/// closed), exactly the bytes hashed on the minutes.
pub async fn ballots_csv(State(state): State<BallotsState>, Path(id): Path<String>) -> Response {
    match load(&state, &id).await {
        Ok(s) => download("text/csv; charset=utf-8", "BALLOTS.csv", s.ballots_csv()),
        Err(e) => error_page("BALLOTS.csv", &e, "/bau-cu"),
    }
}

/// `GET /bau-cu/{id}/ELECTION.toml`: the settings as uploaded.
pub async fn election_toml(State(state): State<BallotsState>, Path(id): Path<String>) -> Response {
    match load(&state, &id).await {
        Ok(s) => download(
            "text/plain; charset=utf-8",
            "ELECTION.toml",
            s.election_toml.into_bytes(),
        ),
        Err(e) => error_page("ELECTION.toml", &e, "/bau-cu"),
    }
}

// -------------------------------------------------------------------- log

/// `GET /bau-cu/{id}/nhat-ky`: every line of the log, in order.
pub async fn log(State(state): State<BallotsState>, Path(id): Path<String>) -> Response {
    let sessions = state.sessions.clone();
    let id2 = id.clone();
    let text = match blocking(move || sessions.log_text(&id2)).await {
        Ok(t) => t,
        Err(e) => return error_page("Nhật ký", &e, "/bau-cu"),
    };
    let url = format!("{}/nhat-ky", base(&id));
    let body = html! {
        h1 { "Nhật ký phiên kiểm phiếu" }
        (nav(&id))
        p.muted { "Mỗi dòng là một lần nhập, sửa, xử lý hoặc kiểm phiếu, theo đúng thứ tự ghi; nhật ký chỉ được ghi thêm, không sửa, không xóa." }
        ol.log {
            @for line in text.lines() { li { code { (line) } } }
        }
    };
    page("Nhật ký", &url, Some(""), body).into_response()
}
