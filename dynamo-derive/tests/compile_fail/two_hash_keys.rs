use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
struct User {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(hash_key)]
    email: String,
}

fn main() {}
