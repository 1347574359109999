//! [`Feed`]: a table's stream as a blocking iterator of changes.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::{Duration, Instant};

use dynamo_core::wire::{DescribeStreamInput, Record, Shard};

use super::change::{decode, Change, Decode};
use super::checkpoint::{Checkpoint, Position};
use super::shard::{Page, ShardReader, Start};
use super::StreamError;
use crate::paging::PageTokens;
use crate::{Client, Error};

/// The least time between two DescribeStream calls of a following feed
/// (DynamoDB allows 10 per second per account and stream).
const DESCRIBE_EVERY: Duration = Duration::from_secs(1);

/// Empty pages in a row after which a non-following feed takes an open
/// shard as read to its current end. DynamoDB may answer an empty page
/// before records further on ("it might take multiple calls to get to a
/// portion of the shard that contains stream records"); a following feed
/// comes back to the shard anyway.
const EMPTY_PAGES_AT_END: u32 = 3;

/// Where a [`Feed`] starts.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StartAt {
    /// The oldest record DynamoDB still keeps (24 hours).
    TrimHorizon,
    /// Only changes made from now on.
    Latest,
    /// Just after the last change handed out before the checkpoint was
    /// taken, in the checkpoint's stream.
    Checkpoint(Checkpoint),
}

/// A table's stream read as a plain loop: shards walked parent before
/// child, each record handed out once, expired iterators renewed. Made by
/// [`Table::stream`](crate::Table::stream) (changes of [`Attributes`](crate::Attributes))
/// or [`TypedTable::stream`](crate::TypedTable::stream) (changes of `T`).
///
/// Without [`Feed::follow`] the feed stops at the current end of the
/// stream; with it, it waits for new changes. After an error it ends;
/// resume from [`Feed::checkpoint`] (taken after the last change handled).
///
/// ```no_run
/// use dynamo_blocking::{Change, Client, StartAt, Table};
/// let client = Client::from_env()?;
/// let orders = Table::new(&client, "orders");
/// let mut feed = orders.stream()?.from(StartAt::TrimHorizon);
/// let mut n = 0;
/// while let Some(change) = feed.next() {
///     match change? {
///         Change::Insert { new, .. } => println!("new {new:?}"),
///         Change::Modify { old, new, .. } => println!("{old:?} -> {new:?}"),
///         Change::Remove { info, .. } => println!("removed {:?}", info.keys),
///     }
///     n += 1;
///     if n % 100 == 0 {
///         let saved = serde_json::to_string(&feed.checkpoint()?).unwrap();
///         std::fs::write("orders.checkpoint", saved).unwrap();
///     }
/// }
/// # Ok::<(), dynamo_blocking::Error>(())
/// ```
pub struct Feed<T> {
    client: Client,
    stream_arn: String,
    decode: Decode<T>,
    start: StartAt,
    follow: Option<Duration>,
    skip_trimmed: bool,
    parallel: usize,
    state: Option<State>,
    finished: bool,
}

impl<T> std::fmt::Debug for Feed<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Feed")
            .field("stream_arn", &self.stream_arn)
            .field("start", &self.start)
            .field("follow", &self.follow)
            .field("skip_trimmed", &self.skip_trimmed)
            .field("parallel", &self.parallel)
            .finish()
    }
}

/// What is queued for the caller.
enum Queued {
    Record(String, Box<Record>),
    /// The shard is read to its end once everything before is handed out.
    End(String),
}

struct Known {
    parent: Option<String>,
    reader: Option<ShardReader>,
}

struct State {
    shards: BTreeMap<String, Known>,
    positions: BTreeMap<String, Position>,
    queue: VecDeque<Queued>,
    /// Open shards with nothing new in this round.
    caught_up: BTreeSet<String>,
    /// The stream is DISABLED: once every shard is read, nothing will come.
    disabled: bool,
    described: Instant,
    /// A non-following feed described the stream again at its end.
    redescribed: bool,
}

impl<T> Feed<T> {
    pub(crate) fn new(client: &Client, stream_arn: String, decode: Decode<T>) -> Self {
        Feed {
            client: client.clone(),
            stream_arn,
            decode,
            start: StartAt::TrimHorizon,
            follow: None,
            skip_trimmed: false,
            parallel: 1,
            state: None,
            finished: false,
        }
    }

    /// Where to start (default [`StartAt::TrimHorizon`]). A checkpoint
    /// also selects its own stream.
    pub fn from(mut self, start: StartAt) -> Self {
        if let StartAt::Checkpoint(c) = &start {
            self.stream_arn = c.stream_arn().to_owned();
        }
        self.start = start;
        self.state = None;
        self
    }

    /// Waits for new changes at the end of the stream instead of stopping,
    /// looking again every `poll` (a following feed ends only when the
    /// stream is disabled and read to its end).
    pub fn follow(mut self, poll: Duration) -> Self {
        self.follow = Some(poll);
        self
    }

    /// On records trimmed before they were read, goes on from the oldest
    /// record still kept instead of failing with
    /// [`StreamError::Trimmed`] (the trimmed records are lost).
    pub fn skip_trimmed(mut self) -> Self {
        self.skip_trimmed = true;
        self
    }

    /// Reads up to `n` shards at once, each on its own thread (at least 1).
    /// Changes to one key still come in order: a key lives in one shard at
    /// a time, each shard's records are handed out in order, and a child
    /// shard is read only once its parent has been handed out in full.
    pub fn parallel(mut self, n: usize) -> Self {
        self.parallel = n.max(1);
        self
    }

    /// The stream's ARN.
    pub fn stream_arn(&self) -> &str {
        &self.stream_arn
    }

    /// Where the feed is: just after the last change handed out. Describes
    /// the stream first if nothing was read yet (a `Latest` start must note
    /// which shards it skips).
    pub fn checkpoint(&mut self) -> Result<Checkpoint, Error> {
        let positions = self.state()?.positions.clone();
        Ok(Checkpoint::new(self.stream_arn.clone(), positions))
    }

    fn state(&mut self) -> Result<&mut State, Error> {
        if self.state.is_none() {
            let state = self.start_state()?;
            self.state = Some(state);
        }
        Ok(self.state.as_mut().expect("just set"))
    }

    fn start_state(&self) -> Result<State, Error> {
        let positions = match &self.start {
            StartAt::Checkpoint(c) => c.clone().into_parts().1,
            _ => BTreeMap::new(),
        };
        let mut state = State {
            shards: BTreeMap::new(),
            positions,
            queue: VecDeque::new(),
            caught_up: BTreeSet::new(),
            disabled: false,
            described: Instant::now(),
            redescribed: false,
        };
        let shards = self.describe(&mut state)?;
        if self.start == StartAt::Latest {
            for shard in &shards {
                let at = if shard.is_closed() {
                    Position::Done
                } else {
                    Position::Latest
                };
                state.positions.insert(shard.shard_id.clone(), at);
            }
        }
        self.merge(&mut state, shards)?;
        if self.start == StartAt::Latest {
            // "Latest" is now, not when each shard's turn comes.
            for known in state.shards.values_mut() {
                if let Some(reader) = known.reader.as_mut() {
                    reader.prime(&self.client)?;
                }
            }
        }
        Ok(state)
    }

    /// Every shard of the stream, all DescribeStream pages.
    fn describe(&self, state: &mut State) -> Result<Vec<Shard>, Error> {
        let mut shards = Vec::new();
        let mut tokens = PageTokens::new("DescribeStream", "LastEvaluatedShardId");
        let mut request = DescribeStreamInput {
            stream_arn: self.stream_arn.clone(),
            ..Default::default()
        };
        loop {
            let out = self.client.describe_stream(&request)?.stream_description;
            state.disabled = out.stream_status.as_deref() == Some("DISABLED");
            shards.extend(out.shards);
            match tokens.follow(out.last_evaluated_shard_id)? {
                None => break,
                Some(token) => request.exclusive_start_shard_id = Some(token),
            }
        }
        state.described = Instant::now();
        Ok(shards)
    }

    /// Takes in a DescribeStream answer: new shards get a reader, closed
    /// ones are marked, vanished ones (trimmed) are dropped. Returns whether
    /// a shard was new.
    fn merge(&self, state: &mut State, shards: Vec<Shard>) -> Result<bool, Error> {
        let listed: BTreeSet<&str> = shards.iter().map(|s| s.shard_id.as_str()).collect();
        let vanished: Vec<String> = state
            .positions
            .keys()
            .chain(state.shards.keys())
            .filter(|id| !listed.contains(id.as_str()))
            .cloned()
            .collect();
        for id in vanished {
            let read_to_end = state.positions.get(&id) == Some(&Position::Done);
            if !read_to_end && !self.skip_trimmed {
                return Err(StreamError::Trimmed {
                    after: match state.positions.get(&id) {
                        Some(Position::After(seq)) => Some(seq.clone()),
                        _ => None,
                    },
                    shard_id: id,
                }
                .into());
            }
            state.positions.remove(&id);
            state.shards.remove(&id);
        }
        let mut new = false;
        for shard in shards {
            if let Some(known) = state.shards.get_mut(&shard.shard_id) {
                if shard.is_closed() {
                    if let Some(reader) = known.reader.as_mut() {
                        reader.set_closed();
                    }
                }
                continue;
            }
            new = true;
            let start = match state.positions.get(&shard.shard_id) {
                Some(Position::Done) => None,
                Some(Position::After(seq)) => Some(Start::After(seq.clone())),
                Some(Position::Latest) => Some(Start::Latest),
                None => Some(Start::TrimHorizon),
            };
            let reader = start.map(|start| {
                ShardReader::new(
                    &self.stream_arn,
                    &shard.shard_id,
                    shard.is_closed(),
                    start,
                    self.skip_trimmed,
                )
            });
            state.shards.insert(
                shard.shard_id,
                Known {
                    parent: shard.parent_shard_id,
                    reader,
                },
            );
        }
        Ok(new)
    }

    fn next_change(&mut self) -> Result<Option<Change<T>>, Error> {
        self.state()?;
        loop {
            let state = self.state.as_mut().expect("started");
            match state.queue.pop_front() {
                Some(Queued::Record(shard, record)) => {
                    let seq = record.dynamodb.sequence_number.clone();
                    state.positions.insert(shard.clone(), Position::After(seq));
                    return decode(&shard, *record, self.decode).map(Some);
                }
                Some(Queued::End(shard)) => {
                    state.positions.insert(shard.clone(), Position::Done);
                    if let Some(known) = state.shards.get_mut(&shard) {
                        known.reader = None;
                    }
                    continue;
                }
                None => {}
            }
            let ready = ready_shards(state, self.parallel);
            if ready.is_empty() {
                if !self.round_over()? {
                    return Ok(None);
                }
                continue;
            }
            self.read_round(ready)?;
        }
    }

    /// Every shard is caught up or read: decides whether to go on.
    fn round_over(&mut self) -> Result<bool, Error> {
        let state = self.state.as_mut().expect("started");
        let all_read = state.shards.values().all(|k| k.reader.is_none());
        match self.follow {
            None => {
                if state.redescribed {
                    return Ok(false);
                }
                state.redescribed = true;
            }
            Some(poll) => {
                if all_read && state.disabled {
                    return Ok(false);
                }
                std::thread::sleep(poll);
                state.caught_up.clear();
                if state.described.elapsed() < DESCRIBE_EVERY {
                    return Ok(true);
                }
            }
        }
        let mut state = self.state.take().expect("started");
        let described = self.describe(&mut state);
        let merged = described.and_then(|shards| self.merge(&mut state, shards));
        let new = merged.as_ref().is_ok_and(|new| *new);
        if new {
            state.redescribed = false;
        }
        self.state = Some(state);
        merged?;
        Ok(new || self.follow.is_some())
    }

    /// Reads one page from each of `ready`, on threads when there are
    /// several, and queues what came in shard order.
    fn read_round(&mut self, ready: Vec<String>) -> Result<(), Error> {
        let state = self.state.as_mut().expect("started");
        let mut readers: Vec<ShardReader> = ready
            .iter()
            .filter_map(|id| state.shards.get_mut(id).and_then(|k| k.reader.take()))
            .collect();
        let client = &self.client;
        let pages: Vec<Result<Page, Error>> = if readers.len() == 1 {
            vec![readers[0].next_page(client)]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = readers
                    .iter_mut()
                    .map(|reader| scope.spawn(move || reader.next_page(client)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("a shard reader panicked"))
                    .collect()
            })
        };
        let mut first_error = None;
        let at_end = if self.follow.is_some() {
            1
        } else {
            EMPTY_PAGES_AT_END
        };
        for (reader, page) in readers.into_iter().zip(pages) {
            let id = reader.shard_id.clone();
            let closed = reader.is_closed();
            if let Some(known) = state.shards.get_mut(&id) {
                known.reader = Some(reader);
            }
            match page {
                Ok(page) => {
                    if page.empty_run >= at_end && !closed {
                        state.caught_up.insert(id.clone());
                    }
                    state.queue.extend(
                        page.records
                            .into_iter()
                            .map(|r| Queued::Record(id.clone(), Box::new(r))),
                    );
                    if page.ended {
                        state.queue.push_back(Queued::End(id));
                    }
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

/// Up to `n` shards to read now: not read to their end, not caught up in
/// this round, not already queued to end, and whose parent is read in full
/// (or gone).
fn ready_shards(state: &State, n: usize) -> Vec<String> {
    let ending: BTreeSet<&str> = state
        .queue
        .iter()
        .filter_map(|q| match q {
            Queued::End(id) => Some(id.as_str()),
            Queued::Record(..) => None,
        })
        .collect();
    state
        .shards
        .iter()
        .filter(|(id, known)| {
            known.reader.is_some()
                && !state.caught_up.contains(*id)
                && !ending.contains(id.as_str())
                && known
                    .parent
                    .as_ref()
                    .is_none_or(|p| match state.shards.get(p) {
                        Some(parent) => parent.reader.is_none(),
                        None => true,
                    })
        })
        .map(|(id, _)| id.clone())
        .take(n)
        .collect()
}

impl<T> Iterator for Feed<T> {
    type Item = Result<Change<T>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        match self.next_change() {
            Ok(Some(change)) => Some(Ok(change)),
            Ok(None) => {
                self.finished = true;
                None
            }
            // A record whose image does not decode is reported and passed.
            Err(e @ Error::Convert(_)) => Some(Err(e)),
            Err(e) => {
                self.finished = true;
                Some(Err(e))
            }
        }
    }
}
