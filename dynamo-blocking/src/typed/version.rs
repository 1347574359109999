//! Optimistic locking for structs with a `#[dynamo(version)]` field: the
//! one version rule every typed write follows.
//!
//! - The field holds the version of the stored item the struct was read at
//!   (or last saved as). `0` (or `None` for an `Option`) means "never
//!   stored".
//! - Every write stores the struct's version plus one, so the first stored
//!   version is 1 and 0 is never stored. The new version is checked to fit
//!   the field's type before anything is sent.
//! - A checked write (put, save, put_if, delete_unchanged and their
//!   transaction forms) requires the stored version to be the struct's; for
//!   0 that no versioned item is stored (an item stored with version 0 by
//!   older releases counts as never stored). `put_new` requires a free key
//!   and stores version 1, whatever the struct holds.
//! - Updates by key add one to the stored version; batch writes store the
//!   next version without checking (batch writes carry no condition).

use dynamo_core::expr::{attr, Condition};
use dynamo_core::{AttributeValue, Attributes, ConvertError, KeyedItem, Number};

/// What a versioned write checks and stores.
pub(crate) struct Versioned {
    /// The stored version must be the one the struct holds.
    pub condition: Condition,
    /// The version the write stores.
    pub stored: u64,
}

/// Replaces the version attribute in `data` with the next version and
/// returns the condition a checked write needs; `None` for unversioned
/// types.
pub(crate) fn prepare<T: KeyedItem>(
    data: &mut Attributes,
) -> Result<Option<Versioned>, ConvertError> {
    let Some(name) = T::VERSION_ATTRIBUTE else {
        return Ok(None);
    };
    let current: u64 = data.get_as::<Option<u64>>(name)?.unwrap_or(0);
    let condition = match current {
        0 => attr(name).not_exists().or(attr(name).eq(0)),
        v => attr(name).eq(v),
    };
    let stored = current
        .checked_add(1)
        .ok_or_else(|| ConvertError::other("version overflow").in_field(name))?;
    T::check_version(stored)?;
    data.insert(name, AttributeValue::N(Number::from(stored)));
    Ok(Some(Versioned { condition, stored }))
}

/// [`prepare`] for a write that requires a free key (`put_new`): the item
/// is new whatever version the struct holds, so version 1 is stored.
pub(crate) fn prepare_new<T: KeyedItem>(
    data: &mut Attributes,
) -> Result<Option<Versioned>, ConvertError> {
    if let Some(name) = T::VERSION_ATTRIBUTE {
        data.remove(name);
    }
    prepare::<T>(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynamo_core::expr::Placeholders;
    use dynamo_core::{item, DynamoItem, FromAttribute, KeyAttribute, KeySchema, NoRange};
    use dynamo_core::{ScalarType, ToAttribute};

    /// An item whose version field is a `u8`, written by hand.
    struct Small;

    impl DynamoItem for Small {
        fn to_item(&self) -> Result<Attributes, ConvertError> {
            Ok(Attributes::new())
        }
        fn from_item(_: Attributes) -> Result<Self, ConvertError> {
            Ok(Small)
        }
    }

    impl KeyedItem for Small {
        type Key = Attributes;
        type Hash = String;
        type Range = NoRange;
        const VERSION_ATTRIBUTE: Option<&'static str> = Some("v");
        fn key_schema() -> KeySchema {
            KeySchema::hash(KeyAttribute::new("id", ScalarType::S))
        }
        fn key(&self) -> Attributes {
            Attributes::new()
        }
        fn check_version(version: u64) -> Result<(), ConvertError> {
            u8::from_attribute(version.to_attribute()?).map(drop)
        }
    }

    /// The same without a version field.
    struct Plain;

    impl DynamoItem for Plain {
        fn to_item(&self) -> Result<Attributes, ConvertError> {
            Ok(Attributes::new())
        }
        fn from_item(_: Attributes) -> Result<Self, ConvertError> {
            Ok(Plain)
        }
    }

    impl KeyedItem for Plain {
        type Key = Attributes;
        type Hash = String;
        type Range = NoRange;
        fn key_schema() -> KeySchema {
            KeySchema::hash(KeyAttribute::new("id", ScalarType::S))
        }
        fn key(&self) -> Attributes {
            Attributes::new()
        }
    }

    fn render(c: &Condition) -> String {
        c.render(&mut Placeholders::new()).unwrap()
    }

    #[test]
    fn never_stored_items_start_at_one() {
        for mut data in [item! { "id" => 1, "v" => 0 }, item! { "id" => 1 }] {
            let v = prepare::<Small>(&mut data).unwrap().unwrap();
            assert_eq!(v.stored, 1);
            assert_eq!(data.get_as::<u64>("v").unwrap(), 1);
            assert_eq!(
                render(&v.condition),
                "attribute_not_exists(#n0) OR #n0 = :v0"
            );
        }
    }

    #[test]
    fn stored_items_must_hold_the_read_version() {
        let mut data = item! { "id" => 1, "v" => 7 };
        let v = prepare::<Small>(&mut data).unwrap().unwrap();
        assert_eq!(v.stored, 8);
        let mut ph = Placeholders::new();
        assert_eq!(v.condition.render(&mut ph).unwrap(), "#n0 = :v0");
        assert_eq!(ph.into_parts().1.unwrap(), item! { ":v0" => 7 });
    }

    #[test]
    fn a_version_the_field_cannot_hold_is_refused_before_sending() {
        let mut data = item! { "id" => 1, "v" => 255 };
        let err = prepare::<Small>(&mut data).err().unwrap();
        assert!(err.to_string().contains("256"), "{err}");
        assert_eq!(data.get_as::<u64>("v").unwrap(), 255, "left as it was");
        let mut negative = item! { "id" => 1, "v" => -1 };
        assert!(prepare::<Small>(&mut negative).is_err());
    }

    #[test]
    fn new_items_store_version_one_whatever_the_struct_holds() {
        let mut data = item! { "id" => 1, "v" => 9 };
        assert_eq!(prepare_new::<Small>(&mut data).unwrap().unwrap().stored, 1);
        assert_eq!(data.get_as::<u64>("v").unwrap(), 1);
    }

    #[test]
    fn unversioned_types_are_untouched() {
        let mut data = item! { "id" => 1 };
        assert!(prepare::<Plain>(&mut data).unwrap().is_none());
        assert_eq!(data, item! { "id" => 1 });
    }
}
