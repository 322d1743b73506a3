//! The pod fields and container resources that env vars and downward-API files read: the lists
//! of field paths (rules 86, 87, checked on the compiled object by `validate::env`) and
//! resource fields with their divisors and containers (rules 89, 90, 111).

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

/// `resource FIELD [divisor Q] [container NAME]`: the resource field, its divisor and the
/// container it reads (`DS0405`). Shared with downward-API volume files, whose fields are not
/// recorded for the object rules yet, so the checks stay here.
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
