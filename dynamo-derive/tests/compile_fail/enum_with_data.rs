use dynamo_blocking::DynamoValue;

#[derive(DynamoValue)]
enum Shape {
    Empty,
    Circle(f64),
    Rect { w: f64, h: f64 },
}

#[derive(DynamoValue)]
#[dynamo(rename_all = "lowercase", table = "shapes")]
enum Colour {
    Red,
    #[dynamo(rename = "red")]
    Crimson,
    #[dynamo(skip)]
    Blue,
}

fn main() {}
