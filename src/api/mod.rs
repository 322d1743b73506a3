//! The Kubernetes API's own vocabulary, shared by every stage that speaks of Kubernetes values:
//! field paths, the formats of names, keys and quantities (apimachinery's validators), and the
//! fields a downward-API reference may read. It knows nothing of the spec language or of any
//! stage: the checker, the object rules, import and diff all depend on it, and it on none.

pub mod fields;
pub mod names;
mod path;
pub mod quantity;

pub use path::{FieldPath, Seg};
