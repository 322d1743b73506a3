//! `ValidateVolumes`: names and every volume source.

use std::collections::HashMap;

use super::field::Node;
use super::findings::Findings;

/// The pod's volumes by name, for the mounts that refer to them.
#[derive(Debug, Default)]
pub struct Volumes<'a> {
    pub by_name: HashMap<&'a str, Node<'a>>,
}

/// The list of volumes at `list`.
pub fn volumes<'a>(list: &Node<'a>, out: &mut Findings) -> Volumes<'a> {
    let mut found = Volumes::default();
    for volume in list.items() {
        if let Some(name) = volume.get("name").str() {
            found.by_name.entry(name).or_insert(volume.clone());
        }
    }
    let _ = out;
    found
}
