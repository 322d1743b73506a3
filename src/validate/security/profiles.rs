//! The seccomp and AppArmor profile fields (`validateSeccompProfileField`,
//! `ValidateAppArmorProfileField`) and, on a pod template, the legacy profile annotations:
//! their format (`ValidateSeccompPodAnnotations`, `ValidateAppArmorPodAnnotations`) and their
//! agreement with the fields (`validateSeccompAnnotationsAndFields`,
//! `validateAppArmorAnnotationsAndFieldsMatchOnCreate`).

use crate::validate::field::Node;
use crate::validate::findings::Findings;

/// Where the kubelet looks for localhost seccomp profiles, unless its root directory moved.
const SECCOMP_DIR: &str = "/var/lib/kubelet/seccomp/";
const APPARMOR_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

/// validateSeccompProfileField.
pub(super) fn seccomp_profile(profile: &Node, out: &mut Findings) {
    let local = profile.get("localhostProfile");
    if !profile_type(profile, "seccomp", "seccompProfile", out) {
        return;
    }
    match local.str() {
        Some(path) => seccomp_path(&local, path, "", out),
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
            out.invalid(&local, "must not be padded with whitespace")
                .help("write the name of a profile loaded on the node, such as `agent-profile`, without spaces around it");
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

/// `validateLocalDescendingPath` of a localhost seccomp profile (the field's, or the path after
/// an annotation's `prefix`, `localhost/`): relative to the kubelet's seccomp directory.
fn seccomp_path(node: &Node, path: &str, prefix: &str, out: &mut Findings) {
    // An empty path passes, as upstream: the server stores it (the kubelet then fails to load
    // it; the spec checker warns, `DS0715`).
    if path.starts_with('/') {
        let relative = path
            .strip_prefix(SECCOMP_DIR)
            .unwrap_or(path.trim_start_matches('/'));
        out.invalid(node, "must be a relative path").help(format!(
            "the path is relative to the kubelet's seccomp directory (`{SECCOMP_DIR}` by \
             default): write `{prefix}{relative}`"
        ));
    } else if path.split('/').any(|part| part == "..") {
        out.invalid(node, "must not contain '..'").help(
            "the profile must be inside the kubelet's seccomp directory: remove the `..` elements",
        );
    }
}

/// The legacy annotation value a refused one most likely meant: the field's spelling
/// (`RuntimeDefault`) in the annotation's (`runtime/default`), a bare name under `localhost/`.
fn annotation_value_meant(value: &str) -> String {
    let squashed: String = value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    match squashed.as_str() {
        "runtimedefault" | "dockerdefault" => "runtime/default".into(),
        "unconfined" => "unconfined".into(),
        _ => {
            let name = match value.get(..9) {
                Some(head) if head.eq_ignore_ascii_case("localhost") => &value[9..],
                _ => value,
            };
            format!("localhost/{}", name.trim_start_matches([':', '/']))
        }
    }
}

/// ValidateSeccompProfile: the value of a legacy seccomp annotation.
fn seccomp_annotation(node: &Node, value: &str, out: &mut Findings) {
    if matches!(value, "runtime/default" | "docker/default" | "unconfined") {
        return;
    }
    match value.strip_prefix("localhost/") {
        Some(path) => seccomp_path(node, path, "localhost/", out),
        None => {
            out.invalid(node, "must be a valid seccomp profile")
                .help(format!(
                    "write `{}` (the annotation takes `runtime/default`, `unconfined` or \
                     `localhost/<path>`), or better set the `seccompProfile` field and remove \
                     the annotation",
                    annotation_value_meant(value)
                ));
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
        let close = names
            .iter()
            .min_by_key(|n| strsim::levenshtein(n, container))
            .filter(|n| strsim::levenshtein(n, container) <= 2);
        let help = match close {
            Some(name) => format!("did you mean `{name}`? write `{APPARMOR_PREFIX}{name}`"),
            None => format!(
                "the annotation names its container after the `/`: use one of {}, or remove \
                 the annotation",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        out.invalid_key(
            node,
            format!("container not found: the pod has no container `{container}`"),
        )
        .help(help);
    }
    let known =
        matches!(value, "" | "runtime/default" | "unconfined") || value.starts_with("localhost/");
    if !known {
        out.invalid(node, format!("invalid AppArmor profile name: {value:?}"))
            .help(format!(
                "write `{}` (the annotation takes `runtime/default`, `unconfined` or \
                 `localhost/<profile>`), or better set the `appArmorProfile` field and remove \
                 the annotation",
                annotation_value_meant(value)
            ));
    }
}

/// The legacy annotations of the pod template at `template`: ValidateSeccompPodAnnotations,
/// ValidateAppArmorPodAnnotations, then validateSeccompAnnotationsAndFields and
/// validateAppArmorAnnotationsAndFieldsMatchOnCreate: where a template sets both a profile field and the legacy annotation, they agree. Takes the
/// pod template (`spec.template`), whose metadata holds the annotations.
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
    let pod_annotation = annotations.get("seccomp.security.alpha.kubernetes.io/pod");
    if pod_seccomp.is_set() && pod_annotation.str().is_some() {
        profile_match(&pod_annotation, &pod_seccomp, "seccomp", out);
    }
    let windows = spec.at(&["os", "name"]).str() == Some("windows");
    let pod_apparmor = spec.at(&["securityContext", "appArmorProfile"]);
    for list in ["initContainers", "containers"] {
        for container in spec.get(list).items() {
            let name = container.get("name").str().unwrap_or("");
            let seccomp = container.at(&["securityContext", "seccompProfile"]);
            let key = format!("container.seccomp.security.alpha.kubernetes.io/{name}");
            let annotation = annotations.entry(&key);
            if seccomp.is_set() && annotation.str().is_some() {
                profile_match(&annotation, &seccomp, "seccomp", out);
            }
            let own = container.at(&["securityContext", "appArmorProfile"]);
            let apparmor = if own.is_set() {
                own
            } else {
                pod_apparmor.clone()
            };
            let annotation = annotations.entry(&format!("{APPARMOR_PREFIX}{name}"));
            if !windows && apparmor.is_set() && annotation.str().is_some() {
                // The message names the container's field even when the profile is the pod's.
                let at = container.at(&["securityContext", "appArmorProfile"]);
                let shown = Node {
                    value: apparmor.value,
                    path: at.path,
                };
                profile_match(&annotation, &shown, "apparmor", out);
            }
        }
    }
}

/// validateSeccompAnnotationsAndFieldsMatch and its AppArmor twin.
fn profile_match(at: &Node, field: &Node, what: &str, out: &mut Findings) {
    let annotation = at.str().unwrap_or("");
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
        .related(&at.path, format!("the annotation says `{annotation}`"))
        .help(agree_help(field, kind));
    } else if kind == "Localhost"
        && field.get("localhostProfile").str() != annotation.strip_prefix("localhost/")
    {
        out.forbidden(
            &field.get("localhostProfile"),
            format!("{what} profile in annotation and field must match"),
        )
        .related(&at.path, format!("the annotation says `{annotation}`"))
        .help(agree_help(field, kind));
    }
}

/// How to make a legacy annotation agree with the profile `field` of type `kind`.
fn agree_help(field: &Node, kind: &str) -> String {
    let value = match kind {
        "Unconfined" => "unconfined".to_string(),
        "RuntimeDefault" => "runtime/default".to_string(),
        _ => format!(
            "localhost/{}",
            field.get("localhostProfile").str().unwrap_or("<profile>")
        ),
    };
    format!(
        "remove the annotation (the field replaces it), or set it to `{value}` as the field says"
    )
}
