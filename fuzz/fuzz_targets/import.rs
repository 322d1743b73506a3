//! Fuzz target `import`: the invariants are in `fuzz/src/lib.rs` (`dsc_fuzz::import`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| dsc_fuzz::import(data));
