use std::collections::{BTreeSet, HashMap};

use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
struct Flagged {
    #[dynamo(hash_key)]
    active: bool,
}

#[derive(DynamoItem)]
struct Optional {
    #[dynamo(hash_key)]
    id: Option<String>,
}

#[derive(DynamoItem)]
struct Mapped {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(range_key)]
    tags: HashMap<String, u32>,
}

#[derive(DynamoItem)]
struct Listed {
    #[dynamo(hash_key)]
    ids: Vec<String>,
}

#[derive(DynamoItem)]
struct Set {
    #[dynamo(hash_key)]
    ids: BTreeSet<u64>,
}

fn main() {}
