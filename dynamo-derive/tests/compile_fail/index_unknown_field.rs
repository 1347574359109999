use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(global_index(name = "EmailIndex", hash = "mail"))]
#[dynamo(global_index(name = "CityIndex", hash = "cty", projection = include("nme")))]
#[dynamo(local_index(name = "AgeIndex", range = "birthday"))]
struct User {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(range_key)]
    name: String,
    #[dynamo(rename = "mail")]
    email: String,
    city: String,
}

fn main() {}
