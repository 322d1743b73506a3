//! Path patterns: select fields of an object by path, to leave them out of a comparison.
//!
//! Input: a pattern as text (`spec.template.metadata.annotations["example.com/x"]`,
//! `spec.template.spec.containers.*.image`, a pointer `/spec/template/spec/containers/name=x`)
//! or as literal parts (the server-default rules). Output: [`PathPattern`], which tells whether
//! it names a [`Path`] and removes the fields it selects from a JSON value.

use super::path::{item_key, Path, Segment};
use serde_json::Value;
use std::fmt;

/// A pattern over field paths: `spec.template.metadata.annotations["example.com/x"]`,
/// `spec.template.spec.containers.*.image`, or a pointer `/spec/template/spec/containers/name=x`.
///
/// `*` matches any map key or list item. Any other segment matches a map key, or a list item
/// by its merge key (`fluent-bit`, `/var/log`), its label, or its index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    segments: Vec<PatternSegment>,
    text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PatternSegment {
    Any,
    Name(String),
}

/// Why a pattern could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// The pattern as given.
    pub pattern: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid field path `{}`: {}", self.pattern, self.reason)
    }
}

impl std::error::Error for PatternError {}

impl PathPattern {
    /// Reads a dotted path (with `["..."]` for keys holding dots) or a `/`-pointer.
    pub fn parse(text: &str) -> Result<PathPattern, PatternError> {
        let fail = |reason: &str| PatternError {
            pattern: text.to_string(),
            reason: reason.to_string(),
        };
        let names = if let Some(pointer) = text.strip_prefix('/') {
            pointer
                .split('/')
                .map(|s| {
                    let s = s.replace("~1", "/").replace("~0", "~");
                    match s.split_once('=') {
                        Some((_, key)) => key.to_string(),
                        None => s,
                    }
                })
                .collect()
        } else {
            split_dotted(text).map_err(|reason| fail(&reason))?
        };
        if names.iter().any(String::is_empty) {
            return Err(fail("empty segment"));
        }
        let segments = names
            .into_iter()
            .map(|n| match n.as_str() {
                "*" => PatternSegment::Any,
                _ => PatternSegment::Name(n),
            })
            .collect();
        Ok(PathPattern {
            segments,
            text: text.to_string(),
        })
    }

    /// A pattern from literal segments, `"*"` meaning any; for built-in rules.
    pub(crate) fn from_parts(parts: &[&str]) -> PathPattern {
        PathPattern {
            segments: parts
                .iter()
                .map(|p| match *p {
                    "*" => PatternSegment::Any,
                    name => PatternSegment::Name(name.to_string()),
                })
                .collect(),
            text: parts.join("."),
        }
    }

    /// Whether this pattern names exactly `path`.
    pub fn matches(&self, path: &Path) -> bool {
        self.matches_segments(&path.0)
    }

    /// Whether this pattern names exactly the path of these segments.
    pub(crate) fn matches_segments(&self, path: &[Segment]) -> bool {
        self.segments.len() == path.len()
            && self
                .segments
                .iter()
                .zip(path)
                .all(|(pat, seg)| match (pat, seg) {
                    (PatternSegment::Any, _) => true,
                    (PatternSegment::Name(n), Segment::Key(k)) => n == k,
                    (PatternSegment::Name(n), Segment::Item(item)) => {
                        *n == item.key || *n == item.label
                    }
                })
    }

    /// Removes every field the pattern selects.
    pub fn remove_from(&self, root: &mut Value) {
        self.remove_where(root, &|_| true);
    }

    /// Removes every selected field whose value satisfies `pred`.
    pub(crate) fn remove_where(&self, root: &mut Value, pred: &dyn Fn(&Value) -> bool) {
        remove_at(root, &self.segments, "", pred);
    }
}

impl fmt::Display for PathPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn split_dotted(text: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    let mut after_bracket = false;
    while let Some(c) = chars.next() {
        match c {
            '.' if after_bracket => {}
            '.' => names.push(std::mem::take(&mut current)),
            '[' => {
                if !current.is_empty() {
                    names.push(std::mem::take(&mut current));
                }
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some(']') if !inner.starts_with('"') || is_closed_quote(&inner) => break,
                        Some(ch) => inner.push(ch),
                        None => return Err("unclosed `[`".to_string()),
                    }
                }
                let name = if inner.starts_with('"') {
                    serde_json::from_str::<String>(&inner)
                        .map_err(|_| format!("bad quoted key {inner}"))?
                } else {
                    inner
                };
                names.push(name);
                after_bracket = true;
                continue;
            }
            _ if after_bracket => return Err("expected `.` or `[` after `]`".to_string()),
            _ => current.push(c),
        }
        after_bracket = false;
    }
    if !after_bracket {
        names.push(current);
    }
    Ok(names)
}

fn is_closed_quote(inner: &str) -> bool {
    inner.len() >= 2 && inner.ends_with('"') && !inner.ends_with("\\\"")
}

fn remove_at(
    value: &mut Value,
    segments: &[PatternSegment],
    field: &str,
    pred: &dyn Fn(&Value) -> bool,
) {
    let Some((first, rest)) = segments.split_first() else {
        return;
    };
    match value {
        Value::Object(map) => match first {
            PatternSegment::Any if rest.is_empty() => map.retain(|_, child| !pred(child)),
            PatternSegment::Any => {
                for (key, child) in map.iter_mut() {
                    remove_at(child, rest, key, pred);
                }
            }
            PatternSegment::Name(n) if rest.is_empty() => {
                if map.get(n).is_some_and(pred) {
                    map.shift_remove(n);
                }
            }
            PatternSegment::Name(n) => {
                if let Some(child) = map.get_mut(n) {
                    remove_at(child, rest, n, pred);
                }
            }
        },
        Value::Array(items) => {
            let selected = |i: usize, item: &Value| match first {
                PatternSegment::Any => true,
                PatternSegment::Name(n) => {
                    *n == i.to_string()
                        || item_key(field, item).is_some_and(|k| *n == k.key || *n == k.label)
                }
            };
            if rest.is_empty() {
                let mut i = 0;
                items.retain(|item| {
                    let keep = !(selected(i, item) && pred(item));
                    i += 1;
                    keep
                });
            } else {
                for (i, item) in items.iter_mut().enumerate() {
                    if selected(i, item) {
                        remove_at(item, rest, field, pred);
                    }
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(text: &str) -> PathPattern {
        PathPattern::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn names(text: &str) -> Vec<String> {
        parse(text)
            .segments
            .iter()
            .map(|s| match s {
                PatternSegment::Any => "*".to_string(),
                PatternSegment::Name(n) => n.clone(),
            })
            .collect()
    }

    #[test]
    fn dotted_bracketed_and_pointer_syntax() {
        assert_eq!(names("spec.template.spec"), ["spec", "template", "spec"]);
        assert_eq!(
            names(r#"metadata.annotations["kubectl.kubernetes.io/restartedAt"]"#),
            [
                "metadata",
                "annotations",
                "kubectl.kubernetes.io/restartedAt"
            ]
        );
        assert_eq!(names("containers[*].image"), ["containers", "*", "image"]);
        assert_eq!(names("a[x][y]"), ["a", "x", "y"]);
        assert_eq!(
            names("/spec/template/spec/containers/name=istio-proxy"),
            ["spec", "template", "spec", "containers", "istio-proxy"]
        );
        assert_eq!(
            names("/metadata/annotations/example.com~1x"),
            ["metadata", "annotations", "example.com/x"]
        );
    }

    #[test]
    fn bad_patterns_are_errors() {
        for bad in ["", "a..b", "a.", "a[b", "a[b]c", r#"a["b]"#, "/a//b"] {
            assert!(PathPattern::parse(bad).is_err(), "{bad}");
        }
        let err = PathPattern::parse("a..b").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("invalid field path `a..b`: empty segment")
        );
    }

    #[test]
    fn removes_map_keys_and_list_items_by_key_or_index() {
        let mut v = json!({"containers": [{"name": "app", "image": "a"}, {"name": "proxy", "image": "p"}],
            "args": ["x", "y"], "m": {"a": 1, "b": 2}});
        parse("containers.proxy").remove_from(&mut v);
        parse("args.0").remove_from(&mut v);
        parse("m.*").remove_from(&mut v);
        assert_eq!(
            v,
            json!({"containers": [{"name": "app", "image": "a"}], "args": ["y"], "m": {}})
        );
        parse("containers.*.image").remove_from(&mut v);
        assert_eq!(v["containers"], json!([{"name": "app"}]));
    }

    #[test]
    fn matches_printed_paths() {
        let path = Path(vec![
            Segment::Key("containers".into()),
            Segment::Item(
                item_key("containers", &json!({"name": "app"})).unwrap_or_else(|| panic!("keyed")),
            ),
            Segment::Key("image".into()),
        ]);
        assert!(parse("containers.app.image").matches(&path));
        assert!(parse("containers.*.image").matches(&path));
        assert!(!parse("containers.other.image").matches(&path));
        assert!(!parse("containers.app").matches(&path));
    }
}
