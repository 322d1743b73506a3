//! VKE placement settings (F31; `vke-keys.md` section 4): `vci enforce` and `image-cache auto`
//! become pod annotations, with the rules VKE documents: image caches only help pods on VCI,
//! mGPU is not available on VCI, and VCI virtual nodes carry a taint the pods must tolerate.

use std::collections::HashMap;

use super::container::ContainerFacts;
use super::pod::{IMAGE_CACHE_ANNOTATION, VCI_ANNOTATION, VCI_TAINT};
use super::Cx;
use crate::diagnostics::Diagnostic;
use crate::model::DaemonSetModel;
use crate::source::Span;

/// Adds the annotations and applies the VKE rules; `flags` holds the `vci` and `image-cache`
/// statements' spans.
pub fn finish(
    cx: &mut Cx,
    ds: &mut DaemonSetModel,
    containers: &[ContainerFacts],
    flags: &HashMap<&'static str, Span>,
) {
    let vci = flags.get("vci").copied();
    let cache = flags.get("image-cache").copied();
    if let (Some(at), None) = (cache, vci) {
        cx.push(
            Diagnostic::warning("DS0810", "image cache without VCI")
                .at(at, "VKE uses image caches only for pods on VCI")
                .help("add `vci enforce` to run the pods on VCI, or remove `image-cache auto`: on ECS nodes it does nothing"),
        );
    }
    if let Some(at) = vci {
        for c in containers {
            if let Some(m) = c.devices.mgpu {
                cx.push(
                    Diagnostic::error("DS0811", "mGPU is not available on VCI")
                        .at(m, "shared GPU requested")
                        .also(at, "the pods are forced onto VCI")
                        .help("use whole GPUs (`gpu 1`) on VCI, or remove `vci enforce` to run on ECS nodes with the mgpu add-on"),
                );
            }
        }
        let tolerated = ds.pod.tolerations.iter().any(|t| {
            t.key.is_none()
                || (t.key.as_deref() == Some(VCI_TAINT)
                    && matches!(t.effect, None | Some("NoSchedule")))
        });
        if !tolerated {
            cx.push(
                Diagnostic::warning("DS0812", "pods forced onto VCI do not tolerate its virtual nodes")
                    .at(at, "VCI virtual nodes are tainted")
                    .help(format!("add `tolerate {VCI_TAINT}=vci:NoSchedule`, or the daemonset schedules no pod there")),
            );
        }
    }
    for (flag, key, value) in [
        ("vci", VCI_ANNOTATION, "enforce"),
        ("image-cache", IMAGE_CACHE_ANNOTATION, "true"),
    ] {
        let Some(at) = flags.get(flag) else { continue };
        match ds.pod_annotations.get(key) {
            Some(v) if v != value => cx.push(
                Diagnostic::error("DS0207", format!("pod annotation `{key}` is given twice"))
                    .at(*at, format!("sets it to `{value}`"))
                    .help(format!(
                        "remove `{key}` from `pod-annotations`: `{flag}` writes it"
                    )),
            ),
            _ => {
                ds.pod_annotations
                    .insert(key.to_string(), value.to_string());
            }
        }
    }
}
