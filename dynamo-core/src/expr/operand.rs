//! What conditions are made of: operands, comparators, functions and values.

use crate::expr::{ExprError, Path, Placeholders};
use crate::{AttributeValue, ConvertError, ToAttribute};

/// The left side of a comparison, `BETWEEN` or `IN`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Operand {
    /// An attribute.
    Path(Path),
    /// `size(path)`.
    Size(Path),
}

impl Operand {
    /// The attribute concerned, for error messages.
    pub(crate) fn path(&self) -> &Path {
        match self {
            Operand::Path(p) | Operand::Size(p) => p,
        }
    }

    pub(crate) fn render(&self, ph: &mut Placeholders) -> String {
        match self {
            Operand::Path(p) => p.render(ph),
            Operand::Size(p) => format!("size({})", p.render(ph)),
        }
    }
}

/// Types with the comparison methods: they become the left operand.
pub(crate) trait Subject {
    fn into_operand(self) -> Operand;
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Comparator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Comparator {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Comparator::Eq => "=",
            Comparator::Ne => "<>",
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Ge => ">=",
        }
    }
}

/// A condition function on a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Function {
    BeginsWith,
    Contains,
    Exists,
    NotExists,
    Type,
}

impl Function {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Function::BeginsWith => "begins_with",
            Function::Contains => "contains",
            Function::Exists => "attribute_exists",
            Function::NotExists => "attribute_not_exists",
            Function::Type => "attribute_type",
        }
    }
}

/// A value converted when the expression is built; a failure is kept and
/// reported when it is rendered or validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Value(Result<AttributeValue, ConvertError>);

impl Value {
    pub(crate) fn new(value: impl ToAttribute) -> Self {
        Self::converted(value.to_attribute())
    }

    /// A value converted by the caller (a built set or list).
    pub(crate) fn converted(value: Result<AttributeValue, ConvertError>) -> Self {
        Value(value.and_then(|v| match v.validate() {
            Ok(()) => Ok(v),
            Err(invalid) => Err(ConvertError::from(invalid)),
        }))
    }

    /// The value, or the conversion error naming the attribute `path`.
    pub(crate) fn get(&self, path: &Path) -> Result<&AttributeValue, ExprError> {
        self.0.as_ref().map_err(|e| ExprError::Convert {
            path: path.to_string(),
            source: e.clone(),
        })
    }

    /// A placeholder for the value (the error names `path`).
    pub(crate) fn render(&self, path: &Path, ph: &mut Placeholders) -> Result<String, ExprError> {
        Ok(ph.value(self.get(path)?.clone()))
    }
}

/// `size(path)`: the length of a string, binary, list or map, or the number
/// of members of a set, to compare with a number.
///
/// ```
/// use dynamo_core::expr::{attr, Placeholders};
/// let c = attr("tags").size().gt(3);
/// assert_eq!(c.render(&mut Placeholders::new())?, "size(#n0) > :v0");
/// # Ok::<(), dynamo_core::expr::ExprError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Size {
    path: Path,
}

impl Size {
    pub(crate) fn new(path: Path) -> Self {
        Size { path }
    }

    comparison_methods!();
}

impl Subject for Size {
    fn into_operand(self) -> Operand {
        Operand::Size(self.path)
    }
}
