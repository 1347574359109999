//! `#[derive(DynamoEntity)]`: an enum with one variant per entity type of a
//! table, each holding a struct with `#[dynamo(entity = "...")]`; items are
//! decoded into the variant their entity attribute names. An optional
//! `#[dynamo(unknown)]` variant holding `Attributes` takes items of any other
//! entity (otherwise they are an error).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Path, Type};

use crate::errors::Errors;

pub struct EntityEnum {
    ident: Ident,
    krate: Path,
    /// Each variant and the struct it holds.
    variants: Vec<(Ident, Type)>,
    /// The `#[dynamo(unknown)]` variant.
    unknown: Option<Ident>,
}

impl EntityEnum {
    pub fn from_input(input: &DeriveInput) -> syn::Result<EntityEnum> {
        let mut errors = Errors::default();
        let Data::Enum(data) = &input.data else {
            return Err(syn::Error::new_spanned(
                &input.ident,
                "#[derive(DynamoEntity)] is for an enum with one variant per entity type, \
                 as in `enum Row { Customer(Customer), Order(Order) }`",
            ));
        };
        if !input.generics.params.is_empty() {
            errors.spanned(
                &input.generics,
                "#[derive(DynamoEntity)] does not support generic parameters",
            );
        }
        let mut krate: Path = syn::parse_quote!(::dynamo_blocking);
        for attr in input.attrs.iter().filter(|a| a.path().is_ident("dynamo")) {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("crate") {
                    let lit: LitStr = meta.value()?.parse()?;
                    krate = lit.parse()?;
                    Ok(())
                } else {
                    Err(meta.error("unknown DynamoEntity option; expected `crate`"))
                }
            });
            if let Err(e) = result {
                errors.push(e);
            }
        }
        let mut variants = Vec::new();
        let mut unknown: Option<Ident> = None;
        for v in &data.variants {
            let mut is_unknown = false;
            for attr in v.attrs.iter().filter(|a| a.path().is_ident("dynamo")) {
                let result = attr
                    .parse_nested_meta(|meta| {
                        if meta.path.is_ident("unknown") {
                            is_unknown = true;
                            Ok(())
                        } else {
                            Err(meta.error(
                                "unknown DynamoEntity variant option; expected `unknown` \
                             (the variant that takes items of other entity types)",
                            ))
                        }
                    })
                    .and_then(|()| {
                        if is_unknown && unknown.is_some() {
                            Err(syn::Error::new_spanned(
                                attr,
                                "only one variant can be #[dynamo(unknown)]",
                            ))
                        } else {
                            Ok(())
                        }
                    });
                if let Err(e) = result {
                    errors.push(e);
                }
            }
            let ty = match &v.fields {
                Fields::Unnamed(f) if f.unnamed.len() == 1 => f.unnamed[0].ty.clone(),
                other => {
                    errors.spanned(
                        other,
                        format!(
                            "variant `{}` must hold one value: the entity struct, as in \
                             `{}(Order)`",
                            v.ident.unraw(),
                            v.ident.unraw()
                        ),
                    );
                    continue;
                }
            };
            if is_unknown {
                unknown = Some(v.ident.clone());
            } else {
                variants.push((v.ident.clone(), ty));
            }
        }
        if variants.is_empty() {
            errors.spanned(
                &input.ident,
                "an entity enum needs at least one entity variant",
            );
        }
        errors.finish(())?;
        Ok(EntityEnum {
            ident: input.ident.clone(),
            krate,
            variants,
            unknown,
        })
    }
}

pub fn codegen(e: &EntityEnum) -> TokenStream {
    let ident = &e.ident;
    let krate = &e.krate;
    let type_name = ident.unraw().to_string();
    let names: Vec<&Ident> = e.variants.iter().map(|(v, _)| v).collect();
    // Trait uses are spanned at the variant's type, so a struct without an
    // `entity` is reported there.
    let entity_names: Vec<TokenStream> = e
        .variants
        .iter()
        .map(|(_, ty)| quote_spanned!(ty.span()=> <#ty as #krate::Entity>::ENTITY_NAME))
        .collect();
    let types: Vec<&Type> = e.variants.iter().map(|(_, t)| t).collect();
    let (unknown_encode, unknown_decode) = match &e.unknown {
        Some(u) => (
            quote!(#ident::#u(__item) => ::core::result::Result::Ok(::core::clone::Clone::clone(__item)),),
            quote!(::core::result::Result::Ok(#ident::#u(__item))),
        ),
        None => (
            TokenStream::new(),
            quote! {
                ::core::result::Result::Err(#krate::ConvertError::other(::std::format!(
                    "entity {:?} is not one of {:?}",
                    __entity.as_deref().unwrap_or("(none)"),
                    [#(#entity_names),*],
                ))
                .in_field(#krate::ENTITY_ATTRIBUTE)
                .in_type(#type_name))
            },
        ),
    };
    quote! {
        #[doc(hidden)]
        const _: () = {
            #[automatically_derived]
            impl #krate::DynamoItem for #ident {
                fn to_item(&self) -> ::core::result::Result<#krate::Attributes, #krate::ConvertError> {
                    match self {
                        #( #ident::#names(__value) => #krate::DynamoItem::to_item(__value), )*
                        #unknown_encode
                    }
                }

                fn from_item(__item: #krate::Attributes) -> ::core::result::Result<Self, #krate::ConvertError> {
                    let __entity: ::core::option::Option<::std::string::String> = __item
                        .get(#krate::ENTITY_ATTRIBUTE)
                        .and_then(|__v| __v.as_s())
                        .map(::std::string::String::from);
                    #(
                        if __entity.as_deref() == ::core::option::Option::Some(#entity_names) {
                            return <#types as #krate::DynamoItem>::from_item(__item).map(#ident::#names);
                        }
                    )*
                    #unknown_decode
                }
            }

            #[automatically_derived]
            impl #krate::DynamoEntity for #ident {
                fn layouts() -> ::std::vec::Vec<#krate::EntityLayout> {
                    ::std::vec![#( #krate::EntityLayout::of::<#types>() ),*]
                }
            }
        };
    }
}
