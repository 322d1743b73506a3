//! Changes by cause: a run over many DaemonSets and environments, its changes grouped by the
//! statement that set each new value, so a change of one line of a library reads as one line
//! of review: `lib/node-agent.ds:5:3 changed priorityClassName: 27 DaemonSets x 3
//! environments, every pod restarts`.
//!
//! Input: the reports, each change with its [`Cause`] (the CLI traces them: the diff knows
//! objects, not specs). Output: one [`Group`] per statement, the most far-reaching first, as text,
//! markdown or JSON.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::path::{Path, Segment};
use super::{assess, Change, DiffReport};

/// The statement whose value a changed field now has.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cause {
    /// `file:line:column` of the statement.
    pub place: String,
    /// Its line, trimmed.
    pub text: String,
    /// Its layer: `daemonset`, `defaults node-agent`, `overlay prod`, ...
    pub layer: String,
}

impl Cause {
    pub fn json(&self) -> Value {
        json!({"place": self.place, "text": self.text, "layer": self.layer})
    }
}

/// The changes of one cause across a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// `None`: no statement sets the new value (a field taken out, or a value dsc derives).
    pub cause: Option<Cause>,
    /// The fields it changed, as shown: `priorityClassName`, `containers[*].env.NODE_NAME`.
    pub fields: Vec<String>,
    /// The DaemonSets it changed, `namespace/name`.
    pub objects: BTreeSet<String>,
    /// The environments they were built for (empty without environments).
    pub envs: BTreeSet<String>,
    /// Each DaemonSet and environment it changed.
    pub builds: usize,
    /// What applying it does: the most serious rollout kind of its changes (`blocked`,
    /// `restart`, `on-delete`, `no-restart`).
    pub kind: &'static str,
}

/// Rollout kinds, most serious first, with what a change of the kind does.
const SERIOUS: [(&str, &str); 4] = [
    ("blocked", "cannot be applied (an immutable field changes)"),
    ("restart", "every pod restarts"),
    ("on-delete", "pods restart when deleted (OnDelete)"),
    ("no-restart", "no pod restarts"),
];

/// The changes of `reports` grouped by cause, the groups that reach the most builds first.
pub fn by_cause(reports: &[DiffReport]) -> Vec<Group> {
    struct Acc<'a> {
        fields: Vec<&'a Path>,
        objects: BTreeSet<String>,
        envs: BTreeSet<String>,
        builds: BTreeSet<(String, Option<String>)>,
        kind: usize,
    }
    let mut groups: BTreeMap<Option<&Cause>, Acc> = BTreeMap::new();
    for report in reports.iter().filter(|r| !r.is_new()) {
        let mut causes: BTreeMap<Option<&Cause>, Vec<Change>> = BTreeMap::new();
        for change in &report.changes {
            causes
                .entry(change.cause.as_ref())
                .or_default()
                .push(change.clone());
        }
        let object = match report.namespace.as_str() {
            "" => report.name.clone(),
            ns => format!("{ns}/{}", report.name),
        };
        for (cause, changes) in causes {
            let kind = assess(report.old.as_ref(), &report.new, &changes).kind();
            let rank = SERIOUS
                .iter()
                .position(|(k, _)| *k == kind)
                .unwrap_or(SERIOUS.len() - 1);
            let acc = groups.entry(cause).or_insert_with(|| Acc {
                fields: Vec::new(),
                objects: BTreeSet::new(),
                envs: BTreeSet::new(),
                builds: BTreeSet::new(),
                kind: SERIOUS.len() - 1,
            });
            for change in report.changes.iter().filter(|c| c.cause.as_ref() == cause) {
                acc.fields.push(&change.path);
            }
            acc.objects.insert(object.clone());
            acc.envs.extend(report.env.clone());
            acc.builds.insert((object.clone(), report.env.clone()));
            acc.kind = acc.kind.min(rank);
        }
    }
    let mut out: Vec<Group> = groups
        .into_iter()
        .map(|(cause, acc)| Group {
            cause: cause.cloned(),
            fields: shown(&acc.fields),
            objects: acc.objects,
            envs: acc.envs,
            builds: acc.builds.len(),
            kind: SERIOUS[acc.kind].0,
        })
        .collect();
    // The widest first; what no statement sets last.
    out.sort_by(|a, b| {
        (a.cause.is_none(), std::cmp::Reverse(a.builds), &a.cause).cmp(&(
            b.cause.is_none(),
            std::cmp::Reverse(b.builds),
            &b.cause,
        ))
    });
    out
}

/// The fields as a reader sees them, the pod spec's prefix left out. One statement of a
/// library sets a field in containers of several names: shown once, the container as `*`.
fn shown(paths: &[&Path]) -> Vec<String> {
    let short = |p: &Path, any_container: bool| {
        let pod = ["spec", "template", "spec"];
        let skip = if p.starts_with_keys(&pod) {
            pod.len()
        } else {
            0
        };
        let mut segments = p.0[skip..].to_vec();
        if any_container {
            for i in 1..segments.len() {
                let list = matches!(&segments[i - 1], Segment::Key(k) if k == "containers" || k == "initContainers");
                if let (true, Segment::Item(item)) = (list, &mut segments[i]) {
                    item.label = "*".into();
                }
            }
        }
        // No container is named `*` (names are DNS labels): the placeholder reads bare.
        Path(segments).to_string().replace("[\"*\"]", "[*]")
    };
    let exact: BTreeSet<String> = paths.iter().map(|p| short(p, false)).collect();
    let general: BTreeSet<String> = paths.iter().map(|p| short(p, true)).collect();
    let chosen = if general.len() < exact.len() {
        general
    } else {
        exact
    };
    chosen.into_iter().collect()
}

impl Group {
    /// `priorityClassName`, `a, b and c`, `a, b and 4 more`.
    fn fields_text(&self) -> String {
        match self.fields.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [a, b] => format!("{a} and {b}"),
            [a, b, c] => format!("{a}, {b} and {c}"),
            [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
        }
    }

    /// `3 DaemonSets x 2 environments`, `1 DaemonSet in prod`, `4 DaemonSets in prod, staging
    /// (5 builds)`.
    fn reach(&self) -> String {
        let n = self.objects.len();
        let objects = format!("{n} DaemonSet{}", if n == 1 { "" } else { "s" });
        let e = self.envs.len();
        let names = self.envs.iter().cloned().collect::<Vec<_>>().join(", ");
        match e {
            0 => objects,
            1 => format!("{objects} in {names}"),
            _ if self.builds == n * e => format!("{objects} x {e} environments"),
            _ => format!("{objects} in {names} ({} builds)", self.builds),
        }
    }

    /// One line: where, what, how far, and what an apply does.
    pub fn line(&self) -> String {
        let does = SERIOUS
            .iter()
            .find(|(k, _)| *k == self.kind)
            .map_or("", |(_, does)| does);
        let what = format!("{}: {}, {does}", self.fields_text(), self.reach());
        match &self.cause {
            Some(c) => format!("{} changed {what}", c.place),
            None => format!("no statement sets {what}"),
        }
    }

    /// The statement and its layer, for the line under [`Group::line`].
    fn statement(&self) -> Option<String> {
        self.cause
            .as_ref()
            .map(|c| format!("`{}` ({})", c.text, c.layer))
    }
}

/// The groups as text: a heading, then per group its line and the statement under it.
pub fn render_text(groups: &[Group], color: bool) -> String {
    if groups.is_empty() {
        return String::new();
    }
    let bold = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = bold("by cause:");
    out.push('\n');
    for g in groups {
        out.push_str(&format!("  {}\n", g.line()));
        if let Some(statement) = g.statement() {
            out.push_str(&format!("    {statement}\n"));
        }
    }
    out
}

/// The groups for a pull-request comment.
pub fn render_markdown(groups: &[Group]) -> String {
    if groups.is_empty() {
        return String::new();
    }
    let mut out = String::from("#### By cause\n\n");
    for g in groups {
        out.push_str(&format!("- {}", g.line()));
        if let Some(statement) = g.statement() {
            out.push_str(&format!(": {statement}"));
        }
        out.push('\n');
    }
    out
}

/// The groups as data.
pub fn render_json(groups: &[Group]) -> Value {
    Value::Array(
        groups
            .iter()
            .map(|g| {
                json!({
                    "cause": g.cause.as_ref().map(Cause::json),
                    "fields": g.fields,
                    "objects": g.objects,
                    "envs": g.envs,
                    "builds": g.builds,
                    "rollout": g.kind,
                    "line": g.line(),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{diff, DiffOptions};

    fn ds(name: &str, priority: &str, image: &str) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": name, "namespace": "x"},
            "spec": {"selector": {"matchLabels": {"app": name}}, "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"priorityClassName": priority,
                    "containers": [{"name": name, "image": image}]}}}})
    }

    fn cause(line: usize, text: &str) -> Cause {
        Cause {
            place: format!("lib/node-agent.ds:{line}:3"),
            text: text.into(),
            layer: "defaults node-agent".into(),
        }
    }

    /// The reports of three agents in two environments: the library's priority changed for
    /// all, one agent's image in one environment.
    fn reports() -> Vec<DiffReport> {
        let mut out = Vec::new();
        for env in ["prod", "staging"] {
            for name in ["a", "b", "c"] {
                let image = if name == "a" && env == "prod" {
                    "i:2"
                } else {
                    "i:1"
                };
                let mut r = diff(
                    Some(&ds(name, "low", "i:1")),
                    &ds(name, "high", image),
                    &DiffOptions::default(),
                );
                r.env = Some(env.into());
                for c in &mut r.changes {
                    c.cause = Some(if c.path.to_string().ends_with("image") {
                        Cause {
                            place: "agents/a.ds:4:5".into(),
                            text: "image i:2".into(),
                            layer: "overlay prod".into(),
                        }
                    } else {
                        cause(5, "priority high")
                    });
                }
                out.push(r);
            }
        }
        out
    }

    #[test]
    fn one_line_of_a_library_reads_as_one_line_of_review() {
        let groups = by_cause(&reports());
        assert_eq!(groups.len(), 2);
        assert_eq!(
            groups[0].line(),
            "lib/node-agent.ds:5:3 changed priorityClassName: 3 DaemonSets x 2 environments, \
             every pod restarts"
        );
        assert_eq!(
            groups[1].line(),
            "agents/a.ds:4:5 changed containers.a.image: 1 DaemonSet in prod, every pod restarts"
        );
        let text = render_text(&groups, false);
        assert!(
            text.starts_with("by cause:\n  lib/node-agent.ds:5:3 changed priorityClassName"),
            "{text}"
        );
        assert!(
            text.contains("    `priority high` (defaults node-agent)\n"),
            "{text}"
        );
        let json = render_json(&groups);
        assert_eq!(json[0]["builds"], 6);
        assert_eq!(json[0]["cause"]["layer"], "defaults node-agent");
    }

    #[test]
    fn a_library_line_in_containers_of_several_names_is_one_field() {
        let mut reports = reports();
        for r in &mut reports {
            for c in &mut r.changes {
                c.cause = Some(cause(9, "image i:2"));
            }
        }
        reports.retain(|r| r.env.as_deref() == Some("prod"));
        let mut second = reports[0].clone();
        second.name = "d".into();
        if let Some(Segment::Item(item)) = second.changes[0].path.0.get_mut(4) {
            item.label = "d".into();
        }
        reports.push(second);
        let groups = by_cause(&reports);
        assert_eq!(groups.len(), 1, "{groups:?}");
        assert!(
            groups[0]
                .fields
                .contains(&"containers[*].image".to_string()),
            "{:?}",
            groups[0].fields
        );
    }

    #[test]
    fn what_no_statement_sets_comes_last() {
        let mut reports = reports();
        reports[0].changes[0].cause = None;
        let groups = by_cause(&reports);
        assert!(groups.last().is_some_and(|g| g.cause.is_none()));
        assert!(groups
            .last()
            .is_some_and(|g| g.line().starts_with("no statement sets ")));
    }
}
