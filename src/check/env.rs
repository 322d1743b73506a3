//! Environment: `env` literals and references (F19–F23) and `env-from` (F20–F21): the shape of
//! the statements, and the lints on names. The API server's rules for names, field paths and
//! key references run on the compiled object (`validate::env`), at the arguments recorded here;
//! resource fields are read by `field_refs.rs`.

use foldhash::HashMap;

use super::cx::Cx;
use crate::api::names;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{rel, Container, EnvFrom, EnvFromKind, EnvSource, EnvVar};
use crate::source::Span;
use crate::syntax::{Arg, ArgKind, Statement};

pub(super) const SOURCES: &[&str] = &["field", "secret", "configmap", "resource"];

/// `env ...`: one reference, or one or more `NAME=VALUE` literals.
pub fn check_env(
    cx: &mut Cx,
    stmt: &Statement,
    c: &mut Container,
    seen: &mut HashMap<String, Span>,
) {
    cx.no_block(stmt);
    if !cx.arity(stmt, 1, usize::MAX) {
        return;
    }
    if let [first, rest @ ..] = stmt.args.as_slice() {
        if let ArgKind::Pair {
            key,
            key_span,
            value,
        } = &first.kind
        {
            if let (Some(source), false) = (
                value.as_word().filter(|w| SOURCES.contains(w)),
                rest.is_empty(),
            ) {
                let at = rel(&["env"]).index(c.env.len()).field("valueFrom");
                let resource_at = (&mut c.origins, &at.field("resourceFieldRef"));
                if let Some(source) = reference(cx, source, rest, resource_at) {
                    let target = rest[0].span;
                    let fields: &[&'static str] = match &source {
                        EnvSource::Field(_) => &["fieldRef", "fieldPath"],
                        EnvSource::SecretKey { .. } => &["secretKeyRef", "name", "key"],
                        EnvSource::ConfigMapKey { .. } => &["configMapKeyRef", "name", "key"],
                        _ => &["resourceFieldRef", "resource"],
                    };
                    c.origins.record(at.clone(), value.span.to(target));
                    c.origins.record(at.field(fields[0]), target);
                    for field in &fields[1..] {
                        c.origins.record(at.field(fields[0]).field(field), target);
                    }
                    add(cx, key, (*key_span, stmt.span), source, c, seen);
                }
                return;
            }
        }
    }
    // `env X = feild spec.nodeName`: a misspelled kind of reference.
    if let [first, target, ..] = stmt.args.as_slice() {
        if let (ArgKind::Pair { value, .. }, false) =
            (&first.kind, matches!(target.kind, ArgKind::Pair { .. }))
        {
            let word = value.as_word().unwrap_or_default();
            if let (false, Some(s)) = (
                SOURCES.contains(&word),
                did_you_mean(word, SOURCES.iter().copied()),
            ) {
                cx.push(
                    Diagnostic::error("DS0407", format!("unknown kind of reference `{word}`"))
                        .at(
                            value.span,
                            "not `field`, `secret`, `configmap` or `resource`",
                        )
                        .suggest(s),
                );
                return;
            }
        }
    }
    // `env "LOG LEVEL"=info` (a quoted name) and `env É=1` (a name outside ASCII): say what is
    // wrong with the name, and the name to write.
    if let Some(d) = bad_name(stmt.args.as_slice()) {
        cx.push(d);
        return;
    }
    // `env FOO: bar` (YAML's `:`) or `env FOO bar` (the `=` forgotten).
    if let [name, value] = stmt.args.as_slice() {
        if let (Some(word), Some(v)) = (name.as_word(), value.as_text()) {
            let (n, why) = match word.strip_suffix(':') {
                Some(n) => (n, "`NAME: VALUE` is YAML; a spec writes `=`"),
                None => (word, "no `=` between the name and the value"),
            };
            let missing_equals =
                names::env_name(n).is_ok() && !matches!(value.kind, ArgKind::Pair { .. });
            if n.len() < word.len() || missing_equals {
                let at = name.span.to(value.span);
                let mut d = Diagnostic::error("DS0202", "expected `NAME=VALUE`")
                    .at(at, why)
                    .help(format!("write `env {n}={v}`"));
                // A bare value reads the same after `=`; a quoted one keeps its quotes.
                if matches!(value.kind, ArgKind::Word(_) | ArgKind::Number(_)) {
                    d = d.fix(at, format!("{n}={v}"));
                }
                cx.push(d);
                return;
            }
        }
    }
    for arg in &stmt.args {
        match &arg.kind {
            ArgKind::Pair {
                key,
                key_span,
                value,
            } => match value.as_text() {
                Some(text) => {
                    secret_looking(cx, key, &text, value);
                    let at = rel(&["env"]).index(c.env.len()).field("value");
                    c.origins.record(at, value.span);
                    add(
                        cx,
                        key,
                        (*key_span, arg.span),
                        EnvSource::Value(text),
                        c,
                        seen,
                    );
                }
                None => cx.push(
                    Diagnostic::error("DS0202", "expected a single value after `=`")
                        .at(
                            value.span,
                            format!("{} is not a single value", value.describe()),
                        )
                        .help("quote the value: `NAME=\"...\"`"),
                ),
            },
            _ => {
                let mut d = Diagnostic::error("DS0202", "expected `NAME=VALUE`")
                    .at(arg.span, format!("{} is not `NAME=VALUE`", arg.describe()));
                d = match arg.as_word().and_then(|w| did_you_mean(w, SOURCES.iter().copied())) {
                    Some(s) => d.help(format!("a reference is written `env NAME = {s} REF`")),
                    None => d.help("write `env NAME=VALUE`, or `env NAME = field|secret|configmap|resource REF`"),
                };
                cx.push(d);
            }
        }
    }
}

/// One variable, with where its name (`span`) and the whole of it (`whole`) were written. The
/// name's form (`IsRelaxedEnvVarName`) is a rule of the API server, checked on the object.
fn add(
    cx: &mut Cx,
    name: &str,
    (span, whole): (Span, Span),
    source: EnvSource,
    c: &mut Container,
    seen: &mut HashMap<String, Span>,
) {
    let at = rel(&["env"]).index(c.env.len());
    c.origins.record(at.clone(), whole);
    c.origins.record(at.field("name"), span);
    // The API server takes it; shells and clusters before 1.32 may not (a name it refuses is
    // reported on the object).
    if let (Ok(()), Err(why)) = (names::relaxed_env_name(name), names::env_name(name)) {
        cx.push(
            Diagnostic::warning(
                "DS0906",
                format!("`{name}` is not a portable environment variable name"),
            )
            .at(span, why)
            .help("a shell cannot read it, and clusters before Kubernetes 1.32 refuse it: use letters, digits and `_`, not starting with a digit, or `allow portable-env-name`"),
        );
    }
    // The API server takes the repetition with a warning; both are written, in order.
    match seen.get(name) {
        Some(first) => cx.push(
            Diagnostic::warning(
                "DS0913",
                format!("environment variable `{name}` is set twice"),
            )
            .at(span, "set again here")
            .also(*first, "first set here")
            .help("the container sees the last one and `kubectl apply` may drop one: keep one, or `allow duplicate-env`"),
        ),
        None => {
            seen.insert(name.to_string(), span);
        }
    }
    c.env.push(EnvVar {
        name: name.to_string(),
        source,
    });
}

/// `field PATH`, `secret NAME/KEY [optional]`, `configmap NAME/KEY [optional]`,
/// `resource limits.cpu [divisor 1m] [container NAME]`.
fn reference(
    cx: &mut Cx,
    source: &str,
    rest: &[Arg],
    resource_at: (&mut crate::model::Origins, &crate::api::FieldPath),
) -> Option<EnvSource> {
    let target = &rest[0];
    let text = cx.scalar(target, "a reference")?;
    let options = &rest[1..];
    match source {
        // Which fields env may read is a rule of the API server, checked on the object.
        "field" => {
            no_options(cx, source, options);
            Some(EnvSource::Field(text))
        }
        "secret" | "configmap" => {
            let optional = flag_options(cx, source, options);
            let Some((name, key)) = text.split_once('/') else {
                cx.push(
                    Diagnostic::error("DS0409", format!("a {source} reference needs a key"))
                        .at(target.span, "expected `NAME/KEY`")
                        .help(format!("write `{source} {text}/KEY`; to load every key use `env-from {source} {text}`")),
                );
                return None;
            };
            // The name's and the key's forms are rules of the API server, checked on the object.
            let (name, key) = (name.to_string(), key.to_string());
            Some(if source == "secret" {
                EnvSource::SecretKey {
                    name,
                    key,
                    optional,
                }
            } else {
                EnvSource::ConfigMapKey {
                    name,
                    key,
                    optional,
                }
            })
        }
        _ => super::field_refs::resource_field(cx, &text, target.span, options, resource_at),
    }
}

fn no_options(cx: &mut Cx, source: &str, options: &[Arg]) {
    if let (Some(first), Some(last)) = (options.first(), options.last()) {
        cx.push(
            Diagnostic::error(
                "DS0202",
                format!("too many values for a `{source}` reference"),
            )
            .at(first.span.to(last.span), "unexpected")
            .help("write `env NAME = field PATH`"),
        );
    }
}

/// Only the word `optional` is allowed after a key reference.
fn flag_options(cx: &mut Cx, source: &str, options: &[Arg]) -> bool {
    let mut optional = false;
    for o in options {
        if o.as_word() == Some("optional") {
            optional = true;
        } else {
            cx.push(
                Diagnostic::error(
                    "DS0202",
                    format!("unexpected value for a `{source}` reference"),
                )
                .at(o.span, "not an option here")
                .help("the only option is `optional`"),
            );
        }
    }
    optional
}

/// `env-from configmap|secret NAME [prefix PREFIX] [optional]`.
pub fn check_env_from(cx: &mut Cx, stmt: &Statement, c: &mut Container) {
    cx.no_block(stmt);
    if !cx.arity(stmt, 2, 5) {
        return;
    }
    let kind = match stmt.args[0].as_word() {
        Some("configmap") => EnvFromKind::ConfigMap,
        Some("secret") => EnvFromKind::Secret,
        other => {
            let word = other.unwrap_or_default();
            cx.push(
                Diagnostic::error("DS0202", "`env-from` reads a config map or a secret")
                    .at(stmt.args[0].span, "expected `configmap` or `secret`")
                    .suggest_or(
                        did_you_mean(word, ["configmap", "secret"]),
                        "write `env-from configmap NAME` or `env-from secret NAME`",
                    ),
            );
            return;
        }
    };
    // The name's format is a rule of the API server, checked on the object.
    let Some(name) = cx.scalar(&stmt.args[1], "config map or secret name") else {
        return;
    };
    let mut prefix = None;
    let mut optional = false;
    let mut i = 2;
    while i < stmt.args.len() {
        let arg = &stmt.args[i];
        match arg.as_word() {
            Some("optional") => optional = true,
            Some("prefix") => {
                i += 1;
                match stmt.args.get(i).and_then(Arg::as_text) {
                    // As a name: printable ASCII without `=` for the v1.33 API server
                    // (`ValidateEnvFrom`, checked on the object), and the portable form only a
                    // lint.
                    Some(p) => {
                        let portable = names::env_name(&p);
                        if let (Ok(()), Err(why)) = (names::relaxed_env_name(&p), portable) {
                            cx.push(
                                Diagnostic::warning("DS0906", format!("the prefix `{p}` makes names that are not portable"))
                                    .at(stmt.args[i].span, why)
                                    .help("a shell cannot read them, and clusters before Kubernetes 1.32 refuse them: use letters, digits and `_`, not starting with a digit, or `allow portable-env-name`"),
                            );
                        }
                        prefix = Some((p, stmt.args[i].span));
                    }
                    None => cx.push(
                        Diagnostic::error("DS0202", "`prefix` needs a value")
                            .at(arg.span, "value missing")
                            .help("write `prefix APP_`"),
                    ),
                }
            }
            _ => cx.push(
                Diagnostic::error("DS0202", "unexpected value for `env-from`")
                    .at(arg.span, "not an option here")
                    .help("options of `env-from`: `prefix PREFIX`, `optional`"),
            ),
        }
        i += 1;
    }
    let at = rel(&["envFrom"]).index(c.env_from.len());
    c.origins.record(at.clone(), stmt.span);
    let source = match kind {
        EnvFromKind::ConfigMap => "configMapRef",
        EnvFromKind::Secret => "secretRef",
    };
    c.origins.record(at.field(source), stmt.args[1].span);
    c.origins
        .record(at.field(source).field("name"), stmt.args[1].span);
    if let Some((_, span)) = &prefix {
        c.origins.record(at.field("prefix"), *span);
    }
    c.env_from.push(EnvFrom {
        kind,
        name,
        prefix: prefix.map(|(p, _)| p),
        optional,
    });
}

/// DS0903: a literal that looks like a credential.
fn secret_looking(cx: &mut Cx, name: &str, value: &str, arg: &Arg) {
    let upper = name.to_ascii_uppercase();
    let named = [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "ACCESS_KEY",
        "PRIVATE_KEY",
        "CREDENTIAL",
    ]
    .iter()
    .any(|w| upper.contains(w));
    if named && !value.is_empty() && !value.starts_with("$(") {
        cx.push(
            Diagnostic::warning(
                "DS0903",
                format!("`{name}` looks like a secret written in the spec"),
            )
            .at(arg.span, "literal value")
            .secret(arg.span)
            .help(format!(
                "keep it in a Secret and write `env {name} = secret SECRET-NAME/KEY`"
            )),
        );
    }
}

/// A name the grammar cannot read as one: quoted (`"LOG LEVEL"=info`, read as a string and a
/// word), or with a character outside ASCII (`É=1`, read as one word).
fn bad_name(args: &[Arg]) -> Option<Diagnostic> {
    let (name, span, value) = match args {
        [first, second, ..] if matches!(first.kind, ArgKind::Str { .. }) => {
            let value = second.as_word()?.strip_prefix('=')?;
            (
                first.as_text()?,
                first.span.to(second.span),
                value.to_string(),
            )
        }
        [first, ..] => {
            let (name, value) = first.as_word()?.split_once('=')?;
            if name.is_ascii() {
                return None;
            }
            (name.to_string(), first.span, value.to_string())
        }
        _ => return None,
    };
    let fix: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_.-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let quoted_only = fix == name;
    let why = if quoted_only {
        "an env name is written without quotes"
    } else if !name.is_ascii() {
        "an env name is ASCII: letters, digits, `_`, `-` and `.`"
    } else {
        "an env name holds letters, digits, `_`, `-` and `.`, and no quotes"
    };
    let help = if fix.chars().any(|c| c.is_ascii_alphanumeric()) {
        format!("write `env {fix}={value}`")
    } else {
        format!("name it in ASCII letters, digits and `_`: `env NAME={value}`")
    };
    let message = if quoted_only {
        format!("the env name `{name}` is quoted")
    } else {
        format!("`{name}` cannot be an env name")
    };
    Some(
        Diagnostic::error("DS0202", message)
            .at(span, why)
            .help(help),
    )
}
