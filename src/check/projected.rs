//! Projected and downward-API volumes: `volume NAME projected [mode M] { ... }` puts
//! service-account tokens, config maps, secrets and pod fields in one directory;
//! `volume NAME downward [mode M] { file ... }` writes pod fields and container resources.

use std::collections::HashMap;

use super::field_refs::resource_field;
use super::keywords::{DOWNWARD, PROJECTED};
use super::names;
use super::options::{flag, pairs, value, Opt};
use super::volumes::{file_in_volume, file_mode, keyed};
use super::Cx;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{DownwardFile, DownwardSource, EnvSource, Projection, VolumeSource};
use crate::source::Span;
use crate::syntax::{ArgKind, Statement};

/// Pod fields a downward-API volume can write (rule 111): more than env for the label and
/// annotation maps, fewer for the node and IPs.
const VOLUME_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "metadata.labels",
    "metadata.annotations",
];

/// A token lives at least 10 minutes and at most 2^32 seconds (rule 112).
const MIN_EXPIRATION: i64 = 600;
const MAX_EXPIRATION: i64 = 1 << 32;

const PROJECTED_KEYED_OPTS: &[Opt] = &[pairs("items", "items KEY=PATH ..."), flag("optional")];
const TOKEN_OPTS: &[Opt] = &[
    value("expires", "expires 1h"),
    value("audience", "audience AUDIENCE"),
];

/// The block of a `projected` or `downward` volume; `rest` are the values after the kind.
pub fn check(
    cx: &mut Cx,
    stmt: &Statement,
    kind: &str,
    rest: &[crate::syntax::Arg],
) -> Option<VolumeSource> {
    let opts = cx.options("volume", rest, &[value("mode", "mode 0644")]);
    let mode = opts.value("mode").and_then(|a| file_mode(cx, a));
    let example = if kind == "projected" {
        "volume NAME projected { token token expires 1h audience AUDIENCE }"
    } else {
        "volume NAME downward { file labels = field metadata.labels }"
    };
    let Some(block) = &stmt.block else {
        cx.push(
            Diagnostic::error("DS0205", format!("a `{kind}` volume needs a block"))
                .at(stmt.span, "no `{ ... }` with its files")
                .help(format!("write `{example}`")),
        );
        return None;
    };
    let mut seen = HashMap::new();
    let mut sources = Vec::new();
    let mut files = Vec::new();
    let mut files_at = None;
    for s in &block.statements {
        match (kind, s.keyword.as_str()) {
            (_, "file") => {
                cx.no_block(s);
                if let Some(f) = downward_file(cx, s, &mut seen) {
                    files_at.get_or_insert(sources.len());
                    files.push(f);
                }
            }
            ("projected", "token") => {
                cx.no_block(s);
                if let Some(t) = token(cx, s, &mut seen) {
                    sources.push(t);
                }
            }
            ("projected", k @ ("configmap" | "secret")) => {
                cx.no_block(s);
                if !cx.arity(s, 1, usize::MAX) {
                    continue;
                }
                let what = if k == "secret" {
                    "secret name"
                } else {
                    "config map name"
                };
                let Some(name) = cx.object_name(&s.args[0], what, true) else {
                    continue;
                };
                let opts = cx.options(k, &s.args[1..], PROJECTED_KEYED_OPTS);
                let keyed = keyed(cx, name, &opts, &mut seen);
                sources.push(if k == "secret" {
                    Projection::Secret(keyed)
                } else {
                    Projection::ConfigMap(keyed)
                });
            }
            ("projected", _) => cx.unknown_keyword(s, PROJECTED, "in a projected volume"),
            _ => cx.unknown_keyword(s, DOWNWARD, "in a downward-API volume"),
        }
    }
    if block.statements.is_empty() {
        cx.push(empty(block.span, kind, example));
        return None;
    }
    if kind == "downward" {
        return Some(VolumeSource::Downward { items: files, mode });
    }
    if let Some(at) = files_at {
        sources.insert(at, Projection::Downward(files));
    }
    Some(VolumeSource::Projected { sources, mode })
}

fn empty(span: Span, kind: &str, example: &str) -> Diagnostic {
    Diagnostic::error("DS0204", format!("the `{kind}` volume has nothing in it"))
        .at(Span::new(span.start, span.start + 1), "empty block")
        .help(format!("write `{example}`"))
}

/// `token PATH [expires DURATION] [audience AUDIENCE]`.
fn token(cx: &mut Cx, s: &Statement, seen: &mut HashMap<String, Span>) -> Option<Projection> {
    if !cx.arity(s, 1, usize::MAX) {
        return None;
    }
    let path_text = cx.scalar(&s.args[0], "a file path")?;
    let opts = cx.options("token", &s.args[1..], TOKEN_OPTS);
    let path = file_in_volume(cx, &path_text, s.args[0].span, seen)?;
    let mut expiration = None;
    if let Some(arg) = opts.value("expires") {
        let seconds = cx.seconds(arg, "token lifetime")?;
        if !(MIN_EXPIRATION..=MAX_EXPIRATION).contains(&seconds) {
            let label = if seconds < MIN_EXPIRATION {
                "shorter than 10 minutes"
            } else {
                "longer than 2^32 seconds"
            };
            cx.push(
                Diagnostic::error("DS0510", format!("token lifetime `{}` is out of range", arg.as_text().unwrap_or_default()))
                    .at(arg.span, label)
                    .help("the API server issues tokens for 10 minutes to 2^32 seconds; write `expires 10m` or more (1h is the default)"),
            );
            return None;
        }
        expiration = Some(seconds);
    }
    let audience = match opts.value("audience") {
        Some(a) => Some(cx.scalar(a, "an audience")?),
        None => None,
    };
    Some(Projection::Token {
        path,
        expiration,
        audience,
    })
}

/// `file PATH = field FIELD` or `file PATH = resource RESOURCE container NAME [divisor D]`.
fn downward_file(
    cx: &mut Cx,
    s: &Statement,
    seen: &mut HashMap<String, Span>,
) -> Option<DownwardFile> {
    if !cx.arity(s, 2, usize::MAX) {
        return None;
    }
    let source_word = match &s.args[0].kind {
        ArgKind::Pair {
            key,
            key_span,
            value,
        } => value
            .as_word()
            .filter(|w| matches!(*w, "field" | "resource"))
            .map(|w| (key, *key_span, w, value)),
        _ => None,
    };
    let Some((key, key_span, word, value)) = source_word else {
        cx.push(
            Diagnostic::error("DS0202", "expected `PATH = field FIELD` or `PATH = resource RESOURCE`")
                .at(s.args[0].span, "not `PATH = field` or `PATH = resource`")
                .help("write `file labels = field metadata.labels` or `file cpu = resource limits.cpu container NAME`"),
        );
        return None;
    };
    let path = file_in_volume(cx, key, key_span, seen)?;
    let target = &s.args[1];
    let text = cx.scalar(target, "a field or resource")?;
    let source = if word == "field" {
        if let Some(extra) = s.args.get(2) {
            cx.push(
                Diagnostic::error("DS0202", "too many values for a `field` file")
                    .at(extra.span.to(s.args[s.args.len() - 1].span), "unexpected")
                    .help("write `file PATH = field FIELD`"),
            );
            return None;
        }
        volume_field(cx, &text, target.span)?;
        DownwardSource::Field(text)
    } else {
        match resource_field(cx, &text, target.span, &s.args[2..], value)? {
            EnvSource::Resource {
                resource,
                container: Some(container),
                divisor,
            } => DownwardSource::Resource {
                resource,
                container,
                divisor,
            },
            _ => {
                cx.push(
                    Diagnostic::error("DS0511", "a resource file must name its container")
                        .at(target.span, "which container's resource?")
                        .help(format!(
                            "write `file {key} = resource {text} container NAME`"
                        )),
                );
                return None;
            }
        }
    };
    Some(DownwardFile { path, source })
}

/// A pod field a downward-API volume can write; `DS0511` otherwise.
fn volume_field(cx: &mut Cx, path: &str, span: Span) -> Option<()> {
    if VOLUME_FIELDS.contains(&path) {
        return Some(());
    }
    for map in ["metadata.labels", "metadata.annotations"] {
        let sub = path
            .strip_prefix(map)
            .and_then(|s| s.strip_prefix("['"))
            .and_then(|s| s.strip_suffix("']"));
        if let Some(sub) = sub {
            let rule = if map == "metadata.labels" {
                names::qualified_name
            } else {
                names::annotation_key
            };
            return match rule(sub) {
                Ok(()) => Some(()),
                Err(why) => {
                    cx.push(
                        Diagnostic::error("DS0511", format!("invalid key `{sub}` in field path"))
                            .at(span, why)
                            .help("the key must be a valid label or annotation key"),
                    );
                    None
                }
            };
        }
    }
    let mut d = Diagnostic::error(
        "DS0511",
        format!("`{path}` is not a pod field a volume can hold"),
    )
    .at(span, "unsupported field path");
    d = match did_you_mean(path, VOLUME_FIELDS.iter().copied()) {
        Some(f) => d.help(format!("did you mean `{f}`?")),
        None if path.starts_with("spec.") || path.starts_with("status.") => d.help(
            "node and IP fields cannot be files; read them into an environment variable: `env NODE_NAME = field spec.nodeName`",
        ),
        None => d.help(format!("use one of: {}", VOLUME_FIELDS.join(", "))),
    };
    cx.push(d);
    None
}
