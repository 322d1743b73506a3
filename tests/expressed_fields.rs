//! `scripts/expressed-fields.txt` lists the fields dsc expresses directly (the coverage
//! script reads it). This test keeps the list honest: every listed field, other than the ones
//! the API server fills in, appears in the output of some golden case that uses no override.

mod common;

use std::collections::BTreeSet;

const FREE_FORM: &[&str] = &[
    "labels",
    "annotations",
    "nodeSelector",
    "matchLabels",
    "limits",
    "requests",
];

/// `a.{b,c}` → `a.b`, `a.c` (several braces multiply).
fn expand(path: &str) -> Vec<String> {
    match (path.find('{'), path.find('}')) {
        (Some(open), Some(close)) if path[open..close].contains(',') => path[open + 1..close]
            .split(',')
            .flat_map(|choice| expand(&format!("{}{choice}{}", &path[..open], &path[close + 1..])))
            .collect(),
        (Some(open), Some(close)) if close == open + 1 => {
            // `{}` marks a free-form map; expand the rest.
            expand(&path[close + 1..])
                .into_iter()
                .map(|rest| format!("{}{{}}{rest}", &path[..open]))
                .collect()
        }
        _ => vec![path.to_string()],
    }
}

/// Same code serves both container kinds, so the test does not tell them apart.
fn normalize(path: &str) -> String {
    path.replace("initContainers[]", "containers[]")
}

fn walk(v: &serde_yaml::Value, path: &str, out: &mut BTreeSet<(String, Option<String>)>) {
    match v {
        serde_yaml::Value::Mapping(map) => {
            for (k, child) in map {
                let k = k.as_str().unwrap_or_default();
                let p = if path.is_empty() {
                    k.to_string()
                } else {
                    format!("{path}.{k}")
                };
                if FREE_FORM.contains(&k) && child.is_mapping() {
                    out.insert((normalize(&format!("{p}{{}}")), None));
                    continue;
                }
                let scalar = match child {
                    serde_yaml::Value::String(s) => Some(s.clone()),
                    serde_yaml::Value::Bool(b) => Some(b.to_string()),
                    serde_yaml::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                };
                out.insert((normalize(&p), scalar));
                walk(child, &p, out);
            }
        }
        serde_yaml::Value::Sequence(items) => {
            for item in items {
                walk(item, &format!("{path}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_listed_field_appears_in_a_golden_output() {
    let mut seen = BTreeSet::new();
    for dir in ["tests/cases/build", "examples"] {
        for yaml in common::inputs(dir, "yaml") {
            let ds = std::fs::read_to_string(yaml.with_extension("ds")).unwrap_or_default();
            if ds.contains("override") {
                continue;
            }
            let text = std::fs::read_to_string(&yaml).unwrap();
            for doc in text.split("\n---\n") {
                let v: serde_yaml::Value = serde_yaml::from_str(doc).unwrap();
                walk(&v, "", &mut seen);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = std::fs::read_to_string(root.join("scripts/expressed-fields.txt")).unwrap();
    let mut missing = Vec::new();
    for line in list.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let path = words.next().unwrap();
        let rest: Vec<&str> = words.collect();
        let (value, how) = match rest.as_slice() {
            ["=", v, how @ ..] => (Some(v.to_string()), how.join(" ")),
            how => (None, how.join(" ")),
        };
        if how.starts_with("implied:") || how.starts_with("server:") {
            continue;
        }
        for p in expand(path) {
            let p = normalize(&p);
            let found = seen
                .iter()
                .any(|(q, v)| *q == p && (value.is_none() || v.as_ref() == value.as_ref()));
            if !found {
                missing.push(p);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "listed in scripts/expressed-fields.txt but in no golden output: {missing:#?}"
    );
}
