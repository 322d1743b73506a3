//! `ValidateDaemonSet`: the object's metadata, its spec (selector, template, update strategy,
//! `minReadySeconds`, `revisionHistoryLimit`).

use super::field::Node;
use super::findings::Findings;
use super::{metadata, pod};

/// The whole DaemonSet at `root`.
pub fn daemonset(root: &Node, out: &mut Findings) {
    metadata::object_meta(&root.get("metadata"), true, out);
    let spec = root.get("spec");
    pod::template(&spec.get("template"), out);
}
