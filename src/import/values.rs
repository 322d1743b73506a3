//! Small builders shared by the import stage: JSON fields → printer [`Value`]s in the shortest
//! form that reads back as the same text (numbers bare, words bare, the rest quoted), durations,
//! file modes, `key=value` lists, and the reading helpers over a canonical object.

use serde_json::{Map, Value as Json};

use crate::print::{Node, Value};
use crate::syntax::{parse, ArgKind};

/// Statements that hold `key=value` pairs are split so that each line fits this many columns.
const PAIRS_WIDTH: usize = 100;

/// A text value: bare as a number (`2020`, `100m`, `5s`) or word when it reads back as one,
/// quoted otherwise. Text over several lines asks for `"""` quotes.
pub fn text(s: &str) -> Value {
    if s.contains('\n') {
        return Value::string(s);
    }
    if is_number(s) {
        Value::Number(s.into())
    } else {
        Value::word(s)
    }
}

/// Whether the parser reads `s`, written bare, as a number with exactly this text.
fn is_number(s: &str) -> bool {
    if !s.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        return false;
    }
    let (ast, diagnostics) = parse(&format!("k {s}\n"));
    diagnostics.is_empty()
        && matches!(
            ast.statements.first().map(|st| st.args.as_slice()),
            Some([arg]) if matches!(&arg.kind, ArgKind::Number(n) if n == s)
        )
}

/// Whether `s` can be written as the key of a `key=value` pair.
pub fn is_pair_key(s: &str) -> bool {
    // The grammar's `pair_key`: one optional leading dot (`.dockerconfigjson`), then a letter,
    // digit or `_`, then those and `-./`.
    let mut chars = s.strip_prefix('.').unwrap_or(s).chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c))
}

/// `key=value`, the value in its shortest form (`key=""` when empty).
pub fn pair(key: &str, value: &str) -> Value {
    if value.is_empty() {
        return Value::pair(key, Value::string(""));
    }
    Value::pair(key, text(value))
}

/// One statement per line of `keyword k=v k=v ...`, each line at most [`PAIRS_WIDTH`] columns
/// at `indent` levels (a single long pair still gets its own line). `None` when a key cannot be
/// written as a pair key.
pub fn pair_statements(keyword: &str, map: &Map<String, Json>, indent: usize) -> Option<Vec<Node>> {
    let mut out = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let mut width = indent * 2 + keyword.len();
    for (k, v) in map {
        if !is_pair_key(k) {
            return None;
        }
        let value = v.as_str()?;
        let item = pair(k, value);
        // A space and the pair as printed (quotes included).
        let item_width = 1 + printed_width(&item);
        if !args.is_empty() && width + item_width > PAIRS_WIDTH {
            out.push(Node::new(keyword, std::mem::take(&mut args)));
            width = indent * 2 + keyword.len();
        }
        width += item_width;
        args.push(item);
    }
    if !args.is_empty() {
        out.push(Node::new(keyword, args));
    }
    Some(out)
}

/// The columns a value takes when printed as an argument.
fn printed_width(value: &Value) -> usize {
    let line = crate::print::body_to_source(&crate::print::Body {
        statements: vec![Node::new("k", vec![value.clone()])],
        ..crate::print::Body::default()
    });
    line.trim_end().chars().count().saturating_sub(2)
}

/// A whole number of seconds in its shortest spelling: `0s`, `5s`, `90s`, `5m`, `1h30m`.
pub fn duration(seconds: i64) -> Value {
    let plain = format!("{seconds}s");
    let mut parts = String::new();
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if h > 0 {
        parts.push_str(&format!("{h}h"));
    }
    if m > 0 {
        parts.push_str(&format!("{m}m"));
    }
    if s > 0 {
        parts.push_str(&format!("{s}s"));
    }
    if seconds > 0 && parts.len() <= plain.len() {
        text(&parts)
    } else {
        text(&plain)
    }
}

/// A file mode as people write it: 420 → `0644`.
pub fn mode(value: i64) -> Value {
    Value::Number(compact_str::format_compact!("0{value:o}"))
}

/// A list of words: `[a, b]`.
pub fn word_list(items: &[String]) -> Value {
    Value::list(items.iter().map(|s| text(s)).collect())
}

/// The strings of a JSON list; `None` when it holds anything else.
pub fn strings(v: &Json) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// The map at `key`, or an empty one.
pub fn object<'a>(v: &'a Json, key: &str) -> &'a Map<String, Json> {
    static EMPTY: std::sync::OnceLock<Map<String, Json>> = std::sync::OnceLock::new();
    v.get(key)
        .and_then(Json::as_object)
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// The string at `key`.
pub fn str_at<'a>(v: &'a Json, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Json::as_str)
}

/// The integer at `key`.
pub fn int_at(v: &Json, key: &str) -> Option<i64> {
    v.get(key).and_then(Json::as_i64)
}

/// Whether `key` holds `true`.
pub fn is_true(v: &Json, key: &str) -> bool {
    v.get(key) == Some(&Json::Bool(true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::body_to_source;
    use crate::print::Body;

    fn printed(v: Value) -> String {
        let body = Body::of(vec![Node::new("k", vec![v])]);
        body_to_source(&body)
    }

    #[test]
    fn numbers_words_and_strings() {
        assert_eq!(printed(text("2020")), "k 2020\n");
        assert_eq!(printed(text("100m")), "k 100m\n");
        assert_eq!(printed(text("53/udp")), "k 53/udp\n");
        assert_eq!(printed(text("a b")), "k \"a b\"\n");
        assert_eq!(printed(text("x=y")), "k \"x=y\"\n");
        assert_eq!(printed(pair("a", "")), "k a=\"\"\n");
    }

    #[test]
    fn durations_take_the_shorter_spelling() {
        let d = |s| printed(duration(s));
        assert_eq!(d(0), "k 0s\n");
        assert_eq!(d(5), "k 5s\n");
        assert_eq!(d(90), "k 90s\n");
        assert_eq!(d(300), "k 5m\n");
        assert_eq!(d(3600), "k 1h\n");
        assert_eq!(d(5400), "k 1h30m\n");
        assert_eq!(printed(mode(420)), "k 0644\n");
    }

    #[test]
    fn long_pair_lists_are_split() {
        let mut map = Map::new();
        for i in 0..8 {
            map.insert(format!("key-number-{i}"), Json::String("x".repeat(10)));
        }
        let nodes = pair_statements("labels", &map, 1).unwrap_or_default();
        assert!(nodes.len() > 1);
        let mut bad = Map::new();
        bad.insert("-dash".into(), Json::String("x".into()));
        assert!(pair_statements("labels", &bad, 1).is_none());
    }
}
