//! Field paths: how a place in a DaemonSet is named and printed, and how list items are keyed.
//!
//! Input: map keys and list items met while walking an object. Output: dotted paths such as
//! `spec.template.spec.containers.fluent-bit.image`, with lists keyed the way Kubernetes merges
//! them ([`item_key`]), and go-patch pointers
//! (`/spec/template/spec/containers/name=fluent-bit/image`).

use serde_json::Value;
use std::fmt;

/// One step from a value to a child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A map key.
    Key(String),
    /// An item of a list that Kubernetes merges by key.
    Item(ItemKey),
}

/// How a list item is identified among its siblings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemKey {
    /// What the two sides are matched on: `fluent-bit`, `/var/log`, `2020/TCP`.
    pub key: String,
    /// What a reader sees: the key, or a port's name.
    pub label: String,
    /// The go-patch form: `name=fluent-bit`, `containerPort=2020`.
    pub pointer: String,
}

/// The merge key of an item of the list held under `field`, if that list is keyed.
///
/// Follows the list-map keys of k8s.io/api `core/v1/types.go`; lists not named here are atomic
/// (`tolerations`, `args`, `command`, `envFrom`, `items`, `sources`).
pub fn item_key(field: &str, item: &Value) -> Option<ItemKey> {
    let obj = item.as_object()?;
    let by = |name: &str| {
        let key = scalar_text(obj.get(name)?)?;
        Some(ItemKey {
            label: key.clone(),
            pointer: format!("{name}={}", escape_pointer(&key)),
            key,
        })
    };
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims"
        | "schedulingGates"
        | "claims" => by("name"),
        "volumeMounts" => by("mountPath"),
        "volumeDevices" => by("devicePath"),
        "hostAliases" => by("ip"),
        "readinessGates" => by("conditionType"),
        "ports" => {
            let port = obj.get("containerPort")?.as_i64()?;
            let protocol = obj.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
            let key = format!("{port}/{protocol}");
            let pointer = match protocol {
                "TCP" => format!("containerPort={port}"),
                _ => format!("containerPort={port},protocol={protocol}"),
            };
            let label = obj.get("name").and_then(scalar_text).unwrap_or(key.clone());
            Some(ItemKey {
                key,
                label,
                pointer,
            })
        }
        "topologySpreadConstraints" => {
            let topology = scalar_text(obj.get("topologyKey")?)?;
            let when = scalar_text(obj.get("whenUnsatisfiable")?)?;
            let key = format!("{topology}/{when}");
            Some(ItemKey {
                label: key.clone(),
                pointer: format!(
                    "topologyKey={},whenUnsatisfiable={}",
                    escape_pointer(&topology),
                    escape_pointer(&when)
                ),
                key,
            })
        }
        _ => None,
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn escape_pointer(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// A path from the root of an object to one field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path(pub Vec<Segment>);

impl Path {
    /// This path extended by one segment.
    pub fn child(&self, segment: Segment) -> Path {
        let mut segments = self.0.clone();
        segments.push(segment);
        Path(segments)
    }

    /// Whether the path starts with these map keys.
    pub fn starts_with_keys(&self, keys: &[&str]) -> bool {
        self.0.len() >= keys.len()
            && self
                .0
                .iter()
                .zip(keys)
                .all(|(seg, key)| matches!(seg, Segment::Key(k) if k == key))
    }

    /// The same field of `object` as an API path with indices (`containers[0]`), each item
    /// found by its key; `None` when `object` does not have it.
    pub fn in_object(&self, object: &Value) -> Option<crate::api::FieldPath> {
        use crate::api::Seg;
        let mut at = object;
        let mut field = "";
        let mut segs = Vec::with_capacity(self.0.len());
        for seg in &self.0 {
            match (seg, at) {
                (Segment::Key(k), Value::Object(map)) => {
                    at = map.get(k)?;
                    field = k;
                    segs.push(Seg::Key(k.clone().into()));
                }
                (Segment::Item(item), Value::Array(items)) => {
                    let i = items
                        .iter()
                        .position(|v| item_key(field, v).is_some_and(|k| k.key == item.key))?;
                    at = &items[i];
                    segs.push(Seg::Index(i));
                }
                _ => return None,
            }
        }
        Some(crate::api::FieldPath(segs))
    }

    /// The go-patch pointer: `/spec/template/spec/containers/name=fluent-bit/image`.
    pub fn pointer(&self) -> String {
        self.0
            .iter()
            .map(|seg| match seg {
                Segment::Key(k) => format!("/{}", escape_pointer(k)),
                Segment::Item(item) => format!("/{}", item.pointer),
            })
            .collect()
    }
}

impl fmt::Display for Path {
    /// Dotted form; a segment holding `.`, `/`, `[`, `]`, `"` or a space is bracket-quoted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            let text = match seg {
                Segment::Key(k) => k,
                Segment::Item(item) => &item.label,
            };
            let plain = !text.is_empty()
                && !text.contains(['.', '/', '[', ']', '"', ' ', '*'])
                && !text.starts_with('=');
            if !plain {
                write!(f, "[{}]", Value::String(text.clone()))?;
            } else if i == 0 {
                write!(f, "{text}")?;
            } else {
                write!(f, ".{text}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(k: &str) -> Segment {
        Segment::Key(k.to_string())
    }

    fn item(field: &str, v: Value) -> Segment {
        Segment::Item(item_key(field, &v).unwrap_or_else(|| panic!("{field} {v} is not keyed")))
    }

    #[test]
    fn dotted_and_pointer_forms() {
        let path = Path(vec![
            key("spec"),
            key("containers"),
            item("containers", json!({"name": "fluent-bit"})),
            key("volumeMounts"),
            item("volumeMounts", json!({"mountPath": "/var/log"})),
            key("readOnly"),
        ]);
        assert_eq!(
            path.to_string(),
            r#"spec.containers.fluent-bit.volumeMounts["/var/log"].readOnly"#
        );
        assert_eq!(
            path.pointer(),
            "/spec/containers/name=fluent-bit/volumeMounts/mountPath=~1var~1log/readOnly"
        );
    }

    #[test]
    fn keys_with_dots_are_bracketed() {
        let path = Path(vec![
            key("metadata"),
            key("annotations"),
            key("prometheus.io/scrape"),
        ]);
        assert_eq!(
            path.to_string(),
            r#"metadata.annotations["prometheus.io/scrape"]"#
        );
        assert_eq!(Path(vec![key("a b")]).to_string(), r#"["a b"]"#);
    }

    #[test]
    fn ports_keyed_by_port_and_protocol_labelled_by_name() {
        let named = item_key(
            "ports",
            &json!({"containerPort": 53, "protocol": "UDP", "name": "dns"}),
        );
        let bare = item_key("ports", &json!({"containerPort": 8080}));
        assert_eq!(
            named.map(|k| (k.key, k.label, k.pointer)),
            Some((
                "53/UDP".into(),
                "dns".into(),
                "containerPort=53,protocol=UDP".into()
            ))
        );
        assert_eq!(
            bare.map(|k| (k.key, k.label)),
            Some(("8080/TCP".into(), "8080/TCP".into()))
        );
    }

    #[test]
    fn atomic_lists_and_incomplete_items_have_no_key() {
        assert_eq!(item_key("tolerations", &json!({"key": "a"})), None);
        assert_eq!(item_key("args", &json!("--v=2")), None);
        assert_eq!(item_key("containers", &json!({"image": "x"})), None);
    }

    #[test]
    fn starts_with_keys() {
        let path = Path(vec![key("spec"), key("template"), key("spec")]);
        assert!(path.starts_with_keys(&["spec", "template"]));
        assert!(!path.starts_with_keys(&["spec", "selector"]));
        assert!(!Path(vec![key("spec")]).starts_with_keys(&["spec", "template"]));
    }
}
