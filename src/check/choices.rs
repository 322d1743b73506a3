//! The words a setting takes at one place (`pull always`, `dns cluster-first`, `volume NAME
//! host`), for an editor to complete: each list is the one the checker itself accepts.

use crate::diagnostics::CODES;
use crate::model::HostPathType;

/// The words that may follow `previous` as argument `index` (from 0) of `keyword`; empty when
/// the place takes a free value (a name, a path, a quantity).
pub fn choices(keyword: &str, index: usize, previous: &str) -> Vec<&'static str> {
    match (keyword, index, previous) {
        ("pull", 0, _) => super::image::PULL_POLICIES.to_vec(),
        ("dns", 0, _) => super::dns::POLICIES.iter().map(|(w, _)| *w).collect(),
        ("update", 0, _) => super::strategy::STRATEGIES.to_vec(),
        ("update", _, "rolling") => vec!["max-unavailable", "max-surge"],
        ("volume", 1, _) => super::volumes::KINDS.to_vec(),
        ("mount", 0, _) => super::mounts::INLINE_KINDS.to_vec(),
        ("mount" | "volume", _, "type") => HostPathType::ALL.map(HostPathType::keyword).to_vec(),
        ("mount", _, "propagation") => super::mounts::PROPAGATIONS
            .iter()
            .map(|(w, _)| *w)
            .collect(),
        ("liveness" | "readiness" | "startup", 0, _) => super::handlers::PROBE_METHODS.to_vec(),
        ("post-start" | "pre-stop", 0, _) => super::handlers::HOOK_METHODS.to_vec(),
        ("seccomp" | "apparmor", 0, _) => super::profiles::PROFILE_KINDS.to_vec(),
        ("env", _, "=") => super::env::SOURCES.to_vec(),
        ("env-from", 0, _) => vec!["configmap", "secret"],
        ("allow", _, _) => CODES
            .iter()
            .filter(|c| c.summary.ends_with("(lint)"))
            .map(|c| c.name)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::choices;

    #[test]
    fn enumerated_places_offer_the_checkers_words() {
        assert_eq!(
            choices("pull", 0, "pull"),
            ["always", "if-not-present", "never"]
        );
        assert!(choices("dns", 0, "dns").contains(&"cluster-first-with-host-net"));
        assert!(choices("volume", 1, "x").contains(&"configmap"));
        assert!(choices("liveness", 0, "liveness").contains(&"grpc"));
        assert!(choices("pre-stop", 0, "pre-stop").contains(&"sleep"));
        assert!(choices("mount", 2, "type").contains(&"directory-or-create"));
        assert!(choices("env", 2, "=").contains(&"secret"));
        assert!(choices("allow", 0, "allow").contains(&"floating-tag"));
        assert!(choices("image", 0, "image").is_empty());
    }
}
