//! Every response decoder of dynamo-core on arbitrary bytes: no panic, and
//! whatever is accepted survives re-encoding (see `fuzz_support`).

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../../dynamo-core/tests/fuzz_support/mod.rs"]
mod fuzz_support;

fuzz_target!(|data: &[u8]| {
    fuzz_support::check_bytes(data);
});
