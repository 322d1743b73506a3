//! `ValidateObjectMeta`: name, generateName, namespace, labels, annotations, finalizers,
//! owner references; and the label rules of `meta/v1` (`ValidateLabels`,
//! `ValidateLabelSelector`) that the selectors of the spec reuse.

use super::field::Node;
use super::findings::Findings;
use crate::api::names::{annotation_key, dns_label, dns_subdomain, label_value, qualified_name};

/// `TotalAnnotationSizeLimitB`: all keys and values of one object's annotations, in bytes.
const ANNOTATIONS_MAX_BYTES: usize = 256 * 1024;

/// The finalizers that need no `/`-prefix (`IsStandardFinalizerName`).
const STANDARD_FINALIZERS: [&str; 3] = ["kubernetes", "orphan", "foregroundDeletion"];

/// The string at `node`: `""` when absent or `null` (as Go reads a missing string), `None` when
/// it holds another type (the schema pass reports that).
pub fn text<'a>(node: &Node<'a>) -> Option<&'a str> {
    if node.is_set() {
        node.str()
    } else {
        Some("")
    }
}

/// `ValidateObjectMeta` of the metadata at `meta`; `named` for the DaemonSet itself (name,
/// namespace, finalizers, owners), not for its pod template (`ValidatePodTemplateSpec` reads
/// only the template's labels and annotations).
pub fn object_meta(meta: &Node, named: bool, out: &mut Findings) {
    if named {
        names(meta, out);
    }
    labels(&meta.get("labels"), out);
    annotations(&meta.get("annotations"), out);
    if named {
        finalizers(&meta.get("finalizers"), out);
        owner_references(&meta.get("ownerReferences"), out);
    }
}

/// `ValidateObjectMetaAccessor` with `NameIsDNSSubdomain`: name (or generateName) and namespace.
fn names(meta: &Node, out: &mut Findings) {
    let generate = meta.get("generateName");
    let generated = text(&generate).unwrap_or("");
    if !generated.is_empty() {
        // NameIsDNSSubdomain(prefix=true): one trailing dash is masked, it joins the suffix.
        let masked = mask_trailing_dash(generated);
        if let Err(problem) = dns_subdomain(&masked) {
            out.invalid(&generate, problem);
        }
    }
    let name = meta.get("name");
    match text(&name) {
        Some("") if generated.is_empty() => {
            out.required(&name, "name or generateName is required")
                .help("set `metadata.name` to a DNS subdomain such as `node-agent`");
        }
        Some(n) if !n.is_empty() => {
            if let Err(problem) = dns_subdomain(n) {
                out.bad_name(&name, n, problem);
            }
        }
        _ => {}
    }
    // An empty namespace is filled from the request (kubectl's current namespace).
    let namespace = meta.get("namespace");
    if let Some(ns) = namespace.str().filter(|ns| !ns.is_empty()) {
        if let Err(problem) = dns_label(ns) {
            out.bad_name(&namespace, ns, problem);
        }
    }
}

/// `maskTrailingDash`: `abc-` is checked as `aba`, so a generateName may end in `-`.
fn mask_trailing_dash(name: &str) -> String {
    match name.strip_suffix('-') {
        Some(_) if name.len() > 1 => {
            let mut chars: Vec<char> = name.chars().collect();
            chars.truncate(chars.len().saturating_sub(2));
            chars.push('a');
            chars.into_iter().collect()
        }
        _ => name.to_string(),
    }
}

/// `ValidateLabelName`: a label key (also a selector key, topology key, toleration key) is a
/// qualified name. `at` is where it is reported.
pub fn label_key(at: &Node, key: &str, out: &mut Findings) -> bool {
    match qualified_name(key) {
        Ok(()) => true,
        Err(problem) => {
            // A map entry (`labels[key]`) is reported at its key, a `key:` field at its value.
            let f = if at.path.last_key() == Some(key) {
                out.invalid_key(at, problem)
            } else {
                out.invalid(at, format!("key `{key}`: {problem}"))
            };
            f.help(
                "a key is `[prefix/]name`: an optional lower-case DNS prefix, then at most 63 \
                 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit",
            );
            false
        }
    }
}

/// `ValidateLabels`: every key a qualified name, every value a label value. Each entry is
/// reported at its own key (`labels[app]`). True when all are valid.
pub fn labels(map: &Node, out: &mut Findings) -> bool {
    let mut clean = true;
    for (key, entry) in map.entries() {
        clean &= label_key(&entry, key, out);
        if let Some(value) = entry.str() {
            if let Err(problem) = label_value(value) {
                out.invalid(&entry, format!("label value {problem}"))
                    .help("a label value is empty or at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit; put free text in an annotation");
                clean = false;
            }
        }
    }
    clean
}

/// `ValidateAnnotations`: keys are qualified names once lower-cased; all keys and values
/// together at most 256 KiB.
pub fn annotations(map: &Node, out: &mut Findings) {
    let mut size = 0usize;
    for (key, entry) in map.entries() {
        if let Err(problem) = annotation_key(key) {
            out.invalid_key(&entry, problem).help(
                "an annotation key is `[prefix/]name`: an optional DNS prefix, then at most 63 \
                 letters, digits, `-`, `_` or `.`",
            );
        }
        size = size
            .saturating_add(key.len())
            .saturating_add(entry.str().map_or(0, str::len));
    }
    if size > ANNOTATIONS_MAX_BYTES {
        out.too_long(map, ANNOTATIONS_MAX_BYTES, "bytes")
            .help("move large data out of annotations, into a ConfigMap");
    }
}

/// `ValidateFinalizers` and `validateKubeFinalizerName`: qualified names, unprefixed only when
/// standard; `orphan` and `foregroundDeletion` not both.
fn finalizers(list: &Node, out: &mut Findings) {
    let mut orphan = false;
    let mut foreground = false;
    for item in list.items() {
        let Some(name) = item.str() else { continue };
        orphan |= name == "orphan";
        foreground |= name == "foregroundDeletion";
        if let Err(problem) = qualified_name(name) {
            out.invalid(&item, problem);
        } else if !name.contains('/') && !STANDARD_FINALIZERS.contains(&name) {
            out.invalid(
                &item,
                "name is neither a standard finalizer name nor is it fully qualified",
            )
            .help("prefix it with a domain you own, e.g. `example.com/cleanup`");
        }
    }
    if orphan && foreground {
        out.invalid(
            list,
            "finalizer orphan and foregroundDeletion cannot be both set",
        )
        .help("keep one of `orphan` and `foregroundDeletion`");
    }
}

/// `ValidateOwnerReferences`: apiVersion (with a version), kind, name and uid set; no Event
/// owners; at most one controller.
fn owner_references(list: &Node, out: &mut Findings) {
    let mut controller: Option<(String, Node)> = None;
    for item in list.items() {
        let api_version = item.get("apiVersion");
        let kind = item.get("kind");
        let version = text(&api_version).map(version_of);
        if version == Some("") {
            out.invalid(&api_version, "version must not be empty")
                .help("set `apiVersion` to `group/version` or `v1`");
        }
        for field in ["kind", "name", "uid"] {
            let node = item.get(field);
            if text(&node) == Some("") {
                out.invalid(&node, "must not be empty").help(format!(
                    "set `{field}` to the owner object's `{}`, or remove the reference: \
                     controllers write owner references themselves",
                    if field == "uid" {
                        "metadata.uid"
                    } else {
                        field
                    }
                ));
            }
        }
        if api_version.str() == Some("v1") && kind.str() == Some("Event") {
            out.invalid(&item, "/v1, Kind=Event is disallowed from being an owner")
                .help("remove the Event from `ownerReferences`: an event cannot own objects");
        }
        if item.get("controller").bool() == Some(true) {
            let this = format!(
                "{}/{}",
                kind.str().unwrap_or(""),
                item.get("name").str().unwrap_or("")
            );
            match &controller {
                Some((first, at)) => {
                    out.invalid(
                        list,
                        format!("only one reference can have controller set to true, found in references for {first} and {this}"),
                    )
                    .related(&at.path, "first controller here")
                    .help("set `controller: true` on one owner reference only");
                }
                None => controller = Some((this, item.clone())),
            }
        }
    }
}

/// The version of an apiVersion as `schema.ParseGroupVersion` reads it (`""` when unparsable).
fn version_of(api_version: &str) -> &str {
    match api_version.matches('/').count() {
        0 => api_version,
        1 => api_version.split_once('/').map_or("", |(_, v)| v),
        _ => "",
    }
}

/// `ValidateLabelSelector` (strict label values, as on create): matchLabels as labels, each
/// matchExpression's operator, values and key. True when the selector converts cleanly
/// (`LabelSelectorAsSelector` would succeed).
pub fn label_selector(selector: &Node, out: &mut Findings) -> bool {
    let mut clean = labels(&selector.get("matchLabels"), out);
    for expr in selector.get("matchExpressions").items() {
        let operator = expr.get("operator");
        let values = expr.get("values");
        match text(&operator) {
            Some("In" | "NotIn") => {
                if values.is_empty() {
                    out.required(
                        &values,
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    )
                    .help(
                        "give at least one value, or use the operator `Exists` to match any value",
                    );
                    clean = false;
                }
            }
            Some("Exists" | "DoesNotExist") => {
                if !values.is_empty() {
                    out.forbidden(
                        &values,
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    );
                    clean = false;
                }
            }
            Some(_) => {
                out.invalid(&operator, "not a valid selector operator")
                    .help("use one of `In`, `NotIn`, `Exists`, `DoesNotExist` (case matters)");
                clean = false;
            }
            None => clean = false,
        }
        let key = expr.get("key");
        if let Some(k) = text(&key) {
            clean &= label_key(&key, k, out);
        }
        for value in values.items() {
            if let Some(v) = value.str() {
                if let Err(problem) = label_value(v) {
                    out.invalid(&value, format!("label value {problem}")).help(
                        "a selector value is a label value: empty or at most 63 letters, digits, \
                         `-`, `_` or `.`, starting and ending with a letter or digit",
                    );
                    clean = false;
                }
            }
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::valid;
    use crate::validate::{daemonset, Finding, Kind};
    use serde_json::{json, Value};

    fn with(pointer: &str, value: Value) -> Vec<Finding> {
        let mut ds = valid();
        if let Some(slot) = ds.pointer_mut(pointer) {
            *slot = value;
        } else {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            ds.pointer_mut(parent).unwrap()[key] = value;
        }
        daemonset(&ds)
    }

    fn one(findings: &[Finding], kind: Kind, path: &str) {
        assert!(
            findings
                .iter()
                .any(|f| f.kind == kind && f.path.to_string() == path),
            "no {kind:?} at {path} in {findings:#?}"
        );
    }

    #[test]
    fn minimal_daemonset_is_clean() {
        assert_eq!(daemonset(&valid()), vec![]);
    }

    #[test]
    fn name_is_required_and_a_subdomain() {
        one(
            &with("/metadata/name", json!("")),
            Kind::Required,
            "metadata.name",
        );
        one(
            &with("/metadata/name", json!("Agent")),
            Kind::Invalid,
            "metadata.name",
        );
        assert!(with("/metadata/name", json!("a".repeat(253))).is_empty());
        one(
            &with("/metadata/name", json!("a".repeat(254))),
            Kind::Invalid,
            "metadata.name",
        );
    }

    #[test]
    fn generate_name_may_end_with_a_dash() {
        let mut ds = valid();
        ds["metadata"] = json!({"generateName": "agent-"});
        assert!(daemonset(&ds).is_empty());
        ds["metadata"] = json!({"generateName": "Agent-"});
        one(&daemonset(&ds), Kind::Invalid, "metadata.generateName");
    }

    #[test]
    fn namespace_is_a_label_when_set() {
        assert!(with("/metadata/namespace", json!("")).is_empty());
        one(
            &with("/metadata/namespace", json!("kube.system")),
            Kind::Invalid,
            "metadata.namespace",
        );
    }

    #[test]
    fn labels_keys_and_values() {
        one(
            &with("/metadata/labels", json!({"a b": "x"})),
            Kind::Invalid,
            "metadata.labels[a b]",
        );
        one(
            &with("/metadata/labels", json!({"app": "x y"})),
            Kind::Invalid,
            "metadata.labels.app",
        );
        assert!(with(
            "/metadata/labels",
            json!({"app.kubernetes.io/name": "a".repeat(63)})
        )
        .is_empty());
        one(
            &with("/metadata/labels", json!({"app": "a".repeat(64)})),
            Kind::Invalid,
            "metadata.labels.app",
        );
        one(
            &with("/spec/template/metadata/labels/Bad key", json!("a")),
            Kind::Invalid,
            "spec.template.metadata.labels[Bad key]",
        );
    }

    #[test]
    fn annotations_keys_and_size() {
        assert!(with("/metadata/annotations", json!({"Example.com/Key": "x"})).is_empty());
        one(
            &with("/metadata/annotations", json!({"a/b/c": "x"})),
            Kind::Invalid,
            "metadata.annotations[a/b/c]",
        );
        let at_limit = "x".repeat(256 * 1024 - 1);
        assert!(with("/metadata/annotations", json!({"k": at_limit})).is_empty());
        let over = "x".repeat(256 * 1024);
        one(
            &with("/metadata/annotations", json!({"k": over})),
            Kind::TooLong,
            "metadata.annotations",
        );
    }

    #[test]
    fn finalizers() {
        assert!(with("/metadata/finalizers", json!(["example.com/x", "orphan"])).is_empty());
        one(
            &with("/metadata/finalizers", json!(["cleanup"])),
            Kind::Invalid,
            "metadata.finalizers[0]",
        );
        one(
            &with(
                "/metadata/finalizers",
                json!(["orphan", "foregroundDeletion"]),
            ),
            Kind::Invalid,
            "metadata.finalizers",
        );
    }

    #[test]
    fn owner_references() {
        let good =
            json!({"apiVersion":"apps/v1","kind":"X","name":"x","uid":"1","controller":true});
        assert!(with("/metadata/ownerReferences", json!([good])).is_empty());
        let f = with(
            "/metadata/ownerReferences",
            json!([{"apiVersion":"apps/","kind":"X","name":"x"}]),
        );
        one(&f, Kind::Invalid, "metadata.ownerReferences[0].apiVersion");
        one(&f, Kind::Invalid, "metadata.ownerReferences[0].uid");
        one(
            &with("/metadata/ownerReferences", json!([good, good])),
            Kind::Invalid,
            "metadata.ownerReferences",
        );
    }
}
