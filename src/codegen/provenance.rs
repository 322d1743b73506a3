//! Where each field of a compiled DaemonSet came from, for findings on the final object: the
//! line inside an override string that set it, else the argument or statement that set it (the
//! model's [`Origins`]), else the statement of the container it belongs to, else the
//! `daemonset` statement.
//!
//! Overrides are looked up in the order their merges win: `spec-override` (merged last), then
//! `pod-override`, then a container's `override`; an override replaces what a statement wrote,
//! so it is asked first.

use crate::api::{FieldPath, Seg};
use crate::model::{DaemonSetModel, FragmentOrigin, Origins};
use crate::source::Span;
use crate::syntax::StrLayout;
use crate::validate::locate::Locator;
use crate::yaml::spans::{self, DocSpans};

/// An override, where its fields land in the object, and where they were written.
struct Placed<'a> {
    prefix: FieldPath,
    origin: &'a FragmentOrigin,
    spans: DocSpans,
}

/// Places findings on the object compiled from one `daemonset` statement.
pub struct SpecLocator<'a> {
    overrides: Vec<Placed<'a>>,
    /// Each container's path (`spec.template.spec.containers[0]`), statement head and origins.
    containers: Vec<(FieldPath, Span, &'a Origins)>,
    /// Where the daemonset's own fields were written.
    origins: &'a Origins,
    daemonset: Span,
}

impl<'a> SpecLocator<'a> {
    pub fn new(ds: &'a DaemonSetModel) -> SpecLocator<'a> {
        let pod = FieldPath::parse("spec.template.spec");
        let mut overrides = Vec::new();
        let mut place = |prefix: FieldPath, origin: Option<&'a FragmentOrigin>| {
            if let Some(origin) = origin {
                let spans = spans::index(&origin.text)
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                overrides.push(Placed {
                    prefix,
                    origin,
                    spans,
                });
            }
        };
        let fragment_origin =
            |f: &'a Option<crate::model::Fragment>| f.as_ref().and_then(|f| f.origin.as_ref());
        place(
            FieldPath::parse("spec"),
            fragment_origin(&ds.pod.spec_override),
        );
        place(pod.clone(), fragment_origin(&ds.pod.pod_override));
        for (i, v) in ds.volumes.iter().enumerate() {
            if let crate::model::VolumeSource::Raw(f) = &v.source {
                place(pod.key("volumes").index(i), f.origin.as_ref());
            }
        }
        let mut containers = Vec::new();
        for (list, items) in [
            ("initContainers", &ds.init_containers),
            ("containers", &ds.containers),
        ] {
            for (i, c) in items.iter().enumerate() {
                let path = pod.key(list).index(i);
                place(
                    path.clone(),
                    fragment_origin(&c.settings.container_override),
                );
                containers.push((path, c.span, &c.origins));
            }
        }
        SpecLocator {
            overrides,
            containers,
            origins: &ds.origins,
            daemonset: ds.span,
        }
    }

    /// The field of the object that the text around `offset` sets, from the root, with the
    /// span of that text: the narrowest one when several hold the offset.
    pub fn field_at(&self, offset: usize) -> Option<(FieldPath, Span)> {
        let own = self.origins.at(offset).map(|(p, s)| (p.clone(), s));
        let in_containers = self.containers.iter().filter_map(|(prefix, _, origins)| {
            let (rel, span) = origins.at(offset)?;
            let mut path = prefix.clone();
            path.0.extend(rel.0.iter().cloned());
            Some((path, span))
        });
        own.into_iter()
            .chain(in_containers)
            .min_by_key(|(_, s)| s.len())
    }

    /// The override that wrote `path`, with the key and value spans in the spec.
    fn in_override(&self, path: &FieldPath) -> Option<(Option<Span>, Span, bool)> {
        self.overrides.iter().find_map(|o| {
            let rest = path.strip(&o.prefix)?;
            let written = o.spans.fields.get(&rest)?;
            let map = |s: Span| {
                let FragmentOrigin { text, layout, span } = o.origin;
                locate(text, *layout, s, *span)
            };
            Some((written.key.map(map), map(written.value), written.collection))
        })
    }

    /// The statement or argument that set `path` (or its key, for `key`): a container's head
    /// for the container itself, else what the model's origins recorded.
    fn written(&self, path: &FieldPath, key: bool) -> Option<Span> {
        let get = |origins: &Origins, path: &FieldPath| match key {
            true => origins.get_key(path),
            false => origins.get(path),
        };
        for (prefix, head, origins) in &self.containers {
            if path == prefix {
                return Some(*head);
            }
            if let Some(rest) = path.strip(prefix) {
                return get(origins, &rest);
            }
        }
        get(self.origins, path)
    }
}

fn locate(text: &str, layout: StrLayout, s: Span, whole: Span) -> Span {
    crate::check::fragment_span::locate_offset(text, layout, s.start(), s.end() - s.start(), whole)
}

impl Locator for SpecLocator<'_> {
    fn value_span(&self, path: &FieldPath) -> Option<Span> {
        if let Some((key, value, collection)) = self.in_override(path) {
            return Some(if collection {
                key.unwrap_or(value)
            } else {
                value
            });
        }
        self.written(path, false)
    }

    fn key_span(&self, path: &FieldPath) -> Option<Span> {
        if let Some((key, value, _)) = self.in_override(path) {
            return Some(key.unwrap_or(value));
        }
        // The root of an override: its string. A container: its statement.
        self.overrides
            .iter()
            .find(|o| &o.prefix == path && !matches!(path.0.last(), Some(Seg::Index(_))))
            .map(|o| o.origin.span)
            .or_else(|| self.written(path, true))
    }

    fn whole(&self) -> Span {
        self.daemonset
    }
}
