//! [`KeyCondition`]: the key condition of a Query.

use crate::expr::operand::{Comparator, Value};
use crate::expr::{ExprError, Path, Placeholders};
use crate::{AttributeValue, KeyAttribute, KeySchema, ScalarType, ToAttribute};

/// The key condition of a Query: the hash key equal to a value, optionally
/// with one condition on the range key (`=`, `<`, `<=`, `>`, `>=`,
/// `begins_with` or `BETWEEN`, the only ones DynamoDB allows on keys).
///
/// ```
/// use dynamo_core::expr::{KeyCondition, Placeholders};
/// use dynamo_core::{KeySchema, ScalarType};
///
/// let schema = KeySchema::hash_range(("account_type", ScalarType::S), ("last_name", ScalarType::S));
/// let key = KeyCondition::hash_eq("account_type", "standard_user")
///     .range_begins_with("last_name", "D");
/// key.validate(&schema)?;
///
/// let mut ph = Placeholders::new();
/// assert_eq!(key.render(&mut ph)?, "#n0 = :v0 AND begins_with(#n1, :v1)");
///
/// // Checked against the schema before any request:
/// let bad = KeyCondition::hash_eq("account_type", "standard_user").range_gt("age", 30);
/// assert_eq!(
///     bad.validate(&schema).unwrap_err().to_string(),
///     "`age` is not a key attribute; key conditions may only name the hash and range keys"
/// );
/// # Ok::<(), dynamo_core::expr::ExprError>(())
/// ```
///
/// Only one range condition fits: a second one is reported by
/// [`validate`](KeyCondition::validate) and [`render`](KeyCondition::render)
/// as [`ExprError::DuplicateRangeCondition`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyCondition {
    hash: Path,
    hash_value: Value,
    range: Option<RangeCondition>,
    /// The attribute of a second range condition, which is an error.
    extra_range: Option<Path>,
}

/// The condition on the range key of a [`KeyCondition`].
///
/// ```
/// use dynamo_core::expr::{KeyCondition, RangeCondition};
/// let key = KeyCondition::hash_eq("forum", "rust").range(RangeCondition::between("posted", 10, 20));
/// assert_eq!(key.range_attribute().unwrap().to_string(), "posted");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeCondition {
    pub(super) path: Path,
    pub(super) op: RangeOp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum RangeOp {
    Compare(Comparator, Value),
    BeginsWith(Value),
    Between(Value, Value),
}

impl RangeCondition {
    fn compare(key: impl Into<Path>, op: Comparator, value: impl ToAttribute) -> Self {
        RangeCondition {
            path: key.into(),
            op: RangeOp::Compare(op, Value::new(value)),
        }
    }

    /// `key = value`.
    pub fn eq(key: impl Into<Path>, value: impl ToAttribute) -> Self {
        Self::compare(key, Comparator::Eq, value)
    }

    /// `key < value`.
    pub fn lt(key: impl Into<Path>, value: impl ToAttribute) -> Self {
        Self::compare(key, Comparator::Lt, value)
    }

    /// `key <= value`.
    pub fn le(key: impl Into<Path>, value: impl ToAttribute) -> Self {
        Self::compare(key, Comparator::Le, value)
    }

    /// `key > value`.
    pub fn gt(key: impl Into<Path>, value: impl ToAttribute) -> Self {
        Self::compare(key, Comparator::Gt, value)
    }

    /// `key >= value`.
    pub fn ge(key: impl Into<Path>, value: impl ToAttribute) -> Self {
        Self::compare(key, Comparator::Ge, value)
    }

    /// `begins_with(key, prefix)`; string and binary keys only.
    pub fn begins_with(key: impl Into<Path>, prefix: impl ToAttribute) -> Self {
        RangeCondition {
            path: key.into(),
            op: RangeOp::BeginsWith(Value::new(prefix)),
        }
    }

    /// `key BETWEEN low AND high` (both included).
    pub fn between(key: impl Into<Path>, low: impl ToAttribute, high: impl ToAttribute) -> Self {
        RangeCondition {
            path: key.into(),
            op: RangeOp::Between(Value::new(low), Value::new(high)),
        }
    }

    /// The range key attribute named.
    pub fn attribute(&self) -> &Path {
        &self.path
    }

    pub(super) fn values(&self) -> Vec<&Value> {
        match &self.op {
            RangeOp::Compare(_, v) | RangeOp::BeginsWith(v) => vec![v],
            RangeOp::Between(lo, hi) => vec![lo, hi],
        }
    }

    pub(super) fn write(&self, ph: &mut Placeholders) -> Result<String, ExprError> {
        let p = self.path.render(ph);
        Ok(match &self.op {
            RangeOp::Compare(op, v) => format!("{p} {} {}", op.as_str(), v.render(&self.path, ph)?),
            RangeOp::BeginsWith(v) => format!("begins_with({p}, {})", v.render(&self.path, ph)?),
            RangeOp::Between(lo, hi) => {
                let lo = lo.render(&self.path, ph)?;
                let hi = hi.render(&self.path, ph)?;
                format!("{p} BETWEEN {lo} AND {hi}")
            }
        })
    }
}

impl KeyCondition {
    /// The hash key `key` equal to `value`.
    pub fn hash_eq(key: impl Into<Path>, value: impl ToAttribute) -> Self {
        KeyCondition {
            hash: key.into(),
            hash_value: Value::new(value),
            range: None,
            extra_range: None,
        }
    }

    /// Adds the range key condition. A second one is kept aside and reported
    /// as [`ExprError::DuplicateRangeCondition`].
    pub fn range(mut self, condition: RangeCondition) -> Self {
        if self.range.is_none() {
            self.range = Some(condition);
        } else if self.extra_range.is_none() {
            self.extra_range = Some(condition.path);
        }
        self
    }

    /// Range key `key = value`.
    pub fn range_eq(self, key: impl Into<Path>, value: impl ToAttribute) -> Self {
        self.range(RangeCondition::eq(key, value))
    }

    /// Range key `key < value`.
    pub fn range_lt(self, key: impl Into<Path>, value: impl ToAttribute) -> Self {
        self.range(RangeCondition::lt(key, value))
    }

    /// Range key `key <= value`.
    pub fn range_le(self, key: impl Into<Path>, value: impl ToAttribute) -> Self {
        self.range(RangeCondition::le(key, value))
    }

    /// Range key `key > value`.
    pub fn range_gt(self, key: impl Into<Path>, value: impl ToAttribute) -> Self {
        self.range(RangeCondition::gt(key, value))
    }

    /// Range key `key >= value`.
    pub fn range_ge(self, key: impl Into<Path>, value: impl ToAttribute) -> Self {
        self.range(RangeCondition::ge(key, value))
    }

    /// Range key `begins_with(key, prefix)`; string and binary keys only.
    pub fn range_begins_with(self, key: impl Into<Path>, prefix: impl ToAttribute) -> Self {
        self.range(RangeCondition::begins_with(key, prefix))
    }

    /// Range key `key BETWEEN low AND high` (both included).
    pub fn range_between(
        self,
        key: impl Into<Path>,
        low: impl ToAttribute,
        high: impl ToAttribute,
    ) -> Self {
        self.range(RangeCondition::between(key, low, high))
    }

    /// The hash key attribute named.
    pub fn hash_attribute(&self) -> &Path {
        &self.hash
    }

    /// The range key attribute named, if there is a range condition.
    pub fn range_attribute(&self) -> Option<&Path> {
        self.range.as_ref().map(RangeCondition::attribute)
    }

    /// Checks the condition against the key schema of the table, or of the
    /// index being queried: the hash condition names the hash key, the range
    /// condition the range key, values have the key's type, and
    /// `begins_with` is not used on a number key.
    pub fn validate(&self, schema: &KeySchema) -> Result<(), ExprError> {
        self.check_duplicate()?;

        let hash_name = key_name(&self.hash)?;
        if hash_name != schema.hash.name {
            return Err(if schema.is_key(hash_name) {
                ExprError::NotHashKey {
                    name: hash_name.to_owned(),
                    hash_key: schema.hash.name.clone(),
                }
            } else {
                ExprError::NotAKeyAttribute {
                    name: hash_name.to_owned(),
                }
            });
        }
        check_type(&schema.hash, self.hash_value.get(&self.hash)?)?;

        let Some(range) = &self.range else {
            return Ok(());
        };
        let range_name = key_name(&range.path)?;
        if range_name == schema.hash.name {
            return Err(ExprError::HashKeyOnlyEquality {
                name: range_name.to_owned(),
            });
        }
        let key = match &schema.range {
            Some(key) if key.name == range_name => key,
            other => {
                return Err(if schema.is_key(range_name) || other.is_none() {
                    ExprError::NotRangeKey {
                        name: range_name.to_owned(),
                        range_key: other.as_ref().map(|k| k.name.clone()),
                    }
                } else {
                    ExprError::NotAKeyAttribute {
                        name: range_name.to_owned(),
                    }
                })
            }
        };
        if matches!(range.op, RangeOp::BeginsWith(_)) && key.scalar_type == ScalarType::N {
            return Err(ExprError::OperatorNotAllowed {
                name: key.name.clone(),
                operator: "begins_with",
                key_type: key.scalar_type,
            });
        }
        for value in range.values() {
            check_type(key, value.get(&range.path)?)?;
        }
        Ok(())
    }

    /// Renders the condition into `ph` (for `KeyConditionExpression`):
    /// `#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2`. Checks values and duplicates
    /// but not the schema: call [`validate`](KeyCondition::validate) first.
    /// On error nothing is allocated.
    pub fn render(&self, ph: &mut Placeholders) -> Result<String, ExprError> {
        self.check_duplicate()?;
        ph.atomically(|ph| {
            let hash = self.hash.render(ph);
            let value = self.hash_value.render(&self.hash, ph)?;
            let mut out = format!("{hash} = {value}");
            if let Some(range) = &self.range {
                out.push_str(" AND ");
                out.push_str(&range.write(ph)?);
            }
            Ok(out)
        })
    }

    fn check_duplicate(&self) -> Result<(), ExprError> {
        match (&self.range, &self.extra_range) {
            (Some(first), Some(second)) => Err(ExprError::DuplicateRangeCondition {
                first: first.path.to_string(),
                second: second.to_string(),
            }),
            _ => Ok(()),
        }
    }
}

/// A key condition names top-level attributes only.
pub(super) fn key_name(path: &Path) -> Result<&str, ExprError> {
    path.as_top_level()
        .ok_or_else(|| ExprError::NotAKeyAttribute {
            name: path.to_string(),
        })
}

pub(super) fn check_type(key: &KeyAttribute, value: &AttributeValue) -> Result<(), ExprError> {
    let found = value.attribute_type();
    if found == key.scalar_type.attribute_type() {
        Ok(())
    } else {
        Err(ExprError::KeyTypeMismatch {
            name: key.name.clone(),
            expected: key.scalar_type,
            found,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{attr, Field};
    use crate::{item, AttributeType};

    fn users() -> KeySchema {
        KeySchema::hash_range(
            ("account_type", ScalarType::S),
            ("last_name", ScalarType::S),
        )
    }

    fn events() -> KeySchema {
        KeySchema::hash_range(("device", ScalarType::S), ("at", ScalarType::N))
    }

    fn rendered(k: &KeyCondition) -> (String, crate::Attributes) {
        let mut ph = Placeholders::new();
        let s = k.render(&mut ph).unwrap();
        (s, ph.into_parts().1.unwrap())
    }

    #[test]
    fn renders_every_range_operator() {
        let base = || KeyCondition::hash_eq("device", "d1");
        let cases = [
            (base().range_eq("at", 5), "#n0 = :v0 AND #n1 = :v1"),
            (base().range_lt("at", 5), "#n0 = :v0 AND #n1 < :v1"),
            (base().range_le("at", 5), "#n0 = :v0 AND #n1 <= :v1"),
            (base().range_gt("at", 5), "#n0 = :v0 AND #n1 > :v1"),
            (base().range_ge("at", 5), "#n0 = :v0 AND #n1 >= :v1"),
        ];
        for (k, expected) in cases {
            k.validate(&events()).unwrap();
            let (s, values) = rendered(&k);
            assert_eq!(s, expected);
            assert_eq!(values, item! { ":v0" => "d1", ":v1" => 5 });
        }
        let k = base().range_between("at", 1, 9);
        k.validate(&events()).unwrap();
        let (s, values) = rendered(&k);
        assert_eq!(s, "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
        assert_eq!(values, item! { ":v0" => "d1", ":v1" => 1, ":v2" => 9 });

        let k = base();
        k.validate(&events()).unwrap();
        assert_eq!(rendered(&k).0, "#n0 = :v0");
    }

    #[test]
    fn begins_with_on_strings_only() {
        let k = KeyCondition::hash_eq("account_type", "standard_user")
            .range_begins_with("last_name", "D");
        k.validate(&users()).unwrap();
        let (s, values) = rendered(&k);
        assert_eq!(s, "#n0 = :v0 AND begins_with(#n1, :v1)");
        assert_eq!(values, item! { ":v0" => "standard_user", ":v1" => "D" });

        let err = KeyCondition::hash_eq("device", "d1")
            .range_begins_with("at", "1")
            .validate(&events())
            .unwrap_err();
        assert_eq!(
            err,
            ExprError::OperatorNotAllowed {
                name: "at".into(),
                operator: "begins_with",
                key_type: ScalarType::N
            }
        );
        assert_eq!(
            err.to_string(),
            "begins_with is not allowed on key `at` of type N"
        );

        let binary = KeySchema::hash_range(("h", ScalarType::S), ("r", ScalarType::B));
        KeyCondition::hash_eq("h", "x")
            .range_begins_with("r", vec![1u8])
            .validate(&binary)
            .unwrap();
    }

    #[test]
    fn wrong_and_non_key_attributes() {
        let err = KeyCondition::hash_eq("last_name", "Doe")
            .validate(&users())
            .unwrap_err();
        assert_eq!(
            err,
            ExprError::NotHashKey {
                name: "last_name".into(),
                hash_key: "account_type".into()
            }
        );
        assert!(err.to_string().contains("`last_name`"));

        let err = KeyCondition::hash_eq("email", "x")
            .validate(&users())
            .unwrap_err();
        assert_eq!(
            err,
            ExprError::NotAKeyAttribute {
                name: "email".into()
            }
        );

        let err = KeyCondition::hash_eq("account_type", "a")
            .range_eq("account_type", "b")
            .validate(&users())
            .unwrap_err();
        assert_eq!(
            err,
            ExprError::HashKeyOnlyEquality {
                name: "account_type".into()
            }
        );

        let err = KeyCondition::hash_eq("account_type", "a")
            .range_gt("age", 3)
            .validate(&users())
            .unwrap_err();
        assert_eq!(err, ExprError::NotAKeyAttribute { name: "age".into() });

        let hash_only = KeySchema::hash(("username", ScalarType::S));
        let err = KeyCondition::hash_eq("username", "a")
            .range_eq("last_name", "b")
            .validate(&hash_only)
            .unwrap_err();
        assert_eq!(
            err,
            ExprError::NotRangeKey {
                name: "last_name".into(),
                range_key: None
            }
        );
        assert!(err.to_string().contains("no range key"), "{err}");

        let err = KeyCondition::hash_eq(attr("account_type").field("x"), "a")
            .validate(&users())
            .unwrap_err();
        assert_eq!(
            err,
            ExprError::NotAKeyAttribute {
                name: "account_type.x".into()
            }
        );
    }

    #[test]
    fn value_types_must_match_the_key() {
        let err = KeyCondition::hash_eq("account_type", 7)
            .validate(&users())
            .unwrap_err();
        assert_eq!(
            err,
            ExprError::KeyTypeMismatch {
                name: "account_type".into(),
                expected: ScalarType::S,
                found: AttributeType::N
            }
        );
        assert_eq!(
            err.to_string(),
            "key `account_type` is of type S, but the condition compares it with N"
        );

        let err = KeyCondition::hash_eq("device", "d")
            .range_between("at", 1, "9")
            .validate(&events())
            .unwrap_err();
        assert!(matches!(err, ExprError::KeyTypeMismatch { ref name, .. } if name == "at"));

        let err = KeyCondition::hash_eq("device", "d")
            .range_gt("at", f64::NAN)
            .validate(&events())
            .unwrap_err();
        assert!(matches!(err, ExprError::Convert { ref path, .. } if path == "at"));
        assert!(KeyCondition::hash_eq("device", "d")
            .range_gt("at", f64::NAN)
            .render(&mut Placeholders::new())
            .is_err());
    }

    #[test]
    fn two_range_conditions_are_caught() {
        let k = KeyCondition::hash_eq("device", "d")
            .range_gt("at", 1)
            .range_lt("at", 9);
        let expected = ExprError::DuplicateRangeCondition {
            first: "at".into(),
            second: "at".into(),
        };
        assert_eq!(k.validate(&events()), Err(expected.clone()));
        let mut ph = Placeholders::new();
        assert_eq!(k.render(&mut ph), Err(expected));
        assert!(ph.is_empty());
    }

    #[test]
    fn typed_fields_name_keys() {
        const DEVICE: Field<String> = Field::new("device");
        const AT: Field<u64> = Field::new("at");
        let k = KeyCondition::hash_eq(DEVICE, "d").range_ge(AT, 3u64);
        k.validate(&events()).unwrap();
        assert_eq!(k.hash_attribute().to_string(), "device");
        assert_eq!(
            k.range_attribute().map(Path::to_string).as_deref(),
            Some("at")
        );
    }
}
