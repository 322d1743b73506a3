//! `ValidateVolumes` and `validateVolumeSource`: volume names, one source per volume, and the
//! common sources (hostPath, emptyDir, persistentVolumeClaim, nfs, csi). The file sources
//! (configMap, secret, projected) are in `volume_files.rs`, downward-API files in
//! `downward_api.rs`, generic ephemeral volumes in `claim_template.rs`, iSCSI and FC in
//! `san_sources.rs`, the other in-tree sources in `volume_sources.rs`; shared field checks
//! in `volume_fields.rs`.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::field::Node;
use super::field::NodePath;
use super::findings::Findings;
use super::volume_fields::{blank, path_no_backsteps, quantity, required_str};
use super::{claim_template, downward_api, san_sources, volume_files, volume_sources};
use crate::api::names;

/// The pod's volumes, for the mounts and devices that refer to them.
#[derive(Debug, Default)]
pub struct Volumes<'a> {
    /// The volumes that validated cleanly, by name: the only ones a mount or device may use
    /// (upstream keeps a volume with errors out of its map, so its mounts are NotFound too).
    pub by_name: HashMap<&'a str, Node<'a>>,
    /// Volumes with errors, by name, and where they are.
    pub broken: HashMap<&'a str, NodePath>,
    /// Image volumes: with the `ImageVolume` gate off (v1.33 default) the server drops them
    /// and every mount of them before validation.
    pub dropped: HashSet<&'a str>,
}

impl Volumes<'_> {
    /// `isMatchedDevice`: the volume is backed by a claim (persistentVolumeClaim or
    /// ephemeral), the only sources a `volumeDevices` entry may use.
    pub fn is_claim(&self, name: &str) -> bool {
        self.by_name
            .get(name)
            .is_some_and(|v| v.get("persistentVolumeClaim").is_set() || v.get("ephemeral").is_set())
    }
}

type Check = fn(&Node, &mut Findings);

/// The sources in the order `validateVolumeSource` tries them: the first one set counts, each
/// later one is "more than 1 volume type".
const SOURCES: &[(&str, Check)] = &[
    ("emptyDir", empty_dir),
    ("hostPath", host_path),
    ("gitRepo", volume_sources::git_repo),
    ("gcePersistentDisk", volume_sources::gce_persistent_disk),
    (
        "awsElasticBlockStore",
        volume_sources::aws_elastic_block_store,
    ),
    ("secret", volume_files::secret),
    ("nfs", nfs),
    ("iscsi", san_sources::iscsi),
    ("glusterfs", volume_sources::glusterfs),
    ("flocker", volume_sources::flocker),
    ("persistentVolumeClaim", persistent_volume_claim),
    ("rbd", volume_sources::rbd),
    ("cinder", volume_sources::cinder),
    ("cephfs", volume_sources::cephfs),
    ("quobyte", volume_sources::quobyte),
    ("downwardAPI", downward_api::downward_api),
    ("fc", san_sources::fc),
    ("flexVolume", volume_sources::flex_volume),
    ("configMap", volume_files::config_map),
    ("azureFile", volume_sources::azure_file),
    ("vsphereVolume", volume_sources::vsphere_volume),
    (
        "photonPersistentDisk",
        volume_sources::photon_persistent_disk,
    ),
    ("portworxVolume", volume_sources::portworx_volume),
    ("azureDisk", volume_sources::azure_disk),
    ("storageos", volume_sources::storageos),
    ("projected", volume_files::projected),
    ("scaleIO", volume_sources::scale_io),
    ("csi", csi),
    ("ephemeral", claim_template::ephemeral),
];

/// `ValidateVolumes`: the list of volumes at `list`, in a pod template whose `metadata.name` is
/// `pod` (a template usually has no name; with one, the claims its ephemeral volumes create are
/// named `<pod name>-<volume name>` and are checked too).
pub fn volumes<'a>(list: &Node<'a>, pod: &Node, out: &mut Findings) -> Volumes<'a> {
    let mut found = Volumes::default();
    let mut first: HashMap<&str, NodePath> = HashMap::new();
    let pod_name = pod.str().filter(|p| !p.is_empty());
    let created: HashSet<String> = match pod_name {
        Some(pod) => list
            .items()
            .filter(|v| v.get("ephemeral").is_set())
            .filter_map(|v| v.get("name").str().map(|n| format!("{pod}-{n}")))
            .collect(),
        None => HashSet::new(),
    };
    for volume in list.items() {
        let name_node = volume.get("name");
        let name = name_node.str().unwrap_or("");
        if volume.get("image").is_set() {
            found.dropped.insert(name);
            continue;
        }
        let before = out.0.len();
        volume_source(&volume, name, out);
        if let Some(pod_name) = pod_name.filter(|_| !name.is_empty()) {
            if volume.get("ephemeral").is_set() {
                claim_name(&name_node, &format!("{pod_name}-{name}"), &pod.path, out);
            }
        }
        if name_node.is_set() && name_node.str().is_none() {
            // A name of the wrong type: the schema pass reports it.
        } else if name.is_empty() {
            out.required(&name_node, "must be set");
        } else if let Err(problem) = names::dns_label(name) {
            out.bad_name(&name_node, name, problem);
        }
        if let Some(at) = first.get(name) {
            out.duplicate(&name_node)
                .related(at, "first defined here")
                .help("give every volume of the pod its own name");
        }
        if out.0.len() == before {
            first.insert(name, name_node.path.clone());
            found.by_name.insert(name, volume.clone());
        } else {
            found.broken.entry(name).or_insert(volume.path.clone());
        }
        let claim = volume.at(&["persistentVolumeClaim", "claimName"]);
        if claim.str().is_some_and(|c| created.contains(c)) {
            out.invalid(
                &claim,
                "must not reference a PVC that gets created for an ephemeral volume",
            )
            .help("mount the ephemeral volume itself, or name a claim that exists on its own");
        }
    }
    found
}

/// The claim an ephemeral volume creates is named `<pod name>-<volume name>`
/// (`ValidatePersistentVolumeName`, a DNS subdomain); reported at the volume's name.
fn claim_name(name_node: &Node, claim: &str, pod: &NodePath, out: &mut Findings) {
    if let Err(problem) = names::dns_subdomain(claim) {
        // A long name is shown by its ends, which say where it comes from.
        let shown = match (claim.get(..24), claim.get(claim.len().saturating_sub(16)..)) {
            (Some(head), Some(tail)) if claim.len() > 60 => format!("{head}…{tail}"),
            _ => claim.to_string(),
        };
        out.invalid(name_node, format!("PVC name \"{shown}\": {problem}"))
            .related(pod, "the pod template's name")
            .help("shorten the volume name or the pod template's `metadata.name`: the claim's name joins them with `-`");
    }
}

/// `validateVolumeSource`: exactly one source, and that source's own rules. A volume with no
/// source at all is defaulted to `emptyDir: {}` by the server, so it is never reported.
fn volume_source(volume: &Node, name: &str, out: &mut Findings) {
    let mut chosen: Option<Node> = None;
    for (key, check) in SOURCES {
        // Most kinds are absent: look before making the field's node (and its path).
        if volume
            .value
            .and_then(|v| v.get(key))
            .is_none_or(|v| v.is_null())
        {
            continue;
        }
        let source = volume.get(key);
        if let Some(first) = &chosen {
            let first_key = first.path.last_key().unwrap_or("").to_string();
            out.forbidden(&source, "may not specify more than 1 volume type")
                .related(&first.path, "the volume's source")
                .help(format!(
                    "a volume has one source: keep `{first_key}` or `{key}`, and move the other to a volume of its own"
                ));
            continue;
        }
        // A source of the wrong JSON type is left to the schema pass.
        if source.value.is_some_and(serde_json::Value::is_object) {
            check(&source, out);
        }
        if *key == "iscsi" {
            san_sources::iscsi_name_length(volume, name, &source, out);
        }
        chosen = Some(source);
    }
}

/// `validateHostPathVolumeSource`: a path without `..`, and a known type.
fn host_path(source: &Node, out: &mut Findings) {
    let path = source.get("path");
    if blank(&path) {
        out.required(&path, "must be set");
        return;
    }
    path_no_backsteps(&path, out);
    let kind = source.get("type");
    const TYPES: &[&str] = &[
        "",
        "DirectoryOrCreate",
        "Directory",
        "FileOrCreate",
        "File",
        "Socket",
        "CharDevice",
        "BlockDevice",
    ];
    if let Some(t) = kind.str() {
        if !TYPES.contains(&t) {
            out.not_supported(&kind, TYPES);
        }
    }
}

/// The `emptyDir` checks of `validateVolumeSource`: a size limit that is not negative (the
/// medium is not checked by the server).
fn empty_dir(source: &Node, out: &mut Findings) {
    let limit = source.get("sizeLimit");
    match quantity(&limit) {
        Some(Ok(q)) if q.is_negative() => {
            out.forbidden(&limit, "must be a valid resource quantity, not negative")
                .help("set a size such as `1Gi`, or remove `sizeLimit` for no limit");
        }
        Some(Err(why)) => {
            out.invalid(&limit, why);
        }
        _ => {}
    }
}

/// `validatePersistentClaimVolumeSource`: the claim's name.
fn persistent_volume_claim(source: &Node, out: &mut Findings) {
    required_str(source, "claimName", out);
}

/// `validateNFSVolumeSource`: a server, and an absolute export path.
fn nfs(source: &Node, out: &mut Findings) {
    required_str(source, "server", out);
    let path = source.get("path");
    match path.str() {
        Some(p) if !p.is_empty() && !p.starts_with('/') => {
            out.invalid(&path, "must be an absolute path");
        }
        _ => required_str(source, "path", out),
    }
}

/// `validateCSIVolumeSource`: the driver's name (`ValidateCSIDriverName`), and the name of
/// the node-publish secret.
fn csi(source: &Node, out: &mut Findings) {
    let driver = source.get("driver");
    match driver.str() {
        Some(d) if !d.is_empty() => {
            if d.len() > 63 {
                out.too_long(&driver, 63, "characters");
            }
            out.verdict(&driver, names::dns_subdomain(&d.to_ascii_lowercase()));
        }
        _ => required_str(source, "driver", out),
    }
    let secret = source.get("nodePublishSecretRef");
    if secret.is_set() {
        let name = secret.get("name");
        match name.str() {
            Some(n) if !n.is_empty() => {
                out.verdict(&name, names::dns_subdomain(n));
            }
            _ => required_str(&secret, "name", out),
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use serde_json::{json, Value};

    use crate::validate::{daemonset, Finding, Kind};

    /// A valid DaemonSet with `volumes` and the first container's `mounts`.
    pub fn with(volumes: Value, mounts: Value) -> Value {
        json!({"apiVersion":"apps/v1","kind":"DaemonSet",
            "metadata":{"name":"a","namespace":"default"},
            "spec":{"selector":{"matchLabels":{"app":"a"}},"template":{
                "metadata":{"labels":{"app":"a"}},
                "spec":{"containers":[{"name":"a","image":"r/a:1","volumeMounts":mounts}],
                    "volumes":volumes}}}})
    }

    /// The findings of one volume (no mounts).
    pub fn volume(v: Value) -> Vec<Finding> {
        daemonset(&with(json!([v]), json!([])))
    }

    pub const V0: &str = "spec.template.spec.volumes[0]";

    /// Exactly one finding, of `kind` at `V0` + `rest`.
    pub fn one(found: &[Finding], kind: Kind, rest: &str) {
        let want = format!("{V0}{rest}");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].kind, found[0].path.to_string()), (kind, want));
    }

    pub fn none(found: &[Finding]) {
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn minimal_is_clean() {
        none(&volume(json!({"name":"a","emptyDir":{}})));
        none(&volume(json!({"name":"a"})));
    }

    #[test]
    fn names() {
        one(&volume(json!({"emptyDir":{}})), Kind::Required, ".name");
        one(
            &volume(json!({"name":"A_b","emptyDir":{}})),
            Kind::Invalid,
            ".name",
        );
        let long = "a".repeat(63);
        none(&volume(json!({"name":long,"emptyDir":{}})));
        let too_long = "a".repeat(64);
        one(
            &volume(json!({"name":too_long,"emptyDir":{}})),
            Kind::Invalid,
            ".name",
        );
        let f = daemonset(&with(
            json!([{"name":"a","emptyDir":{}},{"name":"a","emptyDir":{}}]),
            json!([]),
        ));
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].kind, Kind::Duplicate);
        assert_eq!(f[0].path.to_string(), "spec.template.spec.volumes[1].name");
        assert!(f[0].related.is_some());
    }

    /// A DaemonSet whose pod template is named `pod`, with `volumes`.
    fn named(pod: &str, volumes: Value) -> Vec<Finding> {
        let mut ds = with(volumes, json!([]));
        ds["spec"]["template"]["metadata"]["name"] = json!(pod);
        daemonset(&ds)
    }

    fn claim(name: &str) -> Value {
        json!({"name": name, "ephemeral": {"volumeClaimTemplate": {"spec": {
            "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}}})
    }

    #[test]
    fn claims_of_a_named_template() {
        // The claim `<pod>-<volume>` must be a DNS subdomain: 253 characters at most.
        let pod = "p".repeat(200);
        let f = named(&pod, json!([claim(&"v".repeat(52))]));
        none(&f);
        let f = named(&pod, json!([claim(&"v".repeat(53))]));
        one(&f, Kind::Invalid, ".name");
        assert!(f[0].detail.contains("PVC name"), "{f:#?}");
        // Without a template name the claim's name is not known: nothing to check.
        none(&volume(claim(&"v".repeat(63))));
        // A claim volume may not name the claim an ephemeral volume creates.
        let f = named(
            "p",
            json!([claim("scratch"), {"name":"b","persistentVolumeClaim":{"claimName":"p-scratch"}}]),
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            (f[0].kind, f[0].path.to_string()),
            (
                Kind::Invalid,
                "spec.template.spec.volumes[1].persistentVolumeClaim.claimName".to_string()
            )
        );
        none(&named(
            "p",
            json!([claim("scratch"), {"name":"b","persistentVolumeClaim":{"claimName":"other"}}]),
        ));
    }

    #[test]
    fn one_source() {
        let f = volume(json!({"name":"a","emptyDir":{},"hostPath":{"path":"/x"}}));
        one(&f, Kind::Forbidden, ".hostPath");
        none(&volume(
            json!({"name":"a","emptyDir":null,"hostPath":{"path":"/x"}}),
        ));
    }

    #[test]
    fn host_path() {
        none(&volume(
            json!({"name":"a","hostPath":{"path":"/var/log","type":"Directory"}}),
        ));
        none(&volume(
            json!({"name":"a","hostPath":{"path":"var/..log","type":""}}),
        ));
        one(
            &volume(json!({"name":"a","hostPath":{}})),
            Kind::Required,
            ".hostPath.path",
        );
        one(
            &volume(json!({"name":"a","hostPath":{"path":"/a/../b"}})),
            Kind::Invalid,
            ".hostPath.path",
        );
        one(
            &volume(json!({"name":"a","hostPath":{"path":"/a","type":"Dir"}})),
            Kind::NotSupported,
            ".hostPath.type",
        );
    }

    #[test]
    fn empty_dir() {
        none(&volume(
            json!({"name":"a","emptyDir":{"medium":"Memory","sizeLimit":"0"}}),
        ));
        none(&volume(json!({"name":"a","emptyDir":{"sizeLimit":1024}})));
        one(
            &volume(json!({"name":"a","emptyDir":{"sizeLimit":"-1Mi"}})),
            Kind::Forbidden,
            ".emptyDir.sizeLimit",
        );
        one(
            &volume(json!({"name":"a","emptyDir":{"sizeLimit":"1GB"}})),
            Kind::Invalid,
            ".emptyDir.sizeLimit",
        );
    }

    #[test]
    fn claims_nfs_csi() {
        none(&volume(
            json!({"name":"a","persistentVolumeClaim":{"claimName":"c"}}),
        ));
        one(
            &volume(json!({"name":"a","persistentVolumeClaim":{}})),
            Kind::Required,
            ".persistentVolumeClaim.claimName",
        );
        none(&volume(
            json!({"name":"a","nfs":{"server":"s","path":"/e"}}),
        ));
        one(
            &volume(json!({"name":"a","nfs":{"server":"s","path":"e"}})),
            Kind::Invalid,
            ".nfs.path",
        );
        one(
            &volume(json!({"name":"a","nfs":{"path":"/e"}})),
            Kind::Required,
            ".nfs.server",
        );
        none(&volume(
            json!({"name":"a","csi":{"driver":"Secrets-Store.csi.k8s.io"}}),
        ));
        one(
            &volume(json!({"name":"a","csi":{}})),
            Kind::Required,
            ".csi.driver",
        );
        one(
            &volume(json!({"name":"a","csi":{"driver":"a_b"}})),
            Kind::Invalid,
            ".csi.driver",
        );
        let long = format!("{}.io", "a".repeat(61));
        let f = volume(json!({"name":"a","csi":{"driver":long}}));
        assert_eq!(f[0].kind, Kind::TooLong, "{f:#?}");
        one(
            &volume(json!({"name":"a","csi":{"driver":"d.io","nodePublishSecretRef":{}}})),
            Kind::Required,
            ".csi.nodePublishSecretRef.name",
        );
    }

    #[test]
    fn image_volumes_are_dropped() {
        let f = daemonset(&with(
            json!([{"name":"i","image":{"reference":""}}]),
            json!([{"name":"i","mountPath":"/i"}]),
        ));
        none(&f);
    }
}
