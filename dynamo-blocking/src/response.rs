//! Turning an answer into the operation's output or a typed error, reading
//! error answers as the awsJson1_0 protocol and the AWS SDKs do.

use dynamo_core::wire::{error_code, CancellationReason};
use dynamo_core::Attributes;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::{Error, ResponseError, ResponseErrorKind, ServiceError, ServiceErrorKind};
use crate::retry::Failure;
use crate::transport::{body_start, RawResponse};

/// The answer's output, or the error it carries (with the server's
/// `x-amz-retry-after`, for the retry loop).
pub(crate) fn decode<T: DeserializeOwned>(raw: RawResponse) -> Result<T, Failure> {
    if raw.status == 200 {
        // A malformed 200 is retried whatever is wrong with it. The body is
        // checked as UTF-8 once, whole: parsing it as a `str` spares
        // serde_json a check of every string of every item on its own.
        return std::str::from_utf8(&raw.body)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str(text).map_err(|e| e.to_string()))
            .map_err(|detail| Failure::from(malformed(&raw, detail)));
    }
    // Error JSON that ends early was cut off on the way: the next answer
    // may be whole. Error JSON that is whole but wrong would come back the
    // same.
    let cut_off = serde_json::from_slice::<serde::de::IgnoredAny>(&raw.body)
        .is_err_and(|e| e.classify() == serde_json::error::Category::Eof);
    Err(Failure {
        retry_after: raw.retry_after,
        error: error_answer(raw),
        cut_off,
    })
}

/// The members of an error body this client reads, each tolerated when it
/// is missing or of the wrong type.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    code: Option<serde_json::Value>,
    #[serde(rename = "__type", default)]
    error_type: Option<serde_json::Value>,
    #[serde(default)]
    message: Option<serde_json::Value>,
    #[serde(rename = "Message", default)]
    message_capitalized: Option<serde_json::Value>,
    #[serde(rename = "CancellationReasons", default)]
    cancellation_reasons: Option<serde_json::Value>,
    #[serde(rename = "Item", default)]
    item: Option<serde_json::Value>,
}

/// An error answer: the code comes from the `x-amzn-ErrorType` header, else
/// the body's `code`, else its `__type` (the awsJson1_0 order), so a body
/// that is not quite DynamoDB's still keeps its status and kind.
fn error_answer(raw: RawResponse) -> Error {
    let envelope = serde_json::from_slice::<Envelope>(&raw.body);
    let text =
        |v: &Option<serde_json::Value>| v.as_ref().and_then(|v| v.as_str()).map(str::to_owned);
    let (body_code, message, reasons, item) = match &envelope {
        Ok(e) => (
            text(&e.code).or_else(|| text(&e.error_type)),
            text(&e.message).or_else(|| text(&e.message_capitalized)),
            e.cancellation_reasons.clone(),
            e.item.clone(),
        ),
        Err(_) => (None, None, None, None),
    };
    let code = raw
        .error_type
        .as_deref()
        .map(error_code)
        .filter(|c| !c.is_empty())
        .or_else(|| {
            body_code
                .as_deref()
                .map(error_code)
                .filter(|c| !c.is_empty())
        })
        .map(str::to_owned);
    let Some(code) = code else {
        let detail = match envelope {
            Ok(_) => "error answer without an error code".to_owned(),
            Err(e) => e.to_string(),
        };
        return malformed(&raw, detail);
    };
    Error::Service(Box::new(ServiceError {
        kind: ServiceErrorKind::from_code(&code),
        code,
        message: message.unwrap_or_default(),
        status: raw.status,
        request_id: raw.request_id,
        attempts: 1,
        cancellation_reasons: reasons
            .and_then(|v| serde_json::from_value::<Vec<CancellationReason>>(v).ok())
            .unwrap_or_default(),
        item: item.and_then(|v| serde_json::from_value::<Attributes>(v).ok()),
        operation: "",
        tables: Vec::new(),
    }))
}

fn malformed(raw: &RawResponse, detail: String) -> Error {
    Error::Response(Box::new(ResponseError {
        kind: ResponseErrorKind::Malformed,
        status: raw.status,
        request_id: raw.request_id.clone(),
        body_start: body_start(&raw.body),
        detail,
        attempts: 1,
    }))
}
