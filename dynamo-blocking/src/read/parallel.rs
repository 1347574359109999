//! [`ParallelScan`]: one scan split into segments read on as many threads,
//! every item delivered exactly once.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::{Items, Scan};
use crate::{Error, Item};

/// How many items may wait in the channel of [`ParallelScan::into_iter`]
/// before the scanning threads pause: a few pages' worth keeps the threads
/// busy while bounding memory.
const DEFAULT_BUFFER: usize = 256;

/// A scan run as `segments` segments on as many threads (DynamoDB's
/// "parallel scan"). Consume it with [`for_each`](ParallelScan::for_each)
/// (scoped threads, a callback) or by iterating (a bounded channel).
///
/// The first error (from DynamoDB or from the callback) stops every thread
/// and is returned; no thread is left hanging. A limit set on the scan is the
/// limit of the whole parallel scan (`scan().limit(25).parallel(4)` hands out
/// 25 items); a resume key set on the scan applies to each segment.
///
/// ```no_run
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// # let users = dynamo_blocking::Table::new(&dynamo_blocking::Client::from_env()?, "users");
/// let seen = AtomicUsize::new(0);
/// users.scan().parallel(4).for_each(|_user| -> Result<(), dynamo_blocking::Error> {
///     seen.fetch_add(1, Ordering::Relaxed);
///     Ok(())
/// })?;
/// # Ok::<(), dynamo_blocking::Error>(())
/// ```
#[must_use = "a parallel scan does nothing until consumed"]
pub struct ParallelScan {
    scan: Scan,
    segments: u32,
    buffer: usize,
    limit: Option<u64>,
}

/// How many items a parallel scan may still hand out, shared by its
/// segments (each segment alone would stop only at the limit).
struct Budget(Option<AtomicU64>);

impl Budget {
    fn new(limit: Option<u64>) -> Self {
        Budget(limit.map(AtomicU64::new))
    }

    /// Claims one item; false once the limit is reached.
    fn take_one(&self) -> bool {
        match &self.0 {
            None => true,
            Some(left) => left
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok(),
        }
    }
}

impl ParallelScan {
    pub(crate) fn new(scan: Scan, segments: u32, limit: Option<u64>) -> Self {
        ParallelScan {
            scan,
            segments,
            buffer: DEFAULT_BUFFER,
            limit,
        }
    }

    /// How many items may wait between the threads and the iterator.
    pub fn buffer(mut self, items: usize) -> Self {
        self.buffer = items.max(1);
        self
    }

    /// One segment's items, which end before their next request once
    /// `stop` is set (pages a filter empties would otherwise be fetched to
    /// the segment's end).
    fn segment_items(&self, segment: u32, stop: &Arc<AtomicBool>) -> Items {
        let scan = self.scan.clone().segment(segment, self.segments);
        scan.into_iter().stop_when(Arc::clone(stop))
    }

    fn check(&self) -> Result<(), Error> {
        if self.segments == 0 || self.segments > 1_000_000 {
            return Err(Error::InvalidSegment {
                segment: None,
                total: self.segments,
            });
        }
        Ok(())
    }

    /// Calls `f` with every item, from `segments` scoped threads at once;
    /// returns when all are done, or with the first error: `f`'s own (any
    /// type an [`Error`] converts into), or the scan's, converted.
    pub fn for_each<F, E>(self, f: F) -> Result<(), E>
    where
        F: Fn(Item) -> Result<(), E> + Sync,
        E: From<Error> + Send,
    {
        self.check()?;
        let stop = Arc::new(AtomicBool::new(false));
        let budget = Budget::new(self.limit);
        let first_error: Mutex<Option<E>> = Mutex::new(None);
        let fail = |e: E| {
            stop.store(true, Ordering::SeqCst);
            first_error
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert(e);
        };
        std::thread::scope(|scope| {
            for segment in 0..self.segments {
                let items = self.segment_items(segment, &stop);
                let (stop, fail, f, budget) = (&stop, &fail, &f, &budget);
                scope.spawn(move || {
                    for item in items {
                        if stop.load(Ordering::SeqCst) {
                            return;
                        }
                        if item.is_ok() && !budget.take_one() {
                            stop.store(true, Ordering::SeqCst);
                            return;
                        }
                        if let Err(e) = item.map_err(E::from).and_then(f) {
                            fail(e);
                            return;
                        }
                    }
                });
            }
        });
        match first_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl IntoIterator for ParallelScan {
    type Item = Result<Item, Error>;
    type IntoIter = ParallelItems;

    /// Starts the threads; items arrive in no particular order through a
    /// bounded channel. Dropping the iterator stops and joins the threads.
    fn into_iter(self) -> ParallelItems {
        let (tx, rx) = mpsc::sync_channel(self.buffer);
        let stop = Arc::new(AtomicBool::new(false));
        let budget = Arc::new(Budget::new(self.limit));
        let mut threads = Vec::new();
        if let Err(e) = self.check() {
            let _ = tx.send(Err(e));
        } else {
            for segment in 0..self.segments {
                let items = self.segment_items(segment, &stop);
                let (tx, stop, budget) = (tx.clone(), Arc::clone(&stop), Arc::clone(&budget));
                threads.push(std::thread::spawn(move || {
                    run_segment(items, &tx, &stop, &budget)
                }));
            }
        }
        ParallelItems {
            receiver: Some(rx),
            stop,
            threads,
            finished: false,
        }
    }
}

fn run_segment(
    items: Items,
    tx: &SyncSender<Result<Item, Error>>,
    stop: &AtomicBool,
    budget: &Budget,
) {
    for item in items {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        if item.is_ok() && !budget.take_one() {
            stop.store(true, Ordering::SeqCst);
            return;
        }
        let failed = item.is_err();
        // A closed channel means the iterator was dropped: stop quietly.
        if tx.send(item).is_err() || failed {
            return;
        }
    }
}

/// Items of a [`ParallelScan`], from its threads.
pub struct ParallelItems {
    receiver: Option<Receiver<Result<Item, Error>>>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
    finished: bool,
}

impl Iterator for ParallelItems {
    type Item = Result<Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        match self.receiver.as_ref()?.recv() {
            Ok(Ok(item)) => Some(Ok(item)),
            Ok(Err(e)) => {
                // The first error ends the whole scan.
                self.finished = true;
                self.stop.store(true, Ordering::SeqCst);
                Some(Err(e))
            }
            // Every thread is done and the channel is drained.
            Err(_) => {
                self.finished = true;
                None
            }
        }
    }
}

impl Drop for ParallelItems {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Dropping the receiver unblocks threads waiting to send.
        self.receiver.take();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}
