//! `#[derive(DynamoItem)]` for dynamo-rs.
//!
//! Attribute parsing lives in [`attrs`], the intermediate model in [`model`],
//! code generation in [`codegen`].
use proc_macro::TokenStream;

/// Derives the item traits for a struct. Not implemented yet.
#[proc_macro_derive(DynamoItem, attributes(dynamo))]
pub fn derive_dynamo_item(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
