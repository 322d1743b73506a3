//! Kubernetes objects (as JSON values) → YAML text: stable order, quoting safe under YAML 1.1
//! and 1.2.
//!
//! The layout is the one `kubectl get -o yaml` writes: block style, two spaces of indentation,
//! a sequence under a key not indented past the key, a sequence entry's mapping starting on the
//! dash line, `{}` and `[]` for empty collections. Object keys keep their order. How each
//! string is written (plain, quoted, literal block) is decided in [`scalar`].

pub(crate) mod scalar;

use scalar::StringStyle;
use serde_json::{Map, Value};

/// Keys longer than this are written as explicit keys (`? key`), since readers only accept an
/// implicit key whose `:` comes within 1024 characters of its start.
const LONGEST_IMPLICIT_KEY: usize = 1000;

/// One YAML document for a JSON value (object keys in their existing order; serde_json has
/// `preserve_order`). No leading `---`. Ends with a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0, false),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0, false),
        _ => write_inline(&mut out, value, 0),
    }
    out
}

/// Several documents separated by `---\n` lines (the first without a leading `---`).
pub fn to_yaml_documents(values: &[Value]) -> String {
    values.iter().map(to_yaml).collect::<Vec<_>>().join("---\n")
}

/// What stands on the line before a nested node: a mapping key and its `:`, or a sequence dash.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prefix {
    Key,
    Dash,
}

/// The entries of a non-empty mapping at `indent`; with `inline`, the first key goes on the
/// current line (right after a sequence dash).
fn write_map(out: &mut String, map: &Map<String, Value>, indent: usize, inline: bool) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !inline {
            push_indent(out, indent);
        }
        let key_text = match scalar::string_style(key) {
            StringStyle::Plain => std::borrow::Cow::Borrowed(key.as_str()),
            StringStyle::DoubleQuoted | StringStyle::Literal => {
                std::borrow::Cow::Owned(scalar::double_quoted(key))
            }
        };
        if key_text.len() > LONGEST_IMPLICIT_KEY && key_text.chars().count() > LONGEST_IMPLICIT_KEY
        {
            out.push_str("? ");
            out.push_str(&key_text);
            out.push('\n');
            push_indent(out, indent);
        } else {
            out.push_str(&key_text);
        }
        out.push(':');
        write_after(out, value, indent, Prefix::Key);
    }
}

/// The entries of a non-empty sequence at `indent`; with `inline`, the first dash goes on the
/// current line (right after an outer sequence dash).
fn write_seq(out: &mut String, items: &[Value], indent: usize, inline: bool) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !inline {
            push_indent(out, indent);
        }
        out.push('-');
        write_after(out, item, indent, Prefix::Dash);
    }
}

/// A node that follows a key's `:` or a dash, where that key or dash is at `indent`.
fn write_after(out: &mut String, value: &Value, indent: usize, prefix: Prefix) {
    match (value, prefix) {
        (Value::Object(map), Prefix::Key) if !map.is_empty() => {
            out.push('\n');
            write_map(out, map, indent + 2, false);
        }
        (Value::Object(map), Prefix::Dash) if !map.is_empty() => {
            out.push(' ');
            write_map(out, map, indent + 2, true);
        }
        (Value::Array(items), Prefix::Key) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, indent, false);
        }
        (Value::Array(items), Prefix::Dash) if !items.is_empty() => {
            out.push(' ');
            write_seq(out, items, indent + 2, true);
        }
        _ => {
            out.push(' ');
            write_inline(out, value, indent);
        }
    }
}

/// A scalar or empty collection that starts on the current line, then its line break; a
/// literal block's lines are indented one level past `indent`.
fn write_inline(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&scalar::number(n)),
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
        Value::String(s) => match scalar::string_style(s) {
            StringStyle::Plain => out.push_str(s),
            StringStyle::DoubleQuoted => out.push_str(&scalar::double_quoted(s)),
            StringStyle::Literal => {
                out.push_str(scalar::literal_header(s));
                write_literal_lines(out, s, indent + 2);
                return;
            }
        },
    }
    out.push('\n');
}

/// The lines of a literal block at `indent`, each ending in a line break; empty lines carry no
/// indentation, so the output has no trailing spaces of its own.
fn write_literal_lines(out: &mut String, s: &str, indent: usize) {
    out.push('\n');
    // The break that ends the last line is written below like every other one.
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        if !line.is_empty() {
            push_indent(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn push_indent(out: &mut String, indent: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = indent;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.push_str(&SPACES[..n]);
        left -= n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_at_the_top() {
        assert_eq!(to_yaml(&json!(null)), "null\n");
        assert_eq!(to_yaml(&json!(true)), "true\n");
        assert_eq!(to_yaml(&json!(-3)), "-3\n");
        assert_eq!(to_yaml(&json!(2.5)), "2.5\n");
        assert_eq!(to_yaml(&json!("x")), "x\n");
        assert_eq!(to_yaml(&json!("no")), "\"no\"\n");
        assert_eq!(to_yaml(&json!({})), "{}\n");
        assert_eq!(to_yaml(&json!([])), "[]\n");
        assert_eq!(to_yaml(&json!("a\nb\n")), "|\n  a\n  b\n");
    }

    #[test]
    fn nested_maps_and_lists() {
        let value = json!({
            "a": {"b": {"c": 1}, "d": []},
            "e": [1, [2, 3], [], {}, {"f": null, "g": [true]}],
            "h": {},
        });
        let expected = "\
a:
  b:
    c: 1
  d: []
e:
- 1
- - 2
  - 3
- []
- {}
- f: null
  g:
  - true
h: {}
";
        assert_eq!(to_yaml(&value), expected);
    }

    #[test]
    fn keys_keep_their_order_and_are_quoted_like_values() {
        let value = json!({"z": 1, "on": 2, "a b": 3, "": 4, "1": 5, "x\ny": 6});
        assert_eq!(
            to_yaml(&value),
            "z: 1\n\"on\": 2\na b: 3\n\"\": 4\n\"1\": 5\n\"x\\ny\": 6\n"
        );
    }

    #[test]
    fn literal_blocks_sit_one_level_deeper_than_their_key() {
        let value = json!({
            "data": {"keep": "a\n\nb\n\n", "clip": "a\n  b\n", "strip": "a\nb"},
            "list": ["x\ny\n", ["p\nq"]],
        });
        let expected = "\
data:
  keep: |+
    a

    b

  clip: |
    a
      b
  strip: |-
    a
    b
list:
- |
  x
  y
- - |-
    p
    q
";
        assert_eq!(to_yaml(&value), expected);
    }

    #[test]
    fn long_keys_are_explicit() {
        let key = "k".repeat(1200);
        let value = json!({ key.clone(): {"a": 1}, "b": [2] });
        assert_eq!(to_yaml(&value), format!("? {key}\n:\n  a: 1\nb:\n- 2\n"));
    }

    #[test]
    fn documents_are_separated_by_markers() {
        assert_eq!(to_yaml_documents(&[]), "");
        assert_eq!(
            to_yaml_documents(&[json!({"a": 1}), json!(["b"])]),
            "a: 1\n---\n- b\n"
        );
    }

    #[test]
    fn a_daemonset_reads_like_kubectl_output() {
        let value = json!({
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": {
                "name": "node-exporter",
                "labels": {"app.kubernetes.io/name": "node-exporter", "version": "1.12.1"},
            },
            "spec": {
                "selector": {"matchLabels": {"app": "node-exporter"}},
                "template": {
                    "metadata": {"labels": {"app": "node-exporter"}},
                    "spec": {
                        "hostNetwork": true,
                        "containers": [{
                            "name": "exporter",
                            "image": "quay.io/prometheus/node-exporter:v1.8.2",
                            "args": ["--path.rootfs=/host", "--web.listen-address=:9100"],
                            "env": [{"name": "UMASK", "value": "0777"}],
                            "ports": [{"containerPort": 9100, "name": "metrics"}],
                            "resources": {"limits": {"cpu": "250m", "memory": "180Mi"}},
                        }],
                        "tolerations": [{"operator": "Exists"}],
                    },
                },
            },
        });
        let expected = "\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  labels:
    app.kubernetes.io/name: node-exporter
    version: \"1.12.1\"
spec:
  selector:
    matchLabels:
      app: node-exporter
  template:
    metadata:
      labels:
        app: node-exporter
    spec:
      hostNetwork: true
      containers:
      - name: exporter
        image: quay.io/prometheus/node-exporter:v1.8.2
        args:
        - --path.rootfs=/host
        - --web.listen-address=:9100
        env:
        - name: UMASK
          value: \"0777\"
        ports:
        - containerPort: 9100
          name: metrics
        resources:
          limits:
            cpu: 250m
            memory: 180Mi
      tolerations:
      - operator: Exists
";
        assert_eq!(to_yaml(&value), expected);
    }
}
