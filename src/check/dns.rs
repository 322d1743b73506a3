//! Name resolution of the pod (F38): `dns POLICY { nameservers, searches, options }` and
//! `host-alias IP HOSTNAME ...`, read into the model with each argument's span recorded at its
//! API field path. The API server's rules on them (rules 38–42, 51: nameservers, search
//! domains, options, IP addresses) run on the compiled object; the lints stay here.

use super::cx::Cx;
use super::keywords::DNS;
use crate::api::names;
use crate::api::FieldPath;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{rel, DnsConfig, HostAlias, Origins, PodSettings};
use crate::syntax::{Arg, ArgKind, Statement};

pub(super) const POLICIES: &[(&str, &str)] = &[
    ("cluster-first", "ClusterFirst"),
    ("cluster-first-with-host-net", "ClusterFirstWithHostNet"),
    ("default", "Default"),
    ("none", "None"),
];

/// `dns POLICY [{ nameservers IP ... searches DOMAIN ... options NAME[=VALUE] ... }]`.
pub fn check_dns(cx: &mut Cx, s: &Statement, pod: &mut PodSettings, origins: &mut Origins) {
    if !cx.arity(s, 1, 1) {
        return;
    }
    let text = s.args[0].as_text().unwrap_or_default();
    let key = text.to_ascii_lowercase().replace(['-', '_'], "");
    let Some((_, policy)) = POLICIES.iter().find(|(w, _)| w.replace('-', "") == key) else {
        let mut d = Diagnostic::error("DS0407", format!("unknown DNS policy `{text}`"))
            .at(s.args[0].span, "not a DNS policy");
        d = match did_you_mean(&text, POLICIES.iter().map(|(w, _)| *w)) {
            Some(w) => d.suggest(w),
            None => {
                d.help("use `cluster-first`, `cluster-first-with-host-net`, `default` or `none`")
            }
        };
        cx.push(d);
        return;
    };
    pod.dns_policy = Some(policy);
    let spec = rel(&["spec", "template", "spec"]);
    origins.record(spec.field("dnsPolicy"), s.args[0].span);
    // A missing config or nameserver under `dns none` (rule 39) is reported at the policy.
    let config_at = spec.field("dnsConfig");
    origins.record(config_at.clone(), s.args[0].span);
    origins.record(config_at.field("nameservers"), s.args[0].span);
    let mut config = DnsConfig::default();
    if let Some(block) = &s.block {
        for st in &block.statements {
            st_check(cx, st, &mut config, origins, &config_at);
        }
    }
    if s.block.is_some() {
        pod.dns_config = Some(config);
    }
}

fn st_check(
    cx: &mut Cx,
    st: &Statement,
    config: &mut DnsConfig,
    origins: &mut Origins,
    at: &FieldPath,
) {
    cx.no_block(st);
    match st.keyword.as_str() {
        "nameservers" => {
            if !cx.arity(st, 1, usize::MAX) {
                return;
            }
            // Their number (rule 40) and form are rules of the API server, checked on the object.
            origins.record(at.field("nameservers"), st.span);
            for a in super::args::flatten(&st.args) {
                let ip = ip(cx, a, "nameserver");
                let item = at.field("nameservers").index(config.nameservers.len());
                origins.record(item, a.span);
                config.nameservers.push(ip);
            }
        }
        "searches" => {
            if !cx.arity(st, 1, usize::MAX) {
                return;
            }
            // Their form (rule 41), number and length are rules of the API server, checked on
            // the object.
            origins.record(at.field("searches"), st.span);
            for a in super::args::flatten(&st.args) {
                let d = a.as_text().unwrap_or_default();
                let item = at.field("searches").index(config.searches.len());
                origins.record(item, a.span);
                // The v1.33 API server takes `_` and a lone `.`; older ones do not.
                let relaxed = names::relaxed_search_domain(&d).is_ok();
                if let (true, Err(why)) = (
                    relaxed,
                    names::dns_subdomain(d.strip_suffix('.').unwrap_or(&d)),
                ) {
                    cx.push(
                        Diagnostic::warning("DS0908", format!("search domain `{d}` is not a plain DNS name"))
                            .at(a.span, why)
                            .help("clusters before Kubernetes 1.32 refuse it; keep it where the cluster is newer with `allow portable-dns-search`"),
                    );
                }
                config.searches.push(d);
            }
        }
        "options" => {
            if !cx.arity(st, 1, usize::MAX) {
                return;
            }
            // An option without a name (rule 42) is a rule of the API server, checked on the
            // object.
            for a in &st.args {
                let item = at.field("options").index(config.options.len());
                origins.record(item.clone(), a.span);
                match &a.kind {
                    ArgKind::Pair {
                        key,
                        key_span,
                        value,
                    } => {
                        origins.record(item.field("name"), *key_span);
                        origins.record(item.field("value"), value.span);
                        config
                            .options
                            .push((key.to_string(), value.as_text().filter(|v| !v.is_empty())));
                    }
                    _ => {
                        origins.record(item.field("name"), a.span);
                        config.options.push((a.as_text().unwrap_or_default(), None));
                    }
                }
            }
        }
        _ => cx.unknown_keyword(st, DNS, "in a `dns` block"),
    }
}

/// `host-alias IP HOSTNAME ...` (rule 51).
pub fn check_host_alias(cx: &mut Cx, s: &Statement, pod: &mut PodSettings, origins: &mut Origins) {
    if !cx.arity(s, 2, usize::MAX) {
        return;
    }
    let ip = ip(cx, &s.args[0], "host alias address");
    let mut hostnames = Vec::new();
    for a in super::args::flatten(&s.args[1..]) {
        // Their form is a rule of the API server, checked on the object.
        if let Some(h) = cx.scalar(a, "host name") {
            hostnames.push((h, a.span));
        }
    }
    let index = match pod.host_aliases.iter().position(|h| h.ip == ip) {
        Some(i) => i,
        None => {
            pod.host_aliases.push(HostAlias {
                ip,
                hostnames: Vec::new(),
            });
            pod.host_aliases.len() - 1
        }
    };
    let at = rel(&["spec", "template", "spec", "hostAliases"]).index(index);
    if origins.get(&at).is_none() {
        origins.record(at.clone(), s.span);
        origins.record(at.field("ip"), s.args[0].span);
    }
    let alias = &mut pod.host_aliases[index];
    for (h, span) in hostnames {
        origins.record(at.field("hostnames").index(alias.hostnames.len()), span);
        alias.hostnames.push(h);
    }
}

/// An address as written. Whether the v1.33 API server takes it (rules 40, 51) is checked on
/// the object; leading zeros in IPv4 parts, which it takes, only warn (`portable-ip`).
fn ip(cx: &mut Cx, arg: &Arg, what: &str) -> String {
    let text = arg.as_text().unwrap_or_default();
    if names::relaxed_ip(&text).is_err() {
        return text;
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
    text
}
