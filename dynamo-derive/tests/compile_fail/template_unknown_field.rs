use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(hash = "pk", range = "sk")]
#[dynamo(key(hash = "CUSTOMER#{custmer_id}", range = "ORDER#{order}"))]
struct Order {
    customer_id: String,
    order_id: u64,
}

fn main() {}
