//! The checked meaning of a derive input: stored names resolved, keys and
//! indexes pointing at fields, every inconsistency reported at the tokens
//! that caused it. Code generation only reads this model.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Path, Type, Visibility};

use crate::attrs::{self, DefaultAttr, IndexAttr, IndexKind, Place, ProjectionAttr};
use crate::errors::Errors;
use crate::types;

/// A struct deriving `DynamoItem`.
pub struct Item {
    pub ident: Ident,
    pub vis: Visibility,
    /// The path generated code reaches the library through.
    pub krate: Path,
    pub table: Option<String>,
    /// The `StreamViewType` variant named by `stream = "..."`.
    pub stream: Option<&'static str>,
    pub fields: Vec<Field>,
    /// The table key, for structs that have one.
    pub keys: Option<Keys>,
    pub indexes: Vec<Index>,
    /// Index into `fields`.
    pub version: Option<usize>,
    /// Index into `fields`.
    pub ttl: Option<usize>,
    /// Key attributes composed by templates, and the entity name.
    pub single_table: crate::template::SingleTable,
}

pub struct Field {
    pub member: Ident,
    pub ty: Type,
    /// The attribute name, after `rename` / `rename_all`.
    pub name: String,
    pub skip: bool,
    pub default: Option<DefaultAttr>,
    pub with: Option<Path>,
    /// For fields used as a table or index key: the type whose `KeyType`
    /// gives the key's scalar type (`T` for an `Option<T>` index key).
    pub key_type: Option<Type>,
}

/// Indexes into [`Item::fields`].
pub struct Keys {
    pub hash: usize,
    pub range: Option<usize>,
}

pub struct Index {
    pub kind: IndexKind,
    pub name: String,
    /// Where the name was written (the index's generated function is
    /// reported there).
    pub name_span: Span,
    /// Global indexes only.
    pub hash: Option<usize>,
    pub range: Option<usize>,
    /// A multi-attribute key's further fields, in order.
    pub more_hash: Vec<usize>,
    pub more_range: Vec<usize>,
    /// Key attributes composed by templates (`key(...)` in a global index).
    pub templates: Option<crate::template::Composite>,
    pub projection: Projection,
}

pub enum Projection {
    All,
    KeysOnly,
    /// Stored attribute names.
    Include(Vec<String>),
}

/// An enum deriving `DynamoValue`.
pub struct ValueEnum {
    pub ident: Ident,
    pub krate: Path,
    /// Each variant and the string it is stored as.
    pub variants: Vec<(Ident, String)>,
}

fn default_crate() -> Path {
    syn::parse_quote!(::dynamo_blocking)
}

/// A field's flag and where it was written.
struct Flag {
    field: usize,
    span: Span,
}

impl Item {
    pub fn from_input(input: &DeriveInput) -> syn::Result<Item> {
        let mut errors = Errors::default();
        let named = match &input.data {
            Data::Struct(s) => match &s.fields {
                Fields::Named(named) => named,
                Fields::Unnamed(fields) => {
                    return Err(syn::Error::new_spanned(
                        fields,
                        "#[derive(DynamoItem)] needs a struct with named fields: \
                         each field becomes an attribute named after it",
                    ))
                }
                Fields::Unit => {
                    return Err(syn::Error::new_spanned(
                        &input.ident,
                        "#[derive(DynamoItem)] needs a struct with named fields; \
                         a unit struct has no attributes to store",
                    ))
                }
            },
            Data::Enum(e) => {
                return Err(syn::Error::new_spanned(
                    e.enum_token,
                    "#[derive(DynamoItem)] is for structs with named fields; \
                     for an enum of unit variants stored as a string, use #[derive(DynamoValue)]",
                ))
            }
            Data::Union(u) => {
                return Err(syn::Error::new_spanned(
                    u.union_token,
                    "#[derive(DynamoItem)] is for structs with named fields, not unions",
                ))
            }
        };
        check_no_generics(input, "DynamoItem", &mut errors);

        let container = attrs::container(&input.attrs, Place::Item, &mut errors);
        let rename_all = container.rename_all.as_ref().map(|(rule, _)| *rule);

        let mut fields = Vec::new();
        let mut hash: Option<Flag> = None;
        let mut range: Option<Flag> = None;
        let mut version: Option<Flag> = None;
        let mut ttl: Option<Flag> = None;
        for (i, f) in named.named.iter().enumerate() {
            let member = f.ident.clone().expect("named fields have names");
            let rust_name = member.unraw().to_string();
            let a = attrs::field(&f.attrs, &mut errors);

            let name = match &a.rename {
                Some(lit) => {
                    if lit.value().is_empty() {
                        errors.spanned(lit, "an attribute name cannot be empty");
                    }
                    lit.value()
                }
                None => match rename_all {
                    Some(rule) => rule.apply_to_field(&rust_name),
                    None => rust_name.clone(),
                },
            };

            if let Some(skip) = a.skip {
                let others = [
                    (
                        "hash_key",
                        a.hash_key.is_some(),
                        "a key field must be stored",
                    ),
                    (
                        "range_key",
                        a.range_key.is_some(),
                        "a key field must be stored",
                    ),
                    ("version", a.version.is_some(), "the version must be stored"),
                    ("ttl", a.ttl.is_some(), "the expiry time must be stored"),
                    (
                        "rename",
                        a.rename.is_some(),
                        "a skipped field has no attribute name",
                    ),
                    ("with", a.with.is_some(), "a skipped field is not converted"),
                ];
                for (option, given, why) in others {
                    if given {
                        errors.push(syn::Error::new(
                            skip,
                            format!("`skip` cannot be combined with `{option}`: {why}"),
                        ));
                    }
                }
            }
            if let Some(with) = &a.with {
                if a.hash_key.is_some() || a.range_key.is_some() {
                    errors.spanned(
                        with,
                        "`with` cannot be used on a key field: the key's type (S, N or B) \
                         is taken from the field's Rust type",
                    );
                }
                if let Some(span) = a.version {
                    errors.push(syn::Error::new(
                        span,
                        "`version` cannot be combined with `with`: the version is stored \
                         as a plain number",
                    ));
                }
            }
            if let (Some(span), true) = (a.version, a.hash_key.is_some() || a.range_key.is_some()) {
                errors.push(syn::Error::new(span, "a key field cannot be the version"));
            }
            if let (Some(span), Some(_)) = (a.ttl, a.version) {
                errors.push(syn::Error::new(
                    span,
                    "a field cannot be both `version` and `ttl`",
                ));
            }

            let fields_so_far: &[Field] = &fields;
            let mut claim =
                |slot: &mut Option<Flag>, span: Option<Span>, what: &str, hint: &str| {
                    let Some(span) = span else { return false };
                    match slot {
                        Some(first) => {
                            errors.push(syn::Error::new(
                                span,
                                format!(
                                    "duplicate {what}: `{}` is already the {what}{hint}",
                                    fields_so_far[first.field].member.unraw()
                                ),
                            ));
                            false
                        }
                        None => {
                            *slot = Some(Flag { field: i, span });
                            true
                        }
                    }
                };
            let is_hash = claim(
                &mut hash,
                a.hash_key,
                "hash key",
                "; a table has exactly one (declare a global_index for another access pattern)",
            );
            let is_range = claim(
                &mut range,
                a.range_key,
                "range key",
                "; a table has at most one",
            );
            claim(&mut version, a.version, "version field", "");
            claim(&mut ttl, a.ttl, "ttl field", "; a table has at most one");

            if a.hash_key.is_some() && a.range_key.is_some() {
                errors.push(syn::Error::new(
                    a.range_key.unwrap_or_else(Span::call_site),
                    "a field cannot be both the hash key and the range key",
                ));
            }
            let mut key_type = None;
            if (is_hash || is_range) && a.skip.is_none() {
                if types::obviously_not_key(&f.ty) {
                    errors.spanned(
                        &f.ty,
                        format!(
                            "a key field must be a string, number or binary (Vec<u8>); \
                             `{}` cannot be a key",
                            types::display(&f.ty)
                        ),
                    );
                }
                key_type = Some(f.ty.clone());
            }
            if a.version.is_some() && types::obviously_not_integer(&f.ty) {
                errors.spanned(
                    &f.ty,
                    format!(
                        "a `version` field must be an integer (u64, i64...), `Number`, \
                         or an `Option` of one; `{}` is not",
                        types::display(&f.ty)
                    ),
                );
            }
            if a.ttl.is_some()
                && a.with.is_none()
                && types::obviously_not_integer(&f.ty)
                && !types::is_date_time(&f.ty)
            {
                errors.spanned(
                    &f.ty,
                    format!(
                        "a `ttl` field holds the expiry time: `DateTime<Utc>`, an integer \
                         of epoch seconds (u64, i64...) or an `Option` of one; `{}` is not \
                         (store another type with `with = \"...\"`)",
                        types::display(&f.ty)
                    ),
                );
            }

            let skip = a.skip.is_some();
            if !skip {
                if let Some(other) = fields.iter().find(|o: &&Field| !o.skip && o.name == name) {
                    let message = format!(
                        "two fields are stored as `{name}`: `{}` and `{}`",
                        other.member.unraw(),
                        rust_name
                    );
                    match &a.rename {
                        Some(lit) => errors.spanned(lit, message),
                        None => errors.spanned(&member, message),
                    }
                }
            }
            fields.push(Field {
                member,
                ty: f.ty.clone(),
                name,
                skip,
                default: a.default.map(|(d, _)| d),
                with: a.with,
                key_type,
            });
        }

        let indexes = resolve_indexes(&container.indexes, &mut fields, &mut errors);
        let single_table = crate::template::resolve(
            &container.single_table,
            &fields,
            hash.is_some() || range.is_some(),
            &mut errors,
        );
        let mut needed: Vec<(usize, String)> = Vec::new();
        for index in &indexes {
            let keys = index.hash.iter().chain(&index.range);
            for &f in keys.chain(&index.more_hash).chain(&index.more_range) {
                needed.push((f, format!("index `{}`", index.name)));
            }
        }
        needed.extend(version.as_ref().map(|v| (v.field, "`version`".to_owned())));
        needed.extend(ttl.as_ref().map(|t| (t.field, "`ttl`".to_owned())));
        crate::template::check_unstored(
            &container.single_table,
            &single_table,
            &fields,
            &needed,
            &mut errors,
        );
        let composite = single_table.composite.is_some();

        let keys = match &hash {
            Some(h) => Some(Keys {
                hash: h.field,
                range: range.as_ref().map(|r| r.field),
            }),
            None if composite => None,
            None => {
                if let Some((span, what)) = needs_hash_key(&container, &range, &version, &ttl) {
                    errors.push(syn::Error::new(
                        span,
                        format!(
                            "{what} needs a hash key: mark the field holding the partition \
                             key with #[dynamo(hash_key)]"
                        ),
                    ));
                }
                None
            }
        };
        let composite_range = single_table
            .composite
            .as_ref()
            .is_some_and(|c| c.range.is_some());
        if (hash.is_some() && range.is_none()) || (composite && !composite_range) {
            for index in &container.indexes {
                if index.kind == IndexKind::Local {
                    errors.spanned(
                        &index.keyword,
                        "a local_index needs a table with a range key: \
                         mark one field #[dynamo(range_key)]",
                    );
                }
            }
        }

        if let Some(table) = &container.table {
            if let Err(message) = check_name(&table.value(), "table") {
                errors.spanned(table, message);
            }
        }

        let stream = container.stream.as_ref().and_then(|lit| {
            let view = stream_view(&lit.value());
            if view.is_none() {
                errors.spanned(
                    lit,
                    "unknown stream view type; expected one of \"keys_only\", \"new_image\", \
                     \"old_image\", \"new_and_old_images\"",
                );
            }
            view
        });

        errors.finish(())?;
        Ok(Item {
            ident: input.ident.clone(),
            vis: input.vis.clone(),
            krate: container.crate_path.unwrap_or_else(default_crate),
            table: container.table.map(|t| t.value()),
            stream,
            fields,
            keys,
            indexes,
            version: version.map(|v| v.field),
            ttl: ttl.map(|t| t.field),
            single_table,
        })
    }
}

/// The first option that only makes sense on a table item, if any: where it
/// was written and how to name it.
fn needs_hash_key(
    container: &attrs::ContainerAttrs,
    range: &Option<Flag>,
    version: &Option<Flag>,
    ttl: &Option<Flag>,
) -> Option<(Span, &'static str)> {
    if let Some(table) = &container.table {
        return Some((table.span(), "`table`"));
    }
    if let Some(stream) = &container.stream {
        return Some((stream.span(), "`stream`"));
    }
    if let Some(r) = range {
        return Some((r.span, "a `range_key`"));
    }
    if let Some(index) = container.indexes.first() {
        let what = match index.kind {
            IndexKind::Local => "a `local_index`",
            IndexKind::Global => "a `global_index`",
        };
        return Some((index.keyword.span(), what));
    }
    if let Some(v) = version {
        return Some((v.span, "a `version` field"));
    }
    ttl.as_ref().map(|t| (t.span, "a `ttl` field"))
}

fn resolve_indexes(indexes: &[IndexAttr], fields: &mut [Field], errors: &mut Errors) -> Vec<Index> {
    let mut out: Vec<Index> = Vec::new();
    for index in indexes {
        let name = index.name.value();
        if let Err(message) = check_name(&name, "index") {
            errors.spanned(&index.name, message);
        }
        if out.iter().any(|i| i.name == name) {
            errors.spanned(&index.name, format!("duplicate index name `{name}`"));
        }
        // A key names each attribute once (the index's generated function
        // takes one parameter per key attribute).
        if index.key.is_none() {
            let named = index.hash.iter().chain(&index.more_hash);
            let named = named.chain(&index.range).chain(&index.more_range);
            let mut seen: Vec<String> = Vec::new();
            for lit in named {
                if seen.contains(&lit.value()) {
                    errors.spanned(
                        lit,
                        format!(
                            "index `{name}` names `{}` twice: a key attribute appears once in it",
                            lit.value()
                        ),
                    );
                }
                seen.push(lit.value());
            }
        }
        let templates = index
            .key
            .as_ref()
            .and_then(|k| crate::template::index_templates(index, k, fields, errors));
        let mut key = |lit: &Option<LitStr>, role: &str| -> Option<usize> {
            let lit = lit.as_ref()?;
            let i = find_field(fields, lit, errors)?;
            let f = &mut fields[i];
            if f.skip {
                errors.spanned(
                    lit,
                    format!(
                        "index `{name}` uses `{}` as its {role}, but that field is skipped",
                        lit.value()
                    ),
                );
                return None;
            }
            if f.with.is_some() {
                errors.spanned(
                    lit,
                    format!(
                        "index `{name}` uses `{}` as its {role}, but that field uses `with`: \
                         a key's type (S, N or B) is taken from the field's Rust type",
                        lit.value()
                    ),
                );
                return None;
            }
            // An index key may be optional: items without it are left out of
            // the index (a sparse index).
            let key_ty = types::option_inner(&f.ty).unwrap_or(&f.ty).clone();
            if types::obviously_not_key(&key_ty) {
                errors.spanned(
                    &f.ty,
                    format!(
                        "`{}` is the {role} of index `{name}`, so it must be a string, number \
                         or binary (Vec<u8>), or an Option of one; `{}` cannot be a key",
                        lit.value(),
                        types::display(&f.ty)
                    ),
                );
                return None;
            }
            f.key_type.get_or_insert(key_ty);
            Some(i)
        };
        let (hash, range) = match &index.key {
            Some(_) => (None, None),
            None => (key(&index.hash, "hash key"), key(&index.range, "range key")),
        };
        // A templated key reports extra attributes once, in `index_templates`.
        let untemplated = |lits: &[LitStr]| match &index.key {
            Some(_) => Vec::new(),
            None => lits.to_vec(),
        };
        let more_hash: Vec<usize> = untemplated(&index.more_hash)
            .iter()
            .filter_map(|lit| key(&Some(lit.clone()), "hash key"))
            .collect();
        let more_range: Vec<usize> = untemplated(&index.more_range)
            .iter()
            .filter_map(|lit| key(&Some(lit.clone()), "range key"))
            .collect();
        let projection = match &index.projection {
            ProjectionAttr::All => Projection::All,
            ProjectionAttr::KeysOnly => Projection::KeysOnly,
            ProjectionAttr::Include(lits) => Projection::Include(
                lits.iter()
                    .filter_map(|lit| {
                        let i = find_field(fields, lit, errors)?;
                        if fields[i].skip {
                            errors.spanned(
                                lit,
                                format!("`{}` is skipped, so no index can include it", lit.value()),
                            );
                            return None;
                        }
                        Some(fields[i].name.clone())
                    })
                    .collect(),
            ),
        };
        out.push(Index {
            kind: index.kind,
            name,
            name_span: index.name.span(),
            hash,
            range,
            more_hash,
            more_range,
            templates,
            projection,
        });
    }
    out
}

/// The field a `hash`, `range` or `include` entry names (by its Rust name).
fn find_field(fields: &[Field], lit: &LitStr, errors: &mut Errors) -> Option<usize> {
    let wanted = lit.value();
    if let Some(i) = fields.iter().position(|f| f.member.unraw() == wanted) {
        return Some(i);
    }
    let hint = if let Some(f) = fields.iter().find(|f| !f.skip && f.name == wanted) {
        format!(
            "; indexes name Rust fields: did you mean `{}` (stored as `{wanted}`)?",
            f.member.unraw()
        )
    } else {
        unknown_field_hint(fields, &wanted)
    };
    errors.spanned(lit, format!("no field named `{wanted}`{hint}"));
    None
}

/// What to say after "no field named `wanted`": the closest field name, or
/// all of them.
pub fn unknown_field_hint(fields: &[Field], wanted: &str) -> String {
    let names: Vec<String> = fields
        .iter()
        .map(|f| f.member.unraw().to_string())
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    match attrs::closest(wanted, &refs) {
        Some(close) => format!("; did you mean `{close}`?"),
        None => format!(
            "; the fields are {}",
            refs.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// DynamoDB's naming rule for tables and indexes.
fn check_name(name: &str, what: &str) -> Result<(), String> {
    let ok = (3..=255).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "invalid {what} name `{name}`: DynamoDB wants 3 to 255 characters from \
             a-z, A-Z, 0-9, `_`, `-` and `.`"
        ))
    }
}

fn check_no_generics(input: &DeriveInput, derive: &str, errors: &mut Errors) {
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        errors.spanned(
            &input.generics,
            format!(
                "#[derive({derive})] does not support generic parameters; \
                 derive it on a concrete type"
            ),
        );
    }
}

impl ValueEnum {
    pub fn from_input(input: &DeriveInput) -> syn::Result<ValueEnum> {
        let mut errors = Errors::default();
        let data = match &input.data {
            Data::Enum(e) => e,
            Data::Struct(s) => {
                return Err(syn::Error::new_spanned(
                    s.struct_token,
                    "#[derive(DynamoValue)] is for enums of unit variants; \
                     for a struct, use #[derive(DynamoItem)]",
                ))
            }
            Data::Union(u) => {
                return Err(syn::Error::new_spanned(
                    u.union_token,
                    "#[derive(DynamoValue)] is for enums of unit variants, not unions",
                ))
            }
        };
        check_no_generics(input, "DynamoValue", &mut errors);
        let container = attrs::container(&input.attrs, Place::Value, &mut errors);
        let rename_all = container.rename_all.as_ref().map(|(rule, _)| *rule);
        let mut variants: Vec<(Ident, String)> = Vec::new();
        for v in &data.variants {
            if !matches!(v.fields, Fields::Unit) {
                errors.spanned(
                    &v.fields,
                    format!(
                        "#[derive(DynamoValue)] supports only unit variants, stored as their \
                         name; `{}` carries data",
                        v.ident.unraw()
                    ),
                );
            }
            let a = attrs::variant(&v.attrs, &mut errors);
            let name = match &a.rename {
                Some(lit) => lit.value(),
                None => {
                    let raw = v.ident.unraw().to_string();
                    rename_all.map_or(raw.clone(), |rule| rule.apply_to_variant(&raw))
                }
            };
            if let Some((other, _)) = variants.iter().find(|(_, n)| *n == name) {
                let message = format!(
                    "two variants are stored as `{name}`: `{}` and `{}`",
                    other.unraw(),
                    v.ident.unraw()
                );
                match &a.rename {
                    Some(lit) => errors.spanned(lit, message),
                    None => errors.spanned(&v.ident, message),
                }
            }
            variants.push((v.ident.clone(), name));
        }
        errors.finish(())?;
        Ok(ValueEnum {
            ident: input.ident.clone(),
            krate: container.crate_path.unwrap_or_else(default_crate),
            variants,
        })
    }
}

/// The `StreamViewType` variant of a `stream = "..."` value.
fn stream_view(value: &str) -> Option<&'static str> {
    Some(match value {
        "keys_only" => "KeysOnly",
        "new_image" => "NewImage",
        "old_image" => "OldImage",
        "new_and_old_images" => "NewAndOldImages",
        _ => return None,
    })
}
