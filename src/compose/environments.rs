//! Environments: `environments NAME ...` in the repository's root file (`dsc.ds`) names the
//! environments every spec of the repository is built for; `overlay NAME ... { SETTINGS }` in a
//! daemonset or a defaults block holds what differs in them. An overlay for an environment the
//! root file does not declare is an error with "did you mean", in every build, so a typo in the
//! prod overlay fails the pull request and not the prod deploy.

use crate::diagnostics::{did_you_mean, Diagnostic};

/// The file that marks a repository's root and declares its environments.
pub const ROOT_FILE: &str = "dsc.ds";
use crate::syntax::{Ast, Statement};

/// The environments `ast` (a root file) declares; problems are pushed to `diags`.
pub fn declared(ast: &Ast, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let statements: Vec<&Statement> = ast
        .statements
        .iter()
        .filter(|s| s.keyword == "environments")
        .collect();
    for (i, s) in statements.iter().enumerate() {
        if i > 0 {
            diags.push(
                Diagnostic::error("DS0117", "environments are declared twice")
                    .at(s.keyword_span, "declared again here")
                    .also(statements[0].keyword_span, "first declared here")
                    .help("name every environment in one `environments` statement"),
            );
            continue;
        }
        if s.args.is_empty() || s.block.is_some() {
            diags.push(
                Diagnostic::error(
                    "DS0117",
                    "`environments` takes the names of the environments",
                )
                .at(s.span, "expected names")
                .help("write `environments dev staging prod`"),
            );
        }
        for arg in &s.args {
            match arg.as_word() {
                Some(w) if is_name(w) && !names.iter().any(|n| n == w) => names.push(w.to_string()),
                Some(w) if is_name(w) => diags.push(
                    Diagnostic::error("DS0117", format!("environment `{w}` is named twice"))
                        .at(arg.span, "named again here")
                        .help("name each environment once"),
                ),
                _ => diags.push(
                    Diagnostic::error("DS0117", "an environment's name is a folder name of the output")
                        .at(arg.span, "not an environment name")
                        .help("use lowercase letters, digits and `-`, starting with a letter (`prod`, `eu-west`)"),
                ),
            }
        }
    }
    names
}

/// A name that is also a safe folder name: a DNS label.
fn is_name(w: &str) -> bool {
    w.len() <= 63
        && w.starts_with(|c: char| c.is_ascii_lowercase())
        && !w.ends_with('-')
        && w.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The environments an `overlay` names, each checked against `declared`; those that are not
/// declared are reported (and left out).
pub fn overlay_names(
    stmt: &Statement,
    declared: &[String],
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    if stmt.args.is_empty() || stmt.block.is_none() {
        diags.push(
            Diagnostic::error("DS0117", "`overlay` takes environment names and a block")
                .at(stmt.span, "expected `overlay ENV ... { SETTINGS }`")
                .help("write `overlay prod { max-unavailable 1 }`"),
        );
    }
    let mut names = Vec::new();
    for arg in &stmt.args {
        let word = arg.as_word().unwrap_or_default();
        if declared.iter().any(|d| d == word) {
            names.push(word.to_string());
            continue;
        }
        let d = Diagnostic::error("DS0117", format!("no environment is named `{word}`"))
            .at(arg.span, "not a declared environment");
        let d = if declared.is_empty() {
            d.help(format!(
                "declare the environments in `{}` at the repository's root: `environments dev prod`",
                ROOT_FILE
            ))
        } else {
            let all = declared
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            d.suggest_or(
                did_you_mean(word, declared.iter().map(String::as_str)),
                format!("the repository declares {all}"),
            )
        };
        diags.push(d);
    }
    names
}
