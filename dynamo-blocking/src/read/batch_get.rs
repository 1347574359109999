//! [`BatchGet`]: many items by key, 100 keys per request, lazily.

use std::collections::{HashSet, VecDeque};

use dynamo_core::expr::{self, Placeholders};
use dynamo_core::wire::{
    BatchGetItemInput, KeysAndAttributes, ReturnConsumedCapacity, MAX_BATCH_GET,
};
use dynamo_core::Attributes;

use crate::capacity::Metering;
use crate::error::{ResponseError, ResponseErrorKind};
use crate::table::key_fingerprint;
use crate::{CapacityMeter, CapacityTotal, Error, Item, Table};

/// A batch read of items by key (boto's `batch_get`): no request until
/// iterated, then 100 keys per BatchGetItem.
///
/// Keys asked twice are read once; keys with no item are simply absent.
/// Keys DynamoDB leaves unprocessed (throttling, the 16 MB answer limit) are
/// asked again with backoff; if they stay unprocessed through the client's
/// retry policy, the iteration ends with [`Error::UnprocessedKeys`] holding
/// every key not yet read, so none is dropped silently.
///
/// ```no_run
/// use dynamo_blocking::{key, Client, Table};
/// let users = Table::new(&Client::from_env()?, "users");
/// let many_users = users.batch_get(["alice", "bob", "fred", "jane", "johndoe"].map(|u| key! { "username" => u }));
/// for user in many_users {
///     println!("{:?}", user?.get("first_name"));
/// }
/// # Ok::<(), dynamo_blocking::Error>(())
/// ```
#[must_use = "a batch get does nothing until iterated"]
pub struct BatchGet {
    table: Table,
    keys: Vec<Attributes>,
    consistent: bool,
    attributes: Option<Vec<String>>,
    metering: Metering,
}

impl Table {
    /// Reads the items with these keys; see [`BatchGet`].
    pub fn batch_get<I>(&self, keys: I) -> BatchGet
    where
        I: IntoIterator<Item = Attributes>,
    {
        BatchGet {
            table: self.clone(),
            keys: keys.into_iter().collect(),
            consistent: false,
            attributes: None,
            metering: Metering::default(),
        }
    }
}

impl BatchGet {
    read_metering_modifiers!(metering);

    /// Strongly consistent reads.
    pub fn consistent_read(mut self) -> Self {
        self.consistent = true;
        self
    }

    /// Returns only these attributes (include the key attributes if you
    /// need to tell the items apart).
    pub fn attributes<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.attributes = Some(names.into_iter().map(Into::into).collect());
        self
    }
}

impl IntoIterator for BatchGet {
    type Item = Result<Item, Error>;
    type IntoIter = BatchGetItems;

    fn into_iter(mut self) -> BatchGetItems {
        let mode = self.metering.request_mode();
        self.metering.total = CapacityMeter::new();
        BatchGetItems {
            metering: std::mem::take(&mut self.metering),
            mode,
            request: Some(self),
            pending: VecDeque::new(),
            unprocessed: VecDeque::new(),
            buffer: VecDeque::new(),
            stalled: 0,
            template: KeysAndAttributes::default(),
            started: false,
            done: false,
        }
    }
}

/// The items of a [`BatchGet`], in no particular order.
pub struct BatchGetItems {
    /// Where each answer's consumed capacity goes, and the rate to hold.
    metering: Metering,
    /// `ReturnConsumedCapacity` of each request.
    mode: Option<ReturnConsumedCapacity>,
    /// Until the first `next`: the unvalidated request.
    request: Option<BatchGet>,
    pending: VecDeque<Attributes>,
    unprocessed: VecDeque<Attributes>,
    buffer: VecDeque<Attributes>,
    /// Consecutive requests that read nothing at all.
    stalled: u32,
    /// Consistency and projection, without keys.
    template: KeysAndAttributes,
    started: bool,
    done: bool,
}

impl BatchGetItems {
    /// The capacity its requests consumed so far, as DynamoDB reported it
    /// (zero unless asked for with `return_consumed_capacity`,
    /// `capacity_meter` or `max_read_units_per_second`).
    pub fn consumed_capacity(&self) -> CapacityTotal {
        self.metering.total.total()
    }

    fn table(&self) -> Option<&Table> {
        self.request.as_ref().map(|r| &r.table)
    }

    /// Validates every key and dedups them, before the first request.
    fn start(&mut self) -> Result<(), Error> {
        let Some(request) = self.request.as_mut() else {
            return Ok(());
        };
        self.metering.check()?;
        let schema = request.table.schema()?;
        let mut seen = HashSet::new();
        for key in std::mem::take(&mut request.keys) {
            schema.validate_key(&key)?;
            if seen.insert(key_fingerprint(&key)) {
                self.pending.push_back(key);
            }
        }
        self.template.consistent_read = request.consistent.then_some(true);
        if let Some(names) = &request.attributes {
            let mut ph = Placeholders::new();
            self.template.projection_expression = Some(expr::projection(names, &mut ph));
            self.template.expression_attribute_names = ph.into_parts().0;
        }
        Ok(())
    }

    /// The error that ends the batch when `request` failed: every key not
    /// read yet, this request's included.
    fn incomplete(&mut self, request: BatchGetItemInput, cause: Error) -> Error {
        let keys = request
            .request_items
            .into_values()
            .next()
            .map(|s| s.keys)
            .unwrap_or_default();
        Error::UnprocessedKeys {
            keys: self.remaining_keys(keys),
            cause: Some(Box::new(cause)),
        }
    }

    /// Every key not read yet, for the error that ends an incomplete batch.
    fn remaining_keys(&mut self, mut in_flight: Vec<Attributes>) -> Vec<Attributes> {
        in_flight.extend(self.unprocessed.drain(..));
        in_flight.extend(self.pending.drain(..));
        in_flight
    }

    fn fetch(&mut self) -> Result<bool, Error> {
        let Some(table) = self.table().cloned() else {
            return Ok(false);
        };
        if self.unprocessed.is_empty() && self.pending.is_empty() {
            return Ok(false);
        }
        // Unprocessed keys first, so none waits behind the rest forever.
        let mut keys: Vec<Attributes> = Vec::with_capacity(MAX_BATCH_GET);
        while keys.len() < MAX_BATCH_GET {
            match self
                .unprocessed
                .pop_front()
                .or_else(|| self.pending.pop_front())
            {
                Some(k) => keys.push(k),
                None => break,
            }
        }
        let asked: HashSet<String> = keys.iter().map(key_fingerprint).collect();
        let mut request = BatchGetItemInput {
            return_consumed_capacity: self.mode,
            ..Default::default()
        };
        let mut spec = self.template.clone();
        spec.keys = keys;
        request.request_items.insert(table.name().to_owned(), spec);
        let sent = self.metering.run(
            || table.client().send(&request),
            |out| out.consumed_capacity.as_deref().unwrap_or(&[]),
        );
        let out = match sent {
            Ok(out) => out,
            Err(e) => return Err(self.incomplete(request, e)),
        };
        let mut responses = out.responses;
        let items = responses.remove(table.name()).unwrap_or_default();
        // Unprocessed keys must be keys just asked, each once: then every
        // request that reads anything leaves fewer keys to ask, and the
        // loop ends even if a broken server keeps answering.
        let mut left: Vec<Attributes> = Vec::new();
        let mut left_prints = HashSet::new();
        for key in out
            .unprocessed_keys
            .into_values()
            .flat_map(|spec| spec.keys)
        {
            let print = key_fingerprint(&key);
            if !asked.contains(&print) {
                return Err(self.incomplete(request, unasked_key(&print)));
            }
            if left_prints.insert(print) {
                left.push(key);
            }
        }
        let progressed = left.len() < asked.len();
        self.buffer.extend(items);
        if left.is_empty() {
            self.stalled = 0;
            return Ok(true);
        }
        self.stalled = if progressed { 0 } else { self.stalled + 1 };
        if self.stalled >= table.client().retry_policy().attempts() {
            return Err(Error::UnprocessedKeys {
                keys: self.remaining_keys(left),
                cause: None,
            });
        }
        self.unprocessed.extend(left);
        table.client().backoff(self.stalled.max(1));
        Ok(true)
    }
}

/// The error for an answer whose `UnprocessedKeys` names a key that was not
/// asked.
fn unasked_key(key: &str) -> Error {
    Error::Response(Box::new(ResponseError {
        kind: ResponseErrorKind::Malformed,
        status: 200,
        request_id: None,
        body_start: key.chars().take(200).collect(),
        detail: "BatchGetItem returned as unprocessed a key that was not asked".into(),
        attempts: 1,
    }))
}

impl Iterator for BatchGetItems {
    type Item = Result<Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if !self.started {
            self.started = true;
            if let Err(e) = self.start() {
                self.done = true;
                return Some(Err(e));
            }
        }
        while self.buffer.is_empty() {
            match self.fetch() {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        let data = self.buffer.pop_front()?;
        let table = self.table()?.clone();
        Some(Ok(Item::loaded(&table, data)))
    }
}
