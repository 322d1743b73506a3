//! The size of a compiled object against what the cluster stores: etcd refuses a request over
//! 1.5 MiB (its default `--max-request-bytes`), so the API server answers "request is too large"
//! however valid each field is. Input: the object as JSON; output: a diagnostic naming the part
//! that makes it large.

use std::io;

use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::source::Span;

/// etcd's default limit on one request, which holds the whole object.
pub const MAX_OBJECT_BYTES: usize = 1536 * 1024;

/// `DS1010` when `object` serialized is over [`MAX_OBJECT_BYTES`], at `at` (the daemonset).
pub fn too_large(object: &Value, at: Span) -> Option<Diagnostic> {
    let total = json_len(object);
    if total <= MAX_OBJECT_BYTES {
        return None;
    }
    let (path, part) = largest_part(object, total);
    let mib = |n: usize| format!("{:.2} MiB", n as f64 / (1024.0 * 1024.0));
    let help = match path.is_empty() {
        true => "split the agent, or move large data into a ConfigMap mounted as a volume".into(),
        false => format!(
            "`{path}` takes {}: move large data (scripts, configuration) into a ConfigMap mounted as a volume",
            mib(part)
        ),
    };
    Some(
        Diagnostic::error(
            "DS1010",
            format!(
                "the compiled DaemonSet is {}, over the 1.5 MiB a cluster stores",
                mib(total)
            ),
        )
        .at(at, "the API server refuses it: etcd's request limit")
        .help(help),
    )
}

/// The deepest field holding more than half of the object's bytes, and its size.
fn largest_part(object: &Value, total: usize) -> (String, usize) {
    let mut path = String::new();
    let mut size = total;
    let mut current = object;
    loop {
        let children: Vec<(String, &Value)> = match current {
            Value::Object(map) => map.iter().map(|(k, v)| (format!(".{k}"), v)).collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("[{i}]"), v))
                .collect(),
            _ => return (path, size),
        };
        let Some((step, child, bytes)) = children
            .into_iter()
            .map(|(k, v)| {
                let n = json_len(v);
                (k, v, n)
            })
            .max_by_key(|(_, _, n)| *n)
        else {
            return (path, size);
        };
        if bytes * 2 < total {
            return (path, size);
        }
        path.push_str(&step);
        if path.starts_with('.') {
            path.remove(0);
        }
        size = bytes;
        current = child;
    }
}

/// The length of `value` as compact JSON, counted without building the text.
fn json_len(value: &Value) -> usize {
    struct Count(usize);
    impl io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, value) {
        Ok(()) => count.0,
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_small_object_passes_and_a_large_one_names_its_largest_part() {
        assert!(too_large(&json!({"spec": {"a": 1}}), Span::new(0, 1)).is_none());
        let big = "x".repeat(MAX_OBJECT_BYTES);
        let object = json!({"metadata": {"name": "a"}, "spec": {"template": {"metadata": {"annotations": {"script": big}}}}});
        let d = too_large(&object, Span::new(0, 1));
        let help = d.and_then(|d| d.help).unwrap_or_default();
        assert!(
            help.starts_with("`spec.template.metadata.annotations.script` takes 1.50 MiB"),
            "{help}"
        );
    }

    #[test]
    fn the_limit_is_on_the_bytes_of_the_json() {
        let at_limit = |extra: usize| {
            let base = json_len(&json!({"a": ""}));
            json!({"a": "x".repeat(MAX_OBJECT_BYTES - base + extra)})
        };
        assert!(too_large(&at_limit(0), Span::new(0, 1)).is_none());
        assert!(too_large(&at_limit(1), Span::new(0, 1)).is_some());
    }
}
