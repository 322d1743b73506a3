//! Checked volumes and mounts → k8s-openapi `Volume`s and `VolumeMount`s. Every source is
//! written out (no source-less volume that the server would default), modes as integers.

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::non_empty_vec;
use crate::model::{
    DownwardFile, DownwardSource, KeyToPath, KeyedSource, Projection, Volume, VolumeMount,
    VolumeSource,
};

/// The pod's volumes, in the model's order.
pub(crate) fn volumes(volumes: &[Volume]) -> Option<Vec<core::Volume>> {
    non_empty_vec(volumes.iter().map(volume).collect())
}

fn volume(v: &Volume) -> core::Volume {
    let mut out = core::Volume {
        name: v.name.clone(),
        ..Default::default()
    };
    match &v.source {
        VolumeSource::HostPath { path, kind } => {
            out.host_path = Some(core::HostPathVolumeSource {
                path: path.clone(),
                type_: kind.map(|k| k.as_str().to_string()),
            })
        }
        VolumeSource::ConfigMap(k) => {
            out.config_map = Some(core::ConfigMapVolumeSource {
                default_mode: k.mode,
                items: items(&k.items),
                name: k.name.clone(),
                optional: k.optional.then_some(true),
            })
        }
        VolumeSource::Secret(k) => {
            out.secret = Some(core::SecretVolumeSource {
                default_mode: k.mode,
                items: items(&k.items),
                optional: k.optional.then_some(true),
                secret_name: Some(k.name.clone()),
            })
        }
        VolumeSource::Pvc { claim, read_only } => {
            out.persistent_volume_claim = Some(core::PersistentVolumeClaimVolumeSource {
                claim_name: claim.clone(),
                read_only: read_only.then_some(true),
            })
        }
        VolumeSource::EmptyDir { memory, size } => {
            out.empty_dir = Some(core::EmptyDirVolumeSource {
                medium: memory.then(|| "Memory".to_string()),
                size_limit: size.clone().map(Quantity),
            })
        }
        VolumeSource::Projected { sources, mode } => {
            out.projected = Some(core::ProjectedVolumeSource {
                default_mode: *mode,
                sources: Some(sources.iter().map(projection).collect()),
            })
        }
        VolumeSource::Downward { items, mode } => {
            out.downward_api = Some(core::DownwardAPIVolumeSource {
                default_mode: *mode,
                items: Some(items.iter().map(downward_file).collect()),
            })
        }
        VolumeSource::Nfs {
            server,
            path,
            read_only,
        } => {
            out.nfs = Some(core::NFSVolumeSource {
                path: path.clone(),
                read_only: read_only.then_some(true),
                server: server.clone(),
            })
        }
        VolumeSource::Csi(c) => {
            out.csi = Some(core::CSIVolumeSource {
                driver: c.driver.clone(),
                fs_type: c.fs_type.clone(),
                node_publish_secret_ref: c
                    .secret
                    .clone()
                    .map(|name| core::LocalObjectReference { name }),
                read_only: c.read_only.then_some(true),
                volume_attributes: (!c.attributes.is_empty())
                    .then(|| c.attributes.iter().cloned().collect()),
            })
        }
        VolumeSource::Ephemeral(t) => {
            let storage = [("storage".to_string(), Quantity(t.size.clone()))];
            out.ephemeral = Some(core::EphemeralVolumeSource {
                volume_claim_template: Some(core::PersistentVolumeClaimTemplate {
                    metadata: None,
                    spec: core::PersistentVolumeClaimSpec {
                        access_modes: Some(
                            t.access.iter().map(|a| a.as_str().to_string()).collect(),
                        ),
                        resources: Some(core::VolumeResourceRequirements {
                            limits: None,
                            requests: Some(storage.into_iter().collect()),
                        }),
                        storage_class_name: t.class.clone(),
                        volume_mode: t.block.then(|| "Block".to_string()),
                        ..Default::default()
                    },
                }),
            })
        }
        VolumeSource::Image { reference, pull } => {
            out.image = Some(core::ImageVolumeSource {
                pull_policy: pull.map(|p| p.as_str().to_string()),
                reference: Some(reference.clone()),
            })
        }
        VolumeSource::Raw(fragment) => {
            return super::overrides::merged(out, Some(fragment));
        }
    }
    out
}

fn items(items: &[KeyToPath]) -> Option<Vec<core::KeyToPath>> {
    non_empty_vec(
        items
            .iter()
            .map(|i| core::KeyToPath {
                key: i.key.clone(),
                mode: i.mode,
                path: i.path.clone(),
            })
            .collect(),
    )
}

fn projection(p: &Projection) -> core::VolumeProjection {
    let keyed = |k: &KeyedSource| (items(&k.items), k.name.clone(), k.optional.then_some(true));
    match p {
        Projection::Token {
            path,
            expiration,
            audience,
        } => core::VolumeProjection {
            service_account_token: Some(core::ServiceAccountTokenProjection {
                audience: audience.clone(),
                expiration_seconds: *expiration,
                path: path.clone(),
            }),
            ..Default::default()
        },
        Projection::ConfigMap(k) => {
            let (items, name, optional) = keyed(k);
            core::VolumeProjection {
                config_map: Some(core::ConfigMapProjection {
                    items,
                    name,
                    optional,
                }),
                ..Default::default()
            }
        }
        Projection::Secret(k) => {
            let (items, name, optional) = keyed(k);
            core::VolumeProjection {
                secret: Some(core::SecretProjection {
                    items,
                    name,
                    optional,
                }),
                ..Default::default()
            }
        }
        Projection::Downward(files) => core::VolumeProjection {
            downward_api: Some(core::DownwardAPIProjection {
                items: Some(files.iter().map(downward_file).collect()),
            }),
            ..Default::default()
        },
    }
}

fn downward_file(f: &DownwardFile) -> core::DownwardAPIVolumeFile {
    let mut out = core::DownwardAPIVolumeFile {
        path: f.path.clone(),
        ..Default::default()
    };
    match &f.source {
        DownwardSource::Field(path) => {
            out.field_ref = Some(core::ObjectFieldSelector {
                api_version: None,
                field_path: path.clone(),
            })
        }
        DownwardSource::Resource {
            resource,
            container,
            divisor,
        } => {
            out.resource_field_ref = Some(core::ResourceFieldSelector {
                container_name: Some(container.clone()),
                divisor: divisor.clone().map(Quantity),
                resource: resource.clone(),
            })
        }
    }
    out
}

/// A container's mounts, in the order written (the time-zone mount last).
pub(crate) fn mounts(mounts: &[VolumeMount]) -> Option<Vec<core::VolumeMount>> {
    non_empty_vec(
        mounts
            .iter()
            .map(|m| core::VolumeMount {
                mount_path: m.path.clone(),
                mount_propagation: m.propagation.map(|p| p.as_str().to_string()),
                name: m.volume.clone(),
                read_only: m.read_only.then_some(true),
                sub_path: m.sub_path.clone(),
                sub_path_expr: m.sub_path_expr.clone(),
                ..Default::default()
            })
            .collect(),
    )
}
