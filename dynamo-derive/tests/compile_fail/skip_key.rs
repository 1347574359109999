use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(global_index(name = "CacheIndex", hash = "cache"))]
struct User {
    #[dynamo(hash_key, skip)]
    id: String,
    #[dynamo(skip, version)]
    version: u64,
    #[dynamo(skip)]
    cache: String,
}

fn main() {}
