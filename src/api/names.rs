//! Kubernetes name formats (apimachinery `util/validation`): each validator returns why a value
//! is invalid, in words, or `Ok`.

pub type Verdict = Result<(), String>;

fn is_alnum_lower(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// DNS-1123 label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
pub fn dns_label(s: &str) -> Verdict {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.len() > 63 {
        return Err(format!(
            "must be at most 63 characters (it has {})",
            s.len()
        ));
    }
    label_chars(s)
}

/// DNS-1123 subdomain: dot-separated DNS labels, at most 253 characters.
pub fn dns_subdomain(s: &str) -> Verdict {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.len() > 253 {
        return Err(format!(
            "must be at most 253 characters (it has {})",
            s.len()
        ));
    }
    // The API server matches the whole name against one regex: the parts between dots follow
    // the label rule for characters and ends, but only the whole name has a length limit.
    for part in s.split('.') {
        if part.is_empty() {
            return Err("must not have empty parts between dots".into());
        }
        label_chars(part)?;
    }
    Ok(())
}

/// Only `[-a-z0-9]`: the characters of DNS labels and port names.
fn lower_chars(s: &str) -> Verdict {
    match s.chars().find(|c| !is_alnum_lower(*c) && *c != '-') {
        Some(c) if c.is_ascii_uppercase() => Err("must be lower case".into()),
        Some(c) => Err(format!(
            "must contain only lower-case letters, digits and `-` (found `{c}`)"
        )),
        None => Ok(()),
    }
}

/// The characters and ends of a DNS label, whatever its length.
fn label_chars(s: &str) -> Verdict {
    lower_chars(s)?;
    if s.starts_with('-') || s.ends_with('-') {
        return Err("must start and end with a letter or digit".into());
    }
    Ok(())
}

fn name_part(s: &str) -> Verdict {
    if s.is_empty() {
        return Err("the name part must not be empty".into());
    }
    if s.len() > 63 {
        return Err(format!(
            "the name part must be at most 63 characters (it has {})",
            s.len()
        ));
    }
    let ok_inner = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if let Some(c) = s.chars().find(|c| !ok_inner(*c)) {
        return Err(format!(
            "must contain only letters, digits, `-`, `_` and `.` (found `{c}`)"
        ));
    }
    let first = s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    let last = s.chars().last().is_some_and(|c| c.is_ascii_alphanumeric());
    if !first || !last {
        return Err("must start and end with a letter or digit".into());
    }
    Ok(())
}

/// A qualified name `[prefix/]name` (label keys, annotation keys, node label keys).
pub fn qualified_name(s: &str) -> Verdict {
    match s.split_once('/') {
        None => name_part(s),
        Some((prefix, name)) => {
            if name.contains('/') {
                return Err("must contain at most one `/`".into());
            }
            if prefix.is_empty() {
                return Err("the prefix before `/` must not be empty".into());
            }
            dns_subdomain(prefix).map_err(|e| format!("the prefix `{prefix}` {e}"))?;
            name_part(name)
        }
    }
}

/// A label value: empty, or a name part of at most 63 characters.
pub fn label_value(s: &str) -> Verdict {
    if s.is_empty() {
        return Ok(());
    }
    name_part(s).map_err(|e| e.replace("the name part ", ""))
}

/// An annotation key: a qualified name after lower-casing.
pub fn annotation_key(s: &str) -> Verdict {
    qualified_name(&s.to_ascii_lowercase())
}

/// A search domain with `RelaxedDNSSearchValidation` (beta, on in v1.33): `.` alone, or a
/// subdomain (one trailing `.` allowed) whose labels may hold `_` and start with one
/// (`IsDNS1123SubdomainWithUnderscore`).
pub fn relaxed_search_domain(search: &str) -> Verdict {
    if search == "." {
        return Ok(());
    }
    let name = search.strip_suffix('.').unwrap_or(search);
    if name.len() > 253 {
        return Err("must be no more than 253 characters".into());
    }
    let label_ok = |label: &str| {
        let body = label.strip_prefix('_').unwrap_or(label);
        let bytes = body.as_bytes();
        let edge = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        !bytes.is_empty()
            && bytes.first().is_some_and(edge)
            && bytes.last().is_some_and(edge)
            && bytes.iter().all(|b| edge(b) || *b == b'-' || *b == b'_')
    };
    if name.split('.').all(label_ok) {
        Ok(())
    } else {
        Err("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character".into())
    }
}

/// An environment variable name as the v1.33 API server takes it (`IsRelaxedEnvVarName`, gate
/// `RelaxedEnvironmentVariableValidation` on by default): non-empty printable ASCII, no `=`.
pub fn relaxed_env_name(s: &str) -> Verdict {
    if s.is_empty() {
        return Err("environment variable name must be non-empty".into());
    }
    if s.chars().any(|c| !(' '..='~').contains(&c) || c == '=') {
        return Err("a valid environment variable name must consist only of printable ASCII characters other than '='".into());
    }
    Ok(())
}

/// An environment variable name in the strict (portable) form: `[-._a-zA-Z][-._a-zA-Z0-9]*`,
/// not `.` or `..` nor starting with `..`.
pub fn env_name(s: &str) -> Verdict {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    if let Some(c) = s.chars().find(|c| !ok(*c)) {
        return Err(format!(
            "must contain only letters, digits, `_`, `-` and `.` (found `{c}`)"
        ));
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        return Err("must not start with a digit".into());
    }
    if s == "." || s.starts_with("..") {
        return Err("must not be `.` or start with `..`".into());
    }
    Ok(())
}

/// A config map or secret key: `[-._a-zA-Z0-9]+`, at most 253, not `.`/`..`/`..x`.
pub fn config_key(s: &str) -> Verdict {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.len() > 253 {
        return Err("must be at most 253 characters".into());
    }
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    if let Some(c) = s.chars().find(|c| !ok(*c)) {
        return Err(format!(
            "must contain only letters, digits, `_`, `-` and `.` (found `{c}`)"
        ));
    }
    if s == "." || s.starts_with("..") {
        return Err("must not be `.` or start with `..`".into());
    }
    Ok(())
}

/// A port name (IANA_SVC_NAME): at most 15 of `[-a-z0-9]`, a letter, no `--`, no edge `-`.
pub fn port_name(s: &str) -> Verdict {
    if s.is_empty() {
        return Err("must not be empty".into());
    }
    if s.len() > 15 {
        return Err(format!(
            "must be at most 15 characters (it has {})",
            s.len()
        ));
    }
    lower_chars(s)?;
    if !s.chars().any(|c| c.is_ascii_lowercase()) {
        return Err("must contain at least one letter".into());
    }
    if s.contains("--") {
        return Err("must not contain `--`".into());
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Err("must not start or end with `-`".into());
    }
    Ok(())
}

/// An IP address as the v1.33 API server reads it (`IsValidIP` with `StrictIPCIDRValidation`
/// off, i.e. `netutils.ParseIPSloppy`): IPv6, or a dotted quad of decimal parts where leading
/// zeros are allowed (`010.0.0.1` is 10.0.0.1).
pub fn relaxed_ip(ip: &str) -> Verdict {
    let ok = if ip.contains(':') {
        ipv6_sloppy(ip)
    } else {
        ipv4_sloppy(ip)
    };
    if ok {
        Ok(())
    } else {
        Err("not an IPv4 or IPv6 address".into())
    }
}

/// An IP address in the form every reader takes the same way: no leading zeros in IPv4 parts
/// (which C's `inet_aton` reads as octal).
pub fn portable_ip(ip: &str) -> Verdict {
    if ip.parse::<std::net::IpAddr>().is_ok() {
        Ok(())
    } else {
        Err("a leading zero makes some readers take the part as octal".into())
    }
}

fn ipv4_sloppy(ip: &str) -> bool {
    let parts: Vec<&str> = ip.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u64>().is_ok_and(|n| n <= 255)
        })
}

fn ipv6_sloppy(ip: &str) -> bool {
    if ip.parse::<std::net::Ipv6Addr>().is_ok() {
        return true;
    }
    // An embedded IPv4 tail with leading zeros (`::ffff:010.0.0.1`): normalise it and retry.
    match ip.rsplit_once(':') {
        Some((head, tail)) if tail.contains('.') && ipv4_sloppy(tail) => {
            let parts: Vec<String> = tail
                .split('.')
                .map(|p| {
                    p.parse::<u32>()
                        .map_or_else(|_| "0".into(), |n| n.to_string())
                })
                .collect();
            format!("{head}:{}", parts.join("."))
                .parse::<std::net::Ipv6Addr>()
                .is_ok()
        }
        _ => false,
    }
}

/// How to fix a DNS name that broke its rule (`why`, as the validators above say it): shorten
/// it, or a close name in the allowed letters. Neutral wording, true for specs and manifests.
pub fn name_fix(value: &str, why: &str) -> String {
    if value.is_empty() {
        return "give a name of lower-case letters, digits and `-`".into();
    }
    if let Some(limit) = why.strip_prefix("must be at most ") {
        let limit = limit.split(" (").next().unwrap_or(limit);
        return format!("shorten the name to at most {limit}");
    }
    match suggest_dns_label(value) {
        Some(fix) if fix != value => {
            format!("use lower-case letters, digits and `-`, such as `{fix}`")
        }
        _ => "use lower-case letters, digits and `-`, starting and ending with a letter or digit"
            .into(),
    }
}

/// A DNS-1123 label close to `value`, for a help line.
pub fn suggest_dns_label(value: &str) -> Option<String> {
    let mut s: String = value
        .chars()
        .map(|c| match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            'a'..='z' | '0'..='9' => c,
            _ => '-',
        })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    let s = s.trim_matches('-');
    let s = &s[..s.len().min(63)];
    let s = s.trim_end_matches('-');
    (!s.is_empty()).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_fixes() {
        assert_eq!(
            name_fix("Agent_One", "must be lower case"),
            "use lower-case letters, digits and `-`, such as `agent-one`"
        );
        assert_eq!(
            name_fix(&"a".repeat(64), "must be at most 63 characters (it has 64)"),
            "shorten the name to at most 63 characters"
        );
        assert!(name_fix("", "must not be empty").starts_with("give a name"));
    }

    #[test]
    fn dns_labels() {
        assert!(dns_label("fluent-bit").is_ok());
        assert!(dns_label(&"a".repeat(63)).is_ok());
        assert!(dns_label(&"a".repeat(64)).is_err());
        assert!(dns_label("Fluent").is_err());
        assert!(dns_label("-a").is_err());
        assert!(dns_label("a_b").is_err());
    }

    #[test]
    fn dns_subdomains() {
        assert!(dns_subdomain(&"a".repeat(253)).is_ok());
        assert!(dns_subdomain(&"a".repeat(254)).is_err());
        assert!(dns_subdomain(&format!("{}.b", "a".repeat(100))).is_ok());
        assert!(dns_subdomain(&format!("{}_", "a".repeat(70))).is_err());
        assert!(dns_subdomain(&format!("{}-", "a".repeat(70))).is_err());
        assert!(dns_subdomain("a..b").is_err());
    }

    #[test]
    fn qualified_names() {
        assert!(qualified_name("app.kubernetes.io/name").is_ok());
        assert!(qualified_name("app").is_ok());
        assert!(qualified_name("a/b/c").is_err());
        assert!(qualified_name("/b").is_err());
        assert!(qualified_name("Example.com/b").is_err());
        assert!(annotation_key("Example.com/b").is_ok());
        assert!(qualified_name(&format!("x/{}", "a".repeat(64))).is_err());
    }

    #[test]
    fn label_values() {
        assert!(label_value("").is_ok());
        assert!(label_value("1.12.1").is_ok());
        assert!(label_value("a b").is_err());
        assert!(label_value("-a").is_err());
    }

    #[test]
    fn port_names() {
        assert!(port_name("http-metrics").is_ok());
        assert!(port_name("http-metrics-abc").is_err());
        assert!(port_name("8080").is_err());
        assert!(port_name("a--b").is_err());
        assert!(port_name("HTTP").is_err());
    }

    #[test]
    fn env_names() {
        assert!(env_name("LOG_LEVEL").is_ok());
        assert!(env_name("1X").is_err());
        assert!(env_name("A=B").is_err());
        assert!(env_name("..x").is_err());
    }

    #[test]
    fn ip_addresses() {
        for ip in [
            "10.0.0.1",
            "010.0.0.1",
            "10.000.0.1",
            "fd00::10",
            "::ffff:010.0.0.1",
        ] {
            assert!(relaxed_ip(ip).is_ok(), "{ip}");
        }
        for ip in [
            "10.0.0",
            "10.0.0.256",
            "registry.local",
            "",
            "1.2.3.4.5",
            "fd00::g",
        ] {
            assert!(relaxed_ip(ip).is_err(), "{ip}");
        }
        assert!(portable_ip("10.0.0.1").is_ok());
        assert!(portable_ip("fd00::10").is_ok());
        assert!(portable_ip("010.0.0.1").is_err());
        assert!(portable_ip("::ffff:010.0.0.1").is_err());
    }
}
