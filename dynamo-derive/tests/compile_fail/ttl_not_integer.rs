use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
struct Session {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(ttl)]
    expires: String,
}

fn main() {}
