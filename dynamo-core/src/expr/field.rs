//! [`Field`]: a typed handle on one attribute of a derived struct, whose
//! conditions and updates take only values of the field's own type.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, Utc};

use crate::expr::operand::{Comparator, Function, Operand, Subject, Value};
use crate::expr::{attr, Condition, Path, Size};
use crate::ToAttribute;

/// A typed handle on one attribute of a derived struct, so conditions,
/// updates and projections name real fields: `User::fields().email.exists()`.
///
/// Its conditions take values of the field's own type ([`FieldValue`]):
/// `fields().status.eq(42)` on a `String` field does not compile.
/// `contains` takes the element type of a set or list (a substring for a
/// string), `begins_with` a prefix of a string or binary field. Passed to
/// [`Update`](crate::expr::Update) methods, a field takes values of its own
/// type too. It converts into a [`Path`] for anything untyped.
///
/// ```
/// use dynamo_core::expr::{Field, Path, Placeholders};
/// const EMAIL: Field<String> = Field::new("email");
/// const LOGINS: Field<u32> = Field::new("logins");
/// let mut ph = Placeholders::new();
/// assert_eq!(EMAIL.exists().render(&mut ph)?, "attribute_exists(#n0)");
/// assert_eq!(EMAIL.eq("jo@example.com").render(&mut ph)?, "#n0 = :v0");
/// assert_eq!(LOGINS.gt(3).render(&mut ph)?, "#n1 > :v1");
/// assert_eq!(EMAIL.path(), Path::from("email"));
/// # Ok::<(), dynamo_core::expr::ExprError>(())
/// ```
pub struct Field<T> {
    name: &'static str,
    _type: PhantomData<fn() -> T>,
}

impl<T> Field<T> {
    /// A handle on the attribute `name` (as stored, after renames).
    pub const fn new(name: &'static str) -> Self {
        Field {
            name,
            _type: PhantomData,
        }
    }

    /// The attribute name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The attribute as a [`Path`] (to go into maps and lists with
    /// [`Path::field`] and [`Path::index`]).
    pub fn path(&self) -> Path {
        attr(self.name)
    }

    fn compare(self, op: Comparator, value: impl FieldValue<T>) -> Condition {
        Condition::compare(self.into_operand(), op, value)
    }

    /// `field = value`.
    pub fn eq(self, value: impl FieldValue<T>) -> Condition {
        self.compare(Comparator::Eq, value)
    }

    /// `field <> value`.
    pub fn ne(self, value: impl FieldValue<T>) -> Condition {
        self.compare(Comparator::Ne, value)
    }

    /// `field < value`.
    pub fn lt(self, value: impl FieldValue<T>) -> Condition {
        self.compare(Comparator::Lt, value)
    }

    /// `field <= value`.
    pub fn le(self, value: impl FieldValue<T>) -> Condition {
        self.compare(Comparator::Le, value)
    }

    /// `field > value`.
    pub fn gt(self, value: impl FieldValue<T>) -> Condition {
        self.compare(Comparator::Gt, value)
    }

    /// `field >= value`.
    pub fn ge(self, value: impl FieldValue<T>) -> Condition {
        self.compare(Comparator::Ge, value)
    }

    /// `field BETWEEN low AND high` (both bounds included).
    pub fn between(self, low: impl FieldValue<T>, high: impl FieldValue<T>) -> Condition {
        Condition::between(self.into_operand(), low, high)
    }

    /// `field IN (v1, v2, ...)`: equal to one of the values (1 to 100).
    pub fn is_in<I>(self, values: I) -> Condition
    where
        I: IntoIterator,
        I::Item: FieldValue<T>,
    {
        Condition::is_in(self.into_operand(), values)
    }

    /// `begins_with(field, prefix)`, for string and binary fields.
    pub fn begins_with(self, prefix: impl FieldValue<T::Prefix>) -> Condition
    where
        T: HasPrefix,
    {
        Condition::function(Function::BeginsWith, self.path(), Some(Value::new(prefix)))
    }

    /// `contains(field, member)`: a set or list holding `member`, or a
    /// string holding the substring `member`.
    pub fn contains(self, member: impl FieldValue<T::Member>) -> Condition
    where
        T: HasMembers,
    {
        Condition::function(Function::Contains, self.path(), Some(Value::new(member)))
    }

    /// `NOT contains(field, member)`.
    pub fn not_contains(self, member: impl FieldValue<T::Member>) -> Condition
    where
        T: HasMembers,
    {
        self.contains(member).not()
    }

    /// `attribute_exists(field)`.
    pub fn exists(self) -> Condition {
        self.path().exists()
    }

    /// `attribute_not_exists(field)`.
    pub fn not_exists(self) -> Condition {
        self.path().not_exists()
    }

    /// `attribute_type(field, type)`: the attribute holds a value of type
    /// `ty`.
    pub fn attribute_type(self, ty: crate::AttributeType) -> Condition {
        self.path().attribute_type(ty)
    }

    /// `size(field)`, to compare with a number.
    pub fn size(self) -> Size {
        self.path().size()
    }
}

/// A value that can stand for a field of type `F` in conditions and
/// updates: an `F` or a reference to one, a `&str` for a `String`, a
/// `&[u8]` for a `Vec<u8>`, and any of those for an `Option` of them.
///
/// ```compile_fail
/// use dynamo_core::expr::Field;
/// const STATUS: Field<String> = Field::new("status");
/// let _ = STATUS.eq(42); // a number is not a value of a String field
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a value of the field's type `{F}`",
    label = "expected a value of type `{F}`",
    note = "conditions and updates through field handles take the field's own type"
)]
pub trait FieldValue<F: ?Sized>: ToAttribute {}

impl<T: ToAttribute> FieldValue<T> for T {}
impl<T: ToAttribute + ?Sized> FieldValue<T> for &T {}
impl<T: ToAttribute> FieldValue<Option<T>> for T {}
impl<T: ToAttribute> FieldValue<Option<T>> for &T {}
impl FieldValue<String> for &str {}
impl FieldValue<Option<String>> for &str {}
impl FieldValue<Vec<u8>> for &[u8] {}
impl FieldValue<Option<Vec<u8>>> for &[u8] {}

/// Field types with members for `contains`: sets and lists (their element
/// type) and strings (a substring).
#[diagnostic::on_unimplemented(
    message = "`contains` needs a set, list or string field, not `{Self}`",
    label = "this field has no members"
)]
pub trait HasMembers {
    /// The type of one member.
    type Member;
}

impl<T> HasMembers for BTreeSet<T> {
    type Member = T;
}
impl<T, S> HasMembers for HashSet<T, S> {
    type Member = T;
}
impl<T> HasMembers for Vec<T> {
    type Member = T;
}
impl HasMembers for String {
    type Member = String;
}
impl<T: HasMembers> HasMembers for Option<T> {
    type Member = T::Member;
}

/// Field types `begins_with` applies to: strings and binaries, dates
/// (stored as strings, so `"2024-05"` selects May 2024), composed keys
/// ([`KeyText`](crate::KeyText)) and `#[derive(DynamoValue)]` enums. Filter
/// conditions on a [`Field`] and the typed index query's
/// `range_begins_with` take a `Prefix`.
#[diagnostic::on_unimplemented(
    message = "`begins_with` needs a string or binary field, not `{Self}`",
    label = "not stored as a string or binary"
)]
pub trait HasPrefix {
    /// The type of a prefix.
    type Prefix;
}

impl HasPrefix for String {
    type Prefix = String;
}
impl HasPrefix for Vec<u8> {
    type Prefix = Vec<u8>;
}
impl HasPrefix for DateTime<Utc> {
    type Prefix = String;
}
impl HasPrefix for crate::KeyText {
    type Prefix = crate::KeyText;
}
impl<T: HasPrefix> HasPrefix for Option<T> {
    type Prefix = T::Prefix;
}

/// Where an [`Update`](crate::expr::Update) action writes a `V`: a path
/// (`&str`, `String`, [`Path`]) takes any value, a [`Field`] only values of
/// its own type ([`FieldValue`]).
#[diagnostic::on_unimplemented(
    message = "`{V}` cannot be written to `{Self}`",
    label = "a field handle takes values of the field's own type"
)]
pub trait UpdateTarget<V> {
    /// The path written.
    fn target_path(self) -> Path;
}

macro_rules! untyped_targets {
    ($($t:ty),*) => {$(
        impl<V: ToAttribute> UpdateTarget<V> for $t {
            fn target_path(self) -> Path {
                self.into()
            }
        }
    )*};
}

untyped_targets!(&str, String, &String, Path, &Path);

/// Field types whose members `Update::add_members` / `delete_members` take:
/// sets.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a set field",
    label = "set operations need a set field (`BTreeSet`, `HashSet`)"
)]
pub trait SetField {
    /// The type of one member.
    type Member;
}

impl<T> SetField for BTreeSet<T> {
    type Member = T;
}
impl<T, S> SetField for HashSet<T, S> {
    type Member = T;
}
impl<T: SetField> SetField for Option<T> {
    type Member = T::Member;
}

/// Field types `Update::append` adds elements to: lists.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list field",
    label = "`append` needs a list field (`Vec<T>`)"
)]
pub trait ListField {
    /// The type of one element.
    type Element;
}

impl<T> ListField for Vec<T> {
    type Element = T;
}
impl<T: ListField> ListField for Option<T> {
    type Element = T::Element;
}

/// Where set and list updates write members `V`: a path takes any value, a
/// [`Field`] of a set (list) only its member (element) type.
#[diagnostic::on_unimplemented(
    message = "`{V}` cannot be a member of `{Self}`",
    label = "a set or list field handle takes its own member type"
)]
pub trait MembersTarget<V, Kind> {
    /// The path written.
    fn members_path(self) -> Path;
}

/// [`MembersTarget`] kind: set members.
#[derive(Debug)]
pub enum SetMembers {}

/// [`MembersTarget`] kind: list elements.
#[derive(Debug)]
pub enum ListElements {}

macro_rules! untyped_member_targets {
    ($($t:ty),*) => {$(
        impl<V: ToAttribute, K> MembersTarget<V, K> for $t {
            fn members_path(self) -> Path {
                self.into()
            }
        }
    )*};
}

untyped_member_targets!(&str, String, &String, Path, &Path);

impl<T: SetField, V: FieldValue<T::Member>> MembersTarget<V, SetMembers> for Field<T> {
    fn members_path(self) -> Path {
        self.path()
    }
}

impl<T: ListField, V: FieldValue<T::Element>> MembersTarget<V, ListElements> for Field<T> {
    fn members_path(self) -> Path {
        self.path()
    }
}

impl<T, V: FieldValue<T>> UpdateTarget<V> for Field<T> {
    fn target_path(self) -> Path {
        self.path()
    }
}

impl<T, V: FieldValue<T>> UpdateTarget<V> for &Field<T> {
    fn target_path(self) -> Path {
        self.path()
    }
}

impl<T> Subject for Field<T> {
    fn into_operand(self) -> Operand {
        Operand::Path(self.path())
    }
}

impl<T> From<Field<T>> for Path {
    fn from(field: Field<T>) -> Self {
        field.path()
    }
}

impl<T> From<&Field<T>> for Path {
    fn from(field: &Field<T>) -> Self {
        field.path()
    }
}

impl<T> Clone for Field<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Field<T> {}

impl<T> fmt::Debug for Field<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Field({})", self.name)
    }
}

/// Lets field handles name projected attributes:
/// `query.attributes([User::fields().email])`.
impl<T> From<Field<T>> for String {
    fn from(field: Field<T>) -> String {
        field.name().to_owned()
    }
}
