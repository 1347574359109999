//! The README's end-to-end table has the columns the bench prints (its
//! figures are pasted from one `--markdown` run; the notes column stays in
//! the bench's plain output only).

#[allow(dead_code)]
#[path = "../examples/bench/report.rs"]
mod report;

#[test]
fn the_readme_table_has_the_bench_columns() {
    let readme = include_str!("../../README.md");
    let section = &readme[readme
        .find("### End to end")
        .expect("an End to end section")..];
    let table_start = section.find("\n|").expect("a table") + 1;
    let header = section[table_start..].lines().next().unwrap();
    assert_eq!(header, report::markdown_header());
    assert!(!header.contains("notes"));
}
