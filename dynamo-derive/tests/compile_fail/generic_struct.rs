use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
struct Wrapper<T> {
    value: T,
}

fn main() {}
