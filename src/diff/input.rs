//! Reading the old side: manifest files, stdin, and `kubectl get` dumps, as JSON values.
//!
//! Input: text (JSON, or YAML with any number of documents) from a file or stdin. Output: the
//! Kubernetes objects in it, `List`s (`kind: List`, `DaemonSetList`, …) flattened into their
//! items, and the one DaemonSet wanted, chosen by namespace and name.

use serde::Deserialize;
use serde_json::Value;
use std::fmt;
use std::io::Read;
use std::path::Path;

/// Why the old side could not be read.
#[derive(Debug)]
pub enum InputError {
    /// The file or stdin could not be read.
    Io {
        /// The file name, or `-` for stdin.
        source: String,
        /// The operating system's message.
        message: String,
    },
    /// The text is neither JSON nor YAML.
    Parse {
        /// The parser's message, with line and column when known.
        message: String,
    },
    /// A document is not an object (a scalar or a list at the top).
    NotAnObject {
        /// 1-based document number.
        document: usize,
    },
    /// No DaemonSet with that namespace and name.
    NotFound {
        /// The namespace looked for.
        namespace: String,
        /// The name looked for.
        name: String,
        /// What was there instead, as `Kind namespace/name`.
        found: Vec<String>,
    },
    /// A file of several could not be read as objects.
    InFile {
        /// The file.
        file: String,
        /// Why.
        error: Box<InputError>,
    },
    /// Two DaemonSets of one identity (namespace and name) on the old side.
    Duplicate {
        /// The object, as `DaemonSet namespace/name`.
        object: String,
        /// Where the first one is.
        first: String,
        /// Where the second one is.
        second: String,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io { source, message } => write!(f, "cannot read {source}: {message}"),
            InputError::Parse { message } => write!(f, "not valid JSON or YAML: {message}"),
            InputError::NotAnObject { document } => {
                write!(f, "document {document} is not a Kubernetes object")
            }
            InputError::NotFound {
                namespace,
                name,
                found,
            } => {
                write!(f, "no DaemonSet {namespace}/{name} in the input")?;
                if found.is_empty() {
                    write!(f, " (it holds no objects)")
                } else {
                    write!(f, " (it holds {})", found.join(", "))
                }
            }
            InputError::InFile { file, error } => write!(f, "{file}: {error}"),
            InputError::Duplicate {
                object,
                first,
                second,
            } if first == second => write!(f, "{object} is twice in {first}"),
            InputError::Duplicate {
                object,
                first,
                second,
            } => write!(f, "{object} is in both {first} and {second}"),
        }
    }
}

impl std::error::Error for InputError {}

/// The text of a file, or of stdin when `path` is `-`.
pub fn read_source(path: &Path) -> Result<String, InputError> {
    let source = path.display().to_string();
    let io = |e: std::io::Error| InputError::Io {
        source: source.clone(),
        message: e.to_string(),
    };
    crate::source::read_text(path, crate::source::MAX_MANIFEST_BYTES).map_err(io)
}

/// Everything from a reader, as UTF-8 text, refused past
/// [`crate::source::MAX_MANIFEST_BYTES`].
pub fn read_all(reader: impl Read) -> std::io::Result<String> {
    crate::source::read_limited(reader, crate::source::MAX_MANIFEST_BYTES)
}

/// The objects in a JSON or multi-document YAML text, lists flattened, empty documents skipped.
/// YAML is read as Kubernetes reads it (YAML 1.1: a plain `0644` is 420, `yes` is true), so a
/// previous or live manifest compares as the API server would store it.
pub fn read_objects(text: &str) -> Result<Vec<Value>, InputError> {
    let text = text.trim_start_matches('\u{feff}');
    let documents: Vec<Value> = if text.trim_start().starts_with('{') {
        let value = serde_json::from_str(text).map_err(|e| InputError::Parse {
            message: e.to_string(),
        })?;
        vec![value]
    } else {
        let mut documents: Vec<Value> = serde_yaml::Deserializer::from_str(text)
            .map(Value::deserialize)
            .collect::<Result<_, _>>()
            .map_err(|e| InputError::Parse {
                message: e.to_string(),
            })?;
        let spans = crate::yaml::spans::index(text);
        for (doc, spans) in documents.iter_mut().zip(&spans) {
            crate::yaml::yaml11::reread(doc, &Default::default(), spans);
        }
        documents
    };
    let mut objects = Vec::new();
    for (i, doc) in documents.into_iter().enumerate() {
        match doc {
            Value::Null => {}
            Value::Object(_) => flatten(doc, &mut objects),
            _ => return Err(InputError::NotAnObject { document: i + 1 }),
        }
    }
    Ok(objects)
}

fn flatten(doc: Value, out: &mut Vec<Value>) {
    flatten_placed(doc, &mut Vec::new(), &mut |object, _| out.push(object));
}

/// The objects of one document, `List`s flattened, each given to `out` with its place: the
/// indices of the `items` lists it sits in (empty for the document itself).
pub fn flatten_placed(doc: Value, place: &mut Vec<usize>, out: &mut dyn FnMut(Value, &[usize])) {
    let is_list = doc
        .get("kind")
        .and_then(Value::as_str)
        .is_some_and(|k| k.ends_with("List"));
    match doc {
        Value::Object(mut map) if is_list => {
            if let Some(Value::Array(items)) = map.remove("items") {
                for (i, item) in items.into_iter().enumerate() {
                    place.push(i);
                    flatten_placed(item, place, out);
                    place.pop();
                }
            }
        }
        Value::Object(mut map) => {
            // `namespace: ""` is no namespace: kubectl and the API server put the object in
            // the current one. Read so here, every reader of manifests sees it the same way.
            if let Some(Value::Object(meta)) = map.get_mut("metadata") {
                if meta.get("namespace").and_then(Value::as_str) == Some("") {
                    meta.shift_remove("namespace");
                }
            }
            out(Value::Object(map), place);
        }
        _ => {}
    }
}

/// The DaemonSet `namespace/name` among `objects`. An object without a namespace matches any
/// namespace (a manifest applied with `-n`), but one with the right namespace wins.
pub fn select_daemonset(
    objects: &[Value],
    namespace: &str,
    name: &str,
) -> Result<Value, InputError> {
    let field = |o: &Value, f: &str| o["metadata"][f].as_str().map(str::to_string);
    let candidates: Vec<&Value> = objects
        .iter()
        .filter(|o| o["kind"] == "DaemonSet" && field(o, "name").as_deref() == Some(name))
        .collect();
    let exact = candidates
        .iter()
        .find(|o| field(o, "namespace").as_deref() == Some(namespace));
    let loose = candidates.iter().find(|o| field(o, "namespace").is_none());
    match exact.or(loose) {
        Some(found) => Ok((*found).clone()),
        None => Err(InputError::NotFound {
            namespace: namespace.to_string(),
            name: name.to_string(),
            found: objects.iter().map(describe).collect(),
        }),
    }
}

/// `Kind namespace/name` of an object, for messages.
pub fn describe(object: &Value) -> String {
    let kind = object["kind"].as_str().unwrap_or("object");
    let name = object["metadata"]["name"].as_str().unwrap_or("(unnamed)");
    match object["metadata"]["namespace"].as_str() {
        Some(ns) => format!("{kind} {ns}/{name}"),
        None => format!("{kind} {name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_is_read_as_kubernetes_reads_it() {
        let text = "a: 1\n---\nkind: X\nmode: 0644\nquoted: '0644'\nflag: yes\nword: no-op\n";
        let objects = read_objects(text).unwrap();
        assert_eq!(objects.len(), 2);
        assert_eq!(
            objects[1],
            json!({"kind": "X", "mode": 420, "quoted": "0644", "flag": true, "word": "no-op"})
        );
    }

    const MULTI: &str = "\
# previous output
---
apiVersion: v1
kind: ConfigMap
metadata: {name: agent-config, namespace: monitoring}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: monitoring
spec:
  template:
    spec:
      volumes:
      - name: config
        configMap: {name: agent-config, defaultMode: 0644}
---
";

    #[test]
    fn multi_document_yaml() {
        let objects = read_objects(MULTI).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(objects.len(), 2);
        let ds =
            select_daemonset(&objects, "monitoring", "agent").unwrap_or_else(|e| panic!("{e}"));
        // Read the YAML 1.1 way, as the API server reads it (YAML 1.2 would give "0644").
        assert_eq!(
            ds["spec"]["template"]["spec"]["volumes"][0]["configMap"]["defaultMode"],
            420
        );
    }

    #[test]
    fn json_lists_are_flattened() {
        let list = json!({"apiVersion": "v1", "kind": "List", "items": [
            {"kind": "DaemonSet", "metadata": {"name": "a", "namespace": "x"}},
            {"kind": "DaemonSetList", "items": [{"kind": "DaemonSet", "metadata": {"name": "b", "namespace": "x"}}]}
        ]});
        let objects = read_objects(&list.to_string()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(objects.len(), 2);
        assert!(select_daemonset(&objects, "x", "b").is_ok());
    }

    #[test]
    fn missing_daemonset_lists_what_is_there() {
        let objects = read_objects(MULTI).unwrap_or_else(|e| panic!("{e}"));
        let err = select_daemonset(&objects, "monitoring", "other")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "no DaemonSet monitoring/other in the input \
                 (it holds ConfigMap monitoring/agent-config, DaemonSet monitoring/agent)"
            )
        );
    }

    #[test]
    fn namespace_less_manifest_matches_and_exact_wins() {
        let objects = vec![
            json!({"kind": "DaemonSet", "metadata": {"name": "a"}, "spec": 1}),
            json!({"kind": "DaemonSet", "metadata": {"name": "a", "namespace": "n"}, "spec": 2}),
        ];
        assert_eq!(
            select_daemonset(&objects, "n", "a")
                .map(|o| o["spec"].clone())
                .ok(),
            Some(json!(2))
        );
        assert_eq!(
            select_daemonset(&objects, "m", "a")
                .map(|o| o["spec"].clone())
                .ok(),
            Some(json!(1))
        );
    }

    #[test]
    fn reads_from_any_reader_like_stdin() {
        let text = read_all(std::io::Cursor::new(MULTI)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read_objects(&text).map(|o| o.len()).ok(), Some(2));
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(matches!(
            read_objects("a: [1, 2"),
            Err(InputError::Parse { .. })
        ));
        assert!(matches!(
            read_objects("- 1\n- 2\n"),
            Err(InputError::NotAnObject { document: 1 })
        ));
        assert!(matches!(
            read_objects("{\"a\": "),
            Err(InputError::Parse { .. })
        ));
        assert_eq!(read_objects("").map(|o| o.len()).ok(), Some(0));
    }
}
