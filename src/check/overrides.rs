//! The escape hatch: `pod-override`, `spec-override` and a container's `override` take a YAML
//! fragment that codegen merges into the generated object (a JSON merge patch). Here the
//! fragment is parsed and checked against the Kubernetes type, fragment-locally, so every
//! problem is a diagnostic on the line of the string it comes from:
//!
//! 1. YAML syntax, and the fragment must be a mapping (`DS0750`);
//! 2. every field must exist in the type at its place, with a "did you mean" over its sibling
//!    fields (`DS0751`) — k8s-openapi ignores unknown fields, so they are found by walking the
//!    fragment with the shapes `schema.rs` reads from the types;
//! 3. every value must have the field's kind, and `null` (which removes a field) may not hit a
//!    required one (`DS0752`);
//! 4. last, the fragment merged onto the smallest object the compiler always generates must
//!    deserialize into the type (missing required fields of new list items, int-or-string
//!    values...). Since codegen's object has at least those fields, its merge then succeeds too.

use k8s_openapi::api::apps::v1::DaemonSetSpec;
use k8s_openapi::api::core::v1::{Container, PodSpec, Volume};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::cx::Cx;
use super::fragment_span::{locate_offset, locate_path, show_path};
use super::schema::{required_at, shape_at, Shape, Step};
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::Fragment;
use crate::source::Span;
use crate::syntax::{Arg, ArgKind, Statement, StrLayout};

/// Which generated object a fragment is merged into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `spec-override`: the DaemonSet spec.
    Spec,
    /// `pod-override`: the pod spec.
    Pod,
    /// `override` in a container: that container.
    Container,
    /// `volume NAME override`: the volume, whose name the statement gives.
    Volume,
}

impl Target {
    fn noun(self) -> &'static str {
        match self {
            Target::Spec => "daemonset spec",
            Target::Pod => "pod spec",
            Target::Container => "container",
            Target::Volume => "volume",
        }
    }

    /// The fields codegen always writes, so a fragment need not repeat them.
    fn base(self) -> Value {
        let pod = json!({ "containers": [{ "name": "c" }] });
        match self {
            Target::Spec => json!({ "selector": {}, "template": { "spec": pod } }),
            Target::Pod => pod,
            Target::Container | Target::Volume => json!({ "name": "c" }),
        }
    }
}

/// A finding in a fragment: where (as a path of keys and indices) and what.
struct Problem {
    path: Vec<String>,
    kind: ProblemKind,
}

enum ProblemKind {
    Unknown {
        type_name: &'static str,
        suggestion: Option<&'static str>,
        fields: &'static [&'static str],
    },
    Kind {
        expected: String,
        found: &'static str,
    },
    Removed,
    Missing {
        field: String,
    },
}

/// Checks `KEYWORD """YAML"""`; the parsed fragment when it is valid.
pub fn check_fragment(cx: &mut Cx, s: &Statement, target: Target) -> Option<Fragment> {
    if !cx.arity(s, 1, 1) {
        return None;
    }
    fragment_arg(cx, &s.keyword, &s.args[0], target)
}

/// Checks the YAML fragment `arg` given to `keyword`; the parsed fragment when it is valid.
pub fn fragment_arg(cx: &mut Cx, keyword: &str, arg: &Arg, target: Target) -> Option<Fragment> {
    let ArgKind::Str {
        value: text,
        layout,
        ..
    } = &arg.kind
    else {
        cx.push(
            Diagnostic::error(
                "DS0750",
                format!("`{keyword}` takes a YAML fragment in quotes"),
            )
            .at(arg.span, format!("{} is not a string", arg.describe()))
            .help(format!(
                "write `{keyword} \"\"\"`, the YAML fields on the next lines, and `\"\"\"`"
            )),
        );
        return None;
    };
    let yaml: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let at = e.location().map_or(arg.span, |l| {
                locate_offset(text, *layout, l.index(), 1, arg.span)
            });
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            cx.push(
                Diagnostic::error("DS0750", format!("the {} override is not valid YAML", target.noun()))
                    .at(at, message)
                    .help("indent nested fields with spaces, and quote values that contain `: ` or start with `{`, `[` or `*`"),
            );
            return None;
        }
    };
    let value = match serde_json::to_value(&yaml) {
        Ok(Value::Object(map)) if !map.is_empty() => Value::Object(map),
        _ => {
            cx.push(
                Diagnostic::error(
                    "DS0750",
                    format!("the {} override is not a mapping of fields", target.noun()),
                )
                .at(arg.span, "expected `field: value` lines")
                .help(format!(
                    "write fields of the {}, such as `shareProcessNamespace: true`",
                    target.noun()
                )),
            );
            return None;
        }
    };
    let problems = match target {
        Target::Spec => problems::<DaemonSetSpec>(&value),
        Target::Pod => problems::<PodSpec>(&value),
        Target::Container => problems::<Container>(&value),
        Target::Volume => problems::<Volume>(&value),
    };
    let clean = problems.is_empty();
    for p in problems {
        cx.push(diagnostic(text, *layout, arg.span, target, p));
    }
    if !clean {
        return None;
    }
    let mut merged = target.base();
    let fragment = Fragment {
        value,
        origin: Some(crate::model::FragmentOrigin {
            text: text.to_string(),
            layout: *layout,
            span: arg.span,
        }),
    };
    fragment.merge_into(&mut merged);
    let typed = match target {
        Target::Spec => fits::<DaemonSetSpec>(merged),
        Target::Pod => fits::<PodSpec>(merged),
        Target::Container => fits::<Container>(merged),
        Target::Volume => fits::<Volume>(merged),
    };
    if let Err(e) = typed {
        cx.push(
            Diagnostic::error("DS0752", format!("the {} override does not fit the Kubernetes type", target.noun()))
                .at(arg.span, e)
                .help("a list in an override replaces the generated list, so give each new item all of its required fields"),
        );
        return None;
    }
    Some(fragment)
}

fn fits<T: DeserializeOwned>(v: Value) -> Result<(), String> {
    serde_json::from_value::<T>(v)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The help for a field `type_name` does not have: the closest field, else the first fields.
pub fn unknown_field_help(type_name: &str, suggestion: Option<&str>, fields: &[&str]) -> String {
    if let Some(s) = suggestion {
        return format!("did you mean `{s}`?");
    }
    let mut list: Vec<&str> = fields.to_vec();
    list.truncate(12);
    let more = if fields.len() > 12 { ", ..." } else { "" };
    format!("the fields of `{type_name}` are {}{more}", list.join(", "))
}

/// A field of a whole object that its type does not have (kubectl's strict field validation
/// refuses it), with the closest field of that type.
pub struct UnknownField {
    /// Keys and `[i]` indices from the object's root.
    pub path: Vec<String>,
    pub type_name: &'static str,
    pub suggestion: Option<&'static str>,
    pub fields: &'static [&'static str],
}

/// Every unknown field of `value`, a whole object of type `T` (a manifest's DaemonSet).
pub fn unknown_fields<T: DeserializeOwned + serde::Serialize>(value: &Value) -> Vec<UnknownField> {
    problems::<T>(value)
        .into_iter()
        .filter_map(|p| match p.kind {
            ProblemKind::Unknown {
                type_name,
                suggestion,
                fields,
            } => Some(UnknownField {
                path: p.path,
                type_name,
                suggestion,
                fields,
            }),
            _ => None,
        })
        .collect()
}

fn problems<T: DeserializeOwned + serde::Serialize>(value: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    walk::<T>(value, &mut Vec::new(), &mut Vec::new(), &mut out, false);
    out
}

fn walk<'a, T: DeserializeOwned + serde::Serialize>(
    v: &'a Value,
    steps: &mut Vec<Step<'a>>,
    shown: &mut Vec<String>,
    out: &mut Vec<Problem>,
    in_list: bool,
) {
    let Some(shape) = shape_at::<T>(steps) else {
        return;
    };
    let problem = |kind| Problem {
        path: shown.clone(),
        kind,
    };
    if v.is_null() {
        // `null` removes a field: fine for an optional one or a key of a map (a merge patch
        // deletes it), not in a list or a required one.
        let required = match steps.split_last() {
            Some((Step::Field(f), parent)) => required_at::<T>(parent).iter().any(|r| r == f),
            Some((Step::Value, _)) => false,
            _ => true,
        };
        if in_list || required {
            out.push(problem(ProblemKind::Removed));
        }
        return;
    }
    let expected = match (&shape, v) {
        (Shape::Struct { name, fields }, Value::Object(map)) => {
            // An object in a list is new: nothing from the generated object completes it.
            if in_list {
                for field in required_at::<T>(steps) {
                    if !map.contains_key(&field) {
                        out.push(problem(ProblemKind::Missing { field }));
                    }
                }
            }
            for (k, child) in map {
                shown.push(k.clone());
                if fields.contains(&k.as_str()) {
                    steps.push(Step::Field(k));
                    walk::<T>(child, steps, shown, out, false);
                    steps.pop();
                } else {
                    let suggestion = did_you_mean(k, fields.iter().copied());
                    out.push(Problem {
                        path: shown.clone(),
                        kind: ProblemKind::Unknown {
                            type_name: name,
                            suggestion,
                            fields,
                        },
                    });
                }
                shown.pop();
            }
            return;
        }
        (Shape::Map, Value::Object(map)) => {
            for (k, child) in map {
                shown.push(k.clone());
                steps.push(Step::Value);
                walk::<T>(child, steps, shown, out, false);
                steps.pop();
                shown.pop();
            }
            return;
        }
        (Shape::Seq, Value::Array(items)) => {
            for (i, child) in items.iter().enumerate() {
                shown.push(format!("[{i}]"));
                steps.push(Step::Item);
                walk::<T>(child, steps, shown, out, true);
                steps.pop();
                shown.pop();
            }
            return;
        }
        (Shape::Any, _)
        | (Shape::Str, Value::String(_))
        | (Shape::Bool, Value::Bool(_))
        | (Shape::Float, Value::Number(_)) => return,
        (Shape::Int { min, max }, Value::Number(n))
            if n.as_i64().is_some_and(|n| (*min..=*max).contains(&n)) =>
        {
            return
        }
        (Shape::Struct { name, .. }, _) => format!("a mapping (`{name}`)"),
        (Shape::Map, _) => "a mapping of keys to values".into(),
        (Shape::Seq, _) => "a list".into(),
        (Shape::Str, _) => "a string".into(),
        (Shape::Bool, _) => "`true` or `false`".into(),
        (Shape::Int { min, max }, _) => format!("a whole number from {min} to {max}"),
        (Shape::Float, _) => "a number".into(),
    };
    let found = match v {
        Value::Object(_) => "a mapping",
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "a whole number",
        Value::Number(_) => "a number",
        Value::Null => "null",
    };
    out.push(problem(ProblemKind::Kind { expected, found }));
}

fn diagnostic(
    text: &str,
    layout: StrLayout,
    whole: Span,
    target: Target,
    p: Problem,
) -> Diagnostic {
    let path = show_path(&p.path);
    let at = locate_path(text, layout, &p.path, whole);
    match p.kind {
        ProblemKind::Unknown {
            type_name,
            suggestion,
            fields,
        } => {
            let d = Diagnostic::error(
                "DS0751",
                format!("unknown field `{path}` in the {} override", target.noun()),
            )
            .at(at, format!("`{type_name}` has no such field"));
            d.help(unknown_field_help(type_name, suggestion, fields))
        }
        ProblemKind::Kind { expected, found } => {
            let help = if expected == "a string" {
                "quote the value, such as `\"1\"`: YAML reads bare numbers and `true` as other types".to_string()
            } else if expected.starts_with("`true`") {
                "write `true` or `false` (YAML 1.2 reads `yes` and `on` as strings)".to_string()
            } else {
                format!("give {expected} here")
            };
            Diagnostic::error("DS0752", format!("`{path}` must be {expected}"))
                .at(at, format!("found {found}"))
                .help(help)
        }
        ProblemKind::Missing { field } => {
            Diagnostic::error("DS0752", format!("`{path}` needs `{field}`"))
                .at(at, format!("`{field}` is required"))
                .help(format!("a list in an override replaces the generated one, so each item is written whole: add `{field}`"))
        }
        ProblemKind::Removed => Diagnostic::error("DS0752", format!("`{path}` cannot be null"))
            .at(at, "null removes a field, and this one is required here")
            .help("remove this line, or give the field a value"),
    }
}
