//! The items the bench writes and reads, and a tiny random number generator.

use dynamo_blocking::{item, AttributeValue, Attributes};

/// The benchmark item: 9 attributes, about 200 bytes as DynamoDB counts
/// item size (names plus values).
pub fn item(i: u64) -> Attributes {
    item! {
        "id" => id(i),
        "name" => format!("Customer number {i}"),
        "email" => format!("customer{i}@example.com"),
        "city" => "Amsterdam",
        "age" => 20 + i % 60,
        "balance_cents" => i * 37 % 100_000,
        "active" => i % 2 == 0,
        "tags" => AttributeValue::Ss(vec!["bench".to_string(), format!("group-{}", i % 16)]),
        "note" => "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.",
    }
}

/// The hash key of item `i`.
pub fn id(i: u64) -> String {
    format!("item-{i:010}")
}

/// The item of the GetItem and PutItem tests: the benchmark item with a
/// longer note, about 1 KB as DynamoDB counts size.
pub fn item_1kb(i: u64) -> Attributes {
    let mut item = item(i);
    let filler = "The quick brown fox jumps over the lazy dog. ".repeat(18);
    item.insert("note", filler);
    item
}

/// A GetItem answer holding [`item_1kb`].
pub fn get_item_answer_1kb() -> Vec<u8> {
    let item = item_1kb(42);
    let mut out = b"{\"Item\":".to_vec();
    serde_json::to_writer(&mut out, &item).expect("items encode");
    out.push(b'}');
    out
}

/// xorshift64*: enough to pick keys, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}
