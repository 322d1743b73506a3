//! `ValidateEnv` and `ValidateEnvFrom`: one container's `env` and `envFrom` lists, with the
//! downward-API field and resource selectors and the config map and secret key references.
//!
//! Names follow `IsRelaxedEnvVarName` (gate `RelaxedEnvironmentVariableValidation`, on by
//! default in v1.33): any printable ASCII except `=`.

use super::field::Node;
use super::findings::Findings;
use crate::api::fields::{ENV_FIELD_PATHS, RESOURCE_FIELDS};
use crate::api::names::{config_key, dns_subdomain, qualified_name};
use crate::diagnostics::did_you_mean;

/// The paths `ConvertDownwardAPIFieldLabel` knows but env does not allow.
const CONVERTIBLE_ONLY: &[&str] = &[
    "metadata.annotations",
    "metadata.labels",
    "spec.restartPolicy",
    "spec.schedulerName",
    "status.phase",
];

/// ValidateEnv: the `env` list of one container.
pub fn env(list: &Node, out: &mut Findings) {
    for var in list.items() {
        let name = var.get("name");
        match name.str() {
            Some("") => {
                out.required(&name, "environment variable name is required");
            }
            None if !name.is_set() => {
                out.required(&name, "environment variable name is required");
            }
            Some(text) => {
                if let Err(problem) = crate::api::names::relaxed_env_name(text) {
                    out.invalid(&name, problem)
                        .help("use printable ASCII without `=`, e.g. `LOG_LEVEL`");
                }
            }
            None => {}
        }
        value_from(&var, out);
    }
}

/// validateEnvVarValueFrom: exactly one source, and not together with a non-empty `value`.
fn value_from(var: &Node, out: &mut Findings) {
    let from = var.get("valueFrom");
    if !from.is_set() {
        return;
    }
    let mut sources = 0;
    let field_ref = from.get("fieldRef");
    if field_ref.is_set() {
        sources += 1;
        object_field_selector(&field_ref, out);
    }
    let resource_ref = from.get("resourceFieldRef");
    if resource_ref.is_set() {
        sources += 1;
        resource_field_selector(&resource_ref, out);
    }
    for key in ["configMapKeyRef", "secretKeyRef"] {
        let selector = from.get(key);
        if selector.is_set() {
            sources += 1;
            key_selector(&selector, out);
        }
    }
    let has_value = var.get("value").str().is_some_and(|v| !v.is_empty());
    if sources == 0 {
        out.invalid(&from, "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
    } else if has_value {
        out.invalid(&from, "may not be specified when `value` is not empty")
            .help("remove `value` or `valueFrom`");
    } else if sources > 1 {
        out.invalid(
            &from,
            "may not have more than one field specified at a time",
        )
        .help("keep one of `fieldRef`, `resourceFieldRef`, `configMapKeyRef` and `secretKeyRef`");
    }
}

/// validateObjectFieldSelector with ConvertDownwardAPIFieldLabel, for env.
fn object_field_selector(selector: &Node, out: &mut Findings) {
    let version = selector.get("apiVersion").str().unwrap_or("");
    let path_node = selector.get("fieldPath");
    let path = match path_node.str() {
        Some(path) if !path.is_empty() => path,
        None if path_node.is_set() => return,
        _ => {
            out.required(&path_node, "field path is required");
            return;
        }
    };
    if !version.is_empty() && version != "v1" {
        out.invalid(
            &path_node,
            format!("error converting fieldPath: unsupported pod version: {version}"),
        )
        .help("set `apiVersion: v1` or remove it");
        return;
    }
    if let Some((field, key)) = split_subscript(path) {
        match field {
            "metadata.labels" => {
                if let Err(problem) = qualified_name(key) {
                    out.invalid(&path_node, format!("the label key: {problem}"))
                        .help(
                            "write the key of an existing label, such as `metadata.labels['app']`",
                        );
                }
            }
            "metadata.annotations" => {
                if let Err(problem) = qualified_name(&key.to_ascii_lowercase()) {
                    out.invalid(&path_node, format!("the annotation key: {problem}"))
                        .help("write the key of an annotation, such as `metadata.annotations['example.com/role']`");
                }
            }
            _ => {
                out.invalid(&path_node, format!("error converting fieldPath: field label does not support subscript: {path}"))
                    .help(format!("write `{field}` without the key; only `metadata.labels['<key>']` and `metadata.annotations['<key>']` take one"));
            }
        }
        return;
    }
    let internal = if path == "spec.host" {
        "spec.nodeName"
    } else {
        path
    };
    if ENV_FIELD_PATHS.contains(&internal) {
        return;
    }
    if CONVERTIBLE_ONLY.contains(&internal) {
        let help = if internal.starts_with("metadata.") {
            format!("read one key, such as `{internal}['app']`, or mount all of them with a downward-API volume")
        } else {
            "env can read only the listed fields".to_string()
        };
        out.not_supported(&path_node, ENV_FIELD_PATHS).help(help);
    } else {
        let f = out.invalid(
            &path_node,
            format!("error converting fieldPath: field label not supported: {path}"),
        );
        match did_you_mean(path, ENV_FIELD_PATHS.iter().copied()) {
            Some(near) => f.suggest(path, near),
            None => f.help(format!(
                "use one of {}, `metadata.labels['<key>']`, `metadata.annotations['<key>']`",
                ENV_FIELD_PATHS.join(", ")
            )),
        };
    }
}

/// fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['app']` → (`metadata.labels`, `app`).
fn split_subscript(path: &str) -> Option<(&str, &str)> {
    let inner = path.strip_suffix("']")?;
    let (field, key) = inner.split_once("['")?;
    (!field.is_empty()).then_some((field, key))
}

/// validateContainerResourceFieldSelector (env form: `containerName` optional) and
/// validateContainerResourceDivisor.
fn resource_field_selector(selector: &Node, out: &mut Findings) {
    let resource = selector.get("resource");
    let name = match resource.str() {
        Some(name) if !name.is_empty() => name,
        None if resource.is_set() => return,
        _ => {
            out.required(&resource, "resource is required")
                .help("set `resource`, e.g. `limits.memory`");
            return;
        }
    };
    let hugepages =
        name.starts_with("requests.hugepages-") || name.starts_with("limits.hugepages-");
    if !RESOURCE_FIELDS.contains(&name) && !hugepages {
        out.not_supported(&resource, RESOURCE_FIELDS)
            .help(super::downward_api::resource_field_help(name));
        return;
    }
    let divisor = selector.get("divisor");
    let text = match divisor.value {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return,
    };
    let Ok(quantity) = crate::api::quantity::Quantity::parse(&text) else {
        return;
    };
    if quantity.is_zero() {
        return;
    }
    let canonical = quantity.canonical_unit();
    let (allowed, what): (&[&str], &str) = if name.ends_with(".cpu") {
        (&["1m", "1"], "cpu")
    } else {
        let kind = if hugepages {
            "hugepages"
        } else if name.ends_with(".memory") {
            "memory"
        } else {
            "local ephemeral storage"
        };
        (
            &[
                "1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei",
            ],
            kind,
        )
    };
    if !canonical.is_some_and(|c| allowed.contains(&c)) {
        out.invalid(
            &divisor,
            format!(
                "only divisor's values {} are supported with the {what} resource",
                allowed.join(", ")
            ),
        )
        .help(format!("use one of {}", allowed.join(", ")));
    }
}

/// validateConfigMapKeySelector and validateSecretKeySelector.
fn key_selector(selector: &Node, out: &mut Findings) {
    let name = selector.get("name");
    if let Err(problem) = dns_subdomain(name.str().unwrap_or("")) {
        if name.str().is_some() || !name.is_set() {
            out.invalid(&name, problem)
                .help("name the config map or secret: a lower-case DNS name, such as `api-token`");
        }
    }
    let key = selector.get("key");
    match key.str() {
        Some("") => {
            out.required(&key, "key is required");
        }
        None if !key.is_set() => {
            out.required(&key, "key is required");
        }
        Some(text) => {
            if let Err(problem) = config_key(text) {
                out.invalid(&key, problem)
                    .help("a key is letters, digits, `-`, `_` and `.`, such as `token`");
            }
        }
        None => {}
    }
}

/// ValidateEnvFrom: a prefix in env-name form and exactly one of `configMapRef` / `secretRef`.
pub fn env_from(list: &Node, out: &mut Findings) {
    for source in list.items() {
        let prefix = source.get("prefix");
        if let Some(text) = prefix.str().filter(|s| !s.is_empty()) {
            if let Err(problem) = crate::api::names::relaxed_env_name(text) {
                out.invalid(&prefix, problem).help(
                    "a prefix follows the rules of variable names: printable ASCII without `=`, such as `APP_`",
                );
            }
        }
        let mut sources = 0;
        for key in ["configMapRef", "secretRef"] {
            let reference = source.get(key);
            if !reference.is_set() {
                continue;
            }
            sources += 1;
            let name = reference.get("name");
            match name.str() {
                Some("") => {
                    out.required(&name, "name is required");
                }
                None if !name.is_set() => {
                    out.required(&name, "name is required");
                }
                Some(text) => {
                    // NameIsDNSSubdomain in prefix mode: one trailing `-` is tolerated.
                    let masked = match text.strip_suffix('-') {
                        Some(rest) if !rest.is_empty() => format!("{rest}a"),
                        _ => text.to_string(),
                    };
                    if let Err(problem) = dns_subdomain(&masked) {
                        out.bad_name(&name, text, problem);
                    }
                }
                None => {}
            }
        }
        // Upstream reports the count on `envFrom` itself; the item is where it is wrong.
        if sources == 0 {
            out.invalid(
                &source,
                "must specify one of: `configMapRef` or `secretRef`",
            );
        } else if sources > 1 {
            out.invalid(
                &source,
                "may not have more than one field specified at a time",
            )
            .help("split it into two `envFrom` entries");
        }
    }
}

#[cfg(test)]
mod tests;
