//! API errors (lỗi): JSON `{"error": {"code": "not_found", "message": "…"}}`
//! with a stable machine code and a message that says what to do.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code: `not_found`, `ambiguous_reference`, `bad_request`,
    /// `unauthorized`, `payload_too_large`, `unsupported_media_type`,
    /// `search_unavailable`, `store_unavailable` (503, with `Retry-After`),
    /// `store_busy` (503, with `Retry-After`: a statement ran past its
    /// time-out, or every store connection stayed busy),
    /// `insufficient_storage` (507: the disk is full), `index_unavailable`
    /// (503, with `Retry-After`: the text is stored but the search index
    /// could not be updated), `internal`.
    #[schema(example = "not_found")]
    pub code: String,
    /// A sentence for people: what was wrong and what to do.
    pub message: String,
    /// For `ambiguous_reference`: the ids of the documents that fit, most
    /// cited first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<String>>,
}

/// An error answered as JSON.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
    /// Seconds after which the same request may succeed (`Retry-After`).
    pub retry_after: Option<u32>,
}

/// What a client is told to wait when the store is unreachable for now.
pub const RETRY_AFTER_SECONDS: u32 = 5;

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                error: ErrorDetail {
                    code: code.to_owned(),
                    message: message.into(),
                    candidates: None,
                },
            },
            retry_after: None,
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// A reference that fits several documents (HTTP 300).
    pub fn ambiguous(reference: &str, candidates: Vec<String>) -> Self {
        let mut e = Self::new(
            StatusCode::MULTIPLE_CHOICES,
            "ambiguous_reference",
            format!(
                "`{reference}` fits {} documents: ask again with one of the ids in `candidates` (or add the date or the issuer)",
                candidates.len()
            ),
        );
        e.body.error.candidates = Some(candidates);
        e
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<vanban_store::Error> for ApiError {
    /// A full disk is 507 Insufficient Storage; a store that cannot be
    /// reached or written for now is 503 with `Retry-After`; anything else
    /// is 500.
    fn from(e: vanban_store::Error) -> Self {
        if e.is_disk_full() {
            ApiError::new(
                StatusCode::INSUFFICIENT_STORAGE,
                "insufficient_storage",
                format!("{e} (the server keeps answering reads)"),
            )
        } else if e.is_unavailable() || e.is_busy() {
            let code = if e.is_busy() {
                "store_busy"
            } else {
                "store_unavailable"
            };
            let mut err = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                code,
                format!("{e}; send the same request again in a few seconds (the server keeps answering reads)"),
            );
            err.retry_after = Some(RETRY_AFTER_SECONDS);
            err
        } else {
            ApiError::internal(e.to_string())
        }
    }
}

impl From<crate::Error> for ApiError {
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::Store(e) => e.into(),
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(r: axum::extract::rejection::JsonRejection) -> Self {
        use axum::extract::rejection::JsonRejection as J;
        let status = r.status();
        match r {
            _ if status == StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
                status,
                "payload_too_large",
                "the request body is larger than this server accepts: send a smaller text, or ask the administrator to raise the limit",
            ),
            J::MissingJsonContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with `Content-Type: application/json`",
            ),
            other => ApiError::bad_request(format!(
                "không đọc được phần thân JSON (the JSON body could not be read: {}); xem dạng của nó trong /api/v1/openapi.json",
                other.body_text()
            )),
        }
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(r: axum::extract::rejection::QueryRejection) -> Self {
        ApiError::bad_request(format!(
            "một tham số truy vấn không hợp lệ (a query parameter is not valid: {}); xem /api/v1/openapi.json",
            r.body_text()
        ))
    }
}

impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(r: axum::extract::rejection::PathRejection) -> Self {
        ApiError::bad_request(format!(
            "đường dẫn không hợp lệ (the path is not valid: {}); xem /api/v1/openapi.json",
            r.body_text()
        ))
    }
}
