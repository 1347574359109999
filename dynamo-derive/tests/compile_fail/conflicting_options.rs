use dynamo_blocking::DynamoItem;

mod as_string {}

#[derive(DynamoItem)]
#[dynamo(local_index(name = "AgeIndex", range = "age"))]
struct User {
    #[dynamo(hash_key, with = "as_string")]
    id: u64,
    #[dynamo(rename = "id")]
    other_id: u64,
    #[dynamo(version, ttl)]
    age: u64,
    #[dynamo(hash_key, range_key)]
    both: String,
}

fn main() {}
