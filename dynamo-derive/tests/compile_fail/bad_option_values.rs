use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
#[dynamo(rename_all = "camelcase")]
#[dynamo(table = "no spaces allowed")]
#[dynamo(global_index(name = "A", hash = "email", projection = "some"))]
#[dynamo(global_index(name = "ByName", hash = "name", projection = include()))]
#[dynamo(crate = "not a path")]
#[dynamo(global_index(name = "By Email", hash = "email"), global_index(name = "Dup", hash = "name"))]
#[dynamo(global_index(name = "Dup", hash = "email"))]
struct User {
    #[dynamo(hash_key = true)]
    id: String,
    #[dynamo(rename = "mail", rename = "email")]
    email: String,
    #[dynamo(rename = users)]
    name: String,
}

fn main() {}
