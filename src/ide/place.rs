//! Where an offset sits in a spec: the blocks around it, the statement it is in, and the
//! words written before it on that statement. The tree of a file being typed is partial (an
//! unclosed block runs to the end, a line that does not parse is missing), so the words are
//! read from the text.

use crate::check::{block_settings, Keyword, TOP_LEVEL};
use crate::source::Span;
use crate::syntax::{Ast, Statement};

pub struct Place<'a> {
    /// The statements whose blocks hold the offset, outermost first.
    pub blocks: Vec<&'a Statement>,
    /// The statement of the innermost block whose text holds the offset.
    pub statement: Option<&'a Statement>,
    /// The words of the statement before the word at the offset (`["mount"]` in `mount co|`).
    pub before: Vec<&'a str>,
    /// The word at the offset, up to the offset (`co`), and its span up to the offset.
    pub word: Span,
}

impl<'a> Place<'a> {
    pub fn find(ast: &'a Ast, text: &'a str, offset: usize) -> Place<'a> {
        let offset = crate::source::clamp_to_char_boundary(text, offset);
        let mut blocks = Vec::new();
        let mut statements = &ast.statements;
        let mut statement = None;
        'descend: loop {
            for s in statements {
                if let Some(b) = &s.block {
                    let closed = text.get(..b.span.end()).is_some_and(|t| t.ends_with('}'));
                    let inside = b.span.start() < offset
                        && (offset < b.span.end() || (offset == b.span.end() && !closed));
                    if inside {
                        blocks.push(s);
                        statements = &b.statements;
                        continue 'descend;
                    }
                }
                if s.span.start() <= offset && offset <= s.span.end() {
                    statement = Some(s);
                }
            }
            break;
        }
        // The statement's text before the offset: from the last line, `;`, `{` or `}` break.
        let head = text[..offset]
            .rfind(['\n', ';', '{', '}'])
            .map_or(0, |i| i + 1);
        let line = &text[head..offset];
        let word_start = line
            .rfind(|c: char| c.is_whitespace() || c == '[' || c == ',')
            .map_or(0, |i| i + 1);
        let before = line[..word_start].split_whitespace().collect();
        Place {
            blocks,
            statement,
            before,
            word: Span::new(head + word_start, offset),
        }
    }

    /// The innermost block's statement, if any.
    pub fn owner(&self) -> Option<&'a Statement> {
        self.blocks.last().copied()
    }

    /// The settings of the innermost block.
    pub fn table(&self) -> &'static [Keyword] {
        table_of(self.owner())
    }

    /// The enclosing statement with this keyword (`daemonset`, `container`).
    pub fn enclosing(&self, keywords: &[&str]) -> Option<&'a Statement> {
        self.blocks
            .iter()
            .rev()
            .find(|s| keywords.contains(&s.keyword.as_str()))
            .copied()
    }
}

/// The settings a block takes, by the statement that opens it (none: the top level).
pub fn table_of(owner: Option<&Statement>) -> &'static [Keyword] {
    match owner {
        None => TOP_LEVEL,
        Some(s) => block_settings(&s.keyword, s.args.get(1).and_then(|a| a.as_word())),
    }
}

/// The statements of `owner`'s block with `keyword`.
pub fn statements_of<'a>(
    owner: &'a Statement,
    keyword: &'a str,
) -> impl Iterator<Item = &'a Statement> + 'a {
    owner
        .block
        .iter()
        .flat_map(|b| b.statements.iter())
        .filter(move |s| s.keyword == keyword)
}

/// True when the argument after `method` of `keyword` is a port (`readiness http PORT`).
pub fn names_a_port(keyword: &str, method: &str) -> bool {
    matches!(
        keyword,
        "liveness" | "readiness" | "startup" | "post-start" | "pre-stop"
    ) && matches!(method, "http" | "https" | "tcp" | "grpc")
}

/// The name a `port` statement declares: `port http 2020` names `http`; `port 9100` none.
pub fn port_name(port: &Statement) -> Option<(&str, Span)> {
    let first = port.args.first()?;
    let word = first.as_word()?;
    (port.args.len() >= 2 && !word.starts_with(|c: char| c.is_ascii_digit()))
        .then_some((word, first.span))
}

#[cfg(test)]
mod tests {
    use super::Place;

    fn at(text: &str) -> (String, usize) {
        let offset = text.find('|').unwrap();
        (text.replacen('|', "", 1), offset)
    }

    #[test]
    fn finds_the_blocks_and_words_before_the_cursor() {
        let (text, offset) = at("daemonset a {\n  container b {\n    mount co|\n  }\n}\n");
        let (ast, _) = crate::syntax::parse_tree(&text);
        let place = Place::find(&ast, &text, offset);
        let owners: Vec<&str> = place.blocks.iter().map(|s| s.keyword.as_str()).collect();
        assert_eq!(owners, ["daemonset", "container"]);
        assert_eq!(place.before, ["mount"]);
        assert_eq!(&text[place.word.start()..place.word.end()], "co");
    }

    #[test]
    fn an_unclosed_block_holds_the_end_of_the_file() {
        let (text, offset) = at("daemonset a {\n  container b {\n    |");
        let (ast, _) = crate::syntax::parse_tree(&text);
        let place = Place::find(&ast, &text, offset);
        assert_eq!(place.blocks.len(), 2);
        assert!(place.before.is_empty());
    }

    #[test]
    fn after_a_closing_brace_is_outside() {
        let (text, offset) = at("daemonset a {\n  host-network\n}|\n");
        let (ast, _) = crate::syntax::parse_tree(&text);
        assert!(Place::find(&ast, &text, offset).blocks.is_empty());
    }
}
