//! The reading of a resource reference's options (`resource FIELD [divisor Q] [container C]`),
//! shared by env vars and downward-API files. The fields it may name are `api::fields`,
//! checked on the compiled object by `validate::env` and `validate::downward_api`.

use super::cx::Cx;
use crate::api::FieldPath;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{EnvSource, Origins};
use crate::source::Span;
use crate::syntax::Arg;

/// `resource FIELD [divisor Q] [container NAME]`: the resource field, its divisor and the
/// container it reads, shared by env vars and downward-API files; `(o, at)` records where each
/// was written, under the `resourceFieldRef` at `at`. The field and the divisor are the API
/// server's rules, checked on the object; that the container is one of the daemonset's is
/// known only here (`DS0405`).
pub(super) fn resource_field(
    cx: &mut Cx,
    resource: &str,
    span: Span,
    options: &[Arg],
    (o, at): (&mut Origins, &FieldPath),
) -> Option<EnvSource> {
    o.record(at.clone(), span);
    o.record(at.field("resource"), span);
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
                o.record(at.field("divisor"), dspan);
                divisor = Some(d);
            }
            ("container", Some((c, cspan))) => {
                // Which containers the daemonset has is the spec's to say: a name that is none
                // of them (well formed or not) is reported here, with the closest one.
                if !cx.container_names.contains(&c) {
                    let known = cx.container_names.iter().map(String::as_str);
                    let close = did_you_mean(&c, known).map(str::to_string);
                    let all = cx.container_names.join(", ");
                    cx.push(
                        Diagnostic::error("DS0405", format!("no container named `{c}`"))
                            .at(cspan, "not a container of this daemonset")
                            .suggest_or(
                                close.as_deref(),
                                format!("name one of the daemonset's containers: {all}"),
                            ),
                    );
                    return None;
                }
                o.record(at.field("containerName"), cspan);
                container = Some(c);
            }
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
