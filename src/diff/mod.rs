//! Diff: canonicalize a previous or live DaemonSet and the compiled one, compare, and render.
//!
//! Input: the old side (a previous manifest, a `kubectl get` dump, or the live object; absent
//! when the DaemonSet does not exist yet) and the new, compiled side, all as JSON values.
//! Output: a [`DiffReport`] that renders as text, markdown or JSON. Nothing here depends on the
//! parser, the checker or the emitter.
//!
//! # Pipeline
//!
//! ```text
//! old, new ─ canonicalize ─ redact ─┬─ compare ──── changes ─┬─ DiffReport ─ render_{text,markdown,json}
//!                                   ├─ YAML + similar: unified diff
//!                                   └─ impact: rollout (from changes + new strategy)
//! ```
//!
//! # Public API
//!
//! * [`diff`]`(old: Option<&Value>, new: &Value, &DiffOptions) -> DiffReport`, with
//!   [`DiffReport::has_changes`] (exit code 0 or 1 for the CLI), `render_text(color)`,
//!   `render_markdown()` and `render_json()`; [`auto_color`] tells whether stdout wants colour
//!   (a terminal, `NO_COLOR` unset).
//! * [`DiffOptions`]: ignore paths (parsed with [`IgnorePath::parse`], so the CLI can report a
//!   bad one before diffing), `show_secrets`, the side labels (`live`, `previous`,
//!   `compiled`), unified-diff context lines, and the YAML renderer ([`default_yaml`]: the
//!   project's emitter).
//! * [`canonicalize`]`(obj, ignore) -> Value`: the one canonical form both sides go through
//!   (see `canonical.rs`). Idempotent, a no-op on a canonical object, and on the compiler's
//!   output (which writes `imagePullPolicy` and port protocols, kept explicit here).
//! * Old-side input: [`read_source`] (file or `-` for stdin), [`read_objects`] (JSON or
//!   multi-document YAML, `List`s flattened), [`select_daemonset`].
//! * Live input: [`Kubectl`] (program from `DSC_KUBECTL` or given, `--context`,
//!   `--kubeconfig`) and [`fetch_live`]; `Ok(None)` means the DaemonSet does not exist yet,
//!   which [`diff`] shows as a new object when passed as `old: None`.
//! * Many DaemonSets at once: [`OldSide`] reads the previous outputs (a file, `-`, or a
//!   directory of `.yaml`/`.yml` files; other kinds than DaemonSet left out) or holds what
//!   [`Kubectl::fetch_namespace`] lists (one call per namespace), and matches each compiled
//!   DaemonSet by namespace and name ([`OldSide::take`]), never by file name; what nothing
//!   matched is [`OldSide::unmatched`]. [`Summary`] counts the reports (new, changed by rollout
//!   kind, unchanged) and the [`Removed`] objects, for the line closing a run.
//! * Lower-level pieces for tools: [`compare`] and [`Change`], [`Rollout`], [`Redactor`].

mod canonical;
pub mod cause;
mod changes;
mod defaults;
mod impact;
mod input;
mod live;
mod old_side;
mod path;
mod pattern;
mod prune;
mod redact;
mod render;
mod summary;

pub use canonical::{canonicalize, canonicalize_noting};
pub use cause::{by_cause, Cause, Group};
pub use changes::{compare, Change, Op};
pub use impact::{assess, Rollout, Strategy};
pub use input::{
    describe, flatten_placed, read_all, read_objects, read_source, select_daemonset, InputError,
};
pub use live::{fetch_live, Kubectl, LiveError, KUBECTL_ENV};
pub use old_side::{OldObject, OldSide};
pub use path::{item_key, ItemKey, Path as FieldPath, Segment};
pub use pattern::{PathPattern, PatternError};
pub use redact::{redact_yaml_texts, secret_name, secret_value, Redactor};
pub use render::{auto_color, unified_diff};
pub use summary::{Removed, Summary};

use serde_json::Value;

/// A user-given path of fields to leave out of the comparison (fields other controllers own).
pub type IgnorePath = PathPattern;

/// Turns an object into YAML text for the unified diff.
pub type YamlRenderer = fn(&Value) -> String;

/// The YAML renderer used unless the options say otherwise.
///
/// The project's emitter, so the diff shows the YAML exactly as `dsc build` writes it.
pub fn default_yaml(value: &Value) -> String {
    crate::emit::to_yaml(value)
}

/// How to compare.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// Fields to leave out on both sides.
    pub ignore: Vec<IgnorePath>,
    /// Print secret-looking values instead of `<redacted #N>`.
    pub show_secrets: bool,
    /// What the old side is: `live`, `previous`, a file name.
    pub from_label: String,
    /// What the new side is: `compiled`.
    pub to_label: String,
    /// Lines of context around each hunk of the unified diff.
    pub context_lines: usize,
    /// How the unified diff turns each side into text.
    pub to_yaml: YamlRenderer,
}

impl Default for DiffOptions {
    fn default() -> DiffOptions {
        DiffOptions {
            ignore: Vec::new(),
            show_secrets: false,
            from_label: "previous".to_string(),
            to_label: "compiled".to_string(),
            context_lines: 3,
            to_yaml: default_yaml,
        }
    }
}

impl DiffOptions {
    /// Parses ignore paths given as text, stopping at the first bad one.
    pub fn parse_ignore<S: AsRef<str>>(paths: &[S]) -> Result<Vec<IgnorePath>, PatternError> {
        paths
            .iter()
            .map(|p| IgnorePath::parse(p.as_ref()))
            .collect()
    }
}

/// The outcome of comparing one DaemonSet: what changes, what the rollout does, and the text.
#[derive(Debug, Clone)]
pub struct DiffReport {
    /// The kind of the new object (`DaemonSet`).
    pub kind: String,
    /// Its namespace (empty when the manifest has none).
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// The environment it was built for, when the repository declares environments.
    pub env: Option<String>,
    /// What the old side is (`live`, `previous`).
    pub from_label: String,
    /// What the new side is (`compiled`).
    pub to_label: String,
    /// The old side in canonical form, redacted; `None` for a new object.
    pub old: Option<Value>,
    /// The new side in canonical form, redacted.
    pub new: Value,
    /// One entry per changed field, in document order.
    pub changes: Vec<Change>,
    /// What applying the new side does to running pods.
    pub rollout: Rollout,
    /// Things a reviewer should know that are not changes (old API version, …).
    pub warnings: Vec<String>,
    /// The unified diff of the two canonical sides as YAML.
    pub unified: String,
}

/// Compares `old` (absent: the DaemonSet does not exist yet) with `new`.
pub fn diff(old: Option<&Value>, new: &Value, opts: &DiffOptions) -> DiffReport {
    let mut old_canon = old.map(|o| canonicalize(o.clone(), &opts.ignore));
    let mut new_canon = canonicalize(new.clone(), &opts.ignore);
    let warnings = warnings(old, &old_canon, &new_canon);
    if !opts.show_secrets {
        let mut redactor = Redactor::new();
        if let Some(o) = old_canon.as_mut() {
            redactor.redact(o);
        }
        redactor.redact(&mut new_canon);
    }
    let changes = match &old_canon {
        Some(o) => compare(o, &new_canon),
        None => Vec::new(),
    };
    let rollout = assess(old_canon.as_ref(), &new_canon, &changes);
    let text = |v: &Value| (opts.to_yaml)(v);
    let meta = |field: &str| {
        new_canon["metadata"][field]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let (namespace, name) = (meta("namespace"), meta("name"));
    // With no change, the texts can still differ in how equal quantities are spelled
    // (`1073741824` and `1Gi`): no diff is shown for those.
    let unified = if old_canon.is_some() && changes.is_empty() {
        String::new()
    } else {
        render::unified_diff(
            old_canon.as_ref().map(text).as_deref(),
            &text(&new_canon),
            (
                &header(&opts.from_label, &namespace, &name),
                &header(&opts.to_label, &namespace, &name),
            ),
            opts.context_lines,
        )
    };
    DiffReport {
        kind: new_canon["kind"]
            .as_str()
            .unwrap_or("DaemonSet")
            .to_string(),
        namespace,
        name,
        env: None,
        from_label: opts.from_label.clone(),
        to_label: opts.to_label.clone(),
        old: old_canon,
        new: new_canon,
        changes,
        rollout,
        warnings,
        unified,
    }
}

fn header(label: &str, namespace: &str, name: &str) -> String {
    match namespace {
        "" => format!("{label}/{name}"),
        ns => format!("{label}/{ns}/{name}"),
    }
}

fn warnings(raw_old: Option<&Value>, old: &Option<Value>, new: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(raw), Some(old)) = (raw_old, old) {
        let version = |v: &Value| v["apiVersion"].as_str().unwrap_or("").to_string();
        if version(old) != version(new) {
            out.push(format!(
                "the old object is {}, the new one {}: the server converts between them, so a \
                 changed apiVersion alone changes nothing in the cluster",
                version(old),
                version(new)
            ));
        }
        if describe(old) != describe(new) {
            out.push(format!(
                "comparing different objects: {} and {}",
                describe(old),
                describe(new)
            ));
        }
        if raw["metadata"]["deletionTimestamp"].is_string() {
            out.push(
                "the old object is being deleted (metadata.deletionTimestamp is set)".to_string(),
            );
        }
    }
    for side in old.iter().chain(std::iter::once(new)) {
        let pod = &side["spec"]["template"]["spec"];
        if let (Some(alias), Some(name)) = (
            pod["serviceAccount"].as_str(),
            pod["serviceAccountName"].as_str(),
        ) {
            out.push(format!(
                "serviceAccount `{alias}` differs from serviceAccountName `{name}`; the server uses \
                 serviceAccountName, drop the deprecated serviceAccount"
            ));
        }
    }
    out
}

impl DiffReport {
    /// Whether anything differs (the CLI exits 1 then, 0 otherwise); a new object differs.
    pub fn has_changes(&self) -> bool {
        self.old.is_none() || !self.changes.is_empty()
    }

    /// Whether the DaemonSet does not exist on the old side.
    pub fn is_new(&self) -> bool {
        self.old.is_none()
    }

    /// `Kind namespace/name`, and `in ENV` when built for an environment.
    pub fn object(&self) -> String {
        let object = match self.namespace.as_str() {
            "" => format!("{} {}", self.kind, self.name),
            ns => format!("{} {ns}/{}", self.kind, self.name),
        };
        match &self.env {
            Some(env) => format!("{object} in {env}"),
            None => object,
        }
    }

    /// Header, path summary, rollout impact, warnings and unified diff; ANSI colours if `color`.
    pub fn render_text(&self, color: bool) -> String {
        render::text(self, color)
    }

    /// The same for a pull-request comment (GitHub-flavoured markdown).
    pub fn render_markdown(&self) -> String {
        render::markdown(self)
    }

    /// The same as data for tools.
    pub fn render_json(&self) -> Value {
        render::json(self)
    }
}
