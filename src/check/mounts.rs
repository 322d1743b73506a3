//! `mount` in a container (F25) → a pending mount: a named volume, or a source declared where it
//! is used (`mount /var/log`, `mount configmap app at /etc/app`). Volume names are resolved for
//! the whole workload in `storage.rs`.

use super::options::{flag, value, Opt};
use super::paths;
use super::volumes::{build_source, invalid_path, relative_path, source_options};
use super::Cx;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{Propagation, SubPath, VolumeMount, VolumeSource};
use crate::source::Span;
use crate::syntax::{Arg, Statement};

/// What a mount mounts: a volume declared with `volume`, or a source written inline.
#[derive(Clone, Debug)]
pub enum MountTarget {
    Named(String),
    Inline(VolumeSource),
}

/// A checked mount whose volume name is not known yet (`mount.volume` is empty).
#[derive(Clone, Debug)]
pub struct PendingMount {
    pub target: MountTarget,
    pub target_span: Span,
    pub mount: VolumeMount,
    pub path_span: Span,
    pub propagation_span: Option<Span>,
}

const MOUNT_OPTS: &[Opt] = &[
    flag("ro"),
    value("sub-path", "sub-path PATH"),
    value("sub-path-expr", "sub-path-expr PATH-WITH-$(VAR)"),
    value(
        "propagation",
        "propagation none|host-to-container|bidirectional",
    ),
];

/// The sources a mount can declare where it is used.
pub const INLINE_KINDS: &[&str] = &["host", "configmap", "secret", "pvc", "empty-dir"];

const PROPAGATIONS: &[(&str, Propagation)] = &[
    ("none", Propagation::None),
    ("host-to-container", Propagation::HostToContainer),
    ("bidirectional", Propagation::Bidirectional),
];

/// `mount /HOST/PATH [at PATH]`, `mount host|configmap|secret|pvc NAME at PATH`,
/// `mount empty-dir at PATH`, `mount VOLUME at PATH`, each with mount options.
pub fn check_mount(cx: &mut Cx, stmt: &Statement) -> Option<PendingMount> {
    cx.no_block(stmt);
    if !cx.arity(stmt, 1, usize::MAX) {
        return None;
    }
    let args = stmt.args.as_slice();
    let first = &args[0];
    let first_text = first.as_text().unwrap_or_default();
    let second_is_at = args.get(1).and_then(Arg::as_word) == Some("at");
    // (kind, target, rest): kind is None for a named volume.
    let (kind, target, rest) = if first_text.starts_with('/') {
        (Some("host"), Some(first), &args[1..])
    } else {
        match first.as_word() {
            Some(k @ ("host" | "configmap" | "secret" | "pvc"))
                if args.len() > 1 && !second_is_at =>
            {
                (Some(k), Some(&args[1]), &args[2..])
            }
            Some("empty-dir") => (Some("empty-dir"), None, &args[1..]),
            _ => (None, Some(first), &args[1..]),
        }
    };
    // `mount confgmap agent at /x`: a volume name is followed by `at` or a path, so this is a
    // misspelled source.
    let second_is_name = args
        .get(1)
        .and_then(Arg::as_text)
        .is_some_and(|t| !t.starts_with('/'));
    if let (None, true, Some(k)) = (
        kind,
        second_is_name && !second_is_at,
        did_you_mean(&first_text, INLINE_KINDS.iter().copied()),
    ) {
        cx.push(
            Diagnostic::error("DS0407", format!("unknown mount source `{first_text}`"))
                .at(first.span, "not a kind of source")
                .help(format!("did you mean `{k}`?")),
        );
        return None;
    }
    let target_span = target.map_or(first.span, |t| t.span);

    let (path_arg, rest) = match rest {
        [at, path, rest @ ..] if at.as_word() == Some("at") => (Some(path), rest),
        [at] if at.as_word() == Some("at") => {
            cx.push(
                Diagnostic::error("DS0202", "`at` needs a mount path")
                    .at(Span::new(at.span.end, at.span.end), "path missing here")
                    .help("write `at /PATH`, the directory inside the container"),
            );
            return None;
        }
        _ => (None, rest),
    };
    let default_path = (kind == Some("host"))
        .then(|| target.and_then(Arg::as_text))
        .flatten();
    let path_text = match (path_arg, default_path) {
        (Some(p), _) => cx.scalar(p, "a mount path")?,
        (None, Some(host)) => host,
        (None, None) => {
            if kind.is_none() && first_text.contains('/') {
                cx.push(
                    invalid_path(
                        first.span,
                        "host path",
                        &first_text,
                        "must be an absolute path, starting with `/`",
                    )
                    .help(format!("write `mount /{first_text}`")),
                );
                return None;
            }
            let shown = match (kind, target) {
                (Some("empty-dir"), _) => "empty-dir".to_string(),
                (Some(k), Some(t)) if !std::ptr::eq(t, first) => {
                    format!("{k} {}", t.as_text().unwrap_or_default())
                }
                _ => first_text.clone(),
            };
            let d = match rest.first() {
                Some(p) if p.as_text().is_some_and(|t| t.starts_with('/')) => {
                    Diagnostic::error("DS0202", "expected `at` before the mount path")
                        .at(p.span, "the mount path")
                        .help(format!(
                            "write `mount {shown} at {}`",
                            p.as_text().unwrap_or_default()
                        ))
                }
                _ => Diagnostic::error("DS0202", "the mount has no path in the container")
                    .at(
                        Span::new(target_span.end, target_span.end),
                        "`at PATH` missing",
                    )
                    .help(format!("write `mount {shown} at /PATH`")),
            };
            cx.push(d);
            return None;
        }
    };
    let path_span = path_arg.map_or(target_span, |p| p.span);

    let mut known: Vec<Opt> = MOUNT_OPTS.to_vec();
    if let Some(k) = kind.filter(|k| *k != "pvc") {
        known.extend_from_slice(source_options(k));
    }
    let opts = cx.options("mount", rest, &known);
    let target = match kind {
        Some(k) => MountTarget::Inline(build_source(cx, k, target, &opts, first.span)?),
        None => MountTarget::Named(first_text),
    };

    if path_text.is_empty() {
        cx.push(
            Diagnostic::error("DS0503", "the mount path is empty")
                .at(path_span, "must not be empty")
                .help("write the directory inside the container, such as `at /data`"),
        );
        return None;
    }
    // The API server takes any mount path that is set; a path taken from the host path has been
    // reported with it.
    if let (Err(why), Some(_)) = (paths::absolute_path(&path_text), path_arg) {
        cx.push(relative_path(path_span, "mount path", &path_text, &why));
    }
    let sub_path = sub_path(cx, &opts)?;
    let propagation_arg = opts.value("propagation");
    let propagation = match propagation_arg {
        Some(a) => Some(propagation(cx, a)?),
        None => None,
    };
    Some(PendingMount {
        target,
        target_span,
        mount: VolumeMount {
            volume: String::new(),
            path: path_text,
            read_only: opts.flag("ro"),
            sub_path,
            propagation,
        },
        path_span,
        propagation_span: propagation_arg.map(|a| a.span),
    })
}

/// `sub-path` or `sub-path-expr`, not both (rule 118); relative, without `..` (117).
fn sub_path(cx: &mut Cx, opts: &super::options::Options) -> Option<Option<SubPath>> {
    let plain = opts.value("sub-path");
    let expr = opts.value("sub-path-expr");
    if let (Some(p), Some(e)) = (plain, expr) {
        cx.push(
            Diagnostic::error(
                "DS0505",
                "`sub-path` and `sub-path-expr` cannot both be given",
            )
            .at(e.span, "`sub-path-expr` here")
            .also(p.span, "`sub-path` here")
            .help("keep `sub-path-expr` if the path uses `$(VAR)`, else `sub-path`"),
        );
        return None;
    }
    let Some(arg) = plain.or(expr) else {
        return Some(None);
    };
    let text = cx.scalar(arg, "a path inside the volume")?;
    if let Err(why) = paths::descending_path(&text) {
        cx.push(invalid_path(arg.span, "sub-path", &text, &why));
        return None;
    }
    Some(Some(if expr.is_some() {
        SubPath::Expr(text)
    } else {
        SubPath::Path(text)
    }))
}

fn propagation(cx: &mut Cx, arg: &Arg) -> Option<Propagation> {
    let text = arg.as_text().unwrap_or_default();
    let norm = |s: &str| s.to_ascii_lowercase().replace(['-', '_'], "");
    if let Some((_, p)) = PROPAGATIONS.iter().find(|(w, _)| norm(w) == norm(&text)) {
        return Some(*p);
    }
    let words = PROPAGATIONS.iter().map(|(w, _)| *w);
    let mut d = Diagnostic::error("DS0407", format!("unknown mount propagation `{text}`"))
        .at(arg.span, "not a propagation mode");
    d = match did_you_mean(&text, words) {
        Some(w) => d.help(format!("did you mean `{w}`?")),
        None => d.help("use `none`, `host-to-container` or `bidirectional`"),
    };
    cx.push(d);
    None
}
