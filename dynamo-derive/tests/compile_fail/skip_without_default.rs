use dynamo_blocking::DynamoItem;

struct Connection;

#[derive(DynamoItem)]
struct User {
    name: String,
    #[dynamo(skip)]
    connection: Connection,
}

fn main() {}
