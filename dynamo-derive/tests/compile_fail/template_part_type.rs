use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(hash = "pk")]
#[dynamo(key(hash = "TAGS#{tags}"))]
struct Tagged {
    tags: Vec<String>,
}

fn main() {}
