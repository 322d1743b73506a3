//! `ValidateVolumeMounts` and `ValidateVolumeDevices` of one container (init containers and
//! sidecars alike): the volumes they name, unique paths, sub-paths, propagation, recursive
//! read-only mounts, and block devices.

use foldhash::{HashMap, HashMapExt};

use super::field::Node;
use super::field::NodePath;
use super::findings::Findings;
use super::volume_fields::{blank, local_descending_path};
use super::volumes::Volumes;

/// The mounts and devices of the container at `container`.
pub fn mounts(container: &Node, volumes: &Volumes, out: &mut Findings) {
    // Mounts of image volumes are dropped by the server with their volumes.
    let mounts: Vec<Node> = container
        .get("volumeMounts")
        .items()
        .filter(|m| {
            !m.get("name")
                .str()
                .is_some_and(|n| volumes.dropped.contains(n))
        })
        .collect();
    let devices: Vec<Node> = container.get("volumeDevices").items().collect();
    volume_mounts(container, &mounts, &devices, volumes, out);
    volume_devices(&mounts, &devices, volumes, out);
}

/// The volume a mount or device (`device`: only claims will do) names: NotFound when there is
/// none, or when that volume has errors of its own (the server leaves those out of the pod's
/// volumes).
fn matched(name: &Node, volumes: &Volumes, device: bool, out: &mut Findings) -> bool {
    if blank(name) {
        let mut usable: Vec<&str> = volumes
            .by_name
            .keys()
            .copied()
            .filter(|v| !device || volumes.is_claim(v))
            .collect();
        usable.sort_unstable();
        let list = usable
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = match (usable.is_empty(), device) {
            (false, false) => format!("set `name` to one of the pod's volumes: {list}"),
            (false, true) => format!("set `name` to one of the pod's claim volumes: {list}"),
            (true, false) => "set `name` to a volume of the pod's `volumes`".to_string(),
            (true, true) => "set `name` to a persistentVolumeClaim or ephemeral volume of the \
                             pod's `volumes`"
                .to_string(),
        };
        out.required(name, "must be set").help(help);
        return false;
    }
    let Some(n) = name.str() else { return true };
    if volumes.by_name.contains_key(n) {
        return true;
    }
    if let Some(at) = volumes.broken.get(n) {
        out.not_found(name, format!("volume `{n}` is not valid"))
            .related(at, "this volume has errors")
            .help("fix the volume's own errors");
    } else {
        let f = out.not_found(name, format!("no volume named `{n}` in the pod"));
        match volumes
            .by_name
            .keys()
            .min_by_key(|k| strsim::levenshtein(k, n))
        {
            Some(close) if strsim::levenshtein(close, n) <= 2 => f.suggest(n, close),
            _ => f.help(format!("add a volume named `{n}` to the pod's `volumes`")),
        };
    }
    false
}

/// `ValidateVolumeMounts`.
fn volume_mounts(
    container: &Node,
    mounts: &[Node],
    devices: &[Node],
    volumes: &Volumes,
    out: &mut Findings,
) {
    let privileged = container.at(&["securityContext", "privileged"]).bool() == Some(true);
    let mut paths: HashMap<&str, NodePath> = HashMap::new();
    for mount in mounts {
        let name = mount.get("name");
        matched(&name, volumes, false, out);
        let path = mount.get("mountPath");
        if blank(&path) {
            out.required(&path, "must be set");
        }
        if let Some(p) = path.str().filter(|p| !p.is_empty()) {
            if let Some(first) = paths.get(p) {
                out.invalid(&path, "must be unique")
                    .related(first, "first mounted here")
                    .help("mount each path once; use `subPath` to mount parts of volumes side by side");
            } else {
                paths.insert(p, path.path.clone());
            }
        }
        if let Some(n) = name.str().filter(|n| !n.is_empty()) {
            if let Some(d) = devices.iter().find(|d| d.get("name").str() == Some(n)) {
                out.invalid(&name, "must not already exist in volumeDevices")
                    .related(&d.path, "used as a device here");
            }
        }
        if let Some(p) = path.str().filter(|p| !p.is_empty()) {
            if let Some(d) = devices
                .iter()
                .find(|d| d.get("devicePath").str() == Some(p))
            {
                out.invalid(&path, "must not already exist as a path in volumeDevices")
                    .related(&d.path, "the device");
            }
        }
        let sub = mount.get("subPath");
        let sub_set = sub.str().is_some_and(|s| !s.is_empty());
        if sub_set {
            local_descending_path(&sub, out);
        }
        let expr = mount.get("subPathExpr");
        if expr.str().is_some_and(|s| !s.is_empty()) {
            if sub_set {
                out.invalid(&expr, "subPathExpr and subPath are mutually exclusive")
                    .help("keep `subPath` for a fixed path, or `subPathExpr` to expand `$(VAR)`");
            }
            local_descending_path(&expr, out);
        }
        mount_propagation(mount, privileged, out);
        recursive_read_only(mount, out);
    }
}

/// `validateMountPropagation`: a known mode; `Bidirectional` only in a privileged container.
fn mount_propagation(mount: &Node, privileged: bool, out: &mut Findings) {
    let node = mount.get("mountPropagation");
    let Some(mode) = node.str() else { return };
    const MODES: &[&str] = &["None", "HostToContainer", "Bidirectional"];
    if !MODES.contains(&mode) {
        out.not_supported(&node, MODES);
    }
    if mode == "Bidirectional" && !privileged {
        out.forbidden(
            &node,
            "Bidirectional mount propagation is available only to privileged containers",
        )
        .help("set `securityContext.privileged: true` on the container, or use `HostToContainer`");
    }
}

/// `validateMountRecursiveReadOnly`: `Enabled` and `IfPossible` need a read-only mount
/// without propagation.
fn recursive_read_only(mount: &Node, out: &mut Findings) {
    let node = mount.get("recursiveReadOnly");
    let Some(mode) = node.str() else { return };
    match mode {
        "Disabled" => {}
        "Enabled" | "IfPossible" => {
            if mount.get("readOnly").bool() != Some(true) {
                out.forbidden(&node, "may only be specified when readOnly is true")
                    .help("add `readOnly: true` to the mount");
            }
            let propagation = mount.get("mountPropagation");
            if propagation.str().is_some_and(|p| p != "None") {
                out.forbidden(
                    &node,
                    "may only be specified when mountPropagation is None or not specified",
                )
                .related(&propagation.path, "the mount's propagation");
            }
        }
        _ => {
            out.not_supported(&node, &["Disabled", "IfPossible", "Enabled"]);
        }
    }
}

/// `ValidateVolumeDevices`: claim-backed volumes at unique paths, none also mounted.
fn volume_devices(mounts: &[Node], devices: &[Node], volumes: &Volumes, out: &mut Findings) {
    let mut names: HashMap<&str, NodePath> = HashMap::new();
    let mut paths: HashMap<&str, NodePath> = HashMap::new();
    for device in devices {
        let name = device.get("name");
        let n = name.str().unwrap_or("");
        if let Some(first) = names.get(n) {
            out.invalid(&name, "must be unique")
                .related(first, "first used here");
        }
        if matched(&name, volumes, true, out) && !n.is_empty() && !volumes.is_claim(n) {
            out.invalid(
                &name,
                "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
            )
            .help("mount the volume with `volumeMounts`, or back it by a claim with `volumeMode: Block`");
        }
        let path = device.get("devicePath");
        let p = path.str().unwrap_or("");
        if blank(&path) {
            out.required(&path, "must be set");
        }
        if let Some(first) = paths.get(p) {
            out.invalid(&path, "must be unique")
                .related(first, "first used here");
        }
        if p.split('/').any(|part| part == "..") {
            out.invalid(&path, "can not contain backsteps ('..')");
        } else if !p.is_empty() {
            paths.entry(p).or_insert(path.path.clone());
        }
        if !n.is_empty() {
            if let Some(m) = mounts.iter().find(|m| m.get("name").str() == Some(n)) {
                out.invalid(&name, "must not already exist in volumeMounts")
                    .related(&m.path, "mounted here");
            }
            names.entry(n).or_insert(name.path.clone());
        }
        let same_path = |m: &&Node| !p.is_empty() && m.get("mountPath").str() == Some(p);
        if let Some(m) = mounts.iter().find(same_path) {
            out.invalid(&path, "must not already exist as a path in volumeMounts")
                .related(&m.path, "the mount");
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::validate::volumes::tests::with;
    use crate::validate::{daemonset, Finding, Kind};

    const M0: &str = "spec.template.spec.containers[0].volumeMounts[0]";
    const M1: &str = "spec.template.spec.containers[0].volumeMounts[1]";

    fn vols() -> Value {
        json!([{"name":"a","emptyDir":{}},{"name":"b","hostPath":{"path":"/b"}}])
    }

    fn run(mounts: Value) -> Vec<Finding> {
        daemonset(&with(vols(), mounts))
    }

    fn one(found: &[Finding], kind: Kind, at: &str) {
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            (found[0].kind, found[0].path.to_string()),
            (kind, at.to_string())
        );
    }

    #[test]
    fn names_and_paths() {
        assert!(
            run(json!([{"name":"a","mountPath":"/a"},{"name":"b","mountPath":"b/"}])).is_empty()
        );
        one(
            &run(json!([{"mountPath":"/a"}])),
            Kind::Required,
            &format!("{M0}.name"),
        );
        let f = run(json!([{"name":"c","mountPath":"/a"}]));
        one(&f, Kind::NotFound, &format!("{M0}.name"));
        one(
            &run(json!([{"name":"a"}])),
            Kind::Required,
            &format!("{M0}.mountPath"),
        );
        let f = run(json!([{"name":"a","mountPath":"/a"},{"name":"b","mountPath":"/a"}]));
        one(&f, Kind::Invalid, &format!("{M1}.mountPath"));
        assert!(f[0].related.is_some());
    }

    #[test]
    fn mount_of_a_broken_volume_is_not_found() {
        let f = daemonset(&with(
            json!([{"name":"a","hostPath":{}}]),
            json!([{"name":"a","mountPath":"/a"}]),
        ));
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(f[1].kind, Kind::NotFound);
        assert!(f[1].related.is_some());
    }

    #[test]
    fn sub_paths() {
        let m = |extra: Value| {
            let mut mount = json!({"name":"a","mountPath":"/a"});
            mount
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            run(json!([mount]))
        };
        assert!(m(json!({"subPath":"x/y"})).is_empty());
        assert!(m(json!({"subPathExpr":"$(POD_NAME)"})).is_empty());
        one(
            &m(json!({"subPath":"/x"})),
            Kind::Invalid,
            &format!("{M0}.subPath"),
        );
        one(
            &m(json!({"subPath":"x/../y"})),
            Kind::Invalid,
            &format!("{M0}.subPath"),
        );
        one(
            &m(json!({"subPath":"x","subPathExpr":"y"})),
            Kind::Invalid,
            &format!("{M0}.subPathExpr"),
        );
        one(
            &m(json!({"subPathExpr":"../$(X)"})),
            Kind::Invalid,
            &format!("{M0}.subPathExpr"),
        );
        one(
            &m(json!({"mountPropagation":"Shared"})),
            Kind::NotSupported,
            &format!("{M0}.mountPropagation"),
        );
        assert!(m(json!({"mountPropagation":"HostToContainer"})).is_empty());
        one(
            &m(json!({"mountPropagation":"Bidirectional"})),
            Kind::Forbidden,
            &format!("{M0}.mountPropagation"),
        );
        assert!(m(
            json!({"recursiveReadOnly":"Enabled","readOnly":true,"mountPropagation":"None"})
        )
        .is_empty());
        assert!(m(json!({"recursiveReadOnly":"Disabled"})).is_empty());
        one(
            &m(json!({"recursiveReadOnly":"IfPossible"})),
            Kind::Forbidden,
            &format!("{M0}.recursiveReadOnly"),
        );
        one(
            &m(json!({"recursiveReadOnly":"Always","readOnly":true})),
            Kind::NotSupported,
            &format!("{M0}.recursiveReadOnly"),
        );
        one(
            &m(
                json!({"recursiveReadOnly":"Enabled","readOnly":true,"mountPropagation":"HostToContainer"}),
            ),
            Kind::Forbidden,
            &format!("{M0}.recursiveReadOnly"),
        );
    }

    #[test]
    fn privileged_bidirectional_and_init_containers() {
        let mut ds = with(
            vols(),
            json!([{"name":"b","mountPath":"/b","mountPropagation":"Bidirectional"}]),
        );
        ds["spec"]["template"]["spec"]["containers"][0]["securityContext"] =
            json!({"privileged":true});
        assert!(daemonset(&ds).is_empty());
        ds["spec"]["template"]["spec"]["initContainers"] =
            json!([{"name":"i","image":"r/i:1","volumeMounts":[{"name":"x","mountPath":"/x"}]}]);
        let f = daemonset(&ds);
        one(
            &f,
            Kind::NotFound,
            "spec.template.spec.initContainers[0].volumeMounts[0].name",
        );
    }

    #[test]
    fn devices() {
        let claim = json!([{"name":"c","persistentVolumeClaim":{"claimName":"c"}},{"name":"a","emptyDir":{}}]);
        let dev = |devices: Value, mounts: Value| {
            let mut ds = with(claim.clone(), mounts);
            ds["spec"]["template"]["spec"]["containers"][0]["volumeDevices"] = devices;
            daemonset(&ds)
        };
        let d0 = "spec.template.spec.containers[0].volumeDevices[0]";
        let d1 = "spec.template.spec.containers[0].volumeDevices[1]";
        assert!(dev(json!([{"name":"c","devicePath":"/dev/c"}]), json!([])).is_empty());
        one(
            &dev(json!([{"name":"a","devicePath":"/dev/a"}]), json!([])),
            Kind::Invalid,
            &format!("{d0}.name"),
        );
        one(
            &dev(json!([{"name":"x","devicePath":"/dev/x"}]), json!([])),
            Kind::NotFound,
            &format!("{d0}.name"),
        );
        one(
            &dev(json!([{"name":"c"}]), json!([])),
            Kind::Required,
            &format!("{d0}.devicePath"),
        );
        // A device without a name: one Required, whose help names the claims it may use.
        let f = dev(json!([{"devicePath":"/dev/c"}]), json!([]));
        one(&f, Kind::Required, &format!("{d0}.name"));
        assert_eq!(
            f[0].help.as_deref(),
            Some("set `name` to one of the pod's claim volumes: `c`")
        );
        one(
            &dev(json!([{"name":"c","devicePath":"/dev/../c"}]), json!([])),
            Kind::Invalid,
            &format!("{d0}.devicePath"),
        );
        let f = dev(
            json!([{"name":"c","devicePath":"/d"},{"name":"c","devicePath":"/d"}]),
            json!([]),
        );
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(f[0].path.to_string(), format!("{d1}.name"));
        assert_eq!(f[1].path.to_string(), format!("{d1}.devicePath"));
        let f = dev(
            json!([{"name":"c","devicePath":"/d"}]),
            json!([{"name":"c","mountPath":"/d"}]),
        );
        assert_eq!(f.len(), 4, "{f:#?}");
        assert!(f.iter().all(|f| f.kind == Kind::Invalid));
    }
}
