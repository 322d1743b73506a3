//! Seccomp and AppArmor profiles and SELinux options, pod and container: `seccomp|apparmor
//! runtime-default|unconfined|localhost PROFILE`, `selinux KEY=VALUE ...`, read into the model.
//! The API server's rules on a localhost profile (rules 61, 62) run on the compiled object.

use super::cx::Cx;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{Profile, SeLinux, Security};
use crate::source::Span;
use crate::syntax::{ArgKind, Statement};

/// `seccomp|apparmor runtime-default|unconfined|localhost PROFILE`.
/// The kinds of `seccomp` and `apparmor` profile.
pub(super) const PROFILE_KINDS: [&str; 3] = ["runtime-default", "unconfined", "localhost"];

pub fn profile(cx: &mut Cx, s: &Statement) -> Option<Profile> {
    if !cx.arity(s, 1, 2) {
        return None;
    }
    let text = s.args[0].as_text().unwrap_or_default();
    let kind = match text.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
        "runtimedefault" => "RuntimeDefault",
        "unconfined" => "Unconfined",
        "localhost" => "Localhost",
        _ => {
            let choices = PROFILE_KINDS;
            let mut d =
                Diagnostic::error("DS0407", format!("unknown {} profile `{text}`", s.keyword))
                    .at(s.args[0].span, "not a profile type");
            d = match did_you_mean(&text, choices) {
                Some(c) => d.suggest(c),
                None => d.help("use `runtime-default`, `unconfined`, or `localhost PROFILE`"),
            };
            cx.push(d);
            return None;
        }
    };
    let path = s.args.get(1);
    match (kind, path) {
        ("Localhost", None) => {
            let at = s.args[0].span;
            cx.push(
                Diagnostic::error("DS0715", format!("a localhost {} profile needs its name", s.keyword))
                    .at(Span::new(at.end(), at.end()), "profile missing here")
                    .help(if s.keyword == "seccomp" {
                        "write `seccomp localhost profiles/agent.json`, a path under the kubelet's seccomp directory"
                    } else {
                        "write `apparmor localhost agent-profile`, a profile loaded on the node"
                    }),
            );
            None
        }
        ("Localhost", Some(p)) => {
            // The profile's form (a seccomp path relative to the kubelet's directory, without
            // `..`; an AppArmor name, not empty or padded, at most 4095 characters) is a rule
            // of the API server, checked on the compiled object.
            let name = p.as_text().unwrap_or_default();
            if s.keyword == "seccomp" && name.is_empty() {
                cx.push(
                    Diagnostic::warning("DS0918", "a localhost seccomp profile with an empty name")
                        .at(p.span, "no profile file")
                        .help("the container cannot start without its profile: write a path relative to the kubelet's seccomp directory, such as `profiles/agent.json`, or `allow empty-seccomp-profile`"),
                );
            }
            Some(Profile {
                kind,
                localhost: Some(name),
            })
        }
        (_, Some(p)) => {
            cx.push(
                Diagnostic::error(
                    "DS0715",
                    format!("only a localhost profile takes a name, not `{text}`"),
                )
                .at(p.span, "unexpected profile name")
                .help(format!(
                    "write `{} {text}`, or `{} localhost {}`",
                    s.keyword,
                    s.keyword,
                    p.as_text().unwrap_or_default()
                )),
            );
            None
        }
        (_, None) => Some(Profile {
            kind,
            localhost: None,
        }),
    }
}

/// `selinux type=spc_t level=s0:c123,c456 user=... role=...`.
pub fn selinux(cx: &mut Cx, s: &Statement, sec: &mut Security) {
    if !cx.arity(s, 1, 4) {
        return;
    }
    let mut out = SeLinux::default();
    for a in &s.args {
        let ArgKind::Pair {
            key,
            key_span,
            value,
        } = &a.kind
        else {
            cx.push(
                Diagnostic::error("DS0716", "SELinux options are `KEY=VALUE` pairs")
                    .at(a.span, format!("{} is not `KEY=VALUE`", a.describe()))
                    .help("write `selinux type=spc_t`, with `user`, `role`, `type` or `level`"),
            );
            return;
        };
        let v = value.as_text();
        let slot = match key.as_str() {
            "user" => &mut out.user,
            "role" => &mut out.role,
            "type" => &mut out.kind,
            "level" => &mut out.level,
            _ => {
                let mut d = Diagnostic::error("DS0716", format!("unknown SELinux option `{key}`"))
                    .at(*key_span, "not an SELinux option");
                d = match did_you_mean(key, ["user", "role", "type", "level"]) {
                    Some(k) => d.suggest(k),
                    None => d.help("use `user`, `role`, `type` or `level`"),
                };
                cx.push(d);
                return;
            }
        };
        *slot = v;
    }
    sec.selinux = Some(out);
}
