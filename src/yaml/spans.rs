//! YAML text → where each field of each document was written: a map from field paths to the
//! spans of their keys and values, read from the YAML parser's events and marks.
//!
//! The values themselves are read by `serde_yaml` (as everywhere in dsc); this index only
//! answers "which line set `spec.template.spec.containers[0].ports[0].containerPort`", so a
//! finding on the object can point at the manifest.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::api::{FieldPath, Seg};
use crate::source::Span;

/// Where one field was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    /// The key (`containerPort`), absent for list items and document roots.
    pub key: Option<Span>,
    /// The value: a scalar's text, or the first character of a mapping or list.
    pub value: Span,
    /// The value is a mapping or a list (its span is then only its first character).
    pub collection: bool,
    /// The value is a plain (unquoted) scalar, which Kubernetes' YAML 1.1 reader may read as
    /// a number or a boolean where YAML 1.2 reads a string.
    pub plain: bool,
}

/// The fields of one YAML document.
#[derive(Debug, Default)]
pub struct DocSpans {
    pub fields: HashMap<FieldPath, Written>,
    /// From the document's first token to its last.
    pub whole: Span,
}

/// The fields of every document of `text`, in order; empty when the text is not YAML (the
/// value reader reports that).
pub fn index(text: &str) -> Vec<DocSpans> {
    let mut builder = Builder {
        text,
        offsets: (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect()),
        docs: Vec::new(),
        stack: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    if parser.load(&mut builder, true).is_err() {
        return Vec::new();
    }
    builder.docs
}

enum Frame {
    Map {
        path: FieldPath,
        /// The key read, waiting for its value.
        key: Option<(String, Span)>,
        /// A list item whose first key is still to come: that key then stands for the item
        /// (the parser marks a block mapping's start at its first `:`).
        item: bool,
    },
    Seq {
        path: FieldPath,
        next: usize,
    },
}

struct Builder<'a> {
    text: &'a str,
    /// Byte offset of each character, for non-ASCII text (the parser counts characters).
    offsets: Option<Vec<usize>>,
    docs: Vec<DocSpans>,
    stack: Vec<Frame>,
}

impl Builder<'_> {
    fn byte(&self, mark: &Marker) -> usize {
        match &self.offsets {
            None => mark.index().min(self.text.len()),
            Some(offsets) => offsets
                .get(mark.index())
                .copied()
                .unwrap_or(self.text.len()),
        }
    }

    /// The span of a scalar starting at `start`: to the end of its token on that line.
    fn scalar_span(&self, start: usize) -> Span {
        let rest = self.text.get(start..).unwrap_or("");
        let line = rest.split(['\n', '\r']).next().unwrap_or("");
        let len = match line.chars().next() {
            Some(q @ ('"' | '\'')) => line[1..].find(q).map_or(line.len(), |end| end + 2),
            Some('|' | '>') => line.len(),
            _ => {
                let mut end = line.len();
                for pat in [" #", ": ", ",", "]", "}"] {
                    if let Some(i) = line.find(pat) {
                        end = end.min(i);
                    }
                }
                if line.ends_with(':') {
                    end = end.min(line.len() - 1);
                }
                line[..end].trim_end().len()
            }
        };
        Span::new(start, start + len.max(1).min(rest.len()))
    }

    /// Records a value at the current position and returns its path.
    fn value(&mut self, value: Span, collection: bool, plain: bool) -> Option<FieldPath> {
        let (path, key) = match self.stack.last_mut()? {
            Frame::Map { path, key, .. } => {
                let (name, span) = key.take()?;
                (path.key(&name), Some(span))
            }
            Frame::Seq { path, next } => {
                *next += 1;
                (path.index(*next - 1), None)
            }
        };
        if let Some(doc) = self.docs.last_mut() {
            doc.fields.entry(path.clone()).or_insert(Written {
                key,
                value,
                collection,
                plain,
            });
            doc.whole = doc.whole.to(value);
        }
        Some(path)
    }

    /// Whether the next scalar is a mapping key.
    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = self.byte(&mark);
        match ev {
            Event::DocumentStart => {
                self.stack.clear();
                self.docs.push(DocSpans {
                    whole: Span::new(at, at),
                    ..DocSpans::default()
                });
            }
            Event::Scalar(text, style, ..) => {
                let span = self.scalar_span(at);
                if self.stack.is_empty() {
                    return;
                }
                if self.expects_key() {
                    if let Some(Frame::Map { key, item, path }) = self.stack.last_mut() {
                        *key = Some((text, span));
                        if std::mem::take(item) {
                            if let Some(w) =
                                self.docs.last_mut().and_then(|d| d.fields.get_mut(path))
                            {
                                w.value = span;
                            }
                        }
                    }
                } else {
                    self.value(span, false, style == TScalarStyle::Plain);
                }
            }
            Event::Alias(_) if !self.stack.is_empty() && !self.expects_key() => {
                self.value(self.scalar_span(at), false, false);
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let start = Span::new(at, (at + 1).min(self.text.len()));
                let path = if self.stack.is_empty() {
                    Some(FieldPath::default())
                } else if self.expects_key() {
                    // A mapping or list as a key: nothing in a manifest; not indexed.
                    None
                } else {
                    self.value(start, true, false)
                };
                let path = path.unwrap_or_default();
                let item = matches!(path.0.last(), Some(Seg::Index(_)));
                self.stack.push(if matches!(ev, Event::MappingStart(..)) {
                    Frame::Map {
                        path,
                        key: None,
                        item,
                    }
                } else {
                    Frame::Seq { path, next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                if let Some(doc) = self.docs.last_mut() {
                    doc.whole = doc.whole.to(Span::new(at, at));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_at(text: &str, docs: &[DocSpans], doc: usize, path: &str) -> (String, String) {
        let w = docs[doc].fields[&FieldPath::parse(path)];
        let key = w
            .key
            .map_or(String::new(), |k| text[k.start()..k.end()].to_string());
        (key, text[w.value.start()..w.value.end()].to_string())
    }

    #[test]
    fn keys_values_and_list_items() {
        let text = "kind: DaemonSet\nspec:\n  containers:\n  - name: a # the agent\n    ports:\n    - {containerPort: 70000, name: \"m\"}\n";
        let docs = index(text);
        assert_eq!(docs.len(), 1);
        assert_eq!(
            text_at(text, &docs, 0, "kind"),
            ("kind".into(), "DaemonSet".into())
        );
        assert_eq!(
            text_at(text, &docs, 0, "spec.containers[0].name"),
            ("name".into(), "a".into())
        );
        assert_eq!(
            text_at(text, &docs, 0, "spec.containers[0].ports[0].containerPort"),
            ("containerPort".into(), "70000".into())
        );
        assert_eq!(
            text_at(text, &docs, 0, "spec.containers[0].ports[0].name"),
            ("name".into(), "\"m\"".into())
        );
        assert_eq!(text_at(text, &docs, 0, "spec.containers").0, "containers");
        // A list item of a block mapping is shown by its first key.
        assert_eq!(text_at(text, &docs, 0, "spec.containers[0]").1, "name");
    }

    #[test]
    fn documents_and_non_ascii_text() {
        let text = "a: é\n---\nb:\n  c: 1\n";
        let docs = index(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(text_at(text, &docs, 1, "b.c"), ("c".into(), "1".into()));
    }

    #[test]
    fn broken_yaml_gives_no_index() {
        assert!(index("a: [\n").is_empty());
    }
}
