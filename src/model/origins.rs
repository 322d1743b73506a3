//! Where each field of the compiled object was written in the spec: an API field path and the
//! span of the argument (or statement) that set it. The checker records them as it builds the
//! model; the Kubernetes rules on the final object use them to point a finding at the exact
//! argument the user wrote (see `codegen::provenance`).

use std::hash::BuildHasher;

use hashbrown::hash_table::{Entry, HashTable};

use crate::api::{FieldPath, Seg};
use crate::source::Span;

/// Field paths and the spans that set them. Paths are relative to what holds them: a
/// container's origins start at the container (`ports[0].containerPort`), a daemonset's at the
/// object's root.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Origins {
    values: Records,
    /// Where the key of a map entry was written, when that is not its value (`resource
    /// example.com/fpga 1` names `limits[example.com/fpga]` in its first argument).
    keys: Records,
}

/// Records in the order they were made, with the latest of each path found in constant time:
/// a spec of many labels looks each up once, not by a scan of all the others. The index holds
/// each path's hash and the place of its latest record, not a copy of the path: a spec makes a
/// hundred records and looks up a few.
#[derive(Clone, Debug, Default)]
struct Records {
    all: Vec<(FieldPath, Span)>,
    /// (hash of the path, index in `all`) of the latest record of each path.
    latest: HashTable<(u64, usize)>,
    /// Seeded at random, as a map's hasher is: keys come from the spec, and keys made to
    /// collide must not make a spec slow to compile.
    hasher: foldhash::fast::RandomState,
}

impl Records {
    fn push(&mut self, path: FieldPath, span: Span) {
        let hash = self.hasher.hash_one(&path);
        let all = &self.all;
        let at = all.len();
        match self
            .latest
            .entry(hash, |&(h, i)| h == hash && all[i].0 == path, |&(h, _)| h)
        {
            Entry::Occupied(mut latest) => latest.get_mut().1 = at,
            Entry::Vacant(slot) => {
                slot.insert((hash, at));
            }
        }
        self.all.push((path, span));
    }

    fn find(&self, path: &FieldPath) -> Option<Span> {
        let hash = self.hasher.hash_one(path);
        self.latest
            .find(hash, |&(h, i)| h == hash && self.all[i].0 == *path)
            .map(|&(_, i)| self.all[i].1)
    }
}

/// The index follows from the records.
impl PartialEq for Records {
    fn eq(&self, other: &Self) -> bool {
        self.all == other.all
    }
}

impl Origins {
    /// `path` was set by the text at `span`; a later record of the same path wins.
    pub fn record(&mut self, path: FieldPath, span: Span) {
        self.values.push(path, span);
    }

    /// The key of the map entry at `path` was written at `span`.
    pub fn record_key(&mut self, path: FieldPath, span: Span) {
        self.keys.push(path, span);
    }

    /// Records for `to` where `from` was written (its value and key), when it was: a value
    /// copied from one field to another (a label onto the pods).
    pub fn copy(&mut self, from: &FieldPath, to: FieldPath) {
        if let Some(key) = self.keys.find(from) {
            self.keys.push(to.clone(), key);
        }
        if let Some(value) = self.get(from) {
            self.values.push(to, value);
        }
    }

    /// Records every path of `inner` under `prefix`: origins kept relative to an item whose
    /// place is known only later (a volume, before the volumes are ordered).
    pub fn nest(&mut self, prefix: &FieldPath, inner: &Origins) {
        let under = |path: &FieldPath| {
            let mut p = prefix.clone();
            p.0.extend(path.0.iter().cloned());
            p
        };
        for (path, span) in &inner.values.all {
            self.values.push(under(path), *span);
        }
        for (path, span) in &inner.keys.all {
            self.keys.push(under(path), *span);
        }
    }

    /// Where `path` was set, if a statement set that exact field.
    pub fn get(&self, path: &FieldPath) -> Option<Span> {
        self.values.find(path)
    }

    /// The field set by the narrowest text around `offset`, with that text's span (the last
    /// record wins among equals, as in [`Origins::get`]).
    pub fn at(&self, offset: usize) -> Option<(&FieldPath, Span)> {
        self.values
            .all
            .iter()
            .rev()
            .filter(|(_, s)| s.start() <= offset && offset < s.end())
            .min_by_key(|(_, s)| s.len())
            .map(|(p, s)| (p, *s))
    }

    /// Where every field at or below `prefix` was written: what a value at `prefix` replaces.
    pub fn under<'a>(&'a self, prefix: &'a FieldPath) -> impl Iterator<Item = Span> + 'a {
        self.values
            .all
            .iter()
            .filter(move |(p, _)| p.0.starts_with(&prefix.0))
            .map(|(_, span)| *span)
    }

    /// Where the key of `path` was written: its own record, else where the value was.
    pub fn get_key(&self, path: &FieldPath) -> Option<Span> {
        self.keys.find(path).or_else(|| self.get(path))
    }
}

/// A relative path written in code: `rel(&["ports"]).index(0).field("name")`.
pub fn rel(fields: &[&'static str]) -> FieldPath {
    FieldPath(
        fields
            .iter()
            .map(|field| Seg::Key(std::borrow::Cow::Borrowed(*field)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize) -> Span {
        Span::new(start, start + 1)
    }

    #[test]
    fn the_latest_record_of_a_path_wins_and_others_stay_apart() {
        let mut origins = Origins::default();
        let image = rel(&["image"]);
        let port = rel(&["ports"]).index(0).field("containerPort");
        origins.record(image.clone(), span(1));
        origins.record(port.clone(), span(2));
        origins.record(image.clone(), span(3));
        assert_eq!(origins.get(&image), Some(span(3)));
        assert_eq!(origins.get(&port), Some(span(2)));
        assert_eq!(origins.get(&rel(&["name"])), None);
        // Many paths: each is still found (the index grows as records are made).
        for i in 0..500 {
            origins.record(rel(&["env"]).index(i).field("name"), span(10 + i));
        }
        assert_eq!(
            origins.get(&rel(&["env"]).index(321).field("name")),
            Some(span(331))
        );
        assert_eq!(origins.get(&image), Some(span(3)));
    }

    #[test]
    fn copies_and_nested_records_find_their_spans() {
        let mut origins = Origins::default();
        let label = FieldPath::default().key("app");
        origins.record(label.clone(), span(5));
        origins.record_key(label.clone(), span(4));
        let onto_pods = rel(&["template"]).key("app");
        origins.copy(&label, onto_pods.clone());
        assert_eq!(origins.get(&onto_pods), Some(span(5)));
        assert_eq!(origins.get_key(&onto_pods), Some(span(4)));
        let mut volume = Origins::default();
        volume.record(rel(&["hostPath", "path"]), span(7));
        origins.nest(&rel(&["volumes"]).index(2), &volume);
        assert_eq!(
            origins.get(&rel(&["volumes"]).index(2).field("hostPath").field("path")),
            Some(span(7))
        );
        // Two origins with the same records are equal, whatever their indexes' seeds.
        let mut again = Origins::default();
        again.record(rel(&["hostPath", "path"]), span(7));
        assert_eq!(volume, again);
    }
}
