//! `ValidatePodTemplateSpec` and `ValidatePodSpec`: the pod's own fields (names it refers to,
//! gates, host namespaces, the OS), and the calls into the other pod rules.

use foldhash::{HashMap, HashMapExt};

use super::field::Node;
use super::findings::Findings;
use super::metadata::text;
use super::{container, dns, metadata, pod_meta, resources, scheduling, security, volumes};
use crate::api::names::{dns_label, dns_subdomain, qualified_name};

/// `ValidatePodTemplateSpec`: the template at `template`.
pub fn template(template: &Node, out: &mut Findings) {
    let meta = template.get("metadata");
    let spec = template.get("spec");
    metadata::object_meta(&meta, false, out);
    pod_meta::pod_annotations(&meta.get("annotations"), &spec, out);
    let volumes = volumes::volumes(&spec.get("volumes"), &meta.get("name"), out);
    container::containers(&spec, &volumes, out);
    scheduling::scheduling(&spec, out);
    security::pod_security(&spec, out);
    security::profile_annotations(template, out);
    pod_spec(&spec, out);
    let ephemeral = spec.get("ephemeralContainers");
    if !ephemeral.is_empty() {
        out.forbidden(
            &ephemeral,
            "ephemeral containers not allowed in pod template",
        )
        .help("remove `ephemeralContainers`: they are added to running pods with `kubectl debug`");
    }
}

/// `ValidatePodSpec`: the pod's own fields. (`validateRestartPolicy` is left to the DaemonSet's
/// stricter rule, which allows only `Always`; `terminationGracePeriodSeconds` is defaulted;
/// `validatePodHostNetworkDeps` is with the ports, in `ports.rs`.)
fn pod_spec(pod: &Node, out: &mut Findings) {
    dns::dns(pod, out);
    // The deprecated `serviceAccount` fills `serviceAccountName` when that is empty.
    let account = match pod.get("serviceAccountName") {
        n if text(&n).is_some_and(|s| !s.is_empty()) => n,
        _ => pod.get("serviceAccount"),
    };
    for field in [account, pod.get("nodeName"), pod.get("priorityClassName")] {
        if let Some(name) = field.str().filter(|s| !s.is_empty()) {
            if let Err(problem) = dns_subdomain(name) {
                out.bad_name(&field, name, problem);
            }
        }
    }
    // A runtimeClassName that is set, even to "", must be a subdomain.
    let runtime = pod.get("runtimeClassName");
    if let Some(name) = runtime.str() {
        if let Err(problem) = dns_subdomain(name) {
            out.bad_name(&runtime, name, problem);
        }
    }
    for field in ["hostname", "subdomain"] {
        let node = pod.get(field);
        if let Some(name) = node.str().filter(|s| !s.is_empty()) {
            if let Err(problem) = dns_label(name) {
                out.bad_name(&node, name, problem);
            }
        }
    }
    let deadline = pod.get("activeDeadlineSeconds");
    if deadline
        .int()
        .is_some_and(|d| !(1..=i64::from(i32::MAX)).contains(&d))
    {
        out.invalid(&deadline, "must be between 1 and 2147483647, inclusive");
    }
    let preemption = pod.get("preemptionPolicy");
    match preemption.str() {
        Some("") => {
            out.required(&preemption, "may not be empty")
                .help("use `PreemptLowerPriority` or `Never`, or remove `preemptionPolicy`");
        }
        Some("PreemptLowerPriority" | "Never") | None => {}
        Some(_) => {
            out.not_supported(&preemption, &["Never", "PreemptLowerPriority"]);
        }
    }
    for gate in pod.get("readinessGates").items() {
        let condition = gate.get("conditionType");
        if let Some(c) = text(&condition) {
            if let Err(problem) = qualified_name(c) {
                out.invalid(&condition, problem);
            }
        }
    }
    scheduling_gates(&pod.get("schedulingGates"), out);
    let overhead = pod.get("overhead");
    if !overhead.is_empty() {
        resources::overhead(&overhead, out);
    }
    host_namespaces(pod, out);
    os(pod, out);
}

/// `validateSchedulingGates`: names are qualified names, each once.
fn scheduling_gates(list: &Node, out: &mut Findings) {
    let mut seen: HashMap<&str, Node> = HashMap::new();
    for gate in list.items() {
        let name = gate.get("name");
        let Some(n) = text(&name) else { continue };
        if let Err(problem) = qualified_name(n) {
            out.invalid(&name, problem);
        }
        match seen.get(n) {
            Some(first) => {
                out.duplicate(&name).related(&first.path, "first here");
            }
            None => {
                seen.insert(n, name.clone());
            }
        }
    }
}

/// `validateHostUsers` and the `shareProcessNamespace` rule of
/// `validatePodSpecSecurityContext`.
fn host_namespaces(pod: &Node, out: &mut Findings) {
    let on = |field: &'static str| pod.get(field).bool() == Some(true);
    if pod.get("hostUsers").bool() == Some(false) {
        for field in ["hostNetwork", "hostPID", "hostIPC"] {
            if on(field) {
                out.forbidden(&pod.get(field), "when `pod.Spec.HostUsers` is false")
                    .related(&pod.get("hostUsers").path, "hostUsers is false here")
                    .help(format!("remove `{field}` or `hostUsers: false`: a user namespace cannot share the host's namespaces"));
            }
        }
    }
    if on("shareProcessNamespace") && on("hostPID") {
        out.invalid(
            &pod.get("shareProcessNamespace"),
            "ShareProcessNamespace and HostPID cannot both be enabled",
        )
        .related(&pod.get("hostPID").path, "hostPID here")
        .help("with `hostPID` the containers already see every process: remove `shareProcessNamespace`");
    }
}

/// `validateOS`, then the pod-level part of `validateLinux` / `validateWindows` (the
/// containers' security contexts are checked with them).
fn os(pod: &Node, out: &mut Findings) {
    let os = pod.get("os");
    if !os.is_set() {
        return;
    }
    let name = os.get("name");
    match text(&name) {
        Some("") => {
            out.required(&name, "cannot be empty")
                .help("set `os.name` to `linux` or `windows`");
        }
        Some("linux") => {
            let windows = pod.at(&["securityContext", "windowsOptions"]);
            if windows.is_set() {
                out.forbidden(&windows, "windows options cannot be set for a linux pod");
            }
        }
        Some("windows") => windows_pod(pod, out),
        Some(_) => {
            out.not_supported(&name, &["linux", "windows"]);
        }
        None => {}
    }
}

/// `validateWindows`, the pod's own fields and pod security context.
fn windows_pod(pod: &Node, out: &mut Findings) {
    let mut forbid = |node: Node| {
        out.forbidden(&node, "cannot be set for a windows pod")
            .help("remove it, or run the pod on linux (`os.name: linux`)");
    };
    for field in ["hostUsers", "shareProcessNamespace"] {
        if pod.get(field).is_set() {
            forbid(pod.get(field));
        }
    }
    for field in ["hostPID", "hostIPC"] {
        if pod.get(field).bool() == Some(true) {
            forbid(pod.get(field));
        }
    }
    let context = pod.get("securityContext");
    for field in [
        "appArmorProfile",
        "seLinuxOptions",
        "seccompProfile",
        "fsGroup",
        "fsGroupChangePolicy",
        "runAsUser",
        "runAsGroup",
        "supplementalGroups",
        "supplementalGroupsPolicy",
    ] {
        if context.get(field).is_set() {
            forbid(context.get(field));
        }
    }
    if !context.get("sysctls").is_empty() {
        forbid(context.get("sysctls"));
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{has, pod};
    use crate::validate::{daemonset, Kind};
    use serde_json::json;

    #[test]
    fn referenced_names_are_subdomains() {
        assert!(pod(
            json!({"serviceAccountName": "agent", "priorityClassName": "system-node-critical",
            "runtimeClassName": "gvisor", "nodeName": "node-1.zone"})
        )
        .is_empty());
        for field in [
            "serviceAccountName",
            "priorityClassName",
            "runtimeClassName",
            "nodeName",
        ] {
            has(&pod(json!({field: "Agent_1"})), Kind::Invalid, field);
        }
        has(
            &pod(json!({"serviceAccount": "Agent"})),
            Kind::Invalid,
            "serviceAccount",
        );
        has(
            &pod(json!({"runtimeClassName": ""})),
            Kind::Invalid,
            "runtimeClassName",
        );
        assert!(pod(json!({"serviceAccountName": "", "priorityClassName": ""})).is_empty());
    }

    #[test]
    fn hostname_and_subdomain_are_labels() {
        assert!(pod(json!({"hostname": "a".repeat(63), "subdomain": "svc"})).is_empty());
        has(
            &pod(json!({"hostname": "a".repeat(64)})),
            Kind::Invalid,
            "hostname",
        );
        has(
            &pod(json!({"subdomain": "a.b"})),
            Kind::Invalid,
            "subdomain",
        );
    }

    #[test]
    fn active_deadline_range() {
        has(
            &pod(json!({"activeDeadlineSeconds": 0})),
            Kind::Invalid,
            "activeDeadlineSeconds",
        );
    }

    #[test]
    fn preemption_policy() {
        assert!(pod(json!({"preemptionPolicy": "Never"})).is_empty());
        has(
            &pod(json!({"preemptionPolicy": ""})),
            Kind::Required,
            "preemptionPolicy",
        );
        has(
            &pod(json!({"preemptionPolicy": "never"})),
            Kind::NotSupported,
            "preemptionPolicy",
        );
    }

    #[test]
    fn readiness_gates() {
        assert!(
            pod(json!({"readinessGates": [{"conditionType": "example.com/ready"}]})).is_empty()
        );
        has(
            &pod(json!({"readinessGates": [{"conditionType": "not ready"}]})),
            Kind::Invalid,
            "readinessGates[0].conditionType",
        );
        has(
            &pod(json!({"readinessGates": [{}]})),
            Kind::Invalid,
            "readinessGates[0].conditionType",
        );
    }

    #[test]
    fn scheduling_gates() {
        assert!(pod(json!({"schedulingGates": [{"name": "example.com/wait"}]})).is_empty());
        has(
            &pod(json!({"schedulingGates": [{"name": "a b"}]})),
            Kind::Invalid,
            "schedulingGates[0].name",
        );
        has(
            &pod(json!({"schedulingGates": [{"name": "g"}, {"name": "g"}]})),
            Kind::Duplicate,
            "schedulingGates[1].name",
        );
    }

    #[test]
    fn host_users_excludes_host_namespaces() {
        assert!(pod(json!({"hostUsers": false})).is_empty());
        assert!(pod(json!({"hostUsers": true, "hostNetwork": true})).is_empty());
        has(
            &pod(json!({"hostUsers": false, "hostNetwork": true})),
            Kind::Forbidden,
            "hostNetwork",
        );
        has(
            &pod(json!({"hostUsers": false, "hostIPC": true})),
            Kind::Forbidden,
            "hostIPC",
        );
    }

    #[test]
    fn share_process_namespace_excludes_host_pid() {
        assert!(pod(json!({"shareProcessNamespace": true})).is_empty());
        has(
            &pod(json!({"shareProcessNamespace": true, "hostPID": true})),
            Kind::Invalid,
            "shareProcessNamespace",
        );
    }

    #[test]
    fn os_name() {
        assert!(pod(json!({"os": {"name": "linux"}})).is_empty());
        has(&pod(json!({"os": {}})), Kind::Required, "os.name");
        has(
            &pod(json!({"os": {"name": "Linux"}})),
            Kind::NotSupported,
            "os.name",
        );
    }

    #[test]
    fn os_restricts_pod_fields() {
        has(
            &pod(json!({"os": {"name": "linux"}, "securityContext": {"windowsOptions": {}}})),
            Kind::Forbidden,
            "securityContext.windowsOptions",
        );
        assert!(pod(json!({"os": {"name": "windows"}, "securityContext": {"windowsOptions": {}}, "hostPID": false})).is_empty());
        let f = pod(
            json!({"os": {"name": "windows"}, "hostPID": true, "securityContext": {"runAsUser": 1, "sysctls": [{"name": "a", "value": "1"}]}}),
        );
        has(&f, Kind::Forbidden, "hostPID");
        has(&f, Kind::Forbidden, "securityContext.runAsUser");
        has(&f, Kind::Forbidden, "securityContext.sysctls");
    }

    #[test]
    fn no_ephemeral_containers_in_templates() {
        has(
            &pod(json!({"ephemeralContainers": [{"name": "d", "image": "busybox"}]})),
            Kind::Forbidden,
            "ephemeralContainers",
        );
    }

    #[test]
    fn wrong_types_never_panic() {
        let fields = [
            "dnsPolicy",
            "dnsConfig",
            "hostAliases",
            "serviceAccountName",
            "nodeName",
            "runtimeClassName",
            "hostname",
            "activeDeadlineSeconds",
            "preemptionPolicy",
            "readinessGates",
            "schedulingGates",
            "hostUsers",
            "os",
            "affinity",
            "tolerations",
            "topologySpreadConstraints",
            "nodeSelector",
            "restartPolicy",
        ];
        for junk in [
            json!(7),
            json!([1, {"a": null}]),
            json!({"x": [true]}),
            json!(null),
            json!("s"),
        ] {
            for field in fields {
                let _ = pod(json!({ field: junk.clone() }));
            }
            let mut ds = json!({"metadata": junk.clone(), "spec": {"selector": junk.clone(),
                "updateStrategy": {"type": junk.clone(), "rollingUpdate": junk.clone()},
                "template": {"metadata": {"labels": junk.clone(), "annotations": junk.clone()}}}});
            let _ = daemonset(&ds);
            ds["spec"]["selector"] =
                json!({"matchExpressions": [junk.clone()], "matchLabels": junk.clone()});
            let _ = daemonset(&ds);
        }
    }
}
