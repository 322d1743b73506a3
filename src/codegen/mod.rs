//! Checked model → k8s-openapi `DaemonSet`. Pure: no I/O, no checks (the model is valid).
//! This file builds the object and the pod spec; each part of the pod has a file of its own.

mod container;
mod overrides;
mod pod;
mod probes;
pub mod provenance;
mod scheduling;
mod security;
mod storage;

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetSpec};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use crate::model::{DaemonSetModel, Labels};

/// The node label VKE puts the GPU card type on (`vke-keys.md` 1.1).
pub const GPU_NAME_LABEL: &str = "machine.cluster.vke.volcengine.com/gpu-name";

/// Builds the DaemonSet object for one checked daemonset.
pub fn lower(ds: &DaemonSetModel) -> DaemonSet {
    let spec = DaemonSetSpec {
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
        update_strategy: pod::update_strategy(&ds.pod),
        min_ready_seconds: ds.pod.min_ready_seconds,
        revision_history_limit: ds.pod.revision_history,
    };
    DaemonSet {
        metadata: ObjectMeta {
            name: Some(ds.name.clone()),
            namespace: Some(ds.namespace.clone()),
            labels: non_empty(
                &ds.labels
                    .iter()
                    .chain(&ds.daemonset_labels)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
            annotations: non_empty(&ds.annotations),
            ..Default::default()
        },
        spec: Some(overrides::merged(spec, ds.pod.spec_override.as_ref())),
        status: None,
    }
}

fn pod_spec(ds: &DaemonSetModel) -> core::PodSpec {
    let mut spec = core::PodSpec {
        containers: ds.containers.iter().map(full_container).collect(),
        init_containers: non_empty_vec(ds.init_containers.iter().map(full_container).collect()),
        image_pull_secrets: non_empty_vec(
            ds.pull_secrets
                .iter()
                .map(|name| core::LocalObjectReference { name: name.clone() })
                .collect(),
        ),
        volumes: storage::volumes(&ds.volumes),
        security_context: security::pod_security(&ds.pod.security),
        ..Default::default()
    };
    pod::apply(&ds.pod, &mut spec);
    scheduling::apply(ds, &mut spec);
    overrides::merged(spec, ds.pod.pod_override.as_ref())
}

/// A container with the settings of every issue, and its override merged in last.
fn full_container(c: &crate::model::Container) -> core::Container {
    let mut out = container::container(c);
    security::apply_container(c, &mut out);
    overrides::merged(out, c.settings.container_override.as_ref())
}

pub(crate) fn non_empty(labels: &Labels) -> Option<Labels> {
    (!labels.is_empty()).then(|| labels.clone())
}

pub(crate) fn non_empty_vec<T>(v: Vec<T>) -> Option<Vec<T>> {
    (!v.is_empty()).then_some(v)
}
