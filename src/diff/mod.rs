//! Diff: canonicalize a previous or live DaemonSet and the compiled one, compare, and render.
//!
//! This first part: [`canonicalize`], the one canonical form both sides go through, and
//! [`compare`], one [`Change`] per changed field between two canonical objects.

mod canonical;
mod changes;
mod defaults;
mod path;
mod pattern;
mod prune;
mod quantity;

pub use canonical::canonicalize;
pub use changes::{compare, Change, Op};
pub use path::{item_key, ItemKey, Path as FieldPath, Segment};
pub use pattern::{PathPattern, PatternError};

/// A user-given path of fields to leave out of the comparison (fields other controllers own).
pub type IgnorePath = PathPattern;
