//! Checked probes and hooks → k8s-openapi `Probe`s and `Lifecycle`. Every timing is written
//! out, defaults included, and HTTP checks carry their path and scheme, so the output says
//! what will run.

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::model::{Handler, Health, HttpGet, PortRef, Probe};

/// The three probes of a container.
pub(crate) fn probes(h: &Health) -> [Option<core::Probe>; 3] {
    [&h.liveness, &h.readiness, &h.startup].map(|p| p.as_ref().map(probe))
}

fn probe(p: &Probe) -> core::Probe {
    let mut out = core::Probe {
        initial_delay_seconds: Some(p.delay),
        timeout_seconds: Some(p.timeout),
        period_seconds: Some(p.period),
        success_threshold: Some(p.success),
        failure_threshold: Some(p.failure),
        ..Default::default()
    };
    match &p.handler {
        Handler::Exec(command) => out.exec = Some(exec(command)),
        Handler::Http(get) => out.http_get = Some(http_get(get)),
        Handler::Tcp { port, host } => {
            out.tcp_socket = Some(core::TCPSocketAction {
                host: host.clone(),
                port: port_value(port),
            })
        }
        Handler::Grpc { port, service } => {
            out.grpc = Some(core::GRPCAction {
                port: *port,
                service: service.clone(),
            })
        }
        // The checker allows sleep in hooks only.
        Handler::Sleep(_) => {}
    }
    out
}

/// The container's `lifecycle`, when it has a hook.
pub(crate) fn lifecycle(h: &Health) -> Option<core::Lifecycle> {
    if h.post_start.is_none() && h.pre_stop.is_none() {
        return None;
    }
    Some(core::Lifecycle {
        post_start: h.post_start.as_ref().map(hook),
        pre_stop: h.pre_stop.as_ref().map(hook),
        stop_signal: None,
    })
}

fn hook(handler: &Handler) -> core::LifecycleHandler {
    let mut out = core::LifecycleHandler::default();
    match handler {
        Handler::Exec(command) => out.exec = Some(exec(command)),
        Handler::Http(get) => out.http_get = Some(http_get(get)),
        Handler::Sleep(seconds) => out.sleep = Some(core::SleepAction { seconds: *seconds }),
        // Taken by the API server and not run by the kubelet (the lint `tcp-hook`).
        Handler::Tcp { port, host } => {
            out.tcp_socket = Some(core::TCPSocketAction {
                host: host.clone(),
                port: port_value(port),
            })
        }
        // The checker allows gRPC in probes only.
        Handler::Grpc { .. } => {}
    }
    out
}

fn exec(command: &[String]) -> core::ExecAction {
    core::ExecAction {
        command: Some(command.to_vec()),
    }
}

fn http_get(get: &HttpGet) -> core::HTTPGetAction {
    core::HTTPGetAction {
        host: get.host.clone(),
        http_headers: (!get.headers.is_empty()).then(|| {
            get.headers
                .iter()
                .map(|(name, value)| core::HTTPHeader {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect()
        }),
        path: Some(get.path.clone()),
        port: port_value(&get.port),
        scheme: Some(if get.https { "HTTPS" } else { "HTTP" }.to_string()),
    }
}

fn port_value(port: &PortRef) -> IntOrString {
    match port {
        PortRef::Number(n) => IntOrString::Int(*n),
        PortRef::Name(name) => IntOrString::String(name.clone()),
    }
}
