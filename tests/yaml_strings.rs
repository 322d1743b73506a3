//! Property tests of the YAML emitter: every string written by `emit::to_yaml`, as a value, a
//! key or a list item, reads back as the same string under YAML 1.2 (yaml-rust2) and is never
//! written plain where a YAML 1.1 or 1.2 reader would resolve it to another type.

use dsc::emit::{to_yaml, to_yaml_documents};
use proptest::prelude::*;
use regex::Regex;
use serde_json::{json, Map, Number, Value};
use std::sync::LazyLock;
use yaml_rust2::parser::{Event, EventReceiver, Parser};
use yaml_rust2::scanner::TScalarStyle;
use yaml_rust2::{Yaml, YamlLoader};

/// The implicit resolvers of the YAML 1.1 type repository (yaml.org/type): bool, null, int,
/// float, timestamp, merge and value, each anchored to the whole scalar.
static YAML11: LazyLock<Vec<(&str, Regex)>> = LazyLock::new(|| {
    anchored(&[
        (
            "bool",
            "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
        ),
        ("null", "~|null|Null|NULL|"),
        (
            "int",
            r"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+",
        ),
        (
            "float",
            r"[-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)",
        ),
        (
            "timestamp",
            r"[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?([Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](\.[0-9]*)?(([ \t]*)Z|[-+][0-9][0-9]?(:[0-9][0-9])?)?",
        ),
        ("merge", "<<"),
        ("value", "="),
    ])
});

/// The implicit resolvers of the YAML 1.2 core schema.
static YAML12: LazyLock<Vec<(&str, Regex)>> = LazyLock::new(|| {
    anchored(&[
        ("bool", "true|True|TRUE|false|False|FALSE"),
        ("null", "~|null|Null|NULL|"),
        ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"),
        (
            "float",
            r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)",
        ),
    ])
});

fn anchored(patterns: &[(&'static str, &str)]) -> Vec<(&'static str, Regex)> {
    patterns
        .iter()
        .map(|(tag, pattern)| (*tag, Regex::new(&format!("^(?:{pattern})$")).unwrap()))
        .collect()
}

/// The first type a reader of `schema` gives to `plain` when it is written without quotes.
fn resolve(schema: &[(&'static str, Regex)], plain: &str) -> Option<&'static str> {
    schema
        .iter()
        .find(|(_, regex)| regex.is_match(plain))
        .map(|(tag, _)| *tag)
}

/// The scalars of a YAML stream, in order, with their style.
#[derive(Default)]
struct Scalars(Vec<(String, TScalarStyle)>);

impl EventReceiver for Scalars {
    fn on_event(&mut self, event: Event) {
        if let Event::Scalar(text, style, _, _) = event {
            self.0.push((text, style));
        }
    }
}

/// The leaves of a JSON value (object keys included) in the order YAML writes them.
fn leaves(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                out.push(Value::String(key.clone()));
                leaves(value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| leaves(item, out)),
        leaf => out.push(leaf.clone()),
    }
}

/// A YAML 1.2 document read by yaml-rust2, as JSON.
fn to_json(yaml: &Yaml) -> Value {
    match yaml {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Real(text) => Value::Number(
            Number::from_f64(text.parse().unwrap()).unwrap_or_else(|| panic!("float {text}")),
        ),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(hash) => Value::Object(
            hash.iter()
                .map(|(key, value)| match key {
                    Yaml::String(key) => (key.clone(), to_json(value)),
                    other => panic!("non-string key {other:?}"),
                })
                .collect::<Map<_, _>>(),
        ),
        other => panic!("unexpected node {other:?}"),
    }
}

/// Emits `values` as one stream and checks it both ways: yaml-rust2 reads back the same values,
/// and every plain scalar is of the type its value has under YAML 1.1 and YAML 1.2.
fn check_documents(values: &[Value]) {
    let text = to_yaml_documents(values);
    let docs = YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("unreadable YAML ({e}):\n{text}"));
    let read: Vec<Value> = docs.iter().map(to_json).collect();
    assert_eq!(read, values, "YAML 1.2 reading differs:\n{text}");

    let mut scalars = Scalars::default();
    Parser::new_from_str(&text)
        .load(&mut scalars, true)
        .unwrap();
    let mut expected = Vec::new();
    values.iter().for_each(|value| leaves(value, &mut expected));
    assert_eq!(scalars.0.len(), expected.len(), "scalar count:\n{text}");
    for ((written, style), value) in scalars.0.iter().zip(&expected) {
        let plain = *style == TScalarStyle::Plain;
        let want = match value {
            Value::String(s) => {
                assert_eq!(written, s, "string changed:\n{text}");
                None
            }
            Value::Null => Some("null"),
            Value::Bool(_) => Some("bool"),
            Value::Number(n) if n.is_f64() => Some("float"),
            Value::Number(_) => Some("int"),
            Value::Object(_) | Value::Array(_) => unreachable!("not a leaf"),
        };
        if plain || want.is_some() {
            assert!(plain, "{value} not plain:\n{text}");
            assert_eq!(
                resolve(&YAML11, written),
                want,
                "YAML 1.1 {written:?}:\n{text}"
            );
            assert_eq!(
                resolve(&YAML12, written),
                want,
                "YAML 1.2 {written:?}:\n{text}"
            );
        }
    }
}

/// `s` as a map value, a map key, a list item, nested a few levels deep and alone.
fn check_string(s: &str) {
    check_documents(&[
        json!({ "value": s }),
        json!({ s: "key" }),
        json!([s]),
        json!({ "outer": [{ s: s, "inner": [s, [s]], "map": { s: [s] } }] }),
        json!(s),
    ]);
}

const TRICKY: &[&str] = &[
    "no",
    "No",
    "NO",
    "on",
    "off",
    "yes",
    "y",
    "n",
    "true",
    "null",
    "~",
    "0777",
    "0o17",
    "0x1F",
    "1:30",
    "190:20:30",
    "2026-01-01",
    "2026-01-01T10:00:00Z",
    "2026-01-01 10:00:00",
    "1e3",
    "1_000",
    ".5",
    "+1",
    "-1",
    ".inf",
    "-.inf",
    ".NaN",
    "=",
    "<<",
    "",
    " x",
    "x ",
    "#",
    "a #b",
    ": ",
    "a: b",
    "a:",
    "- x",
    "-",
    "--",
    "---",
    "...",
    "[a]",
    "{a}",
    "*a",
    "&a",
    "!a",
    "|",
    ">",
    "%x",
    "@x",
    "`x",
    "?",
    "? x",
    "\"",
    "'",
    "\\",
    "line one\nline two\n",
    "line one\nline two",
    "line one\nline two\n\n\n",
    "line one\n\n  indented\n",
    "last line spaces\n  ",
    "\ttab",
    "tab\tinside\n",
    "a\r\nb",
    "\u{85}next line",
    "sep\u{2028}arator",
    "\u{feff}bom",
    "\u{0}\u{7}\u{1b}\u{7f}",
    "café ☕ 😀",
    "100m",
    "1.5Gi",
    "10%",
    "1.12.1",
    "--v=2",
    "-inf",
    "-Infinity",
];

/// Strings too long for an implicit key, plain and quoted, and a long literal block.
fn long_strings() -> Vec<String> {
    vec![
        "k".repeat(1500),
        "no ".repeat(400),
        "é\t".repeat(600),
        "line\n".repeat(300),
    ]
}

#[test]
fn tricky_strings_survive_both_yaml_versions() {
    for s in TRICKY {
        check_string(s);
    }
    for s in long_strings() {
        check_string(&s);
    }
}

#[test]
fn numbers_bools_and_null_keep_their_types() {
    check_documents(&[
        json!(null),
        json!(true),
        json!(false),
        json!(0),
        json!(-7),
        json!(i64::MIN),
        json!(i64::MAX),
        json!(0.5),
        json!(-0.0),
        json!(3.0),
        json!(1e300),
        json!(-2.5e-300),
        json!(5e-324),
        json!({ "a": [1, 2.5, true, null, "1", "true", "null"] }),
    ]);
}

/// Characters that mean something to YAML somewhere, so that short random strings hit the
/// corner cases far more often than arbitrary Unicode does.
fn tricky_char() -> impl Strategy<Value = char> {
    prop::sample::select(
        " \n\t\r:#-.0123456789_+~'\"\\%@=<>|[]{},!&*?`aeinoxyZTGiMm/é\u{0}\u{85}\u{2028}\u{feff}😀"
            .chars()
            .collect::<Vec<_>>(),
    )
}

fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(tricky_char(), 0..12).prop_map(|c| c.into_iter().collect()),
        any::<String>(),
        prop::sample::select(TRICKY).prop_map(str::to_owned),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (prop::num::f64::NORMAL | prop::num::f64::ZERO | prop::num::f64::SUBNORMAL)
            .prop_map(Value::from),
        tricky_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((tricky_string(), inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_string_survives_both_yaml_versions(s in tricky_string()) {
        check_string(&s);
    }

    #[test]
    fn any_json_value_reads_back_the_same(values in prop::collection::vec(json_value(), 1..4)) {
        check_documents(&values);
    }

    #[test]
    fn one_document_has_no_marker(value in json_value()) {
        let text = to_yaml(&value);
        prop_assert!(text.ends_with('\n'));
        prop_assert!(!text.starts_with("---"));
    }
}

/// Writes the emitter's YAML for the tricky strings and many random ones, with the same values
/// as JSON, for the CI's Python readers: `DSC_YAML_CORPUS=DIR cargo test --test yaml_strings
/// corpus -- --ignored` writes `DIR/strings.yaml` and `DIR/strings.json`.
#[test]
#[ignore = "writes files for .ci/run; run with DSC_YAML_CORPUS set"]
fn corpus_for_python_readers() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRng, TestRunner};

    let dir = std::env::var("DSC_YAML_CORPUS").expect("DSC_YAML_CORPUS names a directory");
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(Config::default().rng_algorithm),
    );
    let mut strings: Vec<String> = TRICKY.iter().map(|s| s.to_string()).collect();
    strings.extend(long_strings());
    for _ in 0..5000 {
        strings.push(tricky_string().new_tree(&mut runner).unwrap().current());
    }
    let docs: Vec<Value> = strings
        .iter()
        .map(|s| json!({ "value": s, s: "key", "list": [s, { s: s }] }))
        .collect();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(format!("{dir}/strings.yaml"), to_yaml_documents(&docs)).unwrap();
    std::fs::write(
        format!("{dir}/strings.json"),
        serde_json::to_string(&docs).unwrap(),
    )
    .unwrap();
}
