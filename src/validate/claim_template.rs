//! `validateEphemeralVolumeSource`: a generic ephemeral volume's claim template
//! (`ValidatePersistentVolumeClaimTemplate`: `ValidateTemplateObjectMeta` and
//! `ValidatePersistentVolumeClaimSpec`), as checked when the pod template is created.

use super::field::Node;
use super::findings::Findings;
use super::metadata;
use super::volume_fields::{blank, quantity, required_str};
use crate::api::names;

/// `validateEphemeralVolumeSource`.
pub fn ephemeral(source: &Node, out: &mut Findings) {
    let template = source.get("volumeClaimTemplate");
    if !template.is_set() {
        out.required(&template, "must be set")
            .help("add a `volumeClaimTemplate` with the claim's `spec`");
        return;
    }
    template_meta(&template.get("metadata"), out);
    claim_spec(&template.get("spec"), out);
}

/// `ValidateTemplateObjectMeta`: labels and annotations only, checked as any object's are.
fn template_meta(meta: &Node, out: &mut Findings) {
    metadata::labels(&meta.get("labels"), out);
    metadata::annotations(&meta.get("annotations"), out);
    for (key, value) in meta.entries() {
        if matches!(key, "labels" | "annotations") || is_zero(&value) {
            continue;
        }
        out.forbidden(&value, "cannot be set")
            .help("a claim template's metadata holds only labels and annotations");
    }
}

/// A value Go would read as its type's zero value (unset).
fn is_zero(node: &Node) -> bool {
    use serde_json::Value;
    match node.value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
        Some(Value::Bool(b)) => !b,
    }
}

const ACCESS_MODES: &[&str] = &[
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];

/// `ValidatePersistentVolumeClaimSpec` (the volume mode defaults to `Filesystem`).
fn claim_spec(spec: &Node, out: &mut Findings) {
    let modes = spec.get("accessModes");
    if modes.is_empty() {
        out.required(&modes, "at least 1 access mode is required")
            .help("add `accessModes: [ReadWriteOnce]`");
    }
    let (mut once_pod, mut other) = (false, false);
    for mode in modes.items() {
        match mode.str() {
            Some("ReadWriteOncePod") => once_pod = true,
            Some(m) if ACCESS_MODES.contains(&m) => other = true,
            Some(_) => {
                out.not_supported(&mode, ACCESS_MODES);
            }
            None => {}
        }
    }
    if once_pod && other {
        out.forbidden(
            &modes,
            "may not use ReadWriteOncePod with other access modes",
        )
        .help("keep `ReadWriteOncePod` alone, or drop it and keep the other modes");
    }
    let storage = spec.at(&["resources", "requests", "storage"]);
    match quantity(&storage) {
        None if !storage.is_set() => {
            out.required(&storage, "must be set")
                .help("request a size: `resources: {requests: {storage: 1Gi}}`");
        }
        Some(Ok(q)) if q.is_negative() || q.is_zero() => {
            out.invalid(&storage, "must be greater than zero");
        }
        Some(Err(why)) => {
            out.invalid(&storage, why);
        }
        _ => {}
    }
    let selector = spec.get("selector");
    if selector.is_set() {
        metadata::label_selector(&selector, out);
    }
    let class = spec.get("storageClassName");
    if let Some(c) = class.str().filter(|c| !c.is_empty()) {
        out.verdict(&class, names::dns_subdomain(c));
    }
    let mode = spec.get("volumeMode");
    if let Some(m) = mode.str() {
        if !matches!(m, "Block" | "Filesystem") {
            out.not_supported(&mode, &["Block", "Filesystem"]);
        }
    }
    let source = spec.get("dataSource");
    let source_ref = spec.get("dataSourceRef");
    if source.is_set() {
        data_source(&source, out);
    }
    if source_ref.is_set() {
        data_source(&source_ref, out);
        let ns = source_ref.get("namespace");
        if let Some(n) = ns.str().filter(|n| !n.is_empty()) {
            out.verdict(&ns, names::dns_label(n));
        }
    }
    if source.is_set() && source_ref.is_set() {
        if !blank(&source_ref.get("namespace")) {
            out.invalid(
                &source,
                "may not be specified when dataSourceRef.namespace is specified",
            );
        } else if ["apiGroup", "kind", "name"]
            .iter()
            .any(|k| source.get(k).value != source_ref.get(k).value)
        {
            out.invalid(&source, "must match dataSourceRef")
                .related(&source_ref.path, "dataSourceRef")
                .help("set only `dataSourceRef`, or make `dataSource` the same");
        }
    }
}

/// `validateDataSource` and `validateDataSourceRef`: name and kind; a kind in the core group
/// can only be a claim.
fn data_source(source: &Node, out: &mut Findings) {
    required_str(source, "name", out);
    required_str(source, "kind", out);
    let group = source.get("apiGroup");
    let kind = source.get("kind");
    match group.str().filter(|g| !g.is_empty()) {
        Some(g) => {
            out.verdict(&group, names::dns_subdomain(g));
        }
        None => {
            if kind
                .str()
                .is_some_and(|k| !k.is_empty() && k != "PersistentVolumeClaim")
            {
                out.invalid(
                    &kind,
                    "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
                )
                .help("set `apiGroup` for other kinds, such as `snapshot.storage.k8s.io` for VolumeSnapshot");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::validate::volumes::tests::{none, one, volume};
    use crate::validate::Kind;

    fn eph(template: Value) -> Vec<crate::validate::Finding> {
        volume(json!({"name":"a","ephemeral":{"volumeClaimTemplate":template}}))
    }

    fn good() -> Value {
        json!({"metadata":{"labels":{"a":"b"},"creationTimestamp":null},
            "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}})
    }

    const SPEC: &str = ".ephemeral.volumeClaimTemplate.spec";

    #[test]
    fn valid_template() {
        none(&eph(good()));
        one(
            &volume(json!({"name":"a","ephemeral":{}})),
            Kind::Required,
            ".ephemeral.volumeClaimTemplate",
        );
    }

    #[test]
    fn access_modes() {
        let mut t = good();
        t["spec"]["accessModes"] = json!([]);
        one(
            &eph(t.clone()),
            Kind::Required,
            &format!("{SPEC}.accessModes"),
        );
        t["spec"]["accessModes"] = json!(["ReadWriteOnly"]);
        one(
            &eph(t.clone()),
            Kind::NotSupported,
            &format!("{SPEC}.accessModes[0]"),
        );
        t["spec"]["accessModes"] = json!(["ReadWriteOncePod", "ReadOnlyMany"]);
        one(&eph(t), Kind::Forbidden, &format!("{SPEC}.accessModes"));
    }

    #[test]
    fn storage() {
        let mut t = good();
        t["spec"]["resources"] = json!({});
        one(
            &eph(t.clone()),
            Kind::Required,
            &format!("{SPEC}.resources.requests.storage"),
        );
        t["spec"]["resources"] = json!({"requests":{"storage":"0"}});
        one(
            &eph(t.clone()),
            Kind::Invalid,
            &format!("{SPEC}.resources.requests.storage"),
        );
        t["spec"]["resources"] = json!({"requests":{"storage":"1"}});
        none(&eph(t));
    }

    #[test]
    fn class_mode_sources() {
        let mut t = good();
        t["spec"]["storageClassName"] = json!("Fast_SSD");
        one(
            &eph(t.clone()),
            Kind::Invalid,
            &format!("{SPEC}.storageClassName"),
        );
        let mut t = good();
        t["spec"]["volumeMode"] = json!("Raw");
        one(
            &eph(t.clone()),
            Kind::NotSupported,
            &format!("{SPEC}.volumeMode"),
        );
        let mut t = good();
        t["spec"]["dataSource"] = json!({"kind":"VolumeSnapshot","name":"s"});
        one(
            &eph(t.clone()),
            Kind::Invalid,
            &format!("{SPEC}.dataSource.kind"),
        );
        t["spec"]["dataSource"] =
            json!({"apiGroup":"snapshot.storage.k8s.io","kind":"VolumeSnapshot","name":"s"});
        none(&eph(t.clone()));
        t["spec"]["dataSourceRef"] =
            json!({"apiGroup":"snapshot.storage.k8s.io","kind":"VolumeSnapshot","name":"t"});
        one(&eph(t), Kind::Invalid, &format!("{SPEC}.dataSource"));
    }

    #[test]
    fn metadata() {
        let mut t = good();
        t["metadata"]["name"] = json!("x");
        one(
            &eph(t),
            Kind::Forbidden,
            ".ephemeral.volumeClaimTemplate.metadata.name",
        );
        let mut t = good();
        t["metadata"]["labels"] = json!({"a":"b c"});
        one(
            &eph(t),
            Kind::Invalid,
            ".ephemeral.volumeClaimTemplate.metadata.labels.a",
        );
    }

    #[test]
    fn selector() {
        let mut t = good();
        t["spec"]["selector"] = json!({"matchLabels":{"tier":"fast"}});
        none(&eph(t.clone()));
        t["spec"]["selector"] = json!({"matchLabels":{"tier":"a b"}});
        one(
            &eph(t.clone()),
            Kind::Invalid,
            &format!("{SPEC}.selector.matchLabels.tier"),
        );
        t["spec"]["selector"] =
            json!({"matchExpressions":[{"key":"tier","operator":"In","values":[]}]});
        one(
            &eph(t),
            Kind::Required,
            &format!("{SPEC}.selector.matchExpressions[0].values"),
        );
    }
}
