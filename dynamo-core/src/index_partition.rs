//! [`IndexPartition`]: one partition of a secondary index, typed by the
//! derive, so that a query of it is checked at compile time.

use std::fmt;
use std::marker::PhantomData;

use crate::{AttributeValue, ConvertError};

/// One partition of a secondary index declared on a `#[derive(DynamoItem)]`
/// struct: the index, and a value for each of its partition-key attributes,
/// each of its field's type.
///
/// The derive generates one function per declared index, named after the
/// index in snake case, taking one value per partition-key attribute in the
/// index's order: `ByTournamentRegion` with `hash = ["tournament", "region"]`
/// gives `Match::by_tournament_region(tournament, region)`. Too few or too
/// many values, or one of the wrong type, does not compile.
/// `TypedTable::query_by` (in `dynamo-blocking`) queries the partition; the
/// type parameters say what that query may do next:
///
/// - `T`: the items.
/// - `S`: the types of the index's sort-key attributes not yet conditioned,
///   as a list: `(String, (u32, ()))` for `range = ["round", "bracket"]`
///   with `round: String` and `bracket: u32`. Only the first of them can be
///   conditioned, with a value of its type; `range_eq` moves on to the next,
///   any other condition ends the list, as DynamoDB requires.
/// - `K`: [`GlobalIndex`](crate::GlobalIndex) or
///   [`LocalIndex`](crate::LocalIndex); only a local index allows strongly
///   consistent reads.
///
/// ```
/// use dynamo_core::{GlobalIndex, IndexPartition};
///
/// fn index_of<T, S>(partition: &IndexPartition<T, S, GlobalIndex>) -> &'static str {
///     partition.index_name()
/// }
/// # let p = IndexPartition::<(), (String, ()), GlobalIndex>::new("ByEmail", vec![Ok("a@b".into())]);
/// # assert_eq!(index_of(&p), "ByEmail");
/// ```
#[must_use = "a partition does nothing until queried"]
pub struct IndexPartition<T, S, K> {
    index: &'static str,
    hash: Vec<Result<AttributeValue, ConvertError>>,
    _query: PhantomData<QueryTypes<T, S, K>>,
}

/// The types a partition carries, as a function type so that they do not
/// make it `!Send` or `!Sync`.
type QueryTypes<T, S, K> = fn() -> (T, S, K);

impl<T, S, K> IndexPartition<T, S, K> {
    /// The partition of `index` with these partition-key values, in the
    /// index's order (generated code only: the derive types the values).
    #[doc(hidden)]
    pub fn new(index: &'static str, hash: Vec<Result<AttributeValue, ConvertError>>) -> Self {
        IndexPartition {
            index,
            hash,
            _query: PhantomData,
        }
    }

    /// The index's name.
    pub fn index_name(&self) -> &'static str {
        self.index
    }

    /// The index name and the partition-key values, in the index's order
    /// (a value that did not convert is its error).
    #[doc(hidden)]
    pub fn into_parts(self) -> (&'static str, Vec<Result<AttributeValue, ConvertError>>) {
        (self.index, self.hash)
    }
}

impl<T, S, K> Clone for IndexPartition<T, S, K> {
    fn clone(&self) -> Self {
        IndexPartition::new(self.index, self.hash.clone())
    }
}

impl<T, S, K> fmt::Debug for IndexPartition<T, S, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IndexPartition")
            .field("index", &self.index)
            .field("hash", &self.hash)
            .finish()
    }
}
