//! [`Update`]: the update expression of UpdateItem.

use crate::expr::operand::Value;
use crate::expr::{
    ExprError, ListElements, MembersTarget, Path, Placeholders, SetMembers, UpdateTarget,
};
use crate::{AttributeType, AttributeValue, ConvertError, ToAttribute};

/// An update expression: `SET`, `REMOVE`, `ADD` and `DELETE` actions, rendered
/// as `SET #n0 = :v0, #n1 = :v1 REMOVE #n2 ADD #n3 :v2 DELETE #n4 :v3` (each
/// clause only when it has actions).
///
/// ```
/// use dynamo_core::expr::{attr, Placeholders, Update};
/// let update = Update::new()
///     .set("first_name", "Johnny")
///     .increment("logins", 1)
///     .remove(attr("address").field("line2"));
/// let mut ph = Placeholders::new();
/// assert_eq!(
///     update.render(&mut ph)?,
///     "SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1) + :v2 REMOVE #n2.#n3"
/// );
/// assert_eq!(ph.names()["#n3"], "line2");
/// # Ok::<(), dynamo_core::expr::ExprError>(())
/// ```
///
/// Values that fail to convert, `ADD` / `DELETE` / `increment` operands of the
/// wrong type, two actions on overlapping paths and an update with no action
/// are [`ExprError`]s at [`render`](Update::render).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Update {
    actions: Vec<Action>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Action {
    Set(Path, Value),
    SetIfNotExists(Path, Value),
    Increment(Path, Value),
    Remove(Path),
    Add(Path, Value),
    Delete(Path, Value),
    Append(Path, Value),
}

impl Action {
    fn path(&self) -> &Path {
        match self {
            Action::Set(p, _)
            | Action::SetIfNotExists(p, _)
            | Action::Increment(p, _)
            | Action::Remove(p)
            | Action::Add(p, _)
            | Action::Delete(p, _)
            | Action::Append(p, _) => p,
        }
    }
}

/// The clauses, in the order they are rendered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Clause {
    Set,
    Remove,
    Add,
    Delete,
}

impl Clause {
    const ALL: [Clause; 4] = [Clause::Set, Clause::Remove, Clause::Add, Clause::Delete];

    fn keyword(self) -> &'static str {
        match self {
            Clause::Set => "SET",
            Clause::Remove => "REMOVE",
            Clause::Add => "ADD",
            Clause::Delete => "DELETE",
        }
    }

    fn of(action: &Action) -> Clause {
        match action {
            Action::Set(..)
            | Action::SetIfNotExists(..)
            | Action::Increment(..)
            | Action::Append(..) => Clause::Set,
            Action::Remove(_) => Clause::Remove,
            Action::Add(..) => Clause::Add,
            Action::Delete(..) => Clause::Delete,
        }
    }
}

impl Update {
    /// An update with no action yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn with(mut self, action: Action) -> Self {
        self.actions.push(action);
        self
    }

    /// `SET path = value`. (`None` is stored as `NULL`; use
    /// [`remove`](Update::remove) to delete an attribute.)
    pub fn set<V: ToAttribute>(self, path: impl UpdateTarget<V>, value: V) -> Self {
        self.with(Action::Set(path.target_path(), Value::new(value)))
    }

    /// `SET path = if_not_exists(path, value)`: sets the attribute only if it
    /// is absent.
    pub fn set_if_not_exists<V: ToAttribute>(self, path: impl UpdateTarget<V>, value: V) -> Self {
        self.with(Action::SetIfNotExists(
            path.target_path(),
            Value::new(value),
        ))
    }

    /// `SET path = if_not_exists(path, 0) + by`: adds the number `by`
    /// (negative to decrement), counting from 0 when the attribute is absent.
    pub fn increment<V: ToAttribute>(self, path: impl UpdateTarget<V>, by: V) -> Self {
        self.with(Action::Increment(path.target_path(), Value::new(by)))
    }

    /// `REMOVE path`.
    pub fn remove(self, path: impl Into<Path>) -> Self {
        self.with(Action::Remove(path.into()))
    }

    /// `ADD path value`: adds a number to a number attribute, or members to a
    /// set attribute (creating it when absent).
    pub fn add<V: ToAttribute>(self, path: impl UpdateTarget<V>, value: V) -> Self {
        self.with(Action::Add(path.target_path(), Value::new(value)))
    }

    /// `DELETE path set`: removes the members of `set` from a set attribute.
    pub fn delete<V: ToAttribute>(self, path: impl UpdateTarget<V>, set: V) -> Self {
        self.with(Action::Delete(path.target_path(), Value::new(set)))
    }

    /// `ADD path {members}`: adds members to a set attribute (creating it
    /// when absent). Through a field handle the members must be of the
    /// set's member type: `.add_members(f.tags, ["gift"])`. Members given
    /// twice are sent once; no member at all is an error at render.
    pub fn add_members<V, I>(self, path: impl MembersTarget<V, SetMembers>, members: I) -> Self
    where
        V: ToAttribute,
        I: IntoIterator<Item = V>,
    {
        let set = Value::converted(member_set(members));
        self.with(Action::Add(path.members_path(), set))
    }

    /// `DELETE path {members}`: removes members from a set attribute.
    pub fn delete_members<V, I>(self, path: impl MembersTarget<V, SetMembers>, members: I) -> Self
    where
        V: ToAttribute,
        I: IntoIterator<Item = V>,
    {
        let set = Value::converted(member_set(members));
        self.with(Action::Delete(path.members_path(), set))
    }

    /// `SET path = list_append(if_not_exists(path, []), [elements])`: adds
    /// elements at the end of a list attribute (creating it when absent).
    pub fn append<V, I>(self, path: impl MembersTarget<V, ListElements>, elements: I) -> Self
    where
        V: ToAttribute,
        I: IntoIterator<Item = V>,
    {
        let list = elements
            .into_iter()
            .enumerate()
            .map(|(i, v)| v.to_attribute().map_err(|e| e.in_index(i)))
            .collect::<Result<Vec<_>, _>>()
            .map(AttributeValue::L);
        self.with(Action::Append(path.members_path(), Value::converted(list)))
    }

    /// Whether there is no action (rendering it is an error).
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// Renders the expression (for `UpdateExpression`), allocating its
    /// placeholders in `ph`. On error nothing is allocated.
    pub fn render(&self, ph: &mut Placeholders) -> Result<String, ExprError> {
        if self.actions.is_empty() {
            return Err(ExprError::EmptyUpdate);
        }
        self.check_overlaps()?;
        ph.atomically(|ph| {
            let mut clauses = Vec::new();
            for clause in Clause::ALL {
                let mut parts = Vec::new();
                for action in self.actions.iter().filter(|a| Clause::of(a) == clause) {
                    parts.push(write_action(action, ph)?);
                }
                if !parts.is_empty() {
                    clauses.push(format!("{} {}", clause.keyword(), parts.join(", ")));
                }
            }
            Ok(clauses.join(" "))
        })
    }

    fn check_overlaps(&self) -> Result<(), ExprError> {
        for (i, a) in self.actions.iter().enumerate() {
            if let Some(b) = self.actions[i + 1..]
                .iter()
                .find(|b| a.path().overlaps(b.path()))
            {
                return Err(ExprError::OverlappingPaths {
                    first: a.path().to_string(),
                    second: b.path().to_string(),
                });
            }
        }
        Ok(())
    }
}

fn write_action(action: &Action, ph: &mut Placeholders) -> Result<String, ExprError> {
    let path = action.path();
    Ok(match action {
        Action::Set(_, v) => {
            let p = path.render(ph);
            format!("{p} = {}", v.render(path, ph)?)
        }
        Action::SetIfNotExists(_, v) => {
            let p = path.render(ph);
            format!("{p} = if_not_exists({p}, {})", v.render(path, ph)?)
        }
        Action::Increment(_, by) => {
            check_operand(path, by, "increment", "a number", |t| t == AttributeType::N)?;
            let p = path.render(ph);
            let zero = ph.value(AttributeValue::from(0));
            format!(
                "{p} = if_not_exists({p}, {zero}) + {}",
                by.render(path, ph)?
            )
        }
        Action::Append(_, v) => {
            let p = path.render(ph);
            let empty = ph.value(AttributeValue::L(Vec::new()));
            format!(
                "{p} = list_append(if_not_exists({p}, {empty}), {})",
                v.render(path, ph)?
            )
        }
        Action::Remove(_) => path.render(ph),
        Action::Add(_, v) => {
            check_operand(path, v, "ADD", "a number or a set", |t| {
                matches!(
                    t,
                    AttributeType::N | AttributeType::Ss | AttributeType::Ns | AttributeType::Bs
                )
            })?;
            let p = path.render(ph);
            format!("{p} {}", v.render(path, ph)?)
        }
        Action::Delete(_, v) => {
            check_operand(path, v, "DELETE", "a set", |t| {
                matches!(t, AttributeType::Ss | AttributeType::Ns | AttributeType::Bs)
            })?;
            let p = path.render(ph);
            format!("{p} {}", v.render(path, ph)?)
        }
    })
}

/// Members as one set attribute (`SS`, `NS` or `BS`), duplicates dropped.
fn member_set<V: ToAttribute>(
    members: impl IntoIterator<Item = V>,
) -> Result<AttributeValue, ConvertError> {
    let values = members
        .into_iter()
        .enumerate()
        .map(|(i, v)| v.to_attribute().map_err(|e| e.in_index(i)))
        .collect::<Result<Vec<_>, _>>()?;
    match values.first() {
        None => Err(ConvertError::other(
            "no members: DynamoDB refuses an empty set",
        )),
        Some(AttributeValue::S(_)) => same_kind(values, |v| match v {
            AttributeValue::S(s) => Ok(s),
            other => Err(other),
        })
        .map(AttributeValue::Ss),
        Some(AttributeValue::N(_)) => same_kind(values, |v| match v {
            AttributeValue::N(n) => Ok(n),
            other => Err(other),
        })
        .map(AttributeValue::Ns),
        Some(AttributeValue::B(_)) => same_kind(values, |v| match v {
            AttributeValue::B(b) => Ok(b),
            other => Err(other),
        })
        .map(AttributeValue::Bs),
        Some(other) => Err(not_a_member(other)),
    }
}

/// The members' payloads, sorted and deduplicated, if all are of one kind.
fn same_kind<T: Ord>(
    values: Vec<AttributeValue>,
    take: impl Fn(AttributeValue) -> Result<T, AttributeValue>,
) -> Result<Vec<T>, ConvertError> {
    let mut set = values
        .into_iter()
        .map(|v| take(v).map_err(|other| not_a_member(&other)))
        .collect::<Result<Vec<T>, _>>()?;
    set.sort();
    set.dedup();
    Ok(set)
}

fn not_a_member(found: &AttributeValue) -> ConvertError {
    ConvertError::other(format!(
        "set members must all be strings, numbers or binaries of one kind; found {}",
        found.attribute_type().as_str()
    ))
}

fn check_operand(
    path: &Path,
    value: &Value,
    action: &'static str,
    expected: &'static str,
    accepts: impl Fn(AttributeType) -> bool,
) -> Result<(), ExprError> {
    let found = value.get(path)?.attribute_type();
    if accepts(found) {
        Ok(())
    } else {
        Err(ExprError::InvalidOperand {
            path: path.to_string(),
            action,
            expected,
            found,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::expr::attr;
    use crate::{item, Attributes, Number};

    fn render(u: &Update) -> (String, Vec<(String, String)>, Attributes) {
        let mut ph = Placeholders::new();
        let s = u.render(&mut ph).unwrap();
        let (names, values) = ph.into_parts();
        (
            s,
            names.unwrap_or_default().into_iter().collect(),
            values.unwrap_or_default(),
        )
    }

    fn set_of(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn every_clause_kind() {
        let u = Update::new()
            .set("a", 1)
            .remove("c")
            .add("d", 2)
            .delete("e", set_of(&["x"]))
            .set("b", "two");
        let (s, names, values) = render(&u);
        assert_eq!(
            s,
            "SET #n0 = :v0, #n1 = :v1 REMOVE #n2 ADD #n3 :v2 DELETE #n4 :v3"
        );
        let expected: Vec<(String, String)> = ["a", "b", "c", "d", "e"]
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("#n{i}"), n.to_string()))
            .collect();
        assert_eq!(names, expected);
        assert_eq!(
            values,
            item! {
                ":v0" => 1,
                ":v1" => "two",
                ":v2" => 2,
                ":v3" => AttributeValue::Ss(vec!["x".into()]),
            }
        );
    }

    #[test]
    fn clauses_appear_only_when_used() {
        assert_eq!(
            render(&Update::new().remove("a").remove("b")).0,
            "REMOVE #n0, #n1"
        );
        assert_eq!(render(&Update::new().add("n", 1)).0, "ADD #n0 :v0");
        assert_eq!(
            render(&Update::new().delete("s", set_of(&["a"]))).0,
            "DELETE #n0 :v0"
        );
    }

    #[test]
    fn set_variants() {
        let (s, _, values) = render(&Update::new().set_if_not_exists("created", 100));
        assert_eq!(s, "SET #n0 = if_not_exists(#n0, :v0)");
        assert_eq!(values, item! { ":v0" => 100 });

        let (s, names, values) = render(&Update::new().increment("count", -2));
        assert_eq!(s, "SET #n0 = if_not_exists(#n0, :v0) + :v1");
        assert_eq!(names.len(), 1);
        assert_eq!(values, item! { ":v0" => 0, ":v1" => -2 });
    }

    #[test]
    fn reserved_and_nested_paths() {
        let (s, names, _) = render(
            &Update::new()
                .set(attr("address").field("city"), "Porto")
                .set(attr("tags").index(2), "x")
                .remove("name"),
        );
        assert_eq!(s, "SET #n0.#n1 = :v0, #n2[2] = :v1 REMOVE #n3");
        assert_eq!(names[3], ("#n3".to_string(), "name".to_string()));
    }

    #[test]
    fn empty_update_is_an_error() {
        let mut ph = Placeholders::new();
        assert!(Update::new().is_empty());
        assert_eq!(Update::new().render(&mut ph), Err(ExprError::EmptyUpdate));
    }

    #[test]
    fn operand_types_are_checked() {
        let mut ph = Placeholders::new();
        let err = Update::new().add("name", "x").render(&mut ph).unwrap_err();
        assert_eq!(
            err,
            ExprError::InvalidOperand {
                path: "name".into(),
                action: "ADD",
                expected: "a number or a set",
                found: AttributeType::S
            }
        );
        assert_eq!(
            err.to_string(),
            "ADD on `name` needs a number or a set, found S"
        );
        assert!(Update::new().delete("n", 1).render(&mut ph).is_err());
        assert!(Update::new().increment("n", "1").render(&mut ph).is_err());
        // An empty set does not convert on its own.
        let err = Update::new()
            .set("ok", 1)
            .delete("s", BTreeSet::<String>::new())
            .render(&mut ph)
            .unwrap_err();
        assert!(matches!(err, ExprError::Convert { ref path, .. } if path == "s"));
        assert!(ph.is_empty(), "failed renders allocate nothing");
    }

    #[test]
    fn set_members_and_list_appends() {
        let (s, _, values) = render(
            &Update::new()
                .add_members("tags", ["b", "a", "b"])
                .delete_members("nums", [3, 1])
                .append("log", ["x"]),
        );
        assert_eq!(
            s,
            "SET #n0 = list_append(if_not_exists(#n0, :v0), :v1) ADD #n1 :v2 DELETE #n2 :v3"
        );
        assert_eq!(values[":v0"], AttributeValue::L(vec![]));
        assert_eq!(values[":v1"], AttributeValue::L(vec!["x".into()]));
        assert_eq!(
            values[":v2"],
            AttributeValue::Ss(vec!["a".into(), "b".into()]),
            "sorted, duplicates sent once"
        );
        assert_eq!(
            values[":v3"],
            AttributeValue::Ns(vec![Number::from(1), Number::from(3)])
        );
        let mut ph = Placeholders::new();
        let err = Update::new()
            .add_members("tags", Vec::<String>::new())
            .render(&mut ph)
            .unwrap_err();
        assert!(err.to_string().contains("empty set"), "{err}");
        let err = Update::new()
            .add_members("tags", [true])
            .render(&mut ph)
            .unwrap_err();
        assert!(err.to_string().contains("BOOL"), "{err}");
    }

    #[test]
    fn overlapping_paths_are_an_error() {
        let mut ph = Placeholders::new();
        let err = Update::new()
            .set("a", 1)
            .remove("a")
            .render(&mut ph)
            .unwrap_err();
        assert_eq!(
            err,
            ExprError::OverlappingPaths {
                first: "a".into(),
                second: "a".into()
            }
        );
        assert!(Update::new()
            .set(attr("m").field("k"), 1)
            .remove("m")
            .render(&mut ph)
            .is_err());
        assert!(Update::new()
            .set(attr("m").field("k"), 1)
            .set(attr("m").field("j"), 1)
            .render(&mut ph)
            .is_ok());
    }
}
