//! The pod's DNS: `validateDNSPolicy`, `validatePodDNSConfig` and `ValidateHostAliases`, with
//! the IP address format they share (`IsValidIP`).

use super::field::Node;
use super::findings::Findings;
use super::metadata::text;
use crate::api::names::dns_subdomain;

/// `MaxDNSNameservers`, `MaxDNSSearchPaths`, `MaxDNSSearchListChars` (libc's limits).
const MAX_NAMESERVERS: usize = 3;
const MAX_SEARCHES: usize = 32;
const MAX_SEARCH_CHARS: usize = 2048;

/// The fix for a `None` policy without a nameserver.
const NO_RESOLVER: &str = "with the `None` policy the pod gets no resolver from the cluster or the node: give at least one nameserver, such as `10.96.0.10`, or use the `Default` policy to take the node's resolver";
/// The fix for a search list longer than the resolver reads.
const SEARCH_LIMITS: &str = "the resolver reads at most 32 search domains of 2048 characters in all: keep the domains the pod resolves short names in";

const POLICIES: [&str; 4] = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];

/// `validateDNSPolicy`, `validatePodDNSConfig` and `ValidateHostAliases` of the pod spec at
/// `pod`. An absent or empty `dnsPolicy` is defaulted to `ClusterFirst`.
pub fn dns(pod: &Node, out: &mut Findings) {
    let policy_node = pod.get("dnsPolicy");
    let policy = text(&policy_node);
    if policy.is_some_and(|p| !p.is_empty() && !POLICIES.contains(&p)) {
        out.not_supported(&policy_node, &POLICIES);
    }
    dns_config(&pod.get("dnsConfig"), policy == Some("None"), out);
    host_aliases(&pod.get("hostAliases"), out);
}

/// `validatePodDNSConfig`.
fn dns_config(config: &Node, policy_none: bool, out: &mut Findings) {
    let nameservers = config.get("nameservers");
    if policy_none {
        if !config.is_set() {
            out.required(config, "must provide `dnsConfig` when `dnsPolicy` is None")
                .help(NO_RESOLVER);
            return;
        }
        if nameservers.is_empty() {
            out.required(
                &nameservers,
                "must provide at least one DNS nameserver when `dnsPolicy` is None",
            )
            .help(NO_RESOLVER);
            return;
        }
    }
    if nameservers.len() > MAX_NAMESERVERS {
        out.invalid(&nameservers, "must not have more than 3 nameservers")
            .help("the resolver reads at most three nameservers: keep three");
    }
    for ns in nameservers.items() {
        if let Some(ip) = ns.str() {
            is_valid_ip(&ns, ip, out);
        }
    }
    let searches = config.get("searches");
    if searches.len() > MAX_SEARCHES {
        out.invalid(&searches, "must not have more than 32 search paths")
            .help(SEARCH_LIMITS);
    }
    let joined: usize = searches
        .items()
        .filter_map(|s| s.str())
        .map(str::len)
        .sum::<usize>()
        + searches.len().saturating_sub(1);
    if joined > MAX_SEARCH_CHARS {
        out.invalid(
            &searches,
            "must not have more than 2048 characters (including spaces) in the search list",
        )
        .help(SEARCH_LIMITS);
    }
    for search in searches.items() {
        if let Some(s) = search.str() {
            if let Err(problem) = crate::api::names::relaxed_search_domain(s) {
                out.invalid(&search, problem)
                    .help("a search domain is a lower-case DNS name, such as `svc.cluster.local`");
            }
        }
    }
    for option in config.get("options").items() {
        let name = option.get("name");
        if text(&name) == Some("") {
            out.required(&option, "must not be empty")
                .help("give the option a `name`, e.g. `ndots`");
        }
    }
}

/// `ValidateHostAliases`: each `ip` an IP address, each hostname a DNS subdomain.
fn host_aliases(list: &Node, out: &mut Findings) {
    for alias in list.items() {
        let ip = alias.get("ip");
        if let Some(value) = text(&ip) {
            is_valid_ip(&ip, value, out);
        }
        for host in alias.get("hostnames").items() {
            if let Some(h) = host.str() {
                if let Err(problem) = dns_subdomain(h) {
                    out.bad_name(&host, h, problem);
                }
            }
        }
    }
}

/// `IsValidIP` as in v1.33 (`StrictIPCIDRValidation` off): anything `netutils.ParseIPSloppy`
/// reads, which allows leading zeros in IPv4 parts.
pub fn is_valid_ip(at: &Node, ip: &str, out: &mut Findings) -> bool {
    if crate::api::names::relaxed_ip(ip).is_ok() {
        return true;
    }
    out.invalid(
        at,
        "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
    )
    .help("write an address such as `10.96.0.10` or `fd00::10`; names cannot be resolved here");
    false
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{has, pod};
    use crate::validate::Kind;
    use serde_json::json;

    #[test]
    fn policy_values() {
        assert!(pod(json!({"dnsPolicy": "ClusterFirstWithHostNet"})).is_empty());
        assert!(pod(json!({"dnsPolicy": ""})).is_empty());
        has(
            &pod(json!({"dnsPolicy": "clusterfirst"})),
            Kind::NotSupported,
            "dnsPolicy",
        );
    }

    #[test]
    fn none_needs_nameservers() {
        has(
            &pod(json!({"dnsPolicy": "None"})),
            Kind::Required,
            "dnsConfig",
        );
        has(
            &pod(json!({"dnsPolicy": "None", "dnsConfig": {}})),
            Kind::Required,
            "dnsConfig.nameservers",
        );
        assert!(
            pod(json!({"dnsPolicy": "None", "dnsConfig": {"nameservers": ["1.1.1.1"]}})).is_empty()
        );
    }

    #[test]
    fn nameservers() {
        assert!(pod(
            json!({"dnsConfig": {"nameservers": ["1.1.1.1", "2001:db8::1", "010.0.0.1"]}})
        )
        .is_empty());
        has(
            &pod(
                json!({"dnsConfig": {"nameservers": ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"]}}),
            ),
            Kind::Invalid,
            "dnsConfig.nameservers",
        );
        has(
            &pod(json!({"dnsConfig": {"nameservers": ["1.1.1.256"]}})),
            Kind::Invalid,
            "dnsConfig.nameservers[0]",
        );
        has(
            &pod(json!({"dnsConfig": {"nameservers": ["dns.local"]}})),
            Kind::Invalid,
            "dnsConfig.nameservers[0]",
        );
    }

    #[test]
    fn searches() {
        assert!(pod(
            json!({"dnsConfig": {"searches": ["svc.cluster.local.", "_sip._tcp.example.com", "."]}})
        )
        .is_empty());
        has(
            &pod(json!({"dnsConfig": {"searches": ["Example.com"]}})),
            Kind::Invalid,
            "dnsConfig.searches[0]",
        );
        let many: Vec<String> = (0..33).map(|i| format!("d{i}.com")).collect();
        has(
            &pod(json!({"dnsConfig": {"searches": many}})),
            Kind::Invalid,
            "dnsConfig.searches",
        );
        let long: Vec<String> = (0..11)
            .map(|_| "a".repeat(63) + "." + &"b".repeat(63) + "." + &"c".repeat(63) + ".d")
            .collect();
        has(
            &pod(json!({"dnsConfig": {"searches": long}})),
            Kind::Invalid,
            "dnsConfig.searches",
        );
    }

    #[test]
    fn options_need_names() {
        assert!(
            pod(json!({"dnsConfig": {"options": [{"name": "ndots", "value": "2"}]}})).is_empty()
        );
        has(
            &pod(json!({"dnsConfig": {"options": [{"value": "2"}]}})),
            Kind::Required,
            "dnsConfig.options[0]",
        );
    }

    #[test]
    fn host_aliases() {
        assert!(
            pod(json!({"hostAliases": [{"ip": "127.0.0.1", "hostnames": ["foo.local"]}]}))
                .is_empty()
        );
        has(
            &pod(json!({"hostAliases": [{"ip": "localhost"}]})),
            Kind::Invalid,
            "hostAliases[0].ip",
        );
        has(
            &pod(json!({"hostAliases": [{"hostnames": ["a"]}]})),
            Kind::Invalid,
            "hostAliases[0].ip",
        );
        has(
            &pod(json!({"hostAliases": [{"ip": "::1", "hostnames": ["Foo_"]}]})),
            Kind::Invalid,
            "hostAliases[0].hostnames[0]",
        );
    }
}
