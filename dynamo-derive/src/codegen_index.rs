//! Per declared index, the function that names one of its partitions with
//! typed values (`Match::by_tournament_region(tournament, region)`), for
//! `TypedTable::query_by`. The partition's type lists the index's sort-key
//! types, so the query's key conditions are checked by the compiler; the
//! query itself is one generic mechanism in the library.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Ident, Type};

use crate::attrs::IndexKind;
use crate::codegen_template::index_fn_prefix;
use crate::model::{Index, Item};

/// Names generated code already gives associated functions of the struct.
const TAKEN: &[&str] = &["key", "fields", "range_key", "range_prefix"];

/// `impl Match { fn by_tournament_region(...) -> IndexPartition<...> }`.
pub fn partitions(item: &Item) -> TokenStream {
    let fns: Vec<TokenStream> = item
        .indexes
        .iter()
        .map(|index| partition_fn(item, index))
        .collect();
    if fns.is_empty() {
        return TokenStream::new();
    }
    let ident = &item.ident;
    quote! {
        #[automatically_derived]
        impl #ident {
            #(#fns)*
        }
    }
}

/// The function's name: the index's in snake case, with `_index` added
/// when that is a Rust keyword or another generated function's name.
fn fn_name(index: &Index) -> Ident {
    let prefix = index_fn_prefix(&index.name);
    let name = prefix.trim_end_matches('_');
    let name = if name.is_empty() { "index" } else { name };
    match syn::parse_str::<Ident>(name) {
        Ok(_) if !TAKEN.contains(&name) => Ident::new(name, index.name_span),
        _ => format_ident!("{}_index", name, span = index.name_span),
    }
}

/// A partition-key parameter: its name and its type.
struct Param {
    ident: Ident,
    ty: TokenStream,
    /// Where a value of the wrong type is reported: the field's type.
    span: Span,
}

fn partition_fn(item: &Item, index: &Index) -> TokenStream {
    let krate = &item.krate;
    let field_param = |i: usize| {
        let f = &item.fields[i];
        let ty: &Type = f.key_type.as_ref().unwrap_or(&f.ty);
        Param {
            ident: f.member.clone(),
            ty: quote!(#ty),
            span: ty.span(),
        }
    };
    let field_type = |i: usize| {
        let f = &item.fields[i];
        let ty: &Type = f.key_type.as_ref().unwrap_or(&f.ty);
        quote!(#ty)
    };
    let key_text = quote!(#krate::KeyText);
    let (params, sort_types, kind): (Vec<Param>, Vec<TokenStream>, TokenStream) = match index.kind {
        IndexKind::Local => {
            let hash = match (&item.keys, &item.single_table.composite) {
                (Some(keys), None) => field_param(keys.hash),
                _ => Param {
                    ident: format_ident!("hash"),
                    ty: quote!(<Self as #krate::KeyedItem>::Hash),
                    span: index.name_span,
                },
            };
            let range = index.range.iter().map(|&i| field_type(i)).collect();
            (vec![hash], range, quote!(#krate::LocalIndex))
        }
        IndexKind::Global => match &index.templates {
            Some(t) => (
                vec![Param {
                    ident: format_ident!("hash"),
                    ty: key_text.clone(),
                    span: index.name_span,
                }],
                t.range.iter().map(|_| key_text.clone()).collect(),
                quote!(#krate::GlobalIndex),
            ),
            None => {
                let hash = index.hash.iter().chain(&index.more_hash);
                let range = index.range.iter().chain(&index.more_range);
                (
                    hash.map(|&i| field_param(i)).collect(),
                    range.map(|&i| field_type(i)).collect(),
                    quote!(#krate::GlobalIndex),
                )
            }
        },
    };
    let sort_list = sort_types
        .iter()
        .rev()
        .fold(quote!(()), |rest, ty| quote!((#ty, #rest)));
    let idents: Vec<&Ident> = params.iter().map(|p| &p.ident).collect();
    let types: Vec<&TokenStream> = params.iter().map(|p| &p.ty).collect();
    let bounds = params.iter().map(|p| {
        let ty = &p.ty;
        quote_spanned!(p.span=> impl ::core::convert::Into<#ty>)
    });
    let name = &index.name;
    let vis = &item.vis;
    let fn_ident = fn_name(index);
    let doc = format!(
        "The partition of index `{name}` with these {} values, for \
         `TypedTable::query_by`: its key conditions are checked at compile time.",
        idents
            .iter()
            .map(|i| format!("`{}`", i.unraw()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    quote! {
        #[doc = #doc]
        #[allow(dead_code)]
        #vis fn #fn_ident(
            #( #idents: #bounds, )*
        ) -> #krate::IndexPartition<Self, #sort_list, #kind> {
            #krate::IndexPartition::new(
                #name,
                ::std::vec![
                    #(
                        #krate::ToAttribute::to_attribute(
                            &::core::convert::Into::<#types>::into(#idents),
                        ),
                    )*
                ],
            )
        }
    }
}
