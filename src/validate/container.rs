//! `validateContainers`, `validateInitContainers` and `validateContainerCommon`: every container
//! and init container of the pod spec (names, image, pull and termination-message policies,
//! restart and resize policies), handing ports, env, resources, probes, mounts and security
//! contexts to their own files.

use foldhash::{HashMap, HashMapExt};

use super::field::Node;
use super::findings::Findings;
use super::pod_context::PodContext;
use super::volumes::Volumes;
use super::{env, mounts, ports, probes, resources, security};
use crate::api::names::dns_label;

/// validateContainers and validateInitContainers: every container and init container of the
/// pod spec at `pod`.
pub fn containers(pod: &Node, volumes: &Volumes, out: &mut Findings) {
    let grace = pod.get("terminationGracePeriodSeconds");
    let ctx = PodContext {
        grace_period: if grace.is_set() {
            grace.int()
        } else {
            Some(30)
        },
        restart_policy: pod
            .get("restartPolicy")
            .str()
            .filter(|s| !s.is_empty())
            .unwrap_or("Always"),
    };
    let list = pod.get("containers");
    if list.is_empty() && (!list.is_set() || list.value.is_some_and(|v| v.is_array())) {
        out.required(&list, "must have at least one container")
            .help("add a container with a `name` and an `image`");
    }
    let mut names: HashMap<&str, Node> = HashMap::new();
    for container in list.items() {
        common(pod, &container, volumes, &ctx, out);
        unique_name(&container, &mut names, out);
        probes::lifecycle_and_probes(&container, &ctx, out);
        let restart = container.get("restartPolicy");
        if restart.is_set() {
            out.forbidden(&restart, "may not be set for non-init containers")
                .help("remove `restartPolicy`, or move the container to `initContainers` to run it as a sidecar");
        }
    }
    for container in pod.get("initContainers").items() {
        common(pod, &container, volumes, &ctx, out);
        unique_name(&container, &mut names, out);
        let restart = container.get("restartPolicy");
        let sidecar = restart.str() == Some("Always");
        if restart.is_set() && !sidecar && restart.str().is_some() {
            out.not_supported(&restart, &["Always"]).help(
                "use `restartPolicy: Always` for a sidecar, or remove it for a plain init container",
            );
        }
        if sidecar {
            probes::lifecycle_and_probes(&container, &ctx, out);
        } else {
            for key in [
                "lifecycle",
                "livenessProbe",
                "readinessProbe",
                "startupProbe",
            ] {
                let field = container.get(key);
                if field.is_set() {
                    out.forbidden(&field, "may not be set for init containers without restartPolicy=Always")
                        .help(format!("init containers run to completion before the others start: move `{key}` to a regular container, or make this one a sidecar (`restartPolicy: Always`) if it keeps running beside them"));
                }
            }
        }
    }
    ports::host_ports(pod, out);
}

/// Container names are unique across containers and init containers; the later one is reported.
fn unique_name<'a>(
    container: &Node<'a>,
    names: &mut HashMap<&'a str, Node<'a>>,
    out: &mut Findings,
) {
    let name = container.get("name");
    let Some(text) = name.str().filter(|s| !s.is_empty()) else {
        return;
    };
    if let Some(first) = names.get(text) {
        out.duplicate(&name)
            .help("give every container and init container of the pod its own name")
            .related(&first.path, "first used here");
    } else {
        names.insert(text, name);
    }
}

/// validateContainerCommon: the rules every kind of container shares.
fn common(pod: &Node, container: &Node, volumes: &Volumes, ctx: &PodContext, out: &mut Findings) {
    let name = container.get("name");
    match name.str() {
        None if name.is_set() => {}
        None | Some("") => {
            out.required(&name, "container name is required");
        }
        Some(text) => {
            if let Err(problem) = dns_label(text) {
                out.bad_name(&name, text, problem);
            }
        }
    }
    let image = container.get("image");
    if image.str() == Some("") || !image.is_set() {
        out.required(&image, "container image is required")
            .help("set `image`, e.g. `registry.example.com/app:1.0`");
    }
    one_of(
        &container.get("terminationMessagePolicy"),
        &["File", "FallbackToLogsOnError"],
        out,
    );
    ports::container_ports(&container.get("ports"), out);
    env::env(&container.get("env"), out);
    env::env_from(&container.get("envFrom"), out);
    mounts::mounts(container, volumes, out);
    one_of(
        &container.get("imagePullPolicy"),
        &["Always", "IfNotPresent", "Never"],
        out,
    );
    resources::resources(&container.get("resources"), out);
    resize_policy(&container.get("resizePolicy"), ctx, out);
    security::container_security(pod, container, out);
}

/// A defaulted enum: absent or empty takes the default, any other string must be supported.
fn one_of(node: &Node, supported: &[&str], out: &mut Findings) {
    if let Some(value) = node.str() {
        if !value.is_empty() && !supported.contains(&value) {
            out.not_supported(node, supported);
        }
    }
}

/// validateResizePolicy: `cpu` or `memory`, each at most once, with a supported restart policy.
fn resize_policy(list: &Node, ctx: &PodContext, out: &mut Findings) {
    let mut seen: HashMap<&str, Node> = HashMap::new();
    for entry in list.items() {
        let resource = entry.get("resourceName");
        match resource.str() {
            Some("cpu" | "memory") => {}
            Some("") => {
                out.required(&resource, "resource name is required")
                    .help("set `resourceName` to `cpu` or `memory`");
            }
            None if !resource.is_set() => {
                out.required(&resource, "resource name is required")
                    .help("set `resourceName` to `cpu` or `memory`");
            }
            Some(_) => {
                out.not_supported(&resource, &["cpu", "memory"]);
            }
            None => {}
        }
        if let Some(text) = resource.str() {
            if let Some(first) = seen.get(text) {
                out.duplicate(&resource)
                    .related(&first.path, "first set here");
            } else {
                seen.insert(text, resource.clone());
            }
        }
        let policy = entry.get("restartPolicy");
        match policy.str() {
            Some("NotRequired" | "RestartContainer") => {}
            Some("") => {
                out.required(&policy, "restart policy is required")
                    .help("set `restartPolicy` to `NotRequired` or `RestartContainer`");
            }
            None if !policy.is_set() => {
                out.required(&policy, "restart policy is required")
                    .help("set `restartPolicy` to `NotRequired` or `RestartContainer`");
            }
            Some(_) => {
                out.not_supported(&policy, &["NotRequired", "RestartContainer"]);
            }
            None => {}
        }
        if ctx.restart_policy == "Never" && policy.str().is_some_and(|p| p != "NotRequired") {
            out.invalid(
                &policy,
                "must be 'NotRequired' when `restartPolicy` is 'Never'",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::*;
    use crate::validate::Kind;
    use serde_json::json;

    #[test]
    fn minimal_daemonset_is_valid() {
        assert_none(&with_pod(|_| {}));
    }

    #[test]
    fn containers_are_required() {
        assert_one(
            &with_pod(|p| p["containers"] = json!([])),
            Kind::Required,
            "containers",
        );
    }

    #[test]
    fn names_are_required_and_dns_labels() {
        let ds = with_container(json!({"image": "r/a:1"}));
        assert_one(&ds, Kind::Required, "containers[0].name");
        let ds = with_container(json!({"name": "Web", "image": "r/a:1"}));
        assert_one(&ds, Kind::Invalid, "containers[0].name");
        assert_none(&with_container(container(json!({"name": "a".repeat(63)}))));
    }

    #[test]
    fn names_are_unique_across_init_containers() {
        let ds = with_pod(|p| {
            p["containers"] = json!([{"name": "a", "image": "i"}, {"name": "a", "image": "i"}]);
        });
        assert_one(&ds, Kind::Duplicate, "containers[1].name");
        let ds = with_pod(|p| p["initContainers"] = json!([{"name": "a", "image": "i"}]));
        assert_one(&ds, Kind::Duplicate, "initContainers[0].name");
    }

    #[test]
    fn image_is_required() {
        assert_one(
            &with_container(json!({"name": "a"})),
            Kind::Required,
            "containers[0].image",
        );
        let ds = with_container(json!({"name": "a", "image": ""}));
        assert_one(&ds, Kind::Required, "containers[0].image");
    }

    #[test]
    fn policies_are_supported_values() {
        let ds = with_container(container(json!({"imagePullPolicy": "always"})));
        assert_one(&ds, Kind::NotSupported, "containers[0].imagePullPolicy");
        let ds = with_container(container(json!({"terminationMessagePolicy": "Logs"})));
        assert_one(
            &ds,
            Kind::NotSupported,
            "containers[0].terminationMessagePolicy",
        );
        assert_none(&with_container(container(
            json!({"imagePullPolicy": "Never",
            "terminationMessagePolicy": "FallbackToLogsOnError"}),
        )));
    }

    #[test]
    fn restart_policy_only_on_init_containers() {
        let ds = with_container(container(json!({"restartPolicy": "Always"})));
        assert_one(&ds, Kind::Forbidden, "containers[0].restartPolicy");
        let init = |policy: &str| {
            with_pod(|p| {
                p["initContainers"] = json!([{"name": "i", "image": "i", "restartPolicy": policy}])
            })
        };
        assert_one(
            &init("OnFailure"),
            Kind::NotSupported,
            "initContainers[0].restartPolicy",
        );
        assert_none(&init("Always"));
    }

    #[test]
    fn plain_init_containers_have_no_probes() {
        let probe = json!({"exec": {"command": ["true"]}});
        let ds = with_pod(|p| {
            p["initContainers"] = json!([{"name": "i", "image": "i", "readinessProbe": probe}]);
        });
        assert_one(&ds, Kind::Forbidden, "initContainers[0].readinessProbe");
        let ds = with_pod(|p| {
            p["initContainers"] = json!([{"name": "i", "image": "i", "restartPolicy": "Always",
                "readinessProbe": probe}]);
        });
        assert_none(&ds);
    }

    #[test]
    fn resize_policy_names_and_values() {
        let rp = |v| with_container(container(json!({"resizePolicy": v})));
        assert_none(&rp(
            json!([{"resourceName": "cpu", "restartPolicy": "NotRequired"},
            {"resourceName": "memory", "restartPolicy": "RestartContainer"}]),
        ));
        let ds = rp(json!([{"resourceName": "gpu", "restartPolicy": "NotRequired"}]));
        assert_one(
            &ds,
            Kind::NotSupported,
            "containers[0].resizePolicy[0].resourceName",
        );
        let ds = rp(json!([{"resourceName": "cpu", "restartPolicy": "Sometimes"}]));
        assert_one(
            &ds,
            Kind::NotSupported,
            "containers[0].resizePolicy[0].restartPolicy",
        );
        let ds = rp(
            json!([{"resourceName": "cpu", "restartPolicy": "NotRequired"},
            {"resourceName": "cpu", "restartPolicy": "NotRequired"}]),
        );
        assert_one(
            &ds,
            Kind::Duplicate,
            "containers[0].resizePolicy[1].resourceName",
        );
    }

    #[test]
    fn wrong_types_do_not_panic() {
        let values = [
            json!(null),
            json!(-1),
            json!(1.5),
            json!("x"),
            json!(true),
            json!([]),
            json!({}),
            json!([{}]),
            json!([1, "a", null]),
            json!({"a": {}, "b": [{}]}),
        ];
        let container_keys = [
            "name",
            "image",
            "ports",
            "env",
            "envFrom",
            "resources",
            "resizePolicy",
            "lifecycle",
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
            "securityContext",
            "restartPolicy",
            "imagePullPolicy",
            "terminationMessagePolicy",
        ];
        for v in &values {
            for key in container_keys {
                let ds = with_container(container(json!({ key: v })));
                let _ = found(&ds);
                let deep = json!({"exec": v, "httpGet": {"port": v, "httpHeaders": [{"name": v}]},
                    "sleep": {"seconds": v}, "limits": {"cpu": v, "hugepages-x": v},
                    "requests": {"nvidia.com/gpu": v}, "valueFrom": v, "fieldRef": {"fieldPath": v},
                    "seccompProfile": {"type": v, "localhostProfile": v}, "capabilities": {"add": v}});
                let _ = found(&with_container(container(json!({ key: deep }))));
                let _ = found(&with_container(container(json!({ key: [deep] }))));
            }
            for key in [
                "securityContext",
                "containers",
                "initContainers",
                "hostNetwork",
                "os",
                "terminationGracePeriodSeconds",
                "restartPolicy",
                "hostUsers",
            ] {
                let _ = found(&with_pod(|p| p[key] = v.clone()));
            }
        }
    }
}
