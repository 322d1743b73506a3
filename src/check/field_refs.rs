//! The pod fields and container resources that env vars and downward-API files read: field
//! paths with their subscripts (rules 86, 87) and resource fields with their divisors and
//! containers (rules 89, 90, 111).

use super::names;
use super::quantity::Quantity;
use super::Cx;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::EnvSource;
use crate::source::Span;
use crate::syntax::Arg;

/// Pod fields an env var may read (rule 86, `validEnvDownwardAPIFieldPathExpressions`);
/// labels and annotations only with a subscript. The object rules use the same list.
pub(crate) const ENV_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// The resources a `resourceFieldRef` reads (`validContainerResourceFieldPathExpressions`).
pub(crate) const RESOURCE_FIELDS: &[&str] = &[
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
];

/// A pod field an env var may read; `DS0403` otherwise.
pub(super) fn env_field(cx: &mut Cx, path: &str, span: Span) -> bool {
    if ENV_FIELD_PATHS.contains(&path) {
        return true;
    }
    for map in ["metadata.labels", "metadata.annotations"] {
        if path == map {
            cx.push(
                Diagnostic::error(
                    "DS0403",
                    format!("`{map}` as a whole cannot be read into an environment variable"),
                )
                .at(span, "a subscript is required in env")
                .help(format!(
                    "read one key: `{map}['app']`, or mount all of them with a downward-API volume"
                )),
            );
            return false;
        }
        if let Some(sub) = path
            .strip_prefix(map)
            .and_then(|s| s.strip_prefix("['"))
            .and_then(|s| s.strip_suffix("']"))
        {
            let check = if map == "metadata.labels" {
                names::qualified_name(sub)
            } else {
                names::annotation_key(sub)
            };
            return match check {
                Ok(()) => true,
                Err(why) => {
                    cx.push(
                        Diagnostic::error("DS0403", format!("invalid key `{sub}` in field path"))
                            .at(span, why)
                            .help(format!(
                                "write a {} key, such as `{map}['app.kubernetes.io/name']`",
                                if map == "metadata.labels" {
                                    "label"
                                } else {
                                    "annotation"
                                }
                            )),
                    );
                    false
                }
            };
        }
    }
    if let Some((base, _)) = path.split_once("['") {
        cx.push(
            Diagnostic::error("DS0403", format!("`{base}` does not take a subscript"))
                .at(span, "only labels and annotations take `['KEY']`")
                .help(format!(
                    "write `{base}`, or read one label: `metadata.labels['KEY']`"
                )),
        );
        return false;
    }
    let all = ENV_FIELD_PATHS
        .iter()
        .copied()
        .chain(["metadata.labels['KEY']", "metadata.annotations['KEY']"]);
    let mut d = Diagnostic::error(
        "DS0403",
        format!("`{path}` is not a pod field an environment variable can read"),
    )
    .at(span, "unsupported field path");
    d = match did_you_mean(path, all) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d.help(format!(
            "use one of: {}, metadata.labels['KEY'], metadata.annotations['KEY']",
            ENV_FIELD_PATHS.join(", ")
        )),
    };
    cx.push(d);
    false
}

pub(super) fn resource_field(
    cx: &mut Cx,
    resource: &str,
    span: Span,
    options: &[Arg],
    _source: &Arg,
) -> Option<EnvSource> {
    let known = RESOURCE_FIELDS.contains(&resource)
        || resource.starts_with("requests.hugepages-")
        || resource.starts_with("limits.hugepages-");
    if !known {
        let mut d = Diagnostic::error(
            "DS0405",
            format!("`{resource}` is not a container resource field"),
        )
        .at(span, "unsupported resource");
        d = match did_you_mean(resource, RESOURCE_FIELDS.iter().copied()) {
            Some(s) => d.help(format!(
                "did you mean `{s}`? (`requests` and `limits` are plural)"
            )),
            None => d.help(format!("use one of: {}", RESOURCE_FIELDS.join(", "))),
        };
        cx.push(d);
        return None;
    }
    let mut divisor = None;
    let mut container = None;
    let mut i = 0;
    while i < options.len() {
        let word = options[i].as_word().unwrap_or("");
        let value = options
            .get(i + 1)
            .and_then(|a| a.as_text().map(|t| (t, a.span)));
        match (word, value) {
            ("divisor", Some((d, dspan))) => {
                let allowed: &[&str] = if resource.ends_with(".cpu") {
                    &["1m", "1"]
                } else {
                    &[
                        "1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi",
                        "1Ei",
                    ]
                };
                // The API server compares the divisor's canonical form: `1000m` is `1`.
                let canonical = Quantity::parse(&d).ok().and_then(|q| q.canonical_unit());
                if allowed.contains(&d.as_str()) || canonical.is_some_and(|c| allowed.contains(&c))
                {
                    divisor = Some(d);
                } else {
                    cx.push(
                        Diagnostic::error(
                            "DS0405",
                            format!("invalid divisor `{d}` for `{resource}`"),
                        )
                        .at(dspan, "unsupported divisor")
                        .help(format!("use one of: {}", allowed.join(", "))),
                    );
                }
            }
            ("container", Some((c, cspan))) => match names::dns_label(&c) {
                Ok(()) if !cx.container_names.contains(&c) => {
                    let known = cx.container_names.iter().map(String::as_str);
                    let help = match did_you_mean(&c, known) {
                        Some(n) => format!("did you mean `{n}`?"),
                        None => format!(
                            "name one of the daemonset's containers: {}",
                            cx.container_names.join(", ")
                        ),
                    };
                    cx.push(
                        Diagnostic::error("DS0405", format!("no container named `{c}`"))
                            .at(cspan, "not a container of this daemonset")
                            .help(help),
                    );
                    return None;
                }
                Ok(()) => container = Some(c),
                Err(why) => cx.push(super::args::invalid_name(cspan, "container name", &c, &why)),
            },
            _ => {
                cx.push(
                    Diagnostic::error("DS0202", "unexpected value for a resource reference")
                        .at(options[i].span, "not an option here")
                        .help("write `resource limits.memory [divisor 1Mi] [container NAME]`"),
                );
                return None;
            }
        }
        i += 2;
    }
    Some(EnvSource::Resource {
        resource: resource.to_string(),
        container,
        divisor,
    })
}
