//! Name resolution of the pod (F38; rules 38–42, 51): `dns POLICY { nameservers, searches,
//! options }` and `host-alias IP HOSTNAME ...`, with IP address and domain checks.

use super::keywords::DNS;
use super::names;
use super::Cx;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{DnsConfig, HostAlias, PodSettings};
use crate::syntax::{Arg, ArgKind, Statement};

const POLICIES: &[(&str, &str)] = &[
    ("cluster-first", "ClusterFirst"),
    ("cluster-first-with-host-net", "ClusterFirstWithHostNet"),
    ("default", "Default"),
    ("none", "None"),
];

/// `dns POLICY [{ nameservers IP ... searches DOMAIN ... options NAME[=VALUE] ... }]`.
pub fn check_dns(cx: &mut Cx, s: &Statement, pod: &mut PodSettings) {
    if !cx.arity(s, 1, 1) {
        return;
    }
    let text = s.args[0].as_text().unwrap_or_default();
    let key = text.to_ascii_lowercase().replace(['-', '_'], "");
    let Some((_, policy)) = POLICIES.iter().find(|(w, _)| w.replace('-', "") == key) else {
        let mut d = Diagnostic::error("DS0407", format!("unknown DNS policy `{text}`"))
            .at(s.args[0].span, "not a DNS policy");
        d = match did_you_mean(&text, POLICIES.iter().map(|(w, _)| *w)) {
            Some(w) => d.help(format!("did you mean `{w}`?")),
            None => {
                d.help("use `cluster-first`, `cluster-first-with-host-net`, `default` or `none`")
            }
        };
        cx.push(d);
        return;
    };
    pod.dns_policy = Some(policy);
    let mut config = DnsConfig::default();
    if let Some(block) = &s.block {
        for st in &block.statements {
            st_check(cx, st, &mut config);
        }
    }
    // Rule 39: `None` takes every setting from the config, so it needs a nameserver.
    if *policy == "None" && config.nameservers.is_empty() {
        cx.push(
            Diagnostic::error("DS0706", "`dns none` needs a nameserver")
                .at(s.args[0].span, "the pod gets no resolver from the cluster or the node")
                .help("write `dns none { nameservers 10.0.0.10 }`, or use `dns default` to take the node's resolver"),
        );
    }
    if s.block.is_some() {
        pod.dns_config = Some(config);
    }
}

fn st_check(cx: &mut Cx, st: &Statement, config: &mut DnsConfig) {
    cx.no_block(st);
    match st.keyword.as_str() {
        "nameservers" => {
            if !cx.arity(st, 1, usize::MAX) {
                return;
            }
            for a in super::args::flatten(&st.args) {
                if let Some(ip) = ip(cx, a, "nameserver") {
                    config.nameservers.push(ip);
                }
            }
            // Rule 40.
            if config.nameservers.len() > 3 {
                cx.push(
                    Diagnostic::error(
                        "DS0706",
                        format!(
                            "{} nameservers, at most 3 are allowed",
                            config.nameservers.len()
                        ),
                    )
                    .at(st.span, "too many nameservers")
                    .help("the resolver reads at most three nameservers; keep three"),
                );
            }
        }
        "searches" => {
            if !cx.arity(st, 1, usize::MAX) {
                return;
            }
            for a in super::args::flatten(&st.args) {
                let d = a.as_text().unwrap_or_default();
                // Rule 41: each a DNS subdomain; one trailing dot allowed.
                if let Err(relaxed) = names::relaxed_search_domain(&d) {
                    // The strict form's reason is the more precise one ("must be lower case").
                    let why = names::dns_subdomain(d.strip_suffix('.').unwrap_or(&d))
                        .err()
                        .unwrap_or(relaxed);
                    cx.push(
                        Diagnostic::error("DS0706", format!("invalid search domain `{d}`"))
                            .at(a.span, why)
                            .help("search domains are lower-case DNS names, such as `svc.cluster.local`"),
                    );
                    continue;
                }
                // The v1.33 API server takes `_` and a lone `.`; older ones do not.
                if let Err(why) = names::dns_subdomain(d.strip_suffix('.').unwrap_or(&d)) {
                    cx.push(
                        Diagnostic::warning("DS0908", format!("search domain `{d}` is not a plain DNS name"))
                            .at(a.span, why)
                            .help("clusters before Kubernetes 1.32 refuse it; keep it where the cluster is newer with `allow portable-dns-search`"),
                    );
                }
                config.searches.push(d);
            }
            let joined: usize = config.searches.iter().map(|d| d.len() + 1).sum();
            if config.searches.len() > 32 || joined > 2049 {
                cx.push(
                    Diagnostic::error(
                        "DS0706",
                        format!(
                            "{} search domains of {} characters in all, more than the resolver reads",
                            config.searches.len(),
                            joined.saturating_sub(1)
                        ),
                    )
                    .at(st.span, "at most 32 domains of 2048 characters in all")
                        .help("keep the domains the agent resolves short names in"),
                );
            }
        }
        "options" => {
            if !cx.arity(st, 1, usize::MAX) {
                return;
            }
            for a in &st.args {
                match &a.kind {
                    ArgKind::Pair { key, value, .. } => config
                        .options
                        .push((key.clone(), value.as_text().filter(|v| !v.is_empty()))),
                    _ => match a.as_text().filter(|t| !t.is_empty()) {
                        Some(name) => config.options.push((name, None)),
                        None => cx.push(
                            // Rule 42.
                            Diagnostic::error("DS0706", "a resolver option needs a name")
                                .at(a.span, "no option name")
                                .help("write `options ndots=2 edns0`"),
                        ),
                    },
                }
            }
        }
        _ => cx.unknown_keyword(st, DNS, "in a `dns` block"),
    }
}

/// `host-alias IP HOSTNAME ...` (rule 51).
pub fn check_host_alias(cx: &mut Cx, s: &Statement, pod: &mut PodSettings) {
    if !cx.arity(s, 2, usize::MAX) {
        return;
    }
    let Some(ip) = ip(cx, &s.args[0], "host alias address") else {
        return;
    };
    let mut hostnames = Vec::new();
    for a in super::args::flatten(&s.args[1..]) {
        if let Some(h) = cx.name(a, "host name", names::dns_subdomain) {
            hostnames.push(h);
        }
    }
    match pod.host_aliases.iter_mut().find(|h| h.ip == ip) {
        Some(existing) => existing.hostnames.extend(hostnames),
        None => pod.host_aliases.push(HostAlias { ip, hostnames }),
    }
}

/// An address the v1.33 API server takes; leading zeros in IPv4 parts only warn (`portable-ip`).
fn ip(cx: &mut Cx, arg: &Arg, what: &str) -> Option<String> {
    let text = arg.as_text().unwrap_or_default();
    if let Err(why) = names::relaxed_ip(&text) {
        cx.push(
            Diagnostic::error("DS0707", format!("invalid {what} `{text}`"))
                .at(arg.span, why)
                .help("write an address such as `10.96.0.10` or `fd00::10`; names cannot be resolved here"),
        );
        return None;
    }
    if let Err(why) = names::portable_ip(&text) {
        let plain = text
            .split('.')
            .map(|p| p.trim_start_matches('0'))
            .map(|p| if p.is_empty() { "0" } else { p })
            .collect::<Vec<_>>()
            .join(".");
        let fix = if text.contains(':') {
            "write the IPv4 part without leading zeros".to_string()
        } else {
            format!("write `{plain}`")
        };
        cx.push(
            Diagnostic::warning("DS0921", format!("{what} `{text}` has leading zeros"))
                .at(arg.span, why)
                .help(format!("the API server reads it as decimal, other tools as octal: {fix}, or `allow portable-ip`")),
        );
    }
    Some(text)
}
