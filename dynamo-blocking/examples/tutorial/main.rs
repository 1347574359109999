//! The boto `dynamodb2` tutorial, section by section, in Rust.
//!
//! ```text
//! cargo run -p dynamo-blocking --features local --example tutorial
//! ```
//!
//! With no endpoint configured it starts DynamoDB Local itself (install it
//! once with `./scripts/install-dynamodb-local.sh`). With
//! `AWS_ENDPOINT_URL_DYNAMODB` (or `AWS_ENDPOINT_URL`) set it uses that
//! endpoint, and with `--aws` it uses your AWS configuration (credentials,
//! region) as every SDK resolves it. Tables get unique names and are deleted
//! at the end, also when a step fails.

mod connect;
mod dynamic;
mod typed;

use std::error::Error;

/// Prints a section header named as in the seed tutorial.
pub fn section(title: &str) {
    println!("\n== {title} ==");
}

/// Prints what a step did and what it returned.
pub fn step(what: &str, result: impl std::fmt::Display) {
    println!("  {what}: {result}");
}

fn main() -> Result<(), Box<dyn Error>> {
    let connection = connect::connect()?;
    println!("Using DynamoDB at {}", connection.client.endpoint());
    let prefix = format!("dynamo-rs-tutorial-{}", std::process::id());
    let tables = connect::Cleanup::new(&connection.client);
    dynamic::run(&connection.client, &prefix, &tables)?;
    typed::run(&connection.client, &prefix, &tables)?;
    drop(tables);
    println!("\nTutorial complete: every section ran.");
    Ok(())
}
