//! Kubernetes objects (as JSON values) → YAML text: stable order, quoting safe under YAML 1.1
//! and 1.2.
