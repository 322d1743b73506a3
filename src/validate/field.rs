//! A read-only walker over a JSON object: where a rule looks, and what it reads.
//!
//! A rule never indexes JSON by hand: it walks [`Node`]s, each of which knows its path
//! (`spec.template.spec.containers[0].ports[1].containerPort`), so every finding can say
//! where it is and the locator can map it back to the source line.

use std::borrow::Cow;
use std::fmt;
use std::rc::Rc;

use serde_json::Value;

use crate::api::{FieldPath, Seg};

/// A place in the object being validated: the value there (`None` when absent) and its path.
#[derive(Clone, Debug)]
pub struct Node<'a> {
    pub value: Option<&'a Value>,
    pub path: NodePath,
}

/// The path of a [`Node`], made into a [`FieldPath`] only when a rule asks for one (to report
/// a finding, or compare): a rule looks at hundreds of fields and reports at a few, and each
/// step here is one small allocation instead of a copy of the whole path.
#[derive(Clone, Debug, Default)]
pub struct NodePath(Option<Rc<Step>>);

#[derive(Debug)]
struct Step {
    before: NodePath,
    seg: Seg,
}

impl NodePath {
    fn then(&self, seg: Seg) -> NodePath {
        NodePath(Some(Rc::new(Step {
            before: self.clone(),
            seg,
        })))
    }

    /// The steps, last first.
    fn steps(&self) -> impl Iterator<Item = &Seg> {
        std::iter::successors(self.0.as_deref(), |step| step.before.0.as_deref())
            .map(|step| &step.seg)
    }

    /// The path itself.
    pub fn to_path(&self) -> FieldPath {
        let mut segs: Vec<Seg> = self.steps().cloned().collect();
        segs.reverse();
        FieldPath(segs)
    }

    /// The last key of the path (`containerPort` of `...ports[0].containerPort`).
    pub fn last_key(&self) -> Option<&str> {
        self.steps().find_map(|s| match s {
            Seg::Key(k) => Some(k.as_ref()),
            Seg::Index(_) => None,
        })
    }
}

impl From<&NodePath> for FieldPath {
    fn from(path: &NodePath) -> FieldPath {
        path.to_path()
    }
}

impl fmt::Display for NodePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_path().fmt(f)
    }
}

impl<'a> Node<'a> {
    pub fn root(value: &'a Value) -> Node<'a> {
        Node {
            value: Some(value),
            path: NodePath::default(),
        }
    }

    /// The field `key` of this object (absent if this is not an object or has no such key).
    pub fn get(&self, key: &'static str) -> Node<'a> {
        Node {
            value: self.value.and_then(|v| v.get(key)),
            path: self.path.then(Seg::Key(Cow::Borrowed(key))),
        }
    }

    /// The entry `key` of a map whose keys are data (labels, resource names).
    pub fn entry(&self, key: &str) -> Node<'a> {
        Node {
            value: self.value.and_then(|v| v.get(key)),
            path: self.path.then(Seg::Key(Cow::Owned(key.to_string()))),
        }
    }

    /// The item `i` of a list.
    pub fn item(&self, i: usize) -> Node<'a> {
        Node {
            value: self.value.and_then(|v| v.get(i)),
            path: self.path.then(Seg::Index(i)),
        }
    }

    /// The place at `path` below this one.
    pub fn follow(&self, path: &FieldPath) -> Node<'a> {
        path.0.iter().fold(self.clone(), |n, seg| match seg {
            Seg::Key(k) => n.entry(k),
            Seg::Index(i) => n.item(*i),
        })
    }

    /// A field through several keys: `node.at(&["securityContext", "privileged"])`.
    pub fn at(&self, keys: &[&'static str]) -> Node<'a> {
        keys.iter().fold(self.clone(), |n, key| n.get(key))
    }

    /// Present and not `null`.
    pub fn is_set(&self) -> bool {
        self.value.is_some_and(|v| !v.is_null())
    }

    pub fn str(&self) -> Option<&'a str> {
        self.value.and_then(Value::as_str)
    }

    /// An integer, also from a float with no fraction (`1.0`), as the API's decoder reads it.
    pub fn int(&self) -> Option<i64> {
        let v = self.value?;
        v.as_i64()
            .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
    }

    pub fn bool(&self) -> Option<bool> {
        self.value.and_then(Value::as_bool)
    }

    /// The items of a list, each with its index in the path; nothing if this is not a list.
    pub fn items(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        let items: &'a [Value] = self.value.and_then(Value::as_array).map_or(&[][..], |a| a);
        let path = self.path.clone();
        items.iter().enumerate().map(move |(i, v)| Node {
            value: Some(v),
            path: path.then(Seg::Index(i)),
        })
    }

    /// The entries of an object, each with its key in the path; nothing if not an object.
    pub fn entries(&self) -> impl Iterator<Item = (&'a str, Node<'a>)> + 'a {
        let path = self.path.clone();
        self.value
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(move |(k, v)| {
                (
                    k.as_str(),
                    Node {
                        value: Some(v),
                        path: path.then(Seg::Key(Cow::Owned(k.clone()))),
                    },
                )
            })
    }

    /// The number of items of a list or entries of an object.
    pub fn len(&self) -> usize {
        match self.value {
            Some(Value::Array(a)) => a.len(),
            Some(Value::Object(o)) => o.len(),
            _ => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value as it would be shown in a message: strings quoted, the rest as JSON, long
    /// values cut.
    pub fn shown(&self) -> String {
        let text = match self.value {
            None => return "nothing".into(),
            Some(v) => v.to_string(),
        };
        if text.chars().count() > 60 {
            let cut: String = text.chars().take(57).collect();
            format!("{cut}...")
        } else {
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_print_like_the_api_server() {
        let v = json!({"spec": {"containers": [{"ports": [{"containerPort": 1}]}]}});
        let root = Node::root(&v);
        let port = root
            .at(&["spec", "containers"])
            .items()
            .next()
            .unwrap()
            .get("ports")
            .items()
            .next()
            .unwrap()
            .get("containerPort");
        assert_eq!(
            port.path.to_string(),
            "spec.containers[0].ports[0].containerPort"
        );
        assert_eq!(port.int(), Some(1));
        let label = root.at(&["metadata", "labels", "app.kubernetes.io/name"]);
        assert_eq!(
            label.path.to_string(),
            "metadata.labels[app.kubernetes.io/name]"
        );
        assert!(!label.is_set());
    }

    #[test]
    fn a_node_path_reads_as_the_field_path_it_stands_for() {
        let v = json!({"a": [{"b": 1}], "labels": {"x/y": "z"}});
        let root = Node::root(&v);
        let b = root.get("a").item(0).get("b");
        assert_eq!(b.path.to_path(), FieldPath::parse("a[0].b"));
        assert_eq!(FieldPath::from(&b.path), FieldPath::parse("a[0].b"));
        assert_eq!(b.path.last_key(), Some("b"));
        assert_eq!(root.get("a").item(0).path.last_key(), Some("a"));
        assert_eq!(root.path.to_path(), FieldPath::default());
        assert_eq!(root.path.last_key(), None);
        let (key, label) = root.get("labels").entries().next().unwrap();
        assert_eq!(key, "x/y");
        assert_eq!(label.path.to_string(), "labels[x/y]");
        assert_eq!(root.follow(&FieldPath::parse("a[0].b")).int(), Some(1));
    }

    #[test]
    fn parse_reads_what_display_writes() {
        for text in [
            "spec.template.spec.containers[0].ports[12].containerPort",
            "metadata.labels[app.kubernetes.io/name]",
            "",
        ] {
            assert_eq!(FieldPath::parse(text).to_string(), text);
        }
    }

    #[test]
    fn whole_floats_read_as_integers() {
        let v = json!({"a": 3.0, "b": 3.5});
        assert_eq!(Node::root(&v).get("a").int(), Some(3));
        assert_eq!(Node::root(&v).get("b").int(), None);
    }
}
