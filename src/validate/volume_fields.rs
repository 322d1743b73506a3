//! Field checks shared by the volume sources and mounts: required strings, paths inside a
//! volume (`validateLocalDescendingPath`, `ValidateLocalNonReservedPath`,
//! `validatePathNoBacksteps`), file modes and quantities.

use super::field::Node;
use super::findings::Findings;
use crate::api::quantity::Quantity;

/// `field` of `source` must be a non-empty string (absent counts as empty; a value of another
/// type is left to the schema pass).
pub(super) fn required_str(source: &Node, field: &'static str, out: &mut Findings) {
    let node = source.get(field);
    if blank(&node) {
        out.required(&node, "must be set");
    }
}

/// Absent, `null` or the empty string: what Go reads as `""`.
pub(super) fn blank(node: &Node) -> bool {
    match node.value {
        None | Some(serde_json::Value::Null) => true,
        Some(serde_json::Value::String(s)) => s.is_empty(),
        Some(_) => false,
    }
}

/// `validatePathNoBacksteps`: no `..` element.
pub(super) fn path_no_backsteps(path: &Node, out: &mut Findings) -> bool {
    let has = path
        .str()
        .is_some_and(|p| p.split('/').any(|part| part == ".."));
    if has {
        out.invalid(path, "must not contain '..'")
            .help("write the path without `..` elements");
    }
    !has
}

/// `validateLocalDescendingPath`: relative, and no `..` element.
pub(super) fn local_descending_path(path: &Node, out: &mut Findings) {
    if path.str().is_some_and(|p| p.starts_with('/')) {
        out.invalid(path, "must be a relative path")
            .help("paths inside a volume are relative: remove the leading `/`");
    }
    path_no_backsteps(path, out);
}

/// `ValidateLocalNonReservedPath`: a descending path that does not start with `..` (the
/// kubelet's own names inside the volume).
pub(super) fn local_non_reserved_path(path: &Node, out: &mut Findings) {
    local_descending_path(path, out);
    if path
        .str()
        .is_some_and(|p| p.starts_with("..") && !p.starts_with("../"))
    {
        out.invalid(path, "must not start with '..'")
            .help("names starting with `..` are reserved for the kubelet's own files");
    }
}

/// A file mode (`defaultMode`, `mode`): 0 to 0777.
pub(super) fn file_mode(mode: &Node, out: &mut Findings) {
    let Some(m) = mode.int() else { return };
    if (0..=0o777).contains(&m) {
        return;
    }
    let f = out.invalid(
        mode,
        "must be a number between 0 and 0777 (octal), both inclusive",
    );
    let digits = m.to_string();
    match i64::from_str_radix(&digits, 8) {
        // The digits may be an octal mode written without its leading zero, or a mode written
        // in octal that is too large: the help says both.
        Ok(octal) if m > 0 && octal <= 0o777 => f.help(format!(
            "{m} is 0{m:o} in octal, above 0777; if you meant `0{m}`, write it with a leading zero in YAML, or {octal} in JSON"
        )),
        _ => f.help("use a mode such as 0644 (420 in JSON) or 0400 (256)"),
    };
}

/// A quantity field: its value, or why it is not a quantity; `None` when absent or of a type
/// a quantity cannot have.
pub(super) fn quantity(node: &Node) -> Option<Result<Quantity, String>> {
    match node.value? {
        serde_json::Value::String(s) => Some(Quantity::parse(s)),
        serde_json::Value::Number(n) => Some(Quantity::parse(&n.to_string())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::validate::Kind;

    fn run(value: serde_json::Value, check: fn(&Node, &mut Findings)) -> Vec<(Kind, String)> {
        let mut out = Findings::default();
        check(&Node::root(&value), &mut out);
        out.0.iter().map(|f| (f.kind, f.detail.clone())).collect()
    }

    #[test]
    fn non_reserved_paths() {
        let check = |p: &str| run(json!(p), local_non_reserved_path);
        assert!(check("a/b").is_empty());
        assert!(check("a..b/..c").is_empty());
        assert!(check("").is_empty());
        assert_eq!(check("/a").len(), 1);
        assert_eq!(check("..a").len(), 1);
        assert_eq!(
            check("../a").len(),
            1,
            "one finding for a path that climbs out"
        );
        assert_eq!(check("/a/../b").len(), 2);
    }

    #[test]
    fn descending_paths() {
        let check = |p: &str| run(json!(p), local_descending_path);
        assert!(check("..a").is_empty());
        assert_eq!(check("a/..").len(), 1);
    }

    #[test]
    fn file_modes() {
        let mut out = Findings::default();
        for m in [0, 0o644, 0o777] {
            file_mode(&Node::root(&json!(m)), &mut out);
        }
        assert!(out.0.is_empty());
        file_mode(&Node::root(&json!(755)), &mut out);
        file_mode(&Node::root(&json!(0o1000)), &mut out);
        file_mode(&Node::root(&json!(-1)), &mut out);
        assert_eq!(out.0.len(), 3);
        let help = out.0[0].help.as_deref().unwrap_or("");
        assert!(help.contains("`0755`") && help.contains("493"), "{help}");
    }

    #[test]
    fn quantities() {
        let q = |v| quantity(&Node::root(&v)).map(|r| r.is_ok());
        assert_eq!(q(json!("1Gi")), Some(true));
        assert_eq!(q(json!(1024)), Some(true));
        assert_eq!(q(json!("1GB")), Some(false));
        assert_eq!(q(json!(true)), None);
    }

    #[test]
    fn required_strings() {
        let check = |v| run(json!({ "f": v }), |n, out| required_str(n, "f", out));
        assert_eq!(check(json!("")).len(), 1);
        assert_eq!(check(json!(null)).len(), 1);
        assert!(check(json!("x")).is_empty());
        assert!(
            check(json!(1)).is_empty(),
            "a wrong type is the schema pass's"
        );
    }
}
