//! [`Path`]: an attribute, or a place inside one, as expressions name it.

use std::fmt;

use crate::expr::operand::{Operand, Subject};
use crate::expr::Placeholders;

/// An attribute path: a top-level attribute name, optionally followed by map
/// keys ([`field`](Path::field)) and list positions ([`index`](Path::index)).
///
/// Each name is rendered through a `#` placeholder, so it is taken literally:
/// `attr("a.b")` is the attribute called `a.b`, while
/// `attr("a").field("b")` is the key `b` of the map `a`.
///
/// ```
/// use dynamo_core::expr::{attr, Placeholders};
/// let mut ph = Placeholders::new();
/// assert_eq!(attr("address").field("city").render(&mut ph), "#n0.#n1");
/// assert_eq!(attr("tags").index(0).render(&mut ph), "#n2[0]");
/// assert_eq!(attr("first.last").render(&mut ph), "#n3");
/// assert_eq!(ph.names()["#n3"], "first.last");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Path {
    /// The top-level attribute name.
    name: String,
    /// Map keys and list positions below it.
    rest: Vec<Segment>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Segment {
    Field(String),
    Index(usize),
}

/// The top-level attribute `name`, taken literally (a dot is part of the
/// name, not a path separator).
///
/// ```
/// use dynamo_core::expr::{attr, Placeholders};
/// let mut ph = Placeholders::new();
/// let c = attr("status").eq("active").and(attr("age").ge(18));
/// assert_eq!(c.render(&mut ph)?, "#n0 = :v0 AND #n1 >= :v1");
/// assert_eq!(ph.names()["#n0"], "status");
/// # Ok::<(), dynamo_core::expr::ExprError>(())
/// ```
pub fn attr(name: impl Into<String>) -> Path {
    Path {
        name: name.into(),
        rest: Vec::new(),
    }
}

impl Path {
    /// The key `name` of the map at this path.
    pub fn field(mut self, name: impl Into<String>) -> Path {
        self.rest.push(Segment::Field(name.into()));
        self
    }

    /// The element at `index` of the list at this path.
    pub fn index(mut self, index: usize) -> Path {
        self.rest.push(Segment::Index(index));
        self
    }

    /// The top-level attribute this path starts from.
    pub fn attribute(&self) -> &str {
        &self.name
    }

    /// The attribute name when the path is a top-level attribute alone.
    pub fn as_top_level(&self) -> Option<&str> {
        self.rest.is_empty().then_some(self.name.as_str())
    }

    /// The path as an expression, every name through a placeholder:
    /// `#n0.#n1[2]`.
    pub fn render(&self, ph: &mut Placeholders) -> String {
        let mut out = ph.name(&self.name);
        for seg in &self.rest {
            match seg {
                Segment::Field(name) => {
                    out.push('.');
                    out.push_str(&ph.name(name));
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// Whether one path is the other or lies inside it (`a` and `a.b`), which
    /// DynamoDB refuses within one update or projection.
    pub(crate) fn overlaps(&self, other: &Path) -> bool {
        self.name == other.name && self.rest.iter().zip(&other.rest).all(|(a, b)| a == b)
    }

    comparison_methods!();
    path_methods!();
}

impl Subject for Path {
    fn into_operand(self) -> Operand {
        Operand::Path(self)
    }
}

/// For messages: `address.city`, `tags[0]`.
impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        for seg in &self.rest {
            match seg {
                Segment::Field(name) => write!(f, ".{name}")?,
                Segment::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

impl From<&str> for Path {
    fn from(name: &str) -> Self {
        attr(name)
    }
}

impl From<String> for Path {
    fn from(name: String) -> Self {
        attr(name)
    }
}

impl From<&String> for Path {
    fn from(name: &String) -> Self {
        attr(name.as_str())
    }
}

impl From<&Path> for Path {
    fn from(path: &Path) -> Self {
        path.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_nested_paths_through_placeholders() {
        let mut ph = Placeholders::new();
        let p = attr("a").field("b").index(3).field("a");
        assert_eq!(p.render(&mut ph), "#n0.#n1[3].#n0");
        assert_eq!(p.to_string(), "a.b[3].a");
        assert_eq!(ph.names().len(), 2);
    }

    #[test]
    fn odd_names_are_literal() {
        let mut ph = Placeholders::new();
        for name in ["with space", "da-sh", "do.t", "date", "name", "#x", ":v"] {
            let rendered = attr(name).render(&mut ph);
            assert_eq!(ph.names()[&rendered], name);
        }
    }

    #[test]
    fn overlap() {
        let a = attr("a");
        assert!(a.overlaps(&attr("a")));
        assert!(a.overlaps(&attr("a").field("b")));
        assert!(attr("a").field("b").overlaps(&a));
        assert!(!a.overlaps(&attr("b")));
        assert!(!attr("a").index(0).overlaps(&attr("a").index(1)));
        assert!(!attr("a").field("b").overlaps(&attr("a").index(0)));
    }

    #[test]
    fn top_level() {
        assert_eq!(attr("x").as_top_level(), Some("x"));
        assert_eq!(attr("x").field("y").as_top_level(), None);
        assert_eq!(attr("x").field("y").attribute(), "x");
    }
}
