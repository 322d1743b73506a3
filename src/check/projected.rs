//! Projected and downward-API volumes: `volume NAME projected [mode M] { ... }` puts
//! service-account tokens, config maps, secrets and pod fields in one directory;
//! `volume NAME downward [mode M] { file ... }` writes pod fields and container resources.
//! The statements are read here; file paths, token lifetimes, the fields a file may hold and
//! the resource fields are the API server's rules, checked on the compiled object
//! (`validate::volume_files`, `validate::downward_api`) at the arguments recorded here.

use super::cx::Cx;
use super::field_refs::resource_field;
use super::keywords::{DOWNWARD, PROJECTED};
use super::options::{flag, pairs, value, Opt};
use super::volume_files::{file_mode, keyed};
use crate::api::FieldPath;
use crate::diagnostics::Diagnostic;
use crate::model::{
    rel, DownwardFile, DownwardSource, EnvSource, Origins, Projection, VolumeSource,
};
use crate::source::Span;
use crate::syntax::{ArgKind, Statement};

const PROJECTED_KEYED_OPTS: &[Opt] = &[pairs("items", "items KEY=PATH ..."), flag("optional")];
const TOKEN_OPTS: &[Opt] = &[
    value("expires", "expires 1h"),
    value("audience", "audience AUDIENCE"),
];

/// The block of a `projected` or `downward` volume; `rest` are the values after the kind. `o`
/// records where each field was written, by path from the volume.
pub fn check(
    cx: &mut Cx,
    stmt: &Statement,
    kind: &str,
    rest: &[crate::syntax::Arg],
    o: &mut Origins,
) -> Option<VolumeSource> {
    let opts = cx.options("volume", rest, &[value("mode", "mode 0644")]);
    let mode = opts.value("mode").and_then(|a| file_mode(cx, a));
    let at = rel(&[if kind == "projected" {
        "projected"
    } else {
        "downwardAPI"
    }]);
    o.record(at.clone(), stmt.span);
    if let Some(a) = opts.value("mode") {
        o.record(at.field("defaultMode"), a.span);
    }
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
    // Each source with its origins (by path from the source); the files, by path from their
    // `downwardAPI`, go in one source where the first file was written.
    let mut sources: Vec<(Projection, Origins)> = Vec::new();
    let mut files = Vec::new();
    let mut files_origins = Origins::default();
    let mut files_at = None;
    for s in &block.statements {
        match (kind, s.keyword.as_str()) {
            (_, "file") => {
                cx.no_block(s);
                let item = rel(&["items"]).index(files.len());
                if let Some(f) = downward_file(cx, s, (&mut files_origins, &item)) {
                    files_at.get_or_insert((sources.len(), s.span));
                    files.push(f);
                }
            }
            ("projected", "token") => {
                cx.no_block(s);
                let mut to = Origins::default();
                if let Some(t) = token(cx, s, &mut to) {
                    sources.push((t, to));
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
                let part = rel(&[if k == "secret" { "secret" } else { "configMap" }]);
                let mut so = Origins::default();
                so.record(FieldPath::default(), s.span);
                so.record(part.clone(), s.span);
                so.record(part.field("name"), s.args[0].span);
                let keyed = keyed(cx, name, &opts, (&mut so, &part));
                sources.push((
                    if k == "secret" {
                        Projection::Secret(keyed)
                    } else {
                        Projection::ConfigMap(keyed)
                    },
                    so,
                ));
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
        o.nest(&at, &files_origins);
        return Some(VolumeSource::Downward { items: files, mode });
    }
    if let Some((i, span)) = files_at {
        let mut fo = Origins::default();
        fo.record(FieldPath::default(), span);
        fo.nest(&rel(&["downwardAPI"]), &files_origins);
        sources.insert(i, (Projection::Downward(files), fo));
    }
    let mut out = Vec::new();
    for (j, (source, so)) in sources.into_iter().enumerate() {
        o.nest(&at.field("sources").index(j), &so);
        out.push(source);
    }
    Some(VolumeSource::Projected { sources: out, mode })
}

fn empty(span: Span, kind: &str, example: &str) -> Diagnostic {
    Diagnostic::error("DS0204", format!("the `{kind}` volume has nothing in it"))
        .at(Span::new(span.start(), span.start() + 1), "empty block")
        .help(format!("write `{example}`"))
}

/// `token PATH [expires DURATION] [audience AUDIENCE]`; `o` by path from the source.
fn token(cx: &mut Cx, s: &Statement, o: &mut Origins) -> Option<Projection> {
    if !cx.arity(s, 1, usize::MAX) {
        return None;
    }
    let path = cx.scalar(&s.args[0], "a file path")?;
    let opts = cx.options("token", &s.args[1..], TOKEN_OPTS);
    let at = rel(&["serviceAccountToken"]);
    o.record(FieldPath::default(), s.span);
    o.record(at.clone(), s.span);
    o.record(at.field("path"), s.args[0].span);
    // The lifetime's range (10 minutes to 2^32 seconds) is checked on the object.
    let expiration = match opts.value("expires") {
        Some(arg) => {
            o.record(at.field("expirationSeconds"), arg.span);
            Some(cx.seconds(arg, "token lifetime")?)
        }
        None => None,
    };
    let audience = match opts.value("audience") {
        Some(a) => {
            o.record(at.field("audience"), a.span);
            Some(cx.scalar(a, "an audience")?)
        }
        None => None,
    };
    Some(Projection::Token {
        path,
        expiration,
        audience,
    })
}

/// `file PATH = field FIELD` or `file PATH = resource RESOURCE container NAME [divisor D]`;
/// `(o, item)` records where its fields were written, at the item's path.
fn downward_file(
    cx: &mut Cx,
    s: &Statement,
    (o, item): (&mut Origins, &FieldPath),
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
            .map(|w| (key, *key_span, w)),
        _ => None,
    };
    let Some((key, key_span, word)) = source_word else {
        cx.push(
            Diagnostic::error("DS0202", "expected `PATH = field FIELD` or `PATH = resource RESOURCE`")
                .at(s.args[0].span, "not `PATH = field` or `PATH = resource`")
                .help("write `file labels = field metadata.labels` or `file cpu = resource limits.cpu container NAME`"),
        );
        return None;
    };
    let target = &s.args[1];
    let text = cx.scalar(target, "a field or resource")?;
    o.record(item.clone(), s.span);
    o.record(item.field("path"), key_span);
    let source = if word == "field" {
        if let Some(extra) = s.args.get(2) {
            cx.push(
                Diagnostic::error("DS0202", "too many values for a `field` file")
                    .at(extra.span.to(s.args[s.args.len() - 1].span), "unexpected")
                    .help("write `file PATH = field FIELD`"),
            );
            return None;
        }
        o.record(item.field("fieldRef"), target.span);
        o.record(item.field("fieldRef").field("fieldPath"), target.span);
        DownwardSource::Field(text)
    } else {
        let at = item.field("resourceFieldRef");
        // The container is required on the object: without one, it is left empty there.
        match resource_field(cx, &text, target.span, &s.args[2..], (o, &at))? {
            EnvSource::Resource {
                resource,
                container,
                divisor,
            } => DownwardSource::Resource {
                resource,
                container: container.unwrap_or_default(),
                divisor,
            },
            _ => return None,
        }
    };
    Some(DownwardFile {
        path: key.to_string(),
        source,
    })
}
