//! Pod settings → the DaemonSet spec and pod spec fields of issue 4: update strategy,
//! minReadySeconds, revisionHistoryLimit, grace period, DNS, host namespaces, identity.

use k8s_openapi::api::apps::v1 as apps;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::non_empty_vec;
use crate::model::{IntOrPercent, PodSettings, UpdateStrategy};

/// `spec.updateStrategy`, absent when the spec does not choose one.
pub fn update_strategy(pod: &PodSettings) -> Option<apps::DaemonSetUpdateStrategy> {
    let int_or_string = |v: IntOrPercent| match v {
        IntOrPercent::Int(n) => IntOrString::Int(n),
        IntOrPercent::Percent(p) => IntOrString::String(format!("{p}%")),
    };
    let (kind, max_unavailable, max_surge) = match pod.update.as_ref()? {
        UpdateStrategy::OnDelete {
            max_unavailable,
            max_surge,
        } => ("OnDelete", max_unavailable, max_surge),
        UpdateStrategy::Rolling {
            max_unavailable,
            max_surge,
        } => ("RollingUpdate", max_unavailable, max_surge),
    };
    Some(apps::DaemonSetUpdateStrategy {
        type_: Some(kind.into()),
        rolling_update: (max_unavailable.is_some() || max_surge.is_some()).then(|| {
            apps::RollingUpdateDaemonSet {
                max_unavailable: max_unavailable.map(int_or_string),
                max_surge: max_surge.map(int_or_string),
            }
        }),
    })
}

/// Writes the plain pod settings into `spec`.
pub fn apply(pod: &PodSettings, spec: &mut core::PodSpec) {
    spec.termination_grace_period_seconds = pod.grace_seconds;
    spec.dns_policy = pod.dns_policy.map(str::to_string);
    spec.dns_config = pod.dns_config.as_ref().map(|c| core::PodDNSConfig {
        nameservers: non_empty_vec(c.nameservers.clone()),
        searches: non_empty_vec(c.searches.clone()),
        options: non_empty_vec(
            c.options
                .iter()
                .map(|(name, value)| core::PodDNSConfigOption {
                    name: Some(name.clone()),
                    value: value.clone(),
                })
                .collect(),
        ),
    });
    let flag = |b: bool| b.then_some(true);
    spec.host_network = flag(pod.host_network);
    spec.host_pid = flag(pod.host_pid);
    spec.host_ipc = flag(pod.host_ipc);
    spec.share_process_namespace = flag(pod.share_process_namespace);
    spec.priority_class_name = pod.priority_class.clone();
    spec.service_account_name = pod.service_account.clone();
    spec.automount_service_account_token = pod.automount_token;
    spec.host_users = pod.host_users;
    spec.os = pod.os.map(|name| core::PodOS {
        name: name.to_string(),
    });
    spec.scheduler_name = pod.scheduler.clone();
    spec.runtime_class_name = pod.runtime_class.clone();
    spec.host_aliases = non_empty_vec(
        pod.host_aliases
            .iter()
            .map(|h| core::HostAlias {
                ip: h.ip.clone(),
                hostnames: non_empty_vec(h.hostnames.clone()),
            })
            .collect(),
    );
}
