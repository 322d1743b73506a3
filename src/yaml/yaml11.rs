//! Kubernetes' YAML reader (go-yaml v2, YAML 1.1) reads some plain scalars that YAML 1.2
//! (`serde_yaml`) reads as strings: `0644` is the octal integer 420, `0x1F` and `1_000` are
//! integers, `yes`, `on`, `n` are booleans. A manifest is checked as the API server receives it,
//! so those values are read the YAML 1.1 way here (only unquoted ones: quotes keep a string).

use serde_json::{Number, Value};

use super::spans::DocSpans;
use crate::api::FieldPath;

/// Rereads, the YAML 1.1 way, every plain string scalar of `value` (at `prefix` in `doc`).
pub fn reread(value: &mut Value, path: &FieldPath, doc: &DocSpans) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                reread(child, &path.key(key), doc);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                reread(child, &path.index(i), doc);
            }
        }
        Value::String(text) if doc.fields.get(path).is_some_and(|w| w.plain) => {
            if let Some(read) = resolve(text) {
                *value = read;
            }
        }
        _ => {}
    }
}

/// What go-yaml v2 reads a plain scalar as, when that is not a string.
pub fn resolve(text: &str) -> Option<Value> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => return Some(Value::Bool(true)),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => return Some(Value::Bool(false)),
        _ => {}
    }
    let plain = text.replace('_', "");
    let (negative, digits) = match plain.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    // strconv.ParseInt(s, 0, 64): 0x hexadecimal, 0b binary, 0o or a leading 0 octal.
    let (radix, body) = if let Some(hex) = digits.strip_prefix("0x").or(digits.strip_prefix("0X")) {
        (16, hex)
    } else if let Some(bin) = digits.strip_prefix("0b").or(digits.strip_prefix("0B")) {
        (2, bin)
    } else if let Some(oct) = digits.strip_prefix("0o").or(digits.strip_prefix("0O")) {
        (8, oct)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        return None;
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i64::from_str_radix(body, radix).ok()?;
    let n = if negative {
        magnitude.checked_neg()?
    } else {
        magnitude
    };
    Some(Value::Number(Number::from(n)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_1_1_numbers_and_booleans() {
        assert_eq!(resolve("0644"), Some(json!(420)));
        assert_eq!(resolve("0400"), Some(json!(256)));
        assert_eq!(resolve("0x1F"), Some(json!(31)));
        assert_eq!(resolve("0b101"), Some(json!(5)));
        assert_eq!(resolve("-0o17"), Some(json!(-15)));
        assert_eq!(resolve("yes"), Some(json!(true)));
        assert_eq!(resolve("Off"), Some(json!(false)));
        for text in [
            "0",
            "644",
            "0.5",
            "09",
            "abc",
            "1:30",
            "2026-01-01",
            "0x",
            "~",
            "True",
        ] {
            assert_eq!(resolve(text), None, "{text}");
        }
    }

    #[test]
    fn only_plain_scalars_are_reread() {
        let text = "a: 0644\nb: \"0644\"\nc: [on, 'on']\n";
        let doc = crate::yaml::spans::index(text).remove(0);
        let mut value: Value = serde_yaml::from_str(text).unwrap();
        reread(&mut value, &FieldPath::default(), &doc);
        assert_eq!(value, json!({"a": 420, "b": "0644", "c": [true, "on"]}));
    }
}
