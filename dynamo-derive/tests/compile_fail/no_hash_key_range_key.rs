use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
struct Event {
    #[dynamo(range_key)]
    at: u64,
    name: String,
}

fn main() {}
