//! Typed queries and scans: the dynamic builders underneath, items decoded
//! into `T` as they arrive.

use std::marker::PhantomData;

use dynamo_core::{Attributes, Condition, DynamoItem, KeyedItem, SecondaryIndex, ToAttribute};

use super::TypedTable;
use crate::{CapacityTotal, Error, Item, Items, ParallelItems, ParallelScan, Query, Scan};

/// Items decoded into `T`; an item that does not decode is an error for
/// that item (the iteration goes on), never a panic.
pub struct TypedItems<T, I = Items> {
    inner: I,
    _items: PhantomData<fn() -> T>,
}

impl<T, I> TypedItems<T, I> {
    pub(crate) fn new(inner: I) -> Self {
        TypedItems {
            inner,
            _items: PhantomData,
        }
    }
}

impl<T> TypedItems<T, Items> {
    /// Where a later query or scan can resume (see [`Items::resume_key`]).
    pub fn resume_key(&self) -> Option<Attributes> {
        self.inner.resume_key()
    }

    /// Requests sent so far.
    pub fn pages_fetched(&self) -> u64 {
        self.inner.pages_fetched()
    }

    /// Capacity consumed so far (see [`Items::consumed_capacity`]).
    pub fn consumed_capacity(&self) -> CapacityTotal {
        self.inner.consumed_capacity()
    }
}

impl<T> TypedItems<T, ParallelItems> {
    /// Capacity all segments consumed so far (see
    /// [`ParallelItems::consumed_capacity`]).
    pub fn consumed_capacity(&self) -> CapacityTotal {
        self.inner.consumed_capacity()
    }
}

/// The capacity modifiers of typed reads, forwarded to the dynamic builder
/// in field `$field`.
macro_rules! typed_metering_modifiers {
    ($field:ident) => {
        /// Asks DynamoDB to report consumed capacity (see
        /// [`Scan::return_consumed_capacity`](crate::Scan::return_consumed_capacity)).
        pub fn return_consumed_capacity(
            mut self,
            mode: dynamo_core::wire::ReturnConsumedCapacity,
        ) -> Self {
            self.$field = self.$field.return_consumed_capacity(mode);
            self
        }

        /// Adds consumed capacity to `meter` (see
        /// [`Scan::capacity_meter`](crate::Scan::capacity_meter)).
        pub fn capacity_meter(mut self, meter: &crate::CapacityMeter) -> Self {
            self.$field = self.$field.capacity_meter(meter);
            self
        }

        /// Holds the read to `units` capacity units per second (see
        /// [`Scan::max_read_units_per_second`](crate::Scan::max_read_units_per_second)).
        pub fn max_read_units_per_second(mut self, units: f64) -> Self {
            self.$field = self.$field.max_read_units_per_second(units);
            self
        }
    };
}

impl<T: DynamoItem, I: Iterator<Item = Result<Item, Error>>> Iterator for TypedItems<T, I> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.inner.next()?;
        Some(item.and_then(|i| T::from_item(i.into_attributes()).map_err(Error::from)))
    }
}

/// The modifiers every typed query has, forwarded to the dynamic [`Query`]
/// (or to a typed query wrapping one). `eventual` leaves out
/// `consistent_read`, for queries that may be on a global index.
macro_rules! query_modifiers {
    () => {
        query_modifiers!(eventual);

        /// Strongly consistent reads.
        pub fn consistent_read(mut self) -> Self {
            self.query = self.query.consistent_read();
            self
        }
    };
    (eventual) => {
        typed_metering_modifiers!(query);

        /// Keeps only items matching `condition` (name fields with
        /// `T::fields()`).
        pub fn filter(mut self, condition: dynamo_core::Condition) -> Self {
            self.query = self.query.filter(condition);
            self
        }

        /// Descending range-key order.
        pub fn reverse(mut self) -> Self {
            self.query = self.query.reverse();
            self
        }

        /// Stops after `n` items in all.
        pub fn limit(mut self, n: u64) -> Self {
            self.query = self.query.limit(n);
            self
        }

        /// Reads at most `n` items per request.
        pub fn page_size(mut self, n: u32) -> Self {
            self.query = self.query.page_size(n);
            self
        }

        /// Resumes after `key` (from
        /// [`TypedItems::resume_key`](crate::TypedItems::resume_key)).
        pub fn start_from(mut self, key: dynamo_core::Attributes) -> Self {
            self.query = self.query.start_from(key);
            self
        }

        /// The number of matching items, summed across pages.
        pub fn count(self) -> Result<u64, crate::Error> {
            self.query.count()
        }
    };
}

/// A query of a typed table: the hash value typed as the hash field, range
/// conditions typed as the range field.
#[must_use = "a query does nothing until iterated"]
pub struct TypedQuery<T: KeyedItem> {
    query: Query,
    range_key: String,
    _items: PhantomData<fn() -> T>,
}

/// A query of one of a typed table's indexes (index keys can have any type,
/// so range values are any convertible value).
#[must_use = "a query does nothing until iterated"]
pub struct TypedIndexQuery<T: KeyedItem> {
    query: Query,
    /// The index's sort-key attributes (several for a multi-attribute key);
    /// each range condition takes the next one.
    range_keys: Vec<String>,
    next_range: usize,
    _items: PhantomData<fn() -> T>,
}

macro_rules! range_conditions {
    ($value:ty, $convert:expr) => {
        /// `range = value`.
        pub fn range_eq(mut self, value: $value) -> Self {
            let key = self.next_range_key();
            self.query = self.query.key_eq(key, $convert(value));
            self
        }

        /// `range < value`.
        pub fn range_lt(mut self, value: $value) -> Self {
            let key = self.next_range_key();
            self.query = self.query.key_lt(key, $convert(value));
            self
        }

        /// `range <= value`.
        pub fn range_le(mut self, value: $value) -> Self {
            let key = self.next_range_key();
            self.query = self.query.key_le(key, $convert(value));
            self
        }

        /// `range > value`.
        pub fn range_gt(mut self, value: $value) -> Self {
            let key = self.next_range_key();
            self.query = self.query.key_gt(key, $convert(value));
            self
        }

        /// `range >= value`.
        pub fn range_ge(mut self, value: $value) -> Self {
            let key = self.next_range_key();
            self.query = self.query.key_ge(key, $convert(value));
            self
        }

        /// `begins_with(range, prefix)` (string and binary range keys).
        pub fn range_begins_with(mut self, prefix: $value) -> Self {
            let key = self.next_range_key();
            self.query = self.query.key_begins_with(key, $convert(prefix));
            self
        }

        /// `range BETWEEN low AND high`.
        pub fn range_between(mut self, low: $value, high: $value) -> Self {
            let key = self.next_range_key();
            self.query = self.query.key_between(key, $convert(low), $convert(high));
            self
        }
    };
}

fn range_value<R, V: Into<R>>(value: V) -> R {
    value.into()
}

impl<T: KeyedItem> TypedQuery<T> {
    range_conditions!(impl Into<T::Range>, range_value::<T::Range, _>);

    fn next_range_key(&mut self) -> String {
        self.range_key.clone()
    }
    query_modifiers!();

    /// Decodes the items as `E` instead of `T`: for a table holding several
    /// entity types, an enum deriving `DynamoEntity` reads them all.
    pub fn entities<E: DynamoItem>(self) -> TypedItems<E> {
        TypedItems::new(self.query.into_iter())
    }
}

impl<T: KeyedItem> TypedIndexQuery<T> {
    range_conditions!(impl ToAttribute, std::convert::identity);

    /// The sort-key attribute the next range condition is on: the index's
    /// sort-key attributes in order (a multi-attribute key has several;
    /// every condition but the last must then be `range_eq`, which is
    /// checked before sending).
    fn next_range_key(&mut self) -> String {
        let i = self.next_range.min(self.range_keys.len().saturating_sub(1));
        self.next_range += 1;
        self.range_keys.get(i).cloned().unwrap_or_default()
    }
    query_modifiers!();
}

impl<T: KeyedItem> IntoIterator for TypedQuery<T> {
    type Item = Result<T, Error>;
    type IntoIter = TypedItems<T>;

    fn into_iter(self) -> TypedItems<T> {
        TypedItems::new(self.query.into_iter())
    }
}

impl<T: KeyedItem> IntoIterator for TypedIndexQuery<T> {
    type Item = Result<T, Error>;
    type IntoIter = TypedItems<T>;

    fn into_iter(self) -> TypedItems<T> {
        TypedItems::new(self.query.into_iter())
    }
}

/// A scan of a typed table.
#[must_use = "a scan does nothing until iterated"]
pub struct TypedScan<T: KeyedItem> {
    scan: Scan,
    _items: PhantomData<fn() -> T>,
}

impl<T: KeyedItem> TypedScan<T> {
    typed_metering_modifiers!(scan);

    /// The number of matching items; see [`Scan::count`](crate::Scan::count).
    pub fn count(self) -> Result<u64, Error> {
        self.scan.count()
    }

    /// Keeps only items matching `condition`.
    pub fn filter(mut self, condition: Condition) -> Self {
        self.scan = self.scan.filter(condition);
        self
    }

    /// Scans an index instead of the table.
    pub fn index(mut self, name: impl Into<String>) -> Self {
        self.scan = self.scan.index(name);
        self
    }

    /// Stops after `n` items in all.
    pub fn limit(mut self, n: u64) -> Self {
        self.scan = self.scan.limit(n);
        self
    }

    /// Reads at most `n` items per request.
    pub fn page_size(mut self, n: u32) -> Self {
        self.scan = self.scan.page_size(n);
        self
    }

    /// Strongly consistent reads.
    pub fn consistent_read(mut self) -> Self {
        self.scan = self.scan.consistent_read();
        self
    }

    /// Resumes after `key`.
    pub fn start_from(mut self, key: Attributes) -> Self {
        self.scan = self.scan.start_from(key);
        self
    }

    /// Scans one segment of `total`.
    pub fn segment(mut self, segment: u32, total: u32) -> Self {
        self.scan = self.scan.segment(segment, total);
        self
    }

    /// Scans with `segments` threads; `f` gets every item once, decoded.
    pub fn parallel_for_each<F, E>(self, segments: u32, f: F) -> Result<(), E>
    where
        F: Fn(T) -> Result<(), E> + Sync,
        E: From<Error> + Send,
    {
        self.scan.parallel(segments).for_each(|item| {
            let item = T::from_item(item.into_attributes()).map_err(Error::from)?;
            f(item)
        })
    }

    /// Decodes the items as `E` instead of `T` (see [`TypedQuery::entities`]).
    pub fn entities<E: DynamoItem>(self) -> TypedItems<E> {
        TypedItems::new(self.scan.into_iter())
    }

    /// Scans with `segments` threads into one iterator of decoded items.
    pub fn parallel(
        self,
        segments: u32,
    ) -> TypedItems<T, <ParallelScan as IntoIterator>::IntoIter> {
        TypedItems::new(self.scan.parallel(segments).into_iter())
    }
}

impl<T: KeyedItem> IntoIterator for TypedScan<T> {
    type Item = Result<T, Error>;
    type IntoIter = TypedItems<T>;

    fn into_iter(self) -> TypedItems<T> {
        TypedItems::new(self.scan.into_iter())
    }
}

impl<T: KeyedItem> TypedTable<T> {
    /// Queries the items whose hash key is `hash`.
    pub fn query(&self, hash: impl Into<T::Hash>) -> TypedQuery<T> {
        let schema = T::key_schema();
        let hash: T::Hash = hash.into();
        TypedQuery {
            query: self.table.query().key_eq(schema.hash.name.clone(), hash),
            range_key: schema.range.map(|r| r.name).unwrap_or_default(),
            _items: PhantomData,
        }
    }

    /// Queries an index (declared on the struct) by its hash key; see
    /// [`query_by`](TypedTable::query_by) for range conditions checked at
    /// compile time.
    pub fn query_index(&self, index: &str, hash: impl ToAttribute) -> TypedIndexQuery<T> {
        self.query_index_keys(index, [hash])
    }

    /// Queries an index whose key has several partition-key attributes
    /// (a multi-attribute key): `hash` gives their values in the index's
    /// order. Range conditions then apply to its sort-key attributes from
    /// left to right. Too few or too many values, one that does not
    /// convert, or conditions DynamoDB would refuse are an error before
    /// sending. For an index declared on the struct,
    /// [`query_by`](TypedTable::query_by) makes these compile errors.
    pub fn query_index_keys<I, V>(&self, index: &str, hash: I) -> TypedIndexQuery<T>
    where
        I: IntoIterator<Item = V>,
        V: ToAttribute,
    {
        let schema = T::key_schema();
        let (hash_keys, range_keys) = match T::indexes().into_iter().find(|i| i.name() == index) {
            Some(SecondaryIndex::Local(l)) => (vec![schema.hash.name], vec![l.range_key.name]),
            Some(SecondaryIndex::Global(g)) => (
                g.hash_attributes().map(|k| k.name.clone()).collect(),
                g.range_attributes().map(|k| k.name.clone()).collect(),
            ),
            // The dynamic query reports the unknown index before any request.
            None => (vec![schema.hash.name], Vec::new()),
        };
        let mut query = self.table.query().index(index);
        for (i, value) in hash.into_iter().enumerate() {
            // A value past the last attribute repeats it: refused as a
            // second condition on it.
            let name = hash_keys
                .get(i)
                .or(hash_keys.last())
                .cloned()
                .unwrap_or_default();
            query = query.key_eq(name, value);
        }
        TypedIndexQuery {
            query,
            range_keys,
            next_range: 0,
            _items: PhantomData,
        }
    }

    /// Scans the whole table.
    pub fn scan(&self) -> TypedScan<T> {
        TypedScan {
            scan: self.table.scan(),
            _items: PhantomData,
        }
    }
}

mod index_query;
pub use index_query::IndexQuery;
