//! What the proxy did: counters and a log of decisions.

use std::collections::BTreeMap;

use super::Fault;

/// Counters of a proxy's traffic, as of [`FaultProxy::stats`](super::FaultProxy::stats).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxyStats {
    /// Requests received from clients.
    pub requests: u64,
    /// Requests forwarded to the upstream (faults that forward first and
    /// partial batches included).
    pub forwarded: u64,
    /// Faults injected, by kind (kinds never injected are absent).
    pub injected: BTreeMap<Fault, u64>,
    /// BatchWriteItem answers made partial.
    pub partial_batch_writes: u64,
    /// Write requests withheld from BatchWriteItem calls (never applied,
    /// reported as `UnprocessedItems`).
    pub withheld_writes: u64,
    /// BatchGetItem answers made partial.
    pub partial_batch_gets: u64,
    /// Keys withheld from BatchGetItem calls (never read, reported as
    /// `UnprocessedKeys`).
    pub withheld_keys: u64,
    /// Exchanges with the upstream that failed (the client's connection was
    /// then closed without an answer). Zero in a healthy test.
    pub upstream_errors: u64,
}

impl ProxyStats {
    /// Faults of `kind` injected.
    pub fn injected(&self, kind: Fault) -> u64 {
        self.injected.get(&kind).copied().unwrap_or(0)
    }

    /// Faults of any kind injected.
    pub fn total_injected(&self) -> u64 {
        self.injected.values().sum()
    }
}

/// What the proxy did with one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Forwarded and relayed unchanged.
    Forwarded,
    /// A fault was injected.
    Injected(Fault),
    /// A batch was cut and answered partially; `withheld` write requests or
    /// keys were reported unprocessed.
    PartialBatch {
        /// How many were withheld.
        withheld: usize,
    },
}

/// One request as the proxy handled it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// 1-based number of the request, in the order the proxy decided.
    pub request_no: u64,
    /// The DynamoDB operation (`PutItem`...), from `X-Amz-Target`.
    pub operation: Option<String>,
    /// What was done.
    pub action: Action,
}
