//! Security settings → pod and container security contexts, and the other container settings
//! of issue 4 (working directory, termination message, sidecar restart policy).

use k8s_openapi::api::core::v1 as core;

use super::non_empty_vec;
use crate::model::{Container, Profile, SeLinux, Security};

/// The pod's `securityContext`, absent when nothing is set.
pub fn pod_security(s: &Security) -> Option<core::PodSecurityContext> {
    let out = core::PodSecurityContext {
        run_as_user: s.run_as_user,
        run_as_group: s.run_as_group,
        run_as_non_root: s.run_as_non_root,
        fs_group: s.fs_group,
        supplemental_groups: non_empty_vec(s.supplemental_groups.clone()),
        seccomp_profile: s.seccomp.as_ref().map(seccomp),
        app_armor_profile: s.apparmor.as_ref().map(apparmor),
        se_linux_options: s.selinux.as_ref().map(selinux),
        sysctls: non_empty_vec(
            s.sysctls
                .iter()
                .map(|(name, value)| core::Sysctl {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect(),
        ),
        ..Default::default()
    };
    (out != core::PodSecurityContext::default()).then_some(out)
}

/// Adds the issue-4 container settings to a generated container.
pub fn apply_container(c: &Container, out: &mut core::Container) {
    let s = &c.settings.security;
    let mut ctx = out.security_context.take().unwrap_or_default();
    ctx.run_as_user = s.run_as_user;
    ctx.run_as_group = s.run_as_group;
    ctx.run_as_non_root = s.run_as_non_root;
    ctx.read_only_root_filesystem = s.read_only_root.then_some(true);
    ctx.allow_privilege_escalation = s.allow_privilege_escalation;
    ctx.seccomp_profile = s.seccomp.as_ref().map(seccomp);
    ctx.app_armor_profile = s.apparmor.as_ref().map(apparmor);
    ctx.se_linux_options = s.selinux.as_ref().map(selinux);
    if !s.caps_add.is_empty() || !s.caps_drop.is_empty() {
        ctx.capabilities = Some(core::Capabilities {
            add: non_empty_vec(s.caps_add.clone()),
            drop: non_empty_vec(s.caps_drop.clone()),
        });
    }
    out.security_context = (ctx != core::SecurityContext::default()).then_some(ctx);
    out.working_dir = c.settings.working_dir.clone();
    out.termination_message_policy = c.settings.termination_message_policy.map(str::to_string);
    out.termination_message_path = c.settings.termination_message_path.clone();
    out.restart_policy = c.settings.sidecar.then(|| "Always".to_string());
    let flag = |b: bool| b.then_some(true);
    out.stdin = flag(c.settings.stdin);
    out.stdin_once = flag(c.settings.stdin_once);
    out.tty = flag(c.settings.tty);
    if let Some(signal) = &c.settings.stop_signal {
        out.lifecycle
            .get_or_insert_with(Default::default)
            .stop_signal = Some(signal.clone());
    }
}

fn seccomp(p: &Profile) -> core::SeccompProfile {
    core::SeccompProfile {
        type_: p.kind.into(),
        localhost_profile: p.localhost.clone(),
    }
}

fn apparmor(p: &Profile) -> core::AppArmorProfile {
    core::AppArmorProfile {
        type_: p.kind.into(),
        localhost_profile: p.localhost.clone(),
    }
}

fn selinux(s: &SeLinux) -> core::SELinuxOptions {
    core::SELinuxOptions {
        user: s.user.clone(),
        role: s.role.clone(),
        type_: s.kind.clone(),
        level: s.level.clone(),
    }
}
