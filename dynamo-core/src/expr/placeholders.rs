//! [`Placeholders`]: the `#n` / `:v` substitutions of one request.

use std::collections::BTreeMap;

use crate::expr::ExprError;
use crate::wire::ExpressionNames;
use crate::{AttributeValue, Attributes};

/// Allocates the placeholders of one request: `#n0, #n1...` for attribute
/// names and `:v0, :v1...` for values.
///
/// Every name and value of every expression goes through a placeholder, so
/// reserved words (`name`, `date`, `status`) and names with dots, dashes or
/// spaces need no special care. A name used twice reuses its placeholder; each
/// value gets its own.
///
/// Share one `Placeholders` across the key condition, filter, projection (or
/// condition and update) of one request, then take the maps with
/// [`into_parts`](Placeholders::into_parts). Only what is rendered is
/// allocated, since DynamoDB rejects unused placeholders.
///
/// ```
/// use dynamo_core::expr::{attr, Placeholders};
/// let mut ph = Placeholders::new();
/// let filter = attr("status").eq("active").and(attr("status").ne("x"));
/// assert_eq!(filter.render(&mut ph)?, "#n0 = :v0 AND #n0 <> :v1");
/// let (names, values) = ph.into_parts();
/// assert_eq!(names.unwrap()["#n0"], "status");
/// assert_eq!(values.unwrap().len(), 2);
/// # Ok::<(), dynamo_core::expr::ExprError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Placeholders {
    /// Placeholder -> attribute name, as sent.
    names: ExpressionNames,
    /// Attribute name -> placeholder, for reuse.
    by_name: BTreeMap<String, String>,
    /// Placeholder -> value, as sent.
    values: Attributes,
}

impl Placeholders {
    /// No placeholders yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The placeholder of the attribute name `name` (taken literally: a dot
    /// is part of the name), allocating `#n<i>` on first use.
    pub fn name(&mut self, name: &str) -> String {
        if let Some(placeholder) = self.by_name.get(name) {
            return placeholder.clone();
        }
        let placeholder = format!("#n{}", self.by_name.len());
        self.by_name.insert(name.to_owned(), placeholder.clone());
        self.names.insert(placeholder.clone(), name.to_owned());
        placeholder
    }

    /// A new placeholder `:v<i>` standing for `value`.
    pub fn value(&mut self, value: AttributeValue) -> String {
        let placeholder = format!(":v{}", self.values.len());
        self.values.insert(placeholder.clone(), value);
        placeholder
    }

    /// The name placeholders allocated so far (`#n0` -> name).
    pub fn names(&self) -> &ExpressionNames {
        &self.names
    }

    /// The value placeholders allocated so far (`:v0` -> value).
    pub fn values(&self) -> &Attributes {
        &self.values
    }

    /// Whether nothing was allocated.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.values.is_empty()
    }

    /// Runs `render` on a scratch copy and keeps its allocations only if it
    /// succeeds, so a failed render leaves no unused placeholder behind.
    pub(crate) fn atomically<T>(
        &mut self,
        render: impl FnOnce(&mut Self) -> Result<T, ExprError>,
    ) -> Result<T, ExprError> {
        let mut scratch = self.clone();
        let out = render(&mut scratch)?;
        *self = scratch;
        Ok(out)
    }

    /// `ExpressionAttributeNames` and `ExpressionAttributeValues`, each `None`
    /// when empty (DynamoDB rejects empty maps).
    pub fn into_parts(self) -> (Option<ExpressionNames>, Option<Attributes>) {
        let names = (!self.names.is_empty()).then_some(self.names);
        let values = (!self.values.is_empty()).then_some(self.values);
        (names, values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_reused_values_are_not() {
        let mut ph = Placeholders::new();
        assert_eq!(ph.name("date"), "#n0");
        assert_eq!(ph.name("a.b"), "#n1");
        assert_eq!(ph.name("date"), "#n0");
        assert_eq!(ph.value(AttributeValue::from(1)), ":v0");
        assert_eq!(ph.value(AttributeValue::from(1)), ":v1");
        let (names, values) = ph.into_parts();
        let names = names.unwrap();
        assert_eq!(names.len(), 2);
        assert_eq!(names["#n1"], "a.b");
        assert_eq!(values.unwrap().len(), 2);
    }

    #[test]
    fn empty_maps_are_none() {
        let ph = Placeholders::new();
        assert!(ph.is_empty());
        assert_eq!(ph.into_parts(), (None, None));
        let mut ph = Placeholders::new();
        ph.name("x");
        let (names, values) = ph.into_parts();
        assert!(names.is_some() && values.is_none());
    }

    #[test]
    fn many_placeholders_count_up() {
        let mut ph = Placeholders::new();
        for i in 0..12 {
            assert_eq!(ph.name(&format!("a{i}")), format!("#n{i}"));
        }
        assert_eq!(ph.name("a11"), "#n11");
    }
}
