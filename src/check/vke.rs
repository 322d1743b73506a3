//! VKE placement settings (F31; `vke-keys.md` section 4): `vci enforce` and `image-cache auto`
//! become pod annotations, with the rules VKE documents: image caches only help pods on VCI,
//! mGPU is not available on VCI, and VCI virtual nodes carry a taint the pods must tolerate;
//! and the workload-wide device rule of F15: one GPU kind, RDMA never with mGPU, one card type.

use foldhash::HashMap;

use super::container::ContainerFacts;
use super::cx::Cx;
use super::devices::DeviceFacts;
use crate::diagnostics::Diagnostic;
use crate::model::DaemonSetModel;
use crate::source::Span;

/// VKE pod annotations (`vke-keys.md` section 4).
pub const IMAGE_CACHE_ANNOTATION: &str = "vci.vke.volcengine.com/enable-auto-create-imc";
pub const VCI_ANNOTATION: &str = "vke.volcengine.com/burst-to-vci";
/// The taint key of VCI virtual nodes.
pub const VCI_TAINT: &str = "vci.vke.volcengine.com/node-type";

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

/// One workload uses one kind of GPU, RDMA never with mGPU, and one card type (F15).
pub fn check_gpu_kinds(cx: &mut Cx, containers: &[ContainerFacts], gpu_type: &mut Option<String>) {
    let first = |f: fn(&DeviceFacts) -> Option<Span>| containers.iter().find_map(|c| f(&c.devices));
    let nvidia = first(|d| d.nvidia);
    let mgpu = first(|d| d.mgpu);
    let rdma = first(|d| d.rdma);
    if let (Some(n), Some(m)) = (nvidia, mgpu) {
        cx.push(
            Diagnostic::error(
                "DS0801",
                "a workload uses one kind of GPU: whole NVIDIA GPUs or mGPU, not both",
            )
            .at(m, "mGPU here")
            .also(n, "NVIDIA GPU here")
            .help("use `gpu COUNT` in every container, or `mgpu ...` in every container"),
        );
    }
    if let (Some(r), Some(m)) = (rdma, mgpu) {
        cx.push(
            Diagnostic::error("DS0802", "RDMA devices cannot be combined with mGPU")
                .at(r, "RDMA here")
                .also(m, "mGPU here")
                .help("use whole GPUs (`gpu COUNT`) with RDMA, or drop `rdma`"),
        );
    }
    let mut chosen: Option<(&str, Span)> = None;
    for c in containers {
        if let Some((t, span)) = &c.devices.card_type {
            match chosen {
                Some((first, first_span)) if first != t => cx.push(
                    Diagnostic::error("DS0803", format!("GPU card types differ: `{first}` and `{t}`"))
                        .at(*span, "another card type")
                        .also(first_span, "first card type")
                        .help("the pods of a daemonset land on nodes of one card type; use the same type everywhere"),
                ),
                Some(_) => {}
                None => chosen = Some((t, *span)),
            }
        }
    }
    *gpu_type = chosen.map(|(t, _)| t.to_string());
}
