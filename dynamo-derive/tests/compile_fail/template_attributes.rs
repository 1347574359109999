use dynamo_blocking::DynamoItem;

// Templates without the attributes they compose.
#[derive(DynamoItem)]
#[dynamo(key(hash = "CUSTOMER#{customer_id}"))]
struct NoNames {
    customer_id: String,
}

// An attribute name without a template.
#[derive(DynamoItem)]
#[dynamo(hash = "pk", range = "sk")]
#[dynamo(key(hash = "CUSTOMER#{customer_id}"))]
struct NoRangeTemplate {
    customer_id: String,
}

// Key templates and key fields together.
#[derive(DynamoItem)]
#[dynamo(hash = "pk")]
#[dynamo(key(hash = "CUSTOMER#{customer_id}"))]
struct Both {
    #[dynamo(hash_key)]
    customer_id: String,
}

// A composed attribute that a field is also stored as.
#[derive(DynamoItem)]
#[dynamo(hash = "customer_id", entity = "customer")]
#[dynamo(key(hash = "CUSTOMER#{customer_id}"))]
struct Clash {
    customer_id: String,
    entity: String,
}

fn main() {}
