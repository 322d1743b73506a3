//! One canonical volume source → the words of the language: `host /PATH [type T]`,
//! `configmap NAME [items k=p ...] [mode M] [optional]`, `secret ...`, `pvc CLAIM [ro]`,
//! `empty-dir [memory] [size Q]`, the blocks of `projected` and `downward` volumes, `nfs`,
//! `csi`, `ephemeral` and `image`; any other source is `override` with its YAML, so one unusual
//! volume stays one statement.

use serde_json::{Map, Value as Json};

use super::values::{duration, int_at, is_pair_key, is_true, mode, str_at, text};
use crate::model::HostPathType;
use crate::print::{Node, Value};

/// What kind of source a volume has, as far as the language can write it.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Host {
        path: String,
        options: Vec<Value>,
    },
    /// A config map or secret: the kind word, the object's name, its options.
    Keyed {
        kind: &'static str,
        name: String,
        options: Vec<Value>,
    },
    Pvc {
        claim: String,
        read_only: bool,
    },
    EmptyDir {
        options: Vec<Value>,
    },
    /// `projected` or `downward`, with the options after the kind and the block.
    Block {
        kind: &'static str,
        options: Vec<Value>,
        block: Vec<Node>,
    },
    /// A kind only a `volume` statement declares (`nfs`, `csi`, `ephemeral`, `image`, or
    /// `override` with the source's YAML): the words after the volume's name.
    Declared(Vec<Value>),
}

impl Source {
    /// The source as the language writes it, from a volume of the pod spec: its keyword
    /// form, else `override` with the volume's fields as YAML.
    pub fn of(volume: &Json) -> Source {
        Source::keyword(volume).unwrap_or_else(|| {
            let mut fields = volume.clone();
            if let Some(map) = fields.as_object_mut() {
                map.shift_remove("name");
            }
            let yaml = crate::emit::to_yaml(&fields);
            Source::Declared(vec![Value::word("override"), Value::string(yaml)])
        })
    }

    fn keyword(volume: &Json) -> Option<Source> {
        let map = volume.as_object()?;
        let (field, source) = map.iter().find(|(k, _)| *k != "name")?;
        if map.len() != 2 {
            return None;
        }
        match field.as_str() {
            "hostPath" => host(source),
            "configMap" => keyed(source, "configmap", "name", true),
            "secret" => keyed(source, "secret", "secretName", true),
            "persistentVolumeClaim" => {
                only(source, &["claimName", "readOnly"]).then(|| Source::Pvc {
                    claim: str_at(source, "claimName").unwrap_or_default().to_string(),
                    read_only: is_true(source, "readOnly"),
                })
            }
            "emptyDir" => empty_dir(source),
            "projected" => projected(source),
            "downwardAPI" => downward(source),
            "nfs" => nfs(source),
            "csi" => csi(source),
            "ephemeral" => ephemeral(source),
            "image" => image(source),
            _ => None,
        }
    }

    /// The words after `volume NAME`.
    pub fn declared_args(&self) -> Vec<Value> {
        match self {
            Source::Host { path, options } => {
                let kind = (!path.starts_with('/')).then(|| Value::word("host"));
                [
                    kind.into_iter().collect(),
                    vec![text(path)],
                    options.clone(),
                ]
                .concat()
            }
            Source::Keyed {
                kind,
                name,
                options,
            } => [vec![Value::word(*kind), text(name)], options.clone()].concat(),
            Source::Pvc { claim, read_only } => {
                let mut args = vec![Value::word("pvc"), text(claim)];
                if *read_only {
                    args.push(Value::word("ro"));
                }
                args
            }
            Source::EmptyDir { options } => {
                [vec![Value::word("empty-dir")], options.clone()].concat()
            }
            Source::Block { kind, options, .. } => {
                [vec![Value::word(*kind)], options.clone()].concat()
            }
            Source::Declared(args) => args.clone(),
        }
    }
}

/// `nfs SERVER /PATH [ro]`.
fn nfs(source: &Json) -> Option<Source> {
    if !only(source, &["server", "path", "readOnly"]) {
        return None;
    }
    let mut args = vec![
        Value::word("nfs"),
        text(str_at(source, "server")?),
        text(str_at(source, "path")?),
    ];
    match source.get("readOnly").and_then(Json::as_bool) {
        Some(true) => args.push(Value::word("ro")),
        Some(false) => return None,
        None => {}
    }
    Some(Source::Declared(args))
}

/// `csi DRIVER [ro] [fs-type T] [secret NAME] [attributes K=V ...]`.
fn csi(source: &Json) -> Option<Source> {
    let fields = [
        "driver",
        "readOnly",
        "fsType",
        "nodePublishSecretRef",
        "volumeAttributes",
    ];
    if !only(source, &fields) {
        return None;
    }
    let mut args = vec![Value::word("csi"), text(str_at(source, "driver")?)];
    match source.get("readOnly").and_then(Json::as_bool) {
        Some(true) => args.push(Value::word("ro")),
        Some(false) => return None,
        None => {}
    }
    if let Some(fs) = str_at(source, "fsType") {
        args.extend([Value::word("fs-type"), text(fs)]);
    }
    if let Some(secret) = source.get("nodePublishSecretRef") {
        if !only(secret, &["name"]) {
            return None;
        }
        args.extend([Value::word("secret"), text(str_at(secret, "name")?)]);
    }
    // The pairs go last: pairs at the end of a line are written without spaces.
    if let Some(attributes) = source.get("volumeAttributes") {
        args.push(Value::word("attributes"));
        for (k, v) in attributes.as_object()? {
            if !is_pair_key(k) {
                return None;
            }
            args.push(super::values::pair(k, v.as_str()?));
        }
    }
    Some(Source::Declared(args))
}

/// `ephemeral SIZE [class C] [access MODE|[MODE, ...]] [block]`, for a claim template with
/// only those fields.
fn ephemeral(source: &Json) -> Option<Source> {
    use crate::model::AccessMode;
    if !only(source, &["volumeClaimTemplate"]) {
        return None;
    }
    let template = source.get("volumeClaimTemplate")?;
    if !only(template, &["spec"]) {
        return None;
    }
    let spec = template.get("spec")?;
    let fields = ["accessModes", "resources", "storageClassName", "volumeMode"];
    if !only(spec, &fields) || !only(spec.get("resources")?, &["requests"]) {
        return None;
    }
    let requests = spec.pointer("/resources/requests")?;
    if !only(requests, &["storage"]) {
        return None;
    }
    let mut args = vec![Value::word("ephemeral"), text(str_at(requests, "storage")?)];
    if let Some(class) = str_at(spec, "storageClassName") {
        args.extend([Value::word("class"), text(class)]);
    }
    let modes = spec
        .get("accessModes")?
        .as_array()?
        .iter()
        .map(|m| {
            AccessMode::ALL
                .into_iter()
                .find(|a| Some(a.as_str()) == m.as_str())
        })
        .collect::<Option<Vec<AccessMode>>>()?;
    match modes.as_slice() {
        [] => return None,
        [AccessMode::ReadWriteOnce] => {}
        [one] => args.extend([Value::word("access"), Value::word(one.keyword())]),
        many => args.extend([
            Value::word("access"),
            Value::list(many.iter().map(|m| Value::word(m.keyword())).collect()),
        ]),
    }
    match str_at(spec, "volumeMode") {
        Some("Block") => args.push(Value::word("block")),
        Some("Filesystem") | None => {}
        Some(_) => return None,
    }
    Some(Source::Declared(args))
}

/// `image REFERENCE [pull POLICY]`.
fn image(source: &Json) -> Option<Source> {
    if !only(source, &["reference", "pullPolicy"]) {
        return None;
    }
    let mut args = vec![Value::word("image"), text(str_at(source, "reference")?)];
    let pull = match str_at(source, "pullPolicy") {
        Some("Always") => Some("always"),
        Some("IfNotPresent") => Some("if-not-present"),
        Some("Never") => Some("never"),
        Some(_) => return None,
        None => None,
    };
    if let Some(p) = pull {
        args.extend([Value::word("pull"), Value::word(p)]);
    }
    Some(Source::Declared(args))
}

/// Whether `source` has no fields other than `allowed`.
fn only(source: &Json, allowed: &[&str]) -> bool {
    source
        .as_object()
        .is_some_and(|m| m.keys().all(|k| allowed.contains(&k.as_str())))
}

fn host(source: &Json) -> Option<Source> {
    if !only(source, &["path", "type"]) {
        return None;
    }
    let path = str_at(source, "path")?;
    let mut options = Vec::new();
    if let Some(t) = str_at(source, "type") {
        let kind = HostPathType::ALL.iter().find(|k| k.as_str() == t)?;
        options.push(Value::word("type"));
        options.push(Value::word(kind.keyword()));
    }
    // A relative path is written after `host` (the lint `relative-path`).
    Some(Source::Host {
        path: path.to_string(),
        options,
    })
}

/// A config map or secret, in a volume (`with_mode`) or a projection.
fn keyed(source: &Json, kind: &'static str, name_field: &str, with_mode: bool) -> Option<Source> {
    let allowed: &[&str] = if with_mode {
        &["items", "defaultMode", "optional", "name", "secretName"]
    } else {
        &["items", "optional", "name"]
    };
    if !only(source, allowed) {
        return None;
    }
    let name = str_at(source, name_field)?.to_string();
    // The items go last: pairs at the end of a line are written without spaces.
    let mut options = Vec::new();
    if let Some(m) = int_at(source, "defaultMode") {
        options.push(Value::word("mode"));
        options.push(mode(m));
    }
    match source.get("optional").and_then(Json::as_bool) {
        Some(true) => options.push(Value::word("optional")),
        Some(false) => return None,
        None => {}
    }
    options.extend(items(source)?);
    Some(Source::Keyed {
        kind,
        name,
        options,
    })
}

/// `items k=p k=p:0400 ...`: an empty list when there are none; `None` for an item the language
/// cannot write (a key that is not a pair key, a path with a `:` that would read as a mode).
fn items(source: &Json) -> Option<Vec<Value>> {
    let Some(list) = source.get("items").and_then(Json::as_array) else {
        return Some(Vec::new());
    };
    let mut out = vec![Value::word("items")];
    for item in list {
        let (key, path) = (str_at(item, "key")?, str_at(item, "path")?);
        if !is_pair_key(key) || !only(item, &["key", "path", "mode"]) || path.contains(':') {
            return None;
        }
        match item.get("mode") {
            None => out.push(super::values::pair(key, path)),
            Some(mode) => {
                let mode = mode.as_i64().filter(|m| (0..=0o777).contains(m))?;
                out.push(super::values::pair(key, &format!("{path}:{mode:04o}")));
            }
        }
    }
    Some(out)
}

fn empty_dir(source: &Json) -> Option<Source> {
    if !only(source, &["medium", "sizeLimit"]) {
        return None;
    }
    let mut options = Vec::new();
    match str_at(source, "medium") {
        Some("Memory") => options.push(Value::word("memory")),
        Some(_) => return None,
        None => {}
    }
    if let Some(size) = str_at(source, "sizeLimit") {
        options.push(Value::word("size"));
        options.push(text(size));
    }
    Some(Source::EmptyDir { options })
}

fn mode_options(source: &Json) -> Vec<Value> {
    match int_at(source, "defaultMode") {
        Some(m) => vec![Value::word("mode"), mode(m)],
        None => Vec::new(),
    }
}

/// `volume NAME projected [mode M] { token ...; configmap ...; secret ...; file ... }`. The
/// language writes one downward-API source, at the place of its first file.
fn projected(source: &Json) -> Option<Source> {
    if !only(source, &["sources", "defaultMode"]) {
        return None;
    }
    let mut block = Vec::new();
    let mut downward_sources = 0;
    for s in source["sources"].as_array()? {
        let (field, inner) = s.as_object()?.iter().next()?;
        if s.as_object()?.len() != 1 {
            return None;
        }
        match field.as_str() {
            "serviceAccountToken" => block.push(token(inner)?),
            "configMap" | "secret" => {
                let kind = if field == "secret" {
                    "secret"
                } else {
                    "configmap"
                };
                let Source::Keyed { name, options, .. } = keyed(inner, kind, "name", false)? else {
                    return None;
                };
                block.push(Node::new(kind, [vec![text(&name)], options].concat()));
            }
            "downwardAPI" => {
                downward_sources += 1;
                if !only(inner, &["items"]) {
                    return None;
                }
                for f in inner["items"].as_array()? {
                    block.push(file(f)?);
                }
            }
            _ => return None,
        }
    }
    (downward_sources <= 1 && !block.is_empty()).then(|| Source::Block {
        kind: "projected",
        options: mode_options(source),
        block,
    })
}

fn token(t: &Json) -> Option<Node> {
    if !only(t, &["path", "expirationSeconds", "audience"]) {
        return None;
    }
    let mut args = vec![text(str_at(t, "path")?)];
    if let Some(seconds) = int_at(t, "expirationSeconds") {
        args.push(Value::word("expires"));
        args.push(duration(seconds));
    }
    if let Some(audience) = str_at(t, "audience") {
        args.push(Value::word("audience"));
        args.push(text(audience));
    }
    Some(Node::new("token", args))
}

/// `volume NAME downward [mode M] { file ... }`.
fn downward(source: &Json) -> Option<Source> {
    if !only(source, &["items", "defaultMode"]) {
        return None;
    }
    let block = source["items"]
        .as_array()?
        .iter()
        .map(file)
        .collect::<Option<Vec<Node>>>()?;
    (!block.is_empty()).then(|| Source::Block {
        kind: "downward",
        options: mode_options(source),
        block,
    })
}

/// `file PATH = field FIELD` or `file PATH = resource R container C [divisor D]`.
fn file(f: &Json) -> Option<Node> {
    let path = str_at(f, "path")?;
    if !is_pair_key(path) || !only(f, &["path", "fieldRef", "resourceFieldRef"]) {
        return None;
    }
    let head = |word: &str| Value::pair(path, Value::word(word));
    if let Some(field) = f.get("fieldRef") {
        let map: &Map<String, Json> = field.as_object()?;
        if map.len() != 1 {
            return None;
        }
        return Some(Node::new(
            "file",
            vec![head("field"), text(str_at(field, "fieldPath")?)],
        ));
    }
    let r = f.get("resourceFieldRef")?;
    let mut args = vec![head("resource"), text(str_at(r, "resource")?)];
    args.push(Value::word("container"));
    args.push(text(str_at(r, "containerName")?));
    if let Some(d) = str_at(r, "divisor") {
        args.push(Value::word("divisor"));
        args.push(text(d));
    }
    Some(Node::new("file", args))
}
