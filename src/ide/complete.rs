//! Completion at an offset: the settings of the block (with their usage), the words an
//! enumerated place takes (pull policies, DNS policies, volume types, probe methods), and the
//! names the spec declares (volumes for `mount`, ports for a probe's `port`, containers, and
//! parameters after `${`).

use super::place::{port_name, statements_of, Place};
use crate::check::choices::choices;
use crate::source::Span;
use crate::syntax::Ast;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    /// A setting: the first word of a statement.
    Keyword,
    /// A word from a fixed list (`if-not-present`).
    Value,
    /// A name the spec declares (a volume, a port, a container).
    Name,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// One line: a keyword's usage, or what a name is.
    pub detail: String,
    /// Markdown for the documentation pane.
    pub documentation: Option<String>,
    /// The text the completion replaces: the word typed so far.
    pub replace: Span,
}

/// What may be written at `offset` of `text`.
pub fn completions(text: &str, offset: usize) -> Vec<Completion> {
    let (ast, _) = crate::syntax::parse_tree(text);
    complete(&ast, text, offset)
}

fn complete(ast: &Ast, text: &str, offset: usize) -> Vec<Completion> {
    // After `${`: the parameters, replacing the name typed so far.
    if let Some((_, at)) = super::params::reference_at(text, offset) {
        let start = (at.start() + 2).min(offset);
        return super::params::declared(ast)
            .into_iter()
            .map(|p| Completion {
                label: p.name.clone(),
                kind: CompletionKind::Name,
                detail: format!("a parameter: {}", p.ty.describe()),
                documentation: Some(super::params::markdown(&p)),
                replace: Span::new(start, offset),
            })
            .collect();
    }
    let place = Place::find(ast, text, offset);
    let replace = place.word;
    let item = |label: &str, kind, detail: String, documentation| Completion {
        label: label.to_string(),
        kind,
        detail,
        documentation,
        replace,
    };
    let Some((&keyword, args)) = place.before.split_first() else {
        return place
            .table()
            .iter()
            .map(|k| {
                item(
                    k.name,
                    CompletionKind::Keyword,
                    k.usage.to_string(),
                    Some(super::hover::keyword_markdown(k)),
                )
            })
            .collect();
    };
    let previous = args.last().copied().unwrap_or(keyword);
    let mut out: Vec<Completion> = choices(keyword, args.len(), previous)
        .into_iter()
        .map(|w| {
            item(
                w,
                CompletionKind::Value,
                format!("a value of `{keyword}`"),
                None,
            )
        })
        .collect();
    for (name, what) in declared_names(ast, &place, keyword, args, previous) {
        out.push(item(&name, CompletionKind::Name, what, None));
    }
    out
}

/// Names the spec declares that fit here.
fn declared_names(
    ast: &Ast,
    place: &Place,
    keyword: &str,
    args: &[&str],
    previous: &str,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let daemonset = place.enclosing(&["daemonset"]);
    if matches!(keyword, "daemonset" | "defaults") && args.contains(&"from") {
        // The defaults blocks of this file (a library's are named in its file).
        for d in ast.statements.iter().filter(|s| s.keyword == "defaults") {
            if let Some(name) = d.args.first().and_then(|a| a.as_word()) {
                if !args.contains(&name) {
                    out.push((
                        name.to_string(),
                        "a defaults block of this file".to_string(),
                    ));
                }
            }
        }
    } else if keyword == "mount" && args.is_empty() {
        for v in daemonset
            .into_iter()
            .flat_map(|d| statements_of(d, "volume"))
        {
            if let Some(name) = v.args.first().and_then(|a| a.as_text()) {
                out.push((name, "a volume of this daemonset".to_string()));
            }
        }
    } else if args.len() == 1 && super::place::names_a_port(keyword, args[0]) {
        let container = place.enclosing(&["container", "init"]);
        for p in container.into_iter().flat_map(|c| statements_of(c, "port")) {
            if let Some((name, _)) = port_name(p) {
                out.push((name.to_string(), "a port of this container".to_string()));
            }
        }
    } else if keyword == "env" && previous == "container" {
        for kw in ["container", "init"] {
            for c in daemonset.into_iter().flat_map(|d| statements_of(d, kw)) {
                if let Some(name) = c.args.first().and_then(|a| a.as_text()) {
                    out.push((name, format!("a container of this daemonset ({kw})")));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{completions, CompletionKind};

    fn labels(text: &str) -> Vec<(String, CompletionKind)> {
        let offset = text.find('|').unwrap();
        completions(&text.replacen('|', "", 1), offset)
            .into_iter()
            .map(|c| (c.label, c.kind))
            .collect()
    }

    fn has(text: &str, label: &str) -> bool {
        labels(text).iter().any(|(l, _)| l == label)
    }

    #[test]
    fn after_from_the_defaults_blocks_of_the_file() {
        let text =
            "defaults base { tolerate all }\ndefaults gpu { }\ndaemonset a from gpu | {\n}\n";
        assert!(has(text, "base"));
        // A name already given is not offered again.
        assert!(!has(text, "gpu"));
    }

    #[test]
    fn parameters_after_dollar_brace() {
        let text = "param tag = 1\nparam level [a, b] = a\ndaemonset a {\n  container b {\n    image r/b:${t|\n  }\n}\n";
        let found = labels(text);
        assert_eq!(
            found,
            [
                ("tag".to_string(), CompletionKind::Name),
                ("level".to_string(), CompletionKind::Name)
            ]
        );
        let offset = text.find('|').unwrap();
        let text = text.replacen('|', "", 1);
        let first = &completions(&text, offset)[0];
        assert_eq!(&text[first.replace.start()..first.replace.end()], "t");
    }

    #[test]
    fn settings_of_each_block() {
        assert!(has("|", "daemonset"));
        assert!(has("daemonset a {\n  |\n}\n", "host-network"));
        assert!(!has("daemonset a {\n  |\n}\n", "image"));
        assert!(has(
            "daemonset a {\n  container b {\n    im|\n  }\n}\n",
            "image"
        ));
        assert!(has(
            "daemonset a {\n  dns none {\n    |\n  }\n}\n",
            "nameservers"
        ));
        assert!(has(
            "daemonset a {\n  volume v projected {\n    |\n  }\n}\n",
            "token"
        ));
        // While typing, with the blocks still open.
        assert!(has("daemonset a {\n  container b {\n    |", "memory"));
    }

    #[test]
    fn enumerated_values_and_declared_names() {
        assert!(has(
            "daemonset a {\n  container b {\n    pull |\n  }\n}\n",
            "if-not-present"
        ));
        assert!(has("daemonset a {\n  dns |\n}\n", "cluster-first"));
        assert!(has("daemonset a {\n  volume v |\n}\n", "host"));
        assert!(has(
            "daemonset a {\n  container b {\n    liveness |\n  }\n}\n",
            "grpc"
        ));
        let spec = "daemonset a {\n  volume logs host /var/log\n  container b {\n    port metrics 9100\n    mount |\n    readiness http |\n  }\n}\n";
        let last = spec.rfind('|').unwrap();
        let first = format!("{}{}", &spec[..last], &spec[last + 1..]);
        assert!(labels(&first).contains(&("logs".to_string(), CompletionKind::Name)));
        let second = spec.replacen('|', "", 1);
        assert!(labels(&second).contains(&("metrics".to_string(), CompletionKind::Name)));
    }
}
