//! The help texts, one file per command under `help/`; the crate docs
//! include the same files.

/// The general help (`dynamo --help`).
pub const MAIN: &str = include_str!("help/main.txt");

/// Each command's help; the first line is its usage.
pub const COMMANDS: [(&str, &str); 14] = [
    ("tables", include_str!("help/tables.txt")),
    ("describe", include_str!("help/describe.txt")),
    ("create-table", include_str!("help/create-table.txt")),
    ("delete-table", include_str!("help/delete-table.txt")),
    ("put", include_str!("help/put.txt")),
    ("get", include_str!("help/get.txt")),
    ("delete", include_str!("help/delete.txt")),
    ("query", include_str!("help/query.txt")),
    ("scan", include_str!("help/scan.txt")),
    ("load", include_str!("help/load.txt")),
    ("dump", include_str!("help/dump.txt")),
    ("sql", include_str!("help/sql.txt")),
    ("tail", include_str!("help/tail.txt")),
    ("help", include_str!("help/help.txt")),
];

/// The help of `command`, or the general help for "" or an unknown name.
pub fn of(command: &str) -> &'static str {
    COMMANDS
        .iter()
        .find(|(name, _)| *name == command)
        .map_or(MAIN, |(_, text)| text)
}

/// The usage line of `command` ("" for the general one).
pub fn usage_line(command: &str) -> &'static str {
    if command.is_empty() {
        return "Usage: dynamo [GLOBAL OPTIONS] COMMAND [ARGUMENTS] [OPTIONS]";
    }
    of(command).lines().next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_is_in_the_general_help_and_has_a_usage_line() {
        for (name, text) in COMMANDS {
            assert!(
                MAIN.contains(&format!("\n  {name} ")),
                "{name} missing from the general help"
            );
            assert!(
                text.starts_with(&format!("Usage: dynamo {name}")),
                "{name}: {text}"
            );
            assert_eq!(usage_line(name), text.lines().next().unwrap());
        }
        assert!(MAIN.starts_with("dynamo: "));
    }
}
