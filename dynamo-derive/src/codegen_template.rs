//! Code for the single-table options (see `template`): composed key
//! attributes in `to_item` and `to_key`, the `<Name>Hash` type typed queries
//! take, the range key builders, and `impl Entity`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Ident, Path};

use crate::model::{Field, Item};
use crate::template::{Composite, Part, Template};

/// An expression of type `String` composing `template`, with `?` on errors;
/// `value` gives the expression reading a field.
fn compose(
    template: &Template,
    fields: &[Field],
    krate: &Path,
    value: impl Fn(&Field) -> TokenStream,
) -> TokenStream {
    let text = &template.text;
    let steps = template.parts.iter().map(|part| match part {
        Part::Literal(l) => quote!(__text.push_str(#l);),
        Part::Field { field, separator } => {
            let f = &fields[*field];
            let ty = &f.ty;
            let name = f.member.unraw().to_string();
            let separator = separator_tokens(*separator);
            let push = quote_spanned!(ty.span()=> #krate::push_part::<#ty>);
            let value = value(f);
            quote!(#push(&mut __text, #value, #name, #text, #separator)?;)
        }
    });
    quote!({
        let mut __text = ::std::string::String::new();
        #(#steps)*
        __text
    })
}

/// `Option<char>`: the character after a field in its template.
fn separator_tokens(separator: Option<char>) -> TokenStream {
    match separator {
        Some(c) => quote!(::core::option::Option::Some(#c)),
        None => quote!(::core::option::Option::None),
    }
}

fn self_field(f: &Field) -> TokenStream {
    let member = &f.member;
    quote!(&self.#member)
}

/// Statements for `to_item`: the composed key attributes and the entity name.
pub fn composed_attributes(item: &Item) -> TokenStream {
    let krate = &item.krate;
    let type_name = item.ident.unraw().to_string();
    let index_templates = item.indexes.iter().filter_map(|i| i.templates.as_ref());
    let composed = item
        .single_table
        .composite
        .iter()
        .chain(index_templates)
        .flat_map(|c| {
            std::iter::once(&c.hash)
                .chain(&c.range)
                .map(|t| {
                    let name = &t.attribute;
                    let text = compose(t, &item.fields, krate, self_field);
                    quote! {
                        __item.insert(#name, #krate::AttributeValue::S(
                            (|| -> ::core::result::Result<_, #krate::ConvertError> {
                                ::core::result::Result::Ok(#text)
                            })().map_err(|__e| __e.in_type(#type_name))?,
                        ));
                    }
                })
                .collect::<Vec<_>>()
        });
    let entity = item.single_table.entity.as_ref().map(|e| {
        quote! {
            __item.insert(#krate::ENTITY_ATTRIBUTE, #krate::AttributeValue::S(::std::string::String::from(#e)));
        }
    });
    quote!(#(#composed)* #entity)
}

/// A `from_item` match arm refusing an item of another entity type.
pub fn entity_check(item: &Item) -> Option<TokenStream> {
    let entity = item.single_table.entity.as_ref()?;
    let krate = &item.krate;
    let type_name = item.ident.unraw().to_string();
    Some(quote! {
        __name if __name == #krate::ENTITY_ATTRIBUTE => {
            if __value.as_s() != ::core::option::Option::Some(#entity) {
                return ::core::result::Result::Err(
                    #krate::ConvertError::other(::std::format!(
                        "the item's entity is {:?}, not `{}`",
                        __value.as_s().unwrap_or("not a string"),
                        #entity,
                    ))
                    .in_field(#krate::ENTITY_ATTRIBUTE)
                    .in_type(#type_name),
                );
            }
        }
    })
}

/// The fields of the key type: those the templates read, in order.
pub fn key_fields(item: &Item) -> Option<Vec<usize>> {
    Some(item.single_table.composite.as_ref()?.fields())
}

/// `KeySchema` of the table's composed attributes (both strings).
pub fn table_schema(item: &Item) -> Option<TokenStream> {
    Some(schema(&item.krate, item.single_table.composite.as_ref()?))
}

/// `KeySchema` of composed attributes (both strings).
pub fn schema(krate: &Path, c: &Composite) -> TokenStream {
    let attr = |t: &Template| {
        let name = &t.attribute;
        quote!(#krate::KeyAttribute::new(#name, #krate::ScalarType::S))
    };
    let hash = attr(&c.hash);
    match &c.range {
        Some(r) => {
            let range = attr(r);
            quote!(#krate::KeySchema::hash_range(#hash, #range))
        }
        None => quote!(#krate::KeySchema::hash(#hash)),
    }
}

/// The body of `ItemKey::to_key` for composed keys.
pub fn to_key_body(item: &Item, key_type_name: &str) -> Option<TokenStream> {
    let c = item.single_table.composite.as_ref()?;
    let krate = &item.krate;
    let inserts = std::iter::once(&c.hash).chain(&c.range).map(|t| {
        let name = &t.attribute;
        let text = compose(t, &item.fields, krate, self_field);
        quote!(__key.insert(#name, #krate::AttributeValue::S(#text));)
    });
    Some(quote! {
        (|| -> ::core::result::Result<#krate::Attributes, #krate::ConvertError> {
            let mut __key = #krate::Attributes::new();
            #(#inserts)*
            ::core::result::Result::Ok(__key)
        })().map_err(|__e| __e.in_type(#key_type_name))
    })
}

/// The `Hash` and `Range` types of `KeyedItem` for composed keys, and the
/// items defining them: `<Name>Hash` (the hash template's fields, built from
/// them with `From`), and on the struct `range_key(...)`, `range_prefix()`
/// and one `range_prefix_<field>(...)` per field but the last.
pub fn hash_and_range(item: &Item) -> Option<(TokenStream, TokenStream, TokenStream)> {
    let c = item.single_table.composite.as_ref()?;
    let krate = &item.krate;
    let ident = &item.ident;
    let vis = &item.vis;
    let hash_ident = format_ident!("{}Hash", ident.unraw(), span = ident.span());
    let hash_fields: Vec<&Field> = c.hash.fields().map(|i| &item.fields[i]).collect();
    let members: Vec<&Ident> = hash_fields.iter().map(|f| &f.member).collect();
    let types: Vec<&syn::Type> = hash_fields.iter().map(|f| &f.ty).collect();
    let compose_hash = compose(&c.hash, &item.fields, krate, self_field);
    let hash_type_name = hash_ident.to_string();
    let from = match types.as_slice() {
        [ty] => {
            let member = members[0];
            quote! {
                #[automatically_derived]
                impl ::core::convert::From<#ty> for #hash_ident {
                    fn from(#member: #ty) -> Self {
                        #hash_ident { #member }
                    }
                }
            }
        }
        _ => quote! {
            #[automatically_derived]
            impl ::core::convert::From<(#(#types,)*)> for #hash_ident {
                fn from((#(#members,)*): (#(#types,)*)) -> Self {
                    #hash_ident { #(#members,)* }
                }
            }
        },
    };
    let hash_doc = format!(
        "The hash key of [`{}`] (`{}` = `{}`): the fields its template reads. \
         Typed queries take it, or the field's value (a tuple for several).",
        ident.unraw(),
        c.hash.attribute,
        c.hash.text
    );
    let hash_items = quote! {
        #[doc = #hash_doc]
        #[allow(dead_code)]
        #vis struct #hash_ident {
            #( #[doc = "A field of the hash key template."] pub #members: #types, )*
        }

        #from

        #[automatically_derived]
        impl #krate::ToAttribute for #hash_ident {
            fn to_attribute(&self) -> ::core::result::Result<#krate::AttributeValue, #krate::ConvertError> {
                (|| -> ::core::result::Result<_, #krate::ConvertError> {
                    ::core::result::Result::Ok(#krate::AttributeValue::S(#compose_hash))
                })().map_err(|__e| __e.in_type(#hash_type_name))
            }
        }
    };
    let (range_ty, range_fns) = match &c.range {
        None => (quote!(#krate::NoRange), TokenStream::new()),
        Some(range) => (quote!(#krate::KeyText), range_builders(item, range, "")),
    };
    Some((
        quote!(#hash_ident),
        range_ty,
        quote! {
            #hash_items
            #[automatically_derived]
            impl #ident {
                #range_fns
            }
        },
    ))
}

/// A function on the struct composing `parts` of `template` from the fields
/// they read, given by reference, into a `KeyText`.
fn key_text_fn(
    item: &Item,
    template: &Template,
    parts: &[Part],
    name: Ident,
    doc: String,
) -> TokenStream {
    let krate = &item.krate;
    let vis = &item.vis;
    let partial = Template {
        attribute: template.attribute.clone(),
        text: template.text.clone(),
        parts: parts.to_vec(),
    };
    let fields: Vec<&Field> = partial.fields().map(|i| &item.fields[i]).collect();
    let members = fields.iter().map(|f| &f.member);
    let types = fields.iter().map(|f| &f.ty);
    let param = |f: &Field| {
        let member = &f.member;
        quote!(#member)
    };
    let text = compose(&partial, &item.fields, krate, param);
    quote! {
        #[doc = #doc]
        #[allow(dead_code, clippy::ptr_arg)]
        #vis fn #name(#(#members: &#types),*) -> ::core::result::Result<#krate::KeyText, #krate::ConvertError> {
            ::core::result::Result::Ok(#krate::KeyText::from_template(#text))
        }
    }
}

/// `<prefix>range_key`, `<prefix>range_prefix` and
/// `<prefix>range_prefix_<field>` on the struct.
fn range_builders(item: &Item, range: &Template, prefix: &str) -> TokenStream {
    let builder =
        |parts: &[Part], name: Ident, doc: String| key_text_fn(item, range, parts, name, doc);
    let mut out = builder(
        &range.parts,
        format_ident!("{prefix}range_key"),
        format!(
            "The `{}` value `{}` for these fields (for range conditions).",
            range.attribute, range.text
        ),
    );
    // Prefixes: up to the literal before the first field, then up to and
    // including the separator after each field but the last.
    let field_positions: Vec<usize> = range
        .parts
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p, Part::Field { .. }))
        .map(|(i, _)| i)
        .collect();
    let first = field_positions
        .first()
        .copied()
        .unwrap_or(range.parts.len());
    out.extend(builder(
        &range.parts[..first],
        format_ident!("{prefix}range_prefix"),
        format!(
            "The fixed start of `{}` (`{}`): `range_begins_with` on it finds every item \
             this template writes.",
            range.attribute, range.text
        ),
    ));
    for pair in field_positions.windows(2) {
        let Part::Field { field, .. } = &range.parts[pair[0]] else {
            continue;
        };
        let member = item.fields[*field].member.unraw();
        // The literal after the field is kept, so a prefix never matches a
        // longer value of a variable-width field.
        let end = pair[0] + 2;
        out.extend(builder(
            &range.parts[..end.min(pair[1])],
            format_ident!("{prefix}range_prefix_{}", member),
            format!(
                "The start of `{}` (`{}`) up to `{{{member}}}` and the separator after it, \
                 for `range_begins_with`.",
                range.attribute, range.text
            ),
        ));
    }
    out
}

/// For each global index with key templates: `<index>_hash(...)` and the
/// range builders prefixed `<index>_`, where `<index>` is the index name in
/// snake case (`ByStatus` gives `by_status_hash`).
pub fn index_builders(item: &Item) -> TokenStream {
    let ident = &item.ident;
    let fns = item.indexes.iter().filter_map(|index| {
        let t = index.templates.as_ref()?;
        let prefix = index_fn_prefix(&index.name);
        let mut out = key_text_fn(
            item,
            &t.hash,
            &t.hash.parts,
            format_ident!("{prefix}hash"),
            format!(
                "The `{}` value `{}` of index `{}` for these fields (for `query_index`).",
                t.hash.attribute, t.hash.text, index.name
            ),
        );
        if let Some(range) = &t.range {
            out.extend(range_builders(item, range, &prefix));
        }
        Some(out)
    });
    let fns: Vec<TokenStream> = fns.collect();
    if fns.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[automatically_derived]
        impl #ident {
            #(#fns)*
        }
    }
}

/// `ByStatus` → `by_status_`, `orders-by-day` → `orders_by_day_`.
pub fn index_fn_prefix(index: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in index.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            previous_lower = true;
        } else {
            out.push('_');
            previous_lower = false;
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "index_");
    }
    out.push('_');
    out
}

/// `impl Entity` for structs with `entity = "..."`.
pub fn entity_impl(item: &Item) -> Option<TokenStream> {
    let entity = item.single_table.entity.as_ref()?;
    let krate = &item.krate;
    let ident = &item.ident;
    Some(quote! {
        #[automatically_derived]
        impl #krate::Entity for #ident {
            const ENTITY_NAME: &'static ::core::primitive::str = #entity;
        }
    })
}

/// The local holding composed key attribute `n` (0 hash, 1 range) in
/// `from_item`, when fields are read back from it.
fn key_slot(n: usize) -> Ident {
    format_ident!("__dynamo_key_{}", n)
}

/// The local holding the value of field `field` read back from a key.
pub fn part_local(field: usize) -> Ident {
    format_ident!("__dynamo_part_{}", field)
}

/// The templates fields are read back from (`store_fields = false`).
fn read_back(item: &Item) -> Vec<&Template> {
    match &item.single_table.composite {
        Some(c) if !c.store_fields => std::iter::once(&c.hash).chain(&c.range).collect(),
        _ => Vec::new(),
    }
}

/// For `from_item` with `store_fields = false`: the slots declared before the
/// walk over the item's attributes, and the match arms filling them.
pub fn key_slots(item: &Item) -> (TokenStream, TokenStream) {
    let krate = &item.krate;
    let templates = read_back(item);
    let slots: Vec<Ident> = (0..templates.len()).map(key_slot).collect();
    let names = templates.iter().map(|t| &t.attribute);
    (
        quote!(#(let mut #slots: ::core::option::Option<#krate::AttributeValue> = ::core::option::Option::None;)*),
        quote!(#(#names => #slots = ::core::option::Option::Some(__value),)*),
    )
}

/// Statements of `from_item` binding each field stored only in the key to
/// its value read back from the key text (see `part_local`); a key that does
/// not follow its template is a `ConvertErrorKind::KeyTemplateMismatch`.
pub fn read_unstored(item: &Item) -> TokenStream {
    let krate = &item.krate;
    let type_name = item.ident.unraw().to_string();
    let mut read: Vec<usize> = Vec::new();
    let mut out = TokenStream::new();
    for (n, t) in read_back(item).into_iter().enumerate() {
        let slot = key_slot(n);
        let name = &t.attribute;
        let text = &t.text;
        let context = quote!(|__e: #krate::ConvertError| __e.in_field(#name).in_type(#type_name));
        let steps = t.parts.iter().map(|part| match part {
            Part::Literal(l) => quote!(__reader.literal(#l).map_err(#context)?;),
            Part::Field { field, separator } => {
                let f = &item.fields[*field];
                let ty = &f.ty;
                let member = f.member.unraw().to_string();
                let separator = separator_tokens(*separator);
                let part = quote_spanned!(ty.span()=> __reader.part::<#ty>);
                let value = quote!(#part(#member, #separator).map_err(#context)?);
                // A field in both templates is read from the first; the
                // second must still follow its template.
                if read.contains(field) {
                    quote!(let _ = #value;)
                } else {
                    read.push(*field);
                    let local = part_local(*field);
                    quote!(let #local: #ty = #value;)
                }
            }
        });
        let steps: Vec<TokenStream> = steps.collect();
        out.extend(quote! {
            let __key_value = #slot.ok_or_else(|| {
                #krate::ConvertError::missing().in_field(#name).in_type(#type_name)
            })?;
            let mut __reader = #krate::KeyReader::new(&__key_value, #text).map_err(#context)?;
            #(#steps)*
            __reader.finish().map_err(#context)?;
        });
    }
    out
}
