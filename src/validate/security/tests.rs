//! Tests of `security.rs`: one small DaemonSet per rule, failing and passing at each boundary.

use crate::validate::field::Node;
use crate::validate::testing::*;
use crate::validate::{Findings, Kind};
use serde_json::{json, Value};

fn pod_sc(sc: Value) -> Value {
    with_pod(|p| p["securityContext"] = sc)
}

fn ctr_sc(sc: Value) -> Value {
    with_container(container(json!({ "securityContext": sc })))
}

#[test]
fn ids_are_in_range() {
    assert_none(&pod_sc(
        json!({"runAsUser": 2147483647, "runAsGroup": 0, "fsGroup": 0,
        "supplementalGroups": [1, 2147483647]}),
    ));
    assert_one(
        &pod_sc(json!({"runAsUser": -1})),
        Kind::Invalid,
        "securityContext.runAsUser",
    );
    assert_one(
        &pod_sc(json!({"fsGroup": 2147483648i64})),
        Kind::Invalid,
        "securityContext.fsGroup",
    );
    let ds = pod_sc(json!({"supplementalGroups": [1, -2]}));
    assert_one(&ds, Kind::Invalid, "securityContext.supplementalGroups[1]");
    assert_one(
        &ctr_sc(json!({"runAsGroup": -1})),
        Kind::Invalid,
        "containers[0].securityContext.runAsGroup",
    );
}

#[test]
fn sysctls() {
    assert_none(&pod_sc(
        json!({"sysctls": [{"name": "net.ipv4.ip_forward", "value": "1"},
        {"name": "kernel.shm_rmid_forced", "value": "1"}, {"name": "net/ipv4/conf/eth0.100/rp_filter", "value": "1"}]}),
    ));
    let ds = pod_sc(json!({"sysctls": [{"name": "Net.ipv4"}]}));
    assert_one(&ds, Kind::Invalid, "securityContext.sysctls[0].name");
    let ds = pod_sc(json!({"sysctls": [{"name": "kernel.msgmax"}, {"name": "kernel.msgmax"}]}));
    assert_one(&ds, Kind::Duplicate, "securityContext.sysctls[1].name");
    assert_one(
        &pod_sc(json!({"sysctls": [{"value": "1"}]})),
        Kind::Required,
        "securityContext.sysctls[0].name",
    );
    let host = |name: &str, key: &str| {
        with_pod(|p| {
            p[key] = json!(true);
            p["securityContext"] = json!({"sysctls": [{"name": name, "value": "1"}]});
        })
    };
    assert_one(
        &host("net.core.somaxconn", "hostNetwork"),
        Kind::Invalid,
        "securityContext.sysctls[0].name",
    );
    assert_one(
        &host("kernel.sem", "hostIPC"),
        Kind::Invalid,
        "securityContext.sysctls[0].name",
    );
    assert_none(&host("kernel.sem", "hostNetwork"));
}

#[test]
fn policies_are_supported() {
    let ds = pod_sc(json!({"fsGroupChangePolicy": "Sometimes"}));
    assert_one(
        &ds,
        Kind::NotSupported,
        "securityContext.fsGroupChangePolicy",
    );
    let ds = pod_sc(json!({"supplementalGroupsPolicy": "Loose"}));
    assert_one(
        &ds,
        Kind::NotSupported,
        "securityContext.supplementalGroupsPolicy",
    );
    assert_none(&pod_sc(
        json!({"fsGroupChangePolicy": "OnRootMismatch", "supplementalGroupsPolicy": "Strict",
        "seLinuxChangePolicy": "Recursive"}),
    ));
}

#[test]
fn seccomp_profiles() {
    assert_none(&ctr_sc(
        json!({"seccompProfile": {"type": "RuntimeDefault"}}),
    ));
    assert_none(&pod_sc(
        json!({"seccompProfile": {"type": "Localhost", "localhostProfile": "profiles/a.json"}}),
    ));
    let ds = pod_sc(json!({"seccompProfile": {"type": "Localhost"}}));
    assert_one(
        &ds,
        Kind::Required,
        "securityContext.seccompProfile.localhostProfile",
    );
    let ds = pod_sc(json!({"seccompProfile": {"type": "RuntimeDefault", "localhostProfile": "a"}}));
    assert_one(
        &ds,
        Kind::Invalid,
        "securityContext.seccompProfile.localhostProfile",
    );
    let ds = ctr_sc(json!({"seccompProfile": {"type": "runtime/default"}}));
    assert_one(
        &ds,
        Kind::NotSupported,
        "containers[0].securityContext.seccompProfile.type",
    );
    assert_one(
        &pod_sc(json!({"seccompProfile": {}})),
        Kind::Required,
        "securityContext.seccompProfile.type",
    );
}

#[test]
fn apparmor_profiles() {
    assert_none(&ctr_sc(
        json!({"appArmorProfile": {"type": "Localhost", "localhostProfile": "k8s-nginx"}}),
    ));
    let ds = ctr_sc(json!({"appArmorProfile": {"type": "Localhost", "localhostProfile": " a"}}));
    assert_one(
        &ds,
        Kind::Invalid,
        "containers[0].securityContext.appArmorProfile.localhostProfile",
    );
    let ds = pod_sc(json!({"appArmorProfile": {"type": "Localhost"}}));
    assert_one(
        &ds,
        Kind::Required,
        "securityContext.appArmorProfile.localhostProfile",
    );
    let ds = pod_sc(json!({"appArmorProfile": {"type": "Default"}}));
    assert_one(
        &ds,
        Kind::NotSupported,
        "securityContext.appArmorProfile.type",
    );
}

#[test]
fn privilege_escalation_conflicts() {
    let ds = ctr_sc(json!({"allowPrivilegeEscalation": false, "privileged": true}));
    assert_one(
        &ds,
        Kind::Invalid,
        "containers[0].securityContext.allowPrivilegeEscalation",
    );
    let ds = ctr_sc(
        json!({"allowPrivilegeEscalation": false, "capabilities": {"add": ["CAP_SYS_ADMIN"]}}),
    );
    assert_one(&ds, Kind::Invalid, "containers[0].securityContext");
    assert_none(&ctr_sc(
        json!({"allowPrivilegeEscalation": false, "capabilities": {"add": ["SYS_ADMIN"]}}),
    ));
    assert_none(&ctr_sc(
        json!({"privileged": true, "runAsNonRoot": true, "runAsUser": 0}),
    ));
}

#[test]
fn proc_mount() {
    let ds = ctr_sc(json!({"procMount": "Masked"}));
    assert_one(
        &ds,
        Kind::NotSupported,
        "containers[0].securityContext.procMount",
    );
    let ds = ctr_sc(json!({"procMount": "Unmasked"}));
    assert_one(
        &ds,
        Kind::Invalid,
        "containers[0].securityContext.procMount",
    );
    let ds = with_pod(|p| {
        p["hostUsers"] = json!(false);
        p["containers"][0]["securityContext"] = json!({"procMount": "Unmasked"});
    });
    assert_none(&ds);
}

#[test]
fn windows_options() {
    assert_none(&ctr_sc(
        json!({"windowsOptions": {"runAsUserName": "NT AUTHORITY\\SYSTEM"}}),
    ));
    let ds = ctr_sc(json!({"windowsOptions": {"runAsUserName": "a\\b\\c"}}));
    assert_one(
        &ds,
        Kind::Invalid,
        "containers[0].securityContext.windowsOptions.runAsUserName",
    );
    let ds = ctr_sc(json!({"windowsOptions": {"gmsaCredentialSpecName": "Spec"}}));
    assert_one(
        &ds,
        Kind::Invalid,
        "containers[0].securityContext.windowsOptions.gmsaCredentialSpecName",
    );
}

#[test]
fn host_process_pods() {
    let ds = with_pod(|p| {
        p["hostNetwork"] = json!(true);
        p["securityContext"] = json!({"windowsOptions": {"hostProcess": true}});
    });
    assert_none(&ds);
    let ds = with_pod(|p| p["securityContext"] = json!({"windowsOptions": {"hostProcess": true}}));
    assert_one(&ds, Kind::Invalid, "hostNetwork");
}

#[test]
fn profile_annotations_agree_with_fields() {
    let run = |template: Value| {
        let mut out = Findings::default();
        super::profiles::profile_annotations(&Node::root(&template), &mut out);
        out.0
            .into_iter()
            .map(|f| (f.kind, f.path.to_string()))
            .collect::<Vec<_>>()
    };
    let template = |annotations: Value| {
        json!({"metadata": {"annotations": annotations},
            "spec": {"containers": [{"name": "a", "securityContext": {"seccompProfile": {"type": "RuntimeDefault"},
                "appArmorProfile": {"type": "Localhost", "localhostProfile": "p"}}}]}})
    };
    assert_eq!(
        run(template(
            json!({"container.seccomp.security.alpha.kubernetes.io/a": "docker/default",
        "container.apparmor.security.beta.kubernetes.io/a": "localhost/p"})
        )),
        vec![]
    );
    assert_eq!(
        run(template(
            json!({"container.seccomp.security.alpha.kubernetes.io/a": "unconfined"})
        )),
        vec![(
            Kind::Forbidden,
            "spec.containers[0].securityContext.seccompProfile.type".to_string()
        )]
    );
    assert_eq!(
        run(template(
            json!({"container.apparmor.security.beta.kubernetes.io/a": "localhost/q"})
        )),
        vec![(
            Kind::Forbidden,
            "spec.containers[0].securityContext.appArmorProfile.localhostProfile".to_string()
        )]
    );
}

#[test]
fn gmsa_credential_spec_size() {
    // Up to 64 KiB is taken; one byte more is not.
    let spec = |n: usize| ctr_sc(json!({"windowsOptions": {"gmsaCredentialSpec": "x".repeat(n)}}));
    assert_none(&spec(64 * 1024));
    let at = "containers[0].securityContext.windowsOptions.gmsaCredentialSpec";
    assert_one(&spec(64 * 1024 + 1), Kind::Invalid, at);
    assert_one(&spec(0), Kind::Invalid, at);
}

#[test]
fn seccomp_localhost_paths() {
    let local =
        |p: &str| ctr_sc(json!({"seccompProfile": {"type": "Localhost", "localhostProfile": p}}));
    let at = "containers[0].securityContext.seccompProfile.localhostProfile";
    assert_none(&local("profiles/agent.json"));
    assert_one(&local("profiles/../agent.json"), Kind::Invalid, at);
    // The server stores an empty path (validateLocalDescendingPath accepts it).
    assert_none(&local(""));
    let found = crate::validate::daemonset(&local("/var/lib/kubelet/seccomp/profiles/a.json"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].detail, "must be a relative path");
    assert!(found[0]
        .help
        .as_deref()
        .is_some_and(|h| h.ends_with("write `profiles/a.json`")));
}

/// A valid DaemonSet whose template has `annotations`, after `patch` changed its pod spec.
fn annotated(annotations: Value, patch: impl FnOnce(&mut Value)) -> Vec<crate::validate::Finding> {
    let mut ds = with_pod(patch);
    ds["spec"]["template"]["metadata"]["annotations"] = annotations;
    crate::validate::daemonset(&ds)
}

#[test]
fn profile_annotation_values() {
    const META: &str = "spec.template.metadata.annotations";
    let pod_seccomp = "seccomp.security.alpha.kubernetes.io/pod";
    for ok in [
        "runtime/default",
        "docker/default",
        "unconfined",
        "localhost/p/a.json",
    ] {
        assert!(
            annotated(json!({pod_seccomp: ok}), |_| {}).is_empty(),
            "{ok}"
        );
    }
    let found = annotated(json!({pod_seccomp: "RuntimeDefault"}), |_| {});
    has_at(&found, Kind::Invalid, &format!("{META}[{pod_seccomp}]"));
    assert!(found[0]
        .help
        .as_deref()
        .is_some_and(|h| h.starts_with("write `runtime/default`")));
    let found = annotated(json!({pod_seccomp: "localhost//etc/a.json"}), |_| {});
    assert_eq!(found.len(), 1, "{found:#?}");
    // AppArmor: the annotation names a container of the pod (here `a`), on its key.
    let apparmor = "container.apparmor.security.beta.kubernetes.io/";
    assert!(annotated(json!({format!("{apparmor}a"): "localhost/p"}), |_| {}).is_empty());
    let found = annotated(json!({format!("{apparmor}b"): "runtime/default"}), |_| {});
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].on_key);
    assert_eq!(
        found[0].help.as_deref(),
        Some(&*format!("did you mean `a`? write `{apparmor}a`"))
    );
    let found = annotated(json!({format!("{apparmor}a"): "restricted"}), |_| {});
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0]
        .help
        .as_deref()
        .is_some_and(|h| h.starts_with("write `localhost/restricted`")));
}

#[test]
fn profile_annotations_disagreeing_with_fields() {
    let pod_seccomp = "seccomp.security.alpha.kubernetes.io/pod";
    let found = annotated(json!({pod_seccomp: "unconfined"}), |p| {
        p["securityContext"] = json!({"seccompProfile": {"type": "RuntimeDefault"}});
    });
    has(
        &found,
        Kind::Forbidden,
        "securityContext.seccompProfile.type",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].related.is_some());
    assert!(found[0]
        .help
        .as_deref()
        .is_some_and(|h| h.contains("`runtime/default`")));
    // docker/default is the old name of runtime/default: they agree.
    let found = annotated(json!({pod_seccomp: "docker/default"}), |p| {
        p["securityContext"] = json!({"seccompProfile": {"type": "RuntimeDefault"}});
    });
    assert!(found.is_empty(), "{found:#?}");
}
