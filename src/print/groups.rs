//! How the values of a statement go together: the pair of a reference with the values after it
//! (`env NODE = field spec.nodeName`), the one pair written with spaces around its `=`.

use super::Value;

/// The kinds of reference, the value of a pair that more values of the same pair follow:
/// `env NODE = field spec.nodeName`, `file cpu = resource limits.cpu divisor 1m`.
const REFERENCES: &[&str] = &["field", "secret", "configmap", "resource"];

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
