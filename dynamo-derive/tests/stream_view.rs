//! `#[dynamo(stream = "...")]`: the view type of the table's stream.

use dynamo_blocking::wire::StreamViewType;
use dynamo_blocking::{DynamoItem, KeyedItem};

#[derive(DynamoItem)]
#[dynamo(stream = "new_and_old_images")]
struct Both {
    #[dynamo(hash_key)]
    id: String,
}

#[derive(DynamoItem)]
#[dynamo(table = "audit", stream = "keys_only")]
struct Keys {
    #[dynamo(hash_key)]
    id: String,
}

#[derive(DynamoItem)]
#[dynamo(stream = "new_image")]
struct New {
    #[dynamo(hash_key)]
    id: String,
}

#[derive(DynamoItem)]
#[dynamo(stream = "old_image")]
struct Old {
    #[dynamo(hash_key)]
    id: String,
}

#[derive(DynamoItem)]
struct Without {
    #[dynamo(hash_key)]
    id: String,
}

#[test]
fn each_view_type_is_named_by_its_snake_case_name() {
    assert_eq!(Both::STREAM_VIEW, Some(StreamViewType::NewAndOldImages));
    assert_eq!(Keys::STREAM_VIEW, Some(StreamViewType::KeysOnly));
    assert_eq!(New::STREAM_VIEW, Some(StreamViewType::NewImage));
    assert_eq!(Old::STREAM_VIEW, Some(StreamViewType::OldImage));
    assert_eq!(Without::STREAM_VIEW, None);
    let _ = (Both { id: String::new() }.id, Keys { id: String::new() }.id);
    let _ = (New { id: String::new() }.id, Old { id: String::new() }.id);
    let _ = Without { id: String::new() }.id;
}
