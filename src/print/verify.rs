//! The formatter's safety net: formatted text → proof that it holds what the source held.
//!
//! `dsc fmt` rewrites files in place, so before it does, the output is parsed again and must
//! give the same statements, the same values, the same comments in the same order, and print
//! the same again. A mismatch is a bug in dsc (for instance a new kind of token the comment
//! finder does not know); the file is then left as it is.

use super::{body_to_source, Body, Value};
use crate::diagnostics::has_errors;
use crate::syntax::parse;

/// Checks that `formatted`, the printed form of `source`, means the same and is stable; the
/// first difference otherwise.
pub fn verify(source: &Body, formatted: &str) -> Result<(), String> {
    let (ast, diagnostics) = parse(formatted);
    if has_errors(&diagnostics) {
        let first = diagnostics.first().map_or("", |d| d.message.as_str());
        return Err(format!("the formatted text does not parse ({first})"));
    }
    let back = Body::from_source(formatted, &ast);
    drop(ast);
    // The facts of the output are compared with those of the source as they come, so only
    // one list of them is ever held.
    let before = facts(source);
    let mut at = 0;
    let mut first_difference = None;
    body_facts(&back, &mut |fact: String| {
        if first_difference.is_none() && before.get(at) != Some(&fact) {
            first_difference = Some((at, fact));
        }
        at += 1;
    });
    let first_difference =
        first_difference.or_else(|| (at < before.len()).then(|| (at, "nothing".into())));
    if let Some((at, after)) = first_difference {
        let before = before.get(at).cloned().unwrap_or_else(|| "nothing".into());
        return Err(format!("{before} would become {after}"));
    }
    if body_to_source(&back) != formatted {
        return Err("formatting the result again would change it".into());
    }
    Ok(())
}

/// What a tree says, in source order: statements, values and comments, without layout. A word
/// and a string with the same text say the same (the printer quotes a word that would not read
/// back as one); numbers and ranges must stay what they are.
fn facts(body: &Body) -> Vec<String> {
    let mut out = Vec::new();
    body_facts(body, &mut |fact| out.push(fact));
    out
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
            list.open.iter().cloned().for_each(&mut *out);
            for item in &list.items {
                item.above
                    .iter()
                    .map(|c| c.text.clone())
                    .for_each(&mut *out);
                value_facts(&item.value, out);
                item.trailing.iter().cloned().for_each(&mut *out);
            }
            list.end.iter().map(|c| c.text.clone()).for_each(&mut *out);
            out("]".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Body {
        Body::from_source(text, &parse(text).0)
    }

    #[test]
    fn faithful_output_passes() {
        let source = body("a 1 # c\nb { c \"x\" }\n");
        assert_eq!(verify(&source, &body_to_source(&source)), Ok(()));
    }

    #[test]
    fn lost_comments_and_changed_values_are_caught() {
        let source = body("a 1 # c\n");
        assert_eq!(
            verify(&source, "a 1\n").unwrap_err(),
            "# c would become nothing"
        );
        assert_eq!(
            verify(&source, "a \"1\" # c\n").unwrap_err(),
            "number 1 would become text \"1\""
        );
        assert!(verify(&source, "a {\n")
            .unwrap_err()
            .starts_with("the formatted text does not parse"));
        assert_eq!(
            verify(&source, "a  1 # c\n").unwrap_err(),
            "formatting the result again would change it"
        );
    }
}
