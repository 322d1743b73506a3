//! Resources: `cpu`, `memory`, `resource` requests and limits, and the VKE devices `gpu`,
//! `mgpu` and `rdma` (F11–F15), with the quantity rules of the API server and the console.

use super::container::ContainerFacts;
use super::quantity::Quantity;
use super::Cx;
use crate::diagnostics::Diagnostic;
use crate::model::Resources;
use crate::source::Span;
use crate::syntax::{Arg, ArgKind, Statement};

pub const NVIDIA_GPU: &str = "nvidia.com/gpu";
pub const MGPU_CORE: &str = "vke.volcengine.com/mgpu-core";
pub const MGPU_MEMORY: &str = "vke.volcengine.com/mgpu-memory";
pub const RDMA: &str = "vke.volcengine.com/rdma";

/// Which VKE devices a container asks for, with where, for the workload-wide rules (F15).
#[derive(Clone, Debug, Default)]
pub struct DeviceFacts {
    pub nvidia: Option<Span>,
    pub mgpu: Option<Span>,
    pub rdma: Option<Span>,
    pub card_type: Option<(String, Span)>,
}

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
        ArgKind::Range { low, high } => (
            low.as_ref().and_then(|(t, s)| quantity(cx, t, *s)),
            high.as_ref().and_then(|(t, s)| quantity(cx, t, *s)),
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
    let overcommit = matches!(name.as_str(), "cpu" | "memory" | "ephemeral-storage");
    for (q, span) in [&request, &limit].into_iter().flatten() {
        plausible(cx, &name, q, *span);
        if !overcommit && !q.is_integer() && !name.starts_with("hugepages-") {
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

/// Resource names the API server accepts in a container (rule 93).
fn resource_name(name: &str) -> Result<(), String> {
    if matches!(name, "cpu" | "memory" | "ephemeral-storage") {
        return Ok(());
    }
    if let Some(size) = name.strip_prefix("hugepages-") {
        return Quantity::parse(size)
            .map(|_| ())
            .map_err(|_| format!("`{size}` is not a page size"));
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
    super::names::qualified_name(name)
}

/// `gpu COUNT [type CARD]`, `mgpu core PERCENT [memory MiB] [type CARD]`, `rdma COUNT`.
pub fn check_device(
    cx: &mut Cx,
    stmt: &Statement,
    resources: &mut Resources,
    facts: &mut DeviceFacts,
) {
    let kw = stmt.keyword.as_str();
    let mut options = Options::default();
    let positional = match kw {
        "mgpu" => 0,
        _ => 1,
    };
    if !cx.arity(stmt, positional.max(1), usize::MAX) {
        return;
    }
    let (count, rest) = if positional == 1 {
        (
            whole(cx, &stmt.args[0], "a number of devices", 1),
            &stmt.args[1..],
        )
    } else {
        (None, &stmt.args[..])
    };
    let allowed: &[&str] = match kw {
        "gpu" => &["type"],
        "mgpu" => &["core", "memory", "type"],
        _ => &[],
    };
    options.read(cx, kw, rest, allowed);
    if let Some((card, span)) = options
        .get("type")
        .and_then(|a| cx.scalar(a, "a card type").map(|c| (c, a.span)))
    {
        facts.card_type = Some((card, span));
    }
    match kw {
        "gpu" => {
            if let Some(n) = count {
                resources.limits.insert(NVIDIA_GPU.into(), n.to_string());
                facts.nvidia = Some(stmt.span);
            }
        }
        "rdma" => {
            if let Some(n) = count {
                resources.limits.insert(RDMA.into(), n.to_string());
                facts.rdma = Some(stmt.span);
            }
        }
        _ => check_mgpu(cx, stmt, &options, resources, facts),
    }
}

/// The mGPU admission rules of `vke-keys.md` 1.2.
fn check_mgpu(
    cx: &mut Cx,
    stmt: &Statement,
    options: &Options,
    resources: &mut Resources,
    facts: &mut DeviceFacts,
) {
    let Some(core_arg) = options.get("core") else {
        cx.push(
            Diagnostic::error("DS0202", "`mgpu` needs `core PERCENT`")
                .at(stmt.keyword_span, "no compute share given")
                .help("write `mgpu core 30 memory 4Gi`: 30% of one card and 4 GiB of its memory"),
        );
        return;
    };
    let Some(core) = whole(cx, core_arg, "a percentage of one card", 1) else {
        return;
    };
    let memory = options.get("memory").and_then(|a| {
        let text = cx.scalar(a, "an amount of GPU memory")?;
        // A bare number is MiB, as on the console; a quantity is converted to MiB.
        let mib = match text.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => Quantity::parse(&text).ok().and_then(|q| {
                let bytes = q.as_integer()?;
                (bytes % (1024 * 1024) == 0).then_some(bytes / (1024 * 1024))
            }),
        };
        match mib {
            Some(m) if m > 0 => Some((m, a.span)),
            _ => {
                cx.push(
                    Diagnostic::error("DS0804", format!("invalid mGPU memory `{text}`"))
                        .at(a.span, "not a whole number of MiB")
                        .help("give MiB as a number (`4096`) or a binary quantity (`4Gi`)"),
                );
                None
            }
        }
    });
    let whole_cards = core % 100 == 0;
    if core > 100 && !whole_cards {
        cx.push(
            Diagnostic::error(
                "DS0804",
                format!("mGPU compute `{core}` is more than one card but not whole cards"),
            )
            .at(core_arg.span, "above 100 must be a multiple of 100")
            .help("use at most 100 (one card), or whole cards: 200, 300, ..."),
        );
    }
    match (whole_cards, memory) {
        (true, Some((_, span))) => cx.push(
            Diagnostic::error("DS0804", "whole mGPU cards take no memory share")
                .at(span, "memory given for whole cards")
                .help("remove `memory`: a whole card comes with all its memory"),
        ),
        (false, None) => cx.push(
            Diagnostic::error("DS0804", "a shared mGPU needs a memory share")
                .at(stmt.span, "no `memory` given")
                .help("add `memory 4Gi` (at least 256 MiB)"),
        ),
        (false, Some((m, span))) if m < 256 => cx.push(
            Diagnostic::error(
                "DS0804",
                format!("mGPU memory `{m}` MiB is below the minimum"),
            )
            .at(span, "at least 256 MiB")
            .help("give at least `memory 256`"),
        ),
        _ => {}
    }
    for map in [&mut resources.requests, &mut resources.limits] {
        map.insert(MGPU_CORE.into(), core.to_string());
        if let Some((m, _)) = memory {
            map.insert(MGPU_MEMORY.into(), m.to_string());
        }
    }
    facts.mgpu = Some(stmt.span);
}

/// A whole number of at least `min`.
fn whole(cx: &mut Cx, arg: &Arg, what: &str, min: i64) -> Option<i64> {
    let text = arg.as_text().unwrap_or_default();
    match text.parse::<i64>() {
        Ok(n) if n >= min => Some(n),
        _ => {
            cx.push(
                Diagnostic::error(
                    "DS0412",
                    format!("expected {what}, a whole number of at least {min}"),
                )
                .at(
                    arg.span,
                    format!("`{text}` is not a whole number of at least {min}"),
                )
                .help("devices are counted in whole units"),
            );
            None
        }
    }
}

/// `name value` option pairs after the positional arguments.
#[derive(Default)]
struct Options<'a> {
    values: Vec<(&'a str, &'a Arg)>,
}

impl<'a> Options<'a> {
    fn read(&mut self, cx: &mut Cx, kw: &str, args: &'a [Arg], allowed: &[&str]) {
        let mut i = 0;
        while i < args.len() {
            let name = args[i].as_word().unwrap_or("");
            if !allowed.contains(&name) {
                let mut d = Diagnostic::error("DS0202", format!("unexpected value for `{kw}`"))
                    .at(args[i].span, "not an option here");
                d = match crate::diagnostics::did_you_mean(name, allowed.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None if allowed.is_empty() => d.help(format!("`{kw}` takes only a count")),
                    None => d.help(format!("options of `{kw}`: {}", allowed.join(", "))),
                };
                cx.push(d);
                i += 1;
                continue;
            }
            match args.get(i + 1) {
                Some(v) => self.values.push((name, v)),
                None => cx.push(
                    Diagnostic::error("DS0202", format!("`{name}` needs a value"))
                        .at(args[i].span, "value missing")
                        .help(format!("write `{name} VALUE`")),
                ),
            }
            i += 2;
        }
    }

    fn get(&self, name: &str) -> Option<&'a Arg> {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, a)| *a)
    }
}

/// One workload uses one kind of GPU, RDMA never with mGPU, and one card type (F15).
pub fn check_gpu_kinds(cx: &mut Cx, containers: &[ContainerFacts], gpu_type: &mut Option<String>) {
    let first = |f: fn(&DeviceFacts) -> Option<Span>| containers.iter().find_map(|c| f(&c.devices));
    let nvidia = first(|d| d.nvidia);
    let mgpu = first(|d| d.mgpu);
    let rdma = first(|d| d.rdma);
    if let (Some(n), Some(m)) = (nvidia, mgpu) {
        cx.push(
            Diagnostic::error(
                "DS0801",
                "a workload uses one kind of GPU: whole NVIDIA GPUs or mGPU, not both",
            )
            .at(m, "mGPU here")
            .also(n, "NVIDIA GPU here")
            .help("use `gpu COUNT` in every container, or `mgpu ...` in every container"),
        );
    }
    if let (Some(r), Some(m)) = (rdma, mgpu) {
        cx.push(
            Diagnostic::error("DS0802", "RDMA devices cannot be combined with mGPU")
                .at(r, "RDMA here")
                .also(m, "mGPU here")
                .help("use whole GPUs (`gpu COUNT`) with RDMA, or drop `rdma`"),
        );
    }
    let mut chosen: Option<(&str, Span)> = None;
    for c in containers {
        if let Some((t, span)) = &c.devices.card_type {
            match chosen {
                Some((first, first_span)) if first != t => cx.push(
                    Diagnostic::error("DS0803", format!("GPU card types differ: `{first}` and `{t}`"))
                        .at(*span, "another card type")
                        .also(first_span, "first card type")
                        .help("the pods of a daemonset land on nodes of one card type; use the same type everywhere"),
                ),
                Some(_) => {}
                None => chosen = Some((t, *span)),
            }
        }
    }
    *gpu_type = chosen.map(|(t, _)| t.to_string());
}
