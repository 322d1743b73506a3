//! The pest parser generated from `grammar/ds.pest`, and its `Rule` enum: what the parser
//! walks and what syntax errors name.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/ds.pest"]
pub(super) struct DsParser;
