use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(global_index(name = "TagIndex", hash = "tags"))]
#[dynamo(global_index(name = "ActiveIndex", hash = "id", range = "active"))]
struct User {
    #[dynamo(hash_key)]
    id: String,
    // Option<..> is fine for an index key (a sparse index), but not a list.
    tags: Option<Vec<String>>,
    active: bool,
}

fn main() {}
