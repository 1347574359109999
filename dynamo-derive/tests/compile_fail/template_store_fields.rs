use dynamo_blocking::{ConvertError, DynamoItem, TemplatePart};

// `store_fields` takes a bool.
#[derive(DynamoItem)]
#[dynamo(hash = "pk")]
#[dynamo(key(hash = "CUSTOMER#{customer_id}", store_fields = "no"))]
struct NotABool {
    customer_id: String,
}

// An index key needs its field stored as an attribute of its own.
#[derive(DynamoItem)]
#[dynamo(hash = "pk", range = "sk")]
#[dynamo(key(hash = "CUSTOMER#{customer_id}", range = "ORDER#{order_id}", store_fields = false))]
#[dynamo(global_index(name = "ByOrder", hash = "order_id"))]
struct IndexedInKey {
    customer_id: String,
    order_id: u64,
}

// A template part that can be written but not read back.
#[derive(Clone, Debug, PartialEq)]
struct Code(u8);

impl TemplatePart for Code {
    const FIXED_WIDTH: bool = false;
    fn write_part(&self, out: &mut String) -> Result<(), ConvertError> {
        out.push_str(&self.0.to_string());
        Ok(())
    }
}

#[derive(DynamoItem)]
#[dynamo(hash = "pk")]
#[dynamo(key(hash = "CODE#{code}", store_fields = false))]
struct WriteOnly {
    code: Code,
}

fn main() {}
