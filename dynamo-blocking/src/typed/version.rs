//! Optimistic locking for structs with a `#[dynamo(version)]` field.

use dynamo_core::expr::{attr, Condition};
use dynamo_core::{AttributeValue, Attributes, ConvertError, Number};

/// What a versioned write checks and stores.
pub(super) struct Versioned {
    /// The stored version must be the one the struct holds.
    pub condition: Condition,
    /// The version the write stores.
    pub stored: u64,
}

/// Replaces the version attribute in `data` with the next version and
/// returns the condition the write needs; `None` for unversioned types.
///
/// Version 0 (or an absent version) means "new": the write then requires
/// that no stored item has a version yet.
pub(super) fn prepare(
    data: &mut Attributes,
    attribute: Option<&str>,
) -> Result<Option<Versioned>, ConvertError> {
    let Some(name) = attribute else {
        return Ok(None);
    };
    let current: Option<u64> = data.get_as(name)?;
    let condition = match current {
        None | Some(0) => attr(name).not_exists(),
        Some(v) => attr(name).eq(v),
    };
    let stored = current
        .unwrap_or(0)
        .checked_add(1)
        .ok_or_else(|| ConvertError::other("version overflow").in_field(name))?;
    data.insert(name, AttributeValue::N(Number::from(stored)));
    Ok(Some(Versioned { condition, stored }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynamo_core::expr::Placeholders;
    use dynamo_core::item;

    #[test]
    fn new_items_must_not_exist_and_start_at_one() {
        let mut data = item! { "id" => 1, "v" => 0 };
        let v = prepare(&mut data, Some("v")).unwrap().unwrap();
        assert_eq!(v.stored, 1);
        assert_eq!(data.get_as::<u64>("v").unwrap(), 1);
        assert_eq!(
            v.condition.render(&mut Placeholders::new()).unwrap(),
            "attribute_not_exists(#n0)"
        );
    }

    #[test]
    fn existing_items_must_hold_the_read_version() {
        let mut data = item! { "id" => 1, "v" => 7 };
        let v = prepare(&mut data, Some("v")).unwrap().unwrap();
        assert_eq!(v.stored, 8);
        let mut ph = Placeholders::new();
        assert_eq!(v.condition.render(&mut ph).unwrap(), "#n0 = :v0");
        assert_eq!(ph.into_parts().1.unwrap(), item! { ":v0" => 7 });
    }

    #[test]
    fn unversioned_types_are_untouched() {
        let mut data = item! { "id" => 1 };
        assert!(prepare(&mut data, None).unwrap().is_none());
        assert_eq!(data, item! { "id" => 1 });
    }
}
