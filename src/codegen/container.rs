//! One checked container → a k8s-openapi `Container`: image, command, resources, ports, env,
//! mounts, probes and hooks.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::{non_empty_vec, probes, storage};
use crate::model::{Container, EnvFromKind, EnvSource, Resources};

pub(crate) fn container(c: &Container) -> core::Container {
    let [liveness_probe, readiness_probe, startup_probe] = probes::probes(&c.health);
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
                    container_port: p.number,
                    host_port: p.host_port,
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
        volume_mounts: storage::mounts(&c.mounts),
        liveness_probe,
        readiness_probe,
        startup_probe,
        lifecycle: probes::lifecycle(&c.health),
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
