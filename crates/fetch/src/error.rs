//! Every way a fetch can fail, one variant per cause. Each message names
//! the URL, the cause and what the user can do, in Vietnamese with the
//! English term in parentheses (the CLI prints it as it is).

/// Why a URL could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Not an http:// or https:// URL, or not a URL at all.
    #[error("{url}: địa chỉ không hợp lệ (invalid URL: {reason}); vanban tải các địa chỉ http:// và https://")]
    InvalidUrl { url: String, reason: String },
    /// The host name does not resolve.
    #[error("{url}: không tìm thấy tên miền {host} (DNS failure: {reason}); kiểm tra chính tả địa chỉ và kết nối mạng")]
    Dns {
        url: String,
        host: String,
        reason: String,
    },
    /// Nothing listens at that address and port.
    #[error("{url}: máy chủ từ chối kết nối (connection refused); kiểm tra địa chỉ, cổng và máy chủ có đang chạy không")]
    Refused { url: String },
    /// Any other failure to connect (network unreachable, …).
    #[error("{url}: không kết nối được tới máy chủ (cannot connect: {reason}); kiểm tra mạng rồi chạy lại")]
    Connect { url: String, reason: String },
    /// The TLS handshake failed (bad certificate, not HTTPS at all, …).
    #[error("{url}: lỗi TLS (TLS error: {reason}); chứng chỉ của máy chủ không hợp lệ hoặc máy chủ không dùng HTTPS ở cổng này")]
    Tls { url: String, reason: String },
    /// No answer within the time-out.
    #[error("{url}: hết thời gian chờ (time-out: no answer within {seconds} s, or the whole answer took over {total} s); máy chủ trả lời quá chậm: chạy lại sau, hoặc tăng --timeout")]
    Timeout {
        url: String,
        /// The connect and read time-out.
        seconds: u64,
        /// The time-out of a whole exchange.
        total: u64,
    },
    /// The server answered 4xx or 5xx.
    #[error("{url}: máy chủ trả lời HTTP {status} ({hint})")]
    Status {
        url: String,
        status: u16,
        hint: String,
        /// The `Retry-After` header, when the server sent one.
        retry_after: Option<String>,
    },
    /// A redirect leads back to a URL already visited.
    #[error("{url}: chuyển hướng vòng lặp (redirect loop) qua {to}; trang này không tải được, hãy báo cho người quản trị trang")]
    RedirectLoop { url: String, to: String },
    /// More redirects than allowed.
    #[error("{url}: quá {limit} lần chuyển hướng (too many redirects); kiểm tra địa chỉ")]
    TooManyRedirects { url: String, limit: u32 },
    /// A redirect without a usable `Location`.
    #[error("{url}: chuyển hướng không có địa chỉ đích hợp lệ (bad redirect: {reason})")]
    BadRedirect { url: String, reason: String },
    /// The body is larger than the cap.
    #[error("{url}: nội dung vượt giới hạn {limit} byte (over the size cap); tăng --max-bytes nếu thật sự cần trang này")]
    TooLarge { url: String, limit: u64 },
    /// The body is not a feed that can be read.
    #[error("{url}: nguồn tin hỏng, không đọc được (malformed feed: {reason}); kiểm tra địa chỉ có phải RSS, Atom hay JSON Feed không")]
    MalformedFeed { url: String, reason: String },
    /// The declared charset is not one vanban knows.
    #[error("{url}: bảng mã không rõ \"{charset}\" (unknown charset); vanban đọc UTF-8, Windows-1258 và các bảng mã chuẩn (WHATWG)")]
    UnknownCharset { url: String, charset: String },
    /// The body is neither HTML, plain text nor a feed.
    #[error("{url}: không phải văn bản (not text: {content_type}); vanban đọc trang HTML, văn bản thuần và nguồn tin RSS, Atom, JSON Feed")]
    NotText { url: String, content_type: String },
    /// robots.txt forbids the URL.
    #[error("{url}: robots.txt của trang không cho phép tải (disallowed by robots.txt); vanban tuân theo robots.txt")]
    Disallowed { url: String },
    /// robots.txt answered a server error: by convention nothing of that
    /// host is fetched.
    #[error("{url}: robots.txt trả lời HTTP {status}, nên chưa tải trang nào của máy chủ này (robots.txt unavailable); chạy lại sau")]
    RobotsUnavailable { url: String, status: u16 },
    /// The server's answer is not valid HTTP.
    #[error("{url}: câu trả lời của máy chủ không phải HTTP hợp lệ (protocol error: {reason})")]
    Protocol { url: String, reason: String },
    /// The connection broke while reading.
    #[error("{url}: kết nối bị lỗi khi đang tải (I/O error: {reason}); chạy lại sau")]
    Io { url: String, reason: String },
}

impl FetchError {
    /// The URL the error is about.
    pub fn url(&self) -> &str {
        match self {
            FetchError::InvalidUrl { url, .. }
            | FetchError::Dns { url, .. }
            | FetchError::Refused { url }
            | FetchError::Connect { url, .. }
            | FetchError::Tls { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::Status { url, .. }
            | FetchError::RedirectLoop { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::BadRedirect { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::MalformedFeed { url, .. }
            | FetchError::UnknownCharset { url, .. }
            | FetchError::NotText { url, .. }
            | FetchError::Disallowed { url }
            | FetchError::RobotsUnavailable { url, .. }
            | FetchError::Protocol { url, .. }
            | FetchError::Io { url, .. } => url,
        }
    }

    /// A short machine-readable name of the cause (`dns`, `refused`,
    /// `tls`, `status`, …), for JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl { .. } => "invalid_url",
            FetchError::Dns { .. } => "dns",
            FetchError::Refused { .. } => "refused",
            FetchError::Connect { .. } => "connect",
            FetchError::Tls { .. } => "tls",
            FetchError::Timeout { .. } => "timeout",
            FetchError::Status { .. } => "status",
            FetchError::RedirectLoop { .. } => "redirect_loop",
            FetchError::TooManyRedirects { .. } => "too_many_redirects",
            FetchError::BadRedirect { .. } => "bad_redirect",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::MalformedFeed { .. } => "malformed_feed",
            FetchError::UnknownCharset { .. } => "unknown_charset",
            FetchError::NotText { .. } => "not_text",
            FetchError::Disallowed { .. } => "robots_disallowed",
            FetchError::RobotsUnavailable { .. } => "robots_unavailable",
            FetchError::Protocol { .. } => "protocol",
            FetchError::Io { .. } => "io",
        }
    }
}

/// What to tell the user about an HTTP error status.
pub(crate) fn status_hint(status: u16, retry_after: Option<&str>) -> String {
    let base = match status {
        404 | 410 => "trang không tồn tại (not found): kiểm tra địa chỉ",
        401 | 403 => "không được phép truy cập (forbidden)",
        429 => "quá nhiều yêu cầu (too many requests): chạy lại sau",
        400..=499 => "yêu cầu bị từ chối (client error): kiểm tra địa chỉ",
        _ => "lỗi phía máy chủ (server error): chạy lại sau",
    };
    match retry_after {
        Some(r) => format!("{base}; máy chủ đề nghị thử lại sau {r} (Retry-After)"),
        None => base.to_string(),
    }
}
