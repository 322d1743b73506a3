//! Durations in whole seconds: `30s`, `5m`, `1h30m`, `0`. Used by `grace`, `min-ready` and
//! `tolerate ... for`. Each part is digits and a unit (`s`, `m`, `h`); a bare `0` is allowed.

use super::Cx;
use crate::diagnostics::Diagnostic;
use crate::syntax::{Arg, ArgKind};

/// Parses a duration into seconds, or says why it is not one.
pub fn parse_seconds(text: &str) -> Result<i64, String> {
    if text == "0" {
        return Ok(0);
    }
    if text.is_empty() {
        return Err("is empty".into());
    }
    if text.starts_with('-') {
        return Err("must not be negative".into());
    }
    let mut total: i64 = 0;
    let mut digits = String::new();
    let mut last_unit = i64::MAX;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' if chars.peek() == Some(&'s') => {
                return Err("is below one second: use whole seconds, such as `1s`".into())
            }
            'm' => 60,
            's' => 1,
            '.' => return Err("must be whole units: write `1m30s` for 90 seconds".into()),
            _ => return Err(format!("has an unknown unit `{c}`: use `s`, `m` or `h`")),
        };
        if digits.is_empty() {
            return Err(format!("needs a number before `{c}`"));
        }
        if unit >= last_unit {
            return Err(
                "lists its units out of order: write hours, then minutes, then seconds".into(),
            );
        }
        last_unit = unit;
        let n: i64 = digits.parse().map_err(|_| "is too large".to_string())?;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| "is too large".to_string())?;
        digits.clear();
    }
    if !digits.is_empty() {
        return Err(format!(
            "needs a unit: write `{digits}s` for seconds, or `{digits}m` for minutes"
        ));
    }
    Ok(total)
}

impl Cx {
    /// A duration argument in seconds, at most `max`; `DS0704` when it is not one.
    pub fn duration(&mut self, arg: &Arg, what: &str, max: i64) -> Option<i64> {
        let text = match &arg.kind {
            ArgKind::Word(t) | ArgKind::Number(t) => t.clone(),
            ArgKind::Str { value, .. } => value.clone(),
            _ => String::new(),
        };
        let result = parse_seconds(&text).and_then(|s| {
            if s > max {
                Err(format!("is more than the maximum of {max} seconds"))
            } else {
                Ok(s)
            }
        });
        match result {
            Ok(s) => Some(s),
            Err(why) => {
                self.push(
                    Diagnostic::error("DS0704", format!("invalid {what} `{text}`"))
                        .at(arg.span, format!("this duration {why}"))
                        .help("write a duration in whole seconds, minutes or hours, such as `30s`, `5m` or `1h30m`"),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_seconds;

    #[test]
    fn durations() {
        assert_eq!(parse_seconds("0"), Ok(0));
        assert_eq!(parse_seconds("0s"), Ok(0));
        assert_eq!(parse_seconds("30s"), Ok(30));
        assert_eq!(parse_seconds("5m"), Ok(300));
        assert_eq!(parse_seconds("1h30m"), Ok(5400));
        assert_eq!(parse_seconds("1m30s"), Ok(90));
        assert!(parse_seconds("30").is_err());
        assert!(parse_seconds("500ms").is_err());
        assert!(parse_seconds("1.5s").is_err());
        assert!(parse_seconds("30s1m").is_err());
        assert!(parse_seconds("-1s").is_err());
        assert!(parse_seconds("3d").is_err());
        assert!(parse_seconds("99999999999999999999s").is_err());
    }
}
