use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(stream = "new_and_old")]
struct Order {
    #[dynamo(hash_key)]
    id: String,
}

#[derive(DynamoItem)]
#[dynamo(stream = "keys_only")]
struct NoKey {
    id: String,
}

fn main() {}
