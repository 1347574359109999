//! [`ShardReader`]: GetShardIterator and GetRecords on one shard, with
//! expired iterators renewed, trimmed data reported (or skipped when asked),
//! repeated records dropped and servers that would loop stopped.

use std::cmp::Ordering;

use dynamo_core::wire::{GetRecordsInput, GetShardIteratorInput, Record, ShardIteratorType};

use super::checkpoint::compare_sequence;
use super::StreamError;
use crate::{Client, Error, ServiceErrorKind};

/// Renewals in a row (without a successful GetRecords in between) before an
/// expiring iterator is reported instead of renewed again.
const MAX_RENEWALS: u32 = 5;

/// Empty pages in a row a closed shard may answer before it is reported as
/// making no progress. DynamoDB may need several calls to get past a gap,
/// but not hundreds.
const MAX_EMPTY_PAGES_CLOSED: u32 = 200;

/// Where a shard is first read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Start {
    TrimHorizon,
    Latest,
    After(String),
}

/// What one GetRecords brought.
pub(crate) struct Page {
    /// New records, in shard order.
    pub records: Vec<Record>,
    /// The shard is closed and read to its end.
    pub ended: bool,
    /// Empty pages in a row so far, this one included.
    pub empty_run: u32,
}

pub(crate) struct ShardReader {
    stream_arn: String,
    pub shard_id: String,
    closed: bool,
    start: Start,
    skip_trimmed: bool,
    iterator: Option<String>,
    /// The last sequence number fetched (handed to the feed).
    last: Option<String>,
    /// Trimmed records were skipped: the next iterator starts at the
    /// oldest record kept, not after `last` (which still drops repeats).
    from_horizon: bool,
    renewals: u32,
    empty_pages: u32,
}

impl ShardReader {
    pub fn new(
        stream_arn: &str,
        shard_id: &str,
        closed: bool,
        start: Start,
        skip_trimmed: bool,
    ) -> Self {
        let last = match &start {
            Start::After(seq) => Some(seq.clone()),
            _ => None,
        };
        ShardReader {
            stream_arn: stream_arn.to_owned(),
            shard_id: shard_id.to_owned(),
            closed,
            start,
            skip_trimmed,
            iterator: None,
            last,
            from_horizon: false,
            renewals: 0,
            empty_pages: 0,
        }
    }

    /// Learns from DescribeStream that the shard closed since.
    pub fn set_closed(&mut self) {
        self.closed = true;
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Fetches the iterator now (so a `Latest` start means now).
    pub fn prime(&mut self, client: &Client) -> Result<(), Error> {
        if self.iterator.is_none() {
            self.iterator = Some(self.fresh_iterator(client)?);
        }
        Ok(())
    }

    /// Reads the next page. An open shard's empty page means "caught up".
    pub fn next_page(&mut self, client: &Client) -> Result<Page, Error> {
        loop {
            let iterator = match self.iterator.take() {
                Some(i) => i,
                None => self.fresh_iterator(client)?,
            };
            let request = GetRecordsInput {
                shard_iterator: iterator.clone(),
                limit: None,
            };
            match client.get_records(&request) {
                Ok(out) => {
                    self.renewals = 0;
                    self.from_horizon = false;
                    check_iterator_advanced(
                        &self.shard_id,
                        &iterator,
                        out.next_shard_iterator.as_deref(),
                        !out.records.is_empty(),
                    )?;
                    let records = self.keep_new(out.records);
                    let ended = out.next_shard_iterator.is_none();
                    self.iterator = out.next_shard_iterator;
                    if ended {
                        self.closed = true;
                    }
                    self.count_empty(records.is_empty() && !ended)?;
                    return Ok(Page {
                        records,
                        ended,
                        empty_run: self.empty_pages,
                    });
                }
                Err(e) => match e.service_kind() {
                    Some(ServiceErrorKind::ExpiredIterator) => {
                        // Renewed from the last record fetched, so nothing
                        // is lost or repeated.
                        self.renewals += 1;
                        if self.renewals > MAX_RENEWALS {
                            return Err(StreamError::IteratorKeepsExpiring {
                                shard_id: self.shard_id.clone(),
                                renewals: self.renewals - 1,
                            }
                            .into());
                        }
                    }
                    Some(ServiceErrorKind::TrimmedDataAccess) => self.trimmed()?,
                    _ => {
                        // Kept: calling again retries the same page.
                        self.iterator = Some(iterator);
                        return Err(e);
                    }
                },
            }
        }
    }

    /// Counts empty pages in a row; a closed shard must end eventually.
    fn count_empty(&mut self, empty: bool) -> Result<(), Error> {
        if !empty {
            self.empty_pages = 0;
            return Ok(());
        }
        self.empty_pages += 1;
        if self.closed && self.empty_pages >= MAX_EMPTY_PAGES_CLOSED {
            return Err(StreamError::NoProgress {
                shard_id: self.shard_id.clone(),
                pages: self.empty_pages,
            }
            .into());
        }
        Ok(())
    }

    /// Drops records at or before the last one fetched (a renewed iterator
    /// or a replayed answer must not hand a record out twice).
    fn keep_new(&mut self, records: Vec<Record>) -> Vec<Record> {
        let mut kept = Vec::with_capacity(records.len());
        for record in records {
            let seq = &record.dynamodb.sequence_number;
            let newer = self
                .last
                .as_deref()
                .is_none_or(|last| compare_sequence(seq, last) == Ordering::Greater);
            if newer {
                self.last = Some(seq.clone());
                kept.push(record);
            }
        }
        kept
    }

    fn fresh_iterator(&mut self, client: &Client) -> Result<String, Error> {
        loop {
            let request = match (&self.last, &self.start) {
                (Some(seq), _) if !self.from_horizon => {
                    GetShardIteratorInput::after(&self.stream_arn, &self.shard_id, seq)
                }
                (None, Start::Latest) => GetShardIteratorInput::new(
                    &self.stream_arn,
                    &self.shard_id,
                    ShardIteratorType::Latest,
                ),
                _ => GetShardIteratorInput::new(
                    &self.stream_arn,
                    &self.shard_id,
                    ShardIteratorType::TrimHorizon,
                ),
            };
            match client.get_shard_iterator(&request) {
                Ok(out) => {
                    return out.shard_iterator.ok_or_else(|| {
                        StreamError::NoIterator {
                            shard_id: self.shard_id.clone(),
                        }
                        .into()
                    })
                }
                Err(e) if e.service_kind() == Some(ServiceErrorKind::TrimmedDataAccess) => {
                    self.trimmed()?
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Records after the last one read were trimmed: an error, or (when the
    /// caller chose to skip, or nothing was read yet from a `TrimHorizon`
    /// start) a restart at the oldest record still kept.
    fn trimmed(&mut self) -> Result<(), Error> {
        let from_oldest = self.last.is_none() && self.start == Start::TrimHorizon;
        self.renewals += 1;
        if !(self.skip_trimmed || from_oldest) || self.renewals > MAX_RENEWALS {
            return Err(StreamError::Trimmed {
                shard_id: self.shard_id.clone(),
                after: self.last.clone(),
            }
            .into());
        }
        self.start = Start::TrimHorizon;
        self.from_horizon = true;
        self.iterator = None;
        Ok(())
    }
}

/// The guard against a server that would make the feed loop forever: an
/// answer with records must come with a new iterator. Kept in one function
/// so it can move to a shared page-token guard.
fn check_iterator_advanced(
    shard_id: &str,
    sent: &str,
    next: Option<&str>,
    had_records: bool,
) -> Result<(), StreamError> {
    if had_records && next == Some(sent) {
        return Err(StreamError::RepeatedIterator {
            shard_id: shard_id.to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iterator_handed_back_with_records_is_refused() {
        assert!(check_iterator_advanced("s", "i1", Some("i1"), true).is_err());
        assert!(check_iterator_advanced("s", "i1", Some("i1"), false).is_ok());
        assert!(check_iterator_advanced("s", "i1", Some("i2"), true).is_ok());
        assert!(check_iterator_advanced("s", "i1", None, true).is_ok());
    }

    #[test]
    fn records_at_or_before_the_last_are_dropped() {
        let mut reader = ShardReader::new("arn", "s", false, Start::After("10".into()), false);
        let rec = |seq: &str| {
            let mut r = Record::default();
            r.dynamodb.sequence_number = seq.into();
            r
        };
        let kept = reader.keep_new(vec![rec("9"), rec("10"), rec("11"), rec("11"), rec("100")]);
        let seqs: Vec<_> = kept
            .iter()
            .map(|r| r.dynamodb.sequence_number.as_str())
            .collect();
        assert_eq!(seqs, ["11", "100"]);
    }
}
