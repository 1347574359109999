use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(tabel = "users")]
#[dynamo(hash_key)]
#[dynamo(global_index(name = "EmailIndex", hash = "email", sort = "id"))]
struct User {
    #[dynamo(hashkey)]
    id: String,
    #[dynamo(flatten)]
    email: String,
    #[dynamo(table = "x")]
    name: String,
    #[dynamo(sort_key)]
    created: u64,
}

fn main() {}
