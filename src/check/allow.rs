//! `allow LINT ...` in a spec: silences lints (warnings) for the block it is written in — the
//! whole file at the top level, one daemonset, or one container. The statements are taken out
//! of the tree before checking, and the allowances applied to the findings after.

use std::borrow::Cow;

use super::cx::Cx;
use crate::diagnostics::{did_you_mean, lookup, Diagnostic, Severity, CODES};
use crate::source::Span;
use crate::syntax::{Ast, Block, Statement};

/// Which lint codes are allowed over which source ranges.
#[derive(Default)]
pub struct Allowances {
    scopes: Vec<(Span, &'static str)>,
}

impl Allowances {
    /// Drops the warnings an `allow` covers; errors are never dropped.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter(|d| {
                let at = d.primary_span();
                d.severity == Severity::Error
                    || !self.scopes.iter().any(|(scope, code)| {
                        *code == d.code && scope.start() <= at.start() && at.end() <= scope.end()
                    })
            })
            .collect()
    }
}

/// Removes every `allow` statement from the tree and records what it allows where. A tree
/// without one is not copied.
pub fn extract<'a>(ast: &'a Ast, file_len: usize, cx: &mut Cx) -> (Cow<'a, Ast>, Allowances) {
    let mut allowances = Allowances::default();
    if !has_allow(&ast.statements) {
        return (Cow::Borrowed(ast), allowances);
    }
    let statements = strip(&ast.statements, Span::new(0, file_len), &mut allowances, cx);
    (Cow::Owned(Ast { statements }), allowances)
}

fn has_allow(statements: &[Statement]) -> bool {
    statements
        .iter()
        .any(|s| s.keyword == "allow" || s.block.as_ref().is_some_and(|b| has_allow(&b.statements)))
}

fn strip(
    statements: &[Statement],
    scope: Span,
    out: &mut Allowances,
    cx: &mut Cx,
) -> Vec<Statement> {
    let mut kept = Vec::with_capacity(statements.len());
    for s in statements {
        if s.keyword == "allow" {
            record(s, scope, out, cx);
            continue;
        }
        // Each statement is copied once, without its block, which is stripped in turn.
        kept.push(Statement {
            keyword: s.keyword.clone(),
            keyword_span: s.keyword_span,
            args: s.args.clone(),
            block: s.block.as_ref().map(|block| Block {
                statements: strip(&block.statements, s.span, out, cx),
                span: block.span,
            }),
            span: s.span,
        });
    }
    kept
}

fn record(s: &Statement, scope: Span, out: &mut Allowances, cx: &mut Cx) {
    cx.no_block(s);
    if !cx.arity(s, 1, usize::MAX) {
        return;
    }
    let lints = || CODES.iter().filter(|c| c.summary.ends_with("(lint)"));
    for arg in &s.args {
        let Some(name) = cx.scalar(arg, "a lint name") else {
            continue;
        };
        match lookup(&name) {
            Some(info) if info.summary.ends_with("(lint)") => out.scopes.push((scope, info.code)),
            Some(info) => cx.push(
                Diagnostic::error("DS0209", format!("`{name}` is an error, not a lint"))
                    .at(arg.span, format!("{} cannot be allowed", info.code))
                    .help("only lints (warnings) can be allowed; fix the error instead"),
            ),
            None => {
                let mut d = Diagnostic::error("DS0209", format!("unknown lint `{name}`"))
                    .at(arg.span, "not a lint");
                d = match did_you_mean(&name, lints().map(|c| c.name)) {
                    Some(n) => d.suggest(n),
                    None => d.help(format!(
                        "lints: {}",
                        lints().map(|c| c.name).collect::<Vec<_>>().join(", ")
                    )),
                };
                cx.push(d);
            }
        }
    }
}
