//! The faults the proxy injects, and the answers it makes up for them.

use std::fmt;

use super::http::Response;

/// One kind of failure the proxy can inject into an exchange.
///
/// Faults that **forward first** ([`Fault::forwards_first`]) send the request
/// on to DynamoDB and then spoil the answer: the write *was applied*, only the
/// answer was lost, as when a connection breaks after DynamoDB acted. All
/// other faults answer (or fail) without forwarding: the request *was not
/// applied*.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fault {
    /// HTTP 400 `ProvisionedThroughputExceededException` (not forwarded).
    ProvisionedThroughputExceeded,
    /// HTTP 400 `ThrottlingException` (not forwarded).
    Throttling,
    /// HTTP 500 `InternalServerError` JSON (not forwarded).
    InternalServerError,
    /// HTTP 503 `ServiceUnavailable` JSON (not forwarded).
    ServiceUnavailable,
    /// HTTP 502 with an HTML page, as a load balancer sends (not forwarded).
    BadGatewayHtml,
    /// Forwarded; the answer's JSON body is cut in half and sent with a
    /// matching `Content-Length` (and `x-amz-crc32`, if DynamoDB sent one,
    /// recomputed), so only the JSON decoder can notice.
    TruncatedBody,
    /// Forwarded; the answer declares its full `Content-Length`, sends half
    /// the body and closes the connection.
    ShortBody,
    /// Forwarded; the answer is intact but its `x-amz-crc32` is wrong.
    WrongCrc32,
    /// The connection is reset (SO_LINGER 0 where available, else closed)
    /// without an answer (not forwarded).
    ConnectionReset,
    /// No answer for the configured delay (longer than the client's read
    /// timeout), then the connection is closed (not forwarded).
    Delay,
    /// HTTP 400 `ExpiredIteratorException`, as DynamoDB Streams answers a
    /// GetRecords whose shard iterator is older than 15 minutes (not
    /// forwarded). Not in [`Fault::ALL`]: only meaningful for GetRecords.
    ExpiredIterator,
}

impl Fault {
    /// Every fault.
    pub const ALL: [Fault; 10] = [
        Fault::ProvisionedThroughputExceeded,
        Fault::Throttling,
        Fault::InternalServerError,
        Fault::ServiceUnavailable,
        Fault::BadGatewayHtml,
        Fault::TruncatedBody,
        Fault::ShortBody,
        Fault::WrongCrc32,
        Fault::ConnectionReset,
        Fault::Delay,
    ];

    /// Every fault but [`Fault::Delay`], which costs a read timeout each
    /// time: the builder's default.
    pub const FAST: [Fault; 9] = [
        Fault::ProvisionedThroughputExceeded,
        Fault::Throttling,
        Fault::InternalServerError,
        Fault::ServiceUnavailable,
        Fault::BadGatewayHtml,
        Fault::TruncatedBody,
        Fault::ShortBody,
        Fault::WrongCrc32,
        Fault::ConnectionReset,
    ];

    /// The faults that forward the request before spoiling the answer.
    pub const FORWARDING: [Fault; 3] = [Fault::TruncatedBody, Fault::ShortBody, Fault::WrongCrc32];

    /// Whether DynamoDB saw (and applied) the request.
    pub fn forwards_first(self) -> bool {
        Fault::FORWARDING.contains(&self)
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

const JSON: &str = "application/x-amz-json-1.0";

fn json_error(status: u16, reason: &str, code: &str, message: &str, request_no: u64) -> Response {
    let body = serde_json::to_vec(&serde_json::json!({
        "__type": format!("com.amazonaws.dynamodb.v20120810#{code}"),
        "message": message,
    }))
    .expect("a JSON error body");
    let crc = crc32fast::hash(&body);
    Response::new(
        status,
        reason,
        vec![
            ("Content-Type".into(), JSON.into()),
            (
                "x-amzn-RequestId".into(),
                format!("FAULTPROXY{request_no:08}"),
            ),
            ("x-amz-crc32".into(), crc.to_string()),
        ],
        body,
    )
}

/// The made-up answer of a fault that answers without forwarding, or `None`
/// for faults that forward or send no answer.
pub(crate) fn canned_answer(fault: Fault, request_no: u64) -> Option<Response> {
    Some(match fault {
        Fault::ProvisionedThroughputExceeded => json_error(
            400,
            "Bad Request",
            "ProvisionedThroughputExceededException",
            "The level of configured provisioned throughput for the table was exceeded. \
             Consider increasing your provisioning level with the UpdateTableInput API.",
            request_no,
        ),
        Fault::Throttling => json_error(
            400,
            "Bad Request",
            "ThrottlingException",
            "Rate of requests exceeds the allowed throughput.",
            request_no,
        ),
        Fault::InternalServerError => json_error(
            500,
            "Internal Server Error",
            "InternalServerError",
            "Internal server error",
            request_no,
        ),
        Fault::ServiceUnavailable => json_error(
            503,
            "Service Unavailable",
            "ServiceUnavailable",
            "Service unavailable, try again later",
            request_no,
        ),
        Fault::ExpiredIterator => json_error(
            400,
            "Bad Request",
            "ExpiredIteratorException",
            "Iterator expired. The iterator was created at time X while right now it is time Y \
             which is further in the future than the iterator's expiry time of 15 minutes.",
            request_no,
        ),
        Fault::BadGatewayHtml => Response::new(
            502,
            "Bad Gateway",
            vec![("Content-Type".into(), "text/html".into())],
            b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
              <center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
                .to_vec(),
        ),
        _ => return None,
    })
}
