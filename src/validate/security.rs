//! Pod and container security contexts: `validatePodSpecSecurityContext` (users and groups,
//! sysctls, fsGroup and SELinux change policies, seccomp, AppArmor, Windows options),
//! `validateHostUsers`, `validateWindowsHostProcessPod`, `ValidateSecurityContext` for each
//! container, and the seccomp/AppArmor annotation-against-field checks of a template.
//!
//! `privileged` is allowed (the default `--allow-privileged=true`), and `runAsNonRoot` with
//! `runAsUser: 0` is a kubelet check, not a validation rule.

use super::field::Node;
use super::findings::Findings;

mod profiles;

use crate::api::names::{dns_subdomain, Verdict};
pub use profiles::profile_annotations;
use profiles::{apparmor_profile, seccomp_profile};

const ID_RANGE: &str = "must be between 0 and 2147483647, inclusive";

/// validatePodSpecSecurityContext, validateHostUsers and validateWindowsHostProcessPod for the
/// pod spec at `pod`.
pub fn pod_security(pod: &Node, out: &mut Findings) {
    let sc = pod.get("securityContext");
    for key in ["fsGroup", "runAsUser", "runAsGroup"] {
        id_in_range(&sc.get(key), out);
    }
    for gid in sc.get("supplementalGroups").items() {
        id_in_range(&gid, out);
    }
    sysctls(pod, &sc.get("sysctls"), out);
    one_of(
        &sc.get("fsGroupChangePolicy"),
        &["Always", "OnRootMismatch"],
        out,
    );
    one_of(
        &sc.get("supplementalGroupsPolicy"),
        &["Merge", "Strict"],
        out,
    );
    one_of(
        &sc.get("seLinuxChangePolicy"),
        &["MountOption", "Recursive"],
        out,
    );
    seccomp_profile(&sc.get("seccompProfile"), out);
    windows_options(&sc.get("windowsOptions"), out);
    apparmor_profile(&sc.get("appArmorProfile"), out);
    host_process(pod, out);
}

/// ValidateSecurityContext for the container at `container` in the pod at `pod`.
pub fn container_security(pod: &Node, container: &Node, out: &mut Findings) {
    let sc = container.get("securityContext");
    if !sc.is_set() {
        return;
    }
    id_in_range(&sc.get("runAsUser"), out);
    id_in_range(&sc.get("runAsGroup"), out);
    let proc_mount = sc.get("procMount");
    if let Some(value) = proc_mount.str() {
        if value != "Default" && value != "Unmasked" {
            out.not_supported(&proc_mount, &["Default", "Unmasked"]);
        }
        let host_users = pod.get("hostUsers").bool() != Some(false);
        if host_users && value == "Unmasked" {
            out.invalid(&proc_mount, "`hostUsers` must be false to use `Unmasked`")
                .help("set the pod's `hostUsers: false`, or use `procMount: Default`");
        }
    }
    seccomp_profile(&sc.get("seccompProfile"), out);
    if sc.get("allowPrivilegeEscalation").bool() == Some(false) {
        let privileged = sc.get("privileged");
        if privileged.bool() == Some(true) {
            // The server reports it at `securityContext`; the field turned off says what to change.
            out.invalid(
                &sc.get("allowPrivilegeEscalation"),
                "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
            )
            .related(&privileged.path, "but the container is privileged")
            .help("a privileged container can always escalate: allow privilege escalation, or drop `privileged` and add only the capabilities the agent needs");
        }
        let adds = sc.at(&["capabilities", "add"]);
        if adds.items().any(|c| c.str() == Some("CAP_SYS_ADMIN")) {
            out.invalid(&sc, "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN")
                .help("remove `CAP_SYS_ADMIN` or `allowPrivilegeEscalation: false`");
        }
    }
    windows_options(&sc.get("windowsOptions"), out);
    apparmor_profile(&sc.get("appArmorProfile"), out);
    os_specific(pod, &sc, out);
}

/// The container part of validateLinux and validateWindows: fields the pod's `os` rules out.
fn os_specific(pod: &Node, sc: &Node, out: &mut Findings) {
    match pod.at(&["os", "name"]).str() {
        Some("linux") => {
            let windows = sc.get("windowsOptions");
            if windows.is_set() {
                out.forbidden(&windows, "windows options cannot be set for a linux pod")
                    .help(
                        "remove `windowsOptions`, or run the pod on windows (`os.name: windows`)",
                    );
            }
        }
        Some("windows") => {
            for key in [
                "appArmorProfile",
                "seLinuxOptions",
                "seccompProfile",
                "capabilities",
                "readOnlyRootFilesystem",
                "privileged",
                "allowPrivilegeEscalation",
                "procMount",
                "runAsUser",
                "runAsGroup",
            ] {
                let field = sc.get(key);
                if field.is_set() {
                    out.forbidden(&field, "cannot be set for a windows pod")
                        .help("remove it, or run the pod on linux (`os.name: linux`)");
                }
            }
        }
        _ => {}
    }
}

/// IsValidUserID / IsValidGroupID: 0 to 2^31-1.
fn id_in_range(node: &Node, out: &mut Findings) {
    if node
        .int()
        .is_some_and(|id| !(0..=2_147_483_647).contains(&id))
    {
        out.invalid(node, ID_RANGE).help(
            "give a numeric id from 0 to 2147483647, such as 65534; names are resolved by the image, not by Kubernetes",
        );
    }
}

/// A pointer enum with no default: any string outside `supported` is reported.
fn one_of(node: &Node, supported: &[&str], out: &mut Findings) {
    if node.str().is_some_and(|v| !supported.contains(&v)) {
        out.not_supported(node, supported);
    }
}

/// validateSysctls with ValidateHostSysctl.
fn sysctls(pod: &Node, list: &Node, out: &mut Findings) {
    let mut seen: Vec<(&str, Node)> = Vec::new();
    for sysctl in list.items() {
        let name = sysctl.get("name");
        let text = match name.str() {
            Some(text) => text,
            None if name.is_set() => continue,
            None => "",
        };
        if text.is_empty() {
            out.required(&name, "sysctl name is required");
        } else if !is_valid_sysctl_name(text) {
            out.invalid(&name, "must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$")
                .help("a sysctl name is lower-case words joined by `.` or `/`, such as `net.core.somaxconn`; its value goes in `value`");
        } else if let Some((_, first)) = seen.iter().find(|(n, _)| *n == text) {
            out.duplicate(&name).related(&first.path, "first set here");
        }
        let normalized = normalize_sysctl(text);
        let net = normalized.starts_with("net.");
        let ipc = normalized == "kernel.sem"
            || ["kernel.shm", "kernel.msg", "fs.mqueue."]
                .iter()
                .any(|p| normalized.starts_with(p));
        if net && pod.get("hostNetwork").bool() == Some(true) {
            out.invalid(&name, "may not be specified when 'hostNetwork' is true")
                .help("a pod on the host network cannot set namespaced network sysctls: set it on the node");
        } else if ipc && pod.get("hostIPC").bool() == Some(true) {
            out.invalid(&name, "may not be specified when 'hostIPC' is true")
                .help("a pod in the host IPC namespace cannot set IPC sysctls: set it on the node");
        }
        seen.push((text, name));
    }
}

/// IsValidSysctlName: segments of `[a-z0-9]([-_a-z0-9]*[a-z0-9])?` joined by `.` or `/`.
fn is_valid_sysctl_name(name: &str) -> bool {
    name.len() <= 253
        && name.split(['.', '/']).all(|seg| {
            let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
            seg.chars().next().is_some_and(ok)
                && seg.chars().last().is_some_and(ok)
                && seg.chars().all(|c| ok(c) || c == '-' || c == '_')
        })
}

/// NormalizeName: a name written with `/` separators (`net/ipv4/ip_forward`) in dotted form.
fn normalize_sysctl(name: &str) -> String {
    match name.find(['.', '/']) {
        Some(i) if name[i..].starts_with('/') => name
            .chars()
            .map(|c| match c {
                '/' => '.',
                '.' => '/',
                c => c,
            })
            .collect(),
        _ => name.to_string(),
    }
}

/// validateWindowsSecurityContextOptions.
fn windows_options(options: &Node, out: &mut Findings) {
    let spec_name = options.get("gmsaCredentialSpecName");
    if let Some(name) = spec_name.str() {
        out.verdict(&spec_name, dns_subdomain(name));
    }
    let spec = options.get("gmsaCredentialSpec");
    match spec.str().map(str::len) {
        Some(0) => {
            out.invalid(&spec, "gmsaCredentialSpec cannot be an empty string");
        }
        Some(n) if n > 64 * 1024 => {
            out.invalid(&spec, "gmsaCredentialSpec size must be under 64 KiB")
                .help("keep the credential spec in a GMSACredentialSpec resource and name it with `gmsaCredentialSpecName` instead");
        }
        _ => {}
    }
    let user = options.get("runAsUserName");
    if let Some(text) = user.str() {
        if let Err(problem) = run_as_user_name(text) {
            out.invalid(&user, problem);
        }
    }
}

/// The `runAsUserName` rules: `[DOMAIN\]USER`, no control characters.
fn run_as_user_name(text: &str) -> Verdict {
    if text.is_empty() {
        return Err("runAsUserName cannot be an empty string".into());
    }
    if text.chars().any(|c| c.is_ascii_control()) {
        return Err("runAsUserName cannot contain control characters".into());
    }
    let parts: Vec<&str> = text.split('\\').collect();
    let (domain, user) = match parts.as_slice() {
        [user] => (None, *user),
        [domain, user] => (Some(*domain), *user),
        _ => return Err("runAsUserName cannot contain more than one backslash".into()),
    };
    if let Some(domain) = domain {
        if domain.len() >= 256 {
            return Err("runAsUserName's Domain length must be under 256 characters".into());
        }
        if !is_netbios(domain) && !is_windows_dns(domain) {
            return Err(
                "runAsUserName's Domain doesn't match the NetBios nor the DNS format".into(),
            );
        }
    }
    if user.is_empty() {
        return Err("runAsUserName's User cannot be empty".into());
    }
    if user.len() > 104 {
        return Err("runAsUserName's User length must not be longer than 104 characters".into());
    }
    if user.chars().all(|c| c == '.' || c == ' ') {
        return Err("runAsUserName's User cannot contain only periods or spaces".into());
    }
    if user.contains([
        '"', '/', '\\', ':', ';', '|', '=', ',', '+', '*', '?', '<', '>', '@', '[', ']',
    ]) {
        return Err(
            "runAsUserName's User cannot contain the following characters: \"/\\:;|=,+*?<>@[]"
                .into(),
        );
    }
    Ok(())
}

/// `^[^\\/:\*\?"<>|\.][^\\/:\*\?"<>|]{0,14}$`
fn is_netbios(domain: &str) -> bool {
    let bad = |c: char| "\\/:*?\"<>|".contains(c);
    let n = domain.chars().count();
    (1..=15).contains(&n) && !domain.starts_with('.') && !domain.chars().any(bad)
}

/// Dot-separated labels of `[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?`.
fn is_windows_dns(domain: &str) -> bool {
    domain.split('.').all(|label| {
        let alnum = |c: char| c.is_ascii_alphanumeric();
        (1..=63).contains(&label.len())
            && label.chars().next().is_some_and(alnum)
            && label.chars().last().is_some_and(alnum)
            && label.chars().all(|c| alnum(c) || c == '-')
    })
}

/// validateWindowsHostProcessPod: all containers or none are HostProcess, and then the pod uses
/// the host network.
fn host_process(pod: &Node, out: &mut Findings) {
    let pod_value = pod
        .at(&["securityContext", "windowsOptions", "hostProcess"])
        .bool();
    let mut total = 0;
    let mut host_process = 0;
    for list in ["initContainers", "containers"] {
        for container in pod.get(list).items() {
            total += 1;
            let own = container.at(&["securityContext", "windowsOptions", "hostProcess"]);
            if let (Some(p), Some(c)) = (pod_value, own.bool()) {
                if p != c {
                    out.invalid(&own, format!("pod hostProcess value must be identical if both are specified, was {p}"));
                }
            }
            if own.bool().or(pod_value) == Some(true) {
                host_process += 1;
            }
        }
    }
    if host_process > 0 {
        if host_process != total {
            out.invalid(pod, "If pod contains any hostProcess containers then all containers must be HostProcess containers")
                .help("set `windowsOptions.hostProcess: true` on every container, or on the pod");
        }
        let net = pod.get("hostNetwork");
        if net.bool() != Some(true) {
            out.invalid(
                &net,
                "hostNetwork must be true if pod contains any hostProcess containers",
            )
            .help("set `hostNetwork: true`");
        }
    }
}

#[cfg(test)]
mod tests;
