//! `ValidateObjectMeta`: name, generateName, namespace, labels, annotations, finalizers,
//! owner references.

use super::field::Node;
use super::findings::Findings;

/// The metadata at `meta`; `named` when the object needs a name (the DaemonSet, not its
/// pod template).
pub fn object_meta(meta: &Node, named: bool, out: &mut Findings) {
    let _ = (meta, named, out);
}
