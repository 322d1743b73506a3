//! Structural comparison: two canonical objects in, one [`Change`] per changed field out.
//!
//! Maps are compared key by key, descending into a map that only one side has, so that a new
//! `rollingUpdate.maxUnavailable` shows as its own line. Lists Kubernetes merges by key
//! (`containers`, `env`, `volumes`, `volumeMounts`, `ports` …, see `path::item_key`) are
//! matched by that key; an item only one side has is one added or removed line, and a
//! different order of the common items is an `order` change. Other lists are atomic: their
//! items are matched by value. When one side lacks a value the server defaults, the default
//! stands in for it (`maxUnavailable: 1 (default) → 10%`).

use super::canonical::quantity_text;
use super::defaults::default_for;
use super::path::{item_key, ItemKey, Path, Segment};
use serde_json::{Map, Value};

/// What happened to a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Only the new side has it.
    Add,
    /// Only the old side has it.
    Remove,
    /// Both sides have it (or a default stands in for one side), with different values.
    Change,
    /// The same list items in another order; `from` and `to` hold the two orders.
    Order,
}

impl Op {
    /// The lower-case name used in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Op::Add => "add",
            Op::Remove => "remove",
            Op::Change => "change",
            Op::Order => "order",
        }
    }
}

/// One changed field, from the old side to the new one.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Where: `spec.template.spec.containers.fluent-bit.image`.
    pub path: Path,
    /// What kind of change.
    pub op: Op,
    /// The old value; `None` when absent.
    pub from: Option<Value>,
    /// The new value; `None` when absent.
    pub to: Option<Value>,
    /// `from` is the server default standing in for an absent value.
    pub from_default: bool,
    /// `to` is the server default standing in for an absent value.
    pub to_default: bool,
    /// The value is one item of the atomic list at `path` (`args`, `tolerations`).
    pub list_item: bool,
    /// The statement that set the new value, when the caller traced it
    /// ([`crate::why::Trace`]).
    pub cause: Option<super::Cause>,
}

impl Change {
    fn new(path: Path, op: Op, from: Option<Value>, to: Option<Value>) -> Change {
        Change {
            path,
            op,
            from,
            to,
            from_default: false,
            to_default: false,
            list_item: false,
            cause: None,
        }
    }

    fn item(mut self) -> Change {
        self.list_item = true;
        self
    }
}

/// Every change from `old` to `new`, in document order.
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    walk(&Path::default(), "", Some(old), Some(new), &mut out);
    out
}

fn walk(path: &Path, field: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
    match (old, new) {
        (None, None) => {}
        (Some(a), Some(b)) if same(path, a, b) => {}
        (Some(Value::Object(a)), Some(Value::Object(b))) => compare_maps(path, a, b, out),
        (None, Some(Value::Object(b))) if !b.is_empty() => compare_maps(path, &Map::new(), b, out),
        (Some(Value::Object(a)), None) if !a.is_empty() => compare_maps(path, a, &Map::new(), out),
        (Some(Value::Array(a)), Some(Value::Array(b))) => compare_lists(path, field, a, b, out),
        (None, Some(Value::Array(b))) if item_keys(field, b).is_some() => {
            compare_lists(path, field, &[], b, out)
        }
        (Some(Value::Array(a)), None) if item_keys(field, a).is_some() => {
            compare_lists(path, field, a, &[], out)
        }
        _ => out.extend(leaf(path, old, new)),
    }
}

fn compare_maps(
    path: &Path,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    out: &mut Vec<Change>,
) {
    let new_only = new.keys().filter(|k| !old.contains_key(*k));
    for key in old.keys().chain(new_only) {
        let child = path.child(Segment::Key(key.clone()));
        walk(&child, key, old.get(key), new.get(key), out);
    }
}

/// A value that is absent on one side, or differs in kind, or is a scalar; `None` when the
/// side present holds the very default that stands in for the absent one.
fn leaf(path: &Path, old: Option<&Value>, new: Option<&Value>) -> Option<Change> {
    let mut change = match (old, new) {
        (None, _) => Change::new(path.clone(), Op::Add, None, new.cloned()),
        (_, None) => Change::new(path.clone(), Op::Remove, old.cloned(), None),
        _ => Change::new(path.clone(), Op::Change, old.cloned(), new.cloned()),
    };
    if let Some(default) = default_for(path) {
        if change.from.is_none() {
            change.from = Some(default.clone());
            change.from_default = true;
            change.op = Op::Change;
        } else if change.to.is_none() {
            change.to = Some(default.clone());
            change.to_default = true;
            change.op = Op::Change;
        }
    }
    let same = match (&change.from, &change.to) {
        (Some(a), Some(b)) => same(path, a, b),
        (a, b) => a == b,
    };
    (!same).then_some(change)
}

/// Two values are the same when they are equal, or are quantities of one value: a live object
/// may hold `memory: "1073741824"` where the spec says `1Gi`, and the canonical form keeps each
/// spelling (so import writes the units the user chose), so quantities compare by value here.
fn same(path: &Path, a: &Value, b: &Value) -> bool {
    a == b
        || (holds_quantity(path) && quantity_value(a).is_some_and(|x| Some(x) == quantity_value(b)))
}

/// A resource amount (`limits`, `requests`, `overhead` entries), a divisor or a size limit.
fn holds_quantity(path: &Path) -> bool {
    let key = |from_end: usize| match path.0.iter().rev().nth(from_end) {
        Some(Segment::Key(k)) => Some(k.as_str()),
        _ => None,
    };
    matches!(key(0), Some("divisor" | "sizeLimit"))
        || matches!(key(1), Some("limits" | "requests" | "overhead"))
}

/// The exact value of a quantity written as a string or a number, in billionths.
fn quantity_value(v: &Value) -> Option<i128> {
    crate::api::quantity::exact::parse(quantity_text(v)?.trim())?.nanos()
}

/// The merge keys of all items, if the list is keyed and no key repeats.
fn item_keys(field: &str, items: &[Value]) -> Option<Vec<ItemKey>> {
    let keys: Vec<ItemKey> = items
        .iter()
        .map(|item| item_key(field, item))
        .collect::<Option<_>>()?;
    let unique = keys
        .iter()
        .enumerate()
        .all(|(i, k)| keys[..i].iter().all(|o| o.key != k.key));
    unique.then_some(keys)
}

fn compare_lists(path: &Path, field: &str, old: &[Value], new: &[Value], out: &mut Vec<Change>) {
    match (item_keys(field, old), item_keys(field, new)) {
        (Some(old_keys), Some(new_keys)) => {
            compare_keyed(path, (old, &old_keys), (new, &new_keys), out)
        }
        _ if old.is_empty() || new.is_empty() => {
            let side = |items: &[Value]| (!items.is_empty()).then(|| Value::Array(items.to_vec()));
            out.extend(leaf(path, side(old).as_ref(), side(new).as_ref()));
        }
        _ => compare_atomic(path, old, new, out),
    }
}

type Keyed<'a> = (&'a [Value], &'a [ItemKey]);

fn compare_keyed(
    path: &Path,
    (old, old_keys): Keyed,
    (new, new_keys): Keyed,
    out: &mut Vec<Change>,
) {
    let find = |keys: &[ItemKey], key: &str| keys.iter().position(|k| k.key == key);
    for (i, old_key) in old_keys.iter().enumerate() {
        match find(new_keys, &old_key.key) {
            Some(j) => {
                let child = path.child(Segment::Item(new_keys[j].clone()));
                walk(&child, "", Some(&old[i]), Some(&new[j]), out);
            }
            None => {
                let child = path.child(Segment::Item(old_key.clone()));
                out.push(Change::new(child, Op::Remove, Some(old[i].clone()), None));
            }
        }
    }
    for (j, new_key) in new_keys.iter().enumerate() {
        if find(old_keys, &new_key.key).is_none() {
            let child = path.child(Segment::Item(new_key.clone()));
            out.push(Change::new(child, Op::Add, None, Some(new[j].clone())));
        }
    }
    let common = |keys: &[ItemKey], other: &[ItemKey]| -> Vec<Value> {
        keys.iter()
            .filter(|k| find(other, &k.key).is_some())
            .map(|k| Value::String(k.label.clone()))
            .collect()
    };
    let (before, after) = (common(old_keys, new_keys), common(new_keys, old_keys));
    let same_order = old_keys
        .iter()
        .filter(|k| find(new_keys, &k.key).is_some())
        .map(|k| &k.key)
        .eq(new_keys
            .iter()
            .filter(|k| find(old_keys, &k.key).is_some())
            .map(|k| &k.key));
    if !same_order {
        let change = Change::new(
            path.clone(),
            Op::Order,
            Some(Value::Array(before)),
            Some(Value::Array(after)),
        );
        out.push(change);
    }
}

/// Items matched by value: removed ones, added ones, then an order change of the rest.
fn compare_atomic(path: &Path, old: &[Value], new: &[Value], out: &mut Vec<Change>) {
    let mut used = vec![false; old.len()];
    let mut matched_new = vec![false; new.len()];
    for (j, item) in new.iter().enumerate() {
        if let Some(i) = (0..old.len()).find(|&i| !used[i] && old[i] == *item) {
            used[i] = true;
            matched_new[j] = true;
        }
    }
    for (item, _) in old.iter().zip(&used).filter(|(_, u)| !**u) {
        out.push(Change::new(path.clone(), Op::Remove, Some(item.clone()), None).item());
    }
    for (item, _) in new.iter().zip(&matched_new).filter(|(_, m)| !**m) {
        out.push(Change::new(path.clone(), Op::Add, None, Some(item.clone())).item());
    }
    let before: Vec<Value> = old
        .iter()
        .zip(&used)
        .filter(|(_, u)| **u)
        .map(|(v, _)| v.clone())
        .collect();
    let after: Vec<Value> = new
        .iter()
        .zip(&matched_new)
        .filter(|(_, m)| **m)
        .map(|(v, _)| v.clone())
        .collect();
    if before != after {
        out.push(Change::new(
            path.clone(),
            Op::Order,
            Some(Value::Array(before)),
            Some(Value::Array(after)),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lines(old: Value, new: Value) -> Vec<String> {
        compare(&old, &new)
            .iter()
            .map(|c| {
                let show = |v: &Option<Value>, d: bool| match v {
                    None => "-".to_string(),
                    Some(v) if d => format!("{v}(default)"),
                    Some(v) => v.to_string(),
                };
                format!(
                    "{} {} {} {}",
                    c.op.name(),
                    c.path,
                    show(&c.from, c.from_default),
                    show(&c.to, c.to_default)
                )
            })
            .collect()
    }

    #[test]
    fn quantities_compare_by_value_whatever_their_spelling() {
        let res = |limits: Value, requests: Value| {
            json!({"spec": {"containers": [{"name": "a",
                "resources": {"limits": limits, "requests": requests}}]}})
        };
        let old = res(
            json!({"memory": "1073741824", "cpu": "1"}),
            json!({"memory": "0.5Gi", "cpu": 0.25}),
        );
        let new = res(
            json!({"memory": "1Gi", "cpu": "1000m"}),
            json!({"memory": "512Mi", "cpu": "250m"}),
        );
        assert_eq!(lines(old.clone(), new), Vec::<String>::new());
        let bigger = res(
            json!({"memory": "1073741825", "cpu": "1"}),
            json!({"memory": "512Mi", "cpu": "250m"}),
        );
        assert_eq!(
            lines(old, bigger),
            vec![r#"change spec.containers.a.resources.limits.memory "1073741824" "1073741825""#]
        );
        // Only quantities: the same digits elsewhere are compared as written.
        assert_eq!(
            lines(json!({"image": "1Gi"}), json!({"image": "1073741824"})).len(),
            1
        );
    }

    #[test]
    fn containers_are_keyed_by_name() {
        let old =
            json!({"containers": [{"name": "a", "image": "a:1"}, {"name": "b", "image": "b:1"}]});
        let new =
            json!({"containers": [{"name": "a", "image": "a:2"}, {"name": "c", "image": "c:1"}]});
        assert_eq!(
            lines(old, new),
            [
                r#"change containers.a.image "a:1" "a:2""#,
                r#"remove containers.b {"name":"b","image":"b:1"} -"#,
                r#"add containers.c - {"name":"c","image":"c:1"}"#,
            ]
        );
    }

    #[test]
    fn order_changes_are_reported() {
        let old = json!({"initContainers": [{"name": "a"}, {"name": "b"}], "args": ["x", "y"]});
        let new = json!({"initContainers": [{"name": "b"}, {"name": "a"}], "args": ["y", "x"]});
        assert_eq!(
            lines(old, new),
            [
                r#"order initContainers ["a","b"] ["b","a"]"#,
                r#"order args ["x","y"] ["y","x"]"#
            ]
        );
    }

    #[test]
    fn atomic_lists_match_by_value() {
        let old = json!({"args": ["--v=2", "--a"], "tolerations": [{"operator": "Exists"}]});
        let new = json!({"args": ["--a", "--v=3"]});
        assert_eq!(
            lines(old, new),
            [
                r#"remove args "--v=2" -"#,
                r#"add args - "--v=3""#,
                r#"remove tolerations [{"operator":"Exists"}] -"#,
            ]
        );
    }

    #[test]
    fn absent_maps_are_descended_and_defaults_stand_in() {
        let old = json!({"spec": {}});
        let new = json!({"spec": {"updateStrategy": {"rollingUpdate": {"maxUnavailable": "10%"}}, "minReadySeconds": 5}});
        assert_eq!(
            lines(old, new),
            [
                r#"change spec.updateStrategy.rollingUpdate.maxUnavailable 1(default) "10%""#,
                "add spec.minReadySeconds - 5",
            ]
        );
    }

    #[test]
    fn ports_keyed_by_port_and_protocol() {
        let old = json!({"ports": [{"containerPort": 53, "protocol": "UDP", "name": "dns"}, {"containerPort": 53, "name": "dns-tcp"}]});
        let new = json!({"ports": [{"containerPort": 53, "protocol": "UDP", "name": "dns"}, {"containerPort": 9153, "name": "metrics"}]});
        assert_eq!(
            lines(old, new),
            [
                r#"remove ports.dns-tcp {"containerPort":53,"name":"dns-tcp"} -"#,
                r#"add ports.metrics - {"containerPort":9153,"name":"metrics"}"#,
            ]
        );
    }

    #[test]
    fn empty_meaningful_maps_still_show() {
        let old = json!({"volumes": [{"name": "v", "hostPath": {"path": "/x"}}]});
        let new = json!({"volumes": [{"name": "v", "emptyDir": {}}]});
        assert_eq!(
            lines(old, new),
            [
                r#"remove volumes.v.hostPath.path "/x" -"#,
                "add volumes.v.emptyDir - {}"
            ]
        );
    }

    #[test]
    fn no_changes_on_equal_objects() {
        let v = json!({"a": [1, 2], "b": {"c": "d"}});
        assert!(compare(&v, &v.clone()).is_empty());
    }

    #[test]
    fn a_value_equal_to_the_default_for_an_absent_one_is_no_change() {
        let old = json!({"spec": {"revisionHistoryLimit": 10}});
        let new = json!({"spec": {}});
        assert!(compare(&old, &new).is_empty());
    }
}
