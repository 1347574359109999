//! [`Condition`]: filter and condition expressions, as a tree.

use std::ops;

use crate::expr::operand::{Comparator, Function, Operand, Value};
use crate::expr::{ExprError, Path, Placeholders, MAX_IN_VALUES};
use crate::{AttributeValue, ToAttribute};

/// A condition on an item: a filter for Query and Scan, or the condition of a
/// write. Built from [`attr`](crate::expr::attr) paths (or
/// [`Field`](crate::expr::Field)s) and combined with [`and`](Condition::and),
/// [`or`](Condition::or) and [`not`](Condition::not) (or `&`, `|`, `!`).
///
/// Rendering puts every name and value behind a placeholder and adds the
/// parentheses the tree needs, so precedence is always the tree's.
///
/// ```
/// use dynamo_core::expr::{attr, Placeholders};
/// let mut ph = Placeholders::new();
/// let c = attr("status").eq("active")
///     .or(attr("status").eq("trial"))
///     .and(!attr("email").exists());
/// assert_eq!(
///     c.render(&mut ph)?,
///     "(#n0 = :v0 OR #n0 = :v1) AND NOT attribute_exists(#n1)"
/// );
/// # Ok::<(), dynamo_core::expr::ExprError>(())
/// ```
///
/// A value that does not convert (NaN, an empty set...) is kept and reported
/// by [`render`](Condition::render) as an [`ExprError::Convert`] naming the
/// attribute; building never panics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    node: Node,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    Compare {
        left: Operand,
        op: Comparator,
        right: Value,
    },
    Between {
        subject: Operand,
        low: Value,
        high: Value,
    },
    In {
        subject: Operand,
        values: Vec<Value>,
    },
    Function {
        function: Function,
        path: Path,
        arg: Option<Value>,
    },
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
}

impl Condition {
    fn from_node(node: Node) -> Self {
        Condition { node }
    }

    pub(crate) fn compare(left: Operand, op: Comparator, value: impl ToAttribute) -> Self {
        Self::from_node(Node::Compare {
            left,
            op,
            right: Value::new(value),
        })
    }

    pub(crate) fn between(subject: Operand, low: impl ToAttribute, high: impl ToAttribute) -> Self {
        Self::from_node(Node::Between {
            subject,
            low: Value::new(low),
            high: Value::new(high),
        })
    }

    pub(crate) fn is_in<I>(subject: Operand, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: ToAttribute,
    {
        Self::from_node(Node::In {
            subject,
            values: values.into_iter().map(Value::new).collect(),
        })
    }

    pub(crate) fn function(function: Function, path: Path, arg: Option<Value>) -> Self {
        Self::from_node(Node::Function {
            function,
            path,
            arg,
        })
    }

    /// Both conditions hold: `self AND other`.
    pub fn and(self, other: Condition) -> Condition {
        let mut items = match self.node {
            Node::And(items) => items,
            node => vec![Condition::from_node(node)],
        };
        match other.node {
            Node::And(more) => items.extend(more),
            node => items.push(Condition::from_node(node)),
        }
        Condition::from_node(Node::And(items))
    }

    /// Either condition holds: `self OR other`.
    pub fn or(self, other: Condition) -> Condition {
        let mut items = match self.node {
            Node::Or(items) => items,
            node => vec![Condition::from_node(node)],
        };
        match other.node {
            Node::Or(more) => items.extend(more),
            node => items.push(Condition::from_node(node)),
        }
        Condition::from_node(Node::Or(items))
    }

    /// The condition does not hold: `NOT self` (also `!condition`).
    #[allow(clippy::should_implement_trait)] // `Not` is implemented too; this needs no import
    pub fn not(self) -> Condition {
        Condition::from_node(Node::Not(Box::new(self)))
    }

    /// All the conditions hold; `None` when there are none.
    ///
    /// ```
    /// use dynamo_core::expr::{attr, Condition, Placeholders};
    /// let c = Condition::all(["a", "b"].map(|n| attr(n).exists())).unwrap();
    /// assert_eq!(
    ///     c.render(&mut Placeholders::new())?,
    ///     "attribute_exists(#n0) AND attribute_exists(#n1)"
    /// );
    /// assert!(Condition::all([]).is_none());
    /// # Ok::<(), dynamo_core::expr::ExprError>(())
    /// ```
    pub fn all(conditions: impl IntoIterator<Item = Condition>) -> Option<Condition> {
        conditions.into_iter().reduce(Condition::and)
    }

    /// At least one of the conditions holds; `None` when there are none.
    pub fn any(conditions: impl IntoIterator<Item = Condition>) -> Option<Condition> {
        conditions.into_iter().reduce(Condition::or)
    }

    /// The attribute at `path` still holds `original`, or is still absent
    /// when `original` is `None`: the guard of an optimistic partial save.
    ///
    /// ```
    /// use dynamo_core::expr::{Condition, Placeholders};
    /// use dynamo_core::AttributeValue;
    /// let mut ph = Placeholders::new();
    /// let was = AttributeValue::from("Doe");
    /// let c = Condition::unchanged("last_name", Some(&was))
    ///     .and(Condition::unchanged("nick", None));
    /// assert_eq!(c.render(&mut ph)?, "#n0 = :v0 AND attribute_not_exists(#n1)");
    /// # Ok::<(), dynamo_core::expr::ExprError>(())
    /// ```
    pub fn unchanged(path: impl Into<Path>, original: Option<&AttributeValue>) -> Condition {
        let path = path.into();
        match original {
            Some(value) => path.eq(value),
            None => path.not_exists(),
        }
    }

    /// Renders the condition, allocating its placeholders in `ph`.
    ///
    /// On error nothing is allocated. Errors: a value that did not convert
    /// ([`ExprError::Convert`]), an `IN` list of 0 or more than 100 values
    /// ([`ExprError::InListSize`]).
    pub fn render(&self, ph: &mut Placeholders) -> Result<String, ExprError> {
        ph.atomically(|ph| self.write(ph))
    }

    fn write(&self, ph: &mut Placeholders) -> Result<String, ExprError> {
        Ok(match &self.node {
            Node::Compare { left, op, right } => {
                let l = left.render(ph);
                let r = right.render(left.path(), ph)?;
                format!("{l} {} {r}", op.as_str())
            }
            Node::Between { subject, low, high } => {
                let s = subject.render(ph);
                let lo = low.render(subject.path(), ph)?;
                let hi = high.render(subject.path(), ph)?;
                format!("{s} BETWEEN {lo} AND {hi}")
            }
            Node::In { subject, values } => {
                if values.is_empty() || values.len() > MAX_IN_VALUES {
                    return Err(ExprError::InListSize {
                        path: subject.path().to_string(),
                        count: values.len(),
                    });
                }
                let s = subject.render(ph);
                let list = values
                    .iter()
                    .map(|v| v.render(subject.path(), ph))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("{s} IN ({})", list.join(", "))
            }
            Node::Function {
                function,
                path,
                arg,
            } => {
                let p = path.render(ph);
                match arg {
                    Some(v) => format!("{}({p}, {})", function.as_str(), v.render(path, ph)?),
                    None => format!("{}({p})", function.as_str()),
                }
            }
            Node::And(items) => Self::write_all(items, " AND ", ph)?,
            Node::Or(items) => Self::write_all(items, " OR ", ph)?,
            Node::Not(inner) => {
                let body = inner.write(ph)?;
                if matches!(inner.node, Node::Function { .. }) {
                    format!("NOT {body}")
                } else {
                    format!("NOT ({body})")
                }
            }
        })
    }

    /// Joins the operands of `AND` / `OR`, parenthesizing the operands that
    /// are themselves `AND` / `OR` (of the other kind, since same-kind ones
    /// are flattened) or `BETWEEN` (whose own `AND` would read ambiguously).
    fn write_all(
        items: &[Condition],
        separator: &str,
        ph: &mut Placeholders,
    ) -> Result<String, ExprError> {
        let mut parts = Vec::with_capacity(items.len());
        for item in items {
            let body = item.write(ph)?;
            parts.push(match item.node {
                Node::And(_) | Node::Or(_) | Node::Between { .. } => format!("({body})"),
                _ => body,
            });
        }
        Ok(parts.join(separator))
    }
}

impl ops::Not for Condition {
    type Output = Condition;

    /// `NOT self`.
    fn not(self) -> Condition {
        Condition::not(self)
    }
}

impl ops::BitAnd for Condition {
    type Output = Condition;

    /// `self AND other`.
    fn bitand(self, other: Condition) -> Condition {
        self.and(other)
    }
}

impl ops::BitOr for Condition {
    type Output = Condition;

    /// `self OR other`.
    fn bitor(self, other: Condition) -> Condition {
        self.or(other)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::expr::attr;
    use crate::{item, AttributeType, Attributes, ConvertErrorKind, Number};

    /// Renders with a fresh context: (expression, names, values).
    fn render(c: &Condition) -> (String, Vec<(String, String)>, Attributes) {
        let mut ph = Placeholders::new();
        let s = c.render(&mut ph).unwrap();
        let (names, values) = ph.into_parts();
        (
            s,
            names.unwrap_or_default().into_iter().collect(),
            values.unwrap_or_default(),
        )
    }

    fn n(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn comparators() {
        let cases: [(Condition, &str); 6] = [
            (attr("age").eq(30), "="),
            (attr("age").ne(30), "<>"),
            (attr("age").lt(30), "<"),
            (attr("age").le(30), "<="),
            (attr("age").gt(30), ">"),
            (attr("age").ge(30), ">="),
        ];
        for (c, op) in cases {
            let (s, names, values) = render(&c);
            assert_eq!(s, format!("#n0 {op} :v0"));
            assert_eq!(names, n(&[("#n0", "age")]));
            assert_eq!(values, item! { ":v0" => 30 });
        }
    }

    #[test]
    fn between_and_in() {
        let (s, names, values) = render(&attr("age").between(18, 65));
        assert_eq!(s, "#n0 BETWEEN :v0 AND :v1");
        assert_eq!(names, n(&[("#n0", "age")]));
        assert_eq!(values, item! { ":v0" => 18, ":v1" => 65 });

        let (s, _, values) = render(&attr("status").is_in(["a", "b", "c"]));
        assert_eq!(s, "#n0 IN (:v0, :v1, :v2)");
        assert_eq!(values, item! { ":v0" => "a", ":v1" => "b", ":v2" => "c" });
    }

    #[test]
    fn in_list_limits() {
        let one = attr("x").is_in([1]);
        assert_eq!(render(&one).0, "#n0 IN (:v0)");
        let hundred = attr("x").is_in(0..100);
        assert_eq!(render(&hundred).2.len(), 100);

        let mut ph = Placeholders::new();
        assert_eq!(
            attr("x").is_in(Vec::<i32>::new()).render(&mut ph),
            Err(ExprError::InListSize {
                path: "x".into(),
                count: 0
            })
        );
        let err = attr("x").is_in(0..101).render(&mut ph).unwrap_err();
        assert_eq!(
            err,
            ExprError::InListSize {
                path: "x".into(),
                count: 101
            }
        );
        assert!(err.to_string().contains("`x`"), "{err}");
        assert!(ph.is_empty(), "a failed render allocates nothing");
    }

    #[test]
    fn functions() {
        let (s, names, values) = render(&attr("last_name").begins_with("D"));
        assert_eq!(s, "begins_with(#n0, :v0)");
        assert_eq!(names, n(&[("#n0", "last_name")]));
        assert_eq!(values, item! { ":v0" => "D" });

        let (s, _, values) = render(&attr("tags").contains("rust"));
        assert_eq!(s, "contains(#n0, :v0)");
        assert_eq!(values, item! { ":v0" => "rust" });

        let (s, _, _) = render(&attr("tags").not_contains("go"));
        assert_eq!(s, "NOT contains(#n0, :v0)");

        let (s, names, values) = render(&attr("email").exists());
        assert_eq!(s, "attribute_exists(#n0)");
        assert_eq!(names, n(&[("#n0", "email")]));
        assert!(values.is_empty(), "attribute_exists sends no value");

        let mut ph = Placeholders::new();
        assert_eq!(
            attr("email").not_exists().render(&mut ph).unwrap(),
            "attribute_not_exists(#n0)"
        );
        assert_eq!(ph.into_parts().1, None);

        let (s, _, values) = render(&attr("tags").attribute_type(AttributeType::Ss));
        assert_eq!(s, "attribute_type(#n0, :v0)");
        assert_eq!(values, item! { ":v0" => "SS" });

        let (s, _, values) = render(&attr("name").size().le(10));
        assert_eq!(s, "size(#n0) <= :v0");
        assert_eq!(values, item! { ":v0" => 10 });
        let (s, _, _) = render(&attr("name").size().between(1, 3));
        assert_eq!(s, "size(#n0) BETWEEN :v0 AND :v1");
    }

    #[test]
    fn reserved_and_odd_names_go_through_placeholders() {
        let c = attr("name")
            .eq("x")
            .and(attr("date").gt(1))
            .and(attr("status").ne("gone"))
            .and(attr("first.last").exists())
            .and(attr("with space").exists())
            .and(attr("da-sh").exists());
        let (s, names, _) = render(&c);
        assert_eq!(
            s,
            "#n0 = :v0 AND #n1 > :v1 AND #n2 <> :v2 AND attribute_exists(#n3) \
             AND attribute_exists(#n4) AND attribute_exists(#n5)"
        );
        assert_eq!(
            names,
            n(&[
                ("#n0", "name"),
                ("#n1", "date"),
                ("#n2", "status"),
                ("#n3", "first.last"),
                ("#n4", "with space"),
                ("#n5", "da-sh"),
            ])
        );
    }

    #[test]
    fn a_name_used_twice_reuses_its_placeholder() {
        let (s, names, values) = render(&attr("age").ge(18).and(attr("age").lt(65)));
        assert_eq!(s, "#n0 >= :v0 AND #n0 < :v1");
        assert_eq!(names, n(&[("#n0", "age")]));
        assert_eq!(values.len(), 2);
    }

    #[test]
    fn precedence() {
        let a = || attr("a").eq(1);
        let b = || attr("b").eq(2);
        let c = || attr("c").eq(3);

        assert_eq!(
            render(&a().and(b()).or(c())).0,
            "(#n0 = :v0 AND #n1 = :v1) OR #n2 = :v2"
        );
        assert_eq!(
            render(&a().and(b().or(c()))).0,
            "#n0 = :v0 AND (#n1 = :v1 OR #n2 = :v2)"
        );
        assert_eq!(
            render(&a().or(b()).and(c())).0,
            "(#n0 = :v0 OR #n1 = :v1) AND #n2 = :v2"
        );
        assert_eq!(
            render(&a().and(b()).and(c())).0,
            "#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2"
        );
        assert_eq!(
            render(&a().or(b().or(c()))).0,
            "#n0 = :v0 OR #n1 = :v1 OR #n2 = :v2"
        );
        assert_eq!(
            render(&a().and(b()).not()).0,
            "NOT (#n0 = :v0 AND #n1 = :v1)"
        );
        assert_eq!(render(&(!a() & b())).0, "NOT (#n0 = :v0) AND #n1 = :v1");
        assert_eq!(render(&(a() | !b())).0, "#n0 = :v0 OR NOT (#n1 = :v1)");
        assert_eq!(render(&!!a()).0, "NOT (NOT (#n0 = :v0))");
        assert_eq!(
            render(&attr("x").between(1, 2).and(a())).0,
            "(#n0 BETWEEN :v0 AND :v1) AND #n1 = :v2"
        );
        assert_eq!(
            render(&(a().and(b()) | c().and(a()))).0,
            "(#n0 = :v0 AND #n1 = :v1) OR (#n2 = :v2 AND #n0 = :v3)"
        );
    }

    fn source_text(e: &ExprError) -> String {
        match e {
            ExprError::Convert { source, .. } => source.to_string(),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn conversion_errors_surface_at_render() {
        let mut ph = Placeholders::new();
        let c = attr("ok").eq(1).and(attr("score").gt(f64::NAN));
        let err = c.render(&mut ph).unwrap_err();
        match &err {
            ExprError::Convert { path, source } => {
                assert_eq!(path, "score");
                assert!(matches!(source.kind(), ConvertErrorKind::Number(_)));
            }
            other => panic!("unexpected {other:?}"),
        }
        // Display prints the conversion error; source() does not repeat it.
        assert!(err.to_string().contains(&source_text(&err)));
        assert!(std::error::Error::source(&err).is_none());
        assert!(ph.is_empty(), "a failed render allocates nothing");

        let empty: BTreeSet<String> = BTreeSet::new();
        let err = attr("tags").contains(&empty).render(&mut ph).unwrap_err();
        assert!(err.to_string().contains("`tags`"), "{err}");

        let invalid = AttributeValue::Ss(vec!["a".into(), "a".into()]);
        assert!(attr("tags").eq(invalid).render(&mut ph).is_err());
        let err = attr("list")
            .is_in([1.0, f64::INFINITY])
            .render(&mut ph)
            .unwrap_err();
        assert!(matches!(err, ExprError::Convert { ref path, .. } if path == "list"));
    }

    #[test]
    fn values_of_every_kind() {
        let (_, _, values) = render(
            &attr("n")
                .eq(Number::parse("1.50").unwrap())
                .and(attr("b").eq(true))
                .and(attr("s").eq(String::from("x")))
                .and(attr("nul").eq(None::<i32>)),
        );
        assert_eq!(values[":v1"], AttributeValue::Bool(true));
        assert_eq!(values[":v3"], AttributeValue::Null);
    }

    #[test]
    fn nested_paths_in_conditions() {
        let (s, names, _) = render(
            &attr("address")
                .field("city")
                .eq("Lisbon")
                .and(attr("tags").index(0).eq("a")),
        );
        assert_eq!(s, "#n0.#n1 = :v0 AND #n2[0] = :v1");
        assert_eq!(
            names,
            n(&[("#n0", "address"), ("#n1", "city"), ("#n2", "tags")])
        );
    }

    #[test]
    fn all_any_unchanged() {
        assert!(Condition::any([]).is_none());
        let c = Condition::any([attr("a").eq(1), attr("b").eq(2)]).unwrap();
        assert_eq!(render(&c).0, "#n0 = :v0 OR #n1 = :v1");
        let c = Condition::unchanged(attr("m"), Some(&AttributeValue::M(item! { "k" => 1 })));
        let (s, _, values) = render(&c);
        assert_eq!(s, "#n0 = :v0");
        assert_eq!(values[":v0"], AttributeValue::M(item! { "k" => 1 }));
    }
}
