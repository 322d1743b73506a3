#![doc = include_str!("../ARCHITECTURE.md")]
#![forbid(unsafe_code)]

pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod source;
pub mod syntax;
