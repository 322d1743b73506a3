//! Scheduling (F39–F42): `tolerate`, `node-affinity` and `pod-affinity` / `pod-anti-affinity`,
//! read into the model with the span of each argument recorded at its API field path. The API
//! server's rules on them (rules 138–152: toleration values and times, weights, value counts)
//! run on the compiled object. Node selectors are plain `KEY=VALUE` maps, read by `check/pod.rs`.

use super::cx::Cx;
use super::selector::{item, Item, RequirementSpans, SelectorKind};
use crate::api::FieldPath;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{
    rel, Origins, PodAffinityRule, PodSettings, Requirement, Toleration, WeightedTerm,
};
use crate::source::Span;
use crate::syntax::{Arg, ArgKind, Statement};

const EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];

/// Required node-affinity terms are the product of the `require` statements; past this many
/// terms the spec is better written with fewer `or`s.
const MAX_TERMS: usize = 16;

/// `tolerate all[:EFFECT]` or `tolerate KEY[=VALUE][:EFFECT] [for DURATION]`.
pub fn check_tolerate(cx: &mut Cx, s: &Statement, pod: &mut PodSettings, origins: &mut Origins) {
    if !cx.arity(s, 1, 3) {
        return;
    }
    let arg = &s.args[0];
    let (key, value, rest) = match &arg.kind {
        ArgKind::Pair { key, value, .. } => {
            let text = value.as_text().unwrap_or_default();
            let (v, effect) = split_effect(&text);
            (
                key.to_string(),
                Some(v.to_string()),
                effect.map(str::to_string),
            )
        }
        _ => {
            let text = arg.as_text().unwrap_or_default();
            let (k, effect) = split_effect(&text);
            (k.to_string(), None, effect.map(str::to_string))
        }
    };
    let all = key == "all";
    if key.is_empty() {
        cx.push(
            Diagnostic::error("DS0709", "a toleration needs a key, or `all`")
                .at(arg.span, "no taint key")
                .help(format!(
                    "write `tolerate all{}` to tolerate every taint{}, or name the key: `tolerate KEY{}`",
                    effect_suffix(&rest),
                    if rest.is_some() { " with this effect" } else { "" },
                    effect_suffix(&rest),
                )),
        );
        return;
    }
    // The key's form is a rule of the API server, checked on the object at `key`'s record.
    let effect = match rest {
        None => None,
        Some(e) => {
            let found = EFFECTS
                .iter()
                .find(|x| x.eq_ignore_ascii_case(&e.replace('-', "")));
            match found {
                Some(x) => Some(*x),
                None => {
                    let mut d = Diagnostic::error("DS0407", format!("unknown taint effect `{e}`"))
                        .at(arg.span, "not a taint effect");
                    d = match did_you_mean(&e, EFFECTS.iter().copied()) {
                        Some(x) => d.suggest(x),
                        None => d.help("use `NoSchedule`, `PreferNoSchedule` or `NoExecute`, or leave the effect out to match all"),
                    };
                    cx.push(d);
                    return;
                }
            }
        }
    };
    let seconds = match &s.args[1..] {
        [] => None,
        [f, d] if f.as_word() == Some("for") => {
            let Some(secs) = cx.duration(d, "toleration time", i64::MAX) else {
                return;
            };
            Some((secs, f.span.to(d.span)))
        }
        [other, ..] => {
            cx.push(
                Diagnostic::error("DS0202", "unexpected value after the toleration")
                    .at(other.span, "expected `for DURATION`")
                    .help("write `tolerate KEY:NoExecute for 300s`"),
            );
            return;
        }
    };
    // The API server's rules on a toleration (a value under `all`, the value's form, a time
    // without `NoExecute`) run on the compiled object, at the arguments recorded here.
    let at = rel(&["spec", "template", "spec", "tolerations"]).index(pod.tolerations.len());
    origins.record(at.clone(), s.span);
    for field in ["key", "operator", "value", "effect"] {
        origins.record(at.field(field), arg.span);
    }
    if let Some((_, span)) = seconds {
        origins.record(at.field("tolerationSeconds"), span);
    }
    pod.tolerations.push(Toleration {
        key: (!all).then_some(key),
        operator: if value.is_some() { "Equal" } else { "Exists" },
        value,
        effect,
        seconds: seconds.map(|(secs, _)| secs),
    });
}

fn effect_suffix(effect: &Option<String>) -> String {
    effect.as_ref().map_or(String::new(), |e| format!(":{e}"))
}

/// `KEY:EFFECT` → (`KEY`, `EFFECT`). A taint key has no `:`, so the last one splits.
fn split_effect(text: &str) -> (&str, Option<&str>) {
    match text.rsplit_once(':') {
        Some((k, e)) => (k, Some(e)),
        None => (text, None),
    }
}

/// `node-affinity require EXPR [and EXPR] [or EXPR ...]` or `node-affinity prefer W EXPR ...`.
pub fn check_node_affinity(
    cx: &mut Cx,
    s: &Statement,
    pod: &mut PodSettings,
    origins: &mut Origins,
) {
    if !cx.arity(s, 2, usize::MAX) {
        return;
    }
    let Some(weight) = mode(cx, s) else { return };
    let start = if weight.is_some() { 2 } else { 1 };
    let mut terms: Vec<Vec<(Requirement, RequirementSpans)>> = vec![Vec::new()];
    let mut i = start;
    while i < s.args.len() {
        match s.args[i].as_word() {
            Some("and") => i += 1,
            Some("or") if weight.is_some() => {
                cx.push(
                    Diagnostic::error("DS0711", "a preference cannot have alternatives")
                        .at(s.args[i].span, "`or` in `prefer`")
                        .help("write one `node-affinity prefer WEIGHT ...` line for each alternative, each with its own weight"),
                );
                return;
            }
            Some("or") => {
                i += 1;
                terms.push(Vec::new());
            }
            _ => match item(cx, &s.args, &mut i, SelectorKind::Node) {
                Some(Item::Requirement(r, spans)) => terms
                    .last_mut()
                    .into_iter()
                    .for_each(|t| t.push((r.clone(), spans.clone()))),
                Some(Item::Label(..)) => {}
                None => return,
            },
        }
    }
    if terms.iter().any(Vec::is_empty) {
        cx.push(
            Diagnostic::error("DS0711", "an affinity term has no expression")
                .at(s.span, "empty term")
                .help("write `node-affinity require kubernetes.io/os=linux`; `and` and `or` go between expressions"),
        );
        return;
    }
    let node = rel(&["spec", "template", "spec", "affinity", "nodeAffinity"]);
    match weight {
        Some(weight) => {
            // The weight's range (1 to 100) is a rule of the API server, checked on the object.
            let preferred = node.field("preferredDuringSchedulingIgnoredDuringExecution");
            for term in terms {
                let at = preferred.index(pod.node_preferred.len());
                origins.record(at.clone(), s.span);
                origins.record(at.field("weight"), s.args[1].span);
                let (expressions, spans): (Vec<_>, Vec<_>) = term.into_iter().unzip();
                record_requirements(origins, &at.field("preference"), &spans);
                pod.node_preferred.push(WeightedTerm {
                    weight,
                    expressions,
                });
            }
        }
        None => {
            // Several `require` lines all hold: (a or b) and (c or d) = ac or ad or bc or bd.
            let required = node
                .field("requiredDuringSchedulingIgnoredDuringExecution")
                .field("nodeSelectorTerms");
            let old: Vec<Vec<(Requirement, RequirementSpans)>> = match pod.node_required.is_empty()
            {
                true => vec![Vec::new()],
                false => pod
                    .node_required
                    .iter()
                    .enumerate()
                    .map(|(t, term)| recorded(origins, &required.index(t), term, s.span))
                    .collect(),
            };
            let mut product = Vec::new();
            for old in &old {
                for new in &terms {
                    product.push(old.iter().chain(new).cloned().collect::<Vec<_>>());
                }
            }
            if product.len() > MAX_TERMS && !pod.node_required.is_empty() {
                cx.push(
                    Diagnostic::error("DS0711", format!("the `require` lines make {} alternative terms", product.len()))
                        .at(s.span, format!("at most {MAX_TERMS} are written out"))
                        .help("required lines are combined with `and`, so their `or`s multiply; put the alternatives in one line, or use a node label that covers them"),
                );
                return;
            }
            origins.record(required.parent(), s.span);
            pod.node_required = product
                .into_iter()
                .enumerate()
                .map(|(t, term)| {
                    let (expressions, spans): (Vec<_>, Vec<_>) = term.into_iter().unzip();
                    origins.record(required.index(t), s.span);
                    record_requirements(origins, &required.index(t), &spans);
                    expressions
                })
                .collect();
        }
    }
}

/// Records each requirement of a term at `term.matchExpressions[i]`.
fn record_requirements(origins: &mut Origins, term: &FieldPath, spans: &[RequirementSpans]) {
    for (i, r) in spans.iter().enumerate() {
        r.record(origins, &term.field("matchExpressions").index(i));
    }
}

/// The requirements of a term already built, with the spans recorded for them (each
/// requirement keeps its own when the terms are multiplied out).
fn recorded(
    origins: &Origins,
    term: &FieldPath,
    requirements: &[Requirement],
    fallback: Span,
) -> Vec<(Requirement, RequirementSpans)> {
    requirements
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let at = term.field("matchExpressions").index(i);
            let spans =
                RequirementSpans::read(origins, &at, r.values.len()).unwrap_or(RequirementSpans {
                    whole: fallback,
                    key: fallback,
                    operator: fallback,
                    values: fallback,
                    each: vec![fallback; r.values.len()],
                });
            (r.clone(), spans)
        })
        .collect()
}

/// `require` → `None`; `prefer WEIGHT` → the weight, a whole number; its range (rules 142,
/// 147: 1 to 100) is a rule of the API server, checked on the compiled object.
fn mode(cx: &mut Cx, s: &Statement) -> Option<Option<i32>> {
    let first = &s.args[0];
    match first.as_word() {
        Some("require") => Some(None),
        Some("prefer") => {
            let w = &s.args[1];
            match w.as_text().and_then(|t| t.parse::<i32>().ok()) {
                Some(n) => Some(Some(n)),
                None => {
                    cx.push(
                        Diagnostic::error("DS0705", format!("invalid weight `{}`", w.as_text().unwrap_or_default()))
                            .at(w.span, "not a whole number")
                            .help(format!("write `{} prefer 50 ...`: the scheduler adds the weight of each term a node matches", s.keyword)),
                    );
                    None
                }
            }
        }
        _ => {
            let text = first.as_text().unwrap_or_default();
            let mut d = Diagnostic::error(
                "DS0407",
                format!("expected `require` or `prefer`, found `{text}`"),
            )
            .at(first.span, "not `require` or `prefer`");
            d = match did_you_mean(&text, ["require", "prefer"]) {
                Some(w) => d.suggest(w),
                None => d.help(format!("write `{} require ...` for a hard rule or `{} prefer WEIGHT ...` for a soft one", s.keyword, s.keyword)),
            };
            cx.push(d);
            None
        }
    }
}

/// `pod-affinity require|prefer [WEIGHT] ITEMS [topology KEY] [namespaces [NS, ...]]`.
pub fn check_pod_affinity(
    cx: &mut Cx,
    s: &Statement,
    pod: &mut PodSettings,
    origins: &mut Origins,
) {
    if !cx.arity(s, 2, usize::MAX) {
        return;
    }
    let Some(weight) = mode(cx, s) else { return };
    let mut rule = PodAffinityRule {
        weight,
        topology_key: "kubernetes.io/hostname".into(),
        ..Default::default()
    };
    // Where this rule lands in the object, and what each of its arguments set there (recorded
    // once the rule is complete).
    let (kind, rules) = match s.keyword.as_str() {
        "pod-affinity" => ("podAffinity", &pod.pod_affinity),
        _ => ("podAntiAffinity", &pod.pod_anti_affinity),
    };
    let index = rules
        .iter()
        .filter(|r| r.weight.is_some() == weight.is_some())
        .count();
    let affinity = rel(&["spec", "template", "spec", "affinity"]).field(kind);
    let (item_at, term) = match weight {
        Some(_) => {
            let at = affinity
                .field("preferredDuringSchedulingIgnoredDuringExecution")
                .index(index);
            (at.clone(), at.field("podAffinityTerm"))
        }
        None => {
            let at = affinity
                .field("requiredDuringSchedulingIgnoredDuringExecution")
                .index(index);
            (at.clone(), at)
        }
    };
    let mut written = vec![(item_at.clone(), s.span)];
    if weight.is_some() {
        written.push((item_at.field("weight"), s.args[1].span));
    }
    let selector = term.field("labelSelector");
    let mut labels = Vec::new();
    let mut requirements = Vec::new();
    let mut i = if weight.is_some() { 2 } else { 1 };
    while i < s.args.len() {
        match s.args[i].as_word() {
            Some("and") => i += 1,
            Some("topology") => {
                let Some(key) = value_after(cx, s, i, "topology kubernetes.io/hostname") else {
                    return;
                };
                // Its form is a rule of the API server, checked on the object.
                rule.topology_key = key.as_text().unwrap_or_default();
                written.push((term.field("topologyKey"), key.span));
                i += 2;
            }
            Some("namespaces" | "namespace") => {
                let Some(list) = value_after(cx, s, i, "namespaces [monitoring, logging]") else {
                    return;
                };
                let items: Vec<&Arg> = match &list.kind {
                    ArgKind::List(items) => items.iter().collect(),
                    _ => vec![list],
                };
                for ns in items {
                    let Some(n) = cx.scalar(ns, "namespace") else {
                        return;
                    };
                    let at = term.field("namespaces").index(rule.namespaces.len());
                    written.push((at, ns.span));
                    rule.namespaces.push(n);
                }
                i += 2;
            }
            _ => match item(cx, &s.args, &mut i, SelectorKind::Pod) {
                Some(Item::Label(k, v, key_span, value_span)) => {
                    labels.push((selector.field("matchLabels").key(&k), key_span, value_span));
                    rule.match_labels.insert(k, v);
                }
                Some(Item::Requirement(r, spans)) => {
                    let at = selector
                        .field("matchExpressions")
                        .index(rule.match_expressions.len());
                    requirements.push((at, spans));
                    rule.match_expressions.push(r);
                }
                None => return,
            },
        }
    }
    if rule.match_labels.is_empty() && rule.match_expressions.is_empty() {
        cx.push(
            Diagnostic::error("DS0711", format!("`{}` selects no pods", s.keyword))
                .at(s.span, "no `KEY=VALUE` or expression")
                .help(format!("write `{} require app=NAME`", s.keyword)),
        );
        return;
    }
    for (path, span) in written {
        origins.record(path, span);
    }
    for (path, key_span, value_span) in labels {
        origins.record(path.clone(), value_span);
        origins.record_key(path, key_span);
    }
    for (path, spans) in requirements {
        spans.record(origins, &path);
    }
    if s.keyword == "pod-affinity" {
        pod.pod_affinity.push(rule);
    } else {
        pod.pod_anti_affinity.push(rule);
    }
}

fn value_after<'a>(cx: &mut Cx, s: &'a Statement, i: usize, example: &str) -> Option<&'a Arg> {
    let v = s.args.get(i + 1);
    if v.is_none() {
        let at = s.args[i].span;
        cx.push(
            Diagnostic::error(
                "DS0202",
                format!(
                    "`{}` needs a value",
                    s.args[i].as_text().unwrap_or_default()
                ),
            )
            .at(Span::new(at.end(), at.end()), "value missing here")
            .help(format!("write `{example}`")),
        );
    }
    v
}
