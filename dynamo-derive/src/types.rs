//! Syntactic checks on field types.
//!
//! The real checks are trait bounds in the generated code (`KeyType`,
//! `IntegerAttribute`), which also cover type aliases and user types. These
//! catch the obvious mistakes first, so the error names the problem in words
//! instead of listing trait implementations.

use quote::ToTokens;
use syn::{GenericArgument, PathArguments, Type};

/// Removes invisible groups and parentheses around a type.
fn bare(mut ty: &Type) -> &Type {
    loop {
        match ty {
            Type::Group(g) => ty = &g.elem,
            Type::Paren(p) => ty = &p.elem,
            _ => return ty,
        }
    }
}

/// The last path segment's name and its generic type arguments, for a path
/// type (`std::collections::HashMap<String, u8>` -> `HashMap`, `[String, u8]`).
fn last_segment(ty: &Type) -> Option<(String, Vec<&Type>)> {
    let Type::Path(path) = bare(ty) else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let segment = path.path.segments.last()?;
    let args = match &segment.arguments {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|arg| match arg {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((segment.ident.to_string(), args))
}

/// `T` for `Option<T>` (any path ending in `Option`).
pub fn option_inner(ty: &Type) -> Option<&Type> {
    match last_segment(ty) {
        Some((name, args)) if name == "Option" && args.len() == 1 => Some(args[0]),
        _ => None,
    }
}

const COLLECTIONS: &[&str] = &[
    "HashMap",
    "BTreeMap",
    "HashSet",
    "BTreeSet",
    "VecDeque",
    "LinkedList",
    "BinaryHeap",
    "Attributes",
    "AttributeValue",
];

/// Whether the type obviously cannot be a key: not a string, number or
/// binary. `false` means "maybe": the `KeyType` bound decides.
pub fn obviously_not_key(ty: &Type) -> bool {
    match bare(ty) {
        Type::Reference(r) => obviously_not_key(&r.elem),
        Type::Path(_) => match last_segment(ty) {
            Some((name, args)) => match name.as_str() {
                "bool" | "Option" => true,
                "Vec" => !(args.len() == 1 && is_named(args[0], "u8")),
                n => COLLECTIONS.contains(&n),
            },
            None => false,
        },
        Type::Tuple(_)
        | Type::Array(_)
        | Type::Slice(_)
        | Type::Ptr(_)
        | Type::BareFn(_)
        | Type::TraitObject(_)
        | Type::ImplTrait(_)
        | Type::Never(_) => true,
        _ => false,
    }
}

/// Whether the type obviously is not an integer (or an `Option` of one).
pub fn obviously_not_integer(ty: &Type) -> bool {
    match bare(ty) {
        Type::Path(_) => match last_segment(ty) {
            Some((name, args)) => match name.as_str() {
                "Option" => args.len() == 1 && obviously_not_integer(args[0]),
                "bool" | "String" | "str" | "char" | "f32" | "f64" | "Vec" | "DateTime"
                | "NaiveDateTime" | "SystemTime" | "Duration" => true,
                n => COLLECTIONS.contains(&n),
            },
            None => false,
        },
        Type::Reference(_)
        | Type::Tuple(_)
        | Type::Array(_)
        | Type::Slice(_)
        | Type::Ptr(_)
        | Type::BareFn(_)
        | Type::TraitObject(_)
        | Type::ImplTrait(_)
        | Type::Never(_) => true,
        _ => false,
    }
}

/// `DateTime<...>` or `Option<DateTime<...>>` (a TTL may be one; the
/// `TtlAttribute` bound checks the time zone).
pub fn is_date_time(ty: &Type) -> bool {
    match last_segment(bare(ty)) {
        Some((name, args)) if name == "Option" && args.len() == 1 => is_date_time(args[0]),
        Some((name, _)) => name == "DateTime",
        None => false,
    }
}

fn is_named(ty: &Type, name: &str) -> bool {
    matches!(last_segment(ty), Some((n, args)) if n == name && args.is_empty())
}

/// The type as a user would write it: `Option<String>`, not `Option < String >`.
pub fn display(ty: &Type) -> String {
    let raw = ty.to_token_stream().to_string();
    let mut out = String::with_capacity(raw.len());
    let chars: Vec<char> = raw.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = if i > 0 { chars[i - 1] } else { ' ' };
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            let glued = matches!(prev, '<' | '&' | ':' | '(' | '[')
                || matches!(next, '<' | '>' | ',' | ':' | ')' | ']' | ';');
            if glued {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn displays_types_compactly() {
        let cases: &[(Type, &str)] = &[
            (parse_quote!(Option<String>), "Option<String>"),
            (parse_quote!(HashMap<String, u32>), "HashMap<String, u32>"),
            (parse_quote!(Vec<Vec<u8>>), "Vec<Vec<u8>>"),
            (parse_quote!(&'a str), "&'a str"),
            (
                parse_quote!(std::collections::BTreeSet<u8>),
                "std::collections::BTreeSet<u8>",
            ),
            (parse_quote!((u8, String)), "(u8, String)"),
            (parse_quote!([u8; 4]), "[u8; 4]"),
            (
                parse_quote!(::chrono::DateTime<Utc>),
                "::chrono::DateTime<Utc>",
            ),
        ];
        for (ty, expected) in cases {
            assert_eq!(display(ty), *expected);
        }
    }

    #[test]
    fn key_types() {
        let bad: &[Type] = &[
            parse_quote!(bool),
            parse_quote!(Option<String>),
            parse_quote!(Vec<String>),
            parse_quote!(std::collections::HashMap<String, u8>),
            parse_quote!(BTreeSet<String>),
            parse_quote!((u8, u8)),
        ];
        for ty in bad {
            assert!(obviously_not_key(ty), "{}", display(ty));
        }
        let maybe: &[Type] = &[
            parse_quote!(String),
            parse_quote!(u64),
            parse_quote!(Vec<u8>),
            parse_quote!(&str),
            parse_quote!(Number),
            parse_quote!(AccountType),
            parse_quote!(Box<str>),
        ];
        for ty in maybe {
            assert!(!obviously_not_key(ty), "{}", display(ty));
        }
    }

    #[test]
    fn integer_types() {
        assert!(obviously_not_integer(&parse_quote!(f64)));
        assert!(obviously_not_integer(&parse_quote!(Option<String>)));
        assert!(obviously_not_integer(&parse_quote!(DateTime<Utc>)));
        assert!(!obviously_not_integer(&parse_quote!(u64)));
        assert!(!obviously_not_integer(&parse_quote!(Option<i64>)));
        assert!(!obviously_not_integer(&parse_quote!(Number)));
    }

    #[test]
    fn options() {
        let ty: Type = parse_quote!(std::option::Option<String>);
        assert_eq!(display(option_inner(&ty).unwrap()), "String");
        assert!(option_inner(&parse_quote!(String)).is_none());
    }
}
