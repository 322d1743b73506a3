//! Affinity, tolerations, node selector and topology spread constraints of a pod spec.

use super::field::Node;
use super::findings::Findings;

/// The scheduling fields of the pod spec at `pod`.
pub fn scheduling(pod: &Node, out: &mut Findings) {
    let _ = (pod, out);
}
