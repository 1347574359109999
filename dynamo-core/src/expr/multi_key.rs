//! [`MultiKeyCondition`]: the key condition of a query of a global index
//! whose key has several partition-key or sort-key attributes.

use super::key_condition::{check_type, key_name, RangeOp};
use crate::expr::operand::Value;
use crate::expr::{ExprError, Path, Placeholders, RangeCondition};
use crate::{GlobalIndex, ScalarType, ToAttribute};

/// The key condition of a query of a multi-attribute index key: `=` on
/// every partition-key attribute, then conditions on the sort-key
/// attributes from left to right, each `=` but the last (DynamoDB's rules).
///
/// ```
/// use dynamo_core::expr::{MultiKeyCondition, Placeholders, RangeCondition};
/// use dynamo_core::{GlobalIndex, Projection, ScalarType};
///
/// let index = GlobalIndex::multi_attribute(
///     "ByTournamentRegion",
///     [("tournament", ScalarType::S), ("region", ScalarType::S)],
///     [("round", ScalarType::S), ("bracket", ScalarType::S)],
///     Projection::All,
/// );
/// let key = MultiKeyCondition::new()
///     .hash_eq("tournament", "WINTER2024")
///     .hash_eq("region", "NA-EAST")
///     .range(RangeCondition::eq("round", "SEMIFINALS"))
///     .range(RangeCondition::begins_with("bracket", "UP"));
/// key.validate(&index)?;
/// let mut ph = Placeholders::new();
/// assert_eq!(
///     key.render(&mut ph)?,
///     "#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2 AND begins_with(#n3, :v3)"
/// );
///
/// // A range on `round` followed by a condition on `bracket` is refused.
/// let wrong = MultiKeyCondition::new()
///     .hash_eq("tournament", "WINTER2024")
///     .hash_eq("region", "NA-EAST")
///     .range(RangeCondition::gt("round", "QUARTER"))
///     .range(RangeCondition::eq("bracket", "UPPER"));
/// assert!(wrong.validate(&index).is_err());
/// # Ok::<(), dynamo_core::expr::ExprError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MultiKeyCondition {
    hash: Vec<(Path, Value)>,
    range: Vec<RangeCondition>,
}

impl MultiKeyCondition {
    /// No condition yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `key = value` on a partition-key attribute.
    pub fn hash_eq(mut self, key: impl Into<Path>, value: impl ToAttribute) -> Self {
        self.hash.push((key.into(), Value::new(value)));
        self
    }

    /// Adds a condition on a sort-key attribute. They are put in the
    /// index's order before checking and rendering.
    pub fn range(mut self, condition: RangeCondition) -> Self {
        self.range.push(condition);
        self
    }

    /// Checks the condition against `index` (see the type's docs).
    pub fn validate(&self, index: &GlobalIndex) -> Result<(), ExprError> {
        for key in index.hash_attributes() {
            let mut given = self
                .hash
                .iter()
                .filter(|(p, _)| key_name(p).ok() == Some(&key.name));
            let (path, value) = given
                .next()
                .ok_or_else(|| ExprError::MissingHashCondition {
                    hash_key: key.name.clone(),
                })?;
            if given.next().is_some() {
                return Err(ExprError::HashKeyOnlyEquality {
                    name: key.name.clone(),
                });
            }
            check_type(key, value.get(path)?)?;
        }
        for (path, _) in &self.hash {
            let name = key_name(path)?;
            if !index.hash_attributes().any(|k| k.name == name) {
                return Err(if index.range_attributes().any(|k| k.name == name) {
                    ExprError::HashKeyOnlyEquality {
                        name: name.to_owned(),
                    }
                } else {
                    ExprError::NotAKeyAttribute {
                        name: name.to_owned(),
                    }
                });
            }
        }
        let ordered = self.ordered(index)?;
        for (i, (key, condition)) in ordered.iter().enumerate() {
            if let Some(expected) = index.range_attributes().nth(i) {
                if expected.name != key.name {
                    return Err(ExprError::IndexKeyOrder {
                        name: key.name.clone(),
                        reason: format!(
                            "there is no condition on `{}`, which comes before it in the \
                             index's sort key",
                            expected.name
                        ),
                    });
                }
            }
            if i + 1 < ordered.len()
                && !matches!(condition.op, RangeOp::Compare(ref c, _) if c.as_str() == "=")
            {
                return Err(ExprError::IndexKeyOrder {
                    name: ordered[i + 1].0.name.clone(),
                    reason: format!(
                        "`{}` has a condition other than `=`, and only the last sort-key \
                         condition may have one",
                        key.name
                    ),
                });
            }
            if matches!(condition.op, RangeOp::BeginsWith(_)) && key.scalar_type == ScalarType::N {
                return Err(ExprError::OperatorNotAllowed {
                    name: key.name.clone(),
                    operator: "begins_with",
                    key_type: key.scalar_type,
                });
            }
            for value in condition.values() {
                check_type(key, value.get(&condition.path)?)?;
            }
        }
        Ok(())
    }

    /// The sort-key conditions in the index's order, with their attributes.
    fn ordered<'a>(
        &'a self,
        index: &'a GlobalIndex,
    ) -> Result<Vec<(&'a crate::KeyAttribute, &'a RangeCondition)>, ExprError> {
        let mut out = Vec::new();
        for condition in &self.range {
            let name = key_name(&condition.path)?;
            let Some((position, key)) = index
                .range_attributes()
                .enumerate()
                .find(|(_, k)| k.name == name)
            else {
                return Err(if index.hash_attributes().any(|k| k.name == name) {
                    ExprError::HashKeyOnlyEquality {
                        name: name.to_owned(),
                    }
                } else {
                    ExprError::NotAKeyAttribute {
                        name: name.to_owned(),
                    }
                });
            };
            if out.iter().any(|(p, _, _)| *p == position) {
                return Err(ExprError::DuplicateRangeCondition {
                    first: name.to_owned(),
                    second: name.to_owned(),
                });
            }
            out.push((position, key, condition));
        }
        out.sort_by_key(|(p, _, _)| *p);
        Ok(out.into_iter().map(|(_, k, c)| (k, c)).collect())
    }

    /// Renders the condition into `ph` for `KeyConditionExpression`, the
    /// partition-key equalities first, then the sort-key conditions in the
    /// order given. Call [`validate`](MultiKeyCondition::validate) first.
    pub fn render(&self, ph: &mut Placeholders) -> Result<String, ExprError> {
        ph.atomically(|ph| {
            let mut parts = Vec::new();
            for (path, value) in &self.hash {
                let name = path.render(ph);
                parts.push(format!("{name} = {}", value.render(path, ph)?));
            }
            for condition in &self.range {
                parts.push(condition.write(ph)?);
            }
            Ok(parts.join(" AND "))
        })
    }
}
