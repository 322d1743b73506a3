//! Options after a setting's leading values (`ro`, `type socket`, `items k=v ...`, `period 5s`):
//! each checked against the options the setting takes, with "did you mean" for a misspelling.

use foldhash::{HashMap, HashMapExt};

use super::cx::Cx;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::source::Span;
use crate::syntax::{Arg, ArgKind};

/// What follows an option word.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    /// Nothing: `ro`, `optional`.
    Flag,
    /// One value: `type socket`, `period 5s`.
    Value,
    /// One or more `key=value` pairs: `items a=b c=d`. May repeat; the pairs add up.
    Pairs,
}

/// One option a setting takes, with its usage for help lines (`sub-path PATH`).
#[derive(Clone, Copy)]
pub struct Opt {
    pub name: &'static str,
    pub takes: Takes,
    pub usage: &'static str,
}

pub const fn flag(name: &'static str) -> Opt {
    Opt {
        name,
        takes: Takes::Flag,
        usage: name,
    }
}

pub const fn value(name: &'static str, usage: &'static str) -> Opt {
    Opt {
        name,
        takes: Takes::Value,
        usage,
    }
}

pub const fn pairs(name: &'static str, usage: &'static str) -> Opt {
    Opt {
        name,
        takes: Takes::Pairs,
        usage,
    }
}

/// One option as written: its word's span and the values after it.
pub struct Found<'a> {
    pub name: &'static str,
    pub span: Span,
    pub values: &'a [Arg],
}

/// The options of one statement, in the order written.
#[derive(Default)]
pub struct Options<'a> {
    pub found: Vec<Found<'a>>,
}

impl<'a> Options<'a> {
    /// Where a flag or option was written, if it was.
    pub fn span(&self, name: &str) -> Option<Span> {
        self.found.iter().find(|f| f.name == name).map(|f| f.span)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.span(name).is_some()
    }

    /// The value of a one-value option.
    pub fn value(&self, name: &str) -> Option<&'a Arg> {
        self.found
            .iter()
            .find(|f| f.name == name)
            .and_then(|f| f.values.first())
    }

    /// Every `key=value` pair given to a pairs option, over all its occurrences, as the key,
    /// its span and the value.
    pub fn pairs(&self, name: &str) -> Vec<(&'a str, Span, &'a Arg)> {
        self.found
            .iter()
            .filter(|f| f.name == name)
            .flat_map(|f| f.values.iter())
            .filter_map(|a| match &a.kind {
                ArgKind::Pair {
                    key,
                    key_span,
                    value,
                } => Some((key.as_str(), *key_span, value.as_ref())),
                _ => None,
            })
            .collect()
    }
}

impl Cx {
    /// Reads `args` as options of `keyword`. Unknown words, missing values and repeated
    /// one-value options are reported (`DS0202`, `DS0203`) and skipped.
    pub fn options<'a>(&mut self, keyword: &str, args: &'a [Arg], known: &[Opt]) -> Options<'a> {
        let mut out = Options::default();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut i = 0;
        while i < args.len() {
            let arg = &args[i];
            let Some(opt) = arg
                .as_word()
                .and_then(|w| known.iter().find(|o| o.name == w))
            else {
                let (d, meant) = unknown_option(keyword, arg, known);
                self.push(d);
                i += 1;
                // The value of a misspelled option is not one more mistake.
                match meant.map(|o| o.takes) {
                    Some(Takes::Value) => i += 1,
                    Some(Takes::Pairs) => {
                        while args
                            .get(i)
                            .is_some_and(|a| matches!(a.kind, ArgKind::Pair { .. }))
                        {
                            i += 1;
                        }
                    }
                    _ => {}
                }
                continue;
            };
            let start = i + 1;
            let end = match opt.takes {
                Takes::Flag => start,
                Takes::Value => (start + 1).min(args.len()),
                Takes::Pairs => {
                    let n = args[start..]
                        .iter()
                        .take_while(|a| matches!(a.kind, ArgKind::Pair { .. }))
                        .count();
                    start + n
                }
            };
            i = end.max(start);
            if end == start && opt.takes != Takes::Flag {
                let what = if opt.takes == Takes::Pairs {
                    "`key=value` pairs"
                } else {
                    "a value"
                };
                self.push(
                    Diagnostic::error("DS0202", format!("`{}` needs {what}", opt.name))
                        .at(
                            Span::new(arg.span.end(), arg.span.end()),
                            "value missing here",
                        )
                        .help(format!("write `{}`", opt.usage)),
                );
                continue;
            }
            if opt.takes != Takes::Pairs {
                if let Some(first) = seen.get(opt.name) {
                    self.push(
                        Diagnostic::error("DS0203", format!("`{}` is given twice", opt.name))
                            .at(arg.span, "given again here")
                            .also(*first, "first given here")
                            .help("keep one of them"),
                    );
                    continue;
                }
                seen.insert(opt.name, arg.span);
            }
            out.found.push(Found {
                name: opt.name,
                span: arg.span,
                values: &args[start..end],
            });
        }
        out
    }
}

/// Spellings carried over from YAML or other tools, and the option they mean.
const ALIASES: &[(&str, &str)] = &[
    ("readonly", "ro"),
    ("subpath", "sub-path"),
    ("subpathexpr", "sub-path-expr"),
    ("mountpropagation", "propagation"),
    ("initialdelay", "delay"),
    ("initialdelayseconds", "delay"),
    ("periodseconds", "period"),
    ("timeoutseconds", "timeout"),
    ("successthreshold", "success"),
    ("failurethreshold", "failure"),
];

/// The finding for a word that is not an option, and the option it was likely meant to be.
fn unknown_option<'o>(keyword: &str, arg: &Arg, known: &'o [Opt]) -> (Diagnostic, Option<&'o Opt>) {
    let text = arg.as_text().unwrap_or_else(|| arg.describe().to_string());
    let d = Diagnostic::error(
        "DS0202",
        format!("unexpected value `{text}` for `{keyword}`"),
    )
    .at(arg.span, format!("not an option of `{keyword}`"));
    let alias = arg.as_word().and_then(|w| {
        let w = w.to_ascii_lowercase().replace(['-', '_'], "");
        ALIASES.iter().find(|(a, _)| *a == w).map(|(_, name)| *name)
    });
    let suggestion = alias
        .or_else(|| {
            arg.as_word()
                .and_then(|w| did_you_mean(w, known.iter().map(|o| o.name)))
        })
        .and_then(|name| known.iter().find(|o| o.name == name));
    let d = match (suggestion, known.is_empty()) {
        (Some(o), _) => d
            .help(format!("did you mean `{}`?", o.usage))
            .fix(arg.span, o.name),
        (None, true) => d.help(format!("`{keyword}` takes no options here; remove it")),
        (None, false) => {
            let all: Vec<&str> = known.iter().map(|o| o.usage).collect();
            d.help(format!("options here: {}", all.join(", ")))
        }
    };
    (d, suggestion)
}
