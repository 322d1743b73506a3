//! Reading statement arguments: arity, scalars, names and `key=value` maps, each with its
//! diagnostic when the argument is not what the setting takes.

use foldhash::HashMap;

use super::cx::Cx;
use super::keywords::usage;
use crate::api::names;
use crate::api::FieldPath;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{Labels, Origins};
use crate::source::Span;
use crate::syntax::{Arg, ArgKind, Statement};

impl Cx {
    /// Checks the argument count; reports `DS0202` with the usage line when it is off.
    pub fn arity(&mut self, stmt: &Statement, min: usize, max: usize) -> bool {
        let n = stmt.args.len();
        if n < min {
            let at = stmt.args.last().map_or(stmt.keyword_span, |a| a.span);
            self.push(
                Diagnostic::error("DS0202", format!("`{}` needs a value", stmt.keyword))
                    .at(Span::new(at.end(), at.end()), "value missing here")
                    .help(format!("write `{}`", usage(&stmt.keyword))),
            );
            return false;
        }
        if n > max {
            let extra = stmt.args[max].span.to(stmt.args[n - 1].span);
            self.push(
                Diagnostic::error("DS0202", format!("too many values for `{}`", stmt.keyword))
                    .at(extra, "unexpected")
                    .help(format!("write `{}`", usage(&stmt.keyword))),
            );
            return false;
        }
        true
    }

    /// A single textual value: a word, a string or a number.
    pub fn scalar(&mut self, arg: &Arg, what: &str) -> Option<String> {
        match &arg.kind {
            ArgKind::Word(s) | ArgKind::Number(s) => Some(s.to_string()),
            ArgKind::Str { value, .. } => Some(value.to_string()),
            _ => {
                self.push(
                    Diagnostic::error(
                        "DS0202",
                        format!("expected {what}, found {}", arg.describe()),
                    )
                    .at(arg.span, format!("expected {what}"))
                    .help("quote the value if it contains `=`, brackets or spaces"),
                );
                None
            }
        }
    }

    /// The name of a config map, secret or claim the pod refers to; see [`object_name`].
    pub fn object_name(&mut self, arg: &Arg, what: &str, required: bool) -> Option<String> {
        let value = self.scalar(arg, what)?;
        object_name(self, arg.span, what, &value, required);
        Some(value)
    }

    /// `key=value` arguments into a map, each entry recorded in `origins` under every map of
    /// the object it lands in (`targets`). The keys' and values' formats are rules of the API
    /// server, checked on the compiled object at these records.
    pub fn key_values(
        &mut self,
        stmt: &Statement,
        into: &mut Labels,
        spans: &mut HashMap<String, Span>,
        (origins, targets): (&mut Origins, &[FieldPath]),
    ) {
        if !self.arity(stmt, 1, usize::MAX) {
            return;
        }
        // A finding about a whole map (the annotations' total size) lands on its first statement.
        for target in targets {
            if origins.get(target).is_none() {
                origins.record(target.clone(), stmt.span);
            }
        }
        let mut args = stmt.args.iter().peekable();
        while let Some(arg) = args.next() {
            let ArgKind::Pair {
                key,
                key_span,
                value,
            } = &arg.kind
            else {
                // `labels app: x` is a YAML habit: one finding for the pair, with the fix.
                let yaml_key = arg.as_word().and_then(|w| w.strip_suffix(':'));
                let yaml_value = args.peek().and_then(|a| a.as_text());
                let (span, help) = match (yaml_key, yaml_value) {
                    (Some(k), Some(v)) => {
                        let span = arg.span.to(args.next().map_or(arg.span, |a| a.span));
                        (span, format!("write `{k}={v}`"))
                    }
                    _ => (arg.span, format!("write `{}`", usage(&stmt.keyword))),
                };
                self.push(
                    Diagnostic::error(
                        "DS0202",
                        format!("`{}` takes `key=value` pairs", stmt.keyword),
                    )
                    .at(span, format!("{} is not `key=value`", arg.describe()))
                    .help(help),
                );
                continue;
            };
            let Some(value_text) = value.as_text() else {
                self.push(
                    Diagnostic::error("DS0202", "expected a single value after `=`")
                        .at(
                            value.span,
                            format!("{} is not a single value", value.describe()),
                        )
                        .help("quote the value: `key=\"...\"`"),
                );
                continue;
            };
            if let Some(first) = spans.get(key.as_str()) {
                let noun = match stmt.keyword.ends_with("annotations") {
                    true => "annotation",
                    false => "label",
                };
                self.push(
                    Diagnostic::error("DS0207", format!("{noun} `{key}` is given twice"))
                        .at(*key_span, "given again here")
                        .also(*first, "first given here")
                        .help("keep one value for each key"),
                );
                continue;
            }
            spans.insert(key.to_string(), *key_span);
            for target in targets {
                origins.record(target.key(key), value.span);
                origins.record_key(target.key(key), *key_span);
            }
            into.insert(key.to_string(), value_text);
        }
    }
}

/// The name of an object a pod refers to (a config map, secret or claim of a volume, a projected
/// source, an image pull secret). The API server asks at most that it be set (an empty name it
/// requires is reported by the object rules; an image pull secret's name is not even required);
/// a name no such object can have is the lint `object-name`.
pub fn object_name(cx: &mut Cx, span: Span, what: &str, value: &str, required: bool) {
    if value.is_empty() && required {
        return;
    }
    if let Err(why) = names::dns_subdomain(value) {
        let object = what.trim_end_matches(" name");
        let fix = match names::suggest_dns_label(value) {
            Some(fix) if fix != value => format!("`{fix}`"),
            _ => "lower-case letters, digits, `-` and `.`".to_string(),
        };
        cx.push(
            Diagnostic::warning("DS0912", format!("no {object} can be named `{value}`"))
                .at(span, why)
                .help(format!(
                    "{object} names are DNS subdomains, so this one names nothing: write {fix}, or `allow object-name`"
                )),
        );
    }
}

/// The arguments with lists opened up: `a [b, c] d` → `a b c d`.
pub fn flatten(args: &[Arg]) -> Vec<&Arg> {
    let mut out = Vec::new();
    for a in args {
        match &a.kind {
            ArgKind::List(items) => out.extend(flatten(items)),
            _ => out.push(a),
        }
    }
    out
}
/// The item of `all` whose spelling (`keyword`) `arg` is, ignoring case, `-` and `_`; else
/// `DS0407` naming `what` with a "did you mean" or the list of spellings.
pub(super) fn word_of<T: Copy>(
    cx: &mut Cx,
    arg: &Arg,
    all: &[T],
    keyword: fn(T) -> &'static str,
    what: &str,
) -> Option<T> {
    let text = arg.as_text().unwrap_or_default();
    let norm = |s: &str| s.to_ascii_lowercase().replace(['-', '_'], "");
    if let Some(t) = all.iter().find(|t| norm(keyword(**t)) == norm(&text)) {
        return Some(*t);
    }
    let words: Vec<&str> = all.iter().map(|t| keyword(*t)).collect();
    let article = match what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        true => "an",
        false => "a",
    };
    let mut d = Diagnostic::error("DS0407", format!("unknown {what} `{text}`"))
        .at(arg.span, format!("not {article} {what}"));
    d = match did_you_mean(&text, words.iter().copied()) {
        Some(w) => d.suggest(w),
        None => d.help(format!("{what}s: {}", words.join(", "))),
    };
    cx.push(d);
    None
}
