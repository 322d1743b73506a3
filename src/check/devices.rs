//! The VKE devices of a container, `gpu`, `mgpu` and `rdma` (F12–F15), with the console's
//! and the mGPU admission rules (the workload-wide rule of one GPU kind is in `vke.rs`).

use super::cx::Cx;
use crate::api::quantity::Quantity;
use crate::diagnostics::Diagnostic;
use crate::model::Resources;
use crate::source::Span;
use crate::syntax::{Arg, Statement};

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
    /// The first mGPU share written as a plain `resource`, checked once the container is read.
    pub mgpu_resource: Option<Span>,
}

impl DeviceFacts {
    /// A device written as `resource NAME ...` counts for the workload-wide rules as well.
    pub fn record_resource(&mut self, name: &str, at: Span) {
        let slot = match name {
            NVIDIA_GPU => &mut self.nvidia,
            MGPU_CORE | MGPU_MEMORY => {
                self.mgpu_resource.get_or_insert(at);
                &mut self.mgpu
            }
            RDMA => &mut self.rdma,
            _ => return,
        };
        slot.get_or_insert(at);
    }
}

/// VKE's mGPU rules for a share written as plain resources (`resource
/// vke.volcengine.com/mgpu-core ..30`), on the container's resulting limits.
pub fn check_mgpu_resources(cx: &mut Cx, resources: &Resources, facts: &DeviceFacts) {
    let Some(at) = facts.mgpu_resource else {
        return;
    };
    let value = |name| {
        let q = Quantity::parse(resources.limits.get(name)?).ok()?;
        q.as_integer()
    };
    let (core, memory) = (value(MGPU_CORE), value(MGPU_MEMORY));
    let why = match (core, memory) {
        (None, Some(_)) => Some("a memory share needs a compute share, `mgpu-core`"),
        (Some(c), _) if c > 100 && c % 100 != 0 => {
            Some("compute above 100 must be whole cards: 200, 300, ...")
        }
        (Some(c), Some(_)) if c % 100 == 0 => Some("whole cards take no memory share"),
        (Some(c), m) if c % 100 != 0 && m.is_none_or(|m| m < 256) => {
            Some("a share below a whole card needs at least 256 MiB of memory")
        }
        _ => None,
    };
    if let Some(why) = why {
        cx.push(
            Diagnostic::error("DS0804", format!("the mGPU resources break VKE's rules: {why}"))
                .at(at, "mGPU written as a plain resource")
                .help("write the share with `mgpu core PERCENT [memory MIB]`, such as `mgpu core 30 memory 4096`"),
        );
    }
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
        let count = whole(cx, &stmt.args[0], "a number of devices", 0);
        // A limit of 0 is valid for the API server; it asks for nothing.
        if count == Some(0) {
            cx.push(
                Diagnostic::warning("DS0920", format!("`{kw} 0` asks for no device"))
                    .at(stmt.args[0].span, "zero devices")
                    .help(format!(
                        "the container gets no device: write `{kw} 1`, remove the line, or `allow zero-devices`"
                    )),
            );
        }
        (count, &stmt.args[1..])
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
                    Some(s) => d.suggest(s),
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
