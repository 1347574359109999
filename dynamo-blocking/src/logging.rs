//! What the client tells the `log` facade about its requests.
//!
//! Every event is built here from names, numbers and DynamoDB's own answer
//! text, never from headers or credentials: the signed headers are not
//! passed in, so no secret can reach a log line. Item values (request and
//! answer bodies) appear only at `trace`.

use std::collections::BTreeMap;
use std::time::Duration;

use log::{debug, log_enabled, trace, Level};
use serde::de::IgnoredAny;
use serde::Deserialize;

/// The tables a request body names (`TableName`, or the keys of
/// `RequestItems` in batches), for the request's log line.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Tables {
    #[serde(rename = "TableName")]
    table_name: Option<String>,
    #[serde(rename = "RequestItems")]
    request_items: Option<BTreeMap<String, IgnoredAny>>,
}

/// The tables a request body names.
pub(crate) fn table_names(body: &[u8]) -> Vec<String> {
    let tables: Tables = serde_json::from_slice(body).unwrap_or_default();
    let mut names: Vec<String> = tables.table_name.into_iter().collect();
    names.extend(tables.request_items.unwrap_or_default().into_keys());
    names
}

/// The tables `body` names, joined by commas; `-` when it names none (or
/// when debug logging is off, so the body is not parsed for nothing).
pub(crate) fn tables_of(body: &[u8]) -> String {
    if !log_enabled!(Level::Debug) {
        return String::new();
    }
    let names = table_names(body);
    if names.is_empty() {
        "-".to_owned()
    } else {
        names.join(",")
    }
}

/// One attempt of a request, as logged when its answer (or failure) comes.
pub(crate) struct AttemptLog<'a> {
    pub operation: &'a str,
    pub tables: &'a str,
    pub attempt: u32,
    pub latency: Duration,
    pub sent_bytes: usize,
}

impl AttemptLog<'_> {
    /// An answer: `debug` with its status, request id and size; the bodies
    /// (item values) at `trace`.
    pub(crate) fn answered(
        &self,
        status: u16,
        request_id: Option<&str>,
        request: &[u8],
        answer: &[u8],
    ) {
        debug!(
            "{} table={} status={} attempt={} latency_ms={:.1} request_id={} sent_bytes={} received_bytes={}",
            self.operation,
            self.tables,
            status,
            self.attempt,
            self.latency.as_secs_f64() * 1000.0,
            request_id.unwrap_or("-"),
            self.sent_bytes,
            answer.len(),
        );
        trace!(
            "{} request body: {}",
            self.operation,
            String::from_utf8_lossy(request)
        );
        trace!(
            "{} answer body: {}",
            self.operation,
            String::from_utf8_lossy(answer)
        );
    }

    /// No answer: the transport failed (refused, timed out, cut off).
    pub(crate) fn failed(&self, error: &dyn std::fmt::Display) {
        debug!(
            "{} table={} attempt={} latency_ms={:.1} sent_bytes={} failed: {}",
            self.operation,
            self.tables,
            self.attempt,
            self.latency.as_secs_f64() * 1000.0,
            self.sent_bytes,
            error,
        );
    }
}
