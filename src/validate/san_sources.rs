//! The SAN volume sources of `validateVolumeSource`: `validateISCSIVolumeSource` (portal,
//! iSCSI qualified names, LUN, CHAP secret) and `validateFCVolumeSource` (WWNs or WWIDs, LUN).

use super::field::Node;
use super::findings::Findings;
use super::volume_fields::{blank, required_str};

fn lun(node: &Node, out: &mut Findings) {
    if node.int().is_some_and(|l| !(0..=255).contains(&l)) {
        out.invalid(node, "must be between 0 and 255, inclusive")
            .help("give the LUN the target exports the disk at, a number from 0 to 255");
    }
}

/// `validateISCSIVolumeSource`.
pub fn iscsi(source: &Node, out: &mut Findings) {
    required_str(source, "targetPortal", out);
    let iqn = source.get("iqn");
    if blank(&iqn) {
        out.required(&iqn, "must be set");
    } else {
        iscsi_name(&iqn, out);
    }
    lun(&source.get("lun"), out);
    let chap = source.get("chapAuthDiscovery").bool() == Some(true)
        || source.get("chapAuthSession").bool() == Some(true);
    if chap && !source.get("secretRef").is_set() {
        out.required(&source.get("secretRef"), "must be set")
            .help("CHAP authentication needs the secret that holds its credentials");
    }
    let initiator = source.get("initiatorName");
    if initiator.str().is_some() {
        iscsi_name(&initiator, out);
    }
}

/// The `iqn`, `eui` and `naa` forms of iSCSI names.
fn iscsi_name(node: &Node, out: &mut Findings) {
    let Some(name) = node.str() else { return };
    let ok = if name.starts_with("iqn") {
        is_iqn(name)
    } else if let Some(rest) = name.strip_prefix("eui") {
        fixed_alnum(rest, 16)
    } else if let Some(rest) = name.strip_prefix("naa") {
        fixed_alnum(rest, 32)
    } else {
        out.invalid(node, "must be valid format starting with iqn, eui, or naa");
        return;
    };
    if !ok {
        out.invalid(node, "must be valid format")
            .help("an iSCSI qualified name looks like `iqn.2001-04.com.example:storage`");
    }
}

/// `eui.` / `naa.` names: any one character, then exactly `n` letters or digits.
fn fixed_alnum(rest: &str, n: usize) -> bool {
    let mut chars = rest.chars();
    chars.next().is_some() && {
        let tail: Vec<char> = chars.collect();
        tail.len() == n && tail.iter().all(char::is_ascii_alphanumeric)
    }
}

/// `iqn\.\d{4}-\d{2}\.([[:alnum:]-.]+)(:[^,;*&$|\s]+)$`, unanchored at the start as Go's
/// `MatchString` reads it.
fn is_iqn(name: &str) -> bool {
    name.match_indices("iqn.").any(|(at, _)| {
        let rest = name.get(at + 4..).unwrap_or("").as_bytes();
        let date = rest.len() > 8
            && rest.iter().take(4).all(u8::is_ascii_digit)
            && rest.get(4) == Some(&b'-')
            && rest.iter().skip(5).take(2).all(u8::is_ascii_digit)
            && rest.get(7) == Some(&b'.');
        if !date {
            return false;
        }
        let tail = name.get(at + 12..).unwrap_or("");
        let Some((domain, id)) = tail.split_once(':') else {
            return false;
        };
        !domain.is_empty()
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            && !id.is_empty()
            && !id
                .chars()
                .any(|c| ",;*&$|".contains(c) || c.is_whitespace())
    })
}

/// The iSCSI rule of `validateVolumeSource`: with an initiator name, `<volume>:<portal>` fits in
/// 64 characters.
pub fn iscsi_name_length(volume: &Node, name: &str, source: &Node, out: &mut Findings) {
    let portal = source.get("targetPortal").str().unwrap_or("");
    if source.get("initiatorName").is_set() && name.len() + 1 + portal.len() > 64 {
        out.invalid(
            &volume.get("name"),
            "total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified",
        );
    }
}

/// `validateFCVolumeSource`: target WWNs with a LUN, or WWIDs.
pub fn fc(source: &Node, out: &mut Findings) {
    let wwns = source.get("targetWWNs");
    let wwids = source.get("wwids");
    if wwns.is_empty() && wwids.is_empty() {
        out.required(
            &wwns,
            "must specify either targetWWNs or wwids, but not both",
        );
    }
    if !wwns.is_empty() && !wwids.is_empty() {
        out.invalid(
            &wwns,
            "targetWWNs and wwids can not be specified simultaneously",
        );
    }
    if !wwns.is_empty() {
        let l = source.get("lun");
        if l.is_set() {
            lun(&l, out);
        } else {
            out.required(&l, "lun is required if targetWWNs is specified");
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::validate::volumes::tests::{none, one, volume};
    use crate::validate::Kind;

    #[test]
    fn iscsi() {
        let v = |s| volume(json!({"name":"a","iscsi":s}));
        none(&v(
            json!({"targetPortal":"10.0.0.1:3260","iqn":"iqn.2001-04.com.example:storage","lun":255}),
        ));
        none(&v(json!({"targetPortal":"p","iqn":"eui.02004567A425678D"})));
        one(
            &v(json!({"targetPortal":"p","iqn":"iqn.2001-04.com.example"})),
            Kind::Invalid,
            ".iscsi.iqn",
        );
        one(
            &v(json!({"targetPortal":"p","iqn":"foo"})),
            Kind::Invalid,
            ".iscsi.iqn",
        );
        one(
            &v(json!({"targetPortal":"p","iqn":"eui.1"})),
            Kind::Invalid,
            ".iscsi.iqn",
        );
        one(
            &v(json!({"iqn":"eui.02004567A425678D"})),
            Kind::Required,
            ".iscsi.targetPortal",
        );
        one(
            &v(json!({"targetPortal":"p","iqn":"eui.02004567A425678D","lun":256})),
            Kind::Invalid,
            ".iscsi.lun",
        );
        one(
            &v(json!({"targetPortal":"p","iqn":"eui.02004567A425678D","chapAuthSession":true})),
            Kind::Required,
            ".iscsi.secretRef",
        );
        let long = "p".repeat(63);
        one(
            &v(
                json!({"targetPortal":long,"iqn":"eui.02004567A425678D","initiatorName":"eui.02004567A425678D"}),
            ),
            Kind::Invalid,
            ".name",
        );
    }

    #[test]
    fn fc() {
        let v = |k: &str, s| volume(json!({"name":"a", k: s}));
        none(&v("fc", json!({"targetWWNs":["w"],"lun":0})));
        none(&v("fc", json!({"targetWWNs":["w"],"lun":255})));
        one(
            &v("fc", json!({"targetWWNs":["w"],"lun":256})),
            Kind::Invalid,
            ".fc.lun",
        );
    }
}
