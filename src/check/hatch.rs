//! The escape hatch named in help: for a setting no keyword has, the field of the Kubernetes
//! type it names (`enableServiceLinks`, `enable-service-links`) and the override that writes it.

use k8s_openapi::api::apps::v1::DaemonSetSpec;
use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::schema::{shape_at, Shape, Step};
use crate::syntax::Arg;

/// Where an override merges.
#[derive(Clone, Copy)]
enum Hatch {
    Spec,
    Pod,
    Container,
}

/// For a setting no keyword has, the field of the Kubernetes type it names (`enableServiceLinks`,
/// `enable-service-links`), and the override that writes it: the help then shows the exact
/// escape hatch. `daemonset` blocks look in the pod spec, then the DaemonSet spec.
pub fn hatch_for(word: &str, args: &[Arg], in_container: bool) -> Option<(&'static str, String)> {
    let norm = |s: &str| s.replace(['-', '_'], "").to_ascii_lowercase();
    let wanted = norm(word);
    let targets: &[Hatch] = match in_container {
        true => &[Hatch::Container],
        false => &[Hatch::Pod, Hatch::Spec],
    };
    for target in targets {
        let shape = match target {
            Hatch::Pod => shape_at::<PodSpec>(&[]),
            Hatch::Spec => shape_at::<DaemonSetSpec>(&[]),
            _ => shape_at::<Container>(&[]),
        };
        let Some(Shape::Struct { fields, .. }) = shape else {
            continue;
        };
        let Some(field) = fields.iter().find(|f| norm(f) == wanted) else {
            continue;
        };
        let step = [Step::Field(field)];
        let kind = match target {
            Hatch::Pod => shape_at::<PodSpec>(&step),
            Hatch::Spec => shape_at::<DaemonSetSpec>(&step),
            _ => shape_at::<Container>(&step),
        };
        let value = match (args, kind) {
            ([], Some(Shape::Bool)) => "true".to_string(),
            ([one], Some(Shape::Bool | Shape::Int { .. } | Shape::Str | Shape::Any)) => {
                match one.as_text() {
                    Some(t) if !t.is_empty() => t.to_string(),
                    _ => "VALUE".to_string(),
                }
            }
            _ => "...".to_string(),
        };
        let keyword = match target {
            Hatch::Pod => "pod-override",
            Hatch::Spec => "spec-override",
            _ => "override",
        };
        return Some((
            field,
            format!(
                "no setting writes `{field}`; the escape hatch does:\n    {keyword} \"\"\"\n      {field}: {value}\n      \"\"\""
            ),
        ));
    }
    None
}
