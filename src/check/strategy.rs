//! The update strategy (F33–F35): `update rolling|on-delete`, `max-unavailable`, `max-surge`,
//! read into the model with each limit's span recorded at its API field path. The statements are
//! collected first and joined at the end of the daemonset; the API server's rules on the limits
//! (rules 26–28: not negative, at most 100%, exactly one of the two non-zero) run on the object.

use super::cx::Cx;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{rel, IntOrPercent, Origins, UpdateStrategy};
use crate::source::Span;
use crate::syntax::{Arg, Statement};

/// The words of `update`.
pub(super) const STRATEGIES: [&str; 2] = ["rolling", "on-delete"];

/// What the strategy statements said, with where.
#[derive(Default)]
pub struct StrategyState {
    on_delete: Option<Span>,
    rolling: Option<Span>,
    unavailable: Option<(IntOrPercent, Span)>,
    surge: Option<(IntOrPercent, Span)>,
}

/// `update rolling [max-unavailable N] [max-surge N]` or `update on-delete`.
pub fn check_update(cx: &mut Cx, s: &Statement, st: &mut StrategyState) {
    if !cx.arity(s, 1, 5) {
        return;
    }
    let kind = &s.args[0];
    let word = kind.as_text().unwrap_or_default();
    match word.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
        "rolling" | "rollingupdate" => st.rolling = Some(kind.span),
        "ondelete" => st.on_delete = Some(kind.span),
        "recreate" => {
            cx.push(
                Diagnostic::error("DS0701", "a daemonset cannot be updated by `recreate`")
                    .at(kind.span, "Kubernetes has no `Recreate` strategy for daemonsets")
                    .help("use `update rolling max-unavailable 100%` to replace every pod at once, or `update on-delete` to replace each pod only when you delete it"),
            );
            return;
        }
        _ => {
            let mut d = Diagnostic::error("DS0701", format!("unknown update strategy `{word}`"))
                .at(kind.span, "not `rolling` or `on-delete`");
            d = match did_you_mean(&word, STRATEGIES) {
                Some(w) => d.suggest(w),
                None => d.help("write `update rolling [max-unavailable N|N%] [max-surge N|N%]` or `update on-delete`"),
            };
            cx.push(d);
            return;
        }
    }
    let mut rest = s.args[1..].iter();
    while let Some(opt) = rest.next() {
        let name = opt.as_word().unwrap_or_default();
        if !matches!(name, "max-unavailable" | "max-surge") {
            cx.push(
                Diagnostic::error(
                    "DS0202",
                    format!(
                        "unexpected `{}` in `update`",
                        opt.as_text().unwrap_or_default()
                    ),
                )
                .at(opt.span, "expected `max-unavailable` or `max-surge`")
                .suggest_or(
                    did_you_mean(name, ["max-unavailable", "max-surge"]),
                    "write `update rolling max-unavailable 10%`",
                ),
            );
            return;
        }
        let Some(value) = rest.next() else {
            cx.push(
                Diagnostic::error("DS0202", format!("`{name}` needs a value"))
                    .at(
                        Span::new(opt.span.end(), opt.span.end()),
                        "value missing here",
                    )
                    .help(format!("write `{name} 1` or `{name} 10%`")),
            );
            return;
        };
        limit(cx, name, opt.span, value, st);
    }
}

/// `max-unavailable N|N%` or `max-surge N|N%` on its own line: implies a rolling update.
pub fn check_limit(cx: &mut Cx, s: &Statement, st: &mut StrategyState) {
    if cx.arity(s, 1, 1) {
        limit(cx, &s.keyword, s.keyword_span, &s.args[0], st);
    }
}

fn limit(cx: &mut Cx, name: &str, name_span: Span, value: &Arg, st: &mut StrategyState) {
    let Some(v) = int_or_percent(cx, name, value) else {
        return;
    };
    let slot = if name == "max-surge" {
        &mut st.surge
    } else {
        &mut st.unavailable
    };
    if let Some((_, first)) = slot {
        cx.push(
            Diagnostic::error("DS0203", format!("`{name}` is set twice"))
                .at(name_span, "set again here")
                .also(*first, "first set here")
                .help("keep one of them"),
        );
        return;
    }
    *slot = Some((v, value.span));
}

/// A whole number such as `1`, or a percentage such as `10%`, as written. Its range (rules 26
/// and 27: not negative, at most 100%) is a rule of the API server, checked on the object.
fn int_or_percent(cx: &mut Cx, name: &str, arg: &Arg) -> Option<IntOrPercent> {
    let text = arg.as_text().unwrap_or_default();
    let (number, percent) = match text.strip_suffix('%') {
        Some(d) => (d, true),
        None => (text.as_str(), false),
    };
    let digits = number.strip_prefix('-').unwrap_or(number);
    let parsed = if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        None
    } else {
        number.parse::<i32>().ok()
    };
    match parsed {
        Some(n) if percent => Some(IntOrPercent::Percent(n)),
        Some(n) => Some(IntOrPercent::Int(n)),
        None => {
            cx.push(
                Diagnostic::error("DS0702", format!("invalid {name} `{text}`"))
                    .at(arg.span, "must be a whole number such as `1`, or a percentage such as `10%`")
                    .help(if name == "max-surge" {
                    "write `max-surge 1` to start one new pod before its old one stops, or a percentage such as `10%` (rounded down)".to_string()
                } else {
                    "write `max-unavailable 1` for one node at a time, or a percentage such as `10%` (rounded down)".to_string()
                }),
            );
            None
        }
    }
}

/// The strategy, once every statement has been read (rules 25 and 29), with where its limits
/// were written.
pub fn finish(cx: &mut Cx, st: &StrategyState, origins: &mut Origins) -> Option<UpdateStrategy> {
    // Rule 25: the API server takes limits with OnDelete and ignores them; dsc writes them as
    // given, and none of the rolling-update rules apply.
    if let Some(on_delete) = st.on_delete {
        for (_, at) in [st.unavailable, st.surge].into_iter().flatten() {
            cx.push(
                Diagnostic::warning("DS0914", "`on-delete` ignores rolling-update limits")
                    .at(at, "only used by rolling updates")
                    .also(on_delete, "the strategy is on-delete")
                    .help("remove the limit, use `update rolling` to have the controller replace pods, or `allow on-delete-limits`"),
            );
        }
        return Some(UpdateStrategy::OnDelete {
            max_unavailable: st.unavailable.map(|(v, _)| v),
            max_surge: st.surge.map(|(v, _)| v),
        });
    }
    let unavailable = st.unavailable.map(|(v, _)| v);
    let surge = st.surge.map(|(v, _)| v);
    if st.rolling.is_none() && unavailable.is_none() && surge.is_none() {
        return None;
    }
    // Rule 29: with a non-zero surge, unavailable must be written as 0, or it defaults to 1.
    // The rules on the pair (rule 28: not both zero, not both non-zero) are the API server's,
    // checked on the object at the values recorded here.
    let rolling = rel(&["spec", "updateStrategy", "rollingUpdate"]);
    for (field, slot) in [("maxUnavailable", st.unavailable), ("maxSurge", st.surge)] {
        if let Some((_, at)) = slot {
            origins.record(rolling.field(field), at);
        }
    }
    match (unavailable, surge) {
        (None, Some(s)) if !s.is_zero() => Some(UpdateStrategy::Rolling {
            max_unavailable: Some(IntOrPercent::Int(0)),
            max_surge: surge,
        }),
        _ => Some(UpdateStrategy::Rolling {
            max_unavailable: unavailable,
            max_surge: surge,
        }),
    }
}
