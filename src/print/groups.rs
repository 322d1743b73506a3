//! Where a statement too long for one line breaks, and which pair has spaces around its `=`:
//! the options of each setting (a word and its values, as `dsc check` reads them) start the
//! continuation lines of a long statement.
//!
//! The printer knows settings only as far as layout needs: a statement with an unknown keyword,
//! or with none of its options, breaks before each of its values instead (a flag keeps the
//! values after it).

use super::Value;

/// The kinds of reference, the value of a pair that more values of the same pair follow:
/// `env NODE = field spec.nodeName`, `file cpu = resource limits.cpu divisor 1m`.
const REFERENCES: &[&str] = &["field", "secret", "configmap", "resource"];

/// The options of some settings: the words that start a group of values.
struct Options {
    keywords: &'static [&'static str],
    /// How many values lead the statement and are never options (a volume's name and kind:
    /// `volume tls secret ...` is a secret, `secret NAME` an option of a `csi` volume).
    leading: usize,
    /// Options followed by one value (`period 10s`), which stays with them whatever it is.
    valued: &'static [&'static str],
    /// Options followed by nothing, by pairs or by a term (`ro`, `items a=b`, `or K exists`).
    others: &'static [&'static str],
}

const fn options(
    keywords: &'static [&'static str],
    valued: &'static [&'static str],
    others: &'static [&'static str],
) -> Options {
    Options {
        keywords,
        leading: 1,
        valued,
        others,
    }
}

/// Every setting that takes options, with all of them. `tests::option_groups_are_the_checkers`
/// holds this to the options `dsc check` lists for each setting that lists them.
const SETTINGS: &[Options] = &[
    options(
        &["liveness", "readiness", "startup"],
        &[
            "host", "service", "delay", "timeout", "period", "success", "failure",
        ],
        &["header"],
    ),
    options(&["post-start", "pre-stop"], &["host"], &["header"]),
    options(
        &["mount"],
        &[
            "sub-path",
            "sub-path-expr",
            "propagation",
            "type",
            "mode",
            "size",
        ],
        &["ro", "items", "optional", "memory"],
    ),
    Options {
        keywords: &["volume"],
        leading: 2,
        valued: &[
            "type", "mode", "size", "fs-type", "secret", "class", "access", "pull",
        ],
        others: &["items", "optional", "ro", "memory", "attributes", "block"],
    },
    options(&["configmap", "secret"], &[], &["items", "optional"]),
    options(&["token"], &["expires", "audience"], &[]),
    options(&["env", "file"], &["divisor", "container"], &["optional"]),
    options(&["env-from"], &["prefix"], &["optional"]),
    options(&["port"], &["host"], &[]),
    options(&["gpu", "mgpu"], &["core", "memory", "type"], &[]),
    options(&["update"], &["max-unavailable", "max-surge"], &[]),
    options(&["tolerate"], &["for"], &[]),
    options(&["termination-message"], &["path"], &[]),
    options(&["caps"], &["add", "drop"], &[]),
    options(&["node-affinity"], &[], &["and", "or"]),
    options(
        &["pod-affinity", "pod-anti-affinity"],
        &["topology", "namespaces", "namespace"],
        &["and"],
    ),
    options(&["daemonset"], &["in"], &[]),
];

/// The options of `keyword`, if it takes any.
fn settings(keyword: &str) -> Option<&'static Options> {
    SETTINGS.iter().find(|o| o.keywords.contains(&keyword))
}

/// Where the lines of a long statement start: indices into `args`, the first always 0 (the
/// first value stays on the keyword's line). An option starts a line with its values; in a
/// statement without options, every value does, except the values after a flag (a word that
/// starts with `-`), which stay with it, and the target after a reference's pair.
pub fn line_starts(keyword: &str, args: &[Value]) -> Vec<usize> {
    let mut starts = vec![0];
    if args.is_empty() {
        return starts;
    }
    let word = |i: usize| match &args[i] {
        Value::Word(w) => Some(w.as_str()),
        _ => None,
    };
    if let Some(opts) = settings(keyword) {
        let mut i = opts.leading;
        while i < args.len() {
            match word(i) {
                Some(w) if opts.valued.contains(&w) => {
                    starts.push(i);
                    i += 2;
                }
                Some(w) if opts.others.contains(&w) => {
                    starts.push(i);
                    i += 1;
                }
                _ => i += 1,
            }
        }
        if starts.len() > 1 {
            return starts;
        }
    }
    let flag = |v: &Value| match v {
        Value::Word(t) | Value::Str { value: t, .. } => t.starts_with('-'),
        _ => false,
    };
    let mut after_flag = flag(&args[0]);
    for (i, value) in args.iter().enumerate().skip(1) {
        let target = i == 1 && is_reference(args);
        if flag(value) || !(after_flag || target) {
            starts.push(i);
            after_flag = flag(value);
        }
    }
    starts
}

/// Whether the statement is a reference, `NAME = KIND TARGET ...`: its first value a pair whose
/// value is a kind of reference and that more values follow, none of them a pair. Its pair is
/// the only one written with spaces around `=`; a statement with other pairs (which no setting
/// takes) writes them all `key=value`, so a line has one spacing.
pub fn is_reference(args: &[Value]) -> bool {
    let [Value::Pair { value, .. }, rest @ ..] = args else {
        return false;
    };
    matches!(value.as_ref(), Value::Word(w) if REFERENCES.contains(&w.as_str()))
        && !rest.is_empty()
        && !rest.iter().any(|v| matches!(v, Value::Pair { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the option `word` of `keyword` takes one value; `None` when it is not one of
    /// its options.
    fn takes_value(keyword: &str, word: &str) -> Option<bool> {
        let opts = settings(keyword)?;
        match (opts.valued.contains(&word), opts.others.contains(&word)) {
            (false, false) => None,
            (valued, _) => Some(valued),
        }
    }

    /// The options `dsc check` lists for a statement with an unknown option `zzz`, each with
    /// whether it takes one value (`None` when the list gives names alone).
    fn listed(place: &str, statement: &str) -> Vec<(String, Option<bool>)> {
        let spec = match place {
            "container" => format!("daemonset a {{\n  container a {{\n    {statement}\n  }}\n}}\n"),
            "daemonset" => format!("daemonset a {{\n  {statement}\n}}\n"),
            _ => format!("daemonset a {{\n  volume p projected {{\n    {statement}\n  }}\n}}\n"),
        };
        let (ast, _) = crate::syntax::parse(&spec);
        let (_, diagnostics) = crate::check::check(&ast);
        let mut out = Vec::new();
        for help in diagnostics.iter().filter_map(|d| d.help.as_deref()) {
            if let Some(usages) = help.strip_prefix("options here: ") {
                for usage in usages.split(", ") {
                    let words: Vec<&str> = usage.split(' ').collect();
                    out.push((
                        words[0].to_string(),
                        Some(words.len() == 2 && words[1] != "..."),
                    ));
                }
            } else if let Some((_, names)) = help
                .split_once("`: ")
                .filter(|_| help.starts_with("options of"))
            {
                out.extend(names.split(", ").map(|n| (n.to_string(), None)));
            }
        }
        out
    }

    /// The printer's options are the checker's: every option `dsc check` lists for a setting
    /// starts a group, and one that takes a value keeps it. (Settings whose options the
    /// checker reads without listing them, such as `tolerate ... for`, are not held here.)
    #[test]
    fn option_groups_are_the_checkers() {
        let forms = [
            ("container", "liveness http 80 /x zzz"),
            ("container", "readiness tcp 80 zzz"),
            ("container", "startup grpc 80 zzz"),
            ("container", "liveness exec [a] zzz"),
            ("container", "post-start http 80 /x zzz"),
            ("container", "pre-stop https 80 /quit zzz"),
            ("container", "mount host /x at /y zzz"),
            ("container", "mount configmap c at /y zzz"),
            ("container", "mount secret s at /y zzz"),
            ("container", "mount empty-dir at /y zzz"),
            ("container", "mount pvc c at /y zzz"),
            ("container", "gpu 1 zzz"),
            ("container", "mgpu core 50 zzz"),
            ("daemonset", "volume a host /x zzz"),
            ("daemonset", "volume b configmap c zzz"),
            ("daemonset", "volume c secret s zzz"),
            ("daemonset", "volume d pvc c zzz"),
            ("daemonset", "volume e empty-dir zzz"),
            ("daemonset", "volume g nfs server /x zzz"),
            ("daemonset", "volume h csi driver zzz"),
            ("daemonset", "volume i ephemeral 1Gi zzz"),
            ("daemonset", "volume j image registry.example.com/x:1 zzz"),
            (
                "daemonset",
                "volume f downward zzz { file a = field metadata.name }",
            ),
            ("projected", "token t zzz"),
            ("projected", "configmap c zzz"),
            ("projected", "secret s zzz"),
        ];
        for (place, statement) in forms {
            let keyword = statement.split(' ').next().unwrap_or_default();
            let options = listed(place, statement);
            assert!(!options.is_empty(), "`{statement}` lists no options");
            for (name, valued) in options {
                let known = takes_value(keyword, &name);
                assert!(known.is_some(), "`{name}` of `{keyword}` starts no group");
                if valued.is_some() {
                    assert_eq!(known, valued, "`{name}` of `{keyword}`: takes a value?");
                }
            }
        }
    }

    #[test]
    fn options_start_lines_with_their_values() {
        let w = |s: &str| Value::word(s);
        let args = [
            w("settings"),
            w("at"),
            w("/etc"),
            w("ro"),
            w("sub-path"),
            w("ro"),
        ];
        assert_eq!(line_starts("mount", &args), [0, 3, 4]);
        // A volume's kind is not an option, even where it is the word of one.
        let args = [w("tls"), w("secret"), w("s"), w("mode"), w("0400")];
        assert_eq!(line_starts("volume", &args), [0, 3]);
        let args = [w("c"), w("csi"), w("d"), w("secret"), w("s"), w("ro")];
        assert_eq!(line_starts("volume", &args), [0, 3, 5]);
        // A statement without its options breaks before each value; flags keep theirs.
        let args = [w("--a"), w("x"), w("--b"), w("y"), w("z")];
        assert_eq!(line_starts("args", &args), [0, 2]);
        let args = [w("a"), w("b"), w("--c"), w("d")];
        assert_eq!(line_starts("unknown", &args), [0, 1, 2]);
        // A reference keeps its target.
        let reference = Value::pair("N", w("field"));
        assert_eq!(line_starts("env", &[reference, w("spec.nodeName")]), [0]);
    }

    #[test]
    fn only_a_reference_has_spaces() {
        let w = |s: &str| Value::word(s);
        let pair = |k: &str, v: &str| Value::pair(k, w(v));
        assert!(is_reference(&[pair("N", "field"), w("spec.nodeName")]));
        assert!(is_reference(&[
            pair("N", "resource"),
            w("limits.cpu"),
            w("divisor"),
            w("1m")
        ]));
        assert!(!is_reference(&[pair("N", "field")]));
        assert!(!is_reference(&[pair("N", "field"), w("x"), pair("O", "1")]));
        assert!(!is_reference(&[
            pair("k", "v:NoSchedule"),
            w("for"),
            w("5m")
        ]));
        assert!(!is_reference(&[w("require"), pair("N", "field"), w("x")]));
        let quoted = Value::pair("N", Value::string("field"));
        assert!(!is_reference(&[quoted, w("x")]));
    }
}
