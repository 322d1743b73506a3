//! Resources: `cpu`, `memory` and `resource` requests and limits (F11), with the quantity
//! rules of the API server: names, non-negative values, requests within limits, extended
//! resources whole and not overcommitted, hugepages in whole pages (rules 93–99).

use std::collections::HashMap;

use super::devices::{MGPU_CORE, MGPU_MEMORY, NVIDIA_GPU, RDMA};
use super::quantity::Quantity;
use super::Cx;
use crate::diagnostics::Diagnostic;
use crate::model::Resources;
use crate::source::Span;
use crate::syntax::{Arg, ArgKind, Statement};
/// `cpu 100m..500m`, `memory 128Mi`, `resource NAME REQUEST[..LIMIT]`.
pub fn check_request_limit(cx: &mut Cx, stmt: &Statement, resources: &mut Resources) {
    let (name, value) = match stmt.keyword.as_str() {
        "resource" => {
            if !cx.arity(stmt, 2, 2) {
                return;
            }
            let Some(name) = cx.scalar(&stmt.args[0], "a resource name") else {
                return;
            };
            if let Err(why) = resource_name(&name) {
                cx.push(
                    Diagnostic::error("DS0413", format!("invalid resource name `{name}`"))
                        .at(stmt.args[0].span, why)
                        .help("use `cpu`, `memory`, `ephemeral-storage`, `hugepages-2Mi`, or an extended resource such as `example.com/device`"),
                );
                return;
            }
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
            bounds.low.as_ref().and_then(|(t, s)| quantity(cx, t, *s)),
            bounds.high.as_ref().and_then(|(t, s)| quantity(cx, t, *s)),
        ),
        ArgKind::Number(t) => (quantity(cx, t, value.span), None),
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
    let overcommit = overcommit_allowed(&name);
    let page = hugepage_size(&name);
    for (q, span) in [&request, &limit].into_iter().flatten() {
        plausible(cx, &name, q, *span);
        if let Some(page) = &page {
            whole_pages(cx, &name, page, q, *span);
        } else if !overcommit && !q.is_integer() {
            cx.push(
                Diagnostic::error("DS0412", format!("`{name}` must be a whole number"))
                    .at(*span, format!("`{q}` is not a whole number"))
                    .help("extended resources are counted in whole units, such as `1`"),
            );
        }
    }
    if let (Some((rq, rs)), Some((lq, ls))) = (&request, &limit) {
        if overcommit && rq > lq {
            cx.push(
                Diagnostic::error("DS0411", format!("the {name} request is above its limit"))
                    .at(*rs, format!("request `{rq}`"))
                    .also(*ls, format!("limit `{lq}`"))
                    .help("the request must be less than or equal to the limit; swap them or raise the limit"),
            );
        } else if !overcommit && rq.partial_cmp(lq) != Some(std::cmp::Ordering::Equal) {
            cx.push(
                Diagnostic::error("DS0412", format!("the {name} request must equal its limit"))
                    .at(*rs, format!("request `{rq}`"))
                    .also(*ls, format!("limit `{lq}`"))
                    .help(format!(
                        "`{name}` cannot be overcommitted: give one value, as `{} ..{lq}`",
                        stmt.keyword
                    )),
            );
        }
    }
    if !overcommit && request.is_some() && limit.is_none() {
        cx.push(
            Diagnostic::error("DS0412", format!("`{name}` needs a limit"))
                .at(value.span, "only a request is given")
                .help("extended resources are set by their limit: write `..COUNT`"),
        );
    }
    if let Some((q, _)) = request {
        resources.requests.insert(name.clone(), q.text);
    }
    if let Some((q, _)) = limit {
        resources.limits.insert(name, q.text);
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

fn quantity(cx: &mut Cx, text: &str, span: Span) -> Option<(Quantity, Span)> {
    match Quantity::parse(text) {
        Ok(q) if q.is_negative() => {
            cx.push(
                Diagnostic::error("DS0410", "a resource quantity cannot be negative")
                    .at(span, "negative")
                    .help("remove the `-`"),
            );
            None
        }
        Ok(q) => Some((q, span)),
        Err(why) => {
            cx.push(
                Diagnostic::error("DS0410", format!("invalid quantity `{text}`"))
                    .at(span, why)
                    .help("quantities are a number and an optional unit: `250m`, `0.5`, `128Mi`, `1Gi`"),
            );
            None
        }
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

/// Native resources (unprefixed, or under a `kubernetes.io/` prefix) may be overcommitted,
/// except hugepages; every other resource is an extended one: whole numbers, requests equal to
/// limits (`IsOvercommitAllowed`, rules 95–98).
fn overcommit_allowed(name: &str) -> bool {
    (!name.contains('/') || name.contains("kubernetes.io/")) && !name.starts_with("hugepages-")
}

/// The page size of a `hugepages-SIZE` resource, when it is a positive whole number of bytes.
fn hugepage_size(name: &str) -> Option<Quantity> {
    let page = Quantity::parse(name.strip_prefix("hugepages-")?).ok()?;
    (page.is_integer() && page.ceil_units() > 0).then_some(page)
}

/// Rule 99: a hugepages quantity is a whole number of pages.
fn whole_pages(cx: &mut Cx, name: &str, page: &Quantity, q: &Quantity, span: Span) {
    let (value, size) = (q.ceil_units(), page.ceil_units());
    if value % size == 0 {
        return;
    }
    let pages = value / size + 1;
    // `2Mi` → `N * 2` followed by `Mi`, so the fix is written in the page size's own unit.
    let digits = page.text.len()
        - page
            .text
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let help = match page.text[..digits].parse::<i128>() {
        Ok(n) => format!(
            "give whole pages of {}: `{}{}` is {pages} pages",
            page.text,
            pages * n,
            &page.text[digits..]
        ),
        Err(_) => format!("give a multiple of the page size, {}", page.text),
    };
    cx.push(
        Diagnostic::error(
            "DS0414",
            format!("`{q}` of {name} is not a whole number of pages"),
        )
        .at(span, format!("not a multiple of {}", page.text))
        .help(help),
    );
}

/// Rule 99: a container with hugepages also sets cpu or memory (requests or limits).
pub fn check_hugepages_need_cpu_or_memory(cx: &mut Cx, resources: &Resources, at: Option<Span>) {
    let Some(at) = at else { return };
    let all = || resources.requests.keys().chain(resources.limits.keys());
    if all().any(|k| k.starts_with("hugepages-")) && !all().any(|k| k == "cpu" || k == "memory") {
        cx.push(
            Diagnostic::error("DS0414", "hugepages need cpu or memory in the same container")
                .at(at, "hugepages without cpu or memory")
                .help("add `memory REQUEST..LIMIT` (or `cpu ...`): the API server rejects hugepages alone"),
        );
    }
}

/// Resource names the API server accepts in a container (rule 93).
fn resource_name(name: &str) -> Result<(), String> {
    if matches!(name, "cpu" | "memory" | "ephemeral-storage") {
        return Ok(());
    }
    if let Some(size) = name.strip_prefix("hugepages-") {
        return match hugepage_size(name) {
            Some(_) => Ok(()),
            None => Err(format!(
                "`{size}` is not a page size, such as `2Mi` or `1Gi`"
            )),
        };
    }
    if !name.contains('/') {
        return Err(
            "an unprefixed name must be `cpu`, `memory`, `ephemeral-storage` or `hugepages-SIZE`"
                .into(),
        );
    }
    if name.starts_with("requests.") {
        return Err("must not start with `requests.`".into());
    }
    super::names::qualified_name(name)?;
    // Quotas name it `requests.NAME`, which must be a qualified name too (IsExtendedResourceName).
    if !overcommit_allowed(name)
        && super::names::qualified_name(&format!("requests.{name}")).is_err()
    {
        return Err("the prefix is too long to be named in a quota as `requests.NAME`".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_resources_may_be_overcommitted() {
        assert!(overcommit_allowed("cpu"));
        assert!(overcommit_allowed("example.kubernetes.io/widget"));
        assert!(!overcommit_allowed("hugepages-2Mi"));
        assert!(!overcommit_allowed("nvidia.com/gpu"));
    }

    #[test]
    fn resource_names() {
        assert!(resource_name("hugepages-2Mi").is_ok());
        assert!(resource_name("hugepages-0").is_err());
        assert!(resource_name("hugepages-1500m").is_err());
        assert!(resource_name("example.com/fpga").is_ok());
        assert!(resource_name("fpga").is_err());
        let long_prefix = format!("{}.com/x", "a".repeat(242));
        assert!(super::super::names::qualified_name(&long_prefix).is_ok());
        assert!(resource_name(&long_prefix).is_err());
    }
}
