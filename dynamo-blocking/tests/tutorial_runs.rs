//! The main job: the tutorial example runs as a process, starts DynamoDB
//! Local by itself, and covers every section of the seed tutorial in order.
#![cfg(feature = "local")]

use std::path::PathBuf;
use std::process::Command;

/// Section titles of boto's seed tutorial, in order, as kept in
/// `tests/data/tutorial-sections.txt`.
fn seed_sections() -> Vec<String> {
    let titles: Vec<String> = include_str!("data/tutorial-sections.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        titles.len(),
        11,
        "expected the seed's sections, found {titles:?}"
    );
    titles
}

fn tutorial_binary() -> PathBuf {
    // target/debug/deps/<test> -> target/debug/examples/tutorial
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let path = dir
        .join("examples")
        .join(format!("tutorial{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} is not built (cargo test builds examples)",
        path.display()
    );
    path
}

#[test]
fn the_tutorial_covers_every_seed_section_in_order() {
    let output = Command::new(tutorial_binary())
        // No endpoint configured: the example must start DynamoDB Local itself.
        .env_remove("AWS_ENDPOINT_URL_DYNAMODB")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .expect("run the tutorial");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "tutorial failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("No endpoint configured: starting DynamoDB Local"),
        "{stdout}"
    );
    let mut position = 0;
    for title in seed_sections() {
        let header = format!("== {title} ==");
        match stdout[position..].find(&header) {
            Some(at) => position += at + header.len(),
            None => panic!("section `{title}` missing or out of order in:\n{stdout}"),
        }
        let typed = format!("== {title} (derive) ==");
        assert!(stdout.contains(&typed), "no derive version of `{title}`");
    }
    assert!(
        stdout.ends_with("Tutorial complete: every section ran.\n"),
        "{stdout}"
    );
}
