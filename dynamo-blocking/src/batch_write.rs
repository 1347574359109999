//! [`BatchWriter`]: puts and deletes sent 25 at a time, with nothing lost.

use std::collections::HashSet;

use dynamo_core::wire::{
    BatchWriteItemInput, ReturnConsumedCapacity, WriteRequest, MAX_BATCH_WRITE,
};
use dynamo_core::{Attributes, KeySchema};

use crate::capacity::Metering;
use crate::table::{check_item, key_fingerprint};
use crate::{CapacityMeter, CapacityTotal, Error, Table};

impl Table {
    /// Runs `f` with a batch writer and flushes what it queued when `f`
    /// returns (boto's `with table.batch_write() as batch:`).
    ///
    /// Writes go out 25 per BatchWriteItem. Items DynamoDB leaves unprocessed
    /// are resent with backoff; if some still fail through the client's retry
    /// policy, the call ends with [`Error::UnprocessedWrites`] holding them.
    /// If `f` fails, what it queued is still flushed, then its error returned.
    ///
    /// `f` may fail with any error type that an [`Error`] converts into (its
    /// own, `Box<dyn Error>`, `anyhow::Error`...): a failed flush comes back
    /// converted. Name the type in the closure's signature when the compiler
    /// cannot tell it from the closure's body.
    ///
    /// ```no_run
    /// use dynamo_blocking::{item, key, Client, Error, Table};
    /// let users = Table::new(&Client::from_env()?, "users");
    /// users.batch_write(|batch| -> Result<(), Error> {
    ///     batch.put_item(item! { "username" => "anotherdoe", "first_name" => "Another" })?;
    ///     batch.put_item(item! { "username" => "alice", "first_name" => "Alice" })?;
    ///     batch.delete_item(key! { "username" => "jane" })?;
    ///     Ok(())
    /// })?;
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn batch_write<F, E>(&self, f: F) -> Result<(), E>
    where
        F: FnOnce(&mut BatchWriter) -> Result<(), E>,
        E: From<Error>,
    {
        let mut writer = BatchWriter {
            table: self.clone(),
            schema: self.schema()?,
            queue: Vec::with_capacity(MAX_BATCH_WRITE),
            queued_keys: HashSet::new(),
            metering: Metering::default(),
        };
        let outcome = f(&mut writer);
        let flushed = writer.flush();
        match (outcome, flushed) {
            (_, Err(unwritten)) => Err(unwritten.into()),
            (outcome, Ok(())) => outcome,
        }
    }
}

/// Queues puts and deletes for one table; see [`Table::batch_write`].
pub struct BatchWriter {
    table: Table,
    schema: KeySchema,
    queue: Vec<WriteRequest>,
    /// Keys already in `queue`: DynamoDB refuses a batch that names a key twice.
    queued_keys: HashSet<String>,
    /// Consumed capacity to ask for, add up and limit.
    metering: Metering,
}

impl BatchWriter {
    /// Queues a put of a whole item (checked now: key, set rules, 400 KB).
    pub fn put_item(&mut self, item: Attributes) -> Result<(), Error> {
        check_item(&self.schema, &item)?;
        let key = self.schema.key_of(&item)?;
        self.enqueue(&key, WriteRequest::PutRequest { item })
    }

    /// Queues a delete by key (checked now against the schema).
    pub fn delete_item(&mut self, key: Attributes) -> Result<(), Error> {
        self.schema.validate_key(&key)?;
        let queued_key = key.clone();
        self.enqueue(&queued_key, WriteRequest::DeleteRequest { key })
    }

    /// Asks DynamoDB to report the capacity each BatchWriteItem consumes
    /// (`ReturnConsumedCapacity`); see [`consumed_capacity`](Self::consumed_capacity).
    pub fn return_consumed_capacity(&mut self, mode: ReturnConsumedCapacity) -> &mut Self {
        self.metering.mode = Some(mode);
        self
    }

    /// Adds the capacity each request consumes to `meter`, readable after
    /// [`Table::batch_write`] returned (its last flush included); asks for
    /// `TOTAL` unless told otherwise.
    pub fn capacity_meter(&mut self, meter: &CapacityMeter) -> &mut Self {
        self.metering.meter = Some(meter.clone());
        self
    }

    /// Holds the writes to `units` capacity units per second on average:
    /// before each request the writer waits until the units earlier ones
    /// consumed (as DynamoDB reports them) are paid off at that rate.
    /// Fails with [`Error::InvalidRate`] unless `units` is a positive number.
    ///
    /// ```no_run
    /// # use dynamo_blocking::{item, Client, Error, Table};
    /// # let users = Table::new(&Client::from_env()?, "users");
    /// users.batch_write(|batch| -> Result<(), Error> {
    ///     batch.max_write_units_per_second(50.0)?;
    ///     for n in 0..10_000 {
    ///         batch.put_item(item! { "username" => format!("user{n}") })?;
    ///     }
    ///     Ok(())
    /// })?;
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn max_write_units_per_second(&mut self, units: f64) -> Result<&mut Self, Error> {
        self.metering.set_rate(units);
        self.metering.check()?;
        Ok(self)
    }

    /// The capacity the requests sent so far consumed, as DynamoDB reported
    /// it (zero unless asked for).
    pub fn consumed_capacity(&self) -> CapacityTotal {
        self.metering.total.total()
    }

    /// How many writes wait to be sent.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    fn enqueue(&mut self, key: &Attributes, request: WriteRequest) -> Result<(), Error> {
        let canonical_key = key_fingerprint(key);
        if self.queued_keys.contains(&canonical_key) {
            // The same key twice in one request is refused: send the first now.
            if let Err(e) = self.flush() {
                return Err(with_also_unwritten(e, request));
            }
        }
        self.queued_keys.insert(canonical_key);
        self.queue.push(request);
        if self.queue.len() >= MAX_BATCH_WRITE {
            self.flush()?;
        }
        Ok(())
    }

    /// Sends everything queued now, resending unprocessed items with backoff.
    pub fn flush(&mut self) -> Result<(), Error> {
        self.queued_keys.clear();
        let mut batch = std::mem::take(&mut self.queue);
        let client = self.table.client().clone();
        let mut stalled = 0;
        while !batch.is_empty() {
            let sent = batch.len();
            let mut request = BatchWriteItemInput {
                return_consumed_capacity: self.metering.request_mode(),
                ..Default::default()
            };
            request
                .request_items
                .insert(self.table.name().to_owned(), batch);
            let answer = self.metering.run(
                || client.send(&request),
                |out| out.consumed_capacity.as_deref().unwrap_or(&[]),
            );
            let out = match answer {
                Ok(out) => out,
                Err(e) => {
                    return Err(Error::UnprocessedWrites {
                        unprocessed: request.request_items.into_values().flatten().collect(),
                        cause: Some(Box::new(e)),
                    })
                }
            };
            batch = out.unprocessed_items.into_values().flatten().collect();
            if batch.is_empty() {
                break;
            }
            stalled = if batch.len() < sent { 0 } else { stalled + 1 };
            if stalled >= client.retry_policy().attempts() {
                return Err(Error::UnprocessedWrites {
                    unprocessed: batch,
                    cause: None,
                });
            }
            client.backoff(stalled.max(1));
        }
        Ok(())
    }
}

/// Adds a request that was never queued to an error's unwritten list.
fn with_also_unwritten(error: Error, request: WriteRequest) -> Error {
    match error {
        Error::UnprocessedWrites {
            mut unprocessed,
            cause,
        } => {
            unprocessed.push(request);
            Error::UnprocessedWrites { unprocessed, cause }
        }
        other => Error::UnprocessedWrites {
            unprocessed: vec![request],
            cause: Some(Box::new(other)),
        },
    }
}
