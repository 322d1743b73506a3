//! `mount` in a container (F25) → a pending mount: a named volume, or a source declared where it
//! is used (`mount /var/log`, `mount configmap app at /etc/app`). Volume names are resolved for
//! the whole workload in `storage.rs`. Sub-paths, propagation and paths are the API server's
//! rules, checked on the compiled object (`validate::mounts`) at the arguments recorded here.

use super::cx::Cx;
use super::options::{flag, value, Opt};
use super::paths;
use super::volumes::{build_source, invalid_path, relative_path, source_options};
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{rel, Origins, Propagation, VolumeMount, VolumeSource};
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
    /// The whole statement.
    pub span: Span,
    /// Where the mount's fields were written, by path from the mount (`subPath`).
    pub origins: Origins,
    /// Where an inline source's fields were written, by path from its volume.
    pub source_origins: Origins,
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

pub(super) const PROPAGATIONS: &[(&str, Propagation)] = &[
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
    let misspelled_kind = (kind.is_none() && second_is_name && !second_is_at)
        .then(|| did_you_mean(&first_text, INLINE_KINDS.iter().copied()))
        .flatten();
    if let Some(k) = misspelled_kind {
        cx.push(
            Diagnostic::error("DS0407", format!("unknown mount source `{first_text}`"))
                .at(first.span, "not a kind of source")
                .suggest(k),
        );
        return None;
    }
    let target_span = target.map_or(first.span, |t| t.span);

    let (path_arg, rest) = match rest {
        [at, path, rest @ ..] if at.as_word() == Some("at") => (Some(path), rest),
        [at] if at.as_word() == Some("at") => {
            cx.push(
                Diagnostic::error("DS0202", "`at` needs a mount path")
                    .at(Span::new(at.span.end(), at.span.end()), "path missing here")
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
                    .help(format!("write `mount /{first_text}`"))
                    .fix(first.span, format!("/{first_text}")),
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
                        Span::new(target_span.end(), target_span.end()),
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
    let mut source_origins = Origins::default();
    let target = match kind {
        Some(k) => MountTarget::Inline(build_source(
            cx,
            k,
            target,
            &opts,
            first.span,
            &mut source_origins,
        )?),
        None => MountTarget::Named(first_text),
    };

    // The API server takes any mount path that is set (an empty one is refused on the object);
    // a path taken from the host path has been reported with it.
    if let (false, Err(why), Some(_)) = (
        path_text.is_empty(),
        paths::absolute_path(&path_text),
        path_arg,
    ) {
        cx.push(relative_path(path_span, "mount path", &path_text, &why));
    }
    let mut origins = Origins::default();
    origins.record(rel(&["name"]), target_span);
    origins.record(rel(&["mountPath"]), path_span);
    let mut text = |field: &'static str, what: &str| -> Option<Option<String>> {
        let Some(arg) = opts.value(field) else {
            return Some(None);
        };
        let key = if field == "sub-path" {
            "subPath"
        } else {
            "subPathExpr"
        };
        origins.record(rel(&[key]), arg.span);
        cx.scalar(arg, what).map(Some)
    };
    // Both may be written: the API server refuses the pair, on the object.
    let sub_path = text("sub-path", "a path inside the volume")?;
    let sub_path_expr = text("sub-path-expr", "a path inside the volume")?;
    let propagation = match opts.value("propagation") {
        Some(a) => {
            origins.record(rel(&["mountPropagation"]), a.span);
            Some(propagation(cx, a)?)
        }
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
            sub_path_expr,
            propagation,
        },
        path_span,
        span: stmt.span,
        origins,
        source_origins,
    })
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
        Some(w) => d.suggest(w),
        None => d.help("use `none`, `host-to-container` or `bidirectional`"),
    };
    cx.push(d);
    None
}
