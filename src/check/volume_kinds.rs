//! The volume kinds only a `volume` statement declares: `nfs`, `csi`, `ephemeral`, `image`, and
//! `override` for every other source of the API, as YAML. Each reads its words into a
//! [`VolumeSource`] and records where each field was written; the API server's rules on the
//! values (a driver's name, an NFS path, the claim's size and modes) run on the object.

use super::args::object_name;
use super::cx::Cx;
use super::fragment_span::locate_path;
use super::options::{flag, pairs, value, Opt};
use super::overrides::{fragment_arg, Target};
use crate::api::quantity::Quantity;
use crate::diagnostics::Diagnostic;
use crate::model::{rel, AccessMode, ClaimTemplate, CsiSource, Origins, VolumeSource};
use crate::source::Span;
use crate::syntax::{Arg, ArgKind, Statement};

/// The kinds of this file, as written after the volume name.
pub const KINDS: &[&str] = &["nfs", "csi", "ephemeral", "image", "override"];

const NFS_OPTS: &[Opt] = &[flag("ro")];
const CSI_OPTS: &[Opt] = &[
    flag("ro"),
    value("fs-type", "fs-type ext4"),
    pairs("attributes", "attributes KEY=VALUE ..."),
    value("secret", "secret NAME"),
];
const EPHEMERAL_OPTS: &[Opt] = &[
    value("class", "class STORAGE-CLASS"),
    value(
        "access",
        "access read-write-once|read-only-many|read-write-many|read-write-once-pod",
    ),
    flag("block"),
];
const IMAGE_OPTS: &[Opt] = &[value("pull", "pull always|if-not-present|never")];

/// The usage of each kind, for a missing value.
fn usage(kind: &str) -> &'static str {
    match kind {
        "nfs" => "nfs SERVER /PATH [ro]",
        "csi" => "csi DRIVER [ro] [fs-type T] [attributes KEY=VALUE ...] [secret NAME]",
        "ephemeral" => "ephemeral SIZE [class STORAGE-CLASS] [access MODE] [block]",
        "image" => "image REFERENCE [pull POLICY]",
        _ => "override \"\"\" YAML \"\"\"",
    }
}

/// `volume NAME KIND ...` for a kind of [`KINDS`]; `args` are the words after the kind.
pub fn check(
    cx: &mut Cx,
    stmt: &Statement,
    kind: &str,
    args: &[Arg],
    o: &mut Origins,
) -> Option<VolumeSource> {
    cx.no_block(stmt);
    let kind_span = stmt.args[1].span;
    let needed = match kind {
        "nfs" => 2,
        _ => 1,
    };
    if args.len() < needed {
        let end = args.last().map_or(kind_span, |a| a.span).end();
        cx.push(
            Diagnostic::error("DS0202", format!("`{kind}` needs more values"))
                .at(Span::new(end, end), "missing here")
                .help(format!("write `volume NAME {}`", usage(kind))),
        );
        return None;
    }
    match kind {
        "nfs" => nfs(cx, args, o),
        "csi" => csi(cx, args, o),
        "ephemeral" => ephemeral(cx, args, o),
        "image" => image(cx, args, o),
        _ => raw(cx, args),
    }
}

/// `nfs SERVER /PATH [ro]`.
fn nfs(cx: &mut Cx, args: &[Arg], o: &mut Origins) -> Option<VolumeSource> {
    let opts = cx.options("volume", &args[2..], NFS_OPTS);
    let server = cx.scalar(&args[0], "an NFS server");
    let path = cx.scalar(&args[1], "an exported path");
    o.record(rel(&["nfs"]), args[0].span);
    o.record(rel(&["nfs", "server"]), args[0].span);
    o.record(rel(&["nfs", "path"]), args[1].span);
    if let Some(at) = opts.span("ro") {
        o.record(rel(&["nfs", "readOnly"]), at);
    }
    Some(VolumeSource::Nfs {
        server: server?,
        path: path?,
        read_only: opts.flag("ro"),
    })
}

/// `csi DRIVER [ro] [fs-type T] [attributes K=V ...] [secret NAME]`.
fn csi(cx: &mut Cx, args: &[Arg], o: &mut Origins) -> Option<VolumeSource> {
    let opts = cx.options("volume", &args[1..], CSI_OPTS);
    let driver = cx.scalar(&args[0], "a CSI driver name")?;
    let at = rel(&["csi"]);
    o.record(at.clone(), args[0].span);
    o.record(at.field("driver"), args[0].span);
    let mut source = CsiSource {
        driver,
        read_only: opts.flag("ro"),
        ..CsiSource::default()
    };
    if let Some(span) = opts.span("ro") {
        o.record(at.field("readOnly"), span);
    }
    if let Some(a) = opts.value("fs-type") {
        source.fs_type = cx.scalar(a, "a file system type");
        o.record(at.field("fsType"), a.span);
    }
    for (key, key_span, value) in opts.pairs("attributes") {
        let Some(text) = cx.scalar(value, "an attribute value") else {
            continue;
        };
        let field = at.field("volumeAttributes").key(key);
        o.record_key(field.clone(), key_span);
        o.record(field, value.span);
        source.attributes.push((key.to_string(), text));
    }
    if let Some(a) = opts.value("secret") {
        if let Some(name) = cx.scalar(a, "a secret name") {
            object_name(cx, a.span, "secret name", &name, true);
            o.record(at.field("nodePublishSecretRef"), a.span);
            o.record(at.field("nodePublishSecretRef").field("name"), a.span);
            source.secret = Some(name);
        }
    }
    Some(VolumeSource::Csi(source))
}

/// `ephemeral SIZE [class C] [access MODE|[MODE, ...]] [block]`: a claim of SIZE, made with each
/// pod; `read-write-once` unless `access` says otherwise.
fn ephemeral(cx: &mut Cx, args: &[Arg], o: &mut Origins) -> Option<VolumeSource> {
    let opts = cx.options("volume", &args[1..], EPHEMERAL_OPTS);
    let spec = rel(&["ephemeral", "volumeClaimTemplate", "spec"]);
    o.record(rel(&["ephemeral"]), args[0].span);
    let size = size(cx, &args[0]);
    o.record(
        spec.field("resources").field("requests").key("storage"),
        args[0].span,
    );
    let mut template = ClaimTemplate {
        size: size.unwrap_or_default(),
        access: vec![AccessMode::ReadWriteOnce],
        block: opts.flag("block"),
        ..ClaimTemplate::default()
    };
    if let Some(a) = opts.value("class") {
        template.class = cx.scalar(a, "a storage class name");
        o.record(spec.field("storageClassName"), a.span);
    }
    if let Some(span) = opts.span("block") {
        o.record(spec.field("volumeMode"), span);
    }
    if let Some(a) = opts.value("access") {
        o.record(spec.field("accessModes"), a.span);
        let words: Vec<&Arg> = match &a.kind {
            ArgKind::List(items) => items.iter().collect(),
            _ => vec![a],
        };
        template.access = words
            .into_iter()
            .filter_map(|w| access_mode(cx, w))
            .collect();
    }
    Some(VolumeSource::Ephemeral(template))
}

fn size(cx: &mut Cx, arg: &Arg) -> Option<String> {
    let text = cx.scalar(arg, "a size")?;
    match Quantity::parse(&text) {
        Ok(_) => Some(text),
        Err(why) => {
            cx.push(
                Diagnostic::error("DS0410", format!("invalid quantity `{text}`"))
                    .at(arg.span, why)
                    .help("write the claim's size, such as `10Gi`"),
            );
            None
        }
    }
}

fn access_mode(cx: &mut Cx, arg: &Arg) -> Option<AccessMode> {
    super::args::word_of(
        cx,
        arg,
        &AccessMode::ALL,
        AccessMode::keyword,
        "access mode",
    )
}

/// `image REFERENCE [pull POLICY]`: an OCI image or artifact, mounted read-only.
fn image(cx: &mut Cx, args: &[Arg], o: &mut Origins) -> Option<VolumeSource> {
    let opts = cx.options("volume", &args[1..], IMAGE_OPTS);
    let reference = cx.scalar(&args[0], "an image reference")?;
    o.record(rel(&["image"]), args[0].span);
    o.record(rel(&["image", "reference"]), args[0].span);
    let pull = match opts.value("pull") {
        Some(a) => {
            o.record(rel(&["image", "pullPolicy"]), a.span);
            Some(super::image::pull_policy(cx, a)?)
        }
        None => None,
    };
    cx.push(image_gate(args[0].span));
    Some(VolumeSource::Image { reference, pull })
}

/// `DS0924` for an image volume: off by default in v1.33, and dropped without a word.
fn image_gate(at: Span) -> Diagnostic {
    Diagnostic::warning(
        "DS0924",
        "image volumes need the `ImageVolume` feature gate, off by default in Kubernetes 1.33",
    )
    .at(at, "dropped with its mounts by an API server without the gate")
    .help("turn the gate on in the cluster and `allow feature-gate`, or mount the content another way (an init container that copies it into an `empty-dir`)")
}

/// `override """YAML"""`: the fields of the API's `Volume` other than its name.
fn raw(cx: &mut Cx, args: &[Arg]) -> Option<VolumeSource> {
    if let [_, extra, ..] = args {
        cx.push(
            Diagnostic::error("DS0202", "unexpected value after the volume's YAML")
                .at(extra.span, "not part of the volume")
                .help("put every field of the volume inside the `\"\"\"` string"),
        );
    }
    let fragment = fragment_arg(cx, "override", &args[0], Target::Volume)?;
    if fragment.value.get("name").is_some() {
        let at = fragment.origin.as_ref().map_or(args[0].span, |o| {
            locate_path(&o.text, o.layout, &["name".to_string()], o.span)
        });
        cx.push(
            Diagnostic::error(
                "DS0750",
                "a volume override holds the volume's source, not its name",
            )
            .at(at, "the name is given after `volume`")
            .help("remove `name:`: the name is the one after `volume`"),
        );
        return None;
    }
    if fragment.value.get("image").is_some() {
        cx.push(image_gate(args[0].span));
    }
    Some(VolumeSource::Raw(fragment))
}
