//! Scheduling → pod spec: node selector, tolerations, and node / pod (anti-)affinity, with
//! the GPU card type as one more required node expression (`vke-keys.md` 1.1).

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};

use super::{non_empty, non_empty_vec, GPU_NAME_LABEL};
use crate::model::{DaemonSetModel, PodAffinityRule, Requirement};

/// Writes `nodeSelector`, `tolerations` and `affinity` into `spec`.
pub fn apply(ds: &DaemonSetModel, spec: &mut core::PodSpec) {
    let pod = &ds.pod;
    spec.node_selector = non_empty(&pod.node_selector);
    spec.tolerations = non_empty_vec(
        pod.tolerations
            .iter()
            .map(|t| core::Toleration {
                key: t.key.clone(),
                operator: Some(t.operator.into()),
                value: t.value.clone(),
                effect: t.effect.map(str::to_string),
                toleration_seconds: t.seconds,
            })
            .collect(),
    );
    let node = node_affinity(ds);
    let pod_affinity = terms(&pod.pod_affinity);
    let anti = terms(&pod.pod_anti_affinity);
    if node.is_some() || pod_affinity.is_some() || anti.is_some() {
        spec.affinity = Some(core::Affinity {
            node_affinity: node,
            pod_affinity: pod_affinity.map(|(required, preferred)| core::PodAffinity {
                required_during_scheduling_ignored_during_execution: required,
                preferred_during_scheduling_ignored_during_execution: preferred,
            }),
            pod_anti_affinity: anti.map(|(required, preferred)| core::PodAntiAffinity {
                required_during_scheduling_ignored_during_execution: required,
                preferred_during_scheduling_ignored_during_execution: preferred,
            }),
        });
    }
}

fn node_requirement(r: &Requirement) -> core::NodeSelectorRequirement {
    core::NodeSelectorRequirement {
        key: r.key.clone(),
        operator: r.operator.into(),
        values: non_empty_vec(r.values.clone()),
    }
}

fn node_affinity(ds: &DaemonSetModel) -> Option<core::NodeAffinity> {
    let pod = &ds.pod;
    let gpu = ds.gpu_type.as_ref().map(|card| Requirement {
        key: GPU_NAME_LABEL.into(),
        operator: "In",
        values: vec![card.clone()],
    });
    let mut required = pod.node_required.clone();
    if let Some(gpu) = gpu {
        if required.is_empty() {
            required.push(Vec::new());
        }
        // The card type holds in every alternative.
        required.iter_mut().for_each(|t| t.push(gpu.clone()));
    }
    let required = (!required.is_empty()).then(|| core::NodeSelector {
        node_selector_terms: required
            .iter()
            .map(|term| core::NodeSelectorTerm {
                match_expressions: Some(term.iter().map(node_requirement).collect()),
                ..Default::default()
            })
            .collect(),
    });
    let preferred = non_empty_vec(
        pod.node_preferred
            .iter()
            .map(|t| core::PreferredSchedulingTerm {
                weight: t.weight,
                preference: core::NodeSelectorTerm {
                    match_expressions: Some(t.expressions.iter().map(node_requirement).collect()),
                    ..Default::default()
                },
            })
            .collect(),
    );
    (required.is_some() || preferred.is_some()).then_some(core::NodeAffinity {
        required_during_scheduling_ignored_during_execution: required,
        preferred_during_scheduling_ignored_during_execution: preferred,
    })
}

type Terms = (
    Option<Vec<core::PodAffinityTerm>>,
    Option<Vec<core::WeightedPodAffinityTerm>>,
);

fn terms(rules: &[PodAffinityRule]) -> Option<Terms> {
    let term = |r: &PodAffinityRule| core::PodAffinityTerm {
        label_selector: Some(LabelSelector {
            match_labels: non_empty(&r.match_labels),
            match_expressions: non_empty_vec(
                r.match_expressions
                    .iter()
                    .map(|e| LabelSelectorRequirement {
                        key: e.key.clone(),
                        operator: e.operator.into(),
                        values: non_empty_vec(e.values.clone()),
                    })
                    .collect(),
            ),
        }),
        namespaces: non_empty_vec(r.namespaces.clone()),
        topology_key: r.topology_key.clone(),
        ..Default::default()
    };
    let required = non_empty_vec(
        rules
            .iter()
            .filter(|r| r.weight.is_none())
            .map(term)
            .collect(),
    );
    let preferred = non_empty_vec(
        rules
            .iter()
            .filter_map(|r| {
                r.weight.map(|weight| core::WeightedPodAffinityTerm {
                    weight,
                    pod_affinity_term: term(r),
                })
            })
            .collect(),
    );
    (required.is_some() || preferred.is_some()).then_some((required, preferred))
}
