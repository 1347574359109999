//! Compile-time diagnostics of the derives (`compile_fail/`, each with the
//! expected `.stderr`), and code that must compile without a warning under
//! strict lints (`pass/`). Regenerate snapshots with `TRYBUILD=overwrite`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile_fail/*.rs");
    t.pass("tests/pass/*.rs");
}
