//! The seccomp and AppArmor profile fields (`validateSeccompProfileField`,
//! `ValidateAppArmorProfileField`) and, on a pod template, the legacy profile annotations:
//! their format (`ValidateSeccompPodAnnotations`, `ValidateAppArmorPodAnnotations`) and their
//! agreement with the fields (`validateSeccompAnnotationsAndFields`,
//! `validateAppArmorAnnotationsAndFieldsMatchOnCreate`).

use crate::check::paths::local_descending_path;
use crate::validate::field::Node;
use crate::validate::findings::Findings;

/// validateSeccompProfileField.
pub(super) fn seccomp_profile(profile: &Node, out: &mut Findings) {
    let local = profile.get("localhostProfile");
    if !profile_type(profile, "seccomp", "seccompProfile", out) {
        return;
    }
    match local.str() {
        Some(path) => {
            out.verdict(&local, local_descending_path(path));
        }
        None if !local.is_set() => {
            out.required(&local, "must be set when seccomp type is Localhost")
                .help("set `localhostProfile` to the profile's path under the kubelet's seccomp directory");
        }
        None => {}
    }
}

/// ValidateAppArmorProfileField.
pub(super) fn apparmor_profile(profile: &Node, out: &mut Findings) {
    let local = profile.get("localhostProfile");
    if !profile_type(profile, "AppArmor", "appArmorProfile", out) {
        return;
    }
    match local.str() {
        Some(path) if path.trim() != path => {
            out.invalid(&local, "must not be padded with whitespace");
        }
        Some("") | None if !local.is_set() || local.str().is_some() => {
            out.required(&local, "must be set when AppArmor type is Localhost")
                .help("set `localhostProfile` to the name of a profile loaded on the node");
        }
        Some(path) if path.len() > 4095 => {
            out.too_long(&local, 4095, "bytes");
        }
        _ => {}
    }
}

/// What the seccomp and AppArmor profile fields share: `type` is `Localhost`, `RuntimeDefault`
/// or `Unconfined`, and `localhostProfile` goes only with `Localhost`. True when the profile is
/// set and of type `Localhost`, whose profile the caller then checks.
fn profile_type(profile: &Node, what: &str, field: &str, out: &mut Findings) -> bool {
    if !profile.is_set() {
        return false;
    }
    let kind = profile.get("type");
    let local = profile.get("localhostProfile");
    match kind.str() {
        Some("Localhost") => return true,
        Some("RuntimeDefault" | "Unconfined") if local.is_set() => {
            out.invalid(
                &local,
                format!("can only be set when {what} type is Localhost"),
            )
            .help("remove `localhostProfile`, or set `type: Localhost`");
        }
        Some("RuntimeDefault" | "Unconfined") => {}
        Some("") | None if !kind.is_set() || kind.str().is_some() => {
            out.required(&kind, format!("type is required when {field} is set"))
                .help("set `type: RuntimeDefault`");
        }
        Some(_) => {
            out.not_supported(&kind, &["Localhost", "RuntimeDefault", "Unconfined"]);
        }
        None => {}
    }
    false
}

/// ValidateSeccompProfile: the value of a legacy seccomp annotation.
fn seccomp_annotation(node: &Node, value: &str, out: &mut Findings) {
    if matches!(value, "runtime/default" | "docker/default" | "unconfined") {
        return;
    }
    match value.strip_prefix("localhost/") {
        Some(path) => {
            out.verdict(node, local_descending_path(path));
        }
        None => {
            out.invalid(node, "must be a valid seccomp profile")
                .help("use `runtime/default`, `unconfined` or `localhost/<profile>`, or better the `seccompProfile` field");
        }
    }
}

/// ValidateAppArmorPodAnnotations: the annotation names a container of the pod and a profile.
fn apparmor_annotation(
    node: &Node,
    container: &str,
    value: &str,
    names: &[&str],
    out: &mut Findings,
) {
    if !names.contains(&container) {
        out.invalid(node, "container not found").help(format!(
            "name a container of the pod after the `/`, not `{container}`"
        ));
    }
    let known =
        matches!(value, "" | "runtime/default" | "unconfined") || value.starts_with("localhost/");
    if !known {
        out.invalid(node, format!("invalid AppArmor profile name: {value:?}"))
            .help("use `runtime/default`, `unconfined` or `localhost/<profile>`, or better the `appArmorProfile` field");
    }
}

/// The legacy annotations of the pod template at `template`: ValidateSeccompPodAnnotations,
/// ValidateAppArmorPodAnnotations, then validateSeccompAnnotationsAndFields and
/// validateAppArmorAnnotationsAndFieldsMatchOnCreate: where a template sets both a profile field and the legacy annotation, they agree. Takes the
/// pod template (`spec.template`), whose metadata holds the annotations.
#[allow(dead_code)] // to be called from pod.rs with the template node
pub fn profile_annotations(template: &Node, out: &mut Findings) {
    let annotations = template.at(&["metadata", "annotations"]);
    let spec = template.get("spec");
    let mut names = Vec::new();
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        names.extend(spec.get(list).items().filter_map(|c| c.get("name").str()));
    }
    for (key, node) in annotations.entries() {
        let Some(value) = node.str() else {
            continue;
        };
        if key == "seccomp.security.alpha.kubernetes.io/pod"
            || key.starts_with("container.seccomp.security.alpha.kubernetes.io/")
        {
            seccomp_annotation(&node, value, out);
        }
        if let Some(container) = key.strip_prefix("container.apparmor.security.beta.kubernetes.io/")
        {
            apparmor_annotation(&node, container, value, &names, out);
        }
    }
    let pod_seccomp = spec.at(&["securityContext", "seccompProfile"]);
    if let Some(value) = annotations
        .get("seccomp.security.alpha.kubernetes.io/pod")
        .str()
    {
        if pod_seccomp.is_set() {
            profile_match(value, &pod_seccomp, "seccomp", out);
        }
    }
    let windows = spec.at(&["os", "name"]).str() == Some("windows");
    let pod_apparmor = spec.at(&["securityContext", "appArmorProfile"]);
    for list in ["initContainers", "containers"] {
        for container in spec.get(list).items() {
            let name = container.get("name").str().unwrap_or("");
            let seccomp = container.at(&["securityContext", "seccompProfile"]);
            let key = format!("container.seccomp.security.alpha.kubernetes.io/{name}");
            if let (true, Some(value)) = (seccomp.is_set(), annotations.entry(&key).str()) {
                profile_match(value, &seccomp, "seccomp", out);
            }
            let own = container.at(&["securityContext", "appArmorProfile"]);
            let apparmor = if own.is_set() {
                own
            } else {
                pod_apparmor.clone()
            };
            let key = format!("container.apparmor.security.beta.kubernetes.io/{name}");
            if let (false, true, Some(value)) =
                (windows, apparmor.is_set(), annotations.entry(&key).str())
            {
                // The message names the container's field even when the profile is the pod's.
                let at = container.at(&["securityContext", "appArmorProfile"]);
                let shown = Node {
                    value: apparmor.value,
                    path: at.path,
                };
                profile_match(value, &shown, "apparmor", out);
            }
        }
    }
}

/// validateSeccompAnnotationsAndFieldsMatch and its AppArmor twin.
fn profile_match(annotation: &str, field: &Node, what: &str, out: &mut Findings) {
    let kind = field.get("type").str().unwrap_or("");
    let type_matches = match kind {
        "Unconfined" => annotation == "unconfined",
        "RuntimeDefault" if what == "seccomp" => {
            annotation == "runtime/default" || annotation == "docker/default"
        }
        "RuntimeDefault" => annotation == "runtime/default",
        "Localhost" => annotation.starts_with("localhost/"),
        _ => true,
    };
    if !type_matches {
        out.forbidden(
            &field.get("type"),
            format!("{what} type in annotation and field must match"),
        )
        .help(format!(
            "remove the {what} annotation from the template, or make it agree with the field"
        ));
    } else if kind == "Localhost"
        && field.get("localhostProfile").str() != annotation.strip_prefix("localhost/")
    {
        out.forbidden(
            &field.get("localhostProfile"),
            format!("{what} profile in annotation and field must match"),
        )
        .help(format!(
            "remove the {what} annotation from the template, or make it agree with the field"
        ));
    }
}
