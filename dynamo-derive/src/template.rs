//! Single-table options of `#[derive(DynamoItem)]`: key attributes named on
//! the struct (`hash = "pk", range = "sk"`), composed from fields by key
//! templates (`key(hash = "CUSTOMER#{customer_id}", range = "ORDER#{order_id}")`),
//! and the entity name (`entity = "order"`). Parsing and checking live here;
//! the code they generate is in `codegen_template`.

use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Ident, LitBool, LitStr};

use crate::attrs::{set_once, string_value};
use crate::errors::Errors;
use crate::model::Field;

/// The attribute `#[derive(DynamoEntity)]` reads; the same as
/// `dynamo_core::ENTITY_ATTRIBUTE`.
pub const ENTITY_ATTRIBUTE: &str = "entity";

/// `hash`, `range`, `entity` and `key(...)` on the struct, as written.
#[derive(Default)]
pub struct SingleTableAttrs {
    pub hash: Option<LitStr>,
    pub range: Option<LitStr>,
    pub entity: Option<LitStr>,
    pub key: Option<KeyAttr>,
}

/// `key(hash = "...", range = "...", store_fields = false)`.
pub struct KeyAttr {
    pub keyword: Ident,
    pub hash: Option<LitStr>,
    pub range: Option<LitStr>,
    pub store_fields: Option<LitBool>,
}

/// Parses one of this module's struct options.
pub fn parse_option(
    meta: &ParseNestedMeta<'_>,
    word: &str,
    out: &mut SingleTableAttrs,
    errors: &mut Errors,
) -> syn::Result<()> {
    match word {
        "hash" => set_once(
            &mut out.hash,
            string_value(meta, "hash = \"pk\"")?,
            meta,
            errors,
        ),
        "range" => set_once(
            &mut out.range,
            string_value(meta, "range = \"sk\"")?,
            meta,
            errors,
        ),
        "entity" => set_once(
            &mut out.entity,
            string_value(meta, "entity = \"order\"")?,
            meta,
            errors,
        ),
        "key" => {
            let key = parse_key(meta, errors)?;
            set_once(&mut out.key, key, meta, errors);
        }
        _ => unreachable!("only single-table options are passed here"),
    }
    Ok(())
}

/// `key(hash = "...", range = "...", store_fields = ...)`, on the struct or
/// in a `global_index`.
pub fn parse_key(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> syn::Result<KeyAttr> {
    let keyword = meta.path.require_ident()?.clone();
    const EXAMPLE: &str = "key(hash = \"USER#{user_id}\", range = \"ORDER#{order_id}\")";
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!("`key` needs its templates, as in `{EXAMPLE}`")));
    }
    let mut hash = None;
    let mut range = None;
    let mut store_fields = None;
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("hash") {
            set_once(&mut hash, string_value(&inner, EXAMPLE)?, &inner, errors);
        } else if inner.path.is_ident("range") {
            set_once(&mut range, string_value(&inner, EXAMPLE)?, &inner, errors);
        } else if inner.path.is_ident("store_fields") {
            // A wrong value is reported without dropping the
            // templates, so it causes no further errors.
            match inner.value()?.parse::<syn::Expr>()? {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Bool(b),
                    ..
                }) => set_once(&mut store_fields, b, &inner, errors),
                other => errors.spanned(
                    &other,
                    "expected `true` or `false`, as in `store_fields = false`",
                ),
            }
        } else {
            return Err(syn::Error::new_spanned(
                &inner.path,
                "unknown key option; expected `hash`, `range` or `store_fields`",
            ));
        }
        Ok(())
    })?;
    let key = KeyAttr {
        keyword,
        hash,
        range,
        store_fields,
    };
    if key.hash.is_none() {
        errors.spanned(
            &key.keyword,
            format!("`key` needs a hash template, as in `{EXAMPLE}`"),
        );
    }
    Ok(key)
}

/// Key attributes composed by templates.
pub struct Composite {
    pub hash: Template,
    pub range: Option<Template>,
    /// Whether the fields the templates read are also stored as attributes
    /// of their own (`store_fields = false` reads them back from the key).
    pub store_fields: bool,
}

impl Composite {
    /// The fields the templates read, each once, in order.
    pub fn fields(&self) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for f in self
            .hash
            .fields()
            .chain(self.range.iter().flat_map(Template::fields))
        {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }

    /// The fields stored only inside the composed key attributes.
    pub fn unstored_fields(&self) -> Vec<usize> {
        match self.store_fields {
            true => Vec::new(),
            false => self.fields(),
        }
    }
}

/// Refuses `store_fields = false` for a field that another option needs as
/// an attribute of its own (an index key, the version, the expiry time).
pub fn check_unstored(
    attrs: &SingleTableAttrs,
    single_table: &SingleTable,
    fields: &[Field],
    needed: &[(usize, String)],
    errors: &mut Errors,
) {
    let (Some(composite), Some(lit)) = (
        &single_table.composite,
        attrs.key.as_ref().and_then(|k| k.store_fields.as_ref()),
    ) else {
        return;
    };
    let unstored = composite.unstored_fields();
    for (field, what) in needed {
        if unstored.contains(field) {
            errors.spanned(
                lit,
                format!(
                    "`store_fields = false` keeps `{}` only inside the key, but {what} needs \
                     it as an attribute of its own",
                    fields[*field].member.unraw()
                ),
            );
        }
    }
}

/// One key attribute and the template composing it.
pub struct Template {
    /// The key attribute's name (`pk`).
    pub attribute: String,
    /// The template as written, for run-time errors.
    pub text: String,
    pub parts: Vec<Part>,
}

#[derive(Clone)]
pub enum Part {
    Literal(String),
    Field {
        /// Index into the item's fields.
        field: usize,
        /// The character after the placeholder, which a variable-width
        /// value may not contain.
        separator: Option<char>,
    },
}

impl Template {
    /// The fields the template reads, in order.
    pub fn fields(&self) -> impl Iterator<Item = usize> + '_ {
        self.parts.iter().filter_map(|p| match p {
            Part::Field { field, .. } => Some(*field),
            Part::Literal(_) => None,
        })
    }
}

/// The checked single-table options.
pub struct SingleTable {
    pub composite: Option<Composite>,
    pub entity: Option<String>,
}

/// Checks the options against the fields; `flag_keys` is whether a field is
/// marked `hash_key`.
pub fn resolve(
    attrs: &SingleTableAttrs,
    fields: &[Field],
    flag_keys: bool,
    errors: &mut Errors,
) -> SingleTable {
    let composite = composite(attrs, fields, flag_keys, errors);
    let entity = attrs.entity.as_ref().map(|lit| {
        if lit.value().is_empty() {
            errors.spanned(lit, "an entity name cannot be empty");
        }
        if !flag_keys && attrs.key.is_none() && attrs.hash.is_none() {
            errors.spanned(
                lit,
                "an `entity` needs a key: mark a #[dynamo(hash_key)] field or give \
                 `hash = \"pk\"` with a `key(hash = \"...\")` template",
            );
        }
        if let Some(f) = fields
            .iter()
            .find(|f| !f.skip && f.name == ENTITY_ATTRIBUTE)
        {
            errors.spanned(
                lit,
                format!(
                    "field `{}` is stored as `{ENTITY_ATTRIBUTE}`, the attribute that holds \
                     the entity name; rename it",
                    f.member.unraw()
                ),
            );
        }
        lit.value()
    });
    SingleTable { composite, entity }
}

fn composite(
    attrs: &SingleTableAttrs,
    fields: &[Field],
    flag_keys: bool,
    errors: &mut Errors,
) -> Option<Composite> {
    let key = match (&attrs.key, &attrs.hash) {
        (None, None) => {
            if let Some(range) = &attrs.range {
                errors.spanned(
                    range,
                    "`range` names a composed key attribute; it needs `hash = \"pk\"` and \
                     `key(hash = \"...\", range = \"...\")`",
                );
            }
            return None;
        }
        (None, Some(hash)) => {
            errors.spanned(
                hash,
                "`hash` names a composed key attribute; add its template with \
                 `#[dynamo(key(hash = \"USER#{user_id}\"))]` (or mark a field \
                 #[dynamo(hash_key)] for a plain key)",
            );
            return None;
        }
        (Some(key), None) => {
            errors.spanned(
                &key.keyword,
                "key templates need the attributes they compose: add \
                 `#[dynamo(hash = \"pk\", range = \"sk\")]` to the struct",
            );
            return None;
        }
        (Some(key), Some(_)) => key,
    };
    if flag_keys {
        errors.spanned(
            &key.keyword,
            "a struct has either key templates or a #[dynamo(hash_key)] field, not both",
        );
    }
    let (hash, range) = paired_templates(
        attrs.hash.as_ref()?,
        attrs.range.as_ref(),
        key,
        "`range = \"sk\"` to the struct",
        fields,
        errors,
    )?;
    Some(Composite {
        hash,
        range,
        store_fields: key.store_fields.as_ref().is_none_or(LitBool::value),
    })
}

/// The templates of a global index's `key(...)`: `hash` and `range` of the
/// index then name the attributes they compose.
pub fn index_templates(
    index: &crate::attrs::IndexAttr,
    key: &KeyAttr,
    fields: &[Field],
    errors: &mut Errors,
) -> Option<Composite> {
    if let Some(lit) = index.more_hash.first().or(index.more_range.first()) {
        errors.spanned(
            lit,
            "a templated index key is one attribute; compose several fields in its template",
        );
    }
    if let Some(lit) = &key.store_fields {
        errors.spanned(
            lit,
            "`store_fields` belongs to the table's `key(...)`; an index template never \
             changes which fields are stored",
        );
    }
    let (hash, range) = paired_templates(
        index.hash.as_ref()?,
        index.range.as_ref(),
        key,
        "`range = \"gsi1sk\"` to the index",
        fields,
        errors,
    )?;
    Some(Composite {
        hash,
        range,
        store_fields: true,
    })
}

/// The templates of `key(...)` paired with the attributes they compose;
/// `add_range` says where a missing range attribute goes.
fn paired_templates(
    hash_attr: &LitStr,
    range_attr: Option<&LitStr>,
    key: &KeyAttr,
    add_range: &str,
    fields: &[Field],
    errors: &mut Errors,
) -> Option<(Template, Option<Template>)> {
    let hash = template(hash_attr, key.hash.as_ref()?, fields, errors);
    let range = match (range_attr, &key.range) {
        (Some(attr), Some(text)) => template(attr, text, fields, errors),
        (None, None) => None,
        (Some(attr), None) => {
            errors.spanned(
                attr,
                "the range attribute needs a template: `key(hash = \"...\", range = \"...\")`",
            );
            None
        }
        (None, Some(text)) => {
            errors.spanned(
                text,
                format!("a range template needs the attribute it composes: add {add_range}"),
            );
            None
        }
    };
    if let (Some(h), Some(r), Some(attr)) = (&hash, &range, range_attr) {
        if h.attribute == r.attribute {
            errors.spanned(
                attr,
                "the hash and range key attributes need different names",
            );
        }
    }
    Some((hash?, range))
}

/// Parses and checks one template.
fn template(
    attribute: &LitStr,
    text: &LitStr,
    fields: &[Field],
    errors: &mut Errors,
) -> Option<Template> {
    let name = attribute.value();
    if name.is_empty() {
        errors.spanned(attribute, "an attribute name cannot be empty");
        return None;
    }
    if let Some(f) = fields.iter().find(|f| !f.skip && f.name == name) {
        errors.spanned(
            attribute,
            format!(
                "the key attribute `{name}` is composed by a template, but field `{}` is \
                 also stored as `{name}`",
                f.member.unraw()
            ),
        );
        return None;
    }
    if name == ENTITY_ATTRIBUTE {
        errors.spanned(
            attribute,
            format!("`{ENTITY_ATTRIBUTE}` holds the entity name; name the key attribute otherwise"),
        );
    }
    let source = text.value();
    let mut parts: Vec<Part> = Vec::new();
    let mut rest = source.as_str();
    let mut ok = true;
    while !rest.is_empty() {
        let open = rest.find('{');
        let close = rest.find('}');
        match (open, close) {
            (None, None) => {
                parts.push(Part::Literal(rest.to_owned()));
                break;
            }
            (_, Some(c)) if open.is_none_or(|o| c < o) => {
                errors.spanned(
                    text,
                    format!("`}}` without a `{{` in key template `{source}`"),
                );
                return None;
            }
            (Some(o), close) => {
                let Some(c) = close else {
                    errors.spanned(
                        text,
                        format!("unclosed `{{` in key template `{source}`: write `{{field}}`"),
                    );
                    return None;
                };
                if o > 0 {
                    parts.push(Part::Literal(rest[..o].to_owned()));
                }
                let wanted = &rest[o + 1..c];
                if matches!(parts.last(), Some(Part::Field { .. })) {
                    errors.spanned(
                        text,
                        format!(
                            "`{{{wanted}}}` directly follows another field in key template \
                             `{source}`: put a separator between them, as in `{{a}}#{{b}}`"
                        ),
                    );
                    ok = false;
                }
                match find_template_field(fields, wanted, text, errors) {
                    Some(field) => parts.push(Part::Field {
                        field,
                        separator: None,
                    }),
                    None => ok = false,
                }
                rest = &rest[c + 1..];
            }
            (None, Some(_)) => unreachable!("handled by the arm above"),
        }
    }
    // Each field's separator is the first character of the literal after it.
    for i in 0..parts.len() {
        let next = match parts.get(i + 1) {
            Some(Part::Literal(l)) => l.chars().next(),
            _ => None,
        };
        if let Part::Field { separator, .. } = &mut parts[i] {
            *separator = next;
        }
    }
    ok.then_some(Template {
        attribute: name,
        text: source,
        parts,
    })
}

fn find_template_field(
    fields: &[Field],
    wanted: &str,
    text: &LitStr,
    errors: &mut Errors,
) -> Option<usize> {
    let source = text.value();
    if wanted.trim().is_empty() {
        errors.spanned(
            text,
            format!("empty `{{}}` in key template `{source}`: name a field, as in `{{user_id}}`"),
        );
        return None;
    }
    match fields.iter().position(|f| f.member.unraw() == wanted) {
        Some(i) if fields[i].skip => {
            errors.spanned(
                text,
                format!("key template `{source}` uses `{wanted}`, but that field is skipped"),
            );
            None
        }
        Some(i) => Some(i),
        None => {
            let hint = crate::model::unknown_field_hint(fields, wanted);
            errors.spanned(
                text,
                format!("key template `{source}` names no field `{wanted}`{hint}"),
            );
            None
        }
    }
}
