//! Selector requirements shared by node affinity and pod (anti-)affinity: `KEY=VALUE`,
//! `KEY in [a, b]`, `KEY not-in [...]`, `KEY exists`, `KEY does-not-exist`, and for nodes
//! `KEY gt N` / `KEY lt N`. Operators become the API spelling; each part's span is returned for
//! the origins, since the keys' and values' forms and how many values an operator takes
//! (rules 8, 13–15, 139, 140) are rules of the API server, checked on the compiled object.

use super::cx::Cx;
use crate::api::FieldPath;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{Origins, Requirement};
use crate::source::Span;
use crate::syntax::{Arg, ArgKind};

/// What a selector is for: node labels allow `gt`/`lt`; pod label selectors check values.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SelectorKind {
    Node,
    Pod,
}

/// One parsed item: a requirement and where its parts were written, or (pod selectors) a
/// `KEY=VALUE` match label and its key's and value's spans.
pub enum Item {
    Requirement(Requirement, RequirementSpans),
    Label(String, String, Span, Span),
}

/// Where the parts of a requirement were written, for the object rules' findings.
#[derive(Clone, Debug)]
pub struct RequirementSpans {
    pub whole: Span,
    pub key: Span,
    pub operator: Span,
    /// The value, or the list of values.
    pub values: Span,
    pub each: Vec<Span>,
}

impl RequirementSpans {
    /// Records the requirement at `at` (`...matchExpressions[i]`) in `origins`.
    pub fn record(&self, origins: &mut Origins, at: &FieldPath) {
        origins.record(at.clone(), self.whole);
        origins.record(at.field("key"), self.key);
        origins.record(at.field("operator"), self.operator);
        origins.record(at.field("values"), self.values);
        for (i, span) in self.each.iter().enumerate() {
            origins.record(at.field("values").index(i), *span);
        }
    }

    /// What [`RequirementSpans::record`] recorded at `at`, for a requirement of `values` values.
    pub fn read(origins: &Origins, at: &FieldPath, values: usize) -> Option<RequirementSpans> {
        Some(RequirementSpans {
            whole: origins.get(at)?,
            key: origins.get(&at.field("key"))?,
            operator: origins.get(&at.field("operator"))?,
            values: origins.get(&at.field("values"))?,
            each: (0..values)
                .map(|i| origins.get(&at.field("values").index(i)))
                .collect::<Option<_>>()?,
        })
    }
}

const NODE_OPS: &[&str] = &["in", "not-in", "exists", "does-not-exist", "gt", "lt"];
const POD_OPS: &[&str] = &["in", "not-in", "exists", "does-not-exist"];

/// Reads one item at `args[*i]` and moves `*i` past it. `None` after a diagnostic (then `*i`
/// is moved to the end, since the rest cannot be read reliably).
pub fn item(cx: &mut Cx, args: &[Arg], i: &mut usize, kind: SelectorKind) -> Option<Item> {
    let first = &args[*i];
    *i += 1;
    if let ArgKind::Pair {
        key,
        key_span,
        value,
    } = &first.kind
    {
        let value_text = value.as_text().unwrap_or_default();
        return Some(match kind {
            SelectorKind::Pod => Item::Label(key.to_string(), value_text, *key_span, value.span),
            SelectorKind::Node => Item::Requirement(
                Requirement {
                    key: key.to_string(),
                    operator: "In",
                    values: vec![value_text],
                },
                RequirementSpans {
                    whole: first.span,
                    key: *key_span,
                    operator: first.span,
                    values: value.span,
                    each: vec![value.span],
                },
            ),
        });
    }
    let key = first.as_text().unwrap_or_default();
    let ops = if kind == SelectorKind::Node {
        NODE_OPS
    } else {
        POD_OPS
    };
    let Some(op_arg) = args.get(*i) else {
        cx.push(
            Diagnostic::error("DS0710", format!("`{key}` needs an operator"))
                .at(
                    Span::new(first.span.end(), first.span.end()),
                    "operator missing here",
                )
                .help(format!(
                    "write `{key}=VALUE`, `{key} in [A, B]` or `{key} exists`"
                )),
        );
        return None;
    };
    *i += 1;
    let op_text = op_arg.as_text().unwrap_or_default();
    let normalized = op_text.to_ascii_lowercase().replace(['-', '_'], "");
    let op = ops.iter().find(|o| o.replace('-', "") == normalized);
    let Some(op) = op else {
        let mut d = Diagnostic::error("DS0407", format!("unknown operator `{op_text}`"))
            .at(op_arg.span, "not a selector operator");
        d = match did_you_mean(&op_text, ops.iter().copied()) {
            Some(o) => d.suggest(o),
            None if matches!(normalized.as_str(), "equals" | "eq" | "=" | "==" | "is") => {
                d.help(format!("write `{key}=VALUE`, or `{key} in [A, B]`"))
            }
            None if kind == SelectorKind::Pod && matches!(normalized.as_str(), "gt" | "lt") => {
                d.help("`gt` and `lt` compare node labels only; pod selectors use `in`, `not-in`, `exists` or `does-not-exist`")
            }
            None => d.help(format!("use one of: {}", ops.join(", "))),
        };
        cx.push(d);
        *i = args.len();
        return None;
    };
    let (operator, takes) = match *op {
        "in" => ("In", Takes::Many),
        "not-in" => ("NotIn", Takes::Many),
        "exists" => ("Exists", Takes::None),
        "does-not-exist" => ("DoesNotExist", Takes::None),
        "gt" => ("Gt", Takes::Integer),
        _ => ("Lt", Takes::Integer),
    };
    let mut values = Vec::new();
    let mut values_arg = None;
    if takes != Takes::None {
        let Some(v) = args.get(*i) else {
            cx.push(
                Diagnostic::error("DS0710", format!("`{op}` needs a value"))
                    .at(
                        Span::new(op_arg.span.end(), op_arg.span.end()),
                        "value missing here",
                    )
                    .help(match takes {
                        Takes::Integer => format!("write `{key} {op} 3`"),
                        _ => format!("write `{key} {op} [A, B]`"),
                    }),
            );
            return None;
        };
        *i += 1;
        values_arg = Some(v);
        let items: Vec<&Arg> = match &v.kind {
            ArgKind::List(items) => items.iter().collect(),
            _ => vec![v],
        };
        for item in items {
            values.push(item.as_text().unwrap_or_default());
        }
        // How many values an operator takes (rules 139, 140, 13–15) is a rule of the API
        // server, checked on the compiled object at the spans recorded for them.
        if takes == Takes::Integer && values.len() == 1 {
            // The server does not read the value; the scheduler parses it, and a term with
            // another value never matches.
            if values[0].parse::<i64>().is_err() {
                cx.push(
                    Diagnostic::warning("DS0915", format!("`{op}` compares with `{}`, which is not an integer", values[0]))
                        .at(v.span, "not an integer")
                        .help(format!("the scheduler reads the node label and the value as integers, so this term never matches: write `{key} {op} 3`, or `allow non-integer-comparison`")),
                );
            }
        }
    }
    let last = values_arg.unwrap_or(op_arg);
    let spans = RequirementSpans {
        whole: first.span.to(last.span),
        key: first.span,
        operator: op_arg.span,
        values: last.span,
        each: match values_arg.map(|a| &a.kind) {
            Some(ArgKind::List(items)) => items.iter().map(|a| a.span).collect(),
            Some(_) => vec![last.span],
            None => Vec::new(),
        },
    };
    Some(Item::Requirement(
        Requirement {
            key,
            operator,
            values,
        },
        spans,
    ))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Takes {
    None,
    Many,
    Integer,
}
