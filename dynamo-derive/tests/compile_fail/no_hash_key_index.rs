use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(global_index(name = "EmailIndex", hash = "email"))]
struct User {
    email: String,
}

fn main() {}
