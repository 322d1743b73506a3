//! API field paths: where a value sits in an object (`spec.template.spec.containers[0].image`),
//! as the API server names it in its errors. The checker records them for what each argument
//! set, the object rules report at them, and the locator maps them back to the source.

use std::borrow::Cow;
use std::fmt;

/// One step of a path: an object key or a list index.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    /// A key: a field name (borrowed, the common case, so a step costs no copy of its text) or
    /// a map key read from the object.
    Key(Cow<'static, str>),
    Index(usize),
}

/// Where a value sits in the object, from its root.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    pub fn key(&self, key: &str) -> FieldPath {
        let mut segs = Vec::with_capacity(self.0.len() + 1);
        segs.extend_from_slice(&self.0);
        segs.push(Seg::Key(Cow::Owned(key.to_string())));
        FieldPath(segs)
    }

    /// The path of the field `key` below this one, for a field name known at compile time.
    pub fn field(&self, key: &'static str) -> FieldPath {
        let mut segs = Vec::with_capacity(self.0.len() + 1);
        segs.extend_from_slice(&self.0);
        segs.push(Seg::Key(Cow::Borrowed(key)));
        FieldPath(segs)
    }

    pub fn index(&self, i: usize) -> FieldPath {
        let mut segs = Vec::with_capacity(self.0.len() + 1);
        segs.extend_from_slice(&self.0);
        segs.push(Seg::Index(i));
        FieldPath(segs)
    }

    /// The path one step up; the root is its own parent.
    pub fn parent(&self) -> FieldPath {
        let mut segs = self.0.clone();
        segs.pop();
        FieldPath(segs)
    }

    /// The last key of the path (`containerPort` of `...ports[0].containerPort`).
    pub fn last_key(&self) -> Option<&str> {
        self.0.iter().rev().find_map(|s| match s {
            Seg::Key(k) => Some(k.as_ref()),
            Seg::Index(_) => None,
        })
    }

    /// This path without `prefix`, if it starts with it.
    pub fn strip(&self, prefix: &FieldPath) -> Option<FieldPath> {
        self.0
            .starts_with(&prefix.0)
            .then(|| FieldPath(self.0[prefix.0.len()..].to_vec()))
    }

    /// Parses the dotted form written in tests and docs: `spec.template.spec.containers[0]`,
    /// `metadata.labels[app.kubernetes.io/name]` (a bracket holds an index or a whole key).
    pub fn parse(text: &str) -> FieldPath {
        let mut segs = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(inner) = rest.strip_prefix('[') {
                let close = inner.find(']').unwrap_or(inner.len());
                let item = &inner[..close];
                segs.push(match item.parse() {
                    Ok(i) => Seg::Index(i),
                    Err(_) => Seg::Key(Cow::Owned(item.to_string())),
                });
                rest = inner.get(close + 1..).unwrap_or("");
            } else {
                let rest_key = rest.strip_prefix('.').unwrap_or(rest);
                let end = rest_key.find(['.', '[']).unwrap_or(rest_key.len());
                if end > 0 {
                    segs.push(Seg::Key(Cow::Owned(rest_key[..end].to_string())));
                }
                rest = &rest_key[end..];
            }
        }
        FieldPath(segs)
    }
}

/// `spec.template.spec.containers[0].name`; map keys that are not plain words (label keys,
/// resource names) in brackets, as the API server writes them: `labels[app.kubernetes.io/name]`.
impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Index(n) => write!(f, "[{n}]")?,
                Seg::Key(k) if is_plain(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Key(k) => write!(f, "[{k}]")?,
            }
        }
        Ok(())
    }
}

fn is_plain(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
