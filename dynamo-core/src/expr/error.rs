//! [`ExprError`]: an expression that cannot be rendered or does not fit the
//! table.

use std::fmt;

use crate::{AttributeType, ConvertError, ScalarType};

/// Why an expression cannot be sent. Every variant that concerns an attribute
/// names it.
///
/// ```
/// use dynamo_core::expr::{attr, Placeholders};
/// let err = attr("score").eq(f64::NAN).render(&mut Placeholders::new()).unwrap_err();
/// assert!(err.to_string().starts_with("value for `score`:"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExprError {
    /// A value given for `path` did not convert to an attribute value (or is
    /// one DynamoDB refuses, like an empty set).
    Convert {
        /// The attribute the value was compared with or assigned to.
        path: String,
        /// The conversion failure.
        source: ConvertError,
    },
    /// A key condition names an attribute that is not a key of the table
    /// (or index) being queried.
    NotAKeyAttribute {
        /// The attribute.
        name: String,
    },
    /// The hash-key condition names another key attribute than the hash key.
    NotHashKey {
        /// The attribute named.
        name: String,
        /// The schema's hash key.
        hash_key: String,
    },
    /// The range-key condition names another attribute than the range key.
    NotRangeKey {
        /// The attribute named.
        name: String,
        /// The schema's range key; `None` when the schema has none.
        range_key: Option<String>,
    },
    /// An operator DynamoDB does not allow on a key of this type
    /// (`begins_with` on a number).
    OperatorNotAllowed {
        /// The key attribute.
        name: String,
        /// The operator, e.g. `"begins_with"`.
        operator: &'static str,
        /// The key's type.
        key_type: ScalarType,
    },
    /// A key condition value whose type is not the key's type.
    KeyTypeMismatch {
        /// The key attribute.
        name: String,
        /// The key's type in the schema.
        expected: ScalarType,
        /// The type of the value given.
        found: AttributeType,
    },
    /// A second range-key condition (DynamoDB allows one).
    DuplicateRangeCondition {
        /// The attribute of the first range condition.
        first: String,
        /// The attribute of the second one.
        second: String,
    },
    /// `IN` with no values or more than 100.
    InListSize {
        /// The attribute tested.
        path: String,
        /// How many values were given.
        count: usize,
    },
    /// An update operand of the wrong type (`ADD` of a string, `DELETE` of a
    /// non-set, an increment by a non-number).
    InvalidOperand {
        /// The attribute updated.
        path: String,
        /// The action, e.g. `"ADD"`.
        action: &'static str,
        /// What the action accepts, e.g. `"a number or a set"`.
        expected: &'static str,
        /// The type given.
        found: AttributeType,
    },
    /// Two actions of one update touch the same or overlapping paths, which
    /// DynamoDB rejects.
    OverlappingPaths {
        /// The first path.
        first: String,
        /// The path that overlaps it.
        second: String,
    },
    /// An update with no action.
    EmptyUpdate,
    /// A key condition without an equality condition on the hash key.
    MissingHashCondition {
        /// The schema's hash key.
        hash_key: String,
    },
    /// A second condition on the hash key, or one that is not equality.
    HashKeyOnlyEquality {
        /// The hash key.
        name: String,
    },
    /// A query of a multi-attribute index key that DynamoDB would refuse:
    /// sort-key conditions out of order, after a gap, or after a condition
    /// other than `=`.
    IndexKeyOrder {
        /// The sort-key attribute whose condition is out of place.
        name: String,
        /// What the rule is, in words.
        reason: String,
    },
}

/// Most values an `IN` list may hold.
pub const MAX_IN_VALUES: usize = 100;

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExprError::Convert { path, source } => write!(f, "value for `{path}`: {source}"),
            ExprError::NotAKeyAttribute { name } => write!(
                f,
                "`{name}` is not a key attribute; key conditions may only name the hash and range keys"
            ),
            ExprError::MissingHashCondition { hash_key } => write!(
                f,
                "a key condition needs equality on the hash key `{hash_key}`"
            ),
            ExprError::IndexKeyOrder { name, reason } => {
                write!(f, "the condition on `{name}` is out of place: {reason}")
            }
            ExprError::HashKeyOnlyEquality { name } => write!(
                f,
                "`{name}` is the hash key: DynamoDB allows only equality on it, once"
            ),
            ExprError::NotHashKey { name, hash_key } => write!(
                f,
                "the hash key condition names `{name}`, but the hash key is `{hash_key}`"
            ),
            ExprError::NotRangeKey {
                name,
                range_key: Some(range_key),
            } => write!(
                f,
                "the range key condition names `{name}`, but the range key is `{range_key}`"
            ),
            ExprError::NotRangeKey {
                name,
                range_key: None,
            } => write!(
                f,
                "the range key condition names `{name}`, but the key has no range key"
            ),
            ExprError::OperatorNotAllowed {
                name,
                operator,
                key_type,
            } => write!(
                f,
                "{operator} is not allowed on key `{name}` of type {key_type}"
            ),
            ExprError::KeyTypeMismatch {
                name,
                expected,
                found,
            } => write!(
                f,
                "key `{name}` is of type {expected}, but the condition compares it with {found}"
            ),
            ExprError::DuplicateRangeCondition { first, second } => write!(
                f,
                "a key condition allows one range condition, found one on `{first}` and another on `{second}`"
            ),
            ExprError::InListSize { path, count } => write!(
                f,
                "IN on `{path}` needs 1 to {MAX_IN_VALUES} values, found {count}"
            ),
            ExprError::InvalidOperand {
                path,
                action,
                expected,
                found,
            } => write!(f, "{action} on `{path}` needs {expected}, found {found}"),
            ExprError::OverlappingPaths { first, second } => write!(
                f,
                "update paths `{first}` and `{second}` overlap; DynamoDB allows one action per path"
            ),
            ExprError::EmptyUpdate => f.write_str("an update expression needs at least one action"),
        }
    }
}

/// `source()` passes on the inner error's own source: `Display` already
/// printed the inner error, and an error chain should print it once.
impl std::error::Error for ExprError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExprError::Convert { source, .. } => source.source(),
            _ => None,
        }
    }
}
