use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(hash = "pk", range = "sk")]
#[dynamo(key(hash = "CUSTOMER#{customer_id", range = "ORDER#{day}{order_id}"))]
struct Unclosed {
    customer_id: String,
    day: String,
    order_id: u64,
}

#[derive(DynamoItem)]
#[dynamo(hash = "pk", range = "sk")]
#[dynamo(key(hash = "CUSTOMER#{}", range = "ORDER}#{order_id}"))]
struct Empty {
    order_id: u64,
}

#[derive(DynamoItem)]
#[dynamo(hash = "pk")]
#[dynamo(key(hash = "CUSTOMER#{secret}"))]
struct Skipped {
    #[dynamo(skip)]
    secret: String,
}

fn main() {}
