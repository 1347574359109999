//! [`Attributes`]: a dynamic item, a key, or a nested map.

use std::collections::btree_map::{self, BTreeMap};
use std::ops::Index;

use crate::{AttributeValue, ConvertError, FromAttribute, ToAttribute};

/// A map from attribute names to values: a whole item, a key, or an `M` value.
///
/// Ordered by name, so its JSON form is deterministic. Write one literally with
/// [`item!`](crate::item) or [`key!`](crate::key), or build it with
/// [`Attributes::with`] for values whose conversion can fail:
///
/// ```
/// use dynamo_core::{item, Attributes};
/// let user = item! { "username" => "johndoe", "age" => 31, "admin" => false };
/// assert_eq!(user.get_as::<u32>("age")?, 31);
/// assert_eq!(user["username"].as_s(), Some("johndoe"));
///
/// let scored = Attributes::new().with("score", 9.5)?;
/// assert_eq!(scored.get_as::<f64>("score")?, 9.5);
/// # Ok::<(), dynamo_core::ConvertError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attributes(BTreeMap<String, AttributeValue>);

impl Attributes {
    /// An empty map.
    pub fn new() -> Self {
        Attributes(BTreeMap::new())
    }

    /// Number of attributes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no attributes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&AttributeValue> {
        self.0.get(name)
    }

    /// A mutable reference to the value of `name`, if present.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut AttributeValue> {
        self.0.get_mut(name)
    }

    /// Decodes the value of `name` as `T`; a missing attribute decodes as
    /// `T`'s "absent" value (`None`, an empty set) or is an error naming it.
    pub fn get_as<T: FromAttribute>(&self, name: &str) -> Result<T, ConvertError> {
        match self.0.get(name) {
            Some(v) => T::from_attribute(v.clone()),
            None => T::from_missing(),
        }
        .map_err(|e| e.in_field(name))
    }

    /// Whether `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// Sets `name` to a value, returning the previous one.
    pub fn insert(
        &mut self,
        name: impl Into<String>,
        value: impl Into<AttributeValue>,
    ) -> Option<AttributeValue> {
        self.0.insert(name.into(), value.into())
    }

    /// Converts `value` and sets `name` to it; a value that is "absent"
    /// (`None`, an empty set) removes `name` instead.
    pub fn set<T: ToAttribute + ?Sized>(
        &mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<(), ConvertError> {
        let name = name.into();
        if value.is_absent() {
            self.0.remove(&name);
            return Ok(());
        }
        let value = value.to_attribute().map_err(|e| e.in_field(&name))?;
        self.0.insert(name, value);
        Ok(())
    }

    /// Builder form of [`Attributes::set`].
    pub fn with<T: ToAttribute>(
        mut self,
        name: impl Into<String>,
        value: T,
    ) -> Result<Self, ConvertError> {
        self.set(name, &value)?;
        Ok(self)
    }

    /// Removes `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<AttributeValue> {
        self.0.remove(name)
    }

    /// Name/value pairs in name order.
    pub fn iter(&self) -> btree_map::Iter<'_, String, AttributeValue> {
        self.0.iter()
    }

    /// Attribute names in order.
    pub fn names(&self) -> btree_map::Keys<'_, String, AttributeValue> {
        self.0.keys()
    }

    /// Values in name order.
    pub fn values(&self) -> btree_map::Values<'_, String, AttributeValue> {
        self.0.values()
    }

    /// Keeps only the attributes for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &AttributeValue) -> bool) {
        self.0.retain(|k, v| keep(k, v))
    }

    /// The item's size as DynamoDB counts it toward its 400 KB limit: the
    /// UTF-8 length of each name plus the size of each value.
    pub fn size(&self) -> usize {
        self.0.iter().map(|(k, v)| k.len() + v.size()).sum()
    }

    /// The underlying ordered map.
    pub fn into_inner(self) -> BTreeMap<String, AttributeValue> {
        self.0
    }
}

impl Index<&str> for Attributes {
    type Output = AttributeValue;

    /// # Panics
    /// When `name` is absent; use [`Attributes::get`] to avoid that.
    fn index(&self, name: &str) -> &AttributeValue {
        match self.0.get(name) {
            Some(v) => v,
            None => panic!("no attribute named `{name}`"),
        }
    }
}

impl From<BTreeMap<String, AttributeValue>> for Attributes {
    fn from(map: BTreeMap<String, AttributeValue>) -> Self {
        Attributes(map)
    }
}

impl<K: Into<String>, V: Into<AttributeValue>> FromIterator<(K, V)> for Attributes {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Attributes(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl<K: Into<String>, V: Into<AttributeValue>> Extend<(K, V)> for Attributes {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        self.0
            .extend(iter.into_iter().map(|(k, v)| (k.into(), v.into())))
    }
}

impl IntoIterator for Attributes {
    type Item = (String, AttributeValue);
    type IntoIter = btree_map::IntoIter<String, AttributeValue>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = (&'a String, &'a AttributeValue);
    type IntoIter = btree_map::Iter<'a, String, AttributeValue>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Writes an item literally, like the seed's `data={...}` dictionaries.
///
/// Values go through `Into<AttributeValue>`: strings, booleans, integers up to
/// 64 bits, [`Number`](crate::Number), bytes, lists and nested
/// [`Attributes`]. For floats, sets and other fallible conversions use
/// [`Attributes::with`].
///
/// ```
/// use dynamo_core::{item, AttributeValue};
/// let john = item! {
///     "username" => "johndoe",
///     "first_name" => "John",
///     "date_joined" => 1_700_000_000,
///     "address" => item! { "city" => "Lisbon" },
/// };
/// assert_eq!(john.len(), 4);
/// assert!(matches!(john["address"], AttributeValue::M(_)));
/// ```
#[macro_export]
macro_rules! item {
    () => { $crate::Attributes::new() };
    ($($name:expr => $value:expr),+ $(,)?) => {{
        let mut attributes = $crate::Attributes::new();
        $( attributes.insert($name, $value); )+
        attributes
    }};
}

/// Writes a key literally; the same as [`item!`](crate::item), named for
/// readability at call sites.
///
/// ```
/// use dynamo_core::key;
/// let k = key! { "account_type" => "standard_user", "last_name" => "Doe" };
/// assert_eq!(k.len(), 2);
/// ```
#[macro_export]
macro_rules! key {
    ($($tokens:tt)*) => { $crate::item!($($tokens)*) };
}

#[cfg(test)]
mod tests {

    use crate::Number;
    use std::collections::BTreeSet;

    #[test]
    fn set_with_absent_values_removes_the_attribute() {
        let mut a = item! { "nick" => "jd", "tags" => "x" };
        a.set("nick", &None::<String>).unwrap();
        a.set("tags", &BTreeSet::<String>::new()).unwrap();
        assert!(a.is_empty());
    }

    #[test]
    fn get_as_names_the_attribute_in_errors() {
        let a = item! { "age" => "old" };
        let err = a.get_as::<u32>("age").unwrap_err().to_string();
        assert!(
            err.contains("age") && err.contains("expected N") && err.contains("found S"),
            "{err}"
        );
        let err = a.get_as::<u32>("missing").unwrap_err().to_string();
        assert!(err.contains("missing"), "{err}");
        assert_eq!(a.get_as::<Option<u32>>("missing").unwrap(), None);
    }

    #[test]
    fn size_counts_names_and_values() {
        let a = item! { "ab" => "xyz", "n" => Number::parse("123").unwrap() };
        // "ab"(2) + "xyz"(3) + "n"(1) + number of 3 digits: ceil(3/2)+1 = 3
        assert_eq!(a.size(), 2 + 3 + 1 + 3);
    }
}
