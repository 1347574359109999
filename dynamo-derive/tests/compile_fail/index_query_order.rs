use dynamo_blocking::{DynamoItem, DynamoValue, TypedTable};

#[derive(DynamoValue)]
enum Round {
    Semi,
    Final,
}

// A multi-attribute index: its typed queries take every partition-key
// value, each of its field's type, and sort-key conditions left to right.
#[derive(DynamoItem)]
#[dynamo(global_index(
    name = "ByTournamentRegion",
    hash = ["tournament", "region"],
    range = ["round", "bracket"]
))]
struct Match {
    #[dynamo(hash_key)]
    match_id: String,
    tournament: String,
    region: String,
    round: Round,
    bracket: String,
}

// A condition on the second sort-key attribute (`bracket`) before the first
// (`round`): the first range condition is on `round`, a `Round`.
fn second_before_first(matches: &TypedTable<Match>) {
    let _ = matches
        .query_by(Match::by_tournament_region("WINTER2024", "NA-EAST"))
        .range_eq("UPPER");
}

// A condition after a non-equality one.
fn after_a_non_equality(matches: &TypedTable<Match>) {
    let _ = matches
        .query_by(Match::by_tournament_region("WINTER2024", "NA-EAST"))
        .range_ge(Round::Semi)
        .range_eq("UPPER");
}

// A condition past the last sort-key attribute.
fn past_the_last(matches: &TypedTable<Match>) {
    let _ = matches
        .query_by(Match::by_tournament_region("WINTER2024", "NA-EAST"))
        .range_eq(Round::Final)
        .range_eq("UPPER")
        .range_eq("LOWER");
}

// A value of the wrong type, for a partition key and for a sort key.
fn wrong_types(matches: &TypedTable<Match>) {
    let _ = matches.query_by(Match::by_tournament_region("WINTER2024", 7));
    let _ = matches
        .query_by(Match::by_tournament_region("WINTER2024", "NA-EAST"))
        .range_eq(Round::Final)
        .range_eq(Round::Semi);
}

// A partition-key value missing.
fn missing_hash_value(matches: &TypedTable<Match>) {
    let _ = matches.query_by(Match::by_tournament_region("WINTER2024"));
}

// Strongly consistent reads on a global index, which DynamoDB refuses.
fn consistent_global(matches: &TypedTable<Match>) {
    let _ = matches
        .query_by(Match::by_tournament_region("WINTER2024", "NA-EAST"))
        .consistent_read();
}

// `begins_with` on a number, which DynamoDB refuses.
#[derive(DynamoItem)]
#[dynamo(global_index(name = "ByPlayer", hash = "player", range = "score"))]
struct Score {
    #[dynamo(hash_key)]
    id: String,
    player: String,
    score: u32,
}

fn begins_with_on_a_number(scores: &TypedTable<Score>) {
    let _ = scores
        .query_by(Score::by_player("ada"))
        .range_begins_with(2u32);
}

fn main() {}
