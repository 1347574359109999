use dynamo_blocking::{DynamoItem, DynamoValue};

#[derive(DynamoItem)]
struct Pair(String, u32);

#[derive(DynamoItem)]
struct Unit;

#[derive(DynamoItem)]
enum Status {
    Active,
    Gone,
}

#[derive(DynamoValue)]
struct Config {
    name: String,
}

fn main() {}
