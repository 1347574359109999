//! Condition, key-condition, projection and update expressions (stub: the
//! full builder lands next).

use std::fmt;
use std::marker::PhantomData;

/// A typed handle on one attribute of a derived struct, so conditions and
/// projections name real fields: `User::fields().email.exists()`.
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
