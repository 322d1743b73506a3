//! Storage across the workload: every mount resolved to a volume (an inline source gets a
//! derived name), the lints on mount paths, unused volumes and the node's root, and
//! `timezone host` (F5). Unique volume names and mount paths, and `Bidirectional` only when
//! privileged, are the API server's rules, checked on the compiled object at the arguments
//! recorded here.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::container::ContainerFacts;
use super::cx::Cx;
use super::mounts::MountTarget;
use super::paths::{derived_name, same_place, unique_name};
use super::volumes::DeclaredVolume;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{rel, DaemonSetModel, Origins, Volume, VolumeMount, VolumeSource};
use crate::source::Span;
use crate::syntax::Statement;

/// The volume `timezone host` adds; no other volume may take this name.
pub const TIMEZONE_VOLUME: &str = "host-localtime";
/// Where the node's zone file is, and where every container sees it.
pub const LOCALTIME: &str = "/etc/localtime";

/// `timezone host` → where it is written.
pub fn check_timezone(cx: &mut Cx, stmt: &Statement) -> Option<Span> {
    cx.no_block(stmt);
    if !cx.arity(stmt, 1, 1) {
        return None;
    }
    let arg = &stmt.args[0];
    if arg.as_word() == Some("host") {
        return Some(stmt.span);
    }
    let text = arg.as_text().unwrap_or_default();
    let help = if text.contains('/') || text.eq_ignore_ascii_case("utc") {
        format!("`timezone host` gives every container the node's zone; for one fixed zone set `env TZ={text}` in each container instead")
    } else {
        "write `timezone host`: every container then sees the node's time zone".to_string()
    };
    cx.push(
        Diagnostic::error("DS0407", format!("unknown time zone source `{text}`"))
            .at(arg.span, "only `host` is supported")
            .help(help),
    );
    None
}

/// Resolves every pending mount of `containers` and fills `ds.volumes`: declared volumes in
/// order, then inline sources in order of first use, then the time-zone volume. Where each
/// volume and mount was written is recorded in the daemonset's and containers' origins; names
/// and paths written twice are the API server's to refuse, on the object.
pub fn resolve(
    cx: &mut Cx,
    ds: &mut DaemonSetModel,
    declared: Vec<DeclaredVolume>,
    containers: &mut [ContainerFacts],
    timezone: Option<Span>,
) {
    let mut names: HashMap<String, Span> = HashMap::new();
    // Each volume with where it was written: its statement, its name, its source's fields.
    let mut volumes: Vec<(Volume, Span, Span, Origins)> = Vec::new();
    for v in &declared {
        names.entry(v.name.clone()).or_insert(v.name_span);
        if let Some(source) = &v.source {
            let volume = Volume {
                name: v.name.clone(),
                source: source.clone(),
            };
            volumes.push((volume, v.span, v.name_span, v.origins.clone()));
        }
    }

    let declared_count = volumes.len();
    let mut used = HashSet::new();
    for c in containers.iter_mut() {
        let mut paths: Vec<(String, Span)> = Vec::new();
        for pm in std::mem::take(&mut c.mounts) {
            let name = match pm.target {
                MountTarget::Named(name) => {
                    if !names.contains_key(&name) {
                        cx.push(unknown_volume(&name, pm.target_span, &names));
                        continue;
                    }
                    name
                }
                MountTarget::Inline(source) => {
                    let shared = !matches!(source, VolumeSource::EmptyDir { .. });
                    let generated = &volumes[declared_count..];
                    match generated
                        .iter()
                        .find(|(v, ..)| shared && v.source == source)
                    {
                        Some((v, ..)) => v.name.clone(),
                        None => {
                            let base = base_name(&source, &pm.mount.path);
                            let name = unique_name(&base, |n| {
                                names.contains_key(n)
                                    || generated.iter().any(|(v, ..)| v.name == n)
                                    || (timezone.is_some() && n == TIMEZONE_VOLUME)
                            });
                            let volume = Volume {
                                name: name.clone(),
                                source,
                            };
                            let (span, at) = (pm.span, pm.target_span);
                            volumes.push((volume, span, at, pm.source_origins.clone()));
                            name
                        }
                    }
                }
            };
            used.insert(name.clone());
            let path = &pm.mount.path;
            // The API server compares the strings: `/x` and `/x/` pass, and are one directory.
            if let Some((first_path, first)) =
                paths.iter().find(|(p, _)| p != path && same_place(p, path))
            {
                cx.push(same_mount_path(
                    &c.container.name,
                    path,
                    pm.path_span,
                    first_path,
                    *first,
                ));
            }
            if let (Some(tz), true) = (timezone, path != LOCALTIME && same_place(path, LOCALTIME)) {
                cx.push(same_mount_path(
                    &c.container.name,
                    path,
                    pm.path_span,
                    LOCALTIME,
                    tz,
                ));
            }
            paths.push((path.clone(), pm.path_span));
            let source = volumes.iter().find(|(v, ..)| v.name == name);
            if let (Some(privileged), Some((v, ..))) = (c.extra.privileged, source) {
                if matches!(&v.source, VolumeSource::HostPath { path, .. } if path.trim_end_matches('/').is_empty())
                {
                    cx.push(host_root_lint(
                        &c.container.name,
                        pm.target_span,
                        privileged,
                    ));
                }
            }
            let at = rel(&["volumeMounts"]).index(c.container.mounts.len());
            c.container.origins.record(at.clone(), pm.span);
            c.container.origins.nest(&at, &pm.origins);
            c.container.mounts.push(VolumeMount {
                volume: name,
                ..pm.mount
            });
        }
        if let Some(tz) = timezone {
            used.insert(TIMEZONE_VOLUME.to_string());
            let at = rel(&["volumeMounts"]).index(c.container.mounts.len());
            c.container.origins.record(at, tz);
            c.container.mounts.push(VolumeMount {
                volume: TIMEZONE_VOLUME.into(),
                path: LOCALTIME.into(),
                read_only: true,
                sub_path: None,
                sub_path_expr: None,
                propagation: None,
            });
        }
    }

    // A container's override may mount a volume, or use a block volume as a device.
    for c in containers.iter() {
        let Some(f) = &c.container.settings.container_override else {
            continue;
        };
        for list in ["volumeMounts", "volumeDevices"] {
            let items = f.value.get(list).and_then(|l| l.as_array());
            for item in items.into_iter().flatten() {
                if let Some(name) = item.get("name").and_then(|n| n.as_str()) {
                    used.insert(name.to_string());
                }
            }
        }
    }
    // After an error a mount may be missing only because it failed: no lint then.
    let lint = !crate::diagnostics::has_errors(&cx.diags);
    for v in declared.iter().filter(|_| lint) {
        if names.get(&v.name) == Some(&v.name_span) && !used.contains(&v.name) {
            cx.push(
                Diagnostic::warning("DS0512", format!("volume `{}` is not mounted", v.name))
                    .at(v.name_span, "no container mounts it")
                    .help(format!(
                        "mount it in a container with `mount {} at /PATH`, or remove it",
                        v.name
                    )),
            );
        }
    }
    if let Some(tz) = timezone {
        let volume = Volume {
            name: TIMEZONE_VOLUME.into(),
            source: VolumeSource::HostPath {
                path: LOCALTIME.into(),
                kind: None,
            },
        };
        volumes.push((volume, tz, tz, Origins::default()));
    }
    let pod_volumes = rel(&["spec", "template", "spec", "volumes"]);
    for (i, (volume, span, name_span, origins)) in volumes.into_iter().enumerate() {
        let at = pod_volumes.index(i);
        ds.origins.record(at.clone(), span);
        ds.origins.record(at.field("name"), name_span);
        ds.origins.nest(&at, &origins);
        ds.volumes.push(volume);
    }
}

/// The derived name of an inline source: from the host path or the object's name; an empty
/// dir from its mount path.
fn base_name(source: &VolumeSource, mount_path: &str) -> String {
    let raw = match source {
        VolumeSource::HostPath { path, .. } => path.as_str(),
        VolumeSource::ConfigMap(k) | VolumeSource::Secret(k) => k.name.as_str(),
        VolumeSource::Pvc { claim, .. } => claim.as_str(),
        _ => mount_path,
    };
    let name = derived_name(raw);
    match (name.is_empty(), source) {
        (false, _) => name,
        (true, VolumeSource::HostPath { .. }) => "host-root".into(),
        (true, _) => "scratch".into(),
    }
}

fn unknown_volume(name: &str, span: Span, names: &HashMap<String, Span>) -> Diagnostic {
    let d = Diagnostic::error("DS0501", format!("no volume named `{name}`"))
        .at(span, "not declared in this daemonset");
    let mut known: Vec<&str> = names.keys().map(String::as_str).collect();
    known.sort_unstable();
    if let Some(close) = did_you_mean(name, known.iter().copied()) {
        return d.suggest(close);
    }
    if name.contains('/') {
        return d.help(format!("a host path starts with `/`: `mount /{name}`"));
    }
    if let Some(kind) = did_you_mean(name, super::mounts::INLINE_KINDS.iter().copied()) {
        return d.help(format!(
            "did you mean the source `{kind}`, as in `mount {kind} ...`?"
        ));
    }
    if known.is_empty() {
        return d.help(format!(
            "declare it in the daemonset, such as `volume {name} host /PATH`, or mount a source directly: `mount /HOST/PATH`"
        ));
    }
    d.help(format!(
        "volumes of this daemonset: {}; or declare `volume {name} ...`",
        known.join(", ")
    ))
}

/// DS0905: a privileged container with the node's whole file system mounted owns the node.
fn host_root_lint(container: &str, mount: Span, privileged: Span) -> Diagnostic {
    Diagnostic::warning(
        "DS0905",
        format!("privileged container `{container}` mounts the node's root file system"),
    )
    .at(mount, "the node's `/`")
    .also(privileged, "privileged here")
    .help(
        "mount only the directories the agent needs, read-only where it can, or drop `privileged`",
    )
}

/// `DS0910`: a mount path that is another's with or without a trailing `/`.
fn same_mount_path(
    container: &str,
    path: &str,
    at: Span,
    first: &str,
    first_at: Span,
) -> Diagnostic {
    Diagnostic::warning(
        "DS0910",
        format!("`{path}` and `{first}` are one directory in container `{container}`"),
    )
    .at(at, "mounted again here")
    .also(first_at, "first mounted here")
    .help("the runtime mounts one over the other: mount the directory once, or `allow same-mount-path`")
}
