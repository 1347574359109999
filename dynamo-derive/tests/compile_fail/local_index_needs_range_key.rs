use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(local_index(name = "AgeIndex", range = "age"))]
#[dynamo(local_index(name = "NoRange"))]
#[dynamo(local_index(name = "WithHash", hash = "id", range = "age"))]
struct User {
    #[dynamo(hash_key)]
    id: String,
    age: u32,
}

fn main() {}
