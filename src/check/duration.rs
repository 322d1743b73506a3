//! Durations in the language (`10s`, `2m`, `1h30m`, `500ms`) → milliseconds, and the whole
//! seconds that probes, hooks and tokens take, with `DS0601` when a value is not one.

use super::cx::Cx;
use crate::diagnostics::Diagnostic;
use crate::syntax::Arg;

/// Why a text is not a duration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DurationError {
    /// A number without a unit, other than `0`: `10`.
    NoUnit,
    /// Not a sequence of numbers with units.
    Invalid(String),
}

const UNITS: &[(&str, u128)] = &[("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)];

/// Parses `<number><unit>...` with units `ms`, `s`, `m`, `h` (`1h30m`, `1.5m`) into
/// milliseconds. A bare `0` is zero; any other number needs a unit.
pub fn parse_millis(text: &str) -> Result<u64, DurationError> {
    if text == "0" {
        return Ok(0);
    }
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(DurationError::NoUnit);
    }
    let invalid = |why: &str| Err(DurationError::Invalid(why.to_string()));
    let mut rest = text;
    let mut total: u128 = 0;
    if rest.is_empty() {
        return invalid("is empty");
    }
    if rest.starts_with('-') {
        return invalid("must not be negative");
    }
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_len);
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        let Some((_, scale)) = UNITS.iter().find(|(u, _)| *u == unit) else {
            return if unit.is_empty() {
                invalid("ends without a unit")
            } else {
                invalid(&format!("`{unit}` is not a unit of time"))
            };
        };
        let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if int_part.is_empty() || !all_digits(int_part) || !all_digits(frac_part) {
            return invalid("must start with a number");
        }
        if int_part.len() + frac_part.len() > 18 {
            return invalid("is too long");
        }
        let digits: u128 = format!("{int_part}{frac_part}").parse().unwrap_or(0);
        let denominator = 10u128.pow(frac_part.len() as u32);
        let scaled = digits * scale;
        if scaled % denominator != 0 {
            return invalid("is not a whole number of milliseconds");
        }
        total += scaled / denominator;
        rest = next;
    }
    u64::try_from(total)
        .ok()
        .filter(|t| *t <= i64::MAX as u64)
        .map_or_else(|| invalid("is too long"), Ok)
}

impl Cx {
    /// A duration in whole seconds (probe timings, sleep hooks, token expiry); `DS0601` when
    /// the value is not a duration or not a whole number of seconds.
    pub fn seconds(&mut self, arg: &Arg, what: &str) -> Option<i64> {
        let text = self.scalar(arg, what)?;
        let error = |message: String| Diagnostic::error("DS0601", message);
        match parse_millis(&text) {
            Ok(ms) if ms % 1000 == 0 => Some((ms / 1000) as i64),
            Ok(ms) => {
                let up = ms.div_ceil(1000);
                self.push(
                    error(format!("{what} `{text}` is not a whole number of seconds"))
                        .at(arg.span, "Kubernetes counts this in whole seconds")
                        .help(format!("write `{up}s`"))
                        .fix(arg.span, format!("{up}s")),
                );
                None
            }
            Err(DurationError::NoUnit) => {
                self.push(
                    error(format!("{what} `{text}` has no unit"))
                        .at(arg.span, "seconds, minutes or hours?")
                        .help(format!("write the unit: `{text}s`")),
                );
                None
            }
            Err(DurationError::Invalid(why)) => {
                let days = text.strip_suffix('d').and_then(|n| n.parse::<u64>().ok());
                let help = match days {
                    Some(n) => format!("the largest unit is `h`: write `{}h`", n * 24),
                    None => "write a number and a unit: `10s`, `2m`, `1h`, `1m30s`".into(),
                };
                self.push(
                    error(format!("invalid duration `{text}`"))
                        .at(arg.span, why)
                        .help(help),
                );
                None
            }
        }
    }
}

impl Cx {
    /// A duration in whole seconds of at most `max` (grace period, min-ready, toleration time).
    pub fn duration(&mut self, arg: &Arg, what: &str, max: i64) -> Option<i64> {
        let seconds = self.seconds(arg, what)?;
        if seconds > max {
            self.push(
                Diagnostic::error("DS0601", format!("{what} is too long"))
                    .at(arg.span, format!("more than the maximum of {max} seconds"))
                    .help(format!("give at most `{max}s`")),
            );
            return None;
        }
        Some(seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> u64 {
        parse_millis(text).unwrap()
    }

    #[test]
    fn single_units() {
        assert_eq!(ok("0"), 0);
        assert_eq!(ok("0s"), 0);
        assert_eq!(ok("500ms"), 500);
        assert_eq!(ok("10s"), 10_000);
        assert_eq!(ok("2m"), 120_000);
        assert_eq!(ok("1h"), 3_600_000);
    }

    #[test]
    fn compound_and_fractional() {
        assert_eq!(ok("1h30m"), 5_400_000);
        assert_eq!(ok("1m30s"), 90_000);
        assert_eq!(ok("1.5m"), 90_000);
        assert_eq!(ok("0.5s"), 500);
        assert_eq!(ok("2s500ms"), 2_500);
    }

    #[test]
    fn numbers_need_a_unit() {
        assert_eq!(parse_millis("10"), Err(DurationError::NoUnit));
        assert_eq!(parse_millis("1.5"), Err(DurationError::NoUnit));
    }

    #[test]
    fn rejects_what_is_not_a_duration() {
        for bad in [
            "", "s", "10x", "10sec", "1d", "1m30", ".5s", "1..5s", "-1s", "1.5ms",
        ] {
            assert!(
                matches!(parse_millis(bad), Err(DurationError::Invalid(_))),
                "{bad} should be invalid"
            );
        }
    }

    #[test]
    fn rejects_overflow() {
        assert!(parse_millis("99999999999999999999h").is_err());
        assert!(parse_millis("9999999999999999h").is_err());
    }
}
