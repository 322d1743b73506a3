//! Checked model → k8s-openapi `DaemonSet`. Pure: no I/O, no checks (the model is valid).
//! This file builds the object and the pod spec; each part of the pod has a file of its own.

mod container;
mod probes;
mod storage;

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetSpec};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use crate::model::{DaemonSetModel, Labels};

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
        containers: ds.containers.iter().map(container::container).collect(),
        init_containers: non_empty_vec(
            ds.init_containers
                .iter()
                .map(container::container)
                .collect(),
        ),
        image_pull_secrets: non_empty_vec(
            ds.pull_secrets
                .iter()
                .map(|name| core::LocalObjectReference { name: name.clone() })
                .collect(),
        ),
        affinity: ds.gpu_type.as_ref().map(|card| gpu_affinity(card)),
        volumes: storage::volumes(&ds.volumes),
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

pub(crate) fn non_empty(labels: &Labels) -> Option<Labels> {
    (!labels.is_empty()).then(|| labels.clone())
}

pub(crate) fn non_empty_vec<T>(v: Vec<T>) -> Option<Vec<T>> {
    (!v.is_empty()).then_some(v)
}
