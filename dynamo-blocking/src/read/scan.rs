//! [`Scan`]: every item of a table or index, optionally filtered.

use dynamo_core::expr::{self, Condition};
use dynamo_core::wire;
use dynamo_core::Attributes;

use super::pages::{count_matching, Items, Paging, Prepared};
use super::parallel::ParallelScan;
use super::{key_names_for, Settings};
use crate::{CapacityMeter, Error, Table};

/// A scan, built by chaining and run by iterating.
///
/// ```no_run
/// use dynamo_blocking::{attr, Client, Table};
/// let users = Table::new(&Client::from_env()?, "users");
/// let owners_with_emails = users.scan().filter(attr("is_owner").eq(1).and(attr("email").exists()));
/// for user in owners_with_emails {
///     println!("{:?}", user?.get("first_name"));
/// }
/// # Ok::<(), dynamo_blocking::Error>(())
/// ```
#[derive(Clone)]
#[must_use = "a scan does nothing until iterated"]
pub struct Scan {
    table: Table,
    settings: Settings,
    segment: Option<(u32, u32)>,
}

impl Table {
    /// Starts a scan of this table (or of one of its indexes).
    pub fn scan(&self) -> Scan {
        Scan {
            table: self.clone(),
            settings: Settings::default(),
            segment: None,
        }
    }
}

impl Scan {
    shared_modifiers!();

    /// Scans only segment `segment` of `total` (0-based), for running a
    /// parallel scan by hand; see [`Scan::parallel`] for the helper.
    pub fn segment(mut self, segment: u32, total: u32) -> Self {
        self.segment = Some((segment, total));
        self
    }

    /// The number of matching items (Select COUNT), summed across every
    /// page; no items are transferred. A [`capacity_meter`](Self::capacity_meter)
    /// gets what the pages consumed, and a rate limit holds.
    ///
    /// ```no_run
    /// use dynamo_blocking::{attr, Client, Table};
    /// let users = Table::new(&Client::from_env()?, "users");
    /// let owners = users.scan().filter(attr("is_owner").eq(true)).count()?;
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn count(self) -> Result<u64, Error> {
        count_matching(&self.table, self.prepare()?.request, &self.settings.paging)
    }

    /// Splits the scan into `segments` run on as many threads. A
    /// [`limit`](Scan::limit) stays the limit of the whole scan: `limit(n)`
    /// hands out `n` items in all, whatever the number of segments.
    pub fn parallel(self, segments: u32) -> ParallelScan {
        let limit = self.settings.paging.limit;
        ParallelScan::new(self, segments, limit)
    }

    fn prepare(&self) -> Result<Prepared<wire::ScanInput>, Error> {
        self.settings.check()?;
        if let Some((segment, total)) = self.segment {
            if total == 0 || segment >= total || total > 1_000_000 {
                return Err(Error::InvalidSegment {
                    segment: Some(segment),
                    total,
                });
            }
        }
        let meta = self.table.meta()?;
        let index = self.settings.index.as_deref();
        let mut request = wire::ScanInput {
            table_name: self.table.name().to_owned(),
            index_name: self.settings.index.clone(),
            consistent_read: self.settings.consistent.then_some(true),
            return_consumed_capacity: self.settings.paging.metering.request_mode(),
            segment: self.segment.map(|s| s.0),
            total_segments: self.segment.map(|s| s.1),
            ..Default::default()
        };
        expr::apply_to_scan(
            &mut request,
            self.settings.filter.as_ref(),
            self.settings.attributes.as_deref(),
        )?;
        Ok(Prepared {
            request,
            key_names: key_names_for(&meta, index)?,
        })
    }
}

impl Scan {
    /// The scan's items, their consumed capacity also added to `total`
    /// (the segments of a parallel scan share one).
    pub(crate) fn items_metered_by(self, total: &CapacityMeter) -> Items {
        let table = self.table.clone();
        let paging: Paging = self.settings.paging.clone();
        let mut items = Items::new(table, paging, move || self.prepare());
        items.add_to(total);
        items
    }
}

impl IntoIterator for Scan {
    type Item = Result<crate::Item, Error>;
    type IntoIter = Items;

    /// Runs the scan lazily: the first request is sent by the first `next`.
    fn into_iter(self) -> Items {
        let table = self.table.clone();
        let paging: Paging = self.settings.paging.clone();
        Items::new(table, paging, move || self.prepare())
    }
}
