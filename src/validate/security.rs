//! Pod and container security contexts: users and groups, capabilities, seccomp, AppArmor,
//! SELinux, Windows options, sysctls.

use super::field::Node;
use super::findings::Findings;

/// The pod security context of the pod spec at `pod`.
pub fn pod_security(pod: &Node, out: &mut Findings) {
    let _ = (pod, out);
}

/// The security context of the container at `container`, in the pod at `pod`.
pub fn container_security(pod: &Node, container: &Node, out: &mut Findings) {
    let _ = (pod, container, out);
}
