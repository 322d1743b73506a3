//! Kubernetes resource quantities: parse `500m`, `0.5`, `1Gi`, `1e3` and print the canonical form.
//!
//! A port of the rules in apimachinery's `resource.Quantity` (`ParseQuantity` and
//! `CanonicalizeBytes`), on exact integers instead of `inf.Dec`:
//!
//! * the suffix family of the input decides the output family: binary (`Ki` … `Ei`), decimal SI
//!   (`n u m "" k M G T P E`) or decimal exponent (`e3`, `E-3`);
//! * values are rounded up (away from zero) to nano, or to milli for resource lists
//!   (`SetDefaults_ResourceList`);
//! * binary values print with the largest exact binary suffix (`1024Mi` → `1Gi`, `0.5Gi` →
//!   `512Mi`), and fall back to decimal SI when below 1024 or not whole (`0.5Ki` → `512`);
//! * decimal values print as the shortest mantissa whose exponent is a multiple of three
//!   (`1000m` → `1`, `0.5` → `500m`, `1000M` → `1G`).
//!
//! Input the server would reject (or values too large for 128-bit arithmetic) gives `None`, and
//! the caller keeps the original text.

/// How far the server rounds a quantity up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Every parsed quantity (`ParseQuantity` keeps nano precision).
    Nano,
    /// Quantities in resource lists (`limits`, `requests`, `overhead`).
    Milli,
}

impl Rounding {
    fn min_exponent(self) -> i32 {
        match self {
            Rounding::Nano => -9,
            Rounding::Milli => -3,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    BinarySi,
    DecimalSi,
    DecimalExponent,
}

/// An exact quantity: `(-1)^negative × mantissa × 10^exponent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exact {
    negative: bool,
    mantissa: u128,
    exponent: i32,
    format: Format,
}

/// The canonical text of a quantity, or `None` when `text` is not one.
pub fn canonical_quantity(text: &str, rounding: Rounding) -> Option<String> {
    let mut q = parse(text.trim())?;
    q.normalize();
    q.round_up(rounding.min_exponent())?;
    q.normalize();
    q.render()
}

/// The exact value of a quantity, or `None` when the text is not one. The one parser of
/// quantities: the checker's messages and the diff's canonical form both read through it.
pub fn parse(text: &str) -> Option<Exact> {
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let digits_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(digits_end);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') {
        return None;
    }
    let mut mantissa: u128 = 0;
    for c in whole.bytes().chain(fraction.bytes()) {
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(u128::from(c - b'0'))?;
    }
    let mut exponent = -i32::try_from(fraction.len()).ok()?;
    let format = match suffix {
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
            let power = "KMGTPE".find(&suffix[..1])? as u32 + 1;
            mantissa = mantissa.checked_mul(1u128.checked_shl(10 * power)?)?;
            Format::BinarySi
        }
        "" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => {
            exponent += decimal_suffix_exponent(suffix)?;
            Format::DecimalSi
        }
        _ => {
            let power = suffix.strip_prefix(['e', 'E'])?;
            let digits = power.strip_prefix(['+', '-']).unwrap_or(power);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            exponent = exponent.checked_add(power.parse::<i32>().ok()?)?;
            Format::DecimalExponent
        }
    };
    Some(Exact {
        negative,
        mantissa,
        exponent,
        format,
    })
}

fn decimal_suffix_exponent(suffix: &str) -> Option<i32> {
    Some(match suffix {
        "n" => -9,
        "u" => -6,
        "m" => -3,
        "" => 0,
        "k" => 3,
        "M" => 6,
        "G" => 9,
        "T" => 12,
        "P" => 15,
        "E" => 18,
        _ => return None,
    })
}

fn decimal_suffix(exponent: i32) -> Option<&'static str> {
    Some(match exponent {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        0 => "",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        18 => "E",
        _ => return None,
    })
}

impl Exact {
    /// The value in billionths, rounded up (away from zero) below a billionth; `None` when it
    /// does not fit in an `i128`.
    pub(crate) fn nanos(&self) -> Option<i128> {
        let mut q = *self;
        q.round_up(-9)?;
        let shift = u32::try_from(q.exponent + 9).ok()?;
        let magnitude = i128::try_from(q.mantissa.checked_mul(10u128.checked_pow(shift)?)?).ok()?;
        Some(if q.negative { -magnitude } else { magnitude })
    }

    /// Moves factors of ten from the mantissa into the exponent.
    fn normalize(&mut self) {
        if self.mantissa == 0 {
            self.exponent = 0;
            self.negative = false;
            return;
        }
        while self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.exponent += 1;
        }
    }

    /// Rounds away from zero so that the exponent is at least `min`.
    fn round_up(&mut self, min: i32) -> Option<()> {
        if self.exponent >= min {
            return Some(());
        }
        let shift = u32::try_from(min - self.exponent).ok()?;
        let divisor = 10u128.checked_pow(shift);
        self.mantissa = match divisor {
            Some(d) => self.mantissa.div_ceil(d),
            // Far below the precision: the smallest representable amount.
            None => 1,
        };
        self.exponent = min;
        Some(())
    }

    /// The whole value as an integer, if it is one and fits.
    fn as_integer(&self) -> Option<u128> {
        let power = u32::try_from(self.exponent).ok()?;
        self.mantissa.checked_mul(10u128.checked_pow(power)?)
    }

    fn render(&self) -> Option<String> {
        if self.mantissa == 0 {
            return Some("0".to_string());
        }
        let sign = if self.negative { "-" } else { "" };
        if self.format == Format::BinarySi {
            if let Some(mut value) = self.as_integer().filter(|v| *v >= 1024) {
                let mut power = 0;
                while value % 1024 == 0 && power < 6 {
                    value /= 1024;
                    power += 1;
                }
                let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power];
                return Some(format!("{sign}{value}{suffix}"));
            }
        }
        let mut mantissa = self.mantissa;
        let mut exponent = self.exponent;
        while exponent.rem_euclid(3) != 0 {
            mantissa = mantissa.checked_mul(10)?;
            exponent -= 1;
        }
        let suffix = match (self.format, decimal_suffix(exponent)) {
            (Format::DecimalExponent, _) if exponent == 0 => String::new(),
            (Format::DecimalExponent, _) | (_, None) => format!("e{exponent}"),
            (_, Some(suffix)) => suffix.to_string(),
        };
        Some(format!("{sign}{mantissa}{suffix}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(text: &str) -> String {
        canonical_quantity(text, Rounding::Nano).unwrap_or_else(|| format!("<invalid {text}>"))
    }

    fn canon_milli(text: &str) -> String {
        canonical_quantity(text, Rounding::Milli).unwrap_or_else(|| format!("<invalid {text}>"))
    }

    #[test]
    fn research_examples_s16() {
        assert_eq!(canon("1000m"), "1");
        assert_eq!(canon("0.5"), "500m");
        assert_eq!(canon("1024Mi"), "1Gi");
        assert_eq!(canon("1000M"), "1G");
    }

    #[test]
    fn decimal_si() {
        for (input, want) in [
            ("0", "0"),
            ("0n", "0"),
            ("-0", "0"),
            ("1", "1"),
            ("100m", "100m"),
            ("0.1", "100m"),
            (".001", "1m"),
            ("5.", "5"),
            ("1.1", "1100m"),
            ("1024", "1024"),
            ("12345000", "12345k"),
            ("1.5M", "1500k"),
            ("5000M", "5G"),
            ("250m", "250m"),
            ("+7", "7"),
            ("007", "7"),
            ("-100m", "-100m"),
            ("1500u", "1500u"),
            ("2.0", "2"),
        ] {
            assert_eq!(canon(input), want, "{input}");
        }
    }

    #[test]
    fn binary_si() {
        for (input, want) in [
            ("1Ki", "1Ki"),
            ("1024Ki", "1Mi"),
            ("0.5Gi", "512Mi"),
            ("1.5Gi", "1536Mi"),
            ("0.5Ki", "512"),
            ("0.5Mi", "512Ki"),
            ("1.5Ki", "1536"),
            ("1000Mi", "1000Mi"),
            ("0Ki", "0"),
            ("1048576Ki", "1Gi"),
            ("0.1Ki", "102400m"),
            ("3Ei", "3Ei"),
        ] {
            assert_eq!(canon(input), want, "{input}");
        }
    }

    #[test]
    fn decimal_exponent() {
        for (input, want) in [
            ("1e3", "1e3"),
            ("1E3", "1e3"),
            ("10e3", "10e3"),
            ("1e-3", "1e-3"),
            ("1.5e3", "1500"),
            ("12e2", "1200"),
            ("1e0", "1"),
        ] {
            assert_eq!(canon(input), want, "{input}");
        }
    }

    #[test]
    fn milli_rounding_for_resource_lists() {
        assert_eq!(canon("0.0001"), "100u");
        assert_eq!(canon_milli("0.0001"), "1m");
        assert_eq!(canon_milli("1.0001"), "1001m");
        assert_eq!(canon_milli("-0.0001"), "-1m");
        assert_eq!(canon_milli("100n"), "1m");
        assert_eq!(canon_milli("2Gi"), "2Gi");
        assert_eq!(canon("1n"), "1n");
        assert_eq!(canon("0.1n"), "1n");
    }

    #[test]
    fn rejects_what_the_server_rejects() {
        for input in [
            "", "abc", "1.2.3", "1Kib", "1e", "1e+", "--1", ".", "1 Mi", "m",
        ] {
            assert_eq!(canonical_quantity(input, Rounding::Nano), None, "{input}");
        }
    }

    #[test]
    fn canonical_text_is_a_fixed_point() {
        for input in [
            "1", "500m", "1Gi", "1536Mi", "1e3", "12345k", "512", "100u", "-1m",
        ] {
            let once = canon(input);
            assert_eq!(canon(&once), once, "{input}");
        }
    }

    #[test]
    fn huge_values_do_not_panic() {
        let big = "9".repeat(60);
        assert_eq!(canonical_quantity(&big, Rounding::Nano), None);
        assert_eq!(canon("1e-40"), "1e-9");
        assert_eq!(canon("0.0000000001"), "1n");
        assert_eq!(canon("123456789Ei"), canon("123456789Ei"));
    }
}
