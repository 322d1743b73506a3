//! Kubernetes quantities (`250m`, `1Gi`, `1e3`): the syntax of apimachinery's
//! `resource.ParseQuantity`, and an exact value for comparisons.

use std::cmp::Ordering;
use std::fmt;

/// A parsed quantity: the text as written and its exact value in billionths (nano units).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantity {
    pub text: String,
    nanos: i128,
}

impl Quantity {
    /// Parses `<sign><digits>[.<digits>][suffix]`, suffix one of `m k M G T P E`, `Ki … Ei`,
    /// `n u` or an exponent `e3`/`E-2`. Returns why the text is not a quantity.
    pub fn parse(text: &str) -> Result<Quantity, String> {
        let (negative, body) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let number_len = body
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(body.len());
        let (number, suffix) = body.split_at(number_len);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err("must start with a number, such as `250m` or `1Gi`".into());
        }
        let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
        let (base, exponent): (i128, i32) = match suffix {
            "" => (10, 0),
            "n" => (10, -9),
            "u" => (10, -6),
            "m" => (10, -3),
            "k" => (10, 3),
            "M" => (10, 6),
            "G" => (10, 9),
            "T" => (10, 12),
            "P" => (10, 15),
            "E" => (10, 18),
            "Ki" => (2, 10),
            "Mi" => (2, 20),
            "Gi" => (2, 30),
            "Ti" => (2, 40),
            "Pi" => (2, 50),
            "Ei" => (2, 60),
            s if s.starts_with(['e', 'E']) => {
                let exp = s[1..].parse::<i32>().map_err(|_| bad_suffix(s))?;
                if !(-30..=30).contains(&exp) {
                    return Err("the exponent is out of range".into());
                }
                (10, exp)
            }
            s => return Err(bad_suffix(s)),
        };
        let too_large = || "is too large".to_string();
        // mantissa = int_part.frac_part, scaled to nanos.
        let digits = format!("{int_part}{frac_part}");
        let digits = digits.trim_start_matches('0');
        if digits.len() > 30 {
            return Err(too_large());
        }
        let mantissa: i128 = if digits.is_empty() {
            0
        } else {
            digits.parse().map_err(|_| too_large())?
        };
        let mut scale = 9 - frac_part.len() as i32; // power of ten applied to the mantissa
        let mut value = mantissa;
        if base == 2 {
            value = value.checked_mul(1i128 << exponent).ok_or_else(too_large)?;
        } else {
            scale += exponent;
        }
        let nanos = if scale >= 0 {
            value
                .checked_mul(10i128.checked_pow(scale as u32).ok_or_else(too_large)?)
                .ok_or_else(too_large)?
        } else {
            // Below a nano the value is rounded up, as the API server rounds up to milli units.
            let div = 10i128.checked_pow((-scale) as u32).unwrap_or(i128::MAX);
            (value + div - 1) / div
        };
        Ok(Quantity {
            text: text.to_string(),
            nanos: if negative { -nanos } else { nanos },
        })
    }

    pub fn is_negative(&self) -> bool {
        self.nanos < 0
    }

    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    /// True when the value is a whole number (extended resources must be).
    pub fn is_integer(&self) -> bool {
        self.nanos % 1_000_000_000 == 0
    }

    /// The whole-number value, if it is one and fits.
    pub fn as_integer(&self) -> Option<i64> {
        if self.is_integer() {
            i64::try_from(self.nanos / 1_000_000_000).ok()
        } else {
            None
        }
    }

    /// The value in whole units, rounded up, as the API server's `Quantity.Value()` gives it.
    pub fn ceil_units(&self) -> i128 {
        self.nanos.div_euclid(1_000_000_000) + i128::from(self.nanos.rem_euclid(1_000_000_000) != 0)
    }

    /// The API server's canonical spelling when it is one unit of a suffix (`1m`, `1`, `1k`, ...,
    /// `1Ki`, ...): `1000m` is `1`, `1024Ki` is `1Mi`. Divisors are compared in this form.
    /// Exponent forms (`1e3`) keep their own spelling and get `None`.
    pub fn canonical_unit(&self) -> Option<&'static str> {
        let binary = self.text.ends_with('i');
        if self.text.contains(['e', 'E']) && !binary {
            return None;
        }
        const DECIMAL: &[(i128, &str)] = &[
            (1_000_000, "1m"),
            (1_000_000_000, "1"),
            (1_000_000_000_000, "1k"),
            (1_000_000_000_000_000, "1M"),
            (1_000_000_000_000_000_000, "1G"),
            (1_000_000_000_000_000_000_000, "1T"),
            (1_000_000_000_000_000_000_000_000, "1P"),
            (1_000_000_000_000_000_000_000_000_000, "1E"),
        ];
        const BINARY: &[(u32, &str)] = &[
            (10, "1Ki"),
            (20, "1Mi"),
            (30, "1Gi"),
            (40, "1Ti"),
            (50, "1Pi"),
            (60, "1Ei"),
        ];
        // A binary quantity below 1024 is written in decimal.
        if binary && self.nanos >= 1024 * 1_000_000_000 {
            return BINARY
                .iter()
                .find(|(shift, _)| self.nanos == (1i128 << shift) * 1_000_000_000)
                .map(|(_, unit)| *unit);
        }
        DECIMAL
            .iter()
            .find(|(nanos, _)| self.nanos == *nanos)
            .map(|(_, unit)| *unit)
    }

    /// The value in whole units, as a float (for plausibility checks only).
    pub fn as_f64(&self) -> f64 {
        self.nanos as f64 / 1e9
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.nanos.cmp(&other.nanos))
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn bad_suffix(suffix: &str) -> String {
    let hint = match suffix {
        "mi" | "MB" | "mb" | "Mb" => " (did you mean `Mi`?)",
        "gi" | "GB" | "gb" | "Gb" => " (did you mean `Gi`?)",
        "ki" | "KB" | "kb" | "K" | "Kb" => " (did you mean `Ki`?)",
        _ => "",
    };
    format!(
        "`{suffix}` is not a unit{hint}; use `m` (milli), `k M G T P E` (powers of 1000) or `Ki Mi Gi Ti Pi Ei` (powers of 1024)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap()
    }

    #[test]
    fn values_compare_exactly() {
        assert_eq!(q("500m").partial_cmp(&q("0.5")), Some(Ordering::Equal));
        assert!(q("1Gi") > q("1G"));
        assert_eq!(q("1024Mi").nanos, q("1Gi").nanos);
        assert!(q("128Mi") < q("512Mi"));
        assert_eq!(q("1e3").as_integer(), Some(1000));
    }

    #[test]
    fn integers() {
        assert!(q("2").is_integer());
        assert!(!q("0.5").is_integer());
        assert!(!q("100m").is_integer());
        assert!(q("1k").is_integer());
    }

    #[test]
    fn rounds_up_to_whole_units() {
        assert_eq!(q("2Mi").ceil_units(), 2 * 1024 * 1024);
        assert_eq!(q("1500m").ceil_units(), 2);
        assert_eq!(q("0").ceil_units(), 0);
    }

    #[test]
    fn canonical_units() {
        assert_eq!(q("1000m").canonical_unit(), Some("1"));
        assert_eq!(q("0.001").canonical_unit(), Some("1m"));
        assert_eq!(q("1024Ki").canonical_unit(), Some("1Mi"));
        assert_eq!(q("1000").canonical_unit(), Some("1k"));
        assert_eq!(q("1Ki").canonical_unit(), Some("1Ki"));
        assert_eq!(q("1024").canonical_unit(), None);
        assert_eq!(q("1536Ki").canonical_unit(), None);
        assert_eq!(q("1e3").canonical_unit(), None);
    }

    #[test]
    fn rejects_bad_syntax() {
        for bad in ["", "m", "1.2.3", "1MB", "1 Gi", "abc", "1e99"] {
            assert!(Quantity::parse(bad).is_err(), "{bad}");
        }
        assert!(Quantity::parse("128MB").unwrap_err().contains("Mi"));
    }
}
