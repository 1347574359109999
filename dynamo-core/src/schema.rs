//! Key schemas, secondary indexes and capacity: what a table is made of.

use std::fmt;

use crate::{AttributeType, AttributeValue, Attributes};

/// The type of a key attribute: only strings, numbers and binaries can be keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarType {
    /// String (`S`).
    S,
    /// Number (`N`).
    N,
    /// Binary (`B`).
    B,
}

impl ScalarType {
    /// DynamoDB's spelling: `"S"`, `"N"` or `"B"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ScalarType::S => "S",
            ScalarType::N => "N",
            ScalarType::B => "B",
        }
    }

    /// Parses DynamoDB's spelling.
    pub fn from_tag(tag: &str) -> Option<ScalarType> {
        match tag {
            "S" => Some(ScalarType::S),
            "N" => Some(ScalarType::N),
            "B" => Some(ScalarType::B),
            _ => None,
        }
    }

    /// The attribute type of values of this scalar type.
    pub fn attribute_type(self) -> AttributeType {
        match self {
            ScalarType::S => AttributeType::S,
            ScalarType::N => AttributeType::N,
            ScalarType::B => AttributeType::B,
        }
    }
}

impl fmt::Display for ScalarType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One key attribute: its name and scalar type.
///
/// ```
/// use dynamo_core::{KeyAttribute, ScalarType};
/// let k: KeyAttribute = ("date_joined", ScalarType::N).into();
/// assert_eq!(k.name, "date_joined");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KeyAttribute {
    /// Attribute name.
    pub name: String,
    /// Attribute type.
    pub scalar_type: ScalarType,
}

impl KeyAttribute {
    /// A key attribute named `name` of type `scalar_type`.
    pub fn new(name: impl Into<String>, scalar_type: ScalarType) -> Self {
        KeyAttribute {
            name: name.into(),
            scalar_type,
        }
    }
}

impl<N: Into<String>> From<(N, ScalarType)> for KeyAttribute {
    fn from((name, scalar_type): (N, ScalarType)) -> Self {
        KeyAttribute::new(name, scalar_type)
    }
}

/// A table's (or global index's) primary key: a hash (partition) key and an
/// optional range (sort) key.
///
/// ```
/// use dynamo_core::{KeySchema, ScalarType};
/// let users = KeySchema::hash_range(("account_type", ScalarType::S), ("last_name", ScalarType::S));
/// assert_eq!(users.key_names().collect::<Vec<_>>(), ["account_type", "last_name"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KeySchema {
    /// The hash (partition) key.
    pub hash: KeyAttribute,
    /// The range (sort) key, if any.
    pub range: Option<KeyAttribute>,
}

impl KeySchema {
    /// A hash key alone.
    pub fn hash(hash: impl Into<KeyAttribute>) -> Self {
        KeySchema {
            hash: hash.into(),
            range: None,
        }
    }

    /// A hash key and a range key.
    pub fn hash_range(hash: impl Into<KeyAttribute>, range: impl Into<KeyAttribute>) -> Self {
        KeySchema {
            hash: hash.into(),
            range: Some(range.into()),
        }
    }

    /// The key attributes, hash first.
    pub fn attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        std::iter::once(&self.hash).chain(self.range.as_ref())
    }

    /// The key attribute names, hash first.
    pub fn key_names(&self) -> impl Iterator<Item = &str> {
        self.attributes().map(|k| k.name.as_str())
    }

    /// The key attribute called `name`, if it is one.
    pub fn attribute(&self, name: &str) -> Option<&KeyAttribute> {
        self.attributes().find(|k| k.name == name)
    }

    /// Whether `name` is one of the key attributes.
    pub fn is_key(&self, name: &str) -> bool {
        self.attribute(name).is_some()
    }

    /// Checks that `key` holds exactly the key attributes, each of its type
    /// and non-empty, before any request is sent.
    ///
    /// ```
    /// use dynamo_core::{key, KeySchema, ScalarType};
    /// let schema = KeySchema::hash(("username", ScalarType::S));
    /// assert!(schema.validate_key(&key! { "username" => "johndoe" }).is_ok());
    /// assert!(schema.validate_key(&key! { "username" => 7 }).is_err());
    /// assert!(schema.validate_key(&key! { "user" => "johndoe" }).is_err());
    /// ```
    pub fn validate_key(&self, key: &Attributes) -> Result<(), KeyError> {
        self.validate_key_attributes(key)?;
        if let Some(extra) = key.names().find(|name| !self.is_key(name)) {
            return Err(KeyError::NotAKeyAttribute(extra.clone()));
        }
        Ok(())
    }

    /// Checks that an item carries every key attribute with the right type
    /// (other attributes are allowed).
    pub fn validate_item_key(&self, item: &Attributes) -> Result<(), KeyError> {
        self.validate_key_attributes(item)
    }

    fn validate_key_attributes(&self, attrs: &Attributes) -> Result<(), KeyError> {
        for key in self.attributes() {
            let value = attrs
                .get(&key.name)
                .ok_or_else(|| KeyError::Missing(key.name.clone()))?;
            check_key_value(key, value)?;
        }
        Ok(())
    }

    /// Extracts the key attributes from an item.
    pub fn key_of(&self, item: &Attributes) -> Result<Attributes, KeyError> {
        self.validate_item_key(item)?;
        Ok(self
            .key_names()
            .filter_map(|name| item.get(name).map(|v| (name, v.clone())))
            .collect())
    }
}

fn check_key_value(key: &KeyAttribute, value: &AttributeValue) -> Result<(), KeyError> {
    let found = value.attribute_type();
    if found != key.scalar_type.attribute_type() {
        return Err(KeyError::WrongType {
            name: key.name.clone(),
            expected: key.scalar_type,
            found,
        });
    }
    let empty = match value {
        AttributeValue::S(s) => s.is_empty(),
        AttributeValue::B(b) => b.is_empty(),
        _ => false,
    };
    if empty {
        return Err(KeyError::Empty(key.name.clone()));
    }
    // DynamoDB's limits: 2048 bytes for a hash key value, 1024 for a range key.
    let limit = 2048;
    if value.size() > limit {
        return Err(KeyError::TooLong {
            name: key.name.clone(),
            size: value.size(),
            limit,
        });
    }
    Ok(())
}

/// A key that does not match its table's key schema.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// A key attribute is absent.
    Missing(String),
    /// An attribute that is not part of the key was given in a key.
    NotAKeyAttribute(String),
    /// A key attribute has the wrong type.
    WrongType {
        /// The key attribute.
        name: String,
        /// Its type in the schema.
        expected: ScalarType,
        /// The type given.
        found: AttributeType,
    },
    /// A string or binary key attribute is empty, which DynamoDB refuses.
    Empty(String),
    /// A key value larger than DynamoDB allows.
    TooLong {
        /// The key attribute.
        name: String,
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Missing(name) => write!(f, "key attribute `{name}` is missing"),
            KeyError::NotAKeyAttribute(name) => {
                write!(f, "`{name}` is not a key attribute of this table")
            }
            KeyError::WrongType {
                name,
                expected,
                found,
            } => write!(
                f,
                "key attribute `{name}` must be of type {expected}, found {found}"
            ),
            KeyError::Empty(name) => write!(f, "key attribute `{name}` must not be empty"),
            KeyError::TooLong { name, size, limit } => write!(
                f,
                "key attribute `{name}` is {size} bytes; DynamoDB allows at most {limit}"
            ),
        }
    }
}

impl std::error::Error for KeyError {}

/// Which attributes an index copies from the table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Projection {
    /// Every attribute (boto's `AllIndex`).
    All,
    /// Only the table's and the index's keys (boto's `KeysOnlyIndex`).
    KeysOnly,
    /// The keys plus the named attributes (boto's `IncludeIndex`).
    Include(Vec<String>),
}

impl Projection {
    /// DynamoDB's `ProjectionType`: `ALL`, `KEYS_ONLY` or `INCLUDE`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Projection::All => "ALL",
            Projection::KeysOnly => "KEYS_ONLY",
            Projection::Include(_) => "INCLUDE",
        }
    }
}

/// A local secondary index: same hash key as the table, another range key.
///
/// ```
/// use dynamo_core::{LocalIndex, ScalarType};
/// let by_date = LocalIndex::all("DateJoinedIndex", ("date_joined", ScalarType::N));
/// assert_eq!(by_date.range_key.name, "date_joined");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LocalIndex {
    /// Index name.
    pub name: String,
    /// The index's range key.
    pub range_key: KeyAttribute,
    /// What the index copies.
    pub projection: Projection,
}

impl LocalIndex {
    /// An index with any projection.
    pub fn new(
        name: impl Into<String>,
        range_key: impl Into<KeyAttribute>,
        projection: Projection,
    ) -> Self {
        LocalIndex {
            name: name.into(),
            range_key: range_key.into(),
            projection,
        }
    }

    /// An index copying every attribute.
    pub fn all(name: impl Into<String>, range_key: impl Into<KeyAttribute>) -> Self {
        Self::new(name, range_key, Projection::All)
    }

    /// An index copying only the keys.
    pub fn keys_only(name: impl Into<String>, range_key: impl Into<KeyAttribute>) -> Self {
        Self::new(name, range_key, Projection::KeysOnly)
    }

    /// An index copying the keys and `fields`.
    pub fn include<I, S>(
        name: impl Into<String>,
        range_key: impl Into<KeyAttribute>,
        fields: I,
    ) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::new(
            name,
            range_key,
            Projection::Include(fields.into_iter().map(Into::into).collect()),
        )
    }
}

/// A global secondary index: its own key schema and, on provisioned tables,
/// its own throughput.
///
/// ```
/// use dynamo_core::{GlobalIndex, KeySchema, ScalarType};
/// let by_email = GlobalIndex::all("EmailIndex", KeySchema::hash(("email", ScalarType::S)))
///     .with_throughput(5, 5);
/// assert_eq!(by_email.throughput.unwrap().read, 5);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GlobalIndex {
    /// Index name.
    pub name: String,
    /// The index's key.
    pub key_schema: KeySchema,
    /// What the index copies.
    pub projection: Projection,
    /// Read and write capacity; `None` on on-demand tables (or to use the
    /// table's figures when creating a provisioned table).
    pub throughput: Option<Throughput>,
    /// A multi-attribute key's further partition-key attributes, in order
    /// after `key_schema.hash` (DynamoDB takes four in all).
    pub more_hash: Vec<KeyAttribute>,
    /// A multi-attribute key's further sort-key attributes, in order after
    /// `key_schema.range` (four in all).
    pub more_range: Vec<KeyAttribute>,
}

/// Most partition-key attributes, and most sort-key attributes, of a global
/// index's multi-attribute key.
pub const MAX_INDEX_KEY_ATTRIBUTES: usize = 4;

impl GlobalIndex {
    /// An index with any projection.
    pub fn new(name: impl Into<String>, key_schema: KeySchema, projection: Projection) -> Self {
        GlobalIndex {
            name: name.into(),
            key_schema,
            projection,
            throughput: None,
            more_hash: Vec::new(),
            more_range: Vec::new(),
        }
    }

    /// An index whose key has several partition-key attributes and several
    /// sort-key attributes (up to four each; `hash` must not be empty). A
    /// query gives every partition-key attribute with `=`, and conditions on
    /// sort-key attributes from left to right, only the last of them other
    /// than `=`.
    ///
    /// ```
    /// use dynamo_core::{GlobalIndex, Projection, ScalarType};
    /// let matches = GlobalIndex::multi_attribute(
    ///     "ByTournamentRegion",
    ///     [("tournament", ScalarType::S), ("region", ScalarType::S)],
    ///     [("round", ScalarType::S), ("bracket", ScalarType::S)],
    ///     Projection::All,
    /// );
    /// let names: Vec<&str> = matches.hash_attributes().map(|k| k.name.as_str()).collect();
    /// assert_eq!(names, ["tournament", "region"]);
    /// assert_eq!(matches.range_attributes().count(), 2);
    /// ```
    pub fn multi_attribute<H, R>(
        name: impl Into<String>,
        hash: impl IntoIterator<Item = H>,
        range: impl IntoIterator<Item = R>,
        projection: Projection,
    ) -> Self
    where
        H: Into<KeyAttribute>,
        R: Into<KeyAttribute>,
    {
        let mut hash = hash.into_iter().map(Into::into);
        let mut range = range.into_iter().map(Into::into);
        // An empty list is refused by the request check (no HASH key), not
        // here: the first attribute stands in until then.
        let first = hash
            .next()
            .unwrap_or_else(|| KeyAttribute::new("", ScalarType::S));
        let key_schema = KeySchema {
            hash: first,
            range: range.next(),
        };
        let mut index = Self::new(name, key_schema, projection);
        index.more_hash = hash.collect();
        index.more_range = range.collect();
        index
    }

    /// Every partition-key attribute, in order.
    pub fn hash_attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        std::iter::once(&self.key_schema.hash).chain(&self.more_hash)
    }

    /// Every sort-key attribute, in order.
    pub fn range_attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        self.key_schema.range.iter().chain(&self.more_range)
    }

    /// Every key attribute: the partition-key ones, then the sort-key ones.
    pub fn key_attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        self.hash_attributes().chain(self.range_attributes())
    }

    /// An index copying every attribute.
    pub fn all(name: impl Into<String>, key_schema: KeySchema) -> Self {
        Self::new(name, key_schema, Projection::All)
    }

    /// An index copying only the keys.
    pub fn keys_only(name: impl Into<String>, key_schema: KeySchema) -> Self {
        Self::new(name, key_schema, Projection::KeysOnly)
    }

    /// An index copying the keys and `fields`.
    pub fn include<I, S>(name: impl Into<String>, key_schema: KeySchema, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::new(
            name,
            key_schema,
            Projection::Include(fields.into_iter().map(Into::into).collect()),
        )
    }

    /// Sets the index's own provisioned throughput.
    pub fn with_throughput(mut self, read: u64, write: u64) -> Self {
        self.throughput = Some(Throughput { read, write });
        self
    }
}

/// Either kind of secondary index, for APIs that take a mixed list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SecondaryIndex {
    /// A local secondary index.
    Local(LocalIndex),
    /// A global secondary index.
    Global(GlobalIndex),
}

impl SecondaryIndex {
    /// The index name.
    pub fn name(&self) -> &str {
        match self {
            SecondaryIndex::Local(i) => &i.name,
            SecondaryIndex::Global(i) => &i.name,
        }
    }
}

impl From<LocalIndex> for SecondaryIndex {
    fn from(i: LocalIndex) -> Self {
        SecondaryIndex::Local(i)
    }
}

impl From<GlobalIndex> for SecondaryIndex {
    fn from(i: GlobalIndex) -> Self {
        SecondaryIndex::Global(i)
    }
}

/// Provisioned read and write capacity units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Throughput {
    /// Read capacity units.
    pub read: u64,
    /// Write capacity units.
    pub write: u64,
}

/// How a table is billed: provisioned capacity or on demand.
///
/// ```
/// use dynamo_core::Capacity;
/// assert_eq!(Capacity::provisioned(5, 15), Capacity::Provisioned(dynamo_core::Throughput { read: 5, write: 15 }));
/// let _ = Capacity::on_demand();
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Capacity {
    /// Fixed read/write capacity units.
    Provisioned(Throughput),
    /// Pay per request (`PAY_PER_REQUEST`).
    OnDemand,
}

impl Capacity {
    /// Provisioned capacity.
    pub fn provisioned(read: u64, write: u64) -> Self {
        Capacity::Provisioned(Throughput { read, write })
    }

    /// On-demand billing.
    pub fn on_demand() -> Self {
        Capacity::OnDemand
    }
}

/// A table or index name that DynamoDB would refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError {
    name: String,
    what: &'static str,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.name.chars().take(64).collect();
        write!(
            f,
            "invalid {} name `{shown}`: it must be 3 to 255 characters from a-z, A-Z, 0-9, `_`, `-` and `.`",
            self.what
        )
    }
}

impl std::error::Error for NameError {}

fn check_name(name: &str, what: &'static str) -> Result<(), NameError> {
    let ok = (3..=255).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(NameError {
            name: name.to_owned(),
            what,
        })
    }
}

/// Checks DynamoDB's table name rules: 3-255 characters of `[A-Za-z0-9_.-]`.
///
/// ```
/// assert!(dynamo_core::validate_table_name("users").is_ok());
/// assert!(dynamo_core::validate_table_name("no spaces").is_err());
/// ```
pub fn validate_table_name(name: &str) -> Result<(), NameError> {
    check_name(name, "table")
}

/// Checks DynamoDB's index name rules (the same as for tables).
pub fn validate_index_name(name: &str) -> Result<(), NameError> {
    check_name(name, "index")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key;

    fn users() -> KeySchema {
        KeySchema::hash_range(
            ("account_type", ScalarType::S),
            ("last_name", ScalarType::S),
        )
    }

    #[test]
    fn key_validation_names_the_problem() {
        let s = users();
        assert!(s
            .validate_key(&key! { "account_type" => "a", "last_name" => "b" })
            .is_ok());
        assert_eq!(
            s.validate_key(&key! { "account_type" => "a" }),
            Err(KeyError::Missing("last_name".into()))
        );
        assert_eq!(
            s.validate_key(&key! { "account_type" => "a", "last_name" => "b", "x" => 1 }),
            Err(KeyError::NotAKeyAttribute("x".into()))
        );
        assert!(matches!(
            s.validate_key(&key! { "account_type" => 1, "last_name" => "b" }),
            Err(KeyError::WrongType { .. })
        ));
        assert_eq!(
            s.validate_key(&key! { "account_type" => "", "last_name" => "b" }),
            Err(KeyError::Empty("account_type".into()))
        );
        let long = "x".repeat(3000);
        assert!(matches!(
            s.validate_key(&key! { "account_type" => long, "last_name" => "b" }),
            Err(KeyError::TooLong { .. })
        ));
    }

    #[test]
    fn key_of_extracts_only_key_attributes() {
        let item = key! { "account_type" => "a", "last_name" => "b", "age" => 3 };
        assert_eq!(
            users().key_of(&item).unwrap(),
            key! { "account_type" => "a", "last_name" => "b" }
        );
    }

    #[test]
    fn names() {
        assert!(validate_table_name("a.b-c_1").is_ok());
        for bad in ["ab", "", "has space", "ünï", &"x".repeat(256)] {
            assert!(validate_table_name(bad).is_err(), "{bad}");
        }
    }
}
