//! [`Items`]: the lazy, page-by-page iterator behind queries and scans.
//!
//! It sends a request only when the caller has consumed the previous page,
//! asks each page for no more than the items still wanted (so `limit(n)`
//! never fetches an extra page), skips pages a filter emptied, and can say
//! where to resume after any item.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use dynamo_core::wire::{self, Operation, QueryOutput, Select};
use dynamo_core::Attributes;

use crate::capacity::Metering;
use crate::error::{ResponseError, ResponseErrorKind};
use crate::paging::PageTokens;
use crate::{CapacityMeter, CapacityTotal, Error, Item, Table};

/// A Query or Scan request that can be paged.
pub(crate) trait PagedRequest: Operation<Output = QueryOutput> {
    /// Sets where the page starts and how many items it may read.
    fn set_page(&mut self, start: Option<Attributes>, limit: Option<u32>);
    /// Asks for the number of matching items instead of the items.
    fn count_only(&mut self);
}

macro_rules! paged_request {
    ($($request:ty),*) => {$(
        impl PagedRequest for $request {
            fn set_page(&mut self, start: Option<Attributes>, limit: Option<u32>) {
                self.exclusive_start_key = start;
                self.limit = limit;
            }

            fn count_only(&mut self) {
                self.select = Some(Select::Count);
                self.projection_expression = None;
            }
        }
    )*};
}

paged_request!(wire::QueryInput, wire::ScanInput);

/// The number of items `request` matches (Select COUNT), summed across
/// every page with no items transferred; stops early once `paging.limit`
/// is reached. The metering in `paging` gets what the pages consumed, and
/// its rate limit holds.
pub(crate) fn count_matching<R: PagedRequest>(
    table: &Table,
    mut request: R,
    paging: &Paging,
) -> Result<u64, Error> {
    request.count_only();
    let mut total: u64 = 0;
    let mut start = paging.start.clone();
    let mut tokens = PageTokens::new(R::NAME, "LastEvaluatedKey");
    tokens.start_from(start.as_ref());
    loop {
        request.set_page(start.take(), paging.page_size);
        let page = paging.metering.run(
            || table.client().send(&request),
            |page| page.consumed_capacity.as_slice(),
        )?;
        total = total
            .checked_add(page.count)
            .ok_or_else(|| count_overflow(total, page.count))?;
        if let Some(limit) = paging.limit.filter(|l| total >= *l) {
            return Ok(limit);
        }
        match tokens.follow(page.last_evaluated_key)? {
            Some(key) => start = Some(key),
            None => return Ok(total),
        }
    }
}

fn count_overflow(total: u64, page: u64) -> Error {
    Error::Response(Box::new(ResponseError {
        kind: ResponseErrorKind::Malformed,
        status: 200,
        request_id: None,
        body_start: format!("{{\"Count\":{page}}}"),
        detail: format!("a page Count of {page} after {total} overflows the total"),
        attempts: 1,
    }))
}

/// Paging settings shared by queries and scans.
#[derive(Clone, Debug, Default)]
pub(crate) struct Paging {
    /// Total items wanted across pages.
    pub limit: Option<u64>,
    /// Most items per request.
    pub page_size: Option<u32>,
    /// Resume after this key.
    pub start: Option<Attributes>,
    /// Consumed capacity to ask for, add up and limit.
    pub metering: Metering,
}

enum State<R> {
    /// Not started: the request is built on first use so that errors in the
    /// builder surface as the first item, after no request at all.
    Pending(Box<dyn FnOnce() -> Result<Prepared<R>, Error> + Send>),
    Running(Prepared<R>),
    Done,
}

/// A validated request and what is needed to page it.
pub(crate) struct Prepared<R> {
    pub request: R,
    /// Key attribute names (table and index) that make a resume key.
    pub key_names: Vec<String>,
}

/// The items of a query or scan, fetched lazily page by page.
///
/// Yields `Result<Item, Error>`: an error ends the iteration. After any item
/// [`resume_key`](Items::resume_key) says where a later query or scan can
/// pick up with `start_from`.
pub struct Items {
    table: Table,
    state: State<Box<dyn PagedRequestDyn>>,
    buffer: VecDeque<Attributes>,
    /// Where the next page starts; `None` after the last page.
    next_start: Option<Attributes>,
    started: bool,
    remaining: Option<u64>,
    page_size: Option<u32>,
    /// The key to resume after the last item handed out.
    resume: Option<Attributes>,
    pages: u64,
    tokens: PageTokens,
    /// Set by whoever consumes the items (a parallel scan) to stop before
    /// the next request.
    stop: Option<Arc<AtomicBool>>,
    /// Where each page's consumed capacity goes, and the rate to hold.
    metering: Metering,
}

/// Object-safe view of a [`PagedRequest`] so [`Items`] is one type for both
/// queries and scans.
pub(crate) trait PagedRequestDyn: Send {
    fn fetch(
        &mut self,
        table: &Table,
        start: Option<Attributes>,
        limit: Option<u32>,
    ) -> Result<QueryOutput, Error>;
}

impl<R: PagedRequest + Send> PagedRequestDyn for R {
    fn fetch(
        &mut self,
        table: &Table,
        start: Option<Attributes>,
        limit: Option<u32>,
    ) -> Result<QueryOutput, Error> {
        self.set_page(start, limit);
        table.client().send(self)
    }
}

impl Items {
    pub(crate) fn new<R, F>(table: Table, mut paging: Paging, prepare: F) -> Items
    where
        R: PagedRequest + Send + 'static,
        F: FnOnce() -> Result<Prepared<R>, Error> + Send + 'static,
    {
        let boxed = move || {
            prepare().map(|p| Prepared {
                request: Box::new(p.request) as Box<dyn PagedRequestDyn>,
                key_names: p.key_names,
            })
        };
        paging.metering.total = CapacityMeter::new();
        let mut tokens = PageTokens::new(R::NAME, "LastEvaluatedKey");
        tokens.start_from(paging.start.as_ref());
        Items {
            table,
            tokens,
            stop: None,
            state: State::Pending(Box::new(boxed)),
            buffer: VecDeque::new(),
            next_start: paging.start.clone(),
            started: false,
            remaining: paging.limit,
            page_size: paging.page_size,
            resume: paging.start,
            pages: 0,
            metering: paging.metering,
        }
    }

    /// The key to pass to `start_from` to continue right after the last item
    /// this iterator handed out (or where it started, before the first
    /// item). `None` once everything was read, or if the last item lacks its
    /// key attributes (a projection left them out) in mid-page.
    pub fn resume_key(&self) -> Option<Attributes> {
        if self.buffer.is_empty() && self.started && self.next_start.is_none() {
            return None;
        }
        self.resume.clone()
    }

    /// Ends the iteration, before its next request, once `stop` is set.
    pub(crate) fn stop_when(mut self, stop: Arc<AtomicBool>) -> Items {
        self.stop = Some(stop);
        self
    }

    fn stopped(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst))
    }

    /// The capacity its pages consumed so far, as DynamoDB reported it
    /// (zero unless asked for with `return_consumed_capacity`,
    /// `capacity_meter` or `max_read_units_per_second`).
    pub fn consumed_capacity(&self) -> CapacityTotal {
        self.metering.total.total()
    }

    /// Keeps the running total in `total` (shared with other iterators).
    pub(crate) fn add_to(&mut self, total: &CapacityMeter) {
        self.metering.total = total.clone();
    }

    /// How many requests this iterator has sent so far.
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }

    fn page_limit(&self) -> Option<u32> {
        let remaining = self.remaining.map(|r| u32::try_from(r).unwrap_or(u32::MAX));
        match (self.page_size, remaining) {
            (Some(p), Some(r)) => Some(p.min(r)),
            (p, r) => p.or(r),
        }
    }

    fn fetch_page(&mut self) -> Result<bool, Error> {
        if let State::Pending(_) = self.state {
            let State::Pending(prepare) = std::mem::replace(&mut self.state, State::Done) else {
                unreachable!("checked above");
            };
            self.state = State::Running(prepare()?);
        }
        if self.started && self.next_start.is_none() {
            return Ok(false);
        }
        let limit = self.page_limit();
        let State::Running(prepared) = &mut self.state else {
            return Ok(false);
        };
        let start = self.next_start.take();
        let table = &self.table;
        let out = self.metering.run(
            || prepared.request.fetch(table, start, limit),
            |page| page.consumed_capacity.as_slice(),
        )?;
        self.started = true;
        self.pages += 1;
        self.next_start = self.tokens.follow(out.last_evaluated_key)?;
        self.buffer.extend(out.items);
        Ok(true)
    }

    fn key_names(&self) -> &[String] {
        match &self.state {
            State::Running(p) => &p.key_names,
            _ => &[],
        }
    }
}

impl Iterator for Items {
    type Item = Result<Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == Some(0) || matches!(self.state, State::Done) && self.buffer.is_empty()
        {
            return None;
        }
        // Filtered pages can be empty: keep fetching while pages remain,
        // unless told to stop.
        while self.buffer.is_empty() {
            if self.stopped() {
                self.state = State::Done;
                return None;
            }
            match self.fetch_page() {
                Ok(true) => {}
                Ok(false) => {
                    self.state = State::Done;
                    return None;
                }
                Err(e) => {
                    self.state = State::Done;
                    return Some(Err(e));
                }
            }
        }
        let data = self.buffer.pop_front()?;
        if let Some(r) = self.remaining.as_mut() {
            *r -= 1;
        }
        let key: Option<Attributes> = self
            .key_names()
            .iter()
            .map(|name| data.get(name).map(|v| (name.clone(), v.clone())))
            .collect();
        self.resume = match key {
            Some(key) if !key.is_empty() => Some(key),
            // Without its key attributes the item cannot mark a resume point;
            // at a page boundary the page's own key still can.
            _ if self.buffer.is_empty() => self.next_start.clone(),
            _ => None,
        };
        Some(Ok(Item::loaded(&self.table, data)))
    }
}
