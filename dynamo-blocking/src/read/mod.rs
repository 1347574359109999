//! Reading many items: queries, scans, parallel scans and batch gets, each a
//! lazy iterator that fetches page by page as the caller consumes it.

/// The builder methods of reads that watch or limit their capacity; `$field`
/// is the path of the builder's [`Metering`](crate::capacity::Metering).
macro_rules! read_metering_modifiers {
    ($($field:ident).+) => {
        /// Asks DynamoDB to report the capacity each request consumes
        /// (`ReturnConsumedCapacity`: total, or per table and index); the
        /// iterator sums it (see the iterator's `consumed_capacity`).
        pub fn return_consumed_capacity(mut self, mode: dynamo_core::wire::ReturnConsumedCapacity) -> Self {
            self.$($field).+.mode = Some(mode);
            self
        }

        /// Adds the capacity each request consumes to `meter` (a handle the
        /// caller keeps, readable from any thread during and after the
        /// read); asks for `TOTAL` unless
        /// [`return_consumed_capacity`](Self::return_consumed_capacity) says
        /// otherwise.
        pub fn capacity_meter(mut self, meter: &crate::CapacityMeter) -> Self {
            self.$($field).+.meter = Some(meter.clone());
            self
        }

        /// Holds the read to `units` capacity units per second on average:
        /// before each request it waits until the units the previous ones
        /// consumed (as DynamoDB reports them) are paid off at that rate.
        /// Clones of this builder share the limit. A rate that is not a
        /// positive number fails with [`Error::InvalidRate`] when the read
        /// runs.
        pub fn max_read_units_per_second(mut self, units: f64) -> Self {
            self.$($field).+.set_rate(units);
            self
        }
    };
}

/// The builder methods queries and scans share; each builder has a
/// `settings: Settings` field.
macro_rules! shared_modifiers {
    () => {
        /// Keeps only items matching `condition` (applied after reading:
        /// pages may come back short or empty, which the iteration handles).
        /// Several filters are combined with AND.
        pub fn filter(mut self, condition: Condition) -> Self {
            self.settings.add_filter(condition);
            self
        }

        /// Reads a local or global secondary index instead of the table.
        pub fn index(mut self, name: impl Into<String>) -> Self {
            self.settings.index = Some(name.into());
            self
        }

        /// Stops after `n` items in all, fetching no page beyond what they need.
        pub fn limit(mut self, n: u64) -> Self {
            self.settings.paging.limit = Some(n);
            self
        }

        /// Reads at most `n` items per request.
        pub fn page_size(mut self, n: u32) -> Self {
            self.settings.paging.page_size = Some(n.max(1));
            self
        }

        /// Strongly consistent reads (not available on global indexes).
        pub fn consistent_read(mut self) -> Self {
            self.settings.consistent = true;
            self
        }

        /// Returns only these attributes (names or `T::fields()` handles).
        pub fn attributes<I, S>(mut self, names: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.settings.attributes = Some(names.into_iter().map(Into::into).collect());
            self
        }

        read_metering_modifiers!(settings.paging.metering);

        /// Resumes after `key` (from [`Items::resume_key`]).
        pub fn start_from(mut self, key: Attributes) -> Self {
            self.settings.paging.start = Some(key);
            self
        }
    };
}

mod batch_get;
mod key_terms;
mod pages;
mod parallel;
mod query;
mod scan;

pub use batch_get::{BatchGet, BatchGetItems};
pub use pages::Items;
pub use parallel::{ParallelItems, ParallelScan};
pub use query::Query;
pub use scan::Scan;

use dynamo_core::expr::Condition;
use dynamo_core::ConvertError;

use crate::{Error, TableMeta};
use pages::Paging;

/// What queries and scans share.
#[derive(Clone, Default)]
struct Settings {
    filter: Option<Condition>,
    index: Option<String>,
    consistent: bool,
    attributes: Option<Vec<String>>,
    paging: Paging,
    /// The first builder error (a value that did not convert), reported when
    /// the read runs.
    error: Option<ConvertError>,
}

impl Settings {
    fn add_filter(&mut self, condition: Condition) {
        self.filter = Some(match self.filter.take() {
            Some(existing) => existing.and(condition),
            None => condition,
        });
    }

    fn fail(&mut self, error: ConvertError) {
        self.error.get_or_insert(error);
    }

    fn check(&self) -> Result<(), Error> {
        self.paging.metering.check()?;
        match &self.error {
            Some(e) => Err(Error::Convert(e.clone())),
            None => Ok(()),
        }
    }
}

/// The attributes that make a resume key: the table's key, plus the index's
/// when reading an index.
fn key_names_for(meta: &TableMeta, index: Option<&str>) -> Result<Vec<String>, Error> {
    let mut names: Vec<String> = meta.schema.key_names().map(str::to_owned).collect();
    if index.is_some() {
        let schema = meta.key_schema_for(index)?;
        // A multi-attribute global index key has more attributes than its
        // `key_schema` names.
        let more = meta.indexes.iter().find_map(|i| match i {
            dynamo_core::SecondaryIndex::Global(g) if Some(g.name.as_str()) == index => {
                Some(g.key_attributes().map(|k| k.name.as_str()))
            }
            _ => None,
        });
        for name in schema.key_names().chain(more.into_iter().flatten()) {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        }
    }
    Ok(names)
}
