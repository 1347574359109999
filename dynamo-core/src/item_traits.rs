//! The traits `#[derive(DynamoItem)]` implements.
//!
//! [`DynamoItem`] is the conversion of a struct to and from a whole item; every
//! derived struct has it, so it can also nest inside another item as an `M`.
//! [`KeyedItem`] adds what a table needs (the key, its schema, the indexes);
//! the derive implements it for structs that mark a `hash_key`.

use crate::{AttributeValue, Attributes, ConvertError, KeySchema, SecondaryIndex, ToAttribute};

/// A Rust type stored as a whole DynamoDB item.
///
/// ```
/// use dynamo_core::{item, Attributes, ConvertError, DynamoItem};
///
/// struct Point { x: i64, y: i64 }
///
/// impl DynamoItem for Point {
///     fn to_item(&self) -> Result<Attributes, ConvertError> {
///         Ok(item! { "x" => self.x, "y" => self.y })
///     }
///     fn from_item(item: Attributes) -> Result<Self, ConvertError> {
///         Ok(Point { x: item.get_as("x")?, y: item.get_as("y")? })
///     }
/// }
///
/// let p = Point::from_item(item! { "x" => 1, "y" => 2 })?;
/// assert_eq!((p.x, p.y), (1, 2));
/// # Ok::<(), ConvertError>(())
/// ```
pub trait DynamoItem: Sized {
    /// Encodes the value as an item. Fields that are "absent" (`None`, empty
    /// sets) are left out.
    fn to_item(&self) -> Result<Attributes, ConvertError>;

    /// Decodes an item; errors name the struct, the field and what was found.
    fn from_item(item: Attributes) -> Result<Self, ConvertError>;

    /// The attribute names the type stores, in field order (for projections).
    fn attribute_names() -> &'static [&'static str] {
        &[]
    }
}

/// A [`DynamoItem`] with a primary key: what a typed table is made of.
pub trait KeyedItem: DynamoItem {
    /// The key alone (generated as `<Name>Key`).
    type Key: ItemKey;

    /// The type of the hash key field (typed queries take a value of it).
    type Hash: ToAttribute;

    /// The type of the range key field, or [`NoRange`] when there is none
    /// (so range conditions cannot be written for such tables).
    type Range: ToAttribute;

    /// The table name given by `#[dynamo(table = "...")]`, if any.
    const TABLE_NAME: Option<&'static str> = None;

    /// The optimistic-locking attribute (`#[dynamo(version)]`), if any.
    const VERSION_ATTRIBUTE: Option<&'static str> = None;

    /// The time-to-live attribute (`#[dynamo(ttl)]`), if any.
    const TTL_ATTRIBUTE: Option<&'static str> = None;

    /// The stream the table is created with
    /// (`#[dynamo(stream = "new_and_old_images")]`), if any.
    const STREAM_VIEW: Option<crate::wire::StreamViewType> = None;

    /// The table's key schema, from the `hash_key` / `range_key` fields.
    fn key_schema() -> KeySchema;

    /// The secondary indexes declared on the struct.
    fn indexes() -> Vec<SecondaryIndex> {
        Vec::new()
    }

    /// This item's key.
    fn key(&self) -> Self::Key;

    /// Sets the version field after a successful versioned write. Does
    /// nothing for types without one.
    fn set_version(&mut self, version: u64) -> Result<(), ConvertError> {
        let _ = version;
        Ok(())
    }

    /// Whether the version field's type can hold `version`; checked before
    /// a versioned write is sent, so a write never stores a version its
    /// struct cannot read back. Always fine for types without one.
    fn check_version(version: u64) -> Result<(), ConvertError> {
        let _ = version;
        Ok(())
    }
}

/// A primary key value that can be written as key attributes.
pub trait ItemKey {
    /// The key attributes.
    fn to_key(&self) -> Result<Attributes, ConvertError>;
}

impl ItemKey for Attributes {
    fn to_key(&self) -> Result<Attributes, ConvertError> {
        Ok(self.clone())
    }
}

/// The range key type of a table that has none: no value of it exists, so
/// typed range conditions on such a table do not compile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoRange {}

impl ToAttribute for NoRange {
    fn to_attribute(&self) -> Result<AttributeValue, ConvertError> {
        match *self {}
    }
}
