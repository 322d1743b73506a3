//! Kubernetes quantities (`250m`, `1Gi`, `1e3`) as the checker and the object rules see them:
//! the text as written, an exact value for comparisons, and in words why a text is not a
//! quantity. The parser and the canonical form (`exact`) are apimachinery's `resource.Quantity`.

pub mod exact;

use std::cmp::Ordering;
use std::fmt;

/// A parsed quantity: the text as written and its exact value in billionths (nano units).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantity {
    pub text: String,
    nanos: i128,
}

impl Quantity {
    /// Reads a quantity through the one parser of the crate ([`exact`]), and says in
    /// words why a text is not one.
    pub fn parse(text: &str) -> Result<Quantity, String> {
        let Some(exact) = exact::parse(text) else {
            return Err(explain(text));
        };
        // The API server keeps nano precision; beyond i128 billionths no resource makes sense.
        let nanos = exact.nanos().ok_or_else(|| "is too large".to_string())?;
        Ok(Quantity {
            text: text.to_string(),
            nanos,
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

/// Why `text` is not a quantity: no number, or a suffix that is not a unit.
fn explain(text: &str) -> String {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let number_len = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (number, suffix) = body.split_at(number_len);
    if number.is_empty() || number == "." || number.matches('.').count() > 1 {
        return "must start with a number, such as `250m` or `1Gi`".into();
    }
    bad_suffix(suffix)
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
