//! Several entity types in one table: the entity name every derived struct
//! writes, and the check that all entity types of a table agree on its keys
//! and indexes.

use std::fmt;

use crate::{DynamoItem, KeySchema, KeyedItem, SecondaryIndex};

/// The attribute holding an item's entity type, written by every struct with
/// `#[dynamo(entity = "...")]` and read by `#[derive(DynamoEntity)]`.
pub const ENTITY_ATTRIBUTE: &str = "entity";

/// A keyed item with an entity name (`#[dynamo(entity = "order")]`): its
/// items carry `entity = "order"`, so a query of a table holding several
/// types can tell them apart.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no entity name",
    label = "not an entity type",
    note = "add `#[dynamo(entity = \"...\")]` to the struct"
)]
pub trait Entity: KeyedItem {
    /// The value of [`ENTITY_ATTRIBUTE`] for this type.
    const ENTITY_NAME: &'static str;
}

/// One entity type's view of its table.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EntityLayout {
    /// The entity name.
    pub entity: &'static str,
    /// The table key the type writes.
    pub key_schema: KeySchema,
    /// The indexes the type declares.
    pub indexes: Vec<SecondaryIndex>,
}

impl EntityLayout {
    /// The layout of entity type `T`.
    pub fn of<T: Entity>() -> Self {
        EntityLayout {
            entity: T::ENTITY_NAME,
            key_schema: T::key_schema(),
            indexes: T::indexes(),
        }
    }
}

/// An enum of the entity types stored in one table
/// (`#[derive(DynamoEntity)]`): decoding an item picks the variant by its
/// [`ENTITY_ATTRIBUTE`].
pub trait DynamoEntity: DynamoItem {
    /// The layouts of the entity types, one per variant holding one.
    fn layouts() -> Vec<EntityLayout>;

    /// The table every entity type fits: the shared key schema and the union
    /// of their indexes; an error names two types that disagree.
    fn table_layout() -> Result<(KeySchema, Vec<SecondaryIndex>), LayoutMismatch> {
        shared_layout(&Self::layouts())
    }
}

/// Entity types of one table disagree on its key schema or on an index of
/// the same name.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LayoutMismatch {
    /// The first entity type.
    pub first: &'static str,
    /// The entity type that disagrees with it.
    pub second: &'static str,
    /// What they disagree on: `"the key schema"` or `"index `name`"`.
    pub subject: String,
}

impl fmt::Display for LayoutMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "entity types `{}` and `{}` share a table but disagree on {}",
            self.first, self.second, self.subject
        )
    }
}

impl std::error::Error for LayoutMismatch {}

/// The key schema all `layouts` share and the union of their indexes
/// (an index declared by several types must be the same in each).
pub fn shared_layout(
    layouts: &[EntityLayout],
) -> Result<(KeySchema, Vec<SecondaryIndex>), LayoutMismatch> {
    let Some(first) = layouts.first() else {
        return Err(LayoutMismatch {
            first: "",
            second: "",
            subject: "nothing: there are no entity types".to_owned(),
        });
    };
    let mut indexes: Vec<(&'static str, SecondaryIndex)> = Vec::new();
    for layout in layouts {
        if layout.key_schema != first.key_schema {
            return Err(LayoutMismatch {
                first: first.entity,
                second: layout.entity,
                subject: "the key schema".to_owned(),
            });
        }
        for index in &layout.indexes {
            match indexes.iter().find(|(_, i)| i.name() == index.name()) {
                Some((owner, known)) if known != index => {
                    return Err(LayoutMismatch {
                        first: owner,
                        second: layout.entity,
                        subject: format!("index `{}`", index.name()),
                    })
                }
                Some(_) => {}
                None => indexes.push((layout.entity, index.clone())),
            }
        }
    }
    Ok((
        first.key_schema.clone(),
        indexes.into_iter().map(|(_, i)| i).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{GlobalIndex, KeyAttribute, ScalarType};

    fn layout(entity: &'static str, range: &str, index_hash: &str) -> EntityLayout {
        EntityLayout {
            entity,
            key_schema: KeySchema::hash_range(
                KeyAttribute::new("pk", ScalarType::S),
                KeyAttribute::new(range, ScalarType::S),
            ),
            indexes: vec![GlobalIndex::all(
                "ByEmail",
                KeySchema::hash(KeyAttribute::new(index_hash, ScalarType::S)),
            )
            .into()],
        }
    }

    #[test]
    fn agreeing_layouts_share_one_table() {
        let (schema, indexes) =
            shared_layout(&[layout("a", "sk", "email"), layout("b", "sk", "email")]).unwrap();
        assert_eq!(schema.range.unwrap().name, "sk");
        assert_eq!(indexes.len(), 1);
    }

    #[test]
    fn disagreements_name_both_types() {
        let err = shared_layout(&[layout("a", "sk", "email"), layout("b", "other", "email")])
            .unwrap_err();
        assert_eq!((err.first, err.second), ("a", "b"));
        assert_eq!(err.subject, "the key schema");
        let err =
            shared_layout(&[layout("a", "sk", "email"), layout("b", "sk", "mail")]).unwrap_err();
        assert_eq!(err.subject, "index `ByEmail`");
    }
}
