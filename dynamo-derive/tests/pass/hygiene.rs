//! Generated code names everything by absolute path, so user items that
//! shadow prelude names do not break it, and unusual inputs compile cleanly.
#![deny(warnings)]
#![allow(dead_code, non_camel_case_types)]

use dynamo_blocking::{DynamoItem as Derive, DynamoValue};

struct Option;
struct Result;
struct Vec;
struct String;
struct Some;
struct None;
struct Ok;
struct Err;
struct Default;
struct Clone;
struct Box;
struct u8;
struct u64;
struct bool;
struct str;

#[derive(Derive)]
#[dynamo(table = "things")]
struct Thing {
    #[dynamo(hash_key)]
    r#type: std::string::String,
    #[dynamo(range_key)]
    item: std::primitive::u64,
    value: std::option::Option<u32>,
    __item: std::primitive::bool,
    __value: std::primitive::bool,
    __e: std::primitive::bool,
    #[dynamo(version)]
    version: std::primitive::u64,
    #[dynamo(default)]
    defaulted: std::vec::Vec<i32>,
}

/// Every field skipped.
#[derive(Derive)]
struct AllSkipped {
    #[dynamo(skip)]
    cache: std::vec::Vec<std::string::String>,
}

/// No variants.
#[derive(DynamoValue)]
enum Never {}

/// A raw identifier variant and discriminants.
#[derive(DynamoValue, Debug)]
enum Kind {
    r#Type = 1,
    Other = 7,
}

fn main() {
    use dynamo_blocking::{DynamoItem, FromAttribute, ToAttribute};
    let thing = Thing {
        r#type: "t".into(),
        item: 1,
        value: std::option::Option::None,
        __item: true,
        __value: false,
        __e: true,
        version: 0,
        defaulted: std::vec::Vec::new(),
    };
    let item = thing.to_item().unwrap();
    assert_eq!(item.len(), 7);
    let _ = thing.key();
    assert!(AllSkipped::from_item(dynamo_blocking::Attributes::new()).is_ok());
    assert!(Never::from_attribute(dynamo_blocking::AttributeValue::from("x")).is_err());
    assert_eq!(
        Kind::r#Type.to_attribute().unwrap(),
        dynamo_blocking::AttributeValue::from("Type")
    );
}
