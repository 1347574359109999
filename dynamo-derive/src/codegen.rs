//! Code generation from the checked [`model`](crate::model).
//!
//! Every library path goes through the crate path (`::dynamo_blocking` unless
//! `#[dynamo(crate = "...")]`). Trait calls on a field's type are spanned at
//! that type, so a field whose type has no conversion (or cannot be a key) is
//! reported at the field, not at the derive.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Ident, Path};

use crate::attrs::{DefaultAttr, IndexKind};
use crate::codegen_template;
use crate::model::{Field, Index, Item, Projection, ValueEnum};

pub fn item(item: &Item) -> TokenStream {
    let ident = &item.ident;
    let krate = &item.krate;
    let type_name = ident.unraw().to_string();
    // Fields with `store_fields = false` live only inside the composed key.
    let unstored = item
        .single_table
        .composite
        .as_ref()
        .map(|c| c.unstored_fields())
        .unwrap_or_default();
    let in_key = |f: &Field| unstored.iter().any(|&i| std::ptr::eq(&item.fields[i], f));
    let stored: Vec<&Field> = item
        .fields
        .iter()
        .filter(|f| !f.skip && !in_key(f))
        .collect();

    let ttl_field = item.ttl.map(|i| &item.fields[i]);
    let is_ttl = |f: &Field| ttl_field.is_some_and(|t| std::ptr::eq(t, f));
    let encode = stored
        .iter()
        .map(|f| encode_field(f, krate, &type_name, is_ttl(f)));
    // from_item walks the map once, moving each known attribute into its
    // field's slot (one pass, no per-field lookup and rebalancing), then
    // converts the slots in field order.
    let slots: Vec<Ident> = (0..item.fields.len()).map(value_slot).collect();
    let stored_slots: Vec<&Ident> = item
        .fields
        .iter()
        .zip(&slots)
        .filter(|(f, _)| !f.skip && !in_key(f))
        .map(|(_, slot)| slot)
        .collect();
    let stored_names = stored.iter().map(|f| &f.name);
    let entity_check = codegen_template::entity_check(item);
    let composed = codegen_template::composed_attributes(item);
    let (key_slots, key_arms) = codegen_template::key_slots(item);
    let read_unstored = codegen_template::read_unstored(item);
    let take_values = if stored.is_empty() && unstored.is_empty() {
        quote!(let _ = __item;)
    } else {
        quote! {
            #(let mut #stored_slots: ::core::option::Option<#krate::AttributeValue> = ::core::option::Option::None;)*
            #key_slots
            for (__name, __value) in #krate::Attributes::into_inner(__item) {
                match __name.as_str() {
                    #(#stored_names => #stored_slots = ::core::option::Option::Some(__value),)*
                    #key_arms
                    #entity_check
                    _ => {}
                }
            }
        }
    };
    let decode = item
        .fields
        .iter()
        .zip(&slots)
        .enumerate()
        .map(|(i, (f, slot))| match unstored.contains(&i) {
            true => {
                let member = &f.member;
                let local = codegen_template::part_local(i);
                quote!(#member: #local)
            }
            false => decode_field(f, slot, krate, &type_name, is_ttl(f)),
        });
    let names = stored.iter().map(|f| &f.name);

    let key_consts = item.fields.iter().enumerate().filter_map(|(i, f)| {
        let ty = f.key_type.as_ref()?;
        let konst = scalar_const(i);
        Some(quote_spanned! {ty.span()=>
            const #konst: #krate::ScalarType = <#ty as #krate::KeyType>::SCALAR;
        })
    });
    let integer_checks = item.version.iter().map(|&i| {
        let ty = &item.fields[i].ty;
        quote_spanned! {ty.span()=>
            const _: () = __dynamo_integer::<#ty>();
        }
    });
    let integer_helper = item.version.is_some().then(|| {
        quote! {
            const fn __dynamo_integer<T: #krate::IntegerAttribute>() {}
        }
    });

    let (fields_struct, fields_impl) = fields_accessor(item, &stored);
    let keyed_item = item.keys.is_some() || item.single_table.composite.is_some();
    let (key_struct, keyed_impls) = match keyed_item {
        true => {
            let (s, i) = keyed(item);
            (Some(s), Some(i))
        }
        false => (None, None),
    };

    quote! {
        #key_struct
        #fields_struct

        #[doc(hidden)]
        const _: () = {
            #(#key_consts)*
            #integer_helper
            #(#integer_checks)*

            #[automatically_derived]
            impl #krate::DynamoItem for #ident {
                #[allow(unused_mut)]
                fn to_item(&self) -> ::core::result::Result<#krate::Attributes, #krate::ConvertError> {
                    let mut __item = #krate::Attributes::new();
                    #(#encode)*
                    #composed
                    ::core::result::Result::Ok(__item)
                }

                #[allow(unused_mut, unused_variables)]
                fn from_item(__item: #krate::Attributes) -> ::core::result::Result<Self, #krate::ConvertError> {
                    #take_values
                    #read_unstored
                    ::core::result::Result::Ok(#ident {
                        #(#decode,)*
                    })
                }

                fn attribute_names() -> &'static [&'static ::core::primitive::str] {
                    &[#(#names),*]
                }
            }

            #[automatically_derived]
            impl #krate::ToAttribute for #ident {
                fn to_attribute(&self) -> ::core::result::Result<#krate::AttributeValue, #krate::ConvertError> {
                    #krate::DynamoItem::to_item(self).map(#krate::AttributeValue::M)
                }
            }

            #[automatically_derived]
            impl #krate::FromAttribute for #ident {
                fn from_attribute(value: #krate::AttributeValue) -> ::core::result::Result<Self, #krate::ConvertError> {
                    match value {
                        #krate::AttributeValue::M(__map) => #krate::DynamoItem::from_item(__map),
                        __other => ::core::result::Result::Err(
                            #krate::ConvertError::type_mismatch("M", __other.attribute_type()),
                        ),
                    }
                }
            }

            #fields_impl
            #keyed_impls
        };
    }
}

/// The local holding field `field`'s attribute value in `from_item`.
fn value_slot(field: usize) -> Ident {
    format_ident!("__dynamo_value_{}", field)
}

fn scalar_const(field: usize) -> Ident {
    format_ident!("__DYNAMO_KEY_SCALAR_{}", field)
}

/// Errors from a field's conversion name the attribute and the struct.
fn in_field(name: &str, type_name: &str) -> TokenStream {
    quote!(|__e| __e.in_field(#name).in_type(#type_name))
}

fn encode_field(f: &Field, krate: &Path, type_name: &str, ttl: bool) -> TokenStream {
    let member = &f.member;
    let name = &f.name;
    let ty = &f.ty;
    let context = in_field(name, type_name);
    match &f.with {
        Some(with) => quote! {
            __item.insert(#name, #with::to_attribute(&self.#member).map_err(#context)?);
        },
        None if ttl => {
            let to = quote_spanned!(ty.span()=> <#ty as #krate::TtlAttribute>::to_ttl);
            quote! {
                if let ::core::option::Option::Some(__ttl) = #to(&self.#member).map_err(#context)? {
                    __item.insert(#name, __ttl);
                }
            }
        }
        None => {
            let to = quote_spanned!(ty.span()=> <#ty as #krate::ToAttribute>);
            quote! {
                if !#to::is_absent(&self.#member) {
                    __item.insert(#name, #to::to_attribute(&self.#member).map_err(#context)?);
                }
            }
        }
    }
}

fn decode_field(f: &Field, slot: &Ident, krate: &Path, type_name: &str, ttl: bool) -> TokenStream {
    let member = &f.member;
    let ty = &f.ty;
    let name = &f.name;
    let default = match &f.default {
        Some(DefaultAttr::Trait) => {
            Some(quote_spanned!(ty.span()=> <#ty as ::core::default::Default>::default()))
        }
        Some(DefaultAttr::Function(path)) => Some(quote!(#path())),
        None => None,
    };
    if f.skip {
        let value = default.unwrap_or_else(
            || quote_spanned!(ty.span()=> <#ty as ::core::default::Default>::default()),
        );
        return quote!(#member: #value);
    }
    let context = in_field(name, type_name);
    let from = quote_spanned!(ty.span()=> <#ty as #krate::FromAttribute>);
    let from_ttl = quote_spanned!(ty.span()=> <#ty as #krate::TtlAttribute>::from_ttl);
    let present = match &f.with {
        Some(with) => quote!(#with::from_attribute(__value)),
        None if ttl => quote!(#from_ttl(::core::option::Option::Some(__value))),
        None => quote!(#from::from_attribute(__value)),
    };
    let missing = match (default, &f.with) {
        (Some(default), _) => quote!(::core::result::Result::Ok(#default)),
        (None, Some(_)) => quote!(::core::result::Result::Err(#krate::ConvertError::missing())),
        (None, None) if ttl => quote!(#from_ttl(::core::option::Option::None)),
        (None, None) => quote!(#from::from_missing()),
    };
    quote! {
        #member: match #slot {
            ::core::option::Option::Some(__value) => #present,
            ::core::option::Option::None => #missing,
        }
        .map_err(#context)?
    }
}

/// `UserFields` and `User::fields()`.
fn fields_accessor(item: &Item, stored: &[&Field]) -> (TokenStream, TokenStream) {
    let ident = &item.ident;
    let vis = &item.vis;
    let krate = &item.krate;
    let fields_ident = format_ident!("{}Fields", ident.unraw(), span = ident.span());
    let doc = format!(
        "Typed handles on the attributes of [`{}`], from [`{}::fields`].",
        ident.unraw(),
        ident.unraw()
    );
    let members: Vec<&Ident> = stored.iter().map(|f| &f.member).collect();
    let docs = stored
        .iter()
        .map(|f| format!("The `{}` attribute.", f.name));
    let types = stored.iter().map(|f| &f.ty);
    let names = stored.iter().map(|f| &f.name);
    let strukt = quote! {
        #[doc = #doc]
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
        #[allow(dead_code)]
        #vis struct #fields_ident {
            #(
                #[doc = #docs]
                pub #members: #krate::expr::Field<#types>,
            )*
        }
    };
    let method_doc = format!(
        "Typed handles on the attributes of `{}`, for expressions: \
         `{}::fields().{}`.",
        ident.unraw(),
        ident.unraw(),
        stored
            .first()
            .map_or_else(|| "field".to_owned(), |f| f.member.unraw().to_string())
    );
    let imp = quote! {
        #[automatically_derived]
        impl #ident {
            #[doc = #method_doc]
            #[allow(dead_code)]
            #vis const fn fields() -> #fields_ident {
                #fields_ident {
                    #( #members: #krate::expr::Field::new(#names), )*
                }
            }
        }
    };
    (strukt, imp)
}

/// `UserKey`, and the `ItemKey` and `KeyedItem` implementations.
fn keyed(item: &Item) -> (TokenStream, TokenStream) {
    let ident = &item.ident;
    let vis = &item.vis;
    let krate = &item.krate;
    let key_ident = format_ident!("{}Key", ident.unraw(), span = ident.span());
    let key_fields: Vec<&Field> = codegen_template::key_fields(item)
        .or_else(|| {
            let keys = item.keys.as_ref()?;
            Some(std::iter::once(keys.hash).chain(keys.range).collect())
        })
        .expect("keyed items have keys")
        .into_iter()
        .map(|i| &item.fields[i])
        .collect();
    let members: Vec<&Ident> = key_fields.iter().map(|f| &f.member).collect();
    let types = key_fields.iter().map(|f| &f.ty);
    let names: Vec<&String> = key_fields.iter().map(|f| &f.name).collect();
    let docs = key_fields
        .iter()
        .map(|f| format!("The `{}` attribute.", f.name));
    let key_doc = format!(
        "The primary key of [`{}`]: {}.",
        ident.unraw(),
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(" and ")
    );
    let key_type_name = key_ident.to_string();
    let key_contexts = names.iter().map(|n| in_field(n, &key_type_name));

    let strukt = quote! {
        #[doc = #key_doc]
        #[allow(dead_code)]
        #vis struct #key_ident {
            #(
                #[doc = #docs]
                pub #members: #types,
            )*
        }
    };

    // Written out rather than derived so that a key type lacking one of these
    // traits is reported at the field's type, not at the derive.
    let clones: Vec<TokenStream> = key_fields
        .iter()
        .map(|f| {
            let member = &f.member;
            let ty = &f.ty;
            let clone = quote_spanned!(ty.span()=> <#ty as ::core::clone::Clone>::clone);
            quote!(#member: #clone(&self.#member))
        })
        .collect();
    let debugs = key_fields.iter().map(|f| {
        let member = &f.member;
        let ty = &f.ty;
        let label = f.member.unraw().to_string();
        let value = quote_spanned!(ty.span()=> &self.#member);
        quote!(.field(#label, #value))
    });
    let eqs = key_fields.iter().map(|f| {
        let member = &f.member;
        let ty = &f.ty;
        quote_spanned!(ty.span()=> <#ty as ::core::cmp::PartialEq>::eq(&self.#member, &other.#member))
    });
    // `Eq` and `Hash` hold when every key field has them (a float key has
    // neither). The bounds are higher-ranked so that a key type without the
    // trait leaves the impl unusable instead of failing to compile.
    let key_types: Vec<&syn::Type> = key_fields.iter().map(|f| &f.ty).collect();
    let hashes = members
        .iter()
        .map(|m| quote!(::core::hash::Hash::hash(&self.#m, state);));
    let key_name = key_ident.to_string();
    let key_traits = quote! {
        #[automatically_derived]
        impl ::core::cmp::Eq for #key_ident
        where
            #(for<'__dynamo> #key_types: ::core::cmp::Eq,)*
        {
        }

        #[automatically_derived]
        impl ::core::hash::Hash for #key_ident
        where
            #(for<'__dynamo> #key_types: ::core::hash::Hash,)*
        {
            fn hash<__H: ::core::hash::Hasher>(&self, state: &mut __H) {
                #(#hashes)*
            }
        }

        #[automatically_derived]
        impl ::core::clone::Clone for #key_ident {
            fn clone(&self) -> Self {
                #key_ident { #(#clones,)* }
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Debug for #key_ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#key_name)#(#debugs)*.finish()
            }
        }

        #[automatically_derived]
        impl ::core::cmp::PartialEq for #key_ident {
            fn eq(&self, other: &Self) -> ::core::primitive::bool {
                #(#eqs)&&*
            }
        }
    };

    let key_attribute = |i: usize| {
        let name = &item.fields[i].name;
        let konst = scalar_const(i);
        quote!(#krate::KeyAttribute::new(#name, #konst))
    };
    let schema = |hash: usize, range: Option<usize>| {
        let hash = key_attribute(hash);
        match range {
            Some(range) => {
                let range = key_attribute(range);
                quote!(#krate::KeySchema::hash_range(#hash, #range))
            }
            None => quote!(#krate::KeySchema::hash(#hash)),
        }
    };
    let table_schema = codegen_template::table_schema(item).unwrap_or_else(|| {
        let keys = item.keys.as_ref().expect("keyed items have keys");
        schema(keys.hash, keys.range)
    });
    let indexes = item.indexes.iter().map(|index| {
        let Index {
            kind,
            name,
            name_span: _,
            hash,
            range,
            more_hash,
            more_range,
            templates,
            projection,
        } = index;
        let projection = match projection {
            Projection::All => quote!(#krate::Projection::All),
            Projection::KeysOnly => quote!(#krate::Projection::KeysOnly),
            Projection::Include(fields) => quote! {
                #krate::Projection::Include(::std::vec![
                    #( ::std::string::String::from(#fields) ),*
                ])
            },
        };
        match kind {
            IndexKind::Local => {
                let range = key_attribute(range.expect("local indexes have a range key"));
                quote! {
                    #krate::SecondaryIndex::Local(#krate::LocalIndex::new(#name, #range, #projection))
                }
            }
            IndexKind::Global => {
                let schema = match templates {
                    Some(t) => codegen_template::schema(krate, t),
                    None => schema(hash.expect("global indexes have a hash key"), *range),
                };
                let more_hash = more_hash.iter().map(|&i| key_attribute(i));
                let more_range = more_range.iter().map(|&i| key_attribute(i));
                quote! {
                    #krate::SecondaryIndex::Global({
                        let mut __index = #krate::GlobalIndex::new(#name, #schema, #projection);
                        __index.more_hash = ::std::vec![#(#more_hash),*];
                        __index.more_range = ::std::vec![#(#more_range),*];
                        __index
                    })
                }
            }
        }
    });
    let indexes_fn = (!item.indexes.is_empty()).then(|| {
        quote! {
            fn indexes() -> ::std::vec::Vec<#krate::SecondaryIndex> {
                ::std::vec![#(#indexes),*]
            }
        }
    });

    let optional_name = |name: Option<&str>| match name {
        Some(name) => quote!(::core::option::Option::Some(#name)),
        None => quote!(::core::option::Option::None),
    };
    let table = optional_name(item.table.as_deref());
    let version = optional_name(item.version.map(|i| item.fields[i].name.as_str()));
    let ttl = optional_name(item.ttl.map(|i| item.fields[i].name.as_str()));
    let stream = match item.stream {
        Some(view) => {
            let view = format_ident!("{}", view);
            quote!(::core::option::Option::Some(#krate::wire::StreamViewType::#view))
        }
        None => quote!(::core::option::Option::None),
    };

    let set_version = item.version.map(|i| {
        let f = &item.fields[i];
        let member = &f.member;
        let ty = &f.ty;
        let context = in_field(&f.name, &ident.unraw().to_string());
        let from = quote_spanned!(ty.span()=> <#ty as #krate::FromAttribute>);
        quote! {
            fn set_version(&mut self, version: ::core::primitive::u64) -> ::core::result::Result<(), #krate::ConvertError> {
                self.#member = #from::from_attribute(
                    #krate::AttributeValue::N(#krate::Number::from(version)),
                )
                .map_err(#context)?;
                ::core::result::Result::Ok(())
            }

            fn check_version(version: ::core::primitive::u64) -> ::core::result::Result<(), #krate::ConvertError> {
                #from::from_attribute(
                    #krate::AttributeValue::N(#krate::Number::from(version)),
                )
                .map(drop)
                .map_err(#context)
            }
        }
    });

    let (hash_ty, range_ty, template_items) = codegen_template::hash_and_range(item)
        .unwrap_or_else(|| {
            let hash_ty = &key_fields[0].ty;
            let range_ty = match key_fields.get(1) {
                Some(f) => {
                    let ty = &f.ty;
                    quote!(#ty)
                }
                None => quote!(#krate::NoRange),
            };
            (quote!(#hash_ty), range_ty, TokenStream::new())
        });
    let to_key = codegen_template::to_key_body(item, &key_type_name).unwrap_or_else(|| {
        quote! {
            let mut __key = #krate::Attributes::new();
            #(
                __key.insert(
                    #names,
                    #krate::ToAttribute::to_attribute(&self.#members).map_err(#key_contexts)?,
                );
            )*
            ::core::result::Result::Ok(__key)
        }
    });
    let entity_impl = codegen_template::entity_impl(item);
    let index_builders = codegen_template::index_builders(item);
    let index_partitions = crate::codegen_index::partitions(item);
    let key_method_doc = format!("This item's key (the [`{}`] fields).", key_ident);
    let impls = quote! {
        #key_traits
        #template_items
        #entity_impl
        #index_builders
        #index_partitions

        #[automatically_derived]
        impl #ident {
            #[doc = #key_method_doc]
            #[allow(dead_code)]
            #vis fn key(&self) -> #key_ident {
                <Self as #krate::KeyedItem>::key(self)
            }
        }

        #[automatically_derived]
        impl #krate::ItemKey for #key_ident {
            fn to_key(&self) -> ::core::result::Result<#krate::Attributes, #krate::ConvertError> {
                #to_key
            }
        }

        #[automatically_derived]
        impl #krate::KeyedItem for #ident {
            type Key = #key_ident;
            type Hash = #hash_ty;
            type Range = #range_ty;
            const TABLE_NAME: ::core::option::Option<&'static ::core::primitive::str> = #table;
            const VERSION_ATTRIBUTE: ::core::option::Option<&'static ::core::primitive::str> = #version;
            const TTL_ATTRIBUTE: ::core::option::Option<&'static ::core::primitive::str> = #ttl;
            const STREAM_VIEW: ::core::option::Option<#krate::wire::StreamViewType> = #stream;

            fn key_schema() -> #krate::KeySchema {
                #table_schema
            }

            #indexes_fn

            fn key(&self) -> #key_ident {
                #key_ident { #(#clones,)* }
            }

            #set_version
        }
    };
    (strukt, impls)
}

pub fn value_enum(value: &ValueEnum) -> TokenStream {
    let ident = &value.ident;
    let krate = &value.krate;
    let variants: Vec<&Ident> = value.variants.iter().map(|(v, _)| v).collect();
    let names: Vec<&String> = value.variants.iter().map(|(_, n)| n).collect();
    let type_name = ident.unraw().to_string();
    let expected = if names.is_empty() {
        "none: the enum has no variants".to_owned()
    } else {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // An enum without variants has no value to encode: a bare `match` is
    // the whole body (anything after it would be unreachable code).
    let encode = if variants.is_empty() {
        quote!(match *self {})
    } else {
        quote! {
            let name: &'static ::core::primitive::str = match *self {
                #( #ident::#variants => #names, )*
            };
            ::core::result::Result::Ok(#krate::AttributeValue::S(::std::string::String::from(name)))
        }
    };
    quote! {
        #[doc(hidden)]
        const _: () = {
            #[automatically_derived]
            impl #krate::ToAttribute for #ident {
                fn to_attribute(&self) -> ::core::result::Result<#krate::AttributeValue, #krate::ConvertError> {
                    #encode
                }
            }

            #[automatically_derived]
            impl #krate::FromAttribute for #ident {
                fn from_attribute(value: #krate::AttributeValue) -> ::core::result::Result<Self, #krate::ConvertError> {
                    match value {
                        #krate::AttributeValue::S(__text) => match __text.as_str() {
                            #( #names => ::core::result::Result::Ok(#ident::#variants), )*
                            _ => ::core::result::Result::Err(#krate::ConvertError::other(
                                ::std::format!(
                                    "unknown `{}` value `{}`; expected one of {}",
                                    #type_name, __text, #expected,
                                ),
                            )),
                        },
                        __other => ::core::result::Result::Err(
                            #krate::ConvertError::type_mismatch("S", __other.attribute_type()),
                        ),
                    }
                }
            }

            #[automatically_derived]
            impl #krate::KeyType for #ident {
                const SCALAR: #krate::ScalarType = #krate::ScalarType::S;
            }

            #[automatically_derived]
            impl #krate::expr::HasPrefix for #ident {
                type Prefix = ::std::string::String;
            }

            #[automatically_derived]
            impl #krate::TemplatePart for #ident {
                const FIXED_WIDTH: ::core::primitive::bool = false;
                fn write_part(&self, out: &mut ::std::string::String) -> ::core::result::Result<(), #krate::ConvertError> {
                    if let #krate::AttributeValue::S(__text) = #krate::ToAttribute::to_attribute(self)? {
                        out.push_str(&__text);
                    }
                    ::core::result::Result::Ok(())
                }
            }

            #[automatically_derived]
            impl #krate::FromTemplatePart for #ident {
                const WIDTH: ::core::option::Option<::core::primitive::usize> = ::core::option::Option::None;
                fn read_part(text: &::core::primitive::str) -> ::core::result::Result<Self, #krate::ConvertError> {
                    #krate::FromAttribute::from_attribute(#krate::AttributeValue::S(::std::string::String::from(text)))
                }
            }
        };
    }
}
