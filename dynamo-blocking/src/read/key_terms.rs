//! Key conditions given one at a time (`key_eq`, `key_begins_with`...) and
//! resolved against the key schema of the table or index being queried.

use dynamo_core::expr::{ExprError, KeyCondition, MultiKeyCondition, RangeCondition};
use dynamo_core::{AttributeValue, GlobalIndex, KeySchema, SecondaryIndex};

use crate::{Error, TableMeta};

/// A key comparison DynamoDB allows: `=` on the hash key; `=`, `<`, `<=`,
/// `>`, `>=`, `begins_with` or `BETWEEN` on the range key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyOp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
    BeginsWith,
    Between,
}

/// One key condition as given.
#[derive(Clone, Debug)]
pub(crate) struct KeyTerm {
    pub name: String,
    pub op: KeyOp,
    /// One value, or two for `Between`.
    pub values: Vec<AttributeValue>,
}

impl KeyTerm {
    fn range_condition(&self) -> RangeCondition {
        let name = self.name.as_str();
        let v = self.values[0].clone();
        match self.op {
            KeyOp::Eq => RangeCondition::eq(name, v),
            KeyOp::Lt => RangeCondition::lt(name, v),
            KeyOp::Le => RangeCondition::le(name, v),
            KeyOp::Gt => RangeCondition::gt(name, v),
            KeyOp::Ge => RangeCondition::ge(name, v),
            KeyOp::BeginsWith => RangeCondition::begins_with(name, v),
            KeyOp::Between => RangeCondition::between(name, v, self.values[1].clone()),
        }
    }
}

/// Turns the terms into one key condition for `schema`. The first equality
/// on the hash key is the hash condition; every other term is a range
/// condition, so that [`KeyCondition::validate`] (the one place key
/// conditions are checked) explains what DynamoDB would refuse: a second or
/// non-equality hash condition, a non-key attribute, two range conditions.
pub(crate) fn key_condition(terms: &[KeyTerm], schema: &KeySchema) -> Result<KeyCondition, Error> {
    let hash = &schema.hash.name;
    let is_hash_eq = |t: &&KeyTerm| &t.name == hash && t.op == KeyOp::Eq;
    let hash_term = terms.iter().find(is_hash_eq).ok_or_else(|| {
        if terms.iter().any(|t| &t.name == hash) {
            ExprError::HashKeyOnlyEquality { name: hash.clone() }
        } else {
            ExprError::MissingHashCondition {
                hash_key: hash.clone(),
            }
        }
    })?;
    let mut condition = KeyCondition::hash_eq(hash.as_str(), hash_term.values[0].clone());
    for term in terms.iter().filter(|t| !std::ptr::eq(*t, hash_term)) {
        condition = condition.range(term.range_condition());
    }
    condition.validate(schema)?;
    Ok(condition)
}

/// The global index `index` when its key has several partition-key or
/// sort-key attributes.
pub(crate) fn multi_attribute_index<'a>(
    meta: &'a TableMeta,
    index: Option<&str>,
) -> Option<&'a GlobalIndex> {
    meta.indexes.iter().find_map(|i| match i {
        SecondaryIndex::Global(g)
            if Some(g.name.as_str()) == index
                && (!g.more_hash.is_empty() || !g.more_range.is_empty()) =>
        {
            Some(g)
        }
        _ => None,
    })
}

/// Turns the terms into the key condition of a multi-attribute index:
/// equalities on its partition-key attributes, every other term a sort-key
/// condition, checked by [`MultiKeyCondition::validate`].
pub(crate) fn multi_key_condition(
    terms: &[KeyTerm],
    index: &GlobalIndex,
) -> Result<MultiKeyCondition, Error> {
    let mut condition = MultiKeyCondition::new();
    for term in terms {
        let is_hash = index.hash_attributes().any(|k| k.name == term.name);
        condition = if is_hash && term.op == KeyOp::Eq {
            condition.hash_eq(term.name.as_str(), term.values[0].clone())
        } else {
            condition.range(term.range_condition())
        };
    }
    condition.validate(index)?;
    Ok(condition)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynamo_core::ScalarType;

    fn term(name: &str, op: KeyOp, v: impl Into<AttributeValue>) -> KeyTerm {
        KeyTerm {
            name: name.into(),
            op,
            values: vec![v.into()],
        }
    }

    fn schema() -> KeySchema {
        KeySchema::hash_range(
            ("account_type", ScalarType::S),
            ("date_joined", ScalarType::N),
        )
    }

    #[test]
    fn hash_and_range_terms_resolve_in_any_order() {
        let terms = [
            term("date_joined", KeyOp::Ge, 5),
            term("account_type", KeyOp::Eq, "std"),
        ];
        let kc = key_condition(&terms, &schema()).unwrap();
        assert_eq!(
            kc.range_attribute().map(|p| p.attribute()),
            Some("date_joined")
        );
    }

    #[test]
    fn refusals_name_the_problem() {
        let msg = |terms: &[KeyTerm]| key_condition(terms, &schema()).unwrap_err().to_string();
        assert!(msg(&[term("date_joined", KeyOp::Eq, 1)])
            .contains("needs equality on the hash key `account_type`"));
        assert!(msg(&[term("account_type", KeyOp::Gt, "a")]).contains("only equality"));
        assert!(msg(&[
            term("account_type", KeyOp::Eq, "a"),
            term("account_type", KeyOp::Eq, "b"),
        ])
        .contains("only equality on it, once"));
        let e = msg(&[
            term("account_type", KeyOp::Eq, "a"),
            term("email", KeyOp::Eq, "x"),
        ]);
        assert!(e.contains("email"), "{e}");
        let e = msg(&[
            term("account_type", KeyOp::Eq, "a"),
            term("date_joined", KeyOp::BeginsWith, 1),
        ]);
        assert!(e.contains("begins_with"), "{e}");
        let e = msg(&[term("account_type", KeyOp::Eq, 5)]);
        assert!(e.contains("account_type"), "{e}");
        let e = msg(&[
            term("account_type", KeyOp::Eq, "a"),
            term("date_joined", KeyOp::Gt, 1),
            term("date_joined", KeyOp::Lt, 9),
        ]);
        assert!(e.contains("date_joined"), "{e}");
    }
}
