//! Image references: `[registry/]repository[:tag][@digest]`, written as given (the API server
//! adds no tag: a runtime reads none as `latest`, F8), and the pull-policy default rule (F9).

use super::cx::Cx;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::PullPolicy;
use crate::syntax::Arg;

/// A checked image reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// The reference as emitted: as written (no `:latest` is added; the runtime reads a missing
    /// tag as `latest`, and the lint `floating-tag` warns).
    pub full: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// False for an image kept as written that is not a reference (the lint `image-reference`).
    pub parsed: bool,
}

impl ImageRef {
    /// The API server's default pull policy: `Always` for `latest` or no tag and no digest,
    /// else `IfNotPresent`.
    /// An image the server cannot parse gets `IfNotPresent` (its defaulting reads no tag).
    pub fn default_pull_policy(&self) -> PullPolicy {
        if !self.parsed {
            return PullPolicy::IfNotPresent;
        }
        match (&self.tag, &self.digest) {
            (Some(t), _) if t == "latest" => PullPolicy::Always,
            (None, None) => PullPolicy::Always,
            _ => PullPolicy::IfNotPresent,
        }
    }

    /// True when the image floats: no digest and the tag is absent or `latest`.
    pub fn is_floating(&self) -> bool {
        self.parsed && self.digest.is_none() && self.tag.as_deref().is_none_or(|t| t == "latest")
    }
}

/// What the v1.33 API server asks of an image: set, and, on the pods the daemonset creates,
/// without spaces around it (`validateContainerOnlyForPod`). The rest of [`parse_image`] is the
/// lint `image-reference`.
pub fn relaxed_image(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("the image must not be empty".into());
    }
    if text.trim() != text {
        return Err("must not have leading or trailing whitespace".into());
    }
    Ok(())
}

/// An image kept as written, for one that [`relaxed_image`] takes and [`parse_image`] does not.
pub fn unparsed_image(text: &str) -> ImageRef {
    ImageRef {
        full: text.to_string(),
        tag: None,
        digest: None,
        parsed: false,
    }
}

/// Parses and checks a reference. The error says what is wrong, in words.
pub fn parse_image(text: &str) -> Result<ImageRef, String> {
    if text.is_empty() {
        return Err("the image must not be empty".into());
    }
    if let Some(c) = text.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("an image reference cannot contain {c:?}"));
    }
    let (name_tag, digest) = match text.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (text, None),
    };
    if let Some(d) = digest {
        let valid = d.split_once(':').is_some_and(|(algo, hex)| {
            !algo.is_empty()
                && algo
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+._-".contains(c))
                && hex.len() >= 32
                && hex.chars().all(|c| c.is_ascii_hexdigit())
        });
        if !valid {
            return Err(format!(
                "`@{d}` is not a digest; a digest looks like `@sha256:` followed by 64 hex digits"
            ));
        }
    }
    let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_tag[last_slash..].rfind(':') {
        Some(i) => (
            &name_tag[..last_slash + i],
            Some(&name_tag[last_slash + i + 1..]),
        ),
        None => (name_tag, None),
    };
    if let Some(t) = tag {
        let ok_first = t
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        let ok_rest = t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if !ok_first || !ok_rest || t.len() > 128 {
            return Err(format!("`{t}` is not a valid tag: at most 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`"));
        }
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    let first = parts.first().copied().unwrap_or("");
    if parts.len() > 1 && (first.contains('.') || first.contains(':') || first == "localhost") {
        parts.remove(0);
    }
    for part in &parts {
        let ok = !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
            && part.starts_with(|c: char| c.is_ascii_alphanumeric())
            && part.ends_with(|c: char| c.is_ascii_alphanumeric());
        if !ok {
            return Err(if part.chars().any(|c| c.is_ascii_uppercase()) {
                format!("the repository path `{part}` must be lower case")
            } else {
                format!("`{part}` is not a valid repository path component (lower-case letters, digits, `.`, `_`, `-`)")
            });
        }
    }
    Ok(ImageRef {
        full: text.to_string(),
        tag: tag.map(str::to_string),
        digest: digest.map(str::to_string),
        parsed: true,
    })
}

pub(super) const PULL_POLICIES: [&str; 3] = ["always", "if-not-present", "never"];

/// `pull always|if-not-present|never` (any case, `_` or `-`) → the policy; `DS0407` else.
pub(super) fn pull_policy(cx: &mut Cx, arg: &Arg) -> Option<PullPolicy> {
    let text = arg.as_text().unwrap_or_default();
    let policy = match text.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
        "always" => PullPolicy::Always,
        "ifnotpresent" => PullPolicy::IfNotPresent,
        "never" => PullPolicy::Never,
        _ => {
            let choices = PULL_POLICIES;
            let mut d = Diagnostic::error("DS0407", format!("unknown pull policy `{text}`"))
                .at(arg.span, "not a pull policy");
            d = match did_you_mean(&text, choices) {
                Some(s) => d.suggest(s),
                None => d.help("use `always`, `if-not-present` or `never`"),
            };
            cx.push(d);
            return None;
        }
    };
    Some(policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_digests_and_defaults() {
        let i = parse_image("cr-cn-beijing.volces.com/obs/fluent-bit:2.2.0").unwrap();
        assert_eq!(i.tag.as_deref(), Some("2.2.0"));
        assert_eq!(i.default_pull_policy(), PullPolicy::IfNotPresent);
        let i = parse_image("localhost:5000/agent").unwrap();
        assert_eq!(i.full, "localhost:5000/agent");
        assert_eq!(i.default_pull_policy(), PullPolicy::Always);
        let digest = format!("busybox@sha256:{}", "a".repeat(64));
        let i = parse_image(&digest).unwrap();
        assert_eq!(i.full, digest);
        assert_eq!(i.default_pull_policy(), PullPolicy::IfNotPresent);
        assert!(parse_image("Fluent/Bit:1").is_err());
        assert!(parse_image("a:b c").is_err());
        assert!(parse_image("a@sha256:xyz").is_err());
    }

    #[test]
    fn what_the_server_takes() {
        assert!(relaxed_image("Fluent/Bit:1").is_ok());
        assert!(relaxed_image("a:b c").is_ok());
        assert!(relaxed_image(" a:1").is_err());
        assert!(relaxed_image("a:1\n").is_err());
        assert!(relaxed_image("").is_err());
        let i = unparsed_image("Fluent/Bit");
        assert_eq!(i.full, "Fluent/Bit");
        assert_eq!(i.default_pull_policy(), PullPolicy::IfNotPresent);
        assert!(!i.is_floating());
    }
}
