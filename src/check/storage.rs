//! Storage across the workload: volume names unique, every mount resolved to a volume (an
//! inline source gets a derived name), mount paths unique per container, `Bidirectional` only
//! when privileged, unused volumes, and `timezone host` (F5).

use std::collections::{HashMap, HashSet};

use super::container::ContainerFacts;
use super::mounts::MountTarget;
use super::paths::{derived_name, same_place, unique_name};
use super::volumes::DeclaredVolume;
use super::Cx;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{DaemonSetModel, Propagation, Volume, VolumeMount, VolumeSource};
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
/// order, then inline sources in order of first use, then the time-zone volume.
pub fn resolve(
    cx: &mut Cx,
    ds: &mut DaemonSetModel,
    declared: Vec<DeclaredVolume>,
    containers: &mut [ContainerFacts],
    timezone: Option<Span>,
) {
    let mut names: HashMap<String, Span> = HashMap::new();
    let mut volumes = Vec::new();
    for v in &declared {
        if let Some(first) = names.get(&v.name) {
            cx.push(
                Diagnostic::error("DS0502", format!("volume `{}` is declared twice", v.name))
                    .at(v.name_span, "declared again here")
                    .also(*first, "first declared here")
                    .help("volume names are unique in a pod; rename one of them"),
            );
            continue;
        }
        if let (Some(tz), TIMEZONE_VOLUME) = (timezone, v.name.as_str()) {
            cx.push(
                Diagnostic::error(
                    "DS0502",
                    format!("volume name `{TIMEZONE_VOLUME}` is taken by `timezone host`"),
                )
                .at(v.name_span, "reserved name")
                .also(tz, "`timezone host` adds a volume with this name")
                .help("rename this volume"),
            );
            continue;
        }
        names.insert(v.name.clone(), v.name_span);
        if let Some(source) = &v.source {
            volumes.push(Volume {
                name: v.name.clone(),
                source: source.clone(),
            });
        }
    }

    let mut generated: Vec<Volume> = Vec::new();
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
                    match generated.iter().find(|v| shared && v.source == source) {
                        Some(v) => v.name.clone(),
                        None => {
                            let base = base_name(&source, &pm.mount.path);
                            let name = unique_name(&base, |n| {
                                names.contains_key(n)
                                    || generated.iter().any(|v| v.name == n)
                                    || (timezone.is_some() && n == TIMEZONE_VOLUME)
                            });
                            generated.push(Volume {
                                name: name.clone(),
                                source,
                            });
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
            if let Some((_, first)) = paths.iter().find(|(p, _)| p == path) {
                cx.push(
                    Diagnostic::error(
                        "DS0504",
                        format!(
                            "`{path}` is mounted twice in container `{}`",
                            c.container.name
                        ),
                    )
                    .at(pm.path_span, "mounted again here")
                    .also(*first, "first mounted here")
                    .help("a path holds one mount; pick another path, or mount a parent directory once"),
                );
                continue;
            }
            if let (Some(tz), true) = (timezone, path == LOCALTIME) {
                cx.push(
                    Diagnostic::error(
                        "DS0504",
                        format!("`{LOCALTIME}` is already mounted by `timezone host`"),
                    )
                    .at(pm.path_span, "mounted again here")
                    .also(
                        tz,
                        "`timezone host` mounts the node's zone file here in every container",
                    )
                    .help("remove this mount: the node's /etc/localtime is already there"),
                );
                continue;
            }
            paths.push((path.clone(), pm.path_span));
            if pm.mount.propagation == Some(Propagation::Bidirectional) && !c.container.privileged {
                cx.push(
                    Diagnostic::error(
                        "DS0506",
                        format!(
                            "bidirectional propagation needs a privileged container, and `{}` is not",
                            c.container.name
                        ),
                    )
                    .at(pm.propagation_span.unwrap_or(pm.path_span), "needs `privileged`")
                    .also(c.name_span, "this container")
                    .help("add `privileged` to the container, or use `propagation host-to-container` if it only needs to see the host's mounts"),
                );
                continue;
            }
            let source = volumes.iter().chain(&generated).find(|v| v.name == name);
            if let (Some(privileged), Some(v)) = (c.extra.privileged, source) {
                if matches!(&v.source, VolumeSource::HostPath { path, .. } if path.trim_end_matches('/').is_empty())
                {
                    cx.push(host_root_lint(
                        &c.container.name,
                        pm.target_span,
                        privileged,
                    ));
                }
            }
            c.container.mounts.push(VolumeMount {
                volume: name,
                ..pm.mount
            });
        }
        if timezone.is_some() {
            c.container.mounts.push(VolumeMount {
                volume: TIMEZONE_VOLUME.into(),
                path: LOCALTIME.into(),
                read_only: true,
                sub_path: None,
                propagation: None,
            });
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
    volumes.extend(generated);
    if timezone.is_some() {
        volumes.push(Volume {
            name: TIMEZONE_VOLUME.into(),
            source: VolumeSource::HostPath {
                path: LOCALTIME.into(),
                kind: None,
            },
        });
    }
    ds.volumes = volumes;
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
        return d.help(format!("did you mean `{close}`?"));
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
