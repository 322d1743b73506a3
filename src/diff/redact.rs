//! Secret redaction: env values and arguments that look secret become `<redacted #N>`.
//!
//! Input: canonical objects, old side first. Output: the same objects with secret-looking
//! literals replaced in place, before anything is compared or printed, so neither the summary,
//! the unified diff nor the JSON output can leak them. One [`Redactor`] serves both sides, so the
//! same value gets the same number (`#1 → #1` never shows, since equal values do not differ;
//! `#1 → #2` says "changed"). Hashes are never printed: a short password can be brute-forced
//! from its hash.
//!
//! What counts as secret (see `live-diff.md` 4.4): an env var or `--flag` whose name says so
//! (`PASSWORD`, `TOKEN`, `SECRET`, `KEY`, `AUTH`, …, unless it names a file, path or object
//! name), or a value that looks like a credential whatever its name: a PEM block, a JWT, a
//! cloud or forge token prefix, a URL with a password, or a long high-entropy string.
//! References are shown: `valueFrom.secretKeyRef` and `$(VAR)` are not secrets.
//!
//! A text diff of manifests (`dsc build -o DIR --check`) is redacted by the same rules:
//! [`redact_yaml_texts`] runs the [`Redactor`] on the objects each YAML text holds and writes
//! the markers over the scalars they replace, so the text keeps every other line as written.

use serde::Deserialize;
use serde_json::Value;

use crate::api::FieldPath;
use crate::source::Span;

/// Hands out `<redacted #N>` markers, one number per distinct value.
#[derive(Debug, Default)]
pub struct Redactor {
    seen: Vec<String>,
}

impl Redactor {
    /// A redactor that has seen nothing yet.
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Replaces secret-looking env values and arguments anywhere in `v`.
    pub fn redact(&mut self, v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    match (key.as_str(), child) {
                        ("env", Value::Array(items)) => {
                            items.iter_mut().for_each(|e| self.redact_env(e))
                        }
                        ("args" | "command", Value::Array(items)) => self.redact_args(items),
                        (_, child) => self.redact(child),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.redact(item)),
            _ => {}
        }
    }

    fn marker(&mut self, secret: &str) -> String {
        let n = match self.seen.iter().position(|s| s == secret) {
            Some(i) => i + 1,
            None => {
                self.seen.push(secret.to_string());
                self.seen.len()
            }
        };
        format!("<redacted #{n}>")
    }

    fn redact_env(&mut self, entry: &mut Value) {
        let Some(map) = entry.as_object_mut() else {
            return;
        };
        let name = map
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if let Some(Value::String(value)) = map.get_mut("value") {
            if (secret_name(&name) && !harmless(value)) || secret_value(value) {
                *value = self.marker(value);
            }
        }
    }

    fn redact_args(&mut self, items: &mut [Value]) {
        let mut value_follows = false;
        for item in items.iter_mut() {
            let Value::String(arg) = item else {
                value_follows = false;
                continue;
            };
            if std::mem::take(&mut value_follows) && !arg.starts_with('-') && !harmless(arg) {
                *arg = self.marker(arg);
                continue;
            }
            let flag = arg.trim_start_matches('-');
            if flag.len() < arg.len() && !flag.is_empty() {
                let dashes = &arg[..arg.len() - flag.len()];
                match flag.split_once('=') {
                    Some((name, value))
                        if (secret_name(name) && !harmless(value)) || secret_value(value) =>
                    {
                        let redacted = format!("{dashes}{name}={}", self.marker(value));
                        *arg = redacted;
                    }
                    Some(_) => {}
                    None => value_follows = secret_name(flag),
                }
            } else if secret_value(arg) {
                *arg = self.marker(arg);
            } else if arg.contains(char::is_whitespace) {
                *arg = self.redact_inline(arg);
            }
        }
    }

    /// `NAME=value` and `--name=value` words inside a shell script argument.
    fn redact_inline(&mut self, script: &str) -> String {
        let mut out = script.to_string();
        for word in script.split_whitespace() {
            let Some((name, value)) = word.trim_start_matches('-').split_once('=') else {
                continue;
            };
            let value = value.trim_matches(['"', '\'', ';']);
            if (secret_name(name) && !harmless(value)) || secret_value(value) {
                let redacted = word.replacen(value, &self.marker(value), 1);
                out = out.replacen(word, &redacted, 1);
            }
        }
        out
    }
}

/// Both sides of a text diff of YAML manifests, old first, with every value [`Redactor::redact`]
/// replaces in their objects written as its marker (`"<redacted #N>"`, numbered across both
/// sides as `dsc diff` numbers them). A side that is not YAML has the secrets found on the other
/// side masked wherever they occur.
pub fn redact_yaml_texts(old: &str, new: &str) -> (String, String) {
    let mut redactor = Redactor::new();
    let old_redacted = redactor.redact_yaml(old);
    let new_redacted = redactor.redact_yaml(new);
    let or_known = |redacted: Option<String>, text: &str| {
        redacted.unwrap_or_else(|| redactor.mask_known(text))
    };
    (or_known(old_redacted, old), or_known(new_redacted, new))
}

impl Redactor {
    /// `text` with each scalar the redactor replaces in its documents rewritten as the
    /// replacement, double-quoted; `None` when the text cannot be read as YAML objects.
    fn redact_yaml(&mut self, text: &str) -> Option<String> {
        let docs = crate::yaml::spans::index(text);
        let values = serde_yaml::Deserializer::from_str(text)
            .map(Value::deserialize)
            .collect::<Result<Vec<Value>, _>>()
            .ok()?;
        if values.len() != docs.len() {
            return None;
        }
        let mut edits = Vec::new();
        for (value, doc) in values.iter().zip(&docs) {
            let mut redacted = value.clone();
            self.redact(&mut redacted);
            let mut changed = Vec::new();
            changed_strings(value, &redacted, FieldPath::default(), &mut changed);
            for (path, replacement) in changed {
                let written = doc.fields.get(&path)?;
                let quoted = crate::emit::scalar::double_quoted(&replacement);
                edits.push((scalar_extent(text, written.value), quoted));
            }
        }
        edits.sort_by_key(|(span, _)| span.start());
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (span, replacement) in edits {
            if span.start() < at {
                return None;
            }
            out.push_str(&text[at..span.start()]);
            out.push_str(&replacement);
            at = span.end();
        }
        out.push_str(&text[at..]);
        Some(out)
    }

    /// `text` with every secret seen so far replaced by its marker, longest first.
    fn mask_known(&self, text: &str) -> String {
        let mut seen: Vec<(usize, &String)> = self.seen.iter().enumerate().collect();
        seen.sort_by_key(|(_, s)| std::cmp::Reverse(s.len()));
        let mut out = text.to_string();
        for (i, secret) in seen {
            for part in secret.lines().map(str::trim).filter(|p| !p.is_empty()) {
                out = out.replace(part, &format!("<redacted #{}>", i + 1));
            }
        }
        out
    }
}

/// The paths of the strings that differ between `old` and its redacted copy `new`, with the
/// redacted text.
fn changed_strings(old: &Value, new: &Value, path: FieldPath, out: &mut Vec<(FieldPath, String)>) {
    match (old, new) {
        (Value::String(a), Value::String(b)) if a != b => out.push((path, b.clone())),
        (Value::Object(a), Value::Object(b)) => {
            for (key, child) in a {
                if let Some(other) = b.get(key) {
                    changed_strings(child, other, path.key(key), out);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (child, other)) in a.iter().zip(b).enumerate() {
                changed_strings(child, other, path.index(i), out);
            }
        }
        _ => {}
    }
}

/// The whole text of the scalar whose first line `span` covers: a quoted scalar to its closing
/// quote, a block scalar (`|`, `>`) or a plain one with its continuation lines (the following
/// lines indented deeper than the line it starts on, blank lines inside included).
fn scalar_extent(text: &str, span: Span) -> Span {
    let start = span.start().min(text.len());
    let rest = &text[start..];
    match rest.chars().next() {
        Some('"') => {
            let mut escaped = false;
            for (i, c) in rest.char_indices().skip(1) {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => return Span::new(start, start + i + 1),
                    _ => escaped = false,
                }
            }
            span
        }
        Some('\'') => {
            let bytes = rest.as_bytes();
            let mut i = 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return Span::new(start, start + i + 1);
                }
                i += 1;
            }
            span
        }
        _ => {
            let mut start = start;
            let mut line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            if line_start > 0 && text[line_start..start].trim().is_empty() {
                // A block scalar: the parser marks its first line of content; the scalar
                // starts at its indicator (`|`, `>-`, `|2`) at the end of the line before.
                let prev_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
                let prev = &text[prev_start..line_start - 1];
                if let Some(i) = prev.rfind(['|', '>']) {
                    let header = prev[i + 1..].trim();
                    if header
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '-' || c == '+')
                    {
                        start = prev_start + i;
                        line_start = prev_start;
                    }
                }
            }
            let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
            let own = indent(&text[line_start..]);
            let mut end = span.end().max(start);
            let mut next = text[start..]
                .find('\n')
                .map_or(text.len(), |i| start + i + 1);
            while next < text.len() {
                let line_end = text[next..].find('\n').map_or(text.len(), |i| next + i);
                let line = &text[next..line_end];
                if line.trim().is_empty() {
                    next = line_end + 1;
                    continue;
                }
                if indent(line) <= own {
                    break;
                }
                end = line_end;
                next = line_end + 1;
            }
            Span::new(start, end)
        }
    }
}

/// Name parts that make a variable or flag secret.
const SECRET_WORDS: [&str; 22] = [
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "PASSPHRASE",
    "SECRET",
    "SECRETS",
    "TOKEN",
    "TOKENS",
    "KEY",
    "APIKEY",
    "ACCESSKEY",
    "PRIVATEKEY",
    "CREDENTIAL",
    "CREDENTIALS",
    "CREDS",
    "AUTH",
    "SESSION",
    "COOKIE",
    "DSN",
    "SIGNING",
    "SALT",
];

/// Secret words that count even inside a longer word (`DBPASSWORD`, `SLACKTOKEN`).
const SECRET_INFIXES: [&str; 8] = [
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "ACCESSKEY",
    "PRIVATEKEY",
    "CONNECTIONSTRING",
];

/// Last name parts that say the value only points at a secret (`TOKEN_FILE`, `SECRET_NAME`).
const POINTER_WORDS: [&str; 14] = [
    "FILE",
    "FILES",
    "PATH",
    "DIR",
    "NAME",
    "NAMESPACE",
    "REF",
    "ENABLED",
    "MOUNT",
    "TTL",
    "TIMEOUT",
    "TYPE",
    "MODE",
    "HEADER",
];

/// Whether a variable or flag name says its value is secret.
pub fn secret_name(name: &str) -> bool {
    let words = words(name);
    if words
        .last()
        .is_some_and(|w| POINTER_WORDS.contains(&w.as_str()))
    {
        return false;
    }
    let joined: String = words.concat();
    words.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
        || SECRET_INFIXES.iter().any(|s| joined.contains(s))
}

/// Upper-case words of `DB_PASSWORD`, `--api-key`, `clientSecret`.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            words.push(std::mem::take(&mut current));
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_uppercase());
    }
    words.push(current);
    words.retain(|w| !w.is_empty());
    words
}

/// Values that are never secret even under a secret name: flags, references, paths.
fn harmless(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "none"
        )
        || (v.starts_with("$(") && v.ends_with(')') && !v[2..].contains('$'))
        || (v.starts_with('/') && !v.contains(char::is_whitespace))
}

/// Whether a value looks like a credential whatever it is called.
pub fn secret_value(value: &str) -> bool {
    let v = value.trim();
    const PREFIXES: [&str; 12] = [
        "ghp_",
        "gho_",
        "ghs_",
        "ghu_",
        "github_pat_",
        "glpat-",
        "xoxb-",
        "xoxp-",
        "xoxa-",
        "xoxs-",
        "sk_live_",
        "sk-",
    ];
    v.contains("-----BEGIN")
        || (v.starts_with("eyJ") && v.matches('.').count() == 2 && v.len() > 20)
        || (v.len() == 20
            && v.starts_with("AKIA")
            && v[4..]
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
        || PREFIXES
            .iter()
            .any(|p| v.starts_with(p) && v.len() >= p.len() + 16)
        || url_with_password(v)
        || high_entropy(v)
}

/// `scheme://user:password@host`.
fn url_with_password(v: &str) -> bool {
    let Some((_, rest)) = v.split_once("://") else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    authority.rsplit_once('@').is_some_and(|(userinfo, _)| {
        userinfo
            .split_once(':')
            .is_some_and(|(_, pass)| !pass.is_empty())
    })
}

/// A base64-like string of 24+ characters mixing cases and digits, at 4+ bits per character.
fn high_entropy(v: &str) -> bool {
    let base64ish = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-');
    if v.len() < 24 || !v.chars().all(base64ish) {
        return false;
    }
    let classes = [
        v.chars().any(|c| c.is_ascii_uppercase()),
        v.chars().any(|c| c.is_ascii_lowercase()),
        v.chars().any(|c| c.is_ascii_digit()),
    ];
    if !classes.iter().all(|c| *c) {
        return false;
    }
    let mut counts = [0usize; 128];
    v.bytes().for_each(|b| counts[usize::from(b & 0x7f)] += 1);
    let len = v.len() as f64;
    let entropy: f64 = counts
        .iter()
        .filter(|&&n| n > 0)
        .map(|&n| {
            let p = n as f64 / len;
            -p * p.log2()
        })
        .sum();
    entropy >= 4.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names() {
        for name in [
            "DB_PASSWORD",
            "api-key",
            "clientSecret",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "DBPASSWORD",
            "auth",
        ] {
            assert!(secret_name(name), "{name}");
        }
        for name in [
            "ETCD_KEY_FILE",
            "SECRET_NAME",
            "TOKEN_PATH",
            "NODENAME",
            "KEYRING_DIR",
            "MONKEY",
            "AUTH_ENABLED",
        ] {
            assert!(!secret_name(name), "{name}");
        }
    }

    #[test]
    fn values() {
        for value in [
            "-----BEGIN RSA PRIVATE KEY-----\nMII",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig",
            "AKIAIOSFODNN7EXAMPLE",
            "ghp_0123456789abcdefABCDEF",
            "postgres://app:s3cret@db:5432/app",
            "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRg==",
        ] {
            assert!(secret_value(value), "{value}");
        }
        for value in [
            "docker.io/calico/node:v3.21.6",
            "kubernetes-services-endpoint",
            "https://example.com/path",
            "0123456789abcdef0123456789abcdef01234567",
            "d5e7c1f2-8a9b-4c3d-9e8f-7a6b5c4d3e2f",
            "interface=eth.*",
        ] {
            assert!(!secret_value(value), "{value}");
        }
    }

    #[test]
    fn same_value_same_number_across_sides() {
        let mut r = Redactor::new();
        let mut old = json!({"env": [{"name": "DB_PASSWORD", "value": "hunter2"}, {"name": "MODE", "value": "fast"}]});
        let mut new = json!({"env": [{"name": "DB_PASSWORD", "value": "hunter3"}, {"name": "OLD_PASSWORD", "value": "hunter2"},
            {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "token"}}}]});
        r.redact(&mut old);
        r.redact(&mut new);
        assert_eq!(old["env"][0]["value"], "<redacted #1>");
        assert_eq!(old["env"][1]["value"], "fast");
        assert_eq!(new["env"][0]["value"], "<redacted #2>");
        assert_eq!(new["env"][1]["value"], "<redacted #1>");
        assert_eq!(new["env"][2]["valueFrom"]["secretKeyRef"]["key"], "token");
    }

    #[test]
    fn args_and_commands() {
        let mut r = Redactor::new();
        let mut c = json!({"args": ["--password=hunter2", "--token", "abc123", "--v=2", "--token-file=/var/run/t",
            "--db=postgres://u:p@h/db", "-api-key=$(API_KEY)"], "command": ["sh", "-c", "run --secret=x"]});
        r.redact(&mut c);
        assert_eq!(
            c["args"],
            json!([
                "--password=<redacted #1>",
                "--token",
                "<redacted #2>",
                "--v=2",
                "--token-file=/var/run/t",
                "--db=<redacted #3>",
                "-api-key=$(API_KEY)"
            ])
        );
        assert_eq!(
            c["command"],
            json!(["sh", "-c", "run --secret=<redacted #4>"])
        );
    }

    #[test]
    fn yaml_texts_keep_their_lines_and_mask_whole_scalars() {
        let old = "# header\nenv:\n- name: DB_PASSWORD\n  value: 'hunter2'\n- name: CERT\n  value: |\n    -----BEGIN PRIVATE KEY-----\n    MIIabc\n    -----END PRIVATE KEY-----\n- name: MODE\n  value: fast\n";
        let new =
            "# header\nenv:\n- name: DB_PASSWORD\n  value: hunter3\n- name: MODE\n  value: fast\n";
        let (old, new) = redact_yaml_texts(old, new);
        assert_eq!(
            old,
            "# header\nenv:\n- name: DB_PASSWORD\n  value: \"<redacted #1>\"\n- name: CERT\n  value: \"<redacted #2>\"\n- name: MODE\n  value: fast\n"
        );
        assert_eq!(
            new,
            "# header\nenv:\n- name: DB_PASSWORD\n  value: \"<redacted #3>\"\n- name: MODE\n  value: fast\n"
        );
        // A side that is not YAML still hides what the other side called secret.
        let (broken, _) = redact_yaml_texts("env: [\n  value: hunter2\n", new_side());
        assert!(!broken.contains("hunter2"), "{broken}");
    }

    fn new_side() -> &'static str {
        "env:\n- name: DB_PASSWORD\n  value: hunter2\n"
    }
}
