use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
struct Event {
    #[dynamo(hash_key)]
    stream: String,
    #[dynamo(range_key)]
    at: u64,
    #[dynamo(range_key)]
    sequence: u64,
}

fn main() {}
