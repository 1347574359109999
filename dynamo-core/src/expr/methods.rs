//! The untyped condition methods shared by [`Path`](super::Path) and
//! [`Size`](super::Size), written once and expanded into each type's
//! inherent impl (so no trait import is needed). [`Field`](super::Field)
//! has its own, typed by the field.

/// Comparisons, `BETWEEN` and `IN`: methods of every operand (paths, fields,
/// `size(...)`). The type implements `operand::Subject`.
macro_rules! comparison_methods {
    () => {
        /// `operand = value`.
        pub fn eq(self, value: impl $crate::ToAttribute) -> $crate::expr::Condition {
            $crate::expr::Condition::compare(
                $crate::expr::operand::Subject::into_operand(self),
                $crate::expr::operand::Comparator::Eq,
                value,
            )
        }

        /// `operand <> value`.
        pub fn ne(self, value: impl $crate::ToAttribute) -> $crate::expr::Condition {
            $crate::expr::Condition::compare(
                $crate::expr::operand::Subject::into_operand(self),
                $crate::expr::operand::Comparator::Ne,
                value,
            )
        }

        /// `operand < value`.
        pub fn lt(self, value: impl $crate::ToAttribute) -> $crate::expr::Condition {
            $crate::expr::Condition::compare(
                $crate::expr::operand::Subject::into_operand(self),
                $crate::expr::operand::Comparator::Lt,
                value,
            )
        }

        /// `operand <= value`.
        pub fn le(self, value: impl $crate::ToAttribute) -> $crate::expr::Condition {
            $crate::expr::Condition::compare(
                $crate::expr::operand::Subject::into_operand(self),
                $crate::expr::operand::Comparator::Le,
                value,
            )
        }

        /// `operand > value`.
        pub fn gt(self, value: impl $crate::ToAttribute) -> $crate::expr::Condition {
            $crate::expr::Condition::compare(
                $crate::expr::operand::Subject::into_operand(self),
                $crate::expr::operand::Comparator::Gt,
                value,
            )
        }

        /// `operand >= value`.
        pub fn ge(self, value: impl $crate::ToAttribute) -> $crate::expr::Condition {
            $crate::expr::Condition::compare(
                $crate::expr::operand::Subject::into_operand(self),
                $crate::expr::operand::Comparator::Ge,
                value,
            )
        }

        /// `operand BETWEEN low AND high` (both bounds included).
        pub fn between(
            self,
            low: impl $crate::ToAttribute,
            high: impl $crate::ToAttribute,
        ) -> $crate::expr::Condition {
            $crate::expr::Condition::between(
                $crate::expr::operand::Subject::into_operand(self),
                low,
                high,
            )
        }

        /// `operand IN (v1, v2, ...)`: equal to one of the values. DynamoDB
        /// takes 1 to 100 values; other counts are an
        /// [`ExprError::InListSize`](crate::expr::ExprError::InListSize) at
        /// render.
        pub fn is_in<I>(self, values: I) -> $crate::expr::Condition
        where
            I: IntoIterator,
            I::Item: $crate::ToAttribute,
        {
            $crate::expr::Condition::is_in(
                $crate::expr::operand::Subject::into_operand(self),
                values,
            )
        }
    };
}

/// Functions that apply to an attribute path (not to `size(...)`).
macro_rules! path_methods {
    () => {
        /// `begins_with(path, prefix)`: a string (or binary) starting with
        /// `prefix`.
        pub fn begins_with(self, prefix: impl $crate::ToAttribute) -> $crate::expr::Condition {
            $crate::expr::Condition::function(
                $crate::expr::operand::Function::BeginsWith,
                self.into(),
                Some($crate::expr::operand::Value::new(prefix)),
            )
        }

        /// `contains(path, value)`: a string containing a substring, or a
        /// set or list containing a member.
        pub fn contains(self, value: impl $crate::ToAttribute) -> $crate::expr::Condition {
            $crate::expr::Condition::function(
                $crate::expr::operand::Function::Contains,
                self.into(),
                Some($crate::expr::operand::Value::new(value)),
            )
        }

        /// `NOT contains(path, value)`.
        pub fn not_contains(self, value: impl $crate::ToAttribute) -> $crate::expr::Condition {
            $crate::expr::Condition::not(self.contains(value))
        }

        /// `attribute_exists(path)`: the attribute is present (no value is
        /// sent).
        pub fn exists(self) -> $crate::expr::Condition {
            $crate::expr::Condition::function(
                $crate::expr::operand::Function::Exists,
                self.into(),
                None,
            )
        }

        /// `attribute_not_exists(path)`: the attribute is absent (no value
        /// is sent).
        pub fn not_exists(self) -> $crate::expr::Condition {
            $crate::expr::Condition::function(
                $crate::expr::operand::Function::NotExists,
                self.into(),
                None,
            )
        }

        /// `attribute_type(path, type)`: the attribute holds a value of type
        /// `ty`.
        pub fn attribute_type(self, ty: $crate::AttributeType) -> $crate::expr::Condition {
            $crate::expr::Condition::function(
                $crate::expr::operand::Function::Type,
                self.into(),
                Some($crate::expr::operand::Value::new(ty.as_str())),
            )
        }

        /// `size(path)`, to compare: the length of a string, binary, list or
        /// map, or the number of members of a set.
        pub fn size(self) -> $crate::expr::Size {
            $crate::expr::Size::new(self.into())
        }
    };
}
