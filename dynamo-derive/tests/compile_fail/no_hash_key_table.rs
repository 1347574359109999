use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    name: String,
}

fn main() {}
