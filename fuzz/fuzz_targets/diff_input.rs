//! Fuzz target `diff_input`: the invariants are in `fuzz/src/lib.rs` (`dsc_fuzz::diff_input`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| dsc_fuzz::diff_input(data));
