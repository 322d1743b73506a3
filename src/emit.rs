//! Kubernetes objects (as JSON values) → YAML text: stable order, quoting safe under YAML 1.1
//! and 1.2.

/// One YAML document. (Temporary: replaced by the YAML 1.1-safe emitter.)
pub fn to_yaml(value: &serde_json::Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

/// Several documents separated by `---`.
pub fn to_yaml_documents(values: &[serde_json::Value]) -> String {
    values.iter().map(to_yaml).collect::<Vec<_>>().join("---\n")
}
