use dynamo_blocking::DynamoItem;

#[derive(DynamoItem, Clone, Debug, PartialEq)]
struct Address {
    city: String,
}

// Not syntactically obvious: the `KeyType` bound rejects it, at the type.
#[derive(DynamoItem)]
struct Home {
    #[dynamo(hash_key)]
    address: Address,
}

type Flag = bool;

#[derive(DynamoItem)]
#[dynamo(global_index(name = "ByFlag", hash = "flag"))]
struct Aliased {
    #[dynamo(hash_key)]
    id: String,
    flag: Flag,
}

fn main() {}
