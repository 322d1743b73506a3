//! Paths and file modes of volumes and mounts: the absolute form of host and mount paths (the
//! lint `relative-path`), octal file modes, and the volume names derived from inline mounts.

use crate::api::names::Verdict;

fn has_backstep(p: &str) -> bool {
    p.split('/').any(|part| part == "..")
}

/// A host path or a mount path in the form every runtime reads the same way: absolute,
/// without a `..` element. The API server asks less (see [`relaxed_host_path`]); what it takes
/// outside this form is the lint `relative-path`.
pub fn absolute_path(p: &str) -> Verdict {
    if p.is_empty() {
        return Err("must not be empty".into());
    }
    if !p.starts_with('/') {
        return Err("must be an absolute path, starting with `/`".into());
    }
    if has_backstep(p) {
        return Err("must not contain a `..` element".into());
    }
    Ok(())
}

/// A host path as the v1.33 API server takes it (`validateHostPathVolumeSource`): set, and
/// without a `..` element (rule 105). A mount path needs only to be set (`ValidateVolumeMounts`).
pub fn relaxed_host_path(p: &str) -> Verdict {
    if p.is_empty() {
        return Err("must not be empty".into());
    }
    if has_backstep(p) {
        return Err("must not contain a `..` element".into());
    }
    Ok(())
}

/// Mount paths compare without a trailing `/`: `/etc/app/` and `/etc/app` are one place for
/// the runtime, though the API server takes them as two (the lint `same-mount-path`).
pub fn same_place(a: &str, b: &str) -> bool {
    let trim = |p: &str| -> String {
        let t = p.trim_end_matches('/');
        if t.is_empty() { "/" } else { t }.to_string()
    };
    trim(a) == trim(b)
}

/// Why a file mode is not valid, and the fix.
#[derive(Debug, PartialEq, Eq)]
pub struct ModeError {
    pub why: String,
    pub help: String,
}

/// A file mode written the way people think of it, `0644` (or `0o644`), → the integer
/// Kubernetes stores (420). Its range, at most `0777` (rule 108), is the API server's rule,
/// checked on the object; here only the form, and a value that fits the field.
pub fn file_mode(text: &str) -> Result<i32, ModeError> {
    let err = |why: &str, help: String| {
        Err(ModeError {
            why: why.to_string(),
            help,
        })
    };
    let digits = text.strip_prefix("0o").or_else(|| text.strip_prefix('0'));
    let Some(digits) = digits else {
        if let Ok(n) = text.parse::<u32>() {
            let as_octal = u32::from_str_radix(text, 8).ok().filter(|o| *o <= 0o777);
            let help = match (as_octal, n <= 0o777) {
                (Some(_), true) => format!(
                    "write `0{text}`, or `0{n:o}` if {text} is the decimal form Kubernetes stores"
                ),
                (Some(_), false) => format!("write `0{text}`"),
                (None, true) => format!("write `0{n:o}`, the octal form of {text}"),
                (None, false) => "write an octal mode with a leading zero, such as `0644`".into(),
            };
            return err("a file mode is octal and starts with `0`", help);
        }
        return err(
            "not a file mode",
            "write an octal mode with a leading zero, such as `0644` or `0400`".into(),
        );
    };
    let digits = if digits.is_empty() { "0" } else { digits };
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return err(
            "not a file mode",
            "write an octal mode with a leading zero, such as `0644` or `0400`".into(),
        );
    }
    if digits.chars().any(|c| c == '8' || c == '9') {
        return err(
            "octal digits are 0 to 7",
            "write an octal mode such as `0644` or `0755`".into(),
        );
    }
    match i64::from_str_radix(digits, 8).map(i32::try_from) {
        Ok(Ok(n)) => Ok(n),
        _ => err(
            "too large for a file mode",
            "file modes hold read, write and execute bits for owner, group and others, such as `0644`".into(),
        ),
    }
}

/// A DNS label derived from a path or an object name: `/var/log` → `var-log`. Empty when
/// nothing is left (the path `/`).
pub fn derived_name(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    out.truncate(63);
    out.trim_end_matches('-').to_string()
}

/// `base`, or the first of `base-2`, `base-3`, ... that `taken` does not hold; at most 63
/// characters.
pub fn unique_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| {
            let suffix = format!("-{n}");
            let stem = &base[..base.len().min(63 - suffix.len())];
            format!("{}{suffix}", stem.trim_end_matches('-'))
        })
        .find(|name| !taken(name))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths() {
        assert!(absolute_path("/var/log").is_ok());
        assert!(absolute_path("/fluent-bit/etc/").is_ok());
        assert!(absolute_path("var/log").is_err());
        assert!(absolute_path("/var/../etc").is_err());
        assert!(absolute_path("/var/..log").is_ok());
        assert!(relaxed_host_path("var/log").is_ok());
        assert!(relaxed_host_path("/var/../etc").is_err());
        assert!(relaxed_host_path("").is_err());
    }

    #[test]
    fn modes_are_octal() {
        assert_eq!(file_mode("0644"), Ok(420));
        assert_eq!(file_mode("0o400"), Ok(256));
        assert_eq!(file_mode("0755"), Ok(493));
        assert_eq!(file_mode("0"), Ok(0));
        assert_eq!(file_mode("0777"), Ok(511));
        assert_eq!(file_mode("01777"), Ok(0o1777));
        assert!(file_mode("077777777777777").is_err());
        assert!(file_mode("0698").is_err());
        let e = file_mode("420").unwrap_err();
        assert!(e.help.contains("`0644`"), "{}", e.help);
        assert_eq!(file_mode("644").unwrap_err().help, "write `0644`");
        assert!(file_mode("rw").is_err());
    }

    #[test]
    fn derived_names() {
        assert_eq!(derived_name("/var/log"), "var-log");
        assert_eq!(
            derived_name("/var/lib/docker/containers/"),
            "var-lib-docker-containers"
        );
        assert_eq!(
            derived_name("/run/containerd/containerd.sock"),
            "run-containerd-containerd-sock"
        );
        assert_eq!(derived_name("/"), "");
        assert_eq!(derived_name("fluent-bit.config"), "fluent-bit-config");
        assert_eq!(derived_name(&format!("/{}", "a".repeat(80))).len(), 63);
    }

    #[test]
    fn unique_names() {
        let taken = ["var-log", "var-log-2"];
        assert_eq!(unique_name("var-log", |n| taken.contains(&n)), "var-log-3");
        assert_eq!(unique_name("etc", |n| taken.contains(&n)), "etc");
        let long = "a".repeat(63);
        let name = unique_name(&long, |n| n == long);
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("-2"));
    }
}
