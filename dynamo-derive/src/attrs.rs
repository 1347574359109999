//! Parsing of `#[dynamo(...)]` attributes into plain data, keeping the tokens
//! each option was written with so later checks can point at them.
//!
//! Nothing here knows what the options mean together; that is [`crate::model`].

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, LitStr, Path, Token};

use crate::case::RenameRule;
use crate::errors::Errors;

/// Options of `#[derive(DynamoItem)]` on the struct.
pub const ITEM_OPTIONS: &[&str] = &[
    "table",
    "rename_all",
    "local_index",
    "global_index",
    "crate",
    "hash",
    "range",
    "key",
    "entity",
    "stream",
];
/// Options of `#[derive(DynamoItem)]` on a field.
pub const FIELD_OPTIONS: &[&str] = &[
    "hash_key",
    "range_key",
    "rename",
    "skip",
    "default",
    "with",
    "version",
    "ttl",
];
/// Options of `#[derive(DynamoValue)]` on the enum.
pub const VALUE_OPTIONS: &[&str] = &["rename_all", "crate"];
/// Options of `#[derive(DynamoValue)]` on a variant.
pub const VARIANT_OPTIONS: &[&str] = &["rename"];
const LOCAL_INDEX_OPTIONS: &[&str] = &["name", "range", "projection"];
const GLOBAL_INDEX_OPTIONS: &[&str] = &["name", "hash", "range", "key", "projection"];

/// Which item carries the attribute: it decides the valid options.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Item,
    Field,
    Value,
    Variant,
}

impl Place {
    fn options(self) -> &'static [&'static str] {
        match self {
            Place::Item => ITEM_OPTIONS,
            Place::Field => FIELD_OPTIONS,
            Place::Value => VALUE_OPTIONS,
            Place::Variant => VARIANT_OPTIONS,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Place::Item => "struct",
            Place::Field => "field",
            Place::Value => "enum",
            Place::Variant => "variant",
        }
    }
}

/// The container options (`#[dynamo(...)]` on a struct or an enum).
#[derive(Default)]
pub struct ContainerAttrs {
    pub table: Option<LitStr>,
    /// `stream = "new_and_old_images"`: the view type of the table's stream.
    pub stream: Option<LitStr>,
    pub rename_all: Option<(RenameRule, LitStr)>,
    pub crate_path: Option<Path>,
    pub indexes: Vec<IndexAttr>,
    /// `hash`, `range`, `key(...)` and `entity`.
    pub single_table: crate::template::SingleTableAttrs,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    Local,
    Global,
}

/// `local_index(...)` or `global_index(...)`.
pub struct IndexAttr {
    pub kind: IndexKind,
    /// The `local_index` / `global_index` word, for errors about the whole index.
    pub keyword: Ident,
    pub name: LitStr,
    /// Rust field names.
    pub hash: Option<LitStr>,
    pub range: Option<LitStr>,
    /// A multi-attribute key's further attributes (`hash = ["a", "b"]`).
    pub more_hash: Vec<LitStr>,
    pub more_range: Vec<LitStr>,
    /// Key templates composing `hash` and `range`, which then name
    /// attributes rather than fields.
    pub key: Option<crate::template::KeyAttr>,
    pub projection: ProjectionAttr,
}

pub enum ProjectionAttr {
    All,
    KeysOnly,
    /// Rust field names.
    Include(Vec<LitStr>),
}

/// `default` or `default = "path::to::function"`.
pub enum DefaultAttr {
    Trait,
    Function(Path),
}

/// The options on one field. Flags keep the span of their word.
#[derive(Default)]
pub struct FieldAttrs {
    pub hash_key: Option<Span>,
    pub range_key: Option<Span>,
    pub rename: Option<LitStr>,
    pub skip: Option<Span>,
    pub default: Option<(DefaultAttr, Span)>,
    pub with: Option<Path>,
    pub version: Option<Span>,
    pub ttl: Option<Span>,
}

/// The options on one enum variant.
#[derive(Default)]
pub struct VariantAttrs {
    pub rename: Option<LitStr>,
}

/// Parses the `#[dynamo(...)]` attributes of a struct (`place` = `Item`) or
/// an enum (`Value`).
pub fn container(attrs: &[Attribute], place: Place, errors: &mut Errors) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for_each_option(attrs, place, errors, |meta, word, errors| {
        match word {
            "table" => {
                let lit = string_value(&meta, "table = \"users\"")?;
                set_once(&mut out.table, lit, &meta, errors);
            }
            "stream" => {
                let lit = string_value(&meta, "stream = \"new_and_old_images\"")?;
                set_once(&mut out.stream, lit, &meta, errors);
            }
            "rename_all" => {
                let lit = string_value(&meta, "rename_all = \"camelCase\"")?;
                match RenameRule::from_name(&lit.value()) {
                    Some(rule) => set_once(&mut out.rename_all, (rule, lit), &meta, errors),
                    None => {
                        let mut message = format!(
                            "unknown rename_all rule `{}`; expected one of {}",
                            lit.value(),
                            RenameRule::valid_names()
                        );
                        if let Some(close) = RenameRule::similar_name(&lit.value()) {
                            message.push_str(&format!(" (did you mean \"{close}\"?)"));
                        }
                        errors.push(syn::Error::new_spanned(&lit, message));
                    }
                }
            }
            "crate" => {
                let lit = string_value(&meta, "crate = \"dynamo_core\"")?;
                let path = parse_path(&lit, "crate = \"dynamo_core\"")?;
                set_once(&mut out.crate_path, path, &meta, errors);
            }
            "local_index" => out.indexes.push(index(&meta, IndexKind::Local, errors)?),
            "global_index" => out.indexes.push(index(&meta, IndexKind::Global, errors)?),
            "hash" | "range" | "key" | "entity" => {
                crate::template::parse_option(&meta, word, &mut out.single_table, errors)?
            }
            _ => unreachable!("for_each_option only passes known options"),
        }
        Ok(())
    });
    out
}

/// Parses the `#[dynamo(...)]` attributes of a struct field.
pub fn field(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for_each_option(attrs, Place::Field, errors, |meta, word, errors| {
        let span = meta
            .path
            .get_ident()
            .map_or_else(Span::call_site, Ident::span);
        match word {
            "hash_key" => set_once(&mut out.hash_key, span, &meta, errors),
            "range_key" => set_once(&mut out.range_key, span, &meta, errors),
            "skip" => set_once(&mut out.skip, span, &meta, errors),
            "version" => set_once(&mut out.version, span, &meta, errors),
            "ttl" => set_once(&mut out.ttl, span, &meta, errors),
            "rename" => {
                let lit = string_value(&meta, "rename = \"name\"")?;
                set_once(&mut out.rename, lit, &meta, errors);
            }
            "default" => {
                let value = if meta.input.peek(Token![=]) {
                    let lit = string_value(&meta, "default = \"path::to::function\"")?;
                    DefaultAttr::Function(parse_path(&lit, "default = \"path::to::function\"")?)
                } else {
                    DefaultAttr::Trait
                };
                set_once(&mut out.default, (value, span), &meta, errors);
            }
            "with" => {
                let lit = string_value(&meta, "with = \"path::to::module\"")?;
                let path = parse_path(&lit, "with = \"path::to::module\"")?;
                set_once(&mut out.with, path, &meta, errors);
            }
            _ => unreachable!("for_each_option only passes known options"),
        }
        // Flags take no value: `hash_key = true` is an error, not ignored.
        if matches!(word, "hash_key" | "range_key" | "skip" | "version" | "ttl")
            && !meta.input.is_empty()
            && !meta.input.peek(Token![,])
        {
            return Err(meta.error(format!(
                "`{word}` takes no value: write `#[dynamo({word})]`"
            )));
        }
        Ok(())
    });
    out
}

/// Parses the `#[dynamo(...)]` attributes of an enum variant.
pub fn variant(attrs: &[Attribute], errors: &mut Errors) -> VariantAttrs {
    let mut out = VariantAttrs::default();
    for_each_option(attrs, Place::Variant, errors, |meta, _word, errors| {
        let lit = string_value(&meta, "rename = \"name\"")?;
        set_once(&mut out.rename, lit, &meta, errors);
        Ok(())
    });
    out
}

/// Calls `f` for each option of each `#[dynamo(...)]` attribute, with the
/// option's name once it is known to be valid at `place`. An error ends the
/// attribute it is in (the rest of it cannot be parsed reliably) but not the
/// others, so independent mistakes are all reported.
fn for_each_option(
    attrs: &[Attribute],
    place: Place,
    errors: &mut Errors,
    mut f: impl FnMut(ParseNestedMeta<'_>, &str, &mut Errors) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("dynamo")) {
        let mut inner = Errors::default();
        let result = attr.parse_nested_meta(|meta| {
            let word = path_string(&meta.path);
            match place.options().iter().find(|o| **o == word) {
                Some(option) => f(meta, option, &mut inner),
                None => Err(unknown_option(&meta, &word, place)),
            }
        });
        errors.extend(inner);
        if let Err(e) = result {
            errors.push(e);
        }
    }
}

fn unknown_option(meta: &ParseNestedMeta<'_>, word: &str, place: Place) -> syn::Error {
    let options = place.options();
    let mut message = format!(
        "unknown dynamo {} option `{word}`; expected one of {}",
        place.describe(),
        options
            .iter()
            .map(|o| format!("`{o}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let elsewhere = match place {
        Place::Item => Some(Place::Field),
        Place::Field => Some(Place::Item),
        Place::Value | Place::Variant => None,
    };
    // On a field, `hash` and `range` mean its key flags, not the struct's
    // composed key attributes.
    let elsewhere = elsewhere.filter(|_| !matches!(word, "hash" | "range"));
    if let Some(other) = elsewhere.filter(|p| p.options().contains(&word)) {
        message.push_str(&format!(
            " (`{word}` is an option of a {}, not of a {})",
            other.describe(),
            place.describe()
        ));
    } else if let Some(close) = closest(word, options).or_else(|| synonym(word, options)) {
        message.push_str(&format!(" (did you mean `{close}`?)"));
    }
    syn::Error::new_spanned(&meta.path, message)
}

/// DynamoDB's other names for the same things (`partition_key`, `sort`...),
/// when the option they stand for is valid here.
fn synonym(word: &str, options: &[&'static str]) -> Option<&'static str> {
    let meant = match word {
        "partition_key" | "partition" | "pk" | "hash" => "hash_key",
        "sort_key" | "sort" | "sk" | "range" => "range_key",
        "table_name" | "name" => "table",
        "index" | "gsi" => "global_index",
        "lsi" => "local_index",
        "skip_serializing" | "ignore" => "skip",
        "ttl_attribute" | "expires" => "ttl",
        _ => return None,
    };
    let meant = match (meant, options.contains(&meant)) {
        (_, true) => meant,
        // Inside an index, `sort` means `range`.
        ("range_key", false) if options.contains(&"range") => "range",
        ("hash_key", false) if options.contains(&"hash") => "hash",
        _ => return None,
    };
    Some(meant)
}

/// The candidate nearest to `word` if it is a plausible typo of it.
pub fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edits (insertions, deletions, substitutions, swaps of neighbours) to turn
/// `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

fn path_string(path: &Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// Stores an option's value, or reports that it was already given.
pub(crate) fn set_once<T>(
    slot: &mut Option<T>,
    value: T,
    meta: &ParseNestedMeta<'_>,
    errors: &mut Errors,
) {
    if slot.is_some() {
        errors.push(syn::Error::new_spanned(
            &meta.path,
            format!("duplicate dynamo option `{}`", path_string(&meta.path)),
        ));
    } else {
        *slot = Some(value);
    }
}

/// The string after `=`; `example` shows the expected form in errors.
pub(crate) fn string_value(meta: &ParseNestedMeta<'_>, example: &str) -> syn::Result<LitStr> {
    let option = path_string(&meta.path);
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format!("`{option}` needs a value, as in `{example}`")));
    }
    let input = meta.value()?;
    if input.peek(LitStr) {
        input.parse()
    } else {
        Err(input.error(format!("expected a string literal, as in `{example}`")))
    }
}

fn parse_path(lit: &LitStr, example: &str) -> syn::Result<Path> {
    lit.parse::<Path>().map_err(|_| {
        syn::Error::new_spanned(
            lit,
            format!("`{}` is not a path, as in `{example}`", lit.value()),
        )
    })
}

/// `local_index(name = "...", range = "...", projection = ...)` or
/// `global_index(name = "...", hash = "...", range = "...", projection = ...)`.
fn index(
    meta: &ParseNestedMeta<'_>,
    kind: IndexKind,
    errors: &mut Errors,
) -> syn::Result<IndexAttr> {
    let keyword = meta.path.require_ident()?.clone();
    if !meta.input.peek(syn::token::Paren) {
        let example = match kind {
            IndexKind::Local => "local_index(name = \"DateIndex\", range = \"date\")",
            IndexKind::Global => "global_index(name = \"EmailIndex\", hash = \"email\")",
        };
        return Err(meta.error(format!("`{keyword}` needs its settings, as in `{example}`")));
    }
    let options = match kind {
        IndexKind::Local => LOCAL_INDEX_OPTIONS,
        IndexKind::Global => GLOBAL_INDEX_OPTIONS,
    };
    let mut name = None;
    let mut hash = None;
    let mut range = None;
    let mut more_hash = Vec::new();
    let mut more_range = Vec::new();
    let mut projection = None;
    let mut key = None;
    meta.parse_nested_meta(|inner| {
        let word = path_string(&inner.path);
        match word.as_str() {
            "name" => {
                let lit = string_value(&inner, "name = \"EmailIndex\"")?;
                set_once(&mut name, lit, &inner, errors);
            }
            "hash" if kind == IndexKind::Global => {
                let mut lits = key_fields(&inner, "hash = \"field_name\"")?.into_iter();
                if let Some(first) = lits.next() {
                    set_once(&mut hash, first, &inner, errors);
                }
                more_hash = lits.collect();
            }
            "hash" => {
                return Err(inner.error(
                    "a local_index always uses the table's hash key; remove `hash` \
                     (or use a global_index for another hash key)",
                ))
            }
            "range" if kind == IndexKind::Global => {
                let mut lits = key_fields(&inner, "range = \"field_name\"")?.into_iter();
                if let Some(first) = lits.next() {
                    set_once(&mut range, first, &inner, errors);
                }
                more_range = lits.collect();
            }
            "range" => {
                let lit = string_value(&inner, "range = \"field_name\"")?;
                set_once(&mut range, lit, &inner, errors);
            }
            "key" if kind == IndexKind::Global => {
                let k = crate::template::parse_key(&inner, errors)?;
                set_once(&mut key, k, &inner, errors);
            }
            "projection" => {
                let p = projection_value(&inner)?;
                set_once(&mut projection, p, &inner, errors);
            }
            _ => {
                let mut message = format!(
                    "unknown {keyword} option `{word}`; expected one of {}",
                    options
                        .iter()
                        .map(|o| format!("`{o}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                if let Some(close) = closest(&word, options).or_else(|| synonym(&word, options)) {
                    message.push_str(&format!(" (did you mean `{close}`?)"));
                }
                return Err(syn::Error::new_spanned(&inner.path, message));
            }
        }
        Ok(())
    })?;
    let name = name.ok_or_else(|| {
        syn::Error::new_spanned(&keyword, format!("`{keyword}` needs a `name = \"...\"`"))
    })?;
    match kind {
        IndexKind::Local if range.is_none() => {
            return Err(syn::Error::new_spanned(
                &keyword,
                "a local_index needs `range = \"field_name\"`: its range key",
            ))
        }
        IndexKind::Global if hash.is_none() => {
            return Err(syn::Error::new_spanned(
                &keyword,
                "a global_index needs `hash = \"field_name\"`: its hash key",
            ))
        }
        _ => {}
    }
    Ok(IndexAttr {
        kind,
        keyword,
        name,
        hash,
        range,
        more_hash,
        more_range,
        key,
        projection: projection.unwrap_or(ProjectionAttr::All),
    })
}

/// Most attributes of a multi-attribute index key part (DynamoDB's limit).
const MAX_KEY_FIELDS: usize = 4;

/// `hash = "field"` or, for a multi-attribute key, `hash = ["a", "b"]`.
fn key_fields(meta: &ParseNestedMeta<'_>, example: &str) -> syn::Result<Vec<LitStr>> {
    let option = path_string(&meta.path);
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format!("`{option}` needs a value, as in `{example}`")));
    }
    let input = meta.value()?;
    if !input.peek(syn::token::Bracket) {
        return string_value_of(input, example).map(|lit| vec![lit]);
    }
    let content;
    let brackets = syn::bracketed!(content in input);
    let list: Vec<LitStr> = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?
        .into_iter()
        .collect();
    if list.is_empty() || list.len() > MAX_KEY_FIELDS {
        return Err(syn::Error::new(
            brackets.span.join(),
            format!(
                "a multi-attribute `{option}` lists 1 to {MAX_KEY_FIELDS} fields; this lists {}",
                list.len()
            ),
        ));
    }
    Ok(list)
}

fn string_value_of(input: ParseStream<'_>, example: &str) -> syn::Result<LitStr> {
    if input.peek(LitStr) {
        input.parse()
    } else {
        Err(input.error(format!(
            "expected a string literal or a list of them, as in `{example}`"
        )))
    }
}

/// `projection = "all"`, `projection = "keys_only"` or
/// `projection = include("a", "b")`.
fn projection_value(meta: &ParseNestedMeta<'_>) -> syn::Result<ProjectionAttr> {
    const EXPECTED: &str =
        "expected `projection = \"all\"`, `projection = \"keys_only\"` or `projection = include(\"field\", ...)`";
    let input = meta.value()?;
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        return match lit.value().as_str() {
            "all" => Ok(ProjectionAttr::All),
            "keys_only" => Ok(ProjectionAttr::KeysOnly),
            "include" => Err(syn::Error::new_spanned(
                &lit,
                "an include projection lists its fields: `projection = include(\"field\", ...)`",
            )),
            other => Err(syn::Error::new_spanned(
                &lit,
                format!("unknown projection `{other}`; {EXPECTED}"),
            )),
        };
    }
    let word: Ident = input
        .parse()
        .map_err(|e| syn::Error::new(e.span(), EXPECTED))?;
    if word != "include" {
        return Err(syn::Error::new_spanned(&word, EXPECTED));
    }
    let content;
    syn::parenthesized!(content in input);
    let fields = include_list(&content)?;
    if fields.is_empty() {
        return Err(syn::Error::new_spanned(
            &word,
            "an include projection needs at least one field: `include(\"field\", ...)`",
        ));
    }
    Ok(ProjectionAttr::Include(fields))
}

fn include_list(content: ParseStream<'_>) -> syn::Result<Vec<LitStr>> {
    let list = Punctuated::<LitStr, Token![,]>::parse_terminated(content)?;
    Ok(list.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_suggestions() {
        assert_eq!(closest("hashkey", FIELD_OPTIONS), Some("hash_key"));
        assert_eq!(closest("renam", FIELD_OPTIONS), Some("rename"));
        assert_eq!(closest("tabel", ITEM_OPTIONS), Some("table"));
        assert_eq!(closest("flatten", FIELD_OPTIONS), None);
    }
}
