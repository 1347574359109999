//! What changed in an item since it was read or saved, and the conditions
//! and updates that follow from it. Pure functions, no I/O.

use dynamo_core::expr::{Condition, Update};
use dynamo_core::{Attributes, KeySchema};

use crate::Error;

/// The attributes added, changed and removed since an item was last read or
/// saved, each list in name order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Present now, absent before.
    pub added: Vec<String>,
    /// Present before and now, with another value.
    pub changed: Vec<String>,
    /// Present before, absent now.
    pub removed: Vec<String>,
}

impl Changes {
    /// Compares the original data with the current data.
    pub fn between(original: &Attributes, current: &Attributes) -> Changes {
        let mut changes = Changes::default();
        for (name, value) in current {
            match original.get(name) {
                None => changes.added.push(name.clone()),
                Some(before) if before != value => changes.changed.push(name.clone()),
                Some(_) => {}
            }
        }
        changes.removed = original
            .names()
            .filter(|n| !current.contains(n))
            .cloned()
            .collect();
        changes
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// Every changed attribute name (added, changed, removed).
    pub fn touched(&self) -> impl Iterator<Item = &String> {
        self.added.iter().chain(&self.changed).chain(&self.removed)
    }
}

/// Fails if a key attribute of a read item was changed or removed.
pub(crate) fn check_key_unchanged(schema: &KeySchema, changes: &Changes) -> Result<(), Error> {
    match changes
        .changed
        .iter()
        .chain(&changes.removed)
        .find(|n| schema.is_key(n))
    {
        Some(name) => Err(Error::KeyChanged {
            attribute: name.clone(),
        }),
        None => Ok(()),
    }
}

/// `save`'s condition: every originally read attribute still holds its
/// original value and every attribute absent when read is still absent.
pub(crate) fn full_save_condition(
    original: &Attributes,
    current: &Attributes,
) -> Option<Condition> {
    let held = original
        .iter()
        .map(|(name, value)| Condition::unchanged(name.as_str(), Some(value)));
    let absent = current
        .names()
        .filter(|n| !original.contains(n))
        .map(|name| Condition::unchanged(name.as_str(), None));
    Condition::all(held.chain(absent))
}

/// `partial_save`'s update (SET added and changed, REMOVE removed; keys are
/// never part of it) and its condition (each touched attribute still as read).
pub(crate) fn partial_update(
    schema: &KeySchema,
    original: &Attributes,
    current: &Attributes,
    changes: &Changes,
) -> (Update, Option<Condition>) {
    let mut update = Update::new();
    for name in changes.added.iter().chain(&changes.changed) {
        if !schema.is_key(name) {
            if let Some(value) = current.get(name) {
                update = update.set(name.as_str(), value.clone());
            }
        }
    }
    for name in &changes.removed {
        if !schema.is_key(name) {
            update = update.remove(name.as_str());
        }
    }
    let condition = Condition::all(
        changes
            .touched()
            .filter(|n| !schema.is_key(n))
            .map(|name| Condition::unchanged(name.as_str(), original.get(name))),
    );
    (update, condition)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynamo_core::expr::Placeholders;
    use dynamo_core::{item, ScalarType};

    #[test]
    fn changes_are_classified() {
        let before = item! { "a" => 1, "b" => 2, "c" => 3 };
        let after = item! { "a" => 1, "b" => 20, "d" => 4 };
        let c = Changes::between(&before, &after);
        assert_eq!(c.added, ["d"]);
        assert_eq!(c.changed, ["b"]);
        assert_eq!(c.removed, ["c"]);
        assert!(Changes::between(&before, &before).is_empty());
    }

    #[test]
    fn full_save_guards_every_read_attribute_and_every_new_one() {
        let before = item! { "id" => "x", "a" => 1 };
        let after = item! { "id" => "x", "a" => 2, "n" => "new" };
        let cond = full_save_condition(&before, &after).unwrap();
        let mut ph = Placeholders::new();
        let text = cond.render(&mut ph).unwrap();
        assert_eq!(
            text,
            "#n0 = :v0 AND #n1 = :v1 AND attribute_not_exists(#n2)"
        );
        let (names, values) = ph.into_parts();
        let names = names.unwrap();
        assert_eq!(names["#n0"], "a");
        assert_eq!(names["#n1"], "id");
        assert_eq!(names["#n2"], "n");
        assert_eq!(values.unwrap(), item! { ":v0" => 1, ":v1" => "x" });
    }

    #[test]
    fn partial_update_touches_only_changes_and_never_keys() {
        let schema = KeySchema::hash(("id", ScalarType::S));
        let before = item! { "id" => "x", "a" => 1, "gone" => true, "same" => 5 };
        let after = item! { "id" => "x", "a" => 2, "new" => "n", "same" => 5 };
        let changes = Changes::between(&before, &after);
        let (update, cond) = partial_update(&schema, &before, &after, &changes);
        let mut ph = Placeholders::new();
        assert_eq!(
            update.render(&mut ph).unwrap(),
            "SET #n0 = :v0, #n1 = :v1 REMOVE #n2"
        );
        let cond = cond.unwrap().render(&mut ph).unwrap();
        assert_eq!(
            cond,
            "attribute_not_exists(#n0) AND #n1 = :v2 AND #n2 = :v3"
        );
    }

    #[test]
    fn changing_a_key_is_refused() {
        let schema = KeySchema::hash(("id", ScalarType::S));
        let changes = Changes::between(&item! { "id" => "x" }, &item! { "id" => "y" });
        assert!(matches!(
            check_key_unchanged(&schema, &changes),
            Err(Error::KeyChanged { .. })
        ));
    }
}
