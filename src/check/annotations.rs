//! Annotations as a whole (rules 9, 33, 34): the total size of each annotation map, and the pod
//! annotations the API server reads itself (deletion cost, mirror pods, tolerations, seccomp and
//! AppArmor), whose values it checks, some against the security fields they duplicate.

use std::collections::HashMap;

use k8s_openapi::api::core::v1::Toleration;

use super::container::ContainerFacts;
use super::names;
use super::Cx;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{DaemonSetModel, Labels, Profile};
use crate::source::Span;

/// The most bytes of keys and values one object's annotations may hold (`ValidateAnnotationsSize`).
pub const MAX_BYTES: usize = 256 * 1024;

const DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";
const MIRROR: &str = "kubernetes.io/config.mirror";
const TOLERATIONS: &str = "scheduler.alpha.kubernetes.io/tolerations";
const SECCOMP_POD: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER: &str = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_CONTAINER: &str = "container.apparmor.security.beta.kubernetes.io/";

/// Rule 9: the keys and values of one annotation map take at most 256 KiB together. The
/// finding is put on the largest annotation, the likeliest to move out.
pub fn check_size(cx: &mut Cx, map: &Labels, spans: &HashMap<String, Span>, what: &str, at: Span) {
    let total: usize = map.iter().map(|(k, v)| k.len() + v.len()).sum();
    if total <= MAX_BYTES {
        return;
    }
    let largest = map
        .iter()
        .filter(|(k, _)| spans.contains_key(*k))
        .max_by_key(|(k, v)| k.len() + v.len());
    let (at, label) = match largest {
        Some((k, v)) => (
            spans.get(k).copied().unwrap_or(at),
            format!("the largest, {} bytes", k.len() + v.len()),
        ),
        None => (at, "these annotations".to_string()),
    };
    cx.push(
        Diagnostic::error(
            "DS0305",
            format!("the {what} annotations take {total} bytes, more than {MAX_BYTES} (256 KiB)"),
        )
        .at(at, label)
        .help("Kubernetes keeps at most 256 KiB of annotations per object: put large data in a config map and mount it"),
    );
}

/// Rule 34: the pod annotations the API server validates. `spans` are the keys' spans.
pub fn check_pod_annotations(
    cx: &mut Cx,
    ds: &DaemonSetModel,
    containers: &[ContainerFacts],
    spans: &HashMap<String, Span>,
    fallback: Span,
) {
    for (key, value) in &ds.pod_annotations {
        let at = spans.get(key).copied().unwrap_or(fallback);
        let problem = if key == DELETION_COST {
            deletion_cost(value)
        } else if key == MIRROR {
            mirror(ds)
        } else if key == TOLERATIONS && !value.is_empty() {
            tolerations(value)
        } else if key == SECCOMP_POD {
            seccomp(value, ds.pod.security.seccomp.as_ref())
        } else if let Some(name) = key.strip_prefix(SECCOMP_CONTAINER) {
            let field = find(containers, name).and_then(|c| c.settings.security.seccomp.as_ref());
            seccomp(value, field)
        } else if let Some(name) = key.strip_prefix(APPARMOR_CONTAINER) {
            match find(containers, name) {
                None => {
                    let names = containers.iter().map(|c| c.container.name.as_str());
                    let help = match did_you_mean(name, names) {
                        Some(n) => format!("did you mean `{APPARMOR_CONTAINER}{n}`? Better, write `apparmor ...` in the container"),
                        None => "name a container of this daemonset, or better, write `apparmor ...` in the container".into(),
                    };
                    Some((format!("names no container `{name}`"), help))
                }
                Some(c) => {
                    let own = c.settings.security.apparmor.as_ref();
                    apparmor(value, own.or(ds.pod.security.apparmor.as_ref()))
                }
            }
        } else {
            None
        };
        if let Some((why, help)) = problem {
            cx.push(
                Diagnostic::error("DS0306", format!("pod annotation `{key}` {why}"))
                    .at(at, format!("value `{}`", shorten(value)))
                    .help(help),
            );
        }
    }
}

type Problem = Option<(String, String)>;

/// A value short enough for a label.
fn shorten(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((i, _)) => format!("{}...", &value[..i]),
        None => value.to_string(),
    }
}

fn find<'a>(containers: &'a [ContainerFacts], name: &str) -> Option<&'a crate::model::Container> {
    containers
        .iter()
        .map(|c| &c.container)
        .find(|c| c.name == name)
}

/// A 32-bit integer without `+` or leading zeros (`GetDeletionCostFromPodAnnotations`).
fn deletion_cost(value: &str) -> Problem {
    let first_ok = value.starts_with('-')
        || value == "0"
        || value.starts_with(|c: char| ('1'..='9').contains(&c));
    if first_ok && value.parse::<i32>().is_ok() {
        return None;
    }
    Some((
        "is not a 32-bit integer".into(),
        "write a whole number from -2147483648 to 2147483647 without `+` or leading zeros, such as `100`".into(),
    ))
}

/// A mirror pod stands for a node's static pod and needs a node name, which a daemonset's pods
/// never have, unless an override sets one.
fn mirror(ds: &DaemonSetModel) -> Problem {
    let node_name = ds
        .pod
        .pod_override
        .as_ref()
        .and_then(|f| f.value.get("nodeName"))
        .and_then(|v| v.as_str())
        .is_some_and(|n| !n.is_empty());
    (!node_name).then(|| {
        (
            "marks a mirror pod, which needs a node name".into(),
            "remove it: the kubelet sets it on the mirror pods of static pods, and a daemonset's pods are not those".into(),
        )
    })
}

/// The deprecated tolerations annotation: a JSON list, each item valid as `tolerate` would be.
fn tolerations(value: &str) -> Problem {
    let help = "write each toleration with `tolerate KEY=VALUE:EFFECT` instead; this deprecated annotation must hold a JSON list of valid tolerations";
    let list: Vec<Toleration> = match serde_json::from_str(value) {
        Ok(l) => l,
        Err(e) => {
            return Some((
                format!("is not a JSON list of tolerations ({e})"),
                help.into(),
            ))
        }
    };
    list.iter()
        .find_map(toleration_problem)
        .map(|why| (format!("holds an invalid toleration: {why}"), help.into()))
}

/// `ValidateTolerations` (rules 148–152) for one toleration of the annotation.
fn toleration_problem(t: &Toleration) -> Option<String> {
    let key = t.key.as_deref().unwrap_or("");
    let operator = t.operator.as_deref().unwrap_or("");
    let value = t.value.as_deref().unwrap_or("");
    let effect = t.effect.as_deref().unwrap_or("");
    if !key.is_empty() {
        if let Err(why) = names::qualified_name(key) {
            return Some(format!("the key `{key}` {why}"));
        }
    } else if operator != "Exists" {
        return Some("a toleration without a key must use the operator `Exists`".into());
    }
    if t.toleration_seconds.is_some() && effect != "NoExecute" {
        return Some("`tolerationSeconds` needs the effect `NoExecute`".into());
    }
    match operator {
        "" | "Equal" => {
            if let Err(why) = names::label_value(value) {
                return Some(format!("the value `{value}` {why}"));
            }
        }
        "Exists" if !value.is_empty() => {
            return Some("an `Exists` toleration takes no value".into())
        }
        "Exists" => {}
        other => {
            return Some(format!(
                "`{other}` is not an operator (`Equal` or `Exists`)"
            ))
        }
    }
    if !matches!(effect, "" | "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
        return Some(format!("`{effect}` is not a taint effect"));
    }
    None
}

/// A seccomp annotation's value (`ValidateSeccompProfile`), and, when the matching field is
/// set, the same profile as the field (`validateSeccompAnnotationsAndFieldsMatch`).
fn seccomp(value: &str, field: Option<&Profile>) -> Problem {
    let localhost = value.strip_prefix("localhost/");
    let valid = match localhost {
        Some(path) => !path.starts_with('/') && !path.split('/').any(|p| p == ".."),
        None => matches!(value, "runtime/default" | "docker/default" | "unconfined"),
    };
    if !valid {
        return Some((
            "is not a seccomp profile".into(),
            "use `seccomp runtime-default|unconfined|localhost PROFILE` instead of the annotation; its values are `runtime/default`, `unconfined` and `localhost/RELATIVE-PATH`".into(),
        ));
    }
    let field = field?;
    let same = match field.kind {
        "Unconfined" => value == "unconfined",
        "RuntimeDefault" => matches!(value, "runtime/default" | "docker/default"),
        _ => localhost.is_some() && localhost == field.localhost.as_deref(),
    };
    (!same).then(|| contradiction("seccomp"))
}

/// An AppArmor annotation's value (`ValidateAppArmorProfileFormat`), and the same profile as
/// the container's effective field (`validateAppArmorAnnotationsAndFieldsMatchOnCreate`).
fn apparmor(value: &str, field: Option<&Profile>) -> Problem {
    let localhost = value.strip_prefix("localhost/");
    if !(value.is_empty()
        || localhost.is_some()
        || matches!(value, "runtime/default" | "unconfined"))
    {
        return Some((
            "is not an AppArmor profile".into(),
            "use `apparmor runtime-default|unconfined|localhost PROFILE` instead of the annotation; its values are `runtime/default`, `unconfined` and `localhost/NAME`".into(),
        ));
    }
    let field = field?;
    let same = match field.kind {
        "Unconfined" => value == "unconfined",
        "RuntimeDefault" => value == "runtime/default",
        _ => localhost.is_some() && localhost == field.localhost.as_deref(),
    };
    (!same).then(|| contradiction("apparmor"))
}

fn contradiction(keyword: &str) -> (String, String) {
    (
        format!("names another profile than the `{keyword}` setting"),
        format!("remove the annotation: `{keyword}` writes the field, and the API server rejects an annotation that disagrees with it"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletion_costs() {
        assert!(deletion_cost("100").is_none());
        assert!(deletion_cost("-5").is_none());
        assert!(deletion_cost("0").is_none());
        for bad in ["+1", "007", "2147483648", "x", ""] {
            assert!(deletion_cost(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn toleration_annotations() {
        assert!(
            tolerations(r#"[{"key":"a","operator":"Exists","effect":"NoSchedule"}]"#).is_none()
        );
        assert!(tolerations(r#"[{"operator":"Exists"}]"#).is_none());
        assert!(tolerations(r#"[{"operator":"Equal","value":"x"}]"#).is_some());
        assert!(tolerations(r#"[{"key":"a","operator":"exists"}]"#).is_some());
        assert!(tolerations(r#"[{"key":"a","tolerationSeconds":5}]"#).is_some());
        assert!(tolerations("{").is_some());
    }

    #[test]
    fn profiles_match_fields() {
        let local = Profile {
            kind: "Localhost",
            localhost: Some("a.json".into()),
        };
        assert!(seccomp("localhost/a.json", Some(&local)).is_none());
        assert!(seccomp("localhost/b.json", Some(&local)).is_some());
        assert!(seccomp("localhost/../a.json", None).is_some());
        assert!(seccomp("docker/default", None).is_none());
        assert!(apparmor("runtime/default", None).is_none());
        assert!(apparmor("localhost/a.json", Some(&local)).is_none());
        assert!(apparmor("enforce", None).is_some());
    }
}
