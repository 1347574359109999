//! Typed batch get and batch write.

use dynamo_core::{Attributes, ItemKey, KeyedItem};

use super::{TypedItems, TypedTable};
use crate::{BatchGetItems, BatchWriter, CapacityMeter, Error};

/// A batch read of `T`s by key; see [`crate::BatchGet`].
#[must_use = "a batch get does nothing until iterated"]
pub struct TypedBatchGet<T: KeyedItem> {
    batch: Result<crate::BatchGet, Error>,
    _items: std::marker::PhantomData<fn() -> T>,
}

impl<T: KeyedItem> TypedBatchGet<T> {
    /// Strongly consistent reads.
    pub fn consistent_read(mut self) -> Self {
        self.batch = self.batch.map(crate::BatchGet::consistent_read);
        self
    }

    /// Adds consumed capacity to `meter` (see [`crate::BatchGet::capacity_meter`]).
    pub fn capacity_meter(mut self, meter: &CapacityMeter) -> Self {
        self.batch = self.batch.map(|b| b.capacity_meter(meter));
        self
    }

    /// Holds the reads to `units` capacity units per second (see
    /// [`crate::BatchGet::max_read_units_per_second`]).
    pub fn max_read_units_per_second(mut self, units: f64) -> Self {
        self.batch = self.batch.map(|b| b.max_read_units_per_second(units));
        self
    }
}

impl<T: KeyedItem> IntoIterator for TypedBatchGet<T> {
    type Item = Result<T, Error>;
    type IntoIter = TypedItems<T, BatchGetOrError>;

    /// A key that does not convert is the first (and only) error.
    fn into_iter(self) -> Self::IntoIter {
        TypedItems::new(match self.batch {
            Ok(batch) => BatchGetOrError(Ok(batch.into_iter())),
            Err(e) => BatchGetOrError(Err(Some(e))),
        })
    }
}

/// The items of a batch get, or the error that kept it from starting.
pub struct BatchGetOrError(Result<BatchGetItems, Option<Error>>);

impl Iterator for BatchGetOrError {
    type Item = Result<crate::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Ok(items) => items.next(),
            Err(e) => e.take().map(Err),
        }
    }
}

/// Queues typed puts and deletes; see [`TypedTable::batch_write`].
pub struct TypedBatchWriter<'w, T> {
    writer: &'w mut BatchWriter,
    _items: std::marker::PhantomData<fn() -> T>,
}

impl<T: KeyedItem> TypedBatchWriter<'_, T> {
    /// Queues a put of `item`. Like every typed write it stores the next
    /// version of a `#[dynamo(version)]` field (the struct's plus one, so
    /// version 0 is stored as 1), but batch writes carry no condition, so
    /// the stored version is not checked: use `put`, `save` or a
    /// transaction where another writer may have changed the item.
    pub fn put(&mut self, item: &T) -> Result<(), Error> {
        let mut data = item.to_item()?;
        super::version::prepare::<T>(&mut data)?;
        self.writer.put_item(data)
    }

    /// Queues a delete by key.
    pub fn delete(&mut self, key: &T::Key) -> Result<(), Error> {
        self.writer.delete_item(key.to_key()?)
    }

    /// Adds consumed capacity to `meter` (see [`BatchWriter::capacity_meter`]).
    pub fn capacity_meter(&mut self, meter: &CapacityMeter) -> &mut Self {
        self.writer.capacity_meter(meter);
        self
    }

    /// Holds the writes to `units` capacity units per second (see
    /// [`BatchWriter::max_write_units_per_second`]).
    pub fn max_write_units_per_second(&mut self, units: f64) -> Result<&mut Self, Error> {
        self.writer.max_write_units_per_second(units)?;
        Ok(self)
    }
}

impl<T: KeyedItem> TypedTable<T> {
    /// Reads the items with these keys, 100 per request; see
    /// [`crate::BatchGet`].
    pub fn batch_get<I>(&self, keys: I) -> TypedBatchGet<T>
    where
        I: IntoIterator<Item = T::Key>,
    {
        let keys: Result<Vec<Attributes>, _> = keys.into_iter().map(|k| k.to_key()).collect();
        TypedBatchGet {
            batch: keys.map(|k| self.table.batch_get(k)).map_err(Error::from),
            _items: std::marker::PhantomData,
        }
    }

    /// Runs `f` with a typed batch writer and flushes at the end; see
    /// [`crate::Table::batch_write`].
    pub fn batch_write<F, E>(&self, f: F) -> Result<(), E>
    where
        F: FnOnce(&mut TypedBatchWriter<'_, T>) -> Result<(), E>,
        E: From<Error>,
    {
        self.table.batch_write(|writer| {
            f(&mut TypedBatchWriter {
                writer,
                _items: std::marker::PhantomData,
            })
        })
    }
}
