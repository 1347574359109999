use dynamo_blocking::DynamoItem;

#[derive(DynamoItem)]
struct Doc {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(version)]
    version: String,
}

#[derive(DynamoItem)]
struct Approx {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(version)]
    version: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Revision(u64);

impl dynamo_blocking::ToAttribute for Revision {
    fn to_attribute(&self) -> Result<dynamo_blocking::AttributeValue, dynamo_blocking::ConvertError> {
        self.0.to_attribute()
    }
}

impl dynamo_blocking::FromAttribute for Revision {
    fn from_attribute(
        value: dynamo_blocking::AttributeValue,
    ) -> Result<Self, dynamo_blocking::ConvertError> {
        u64::from_attribute(value).map(Revision)
    }
}

// Not syntactically obvious: the `IntegerAttribute` bound rejects it.
#[derive(DynamoItem)]
struct Custom {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(version)]
    version: Revision,
}

fn main() {}
