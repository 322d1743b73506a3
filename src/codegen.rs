//! Checked model → k8s-openapi `DaemonSet`. Pure: no I/O, no checks (the model is valid).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetSpec};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use crate::model::{Container, DaemonSetModel, EnvFromKind, EnvSource, Labels, Resources};

/// The node label VKE puts the GPU card type on (`vke-keys.md` 1.1).
pub const GPU_NAME_LABEL: &str = "machine.cluster.vke.volcengine.com/gpu-name";

/// Builds the DaemonSet object for one checked daemonset.
pub fn lower(ds: &DaemonSetModel) -> DaemonSet {
    DaemonSet {
        metadata: ObjectMeta {
            name: Some(ds.name.clone()),
            namespace: Some(ds.namespace.clone()),
            labels: non_empty(&ds.labels),
            annotations: non_empty(&ds.annotations),
            ..Default::default()
        },
        spec: Some(DaemonSetSpec {
            selector: LabelSelector {
                match_labels: non_empty(&ds.selector),
                ..Default::default()
            },
            template: core::PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: non_empty(&ds.pod_labels),
                    annotations: non_empty(&ds.pod_annotations),
                    ..Default::default()
                }),
                spec: Some(pod_spec(ds)),
            },
            ..Default::default()
        }),
        status: None,
    }
}

fn pod_spec(ds: &DaemonSetModel) -> core::PodSpec {
    core::PodSpec {
        containers: ds.containers.iter().map(container).collect(),
        init_containers: non_empty_vec(ds.init_containers.iter().map(container).collect()),
        image_pull_secrets: non_empty_vec(
            ds.pull_secrets
                .iter()
                .map(|name| core::LocalObjectReference { name: name.clone() })
                .collect(),
        ),
        affinity: ds.gpu_type.as_ref().map(|card| gpu_affinity(card)),
        ..Default::default()
    }
}

fn gpu_affinity(card: &str) -> core::Affinity {
    core::Affinity {
        node_affinity: Some(core::NodeAffinity {
            required_during_scheduling_ignored_during_execution: Some(core::NodeSelector {
                node_selector_terms: vec![core::NodeSelectorTerm {
                    match_expressions: Some(vec![core::NodeSelectorRequirement {
                        key: GPU_NAME_LABEL.into(),
                        operator: "In".into(),
                        values: Some(vec![card.to_string()]),
                    }]),
                    ..Default::default()
                }],
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn container(c: &Container) -> core::Container {
    core::Container {
        name: c.name.clone(),
        image: Some(c.image.clone()),
        image_pull_policy: Some(c.pull_policy.as_str().into()),
        command: non_empty_vec(c.command.clone()),
        args: non_empty_vec(c.args.clone()),
        resources: resources(&c.resources),
        security_context: c.privileged.then(|| core::SecurityContext {
            privileged: Some(true),
            ..Default::default()
        }),
        ports: non_empty_vec(
            c.ports
                .iter()
                .map(|p| core::ContainerPort {
                    name: p.name.clone(),
                    container_port: i32::from(p.number),
                    protocol: Some(p.protocol.as_str().into()),
                    ..Default::default()
                })
                .collect(),
        ),
        env: non_empty_vec(c.env.iter().map(env_var).collect()),
        env_from: non_empty_vec(
            c.env_from
                .iter()
                .map(|e| {
                    let optional = e.optional.then_some(true);
                    core::EnvFromSource {
                        prefix: e.prefix.clone(),
                        config_map_ref: (e.kind == EnvFromKind::ConfigMap).then(|| {
                            core::ConfigMapEnvSource {
                                name: e.name.clone(),
                                optional,
                            }
                        }),
                        secret_ref: (e.kind == EnvFromKind::Secret).then(|| {
                            core::SecretEnvSource {
                                name: e.name.clone(),
                                optional,
                            }
                        }),
                    }
                })
                .collect(),
        ),
        ..Default::default()
    }
}

fn env_var(e: &crate::model::EnvVar) -> core::EnvVar {
    let from = |source: core::EnvVarSource| core::EnvVar {
        name: e.name.clone(),
        value: None,
        value_from: Some(source),
    };
    match &e.source {
        EnvSource::Value(v) => core::EnvVar {
            name: e.name.clone(),
            value: Some(v.clone()),
            value_from: None,
        },
        EnvSource::Field(path) => from(core::EnvVarSource {
            field_ref: Some(core::ObjectFieldSelector {
                api_version: None,
                field_path: path.clone(),
            }),
            ..Default::default()
        }),
        EnvSource::Resource {
            resource,
            container,
            divisor,
        } => from(core::EnvVarSource {
            resource_field_ref: Some(core::ResourceFieldSelector {
                resource: resource.clone(),
                container_name: container.clone(),
                divisor: divisor.clone().map(Quantity),
            }),
            ..Default::default()
        }),
        EnvSource::ConfigMapKey {
            name,
            key,
            optional,
        } => from(core::EnvVarSource {
            config_map_key_ref: Some(core::ConfigMapKeySelector {
                name: name.clone(),
                key: key.clone(),
                optional: optional.then_some(true),
            }),
            ..Default::default()
        }),
        EnvSource::SecretKey {
            name,
            key,
            optional,
        } => from(core::EnvVarSource {
            secret_key_ref: Some(core::SecretKeySelector {
                name: name.clone(),
                key: key.clone(),
                optional: optional.then_some(true),
            }),
            ..Default::default()
        }),
    }
}

fn resources(r: &Resources) -> Option<core::ResourceRequirements> {
    let map = |m: &BTreeMap<String, String>| {
        (!m.is_empty()).then(|| {
            m.iter()
                .map(|(k, v)| (k.clone(), Quantity(v.clone())))
                .collect()
        })
    };
    let out = core::ResourceRequirements {
        requests: map(&r.requests),
        limits: map(&r.limits),
        ..Default::default()
    };
    (out.requests.is_some() || out.limits.is_some()).then_some(out)
}

fn non_empty(labels: &Labels) -> Option<Labels> {
    (!labels.is_empty()).then(|| labels.clone())
}

fn non_empty_vec<T>(v: Vec<T>) -> Option<Vec<T>> {
    (!v.is_empty()).then_some(v)
}
