use dynamo_blocking::{DynamoEntity, DynamoItem};

#[derive(DynamoItem)]
#[dynamo(table = "shop", hash = "pk")]
#[dynamo(key(hash = "CUSTOMER#{id}"))]
struct Customer {
    id: String,
}

// Customer names no entity.
#[derive(DynamoEntity)]
enum Row {
    Customer(Customer),
}

#[derive(DynamoEntity)]
enum Pairs {
    Pair(String, String),
}

fn main() {}
