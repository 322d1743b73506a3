//! Parameters: `param NAME [TYPE] = DEFAULT` at the top of a file. A parameter always has a
//! default, so every spec compiles alone (in an editor, in `dsc check`), and takes another value
//! only from the command line (`-D NAME=VALUE`): never from the process environment, the clock
//! or the network, so the output is a function of the files and `-D`.
//!
//! A value is one word (what may stand unquoted in a spec): substituted into a word, it cannot
//! open a string, a list or a block. Types check the value where it is given: `string` (the
//! default), `int`, `bool`, `quantity`, `duration`, or a list of the allowed words.

use std::collections::BTreeMap;

use crate::api::quantity::Quantity;
use crate::check::duration::parse_millis;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::source::Span;
use crate::syntax::{ArgKind, Ast, Statement};

/// The values given on the command line, `-D NAME=VALUE`, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Definitions {
    values: BTreeMap<String, String>,
}

impl Definitions {
    /// Reads `NAME=VALUE` items; a name given twice, or an item without `=`, is an error.
    pub fn parse<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut values = BTreeMap::new();
        for item in items {
            let Some((name, value)) = item.split_once('=') else {
                return Err(format!(
                    "`-D {item}`: a parameter is set as `-D NAME=VALUE`"
                ));
            };
            if !is_name(name) {
                return Err(format!(
                    "`-D {item}`: `{name}` is not a parameter name (letters, digits, `_` and `-`, \
                     starting with a letter or `_`)"
                ));
            }
            if values.insert(name.to_string(), value.to_string()).is_some() {
                return Err(format!("`-D {name}=...` is given twice"));
            }
        }
        Ok(Definitions { values })
    }

    /// The names given, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// Each name with its value, sorted by name.
    pub fn items(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

/// What values a parameter takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamType {
    String,
    Int,
    Bool,
    Quantity,
    Duration,
    /// One of these words.
    OneOf(Vec<String>),
}

const TYPES: &[&str] = &["string", "int", "bool", "quantity", "duration"];

impl ParamType {
    fn named(word: &str) -> Option<ParamType> {
        Some(match word {
            "string" => ParamType::String,
            "int" => ParamType::Int,
            "bool" => ParamType::Bool,
            "quantity" => ParamType::Quantity,
            "duration" => ParamType::Duration,
            _ => return None,
        })
    }

    /// Why `value` is not of this type, with a help line.
    fn refuse(&self, value: &str) -> Option<(String, String)> {
        if let Some(why) = not_a_word(value) {
            return Some((
                why,
                "a value is one word, as it could stand unquoted in a spec".into(),
            ));
        }
        let refused = |what: &str, help: &str| Some((format!("not {what}"), help.to_string()));
        match self {
            ParamType::String => None,
            ParamType::Int => value
                .parse::<i64>()
                .is_err()
                .then(|| refused("an integer", "write a whole number: `3`, `-1`"))?,
            ParamType::Bool => (!matches!(value, "true" | "false"))
                .then(|| refused("`true` or `false`", "write `true` or `false`"))?,
            ParamType::Quantity => Quantity::parse(value).err().map(|why| {
                (
                    why,
                    "write a number and an optional unit: `250m`, `0.5`, `128Mi`".to_string(),
                )
            }),
            ParamType::Duration => parse_millis(value).is_err().then(|| {
                refused(
                    "a duration",
                    "write a number and a unit: `500ms`, `10s`, `1h30m`",
                )
            })?,
            ParamType::OneOf(words) => (!words.iter().any(|w| w == value)).then(|| {
                let help = match did_you_mean(value, words.iter().map(String::as_str)) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("write one of {}", quoted(words)),
                };
                (format!("not one of {}", quoted(words)), help)
            }),
        }
    }
}

/// A declared parameter and the value it takes in this run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    /// The name in the `param` statement.
    pub span: Span,
    pub ty: ParamType,
    pub value: String,
    /// Whether the value came from `-D` rather than the default.
    pub defined: bool,
}

/// One piece of a `param` statement: `NAME`, `TYPE`, `=`, `DEFAULT`, with its span. A
/// `key=value` argument is its three pieces.
enum Piece {
    Text(String, Span),
    /// A list: the words of a `OneOf` type.
    List(Vec<String>, Span),
}

/// Reads every top-level `param` statement of `ast`, with the value each takes.
pub fn declare(ast: &Ast, definitions: &Definitions, diags: &mut Vec<Diagnostic>) -> Vec<Param> {
    let mut params: Vec<Param> = Vec::new();
    for stmt in ast.statements.iter().filter(|s| s.keyword == "param") {
        let Some(mut param) = declaration(stmt, diags) else {
            continue;
        };
        if let Some(first) = params.iter().find(|p| p.name == param.name) {
            diags.push(
                Diagnostic::error(
                    "DS0108",
                    format!("parameter `{}` is declared twice", param.name),
                )
                .at(param.span, "declared again here")
                .also(first.span, "first declared here")
                .help("keep one declaration, or rename one of them"),
            );
            continue;
        }
        if let Some(value) = definitions.get(&param.name) {
            match param.ty.refuse(value) {
                Some((why, help)) => diags.push(
                    Diagnostic::error(
                        "DS0109",
                        format!(
                            "`-D {}={value}` does not fit parameter `{}`: {why}",
                            param.name, param.name
                        ),
                    )
                    .at(
                        param.span,
                        format!("declared here as {}", param.ty.describe()),
                    )
                    .help(help),
                ),
                None => {
                    param.value = value.to_string();
                    param.defined = true;
                }
            }
        }
        params.push(param);
    }
    params
}

/// One `param` statement, or `None` after reporting why it is not one.
fn declaration(stmt: &Statement, diags: &mut Vec<Diagnostic>) -> Option<Param> {
    let shape = "write `param NAME = DEFAULT`, or with a type: `param NAME int = 3`, \
                 `param level [debug, info] = info`";
    let mut pieces = Vec::new();
    for arg in &stmt.args {
        match &arg.kind {
            // `NAME=DEFAULT`, and `NAME= DEFAULT` (a pair with an empty value, then a word).
            ArgKind::Pair {
                key,
                key_span,
                value,
            } => {
                pieces.push(Piece::Text(key.to_string(), *key_span));
                pieces.push(Piece::Text("=".into(), *key_span));
                if !matches!(value.kind, ArgKind::Empty) {
                    pieces.push(Piece::Text(value.as_text().unwrap_or_default(), value.span));
                }
            }
            // `NAME =DEFAULT`: the word `=DEFAULT`.
            ArgKind::Word(w) if w.len() > 1 && w.starts_with('=') => {
                pieces.push(Piece::Text("=".into(), arg.span));
                pieces.push(Piece::Text(w[1..].to_string(), arg.span));
            }
            ArgKind::List(items) => {
                let words = items.iter().filter_map(|i| i.as_text()).collect();
                pieces.push(Piece::List(words, arg.span));
            }
            _ => pieces.push(Piece::Text(arg.as_text().unwrap_or_default(), arg.span)),
        }
    }
    let bad = |at: Span, label: &str, message: String, help: &str| {
        Diagnostic::error("DS0108", message)
            .at(at, label.to_string())
            .help(help.to_string())
    };
    let Some(Piece::Text(name, name_span)) = pieces.first() else {
        diags.push(bad(
            stmt.keyword_span,
            "no name",
            "a parameter needs a name".into(),
            shape,
        ));
        return None;
    };
    if !is_name(name) {
        diags.push(bad(
            *name_span,
            "not a parameter name",
            format!("`{name}` is not a parameter name"),
            "a name is letters, digits, `_` and `-`, starting with a letter or `_`: `image_tag`",
        ));
        return None;
    }
    let mut rest = &pieces[1..];
    let mut ty = ParamType::String;
    match rest.first() {
        Some(Piece::Text(word, at)) if word != "=" => {
            let Some(named) = ParamType::named(word) else {
                let help = match did_you_mean(word, TYPES.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!(
                        "the types are {}, or a list of the allowed words",
                        TYPES.join(", ")
                    ),
                };
                diags.push(bad(
                    *at,
                    "not a type",
                    format!("`{word}` is not a parameter type"),
                    &help,
                ));
                return None;
            };
            ty = named;
            rest = &rest[1..];
        }
        Some(Piece::List(words, at)) => {
            if words.is_empty() {
                diags.push(bad(
                    *at,
                    "no word",
                    "a list of allowed words is empty".into(),
                    "list the values the parameter may take: `[debug, info]`",
                ));
                return None;
            }
            ty = ParamType::OneOf(words.clone());
            rest = &rest[1..];
        }
        _ => {}
    }
    let (value, at) = match rest {
        [Piece::Text(eq, _), Piece::Text(value, at)] if eq == "=" => (value.clone(), *at),
        [] => {
            diags.push(bad(
                *name_span,
                "no default",
                format!("parameter `{name}` has no default"),
                &format!("give it one, so the spec compiles without `-D`: `param {name} = VALUE`; `-D {name}=...` sets another value for a build"),
            ));
            return None;
        }
        _ => {
            diags.push(bad(
                stmt.span,
                "not a declaration",
                "a `param` statement is `param NAME [TYPE] = DEFAULT`".into(),
                shape,
            ));
            return None;
        }
    };
    if value.contains("${") {
        diags.push(bad(
            at,
            "uses a parameter",
            "a default cannot use a parameter".into(),
            "write the value itself",
        ));
        return None;
    }
    if let Some((why, help)) = ty.refuse(&value) {
        diags.push(bad(
            at,
            &why,
            format!("the default of `{name}` is not {}", ty.describe()),
            &help,
        ));
        return None;
    }
    Some(Param {
        name: name.clone(),
        span: *name_span,
        ty,
        value,
        defined: false,
    })
}

impl ParamType {
    /// The type in words, for messages.
    pub fn describe(&self) -> String {
        match self {
            ParamType::String => "a string".into(),
            ParamType::Int => "an integer".into(),
            ParamType::Bool => "`true` or `false`".into(),
            ParamType::Quantity => "a quantity".into(),
            ParamType::Duration => "a duration".into(),
            ParamType::OneOf(words) => format!("one of {}", quoted(words)),
        }
    }
}

fn quoted(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A parameter's name: `[A-Za-z_][A-Za-z0-9_-]*`.
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Why `value` cannot stand in a word: a character no word holds (whatever else a value must
/// be where it is used, reading it there decides).
fn not_a_word(value: &str) -> Option<String> {
    let bad = value
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '{' | '}' | ';'))?;
    Some(format!("holds {bad:?}, which cannot stand in a word"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_are_name_equals_value() {
        let d = Definitions::parse(["tag=1.2", "level=", "x=a=b"]).unwrap();
        assert_eq!(d.get("tag"), Some("1.2"));
        assert_eq!(d.get("level"), Some(""));
        assert_eq!(d.get("x"), Some("a=b"));
        assert!(Definitions::parse(["tag"]).is_err());
        assert!(Definitions::parse(["9x=1"]).is_err());
        assert!(Definitions::parse(["a=1", "a=2"]).is_err());
    }

    fn declared(text: &str) -> Vec<(String, String)> {
        let (ast, _) = crate::syntax::parse(text);
        let mut diags = Vec::new();
        let params = declare(&ast, &Definitions::default(), &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        params.into_iter().map(|p| (p.name, p.value)).collect()
    }

    #[test]
    fn the_equals_sign_may_have_spaces_on_either_side() {
        for text in [
            "param a = 1",
            "param a=1",
            "param a =1",
            "param a= 1",
            "param a string = 1",
        ] {
            assert_eq!(
                declared(text),
                [("a".to_string(), "1".to_string())],
                "{text}"
            );
        }
        assert_eq!(
            declared("param level [debug,info]=info"),
            [("level".to_string(), "info".to_string())]
        );
    }

    #[test]
    fn types_check_values() {
        assert!(ParamType::Int.refuse("3").is_none());
        assert!(ParamType::Int.refuse("3.5").is_some());
        assert!(ParamType::Bool.refuse("yes").is_some());
        assert!(ParamType::Quantity.refuse("128Mi").is_none());
        assert!(ParamType::Quantity.refuse("128MB").is_some());
        assert!(ParamType::Duration.refuse("1h30m").is_none());
        assert!(ParamType::Duration.refuse("10").is_some());
        let level = ParamType::OneOf(vec!["debug".into(), "info".into()]);
        let (_, help) = level.refuse("inof").unwrap();
        assert_eq!(help, "did you mean `info`?");
        assert!(ParamType::String.refuse("a b").is_some());
        assert!(ParamType::String.refuse("r/a:1.0").is_none());
    }
}
