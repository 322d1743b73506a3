//! The formatter's safety net: formatted text → proof that it holds what the source held.
//!
//! `dsc fmt` rewrites files in place, so before it does, the output is parsed again and must
//! give the same statements, the same values, the same comments in the same order, and print
//! the same again. A mismatch is a bug in dsc (for instance a new kind of token the comment
//! finder does not know); the file is then left as it is.

use super::{body_to_source, Body, Value};
use crate::diagnostics::has_errors;
use crate::syntax::parse;

/// What a tree says, in source order: statements, values and comments, without layout. A word
/// and a string with the same text say the same (the printer quotes a word that would not read
/// back as one); numbers and ranges must stay what they are.
///
/// The facts are held in one string, each ended by a line break, so a file's facts take about
/// as much memory as its text, and the tree they came from can be freed before the output is
/// checked. No fact holds a line break of its own: comments end at the end of their line,
/// values are written with their escapes, and keywords, keys and numbers are single tokens.
#[derive(Debug, Default)]
pub struct Facts {
    text: String,
}

impl Facts {
    pub fn of(body: &Body) -> Facts {
        let mut text = String::new();
        body_facts(body, &mut |fact: String| {
            text.push_str(&fact);
            text.push('\n');
        });
        text.shrink_to_fit();
        Facts { text }
    }
}

/// Checks that `formatted`, the printed form of a source whose facts are `before`, means the
/// same and is stable; the first difference otherwise.
pub fn verify(before: &Facts, formatted: &str) -> Result<(), String> {
    let (ast, diagnostics) = parse(formatted);
    if has_errors(&diagnostics) {
        let first = diagnostics.first().map_or("", |d| d.message.as_str());
        return Err(format!("the formatted text does not parse ({first})"));
    }
    let back = Body::from_source(formatted, ast);
    // The facts of the output are compared with those of the source as they come, so only
    // one list of them is ever held.
    let mut expected = before.text.split_terminator('\n');
    let mut first_difference = None;
    body_facts(&back, &mut |fact: String| {
        if first_difference.is_none() {
            let want = expected.next();
            if want != Some(fact.as_str()) {
                first_difference = Some((want.unwrap_or("nothing"), fact));
            }
        }
    });
    let first_difference =
        first_difference.or_else(|| expected.next().map(|want| (want, "nothing".into())));
    if let Some((before, after)) = first_difference {
        return Err(format!("{before} would become {after}"));
    }
    if body_to_source(&back) != formatted {
        return Err("formatting the result again would change it".into());
    }
    Ok(())
}

/// Gives each fact of `body`, in source order, to `out`.
fn body_facts(body: &Body, out: &mut dyn FnMut(String)) {
    body.open.iter().cloned().for_each(&mut *out);
    for node in &body.statements {
        node.above
            .iter()
            .map(|c| c.text.clone())
            .for_each(&mut *out);
        out(format!("statement `{}`", node.keyword));
        for arg in &node.args {
            value_facts(arg, out);
        }
        if let Some(block) = &node.block {
            out("{".into());
            body_facts(block, out);
            out("}".into());
        }
        node.trailing.iter().cloned().for_each(&mut *out);
    }
    body.end.iter().map(|c| c.text.clone()).for_each(&mut *out);
}

fn value_facts(value: &Value, out: &mut dyn FnMut(String)) {
    match value {
        Value::Word(text) | Value::Str { value: text, .. } => out(format!("text {text:?}")),
        Value::Template(text) => out(format!("template {text:?}")),
        Value::Empty => out("text \"\"".into()),
        Value::Number(n) => out(format!("number {n}")),
        Value::Range { low, high } => out(format!(
            "range {}..{}",
            low.as_deref().unwrap_or(""),
            high.as_deref().unwrap_or("")
        )),
        Value::Pair { key, value } => {
            out(format!("pair {key}"));
            value_facts(value, out);
        }
        Value::List(list) => {
            out("[".into());
            let comments = list.comments();
            comments.open.iter().cloned().for_each(&mut *out);
            for item in &list.items {
                let around = item.comments();
                around
                    .above
                    .iter()
                    .map(|c| c.text.clone())
                    .for_each(&mut *out);
                value_facts(&item.value, out);
                around.trailing.iter().cloned().for_each(&mut *out);
            }
            comments
                .end
                .iter()
                .map(|c| c.text.clone())
                .for_each(&mut *out);
            out("]".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Body {
        Body::from_source(text, parse(text).0)
    }

    #[test]
    fn faithful_output_passes() {
        let source = body("a 1 # c\nb { c \"x\" }\n");
        assert_eq!(
            verify(&Facts::of(&source), &body_to_source(&source)),
            Ok(())
        );
    }

    #[test]
    fn lost_comments_and_changed_values_are_caught() {
        let source = body("a 1 # c\n");
        assert_eq!(
            verify(&Facts::of(&source), "a 1\n").unwrap_err(),
            "# c would become nothing"
        );
        assert_eq!(
            verify(&Facts::of(&source), "a \"1\" # c\n").unwrap_err(),
            "number 1 would become text \"1\""
        );
        assert!(verify(&Facts::of(&source), "a {\n")
            .unwrap_err()
            .starts_with("the formatted text does not parse"));
        assert_eq!(
            verify(&Facts::of(&source), "a  1 # c\n").unwrap_err(),
            "formatting the result again would change it"
        );
    }
}
