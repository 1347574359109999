use dynamo_blocking::DynamoItem;

// Five partition-key attributes: DynamoDB takes four.
#[derive(DynamoItem)]
#[dynamo(global_index(name = "Wide", hash = ["a", "b", "c", "d", "e"]))]
struct Wide {
    #[dynamo(hash_key)]
    id: String,
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
}

// A multi-attribute key names fields like a single one does.
#[derive(DynamoItem)]
#[dynamo(global_index(name = "Typo", hash = ["tournament", "regoin"], range = ["round"]))]
struct Typo {
    #[dynamo(hash_key)]
    id: String,
    tournament: String,
    region: String,
    round: String,
}

// A key attribute named twice.
#[derive(DynamoItem)]
#[dynamo(global_index(name = "Twice", hash = ["a", "b"], range = ["b"]))]
struct Twice {
    #[dynamo(hash_key)]
    id: String,
    a: String,
    b: String,
}

fn main() {}
