use chrono::{DateTime, Utc};
use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
struct Session {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(ttl)]
    expires: DateTime<Utc>,
}

fn main() {}
