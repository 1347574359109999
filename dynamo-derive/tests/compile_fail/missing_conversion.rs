use dynamo_blocking::DynamoItem;

struct Secret;

#[derive(DynamoItem)]
struct User {
    name: String,
    secret: Secret,
}

fn main() {}
