//! [`Field`]: a typed handle on one attribute of a derived struct.

use std::fmt;
use std::marker::PhantomData;

use crate::expr::operand::{Operand, Subject};
use crate::expr::{attr, Path};

/// A typed handle on one attribute of a derived struct, so conditions and
/// projections name real fields: `User::fields().email.exists()`.
///
/// It has the same condition methods as [`Path`] and converts into one:
///
/// ```
/// use dynamo_core::expr::{Field, Path, Placeholders};
/// const EMAIL: Field<String> = Field::new("email");
/// let mut ph = Placeholders::new();
/// assert_eq!(EMAIL.exists().render(&mut ph)?, "attribute_exists(#n0)");
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

    comparison_methods!();
    path_methods!();
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
