//! [`AttributeValue`]: one DynamoDB value of any type.

use std::fmt;

use crate::{Attributes, Number};

/// One DynamoDB attribute value.
///
/// Its serde form is exactly DynamoDB's JSON wire shape, so
/// `serde_json::to_string` of a value is what goes in a request:
///
/// ```
/// use dynamo_core::{AttributeValue, Number};
/// let v = AttributeValue::N(Number::from(42));
/// assert_eq!(serde_json::to_string(&v)?, r#"{"N":"42"}"#);
/// let back: AttributeValue = serde_json::from_str(r#"{"B":"aGk="}"#)?;
/// assert_eq!(back, AttributeValue::B(b"hi".to_vec()));
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// Sets compare equal regardless of member order, as DynamoDB treats them.
#[derive(Clone, Debug)]
pub enum AttributeValue {
    /// A string (`S`).
    S(String),
    /// A number (`N`).
    N(Number),
    /// Binary data (`B`), base64 on the wire.
    B(Vec<u8>),
    /// A string set (`SS`): non-empty, no duplicates.
    Ss(Vec<String>),
    /// A number set (`NS`): non-empty, no duplicates.
    Ns(Vec<Number>),
    /// A binary set (`BS`): non-empty, no duplicates.
    Bs(Vec<Vec<u8>>),
    /// A boolean (`BOOL`).
    Bool(bool),
    /// The null value (`NULL`).
    Null,
    /// A list of values of any types (`L`).
    L(Vec<AttributeValue>),
    /// A map from names to values (`M`).
    M(Attributes),
}

/// The type tag of an [`AttributeValue`], as DynamoDB spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttributeType {
    /// `S`
    S,
    /// `N`
    N,
    /// `B`
    B,
    /// `SS`
    Ss,
    /// `NS`
    Ns,
    /// `BS`
    Bs,
    /// `BOOL`
    Bool,
    /// `NULL`
    Null,
    /// `L`
    L,
    /// `M`
    M,
}

impl AttributeType {
    /// DynamoDB's spelling: `"S"`, `"SS"`, `"BOOL"`...
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeType::S => "S",
            AttributeType::N => "N",
            AttributeType::B => "B",
            AttributeType::Ss => "SS",
            AttributeType::Ns => "NS",
            AttributeType::Bs => "BS",
            AttributeType::Bool => "BOOL",
            AttributeType::Null => "NULL",
            AttributeType::L => "L",
            AttributeType::M => "M",
        }
    }

    /// Parses DynamoDB's spelling.
    pub fn from_tag(tag: &str) -> Option<AttributeType> {
        Some(match tag {
            "S" => AttributeType::S,
            "N" => AttributeType::N,
            "B" => AttributeType::B,
            "SS" => AttributeType::Ss,
            "NS" => AttributeType::Ns,
            "BS" => AttributeType::Bs,
            "BOOL" => AttributeType::Bool,
            "NULL" => AttributeType::Null,
            "L" => AttributeType::L,
            "M" => AttributeType::M,
            _ => return None,
        })
    }
}

impl fmt::Display for AttributeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Deepest nesting of lists and maps DynamoDB accepts.
pub const MAX_NESTING_DEPTH: usize = 32;

/// Why a value cannot be stored in DynamoDB as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidValue {
    /// A set with no members.
    EmptySet(AttributeType),
    /// A set that holds the same member twice.
    DuplicateSetMember(AttributeType),
    /// Lists and maps nested deeper than 32 levels.
    TooDeep,
}

impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidValue::EmptySet(t) => write!(f, "a {t} set must not be empty"),
            InvalidValue::DuplicateSetMember(t) => write!(f, "a {t} set must not repeat a member"),
            InvalidValue::TooDeep => write!(
                f,
                "lists and maps may nest at most {MAX_NESTING_DEPTH} levels deep"
            ),
        }
    }
}

impl AttributeValue {
    /// The value's type tag.
    pub fn attribute_type(&self) -> AttributeType {
        match self {
            AttributeValue::S(_) => AttributeType::S,
            AttributeValue::N(_) => AttributeType::N,
            AttributeValue::B(_) => AttributeType::B,
            AttributeValue::Ss(_) => AttributeType::Ss,
            AttributeValue::Ns(_) => AttributeType::Ns,
            AttributeValue::Bs(_) => AttributeType::Bs,
            AttributeValue::Bool(_) => AttributeType::Bool,
            AttributeValue::Null => AttributeType::Null,
            AttributeValue::L(_) => AttributeType::L,
            AttributeValue::M(_) => AttributeType::M,
        }
    }

    /// The string, if this is an `S`.
    pub fn as_s(&self) -> Option<&str> {
        match self {
            AttributeValue::S(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is an `N`.
    pub fn as_n(&self) -> Option<&Number> {
        match self {
            AttributeValue::N(n) => Some(n),
            _ => None,
        }
    }

    /// The bytes, if this is a `B`.
    pub fn as_b(&self) -> Option<&[u8]> {
        match self {
            AttributeValue::B(b) => Some(b),
            _ => None,
        }
    }

    /// The boolean, if this is a `BOOL`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            AttributeValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The list, if this is an `L`.
    pub fn as_l(&self) -> Option<&[AttributeValue]> {
        match self {
            AttributeValue::L(l) => Some(l),
            _ => None,
        }
    }

    /// The map, if this is an `M`.
    pub fn as_m(&self) -> Option<&Attributes> {
        match self {
            AttributeValue::M(m) => Some(m),
            _ => None,
        }
    }

    /// Whether this is `NULL`.
    pub fn is_null(&self) -> bool {
        matches!(self, AttributeValue::Null)
    }

    /// Checks DynamoDB's rules that the type alone does not enforce: sets are
    /// non-empty and free of duplicates, nesting is at most 32 levels.
    ///
    /// ```
    /// use dynamo_core::{AttributeValue, InvalidValue, AttributeType};
    /// let empty = AttributeValue::Ss(vec![]);
    /// assert_eq!(empty.validate(), Err(InvalidValue::EmptySet(AttributeType::Ss)));
    /// ```
    pub fn validate(&self) -> Result<(), InvalidValue> {
        self.validate_at(1)
    }

    fn validate_at(&self, depth: usize) -> Result<(), InvalidValue> {
        fn check_set<T: PartialEq>(
            items: &[T],
            t: AttributeType,
            same: impl Fn(&T, &T) -> bool,
        ) -> Result<(), InvalidValue> {
            if items.is_empty() {
                return Err(InvalidValue::EmptySet(t));
            }
            // Sets are small in practice; a quadratic scan avoids requiring Hash.
            for (i, a) in items.iter().enumerate() {
                if items[i + 1..].iter().any(|b| same(a, b)) {
                    return Err(InvalidValue::DuplicateSetMember(t));
                }
            }
            Ok(())
        }
        match self {
            AttributeValue::Ss(v) => check_set(v, AttributeType::Ss, |a, b| a == b),
            AttributeValue::Ns(v) => check_set(v, AttributeType::Ns, |a, b| a == b),
            AttributeValue::Bs(v) => check_set(v, AttributeType::Bs, |a, b| a == b),
            AttributeValue::L(items) => {
                if depth > MAX_NESTING_DEPTH {
                    return Err(InvalidValue::TooDeep);
                }
                items.iter().try_for_each(|v| v.validate_at(depth + 1))
            }
            AttributeValue::M(map) => {
                if depth > MAX_NESTING_DEPTH {
                    return Err(InvalidValue::TooDeep);
                }
                map.values().try_for_each(|v| v.validate_at(depth + 1))
            }
            _ => Ok(()),
        }
    }

    /// The value's size in bytes as DynamoDB counts it toward the 400 KB item
    /// limit (attribute names are counted by [`Attributes::size`]).
    pub fn size(&self) -> usize {
        match self {
            AttributeValue::S(s) => s.len(),
            AttributeValue::N(n) => number_size(n),
            AttributeValue::B(b) => b.len(),
            AttributeValue::Ss(v) => v.iter().map(String::len).sum(),
            AttributeValue::Ns(v) => v.iter().map(number_size).sum(),
            AttributeValue::Bs(v) => v.iter().map(Vec::len).sum(),
            AttributeValue::Bool(_) | AttributeValue::Null => 1,
            // Lists and maps cost 3 bytes plus 1 byte per element.
            AttributeValue::L(items) => 3 + items.iter().map(|v| v.size() + 1).sum::<usize>(),
            AttributeValue::M(map) => {
                3 + map
                    .iter()
                    .map(|(k, v)| k.len() + v.size() + 1)
                    .sum::<usize>()
            }
        }
    }
}

/// DynamoDB counts about one byte per two significant digits, plus one.
fn number_size(n: &Number) -> usize {
    n.normal_form_digits().div_ceil(2) + 1
}

impl PartialEq for AttributeValue {
    fn eq(&self, other: &Self) -> bool {
        use AttributeValue::*;
        fn same_members<T: PartialEq>(a: &[T], b: &[T]) -> bool {
            a.len() == b.len() && a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x))
        }
        match (self, other) {
            (S(a), S(b)) => a == b,
            (N(a), N(b)) => a == b,
            (B(a), B(b)) => a == b,
            (Ss(a), Ss(b)) => same_members(a, b),
            (Ns(a), Ns(b)) => same_members(a, b),
            (Bs(a), Bs(b)) => same_members(a, b),
            (Bool(a), Bool(b)) => a == b,
            (Null, Null) => true,
            (L(a), L(b)) => a == b,
            (M(a), M(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for AttributeValue {}

impl From<String> for AttributeValue {
    fn from(s: String) -> Self {
        AttributeValue::S(s)
    }
}

impl From<&str> for AttributeValue {
    fn from(s: &str) -> Self {
        AttributeValue::S(s.to_owned())
    }
}

impl From<&String> for AttributeValue {
    fn from(s: &String) -> Self {
        AttributeValue::S(s.clone())
    }
}

impl From<bool> for AttributeValue {
    fn from(b: bool) -> Self {
        AttributeValue::Bool(b)
    }
}

impl From<Number> for AttributeValue {
    fn from(n: Number) -> Self {
        AttributeValue::N(n)
    }
}

impl From<Vec<u8>> for AttributeValue {
    fn from(b: Vec<u8>) -> Self {
        AttributeValue::B(b)
    }
}

impl From<&[u8]> for AttributeValue {
    fn from(b: &[u8]) -> Self {
        AttributeValue::B(b.to_vec())
    }
}

impl From<Vec<AttributeValue>> for AttributeValue {
    fn from(l: Vec<AttributeValue>) -> Self {
        AttributeValue::L(l)
    }
}

impl From<Attributes> for AttributeValue {
    fn from(m: Attributes) -> Self {
        AttributeValue::M(m)
    }
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for AttributeValue {
            fn from(n: $t) -> Self {
                AttributeValue::N(Number::from(n))
            }
        }
    )*};
}

from_integer!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);
