//! [`ConvertError`]: a value that does not convert, and where it sits.

use std::fmt;

use crate::{AttributeType, InvalidValue, NumberError};

/// A conversion between a Rust value and an attribute value that failed.
///
/// It names where the value sits (`address.lines[2]`), the struct being
/// decoded when there is one, and what was expected versus found:
///
/// ```
/// use dynamo_core::{item, FromAttribute};
/// let err = item! { "age" => "forty" }.get_as::<u8>("age").unwrap_err();
/// assert_eq!(err.to_string(), "attribute `age`: expected N, found S");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertError {
    path: Vec<PathSegment>,
    type_name: Option<&'static str>,
    kind: ConvertErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PathSegment {
    Field(String),
    Index(usize),
}

/// What went wrong in a [`ConvertError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConvertErrorKind {
    /// The attribute holds another type than the Rust type needs.
    TypeMismatch {
        /// What the Rust type needs, e.g. `"N"` or `"SS"`.
        expected: &'static str,
        /// What the attribute holds.
        found: AttributeType,
    },
    /// A required attribute is absent.
    Missing,
    /// A number that is not valid or does not fit.
    Number(NumberError),
    /// A value DynamoDB would refuse (empty set, duplicate members...).
    Invalid(InvalidValue),
    /// Any other unacceptable value, described in words (a bad timestamp,
    /// an unknown enum variant...).
    Other(String),
    /// A composed key attribute whose text does not follow its key template
    /// (`#[dynamo(key(..., store_fields = false))]` reads the fields back
    /// from it).
    KeyTemplateMismatch(Box<KeyTemplateMismatch>),
}

/// A stored key that does not follow its key template
/// ([`ConvertErrorKind::KeyTemplateMismatch`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct KeyTemplateMismatch {
    /// The template, as written on the struct.
    pub template: String,
    /// The stored key text.
    pub key: String,
    /// What did not match.
    pub reason: String,
}

impl ConvertError {
    fn new(kind: ConvertErrorKind) -> Self {
        ConvertError {
            path: Vec::new(),
            type_name: None,
            kind,
        }
    }

    /// The attribute holds `found` where `expected` was needed.
    pub fn type_mismatch(expected: &'static str, found: AttributeType) -> Self {
        Self::new(ConvertErrorKind::TypeMismatch { expected, found })
    }

    /// A required attribute is absent.
    pub fn missing() -> Self {
        Self::new(ConvertErrorKind::Missing)
    }

    /// Any other unacceptable value.
    pub fn other(message: impl Into<String>) -> Self {
        Self::new(ConvertErrorKind::Other(message.into()))
    }

    /// A stored key `key` that does not follow `template`.
    pub fn key_template_mismatch(
        template: impl Into<String>,
        key: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self::new(ConvertErrorKind::KeyTemplateMismatch(Box::new(
            KeyTemplateMismatch {
                template: template.into(),
                key: key.into(),
                reason: reason.into(),
            },
        )))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ConvertErrorKind {
        &self.kind
    }

    /// The attribute path, e.g. `address.lines[2]` (empty at the top level).
    pub fn path(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                PathSegment::Field(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                PathSegment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// The error happened inside the attribute `name`.
    pub fn in_field(mut self, name: &str) -> Self {
        self.path.insert(0, PathSegment::Field(name.to_owned()));
        self
    }

    /// The error happened at position `index` of a list.
    pub fn in_index(mut self, index: usize) -> Self {
        self.path.insert(0, PathSegment::Index(index));
        self
    }

    /// The error happened while converting the Rust type `name` (the
    /// innermost one is kept, as it is the most precise).
    pub fn in_type(mut self, name: &'static str) -> Self {
        if self.type_name.is_none() {
            self.type_name = Some(name);
        }
        self
    }

    /// The Rust type being converted, when known.
    pub fn type_name(&self) -> Option<&'static str> {
        self.type_name
    }
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(name) = self.type_name {
            write!(f, "converting `{name}`: ")?;
        }
        if !self.path.is_empty() {
            write!(f, "attribute `{}`: ", self.path())?;
        }
        match &self.kind {
            ConvertErrorKind::TypeMismatch { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            ConvertErrorKind::Missing => f.write_str("required attribute is missing"),
            ConvertErrorKind::Number(e) => e.fmt(f),
            ConvertErrorKind::Invalid(e) => e.fmt(f),
            ConvertErrorKind::Other(m) => f.write_str(m),
            ConvertErrorKind::KeyTemplateMismatch(m) => write!(
                f,
                "key `{}` does not follow the key template `{}`: {}",
                m.key, m.template, m.reason
            ),
        }
    }
}

/// `source()` passes on the inner error's own source: `Display` already
/// printed the inner error, and an error chain should print it once.
impl std::error::Error for ConvertError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ConvertErrorKind::Number(e) => e.source(),
            _ => None,
        }
    }
}

impl From<NumberError> for ConvertError {
    fn from(e: NumberError) -> Self {
        Self::new(ConvertErrorKind::Number(e))
    }
}

impl From<std::convert::Infallible> for ConvertError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

impl From<InvalidValue> for ConvertError {
    fn from(e: InvalidValue) -> Self {
        Self::new(ConvertErrorKind::Invalid(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_type_path_and_mismatch() {
        let e = ConvertError::type_mismatch("SS", AttributeType::N)
            .in_index(2)
            .in_field("lines")
            .in_field("address")
            .in_type("User");
        assert_eq!(
            e.to_string(),
            "converting `User`: attribute `address.lines[2]`: expected SS, found N"
        );
    }
}
