//! `validateContainerPorts` (one container's `ports`), `AccumulateUniqueHostPorts` (host ports
//! across the pod's containers) and `validatePodHostNetworkDeps` (host ports under
//! `hostNetwork`).

use foldhash::{HashMap, HashMapExt};

use super::field::Node;
use super::findings::Findings;
use crate::api::names::port_name;

const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";

/// validateContainerPorts: the `ports` list of one container.
pub fn container_ports(list: &Node, out: &mut Findings) {
    let mut names: HashMap<&str, Node> = HashMap::new();
    for port in list.items() {
        let name = port.get("name");
        if let Some(text) = name.str().filter(|s| !s.is_empty()) {
            if let Err(problem) = port_name(text) {
                out.invalid(&name, problem).help(
                    "a port name is at most 15 lower-case letters, digits and `-`, with at least one letter, such as `http-metrics`",
                );
            } else if let Some(first) = names.get(text) {
                out.duplicate(&name)
                    .help("give each port of the container its own name")
                    .related(&first.path, "first used here");
            } else {
                names.insert(text, name.clone());
            }
        }
        let container_port = port.get("containerPort");
        match container_port.int() {
            Some(0) => {
                out.required(&container_port, "container port is required")
                    .help("set `containerPort` to the port the process listens on");
            }
            None if !container_port.is_set() => {
                out.required(&container_port, "container port is required")
                    .help("set `containerPort` to the port the process listens on");
            }
            Some(n) if !(1..=65535).contains(&n) => {
                out.invalid(&container_port, PORT_RANGE)
                    .help("give the port the process listens on, from 1 to 65535");
            }
            _ => {}
        }
        let host_port = port.get("hostPort");
        if let Some(n) = host_port.int() {
            if n != 0 && !(1..=65535).contains(&n) {
                out.invalid(&host_port, PORT_RANGE)
                    .help("use a port between 1 and 65535, or remove `hostPort`");
            }
        }
        let protocol = port.get("protocol");
        if let Some(text) = protocol.str() {
            if !text.is_empty() && !matches!(text, "TCP" | "UDP" | "SCTP") {
                out.not_supported(&protocol, &["SCTP", "TCP", "UDP"]);
            }
        }
    }
}

/// AccumulateUniqueHostPorts across the regular containers (which run together), and within each
/// init container (which run one by one); then validatePodHostNetworkDeps.
pub fn host_ports(pod: &Node, out: &mut Findings) {
    let mut taken = HashMap::new();
    for container in pod.get("containers").items() {
        accumulate(&container, &mut taken, out);
    }
    for container in pod.get("initContainers").items() {
        // Upstream reports these at `initContainers[0]` whatever the index; the real index
        // points at the right place.
        accumulate(&container, &mut HashMap::new(), out);
    }
    if pod.get("hostNetwork").bool() == Some(true) {
        host_network_deps(pod, out);
    }
}

/// One container's host ports into `taken`, keyed as the server keys them: protocol, host IP
/// and port.
fn accumulate<'a>(container: &Node<'a>, taken: &mut HashMap<String, Node<'a>>, out: &mut Findings) {
    for port in container.get("ports").items() {
        let host_port = port.get("hostPort");
        let Some(number) = host_port.int().filter(|n| *n != 0) else {
            continue;
        };
        let protocol = port
            .get("protocol")
            .str()
            .filter(|s| !s.is_empty())
            .unwrap_or("TCP");
        let ip = port.get("hostIP").str().unwrap_or("");
        let key = format!("{protocol}/{ip}/{number}");
        if let Some(first) = taken.get(&key) {
            out.duplicate(&host_port)
                .help(format!(
                    "another port of the pod already binds {protocol} port {number}{} on the node; use a different `hostPort`",
                    if ip.is_empty() { String::new() } else { format!(" of {ip}") }
                ))
                .related(&first.path, "first bound here");
        } else {
            taken.insert(key, host_port);
        }
    }
}

/// validatePodHostNetworkDeps: with `hostNetwork`, a template's `hostPort` is 0 (filled in when
/// the pod is created) or equal to `containerPort`.
fn host_network_deps(pod: &Node, out: &mut Findings) {
    for container in pod.get("containers").items() {
        for port in container.get("ports").items() {
            let host_port = port.get("hostPort");
            let container_port = port.get("containerPort");
            let Some(host) = host_port.int() else {
                continue;
            };
            if container_port.is_set() && container_port.int().is_none() {
                continue;
            }
            if host != 0 && host != container_port.int().unwrap_or(0) {
                out.invalid(
                    &host_port,
                    "must match `containerPort` when `hostNetwork` is true",
                )
                .related(&pod.get("hostNetwork").path, "the pod uses the node's network")
                .help(format!(
                    "on the node's network the container listens on its own port: publish it as itself (`hostPort` {}), or remove the host port",
                    container_port.int().unwrap_or(0)
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::*;
    use crate::validate::Kind;
    use serde_json::{json, Value};

    fn ports(list: Value) -> Value {
        with_container(container(json!({ "ports": list })))
    }

    #[test]
    fn container_port_is_required_and_in_range() {
        assert_one(
            &ports(json!([{"name": "http"}])),
            Kind::Required,
            "containers[0].ports[0].containerPort",
        );
        let ds = ports(json!([{"containerPort": 65536}]));
        assert_one(&ds, Kind::Invalid, "containers[0].ports[0].containerPort");
        assert_none(&ports(
            json!([{"containerPort": 65535}, {"containerPort": 1}]),
        ));
    }

    #[test]
    fn host_port_range() {
        let ds = ports(json!([{"containerPort": 80, "hostPort": 65536}]));
        assert_one(&ds, Kind::Invalid, "containers[0].ports[0].hostPort");
        assert_none(&ports(json!([{"containerPort": 80, "hostPort": 0}])));
        assert_none(&ports(json!([{"containerPort": 80, "hostPort": 65535}])));
    }

    #[test]
    fn port_names_are_iana_names_unique_per_container() {
        let ds = ports(json!([{"containerPort": 80, "name": "HTTP"}]));
        assert_one(&ds, Kind::Invalid, "containers[0].ports[0].name");
        let ds = ports(
            json!([{"containerPort": 80, "name": "http"}, {"containerPort": 81, "name": "http"}]),
        );
        assert_one(&ds, Kind::Duplicate, "containers[0].ports[1].name");
        let ds = with_pod(|p| {
            p["containers"] = json!([
                {"name": "a", "image": "i", "ports": [{"containerPort": 80, "name": "http"}]},
                {"name": "b", "image": "i", "ports": [{"containerPort": 81, "name": "http"}]}]);
        });
        assert_none(&ds);
    }

    #[test]
    fn protocol_is_supported() {
        let ds = ports(json!([{"containerPort": 80, "protocol": "tcp"}]));
        assert_one(&ds, Kind::NotSupported, "containers[0].ports[0].protocol");
        assert_none(&ports(json!([{"containerPort": 80, "protocol": "SCTP"}])));
    }

    #[test]
    fn host_ports_are_unique_across_containers() {
        let ds = with_pod(|p| {
            p["containers"] = json!([
                {"name": "a", "image": "i", "ports": [{"containerPort": 80, "hostPort": 80}]},
                {"name": "b", "image": "i", "ports": [{"containerPort": 81, "hostPort": 80, "protocol": "TCP"}]}]);
        });
        assert_one(&ds, Kind::Duplicate, "containers[1].ports[0].hostPort");
        let ds = with_pod(|p| {
            p["containers"] = json!([
                {"name": "a", "image": "i", "ports": [{"containerPort": 80, "hostPort": 80}]},
                {"name": "b", "image": "i", "ports": [{"containerPort": 80, "hostPort": 80, "protocol": "UDP"}]}]);
            p["initContainers"] = json!([
                {"name": "c", "image": "i", "ports": [{"containerPort": 80, "hostPort": 80}]}]);
        });
        assert_none(&ds);
    }

    #[test]
    fn host_network_needs_matching_host_port() {
        let net = |port: Value| {
            with_pod(|p| {
                p["hostNetwork"] = json!(true);
                p["containers"][0]["ports"] = json!([port]);
            })
        };
        let ds = net(json!({"containerPort": 80, "hostPort": 8080}));
        assert_one(&ds, Kind::Invalid, "containers[0].ports[0].hostPort");
        assert_none(&net(json!({"containerPort": 80, "hostPort": 80})));
        assert_none(&net(json!({"containerPort": 80})));
    }
}
