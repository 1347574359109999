//! [`IndexQuery`]: a query of an index the derive knows, whose key
//! conditions are checked at compile time by the types alone. Underneath
//! it is a [`TypedIndexQuery`], so the request, paging and the run-time
//! checks are the ones every index query has.

use std::marker::PhantomData;

use dynamo_core::expr::HasPrefix;
use dynamo_core::{
    AttributeValue, ConvertError, IndexPartition, KeyedItem, LocalIndex, ToAttribute,
};

use super::{TypedIndexQuery, TypedItems};
use crate::typed::TypedTable;
use crate::Error;

/// A query of one partition of an index declared on the struct, from
/// [`TypedTable::query_by`]: every partition-key value is given (by the
/// derive's function for the index), and only a condition DynamoDB accepts
/// can be added next, so a wrong-order key condition does not compile.
///
/// `S` lists the types of the sort-key attributes not yet conditioned
/// (see [`IndexPartition`]). Each `range_*` method conditions the first of
/// them, with a value of its type: `range_eq` moves on to the next one,
/// any other condition ends the list, and with the list empty there are no
/// `range_*` methods left. `range_begins_with` exists only on string and
/// binary attributes, dates and composed keys ([`HasPrefix`]), with a
/// prefix of the attribute's prefix type (a string for a date). `K` is [`GlobalIndex`](crate::GlobalIndex)
/// or [`LocalIndex`]; only a local index has
/// [`consistent_read`](IndexQuery::consistent_read).
///
/// ```no_run
/// use dynamo_blocking::{Client, DynamoItem, TypedTable};
///
/// #[derive(DynamoItem, Debug)]
/// #[dynamo(table = "matches")]
/// #[dynamo(global_index(
///     name = "ByTournamentRegion",
///     hash = ["tournament", "region"],
///     range = ["round", "bracket"]
/// ))]
/// struct Match {
///     #[dynamo(hash_key)]
///     match_id: String,
///     tournament: String,
///     region: String,
///     round: String,
///     bracket: String,
/// }
///
/// let matches = TypedTable::<Match>::new(&Client::from_env()?)?;
/// // `round = "SEMI" AND begins_with(bracket, "UP")`; a condition on
/// // `bracket` alone, or after a `range_gt` on `round`, does not compile.
/// let upper_semis = matches
///     .query_by(Match::by_tournament_region("WINTER2024", "NA-EAST"))
///     .range_eq("SEMI")
///     .range_begins_with("UP")
///     .limit(10);
/// for m in upper_semis {
///     println!("{}", m?.match_id);
/// }
/// # Ok::<(), dynamo_blocking::Error>(())
/// ```
#[must_use = "a query does nothing until iterated"]
pub struct IndexQuery<T: KeyedItem, S, K> {
    query: TypedIndexQuery<T>,
    _state: PhantomData<fn() -> (S, K)>,
}

impl<T: KeyedItem, S, K> IndexQuery<T, S, K> {
    fn then<Next>(
        self,
        condition: impl FnOnce(TypedIndexQuery<T>) -> TypedIndexQuery<T>,
    ) -> IndexQuery<T, Next, K> {
        IndexQuery {
            query: condition(self.query),
            _state: PhantomData,
        }
    }

    query_modifiers!(eventual);
}

impl<T: KeyedItem, S> IndexQuery<T, S, LocalIndex> {
    /// Strongly consistent reads (local indexes only: DynamoDB does not
    /// offer them on a global index).
    ///
    /// ```no_run
    /// use dynamo_blocking::{Client, DynamoItem, TypedTable};
    ///
    /// #[derive(DynamoItem)]
    /// #[dynamo(table = "users")]
    /// #[dynamo(local_index(name = "ByJoined", range = "joined"))]
    /// struct User {
    ///     #[dynamo(hash_key)]
    ///     team: String,
    ///     #[dynamo(range_key)]
    ///     name: String,
    ///     joined: u64,
    /// }
    ///
    /// let users = TypedTable::<User>::new(&Client::from_env()?)?;
    /// let recent = users.query_by(User::by_joined("core")).range_ge(1_700_000_000u64);
    /// for user in recent.consistent_read() {
    ///     println!("{}", user?.name);
    /// }
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn consistent_read(mut self) -> Self {
        self.query = self.query.consistent_read();
        self
    }
}

/// The conditions on the next sort-key attribute, of type `A`.
impl<T: KeyedItem, A: ToAttribute, Rest, K> IndexQuery<T, (A, Rest), K> {
    /// `attribute = value`; the next sort-key attribute can be conditioned
    /// after it.
    pub fn range_eq(self, value: impl Into<A>) -> IndexQuery<T, Rest, K> {
        self.then(|q| q.range_eq(value.into()))
    }

    /// `attribute < value`; the last key condition.
    pub fn range_lt(self, value: impl Into<A>) -> IndexQuery<T, (), K> {
        self.then(|q| q.range_lt(value.into()))
    }

    /// `attribute <= value`; the last key condition.
    pub fn range_le(self, value: impl Into<A>) -> IndexQuery<T, (), K> {
        self.then(|q| q.range_le(value.into()))
    }

    /// `attribute > value`; the last key condition.
    pub fn range_gt(self, value: impl Into<A>) -> IndexQuery<T, (), K> {
        self.then(|q| q.range_gt(value.into()))
    }

    /// `attribute >= value`; the last key condition.
    pub fn range_ge(self, value: impl Into<A>) -> IndexQuery<T, (), K> {
        self.then(|q| q.range_ge(value.into()))
    }

    /// `attribute BETWEEN low AND high`; the last key condition.
    pub fn range_between(self, low: impl Into<A>, high: impl Into<A>) -> IndexQuery<T, (), K> {
        self.then(|q| q.range_between(low.into(), high.into()))
    }

    /// `begins_with(attribute, prefix)` on a string or binary attribute, a
    /// date (the prefix is text: `"2026-05"`) or a composed key; the last
    /// key condition.
    pub fn range_begins_with(self, prefix: impl Into<A::Prefix>) -> IndexQuery<T, (), K>
    where
        A: HasPrefix,
        A::Prefix: ToAttribute,
    {
        self.then(|q| q.range_begins_with(prefix.into()))
    }
}

impl<T: KeyedItem, S, K> IntoIterator for IndexQuery<T, S, K> {
    type Item = Result<T, Error>;
    type IntoIter = TypedItems<T>;

    /// Runs the query lazily: the first request is sent by the first `next`.
    fn into_iter(self) -> TypedItems<T> {
        self.query.into_iter()
    }
}

/// A partition-key value as the derive converted it: a value that did not
/// convert fails the query, as any key value does.
struct Converted(Result<AttributeValue, ConvertError>);

impl ToAttribute for Converted {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        self.0.clone()
    }
}

impl<T: KeyedItem> TypedTable<T> {
    /// Queries one partition of an index declared on the struct, with key
    /// conditions checked at compile time: `partition` comes from the
    /// function the derive generates for the index (named after it in
    /// snake case, one argument per partition-key attribute, each of its
    /// field's type). See [`IndexQuery`] for an example.
    ///
    /// [`query_index_keys`](TypedTable::query_index_keys) is the same query
    /// for an index known only by name, checked before sending.
    ///
    /// ```no_run
    /// use dynamo_blocking::{Client, DynamoItem, TypedTable};
    ///
    /// #[derive(DynamoItem)]
    /// #[dynamo(table = "users")]
    /// #[dynamo(global_index(name = "ByEmail", hash = "email"))]
    /// struct User {
    ///     #[dynamo(hash_key)]
    ///     id: u64,
    ///     email: Option<String>,
    /// }
    ///
    /// let users = TypedTable::<User>::new(&Client::from_env()?)?;
    /// let found = users.query_by(User::by_email("ada@example.com")).count()?;
    /// # let _ = found;
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn query_by<S, K>(&self, partition: IndexPartition<T, S, K>) -> IndexQuery<T, S, K> {
        let (index, hash) = partition.into_parts();
        IndexQuery {
            query: self.query_index_keys(index, hash.into_iter().map(Converted)),
            _state: PhantomData,
        }
    }
}
