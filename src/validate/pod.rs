//! `ValidatePodTemplateSpec` and `ValidatePodSpec`: the pod's own fields.

use super::field::Node;
use super::findings::Findings;
use super::{container, metadata, scheduling, security, volumes};

/// The pod template at `template`.
pub fn template(template: &Node, out: &mut Findings) {
    metadata::object_meta(&template.get("metadata"), false, out);
    let spec = template.get("spec");
    let volumes = volumes::volumes(&spec.get("volumes"), out);
    container::containers(&spec, &volumes, out);
    scheduling::scheduling(&spec, out);
    security::pod_security(&spec, out);
}
