//! The other in-tree volume sources of `validateVolumeSource`: network file systems and cloud
//! disks (rbd, cephfs, glusterfs, azureDisk, ...), mostly required fields, with the few format
//! checks the server makes (partitions, Quobyte registries, Azure disk URIs).

use super::field::Node;
use super::findings::Findings;
use super::volume_fields::{blank, local_descending_path, required_str};
use crate::api::names;

/// `validateGitRepoVolumeSource`.
pub fn git_repo(source: &Node, out: &mut Findings) {
    required_str(source, "repository", out);
    local_descending_path(&source.get("directory"), out);
}

/// `validateGCEPersistentDiskVolumeSource`.
pub fn gce_persistent_disk(source: &Node, out: &mut Findings) {
    required_str(source, "pdName", out);
    partition(&source.get("partition"), out);
}

/// `validateAWSElasticBlockStoreVolumeSource`.
pub fn aws_elastic_block_store(source: &Node, out: &mut Findings) {
    required_str(source, "volumeID", out);
    partition(&source.get("partition"), out);
}

fn partition(node: &Node, out: &mut Findings) {
    if node.int().is_some_and(|p| !(0..=255).contains(&p)) {
        // The server's words say 1, but it takes 0 too: the whole disk, as when unset.
        out.invalid(node, "must be between 1 and 255, inclusive")
            .help("give the number of the partition to mount (1 to 255), or remove `partition` to mount the whole disk");
    }
}

/// `validateGlusterfsVolumeSource`.
pub fn glusterfs(source: &Node, out: &mut Findings) {
    required_str(source, "endpoints", out);
    required_str(source, "path", out);
}

/// `validateFlockerVolumeSource`: one of the dataset's name and UUID.
pub fn flocker(source: &Node, out: &mut Findings) {
    let name = source.get("datasetName");
    let uuid = source.get("datasetUUID");
    match (blank(&name), blank(&uuid)) {
        (true, true) => {
            out.required(source, "one of datasetName and datasetUUID is required")
                .help("set `datasetName` (or `datasetUUID`) to the Flocker dataset to mount");
        }
        (false, false) => {
            out.invalid(
                source,
                "datasetName and datasetUUID can not be specified simultaneously",
            )
            .help("keep one of `datasetName` and `datasetUUID`");
        }
        _ => {}
    }
    if name.str().is_some_and(|n| n.contains('/')) {
        out.invalid(&name, "must not contain '/'")
            .help("a dataset name is one word without `/`: give the dataset's own name, or its `datasetUUID` instead");
    }
}

/// `validateRBDVolumeSource`.
pub fn rbd(source: &Node, out: &mut Findings) {
    required_list(source, "monitors", out);
    required_str(source, "image", out);
}

/// `validateCinderVolumeSource`.
pub fn cinder(source: &Node, out: &mut Findings) {
    required_str(source, "volumeID", out);
    secret_ref_name(source, out);
}

/// `validateCephFSVolumeSource`.
pub fn cephfs(source: &Node, out: &mut Findings) {
    required_list(source, "monitors", out);
}

/// `validateQuobyteVolumeSource`: `host:port` registries, a tenant of at most 64 characters.
pub fn quobyte(source: &Node, out: &mut Findings) {
    let registry = source.get("registry");
    let tenant = source.get("tenant");
    const PAIRS: &str = "must be a host:port pair or multiple pairs separated by commas";
    if blank(&registry) {
        out.required(&registry, PAIRS)
            .help("set `registry` to the Quobyte registry's `host:port`, e.g. `registry.example.com:7861` (several separated by commas)");
    } else if tenant.str().is_some_and(|t| t.len() >= 65) {
        // `field.Required` as the server has it, for a value that is set but too long.
        out.required(
            &tenant,
            "must be a UUID and may not exceed a length of 64 characters",
        )
        .help("give the tenant's UUID (36 characters), or remove `tenant`");
    } else if let Some(r) = registry.str() {
        if !r.split(',').all(is_host_port) {
            out.invalid(&registry, PAIRS)
                .help("give each registry with its port, e.g. `registry.example.com:7861`");
        }
    }
    let volume = source.get("volume");
    if blank(&volume) {
        out.required(&volume, "must be set")
            .help("set `volume` to the name of the Quobyte volume to mount");
    }
}

/// Whether Go's `net.SplitHostPort` accepts `text`.
fn is_host_port(text: &str) -> bool {
    if let Some(rest) = text.strip_prefix('[') {
        return rest
            .split_once("]:")
            .is_some_and(|(host, port)| !host.contains(']') && !port.contains(':'));
    }
    text.matches(':').count() == 1 && !text.contains(['[', ']'])
}

/// `validateFlexVolumeSource`: a driver; option keys outside the reserved namespaces.
pub fn flex_volume(source: &Node, out: &mut Findings) {
    required_str(source, "driver", out);
    for (key, value) in source.get("options").entries() {
        let namespace = key.split_once('/').map_or(key, |(ns, _)| ns);
        let normalized = format!(".{}", namespace.to_ascii_lowercase());
        if normalized.ends_with(".kubernetes.io") || normalized.ends_with(".k8s.io") {
            out.invalid_key(&value, "kubernetes.io and k8s.io namespaces are reserved")
                .help("these option names are the driver's own: give the option a key of your own domain, or remove it");
        }
    }
}

/// `validateAzureFile`.
pub fn azure_file(source: &Node, out: &mut Findings) {
    required_str(source, "secretName", out);
    required_str(source, "shareName", out);
}

/// `validateVsphereVolumeSource`.
pub fn vsphere_volume(source: &Node, out: &mut Findings) {
    required_str(source, "volumePath", out);
}

/// `validatePhotonPersistentDiskVolumeSource`.
pub fn photon_persistent_disk(source: &Node, out: &mut Findings) {
    required_str(source, "pdID", out);
}

/// `validatePortworxVolumeSource`.
pub fn portworx_volume(source: &Node, out: &mut Findings) {
    required_str(source, "volumeID", out);
}

/// `validateAzureDisk`: name, URI, caching mode and kind (defaulted to `ReadWrite` and
/// `Shared`), and a URI of the kind's form.
pub fn azure_disk(source: &Node, out: &mut Findings) {
    required_str(source, "diskName", out);
    required_str(source, "diskURI", out);
    let caching = source.get("cachingMode");
    if caching
        .str()
        .is_some_and(|c| !matches!(c, "None" | "ReadOnly" | "ReadWrite"))
    {
        out.not_supported(&caching, &["None", "ReadOnly", "ReadWrite"]);
    }
    let kind_node = source.get("kind");
    let kind = kind_node.str().unwrap_or("Shared");
    if !matches!(kind, "Shared" | "Dedicated" | "Managed") {
        out.not_supported(&kind_node, &["Dedicated", "Managed", "Shared"]);
    }
    let uri = source.get("diskURI");
    let text = uri.str().unwrap_or("");
    if kind == "Managed" && !text.starts_with("/subscriptions/") {
        out.not_supported(
            &uri,
            &["/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}"],
        );
    } else if kind != "Managed" && !text.starts_with("https://") {
        out.not_supported(
            &uri,
            &["https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd"],
        );
    }
}

/// `validateStorageOSVolumeSource`.
pub fn storageos(source: &Node, out: &mut Findings) {
    let name = source.get("volumeName");
    if blank(&name) {
        out.required(&name, "must be set")
            .help("set `volumeName` to the StorageOS volume to mount");
    } else if let Some(n) = name.str() {
        out.verdict(&name, names::dns_label(n));
    }
    let ns = source.get("volumeNamespace");
    if let Some(n) = ns.str().filter(|n| !n.is_empty()) {
        out.verdict(&ns, names::dns_label(n));
    }
    secret_ref_name(source, out);
}

/// `validateScaleIOVolumeSource`.
pub fn scale_io(source: &Node, out: &mut Findings) {
    required_str(source, "gateway", out);
    required_str(source, "system", out);
    required_str(source, "volumeName", out);
}

/// A `secretRef`, when set, names its secret.
fn secret_ref_name(source: &Node, out: &mut Findings) {
    let secret = source.get("secretRef");
    let name = secret.get("name");
    if secret.is_set() && blank(&name) {
        out.required(&name, "must be set").help(
            "set `secretRef.name` to the secret that holds the credentials, or remove `secretRef`",
        );
    }
}

/// A list that must have at least one item.
fn required_list(source: &Node, field: &'static str, out: &mut Findings) {
    let node = source.get(field);
    if node.is_empty() && (node.value.is_none_or(|v| v.is_null() || v.is_array())) {
        out.required(&node, "must be set");
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::validate::volumes::tests::{none, one, volume};
    use crate::validate::Kind;

    #[test]
    fn required_fields() {
        let cases = [
            ("gitRepo", json!({}), ".gitRepo.repository"),
            ("gcePersistentDisk", json!({}), ".gcePersistentDisk.pdName"),
            (
                "awsElasticBlockStore",
                json!({}),
                ".awsElasticBlockStore.volumeID",
            ),
            ("glusterfs", json!({"endpoints":"e"}), ".glusterfs.path"),
            ("rbd", json!({"image":"i"}), ".rbd.monitors"),
            (
                "cinder",
                json!({"volumeID":"v","secretRef":{}}),
                ".cinder.secretRef.name",
            ),
            ("cephfs", json!({"monitors":[]}), ".cephfs.monitors"),
            ("flexVolume", json!({}), ".flexVolume.driver"),
            (
                "azureFile",
                json!({"secretName":"s"}),
                ".azureFile.shareName",
            ),
            ("vsphereVolume", json!({}), ".vsphereVolume.volumePath"),
            (
                "photonPersistentDisk",
                json!({}),
                ".photonPersistentDisk.pdID",
            ),
            ("portworxVolume", json!({}), ".portworxVolume.volumeID"),
            (
                "scaleIO",
                json!({"gateway":"g","system":"s"}),
                ".scaleIO.volumeName",
            ),
            ("storageos", json!({}), ".storageos.volumeName"),
            ("flocker", json!({}), ".flocker"),
            ("fc", json!({}), ".fc.targetWWNs"),
        ];
        for (key, source, at) in cases {
            one(
                &volume(json!({"name":"a", key: source})),
                Kind::Required,
                at,
            );
        }
    }

    #[test]
    fn formats() {
        let v = |k: &str, s| volume(json!({"name":"a", k: s}));
        none(&v("gcePersistentDisk", json!({"pdName":"d","partition":0})));
        one(
            &v("gcePersistentDisk", json!({"pdName":"d","partition":256})),
            Kind::Invalid,
            ".gcePersistentDisk.partition",
        );
        one(
            &v("fc", json!({"targetWWNs":["w"]})),
            Kind::Required,
            ".fc.lun",
        );
        one(
            &v("fc", json!({"targetWWNs":["w"],"wwids":["x"],"lun":1})),
            Kind::Invalid,
            ".fc.targetWWNs",
        );
        one(
            &v(
                "flexVolume",
                json!({"driver":"d","options":{"kubernetes.io/x":"y"}}),
            ),
            Kind::Invalid,
            ".flexVolume.options[kubernetes.io/x]",
        );
        none(&v(
            "azureDisk",
            json!({"diskName":"d","diskURI":"https://a.blob.core.windows.net/c/d.vhd"}),
        ));
        none(&v(
            "azureDisk",
            json!({"diskName":"d","diskURI":"/subscriptions/s/x","kind":"Managed"}),
        ));
        one(
            &v(
                "azureDisk",
                json!({"diskName":"d","diskURI":"/subscriptions/s/x"}),
            ),
            Kind::NotSupported,
            ".azureDisk.diskURI",
        );
        one(
            &v(
                "azureDisk",
                json!({"diskName":"d","diskURI":"https://x","cachingMode":"All"}),
            ),
            Kind::NotSupported,
            ".azureDisk.cachingMode",
        );
        none(&v(
            "quobyte",
            json!({"registry":"a:1,[::1]:2","volume":"v"}),
        ));
        one(
            &v("quobyte", json!({"registry":"a","volume":"v"})),
            Kind::Invalid,
            ".quobyte.registry",
        );
        one(
            &v("storageos", json!({"volumeName":"A"})),
            Kind::Invalid,
            ".storageos.volumeName",
        );
        one(
            &v("gitRepo", json!({"repository":"r","directory":"/x"})),
            Kind::Invalid,
            ".gitRepo.directory",
        );
    }

    #[test]
    fn partitions_and_datasets() {
        let v = |k: &str, s| volume(json!({"name":"a", k: s}));
        let ebs = |p: i64| {
            v(
                "awsElasticBlockStore",
                json!({"volumeID":"vol-1","partition":p}),
            )
        };
        none(&ebs(255));
        none(&ebs(0));
        one(&ebs(256), Kind::Invalid, ".awsElasticBlockStore.partition");
        one(&ebs(-1), Kind::Invalid, ".awsElasticBlockStore.partition");
        none(&v("flocker", json!({"datasetName":"cache"})));
        one(
            &v("flocker", json!({"datasetName":"cache/v2"})),
            Kind::Invalid,
            ".flocker.datasetName",
        );
        one(
            &v("flocker", json!({"datasetName":"", "datasetUUID":""})),
            Kind::Required,
            ".flocker",
        );
    }

    #[test]
    fn quobyte_and_storageos() {
        let q = |extra: serde_json::Value| {
            let mut source = json!({"registry":"r:7861","volume":"v"});
            for (k, val) in extra.as_object().into_iter().flatten() {
                source[k] = val.clone();
            }
            volume(json!({"name":"a","quobyte": source}))
        };
        // A tenant of 64 characters is the longest taken.
        none(&q(json!({"tenant": "t".repeat(64)})));
        let found = q(json!({"tenant": "t".repeat(65)}));
        one(&found, Kind::Required, ".quobyte.tenant");
        assert!(found[0].help.is_some());
        one(&q(json!({"volume": ""})), Kind::Required, ".quobyte.volume");
        one(
            &q(json!({"registry": null})),
            Kind::Required,
            ".quobyte.registry",
        );
        let s = |source| volume(json!({"name":"a","storageos": source}));
        none(&s(
            json!({"volumeName":"cache","secretRef":{"name":"creds"}}),
        ));
        one(
            &s(json!({"volumeName":"cache","secretRef":{}})),
            Kind::Required,
            ".storageos.secretRef.name",
        );
    }
}
