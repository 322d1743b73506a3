//! `validateContainers` and `validateInitContainers`: names, images, ports, env, resources,
//! probes and lifecycle handlers of every container of the pod spec.

use super::field::Node;
use super::findings::Findings;
use super::{mounts, security};
use super::volumes::Volumes;

/// Every container and init container of the pod spec at `pod`.
pub fn containers(pod: &Node, volumes: &Volumes, out: &mut Findings) {
    for list in ["initContainers", "containers"] {
        for container in pod.get(list).items() {
            mounts::mounts(&container, volumes, out);
            security::container_security(pod, &container, out);
        }
    }
}
