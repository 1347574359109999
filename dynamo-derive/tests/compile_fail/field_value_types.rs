// Conditions and updates through field handles take the field's own type.
use std::collections::BTreeSet;

use dynamo_blocking::{DynamoItem, Update};

#[derive(DynamoItem)]
struct Order {
    #[dynamo(hash_key)]
    id: String,
    status: String,
    total: u64,
    tags: BTreeSet<String>,
}

fn main() {
    let f = Order::fields();
    let _ = f.status.eq(42);
    let _ = f.total.gt("100");
    let _ = f.tags.contains(5);
    let _ = f.total.begins_with("1");
    let _ = f.total.contains(1u64);
    let _ = Update::new().set(f.status, 42);
    let _ = Update::new().increment(f.total, "1");
    // Right types compile.
    let _ = f.status.eq("paid").and(f.total.gt(100)).and(f.tags.contains("gift"));
    let _ = Update::new().set(f.status, "shipped").increment(f.total, 5);
}

#[derive(DynamoItem)]
struct Post {
    #[dynamo(hash_key)]
    id: String,
    tags: BTreeSet<String>,
    comments: Vec<String>,
}

fn collections() {
    let f = Post::fields();
    let _ = Update::new().add_members(f.tags, [1]);
    let _ = Update::new().append(f.tags, ["x"]);
    let _ = Update::new().append(f.comments, [2]);
    // Right types compile.
    let _ = Update::new().add_members(f.tags, ["a"]).append(f.comments, ["b"]);
}
