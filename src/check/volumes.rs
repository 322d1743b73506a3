//! `volume NAME SOURCE ...` at daemonset level (F24), and the sources it shares with inline
//! `mount`s: host path, config map, secret, claim and empty dir. Projected and downward-API
//! volumes, which take a block, are in `projected.rs`; NFS, CSI, ephemeral, image and raw
//! volumes in `volume_kinds.rs`. The statements are read here; the API
//! server's rules on paths, keys and modes run on the compiled object (`validate::volumes`),
//! at the arguments recorded in each volume's origins.

use super::args::object_name;
use super::cx::Cx;
use super::options::{flag, pairs, value, Opt, Options};
use super::paths;
use super::projected;
use super::volume_files::keyed;
use super::volume_kinds;
use crate::api::quantity::Quantity;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{rel, HostPathType, Origins, VolumeSource};
use crate::source::Span;
use crate::syntax::{Arg, Statement};

/// A checked `volume` statement. `source` is `None` when it had errors; the name is kept so
/// that mounts of it are not reported missing as well.
pub struct DeclaredVolume {
    pub name: String,
    pub name_span: Span,
    /// The whole statement.
    pub span: Span,
    pub source: Option<VolumeSource>,
    /// Where the source's fields were written, by path from the volume (`hostPath.path`).
    pub origins: Origins,
}

/// Source kinds, as written after the volume name.
pub const KINDS: &[&str] = &[
    "host",
    "configmap",
    "secret",
    "pvc",
    "empty-dir",
    "projected",
    "downward",
    "nfs",
    "csi",
    "ephemeral",
    "image",
    "override",
];

const HOST_OPTS: &[Opt] = &[value(
    "type",
    "type directory|directory-or-create|file|file-or-create|socket|char-device|block-device",
)];
const KEYED_OPTS: &[Opt] = &[
    pairs("items", "items KEY=PATH ..."),
    value("mode", "mode 0644"),
    flag("optional"),
];
const PVC_OPTS: &[Opt] = &[flag("ro")];
const EMPTY_DIR_OPTS: &[Opt] = &[flag("memory"), value("size", "size 1Gi")];

/// The options a source kind takes after its name (in a `volume`; a `mount` adds its own).
pub fn source_options(kind: &str) -> &'static [Opt] {
    match kind {
        "host" => HOST_OPTS,
        "configmap" | "secret" => KEYED_OPTS,
        "pvc" => PVC_OPTS,
        "empty-dir" => EMPTY_DIR_OPTS,
        _ => &[],
    }
}

/// `volume NAME host PATH [type T]`, `volume NAME configmap|secret NAME [items ...] [mode M]
/// [optional]`, `volume NAME pvc CLAIM [ro]`, `volume NAME empty-dir [memory] [size Q]`,
/// `volume NAME projected|downward [mode M] { ... }`.
pub fn check_volume(cx: &mut Cx, stmt: &Statement) -> Option<DeclaredVolume> {
    if !cx.arity(stmt, 2, usize::MAX) {
        return None;
    }
    let name_arg = &stmt.args[0];
    let name = cx.scalar(name_arg, "a volume name")?;
    let kind_arg = &stmt.args[1];
    let mut origins = Origins::default();
    let source = match source_kind(cx, kind_arg) {
        Some(kind @ ("projected" | "downward")) => {
            projected::check(cx, stmt, kind, &stmt.args[2..], &mut origins)
        }
        Some(kind) if volume_kinds::KINDS.contains(&kind) => {
            volume_kinds::check(cx, stmt, kind, &stmt.args[2..], &mut origins)
        }
        Some(kind) => {
            cx.no_block(stmt);
            let (target, rest) = split_target(kind, kind_arg, &stmt.args[2..]);
            let opts = cx.options("volume", rest, source_options(kind));
            build_source(cx, kind, target, &opts, kind_arg.span, &mut origins)
        }
        None => None,
    };
    Some(DeclaredVolume {
        name,
        name_span: name_arg.span,
        span: stmt.span,
        source,
        origins,
    })
}

/// The source kind of `arg`; a path stands for `host PATH`. `DS0407` for an unknown word.
fn source_kind(cx: &mut Cx, arg: &Arg) -> Option<&'static str> {
    let text = arg.as_text().unwrap_or_default();
    if text.starts_with('/') {
        return Some("host");
    }
    if let Some(kind) = KINDS.iter().find(|k| **k == text) {
        return Some(kind);
    }
    let mut d = Diagnostic::error("DS0407", format!("unknown volume type `{text}`"))
        .at(arg.span, "not a volume type");
    d = match did_you_mean(&text, KINDS.iter().copied()) {
        Some(k) => d.suggest(k),
        None => d.help(format!("volume types: {}", KINDS.join(", "))),
    };
    cx.push(d);
    None
}

/// The source's target (host path, object name) and the options after it. A path written in
/// place of the kind is its own target; `empty-dir` has none.
pub fn split_target<'a>(
    kind: &str,
    kind_arg: &'a Arg,
    after: &'a [Arg],
) -> (Option<&'a Arg>, &'a [Arg]) {
    let is_path = kind_arg.as_text().is_some_and(|t| t.starts_with('/'));
    match (kind, after) {
        ("host", _) if is_path => (Some(kind_arg), after),
        ("empty-dir", _) | (_, []) => (None, after),
        (_, [first, rest @ ..]) => (Some(first), rest),
    }
}

/// Builds a source of `kind` from its target and options, reporting what the language refuses;
/// `o` records where each field was written, by path from the volume.
pub fn build_source(
    cx: &mut Cx,
    kind: &str,
    target: Option<&Arg>,
    opts: &Options,
    kind_span: Span,
    o: &mut Origins,
) -> Option<VolumeSource> {
    let (what, placeholder) = match kind {
        "host" => ("a host path", "/PATH"),
        "configmap" => ("a config map name", "NAME"),
        "secret" => ("a secret name", "NAME"),
        "pvc" => ("a claim name", "CLAIM"),
        _ => ("", ""),
    };
    let target = match (target, what.is_empty()) {
        (_, true) => None,
        (Some(t), false) => Some((cx.scalar(t, what)?, t.span)),
        (None, false) => {
            cx.push(
                Diagnostic::error("DS0202", format!("`{kind}` needs {what}"))
                    .at(Span::new(kind_span.end(), kind_span.end()), "missing here")
                    .help(format!("write `{kind} {placeholder}`")),
            );
            return None;
        }
    };
    match (kind, target) {
        ("host", Some((path, span))) => {
            // A `..` element is refused by the API server, on the object; a relative host path
            // it takes, and the kubelet may not.
            if let (Ok(()), Err(why)) =
                (paths::relaxed_host_path(&path), paths::absolute_path(&path))
            {
                cx.push(relative_path(span, "host path", &path, &why));
            }
            o.record(rel(&["hostPath"]), span);
            o.record(rel(&["hostPath", "path"]), span);
            let kind = match opts.value("type") {
                Some(a) => {
                    o.record(rel(&["hostPath", "type"]), a.span);
                    host_path_type(cx, a)
                }
                None => None,
            };
            Some(VolumeSource::HostPath { path, kind })
        }
        (k @ ("configmap" | "secret"), Some((name, span))) => {
            let what = if k == "secret" {
                "secret name"
            } else {
                "config map name"
            };
            object_name(cx, span, what, &name, true);
            let (at, name_field) = match k {
                "secret" => (rel(&["secret"]), "secretName"),
                _ => (rel(&["configMap"]), "name"),
            };
            o.record(at.clone(), span);
            o.record(at.field(name_field), span);
            if let Some(a) = opts.value("mode") {
                o.record(at.field("defaultMode"), a.span);
            }
            let keyed = keyed(cx, name, opts, (o, &at));
            Some(if k == "secret" {
                VolumeSource::Secret(keyed)
            } else {
                VolumeSource::ConfigMap(keyed)
            })
        }
        ("pvc", Some((claim, span))) => {
            object_name(cx, span, "claim name", &claim, true);
            o.record(rel(&["persistentVolumeClaim"]), span);
            o.record(rel(&["persistentVolumeClaim", "claimName"]), span);
            Some(VolumeSource::Pvc {
                claim,
                read_only: opts.flag("ro"),
            })
        }
        _ => {
            o.record(rel(&["emptyDir"]), kind_span);
            if let Some(a) = opts.value("size") {
                o.record(rel(&["emptyDir", "sizeLimit"]), a.span);
            }
            Some(VolumeSource::EmptyDir {
                memory: opts.flag("memory"),
                size: opts.value("size").and_then(|a| size_limit(cx, a)),
            })
        }
    }
}

/// `DS0503`: a path that breaks its rule.
pub fn invalid_path(span: Span, what: &str, path: &str, why: &str) -> Diagnostic {
    let help = if why.contains("absolute") {
        format!(
            "write the full path from the root: `/{}`",
            path.trim_start_matches("./")
        )
    } else if why.contains("relative") {
        format!(
            "write the path inside the volume, without the leading `/`: `{}`",
            path.trim_start_matches('/')
        )
    } else {
        "write the path without `..`: name the directory you mean".to_string()
    };
    Diagnostic::error("DS0503", format!("invalid {what} `{path}`"))
        .at(span, why.to_string())
        .help(help)
}

/// `DS0909`: a path the API server takes that is not absolute, or holds `..`.
pub fn relative_path(span: Span, what: &str, path: &str, why: &str) -> Diagnostic {
    let backstep = path.split('/').any(|part| part == "..");
    let fix = if backstep {
        "write the full path from the root, without `..`".to_string()
    } else {
        format!("write the full path, `/{}`", path.trim_start_matches("./"))
    };
    let what_is_wrong = if path.starts_with('/') {
        "has a `..` element"
    } else {
        "is not absolute"
    };
    Diagnostic::warning("DS0909", format!("the {what} `{path}` {what_is_wrong}"))
        .at(span, why.to_string())
        .help(format!(
            "the kubelet and the runtime resolve it as they please: {fix}, or `allow relative-path`"
        ))
}

fn host_path_type(cx: &mut Cx, arg: &Arg) -> Option<HostPathType> {
    super::args::word_of(
        cx,
        arg,
        &HostPathType::ALL,
        HostPathType::keyword,
        "host path type",
    )
}

fn size_limit(cx: &mut Cx, arg: &Arg) -> Option<String> {
    let text = cx.scalar(arg, "a size")?;
    match Quantity::parse(&text) {
        Ok(q) if !q.is_negative() => Some(text),
        Ok(_) => {
            cx.push(
                Diagnostic::error("DS0410", "a size limit cannot be negative")
                    .at(arg.span, "negative")
                    .help("remove the `-`"),
            );
            None
        }
        Err(why) => {
            cx.push(
                Diagnostic::error("DS0410", format!("invalid quantity `{text}`"))
                    .at(arg.span, why)
                    .help("write a size such as `500Mi` or `1Gi`"),
            );
            None
        }
    }
}
