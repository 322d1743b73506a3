//! Downward-API volume files: `validateDownwardAPIVolumeSource`,
//! `validateDownwardAPIVolumeFile`, and the field selectors they use
//! (`validateObjectFieldSelector` after `ConvertDownwardAPIFieldLabel`,
//! `validateContainerResourceFieldSelector`, `validateContainerResourceDivisor`).

use super::field::Node;
use super::findings::Findings;
use super::volume_fields::{blank, file_mode, local_non_reserved_path, quantity, required_str};
use crate::api::fields::RESOURCE_FIELDS;
use crate::api::names;
use crate::diagnostics::did_you_mean;

/// `validateDownwardAPIVolumeSource`.
pub fn downward_api(source: &Node, out: &mut Findings) {
    file_mode(&source.get("defaultMode"), out);
    for item in source.get("items").items() {
        downward_api_file(&item, out);
    }
}

/// The pod fields a downward-API volume file may hold (`validVolumeDownwardAPIFieldPathExpressions`).
const VOLUME_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.labels",
    "metadata.annotations",
    "metadata.uid",
];

/// `validateDownwardAPIVolumeFile`.
pub(super) fn downward_api_file(item: &Node, out: &mut Findings) {
    required_str(item, "path", out);
    local_non_reserved_path(&item.get("path"), out);
    let field_ref = item.get("fieldRef");
    let resource_ref = item.get("resourceFieldRef");
    if field_ref.is_set() {
        object_field_selector(&field_ref, out);
        if resource_ref.is_set() {
            out.invalid(
                &resource_ref,
                "fieldRef and resourceFieldRef can not be specified simultaneously",
            )
            .help("a file holds one value: keep `fieldRef` or `resourceFieldRef`");
        }
    } else if resource_ref.is_set() {
        resource_field_selector(&resource_ref, out);
    } else {
        out.required(item, "one of fieldRef and resourceFieldRef is required")
            .help("add `fieldRef: {fieldPath: metadata.name}` or a `resourceFieldRef`");
    }
    file_mode(&item.get("mode"), out);
}

/// `validateObjectFieldSelector` with the volume's field paths, after
/// `ConvertDownwardAPIFieldLabel`. An absent `apiVersion` is defaulted to `v1`.
fn object_field_selector(selector: &Node, out: &mut Findings) {
    let version = selector.get("apiVersion");
    let path = selector.get("fieldPath");
    if blank(&path) {
        out.required(&path, "must be set");
        return;
    }
    let Some(text) = path.str() else { return };
    if let Some(v) = version.str().filter(|v| !v.is_empty() && *v != "v1") {
        out.invalid(
            &version,
            format!("error converting fieldPath: unsupported pod version: {v}"),
        )
        .help("use `apiVersion: v1`, or remove it");
        return;
    }
    if let Some((base, key)) = split_subscript(text) {
        let verdict = match base {
            "metadata.annotations" => names::annotation_key(key),
            "metadata.labels" => names::qualified_name(key),
            _ => {
                out.invalid(
                    &path,
                    format!("error converting fieldPath: field label does not support subscript: {text}"),
                )
                .help("only `metadata.labels['key']` and `metadata.annotations['key']` take a key");
                return;
            }
        };
        out.verdict(&path, verdict);
        return;
    }
    const KNOWN: &[&str] = &[
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.serviceAccountName",
        "spec.schedulerName",
        "status.phase",
        "status.hostIP",
        "status.hostIPs",
        "status.podIP",
        "status.podIPs",
        "spec.terminationGracePeriodSeconds",
        "spec.host",
    ];
    if VOLUME_FIELDS.contains(&text) {
        return;
    }
    if KNOWN.contains(&text) {
        out.not_supported(&path, VOLUME_FIELDS)
            .help("a downward-API volume holds pod metadata only; pass this field in an environment variable instead");
    } else {
        let f = out.invalid(
            &path,
            format!("error converting fieldPath: field label not supported: {text}"),
        );
        match did_you_mean(text, VOLUME_FIELDS.iter().copied()) {
            Some(near) => f.suggest(text, near),
            None => f.help(format!("use one of: {}", VOLUME_FIELDS.join(", "))),
        };
    }
}

/// The help for a resource field outside the list: the closest one, else the list.
pub(super) fn resource_field_help(name: &str) -> String {
    match did_you_mean(name, RESOURCE_FIELDS.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? (`requests` and `limits` are plural)"),
        None => format!(
            "use one of {}, or a hugepages field such as `limits.hugepages-2Mi`",
            RESOURCE_FIELDS.join(", ")
        ),
    }
}

/// `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['k']` → (`metadata.labels`, `k`).
fn split_subscript(path: &str) -> Option<(&str, &str)> {
    let inner = path.strip_suffix("']")?;
    let (base, key) = inner.split_once("['")?;
    (!base.is_empty()).then_some((base, key))
}

/// `validateContainerResourceFieldSelector` for a volume: the container is required.
fn resource_field_selector(selector: &Node, out: &mut Findings) {
    let container = selector.get("containerName");
    let resource = selector.get("resource");
    let name = resource.str().unwrap_or("");
    if blank(&container) {
        out.required(&container, "must be set")
            .help("name the container whose resources the file shows");
    } else if blank(&resource) {
        out.required(&resource, "must be set");
    } else if resource.str().is_some()
        && !RESOURCE_FIELDS.contains(&name)
        && !name.starts_with("requests.hugepages-")
        && !name.starts_with("limits.hugepages-")
    {
        out.not_supported(&resource, RESOURCE_FIELDS)
            .help(resource_field_help(name));
    }
    resource_divisor(name, &selector.get("divisor"), out);
}

/// `validateContainerResourceDivisor`: the divisors each resource allows, compared in the
/// server's canonical spelling.
fn resource_divisor(resource: &str, divisor: &Node, out: &mut Findings) {
    let Some(Ok(q)) = quantity(divisor) else {
        if let Some(Err(why)) = quantity(divisor) {
            out.invalid(divisor, why);
        }
        return;
    };
    if q.is_zero() {
        return;
    }
    let unit = q.canonical_unit().unwrap_or("");
    const SIZES: &[&str] = &[
        "1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei",
    ];
    let (allowed, what): (&[&str], &str) = match resource {
        "limits.cpu" | "requests.cpu" => (&["1m", "1"], "cpu"),
        "limits.memory" | "requests.memory" => (SIZES, "memory"),
        "limits.ephemeral-storage" | "requests.ephemeral-storage" => {
            (SIZES, "local ephemeral storage")
        }
        r if r.starts_with("requests.hugepages-") || r.starts_with("limits.hugepages-") => {
            (SIZES, "hugepages")
        }
        _ => return,
    };
    if !allowed.contains(&unit) {
        out.invalid(
            divisor,
            format!(
                "only divisor's values {} are supported with the {what} resource",
                allowed.join(", ")
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::validate::volumes::tests::{none, one, volume};
    use crate::validate::Kind;

    #[test]
    fn downward_api() {
        let file = |item| volume(json!({"name":"a","downwardAPI":{"items":[item]}}));
        none(&file(
            json!({"path":"l","fieldRef":{"fieldPath":"metadata.labels"}}),
        ));
        none(&file(
            json!({"path":"l","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.labels['app.kubernetes.io/name']"}}),
        ));
        none(&file(
            json!({"path":"c","resourceFieldRef":{"containerName":"a","resource":"limits.cpu","divisor":"1m"}}),
        ));
        none(&file(
            json!({"path":"c","resourceFieldRef":{"containerName":"a","resource":"requests.memory","divisor":"1024Ki"}}),
        ));
        let at = ".downwardAPI.items[0]";
        one(&file(json!({"path":"n"})), Kind::Required, at);
        one(
            &file(json!({"path":"n","fieldRef":{"fieldPath":"spec.nodeName"}})),
            Kind::NotSupported,
            &format!("{at}.fieldRef.fieldPath"),
        );
        one(
            &file(json!({"path":"n","fieldRef":{"fieldPath":"spec.nope"}})),
            Kind::Invalid,
            &format!("{at}.fieldRef.fieldPath"),
        );
        one(
            &file(json!({"path":"n","fieldRef":{"fieldPath":"metadata.labels['a b']"}})),
            Kind::Invalid,
            &format!("{at}.fieldRef.fieldPath"),
        );
        one(
            &file(json!({"path":"n","fieldRef":{"apiVersion":"v2","fieldPath":"metadata.name"}})),
            Kind::Invalid,
            &format!("{at}.fieldRef.apiVersion"),
        );
        one(
            &file(
                json!({"path":"n","fieldRef":{"fieldPath":"metadata.name"},"resourceFieldRef":{"containerName":"a","resource":"limits.cpu"}}),
            ),
            Kind::Invalid,
            &format!("{at}.resourceFieldRef"),
        );
        one(
            &file(json!({"path":"c","resourceFieldRef":{"resource":"limits.cpu"}})),
            Kind::Required,
            &format!("{at}.resourceFieldRef.containerName"),
        );
        one(
            &file(
                json!({"path":"c","resourceFieldRef":{"containerName":"a","resource":"limits.gpu"}}),
            ),
            Kind::NotSupported,
            &format!("{at}.resourceFieldRef.resource"),
        );
        one(
            &file(
                json!({"path":"c","resourceFieldRef":{"containerName":"a","resource":"limits.cpu","divisor":"2"}}),
            ),
            Kind::Invalid,
            &format!("{at}.resourceFieldRef.divisor"),
        );
    }
}
