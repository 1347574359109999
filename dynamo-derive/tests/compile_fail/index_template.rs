use dynamo_blocking::DynamoItem;

// An index template naming a missing field, one with several attributes,
// and `store_fields` in an index.
#[derive(DynamoItem)]
#[dynamo(hash = "pk")]
#[dynamo(key(hash = "CUSTOMER#{customer_id}"))]
#[dynamo(global_index(name = "ByStatus", hash = "gsi1pk", key(hash = "STATUS#{state}")))]
#[dynamo(global_index(name = "ByTwo", hash = ["a", "b"], key(hash = "X#{status}")))]
#[dynamo(global_index(name = "ByDay", hash = "gsi2pk", key(hash = "D#{status}", store_fields = false)))]
struct Order {
    customer_id: String,
    status: String,
}

// A range attribute without its template.
#[derive(DynamoItem)]
#[dynamo(hash = "pk")]
#[dynamo(key(hash = "CUSTOMER#{customer_id}"))]
#[dynamo(global_index(name = "ByStatus", hash = "gsi1pk", range = "gsi1sk", key(hash = "S#{status}")))]
struct NoRangeTemplate {
    customer_id: String,
    status: String,
}

fn main() {}
