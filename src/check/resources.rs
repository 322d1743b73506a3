//! Resources: `cpu`, `memory` and `resource` requests and limits (F11): the shape of the
//! statements and their quantities. The API server's rules on them (names, non-negative values,
//! requests within limits, extended resources whole and not overcommitted, hugepages in whole
//! pages, rules 93–99) run on the compiled object (`validate::resources`), at the arguments
//! recorded here.

use foldhash::HashMap;

use super::cx::Cx;
use super::devices::{MGPU_CORE, MGPU_MEMORY, NVIDIA_GPU, RDMA};
use crate::api::quantity::Quantity;
use crate::diagnostics::Diagnostic;
use crate::model::{rel, Container};
use crate::source::Span;
use crate::syntax::{Arg, ArgKind, Statement};

/// `cpu 100m..500m`, `memory 128Mi`, `resource NAME REQUEST[..LIMIT]`.
pub fn check_request_limit(cx: &mut Cx, stmt: &Statement, c: &mut Container) {
    let (name, value) = match stmt.keyword.as_str() {
        "resource" => {
            if !cx.arity(stmt, 2, 2) {
                return;
            }
            let Some(name) = cx.scalar(&stmt.args[0], "a resource name") else {
                return;
            };
            (name, &stmt.args[1])
        }
        kw => {
            if !cx.arity(stmt, 1, 1) {
                return;
            }
            (kw.to_string(), &stmt.args[0])
        }
    };
    let (request, limit) = match &value.kind {
        ArgKind::Range(bounds) => (
            bounds
                .low
                .as_ref()
                .and_then(|(t, s)| quantity(cx, &name, t, *s)),
            bounds
                .high
                .as_ref()
                .and_then(|(t, s)| quantity(cx, &name, t, *s)),
        ),
        ArgKind::Number(t) => (quantity(cx, &name, t, value.span), None),
        // A quoted quantity reads as the same quantity, as a quoted port number does.
        ArgKind::Str { value: t, .. } if Quantity::parse(t).is_ok() => {
            (quantity(cx, &name, t, value.span), None)
        }
        _ => {
            cx.push(
                Diagnostic::error(
                    "DS0410",
                    format!("expected a quantity, found {}", value.describe()),
                )
                .at(value.span, "not a quantity")
                .help(range_help(&stmt.keyword, &name, value)),
            );
            return;
        }
    };
    // The name's span for a finding about the name, the statement for one about the whole
    // `resources` block (hugepages without cpu or memory), each value's span for its own.
    let name_span = match stmt.keyword.as_str() {
        "resource" => stmt.args[0].span,
        _ => stmt.keyword_span,
    };
    let resources = rel(&["resources"]);
    let hugepages = |k: &String| k.starts_with("hugepages-");
    let first_hugepages = hugepages(&name)
        && !c
            .resources
            .requests
            .keys()
            .chain(c.resources.limits.keys())
            .any(hugepages);
    if first_hugepages || c.origins.get(&resources).is_none() {
        c.origins.record(resources.clone(), stmt.span);
    }
    for (list, amount) in [("requests", &request), ("limits", &limit)] {
        let at = resources.field(list).key(&name);
        c.origins.record_key(at.clone(), name_span);
        if let Some((q, span)) = amount {
            plausible(cx, &name, q, *span);
            c.origins.record(at, *span);
        }
    }
    if let Some((q, _)) = request {
        c.resources.requests.insert(name.clone(), q.text);
    }
    if let Some((q, _)) = limit {
        c.resources.limits.insert(name, q.text);
    }
}

/// A container sets each resource once, whichever setting names it (`cpu 1` and `resource cpu
/// 2`, `gpu 1` and `resource nvidia.com/gpu ..1`); `false` for a second time, reported.
pub fn set_once(cx: &mut Cx, s: &Statement, seen: &mut HashMap<String, Span>) -> bool {
    let (names, at) = match s.keyword.as_str() {
        "resource" => match s
            .args
            .first()
            .and_then(|a| a.as_text().map(|t| (t, a.span)))
        {
            Some((name, at)) => (vec![name], at),
            None => return true,
        },
        "gpu" => (vec![NVIDIA_GPU.to_string()], s.keyword_span),
        "rdma" => (vec![RDMA.to_string()], s.keyword_span),
        "mgpu" => (
            vec![MGPU_CORE.to_string(), MGPU_MEMORY.to_string()],
            s.keyword_span,
        ),
        kw => (vec![kw.to_string()], s.keyword_span),
    };
    if let Some((name, first)) = names
        .iter()
        .find_map(|n| seen.get(n).map(|first| (n, *first)))
    {
        cx.push(
            Diagnostic::error(
                "DS0203",
                format!("resource `{name}` is set twice in this container"),
            )
            .at(at, "set again here")
            .also(first, "first set here")
            .help("keep one of them: a resource has one request and one limit"),
        );
        return false;
    }
    for name in names {
        seen.insert(name, at);
    }
    true
}

/// The fix for a value that is not a quantity: `100m-500m` is a range written with `-`.
fn range_help(keyword: &str, name: &str, value: &Arg) -> String {
    let text = value.as_text().unwrap_or_default();
    match text.split_once('-') {
        Some((a, b)) if Quantity::parse(a).is_ok() && Quantity::parse(b).is_ok() => {
            format!("a request and a limit are written `{a}..{b}`")
        }
        _ => format!(
            "write `{keyword} REQUEST..LIMIT`, such as `{keyword} {}`",
            example(name)
        ),
    }
}

fn example(name: &str) -> &'static str {
    match name {
        "memory" => "128Mi..512Mi",
        "cpu" => "100m..500m",
        _ => "..1",
    }
}

fn quantity(cx: &mut Cx, name: &str, text: &str, span: Span) -> Option<(Quantity, Span)> {
    match Quantity::parse(text) {
        Ok(q) => Some((q, span)),
        Err(why) => {
            let fix = byte_unit_fix(name, text);
            let (label, help) = match &fix {
                Some(fix) => (
                    "units take no `b` for bytes".to_string(),
                    format!("write `{fix}`: {}", unit_meaning(name, fix)),
                ),
                None => (
                    why,
                    "quantities are a number and an optional unit: `250m`, `0.5`, `128Mi`, `1Gi`"
                        .to_string(),
                ),
            };
            let mut d = Diagnostic::error("DS0410", format!("invalid quantity `{text}`"))
                .at(span, label)
                .help(help);
            if let Some(fix) = fix {
                d = d.fix(span, fix);
            }
            cx.push(d);
            None
        }
    }
}

/// The quantity meant by a unit written with a `b` for bytes (`100mb`, `512MB`, `1gb`):
/// for memory and storage the binary unit (`100Mi`), for cpu the millicores `100m` when the
/// letter before the `b` is an `m`.
fn byte_unit_fix(name: &str, text: &str) -> Option<String> {
    let base = text.strip_suffix(['b', 'B'])?;
    let unit = base.chars().last()?;
    let number = &base[..base.len() - unit.len_utf8()];
    if number.is_empty() || Quantity::parse(number).is_err() {
        return None;
    }
    let fix = match (name, unit.to_ascii_lowercase()) {
        ("cpu", 'm') => format!("{number}m"),
        ("cpu", _) => return None,
        (_, 'k') => format!("{number}Ki"),
        (_, 'm') => format!("{number}Mi"),
        (_, 'g') => format!("{number}Gi"),
        (_, 't') => format!("{number}Ti"),
        _ => return None,
    };
    Quantity::parse(&fix).is_ok().then_some(fix)
}

fn unit_meaning(name: &str, fix: &str) -> String {
    if name == "cpu" {
        format!(
            "`m` is a thousandth of a core, so `{fix}` is {} cores",
            Quantity::parse(fix).map_or(0.0, |q| q.as_f64())
        )
    } else {
        "Kubernetes writes bytes without a `b`: `Ki`, `Mi`, `Gi` are powers of 1024 (`K`, `M`, `G` powers of 1000)".to_string()
    }
}

/// Warnings for values that are valid but almost certainly a mistake.
fn plausible(cx: &mut Cx, name: &str, q: &Quantity, span: Span) {
    let text = &q.text;
    let warn = match name {
        "memory" if text.ends_with('m') => Some((
            format!("`{text}` of memory is {} bytes", q.as_f64()),
            format!(
                "`m` means milli; for mebibytes write `{}Mi`",
                &text[..text.len() - 1]
            ),
        )),
        "memory" if !q.is_zero() && q.as_f64() < 1024.0 * 1024.0 => Some((
            format!("`{text}` of memory is less than 1 MiB"),
            format!("add a unit, such as `{text}Mi`"),
        )),
        "cpu" if q.as_f64() > 256.0 => Some((
            format!("`{text}` is {} CPU cores", q.as_f64()),
            format!("for millicores write `{text}m`"),
        )),
        _ => None,
    };
    if let Some((message, help)) = warn {
        cx.push(
            Diagnostic::warning("DS0904", format!("suspicious quantity: {message}"))
                .at(span, "likely a mistake")
                .help(help),
        );
    }
}
