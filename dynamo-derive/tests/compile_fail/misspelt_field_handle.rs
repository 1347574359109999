use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
struct User {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(rename = "mail")]
    email: Option<String>,
}

fn main() {
    // Handles are named after the Rust fields, whatever the stored name.
    let _ = User::fields().mail;
    let _ = User::fields().emial;
}
