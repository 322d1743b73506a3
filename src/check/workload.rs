//! A `daemonset` block → [`DaemonSetModel`]: name, namespace, metadata, selector, pull secrets,
//! volumes and time zone, and the workload-wide rules across its containers (unique names, one
//! kind of GPU, mounts resolved to volumes).

use foldhash::{HashMap, HashMapExt};

use super::container::check_container;
use super::cx::Cx;
use super::keywords::WORKLOAD;
use super::pod::{check_pod_setting, PodState};
use super::storage::{check_timezone, resolve};
use super::vke::check_gpu_kinds;
use super::volumes::check_volume;
use crate::api::names;
use crate::api::FieldPath;
use crate::diagnostics::Diagnostic;
use crate::model::{rel, DaemonSetModel, Labels, Origins};
use crate::source::Span;
use crate::syntax::Statement;

/// Checks one `daemonset NAME [in NAMESPACE] { ... }`; returns the model and the name's span.
pub fn check_daemonset(cx: &mut Cx, stmt: &Statement) -> Option<(DaemonSetModel, Span)> {
    let mut ds = DaemonSetModel {
        namespace: "default".into(),
        // The head (`daemonset NAME in NAMESPACE`), not the block: findings point at one line.
        span: Span::new(
            stmt.keyword_span.start(),
            stmt.args
                .last()
                .map_or(stmt.keyword_span.end(), |a| a.span.end()),
        ),
        ..Default::default()
    };
    let name_arg = stmt.args.first();
    let name_span = name_arg.map_or(stmt.keyword_span, |a| a.span);
    match name_arg {
        None => {
            cx.arity(stmt, 1, 3);
        }
        // The name's and the namespace's formats are rules of the API server, checked on the
        // object at these records.
        Some(arg) => {
            ds.name = cx.scalar(arg, "daemonset name").unwrap_or_default();
            ds.origins.record(rel(&["metadata", "name"]), arg.span);
        }
    }
    let mut namespace_span = None;
    match &stmt.args.get(1..).unwrap_or_default() {
        [] => {}
        [kw, ns] if kw.as_word() == Some("in") => {
            if let Some(n) = cx.scalar(ns, "namespace") {
                ds.namespace = n;
                namespace_span = Some(ns.span);
                ds.origins.record(rel(&["metadata", "namespace"]), ns.span);
            }
        }
        [first, ..] => cx.push(
            Diagnostic::error("DS0202", "unexpected value after the daemonset name")
                .at(
                    first.span.to(stmt.args[stmt.args.len() - 1].span),
                    "expected `in NAMESPACE` or `{`",
                )
                .help(
                    match (first.as_word(), stmt.args.get(2).and_then(|a| a.as_text())) {
                        (Some("namespace" | "ns" | "-n"), Some(ns)) => {
                            format!("write `daemonset {} in {ns} {{ ... }}`", ds.name)
                        }
                        _ => "write `daemonset NAME in NAMESPACE { ... }`".to_string(),
                    },
                ),
        ),
    }
    let Some(block) = &stmt.block else {
        cx.push(
            Diagnostic::error("DS0205", "`daemonset` needs a block")
                .at(stmt.span, "no `{ ... }` after the name")
                .help("write `daemonset NAME in NAMESPACE { container NAME { image IMAGE } }`"),
        );
        return None;
    };

    cx.container_names = block
        .statements
        .iter()
        .filter(|s| matches!(s.keyword.as_str(), "container" | "init"))
        .filter_map(|s| s.args.first().and_then(|a| a.as_text()))
        .collect();
    let mut once = HashMap::new();
    let mut spans: [HashMap<String, Span>; 5] = Default::default();
    let mut containers = Vec::new();
    let mut volumes = Vec::new();
    let mut timezone = None;
    let mut pod_state = PodState::default();
    for s in &block.statements {
        match s.keyword.as_str() {
            "namespace" => {
                cx.no_block(s);
                if cx.once(&mut once, s) && cx.arity(s, 1, 1) {
                    if let Some(first) = namespace_span {
                        cx.push(
                            Diagnostic::error("DS0203", "the namespace is given twice")
                                .at(s.keyword_span, "given again here")
                                .also(first, "first given here")
                                .help(
                                    "keep `in NAMESPACE` on the daemonset line, or this statement",
                                ),
                        );
                    } else if let Some(n) = cx.scalar(&s.args[0], "namespace") {
                        ds.namespace = n;
                        ds.origins
                            .record(rel(&["metadata", "namespace"]), s.args[0].span);
                    }
                }
            }
            "labels" => map(
                cx,
                s,
                &mut ds.labels,
                &mut spans[0],
                // Onto the pods and into the default selector: see `selector`.
                (&mut ds.origins, &[rel(&["metadata", "labels"])]),
            ),
            // Shares the spans of `labels`: a key in both is given twice.
            "daemonset-labels" => map(
                cx,
                s,
                &mut ds.daemonset_labels,
                &mut spans[0],
                (&mut ds.origins, &[rel(&["metadata", "labels"])]),
            ),
            "annotations" => map(
                cx,
                s,
                &mut ds.annotations,
                &mut spans[1],
                (&mut ds.origins, &[rel(&["metadata", "annotations"])]),
            ),
            "selector" => map(
                cx,
                s,
                &mut ds.selector,
                &mut spans[2],
                (
                    &mut ds.origins,
                    &[rel(&["spec", "selector", "matchLabels"])],
                ),
            ),
            "pod-labels" => map(
                cx,
                s,
                &mut ds.pod_labels,
                &mut spans[3],
                (
                    &mut ds.origins,
                    &[rel(&["spec", "template", "metadata", "labels"])],
                ),
            ),
            "pod-annotations" => map(
                cx,
                s,
                &mut ds.pod_annotations,
                &mut spans[4],
                (
                    &mut ds.origins,
                    &[rel(&["spec", "template", "metadata", "annotations"])],
                ),
            ),
            "pull-secret" => {
                cx.no_block(s);
                if cx.arity(s, 1, usize::MAX) {
                    for arg in &s.args {
                        if let Some(n) = cx.object_name(arg, "image pull secret name", false) {
                            let at = rel(&["spec", "template", "spec", "imagePullSecrets"])
                                .index(ds.pull_secrets.len());
                            ds.origins.record(at.field("name"), arg.span);
                            ds.origins.record(at, arg.span);
                            ds.pull_secrets.push(n);
                        }
                    }
                }
            }
            "container" | "init" => {
                if let Some(c) = check_container(cx, s) {
                    containers.push(c);
                }
            }
            "volume" => volumes.extend(check_volume(cx, s)),
            "timezone" => {
                if cx.once(&mut once, s) {
                    timezone = check_timezone(cx, s);
                }
            }
            _ if check_pod_setting(cx, s, &mut ds, &mut pod_state) => {}
            _ => cx.unknown_keyword(s, WORKLOAD, "in a daemonset"),
        }
    }

    check_gpu_kinds(cx, &containers, &mut ds.gpu_type);
    resolve(cx, &mut ds, volumes, &mut containers, timezone);
    super::pod::finish(cx, &mut ds, &mut containers, &pod_state);
    if !containers.iter().any(|c| !c.init) {
        cx.push(
            Diagnostic::error(
                "DS0204",
                format!("daemonset `{}` has no container", ds.name),
            )
            .at(name_span, "no `container` block in this daemonset")
            .help("add `container NAME { image IMAGE }` inside the block"),
        );
    }
    for c in containers {
        if c.init {
            ds.init_containers.push(c.container);
        } else {
            ds.containers.push(c.container);
        }
    }
    selector(cx, &mut ds, name_span);
    super::container_settings::check_stop_signals(cx, &ds);
    super::replaced::check_replaced(cx, &ds, stmt);
    Some((ds, name_span))
}

fn map(
    cx: &mut Cx,
    s: &Statement,
    into: &mut Labels,
    spans: &mut HashMap<String, Span>,
    origins: (&mut Origins, &[FieldPath]),
) {
    cx.no_block(s);
    cx.key_values(s, into, spans, origins);
}

/// A label value (at most 63 characters) from a longer name, cut at a word boundary.
fn short_label(name: &str) -> String {
    let head = name.get(..63).unwrap_or(name);
    let cut = head
        .rfind(['-', '.'])
        .filter(|i| *i > 0)
        .unwrap_or(head.len());
    head[..cut].trim_end_matches(['-', '.', '_']).to_string()
}

/// Derives the selector (explicit, or the workload labels, or `app: NAME`) and makes the pod
/// template labels contain it.
fn selector(cx: &mut Cx, ds: &mut DaemonSetModel, name_span: Span) {
    if ds.labels.is_empty() && ds.selector.is_empty() {
        // A name may be a 253-character subdomain; a label value has at most 63 (rule 7). The
        // object rules would report the label, but only here is it known to come from the
        // name; a name that is no subdomain is reported as such, on the object.
        let name_ok = names::dns_subdomain(&ds.name).is_ok();
        if let (true, Err(why)) = (name_ok, names::label_value(&ds.name)) {
            cx.push(
                Diagnostic::error(
                    "DS0303",
                    "the daemonset name cannot be the default label value `app: NAME`",
                )
                .at(name_span, format!("as a label value, the name {why}"))
                .help(format!(
                    "give the workload its labels, such as `labels app={}`: they are also its selector",
                    short_label(&ds.name)
                )),
            );
        }
        ds.labels.insert("app".into(), ds.name.clone());
    }
    let metadata = rel(&["metadata", "labels"]);
    let matching = rel(&["spec", "selector", "matchLabels"]);
    let pods = rel(&["spec", "template", "metadata", "labels"]);
    if ds.selector.is_empty() {
        ds.selector = ds.labels.clone();
        for k in ds.labels.keys() {
            ds.origins.copy(&metadata.key(k), matching.key(k));
        }
    }
    // Where each pod label was written, by what wins: `pod-labels` (recorded already), then
    // `labels`, then the selector.
    for k in ds.labels.keys().chain(ds.selector.keys()) {
        let at = pods.key(k);
        if ds.origins.get(&at).is_none() {
            let from = match ds.labels.contains_key(k) {
                true => metadata.key(k),
                false => matching.key(k),
            };
            ds.origins.copy(&from, at);
        }
    }
    let mut template = ds.labels.clone();
    for (k, v) in &ds.pod_labels {
        template.insert(k.clone(), v.clone());
    }
    // The selector's labels go on the pods, unless the pods give the key another value: then
    // the selector does not select them, a rule of the API server checked on the object.
    for (k, v) in &ds.selector {
        template.entry(k.clone()).or_insert_with(|| v.clone());
    }
    // Keep workload labels on the pods, and pod-only labels there too.
    ds.pod_labels = template;
}
