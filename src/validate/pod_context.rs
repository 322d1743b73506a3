//! The pod settings every container of one pod spec is checked against, after defaulting
//! (the grace period a `sleep` action must fit in, the restart policy of sidecars).

/// What every container of one pod spec is checked against: the pod's own settings after
/// defaulting.
pub struct PodContext<'a> {
    /// `terminationGracePeriodSeconds` (default 30); `None` when of the wrong type.
    pub grace_period: Option<i64>,
    /// `restartPolicy` (default `Always`).
    pub restart_policy: &'a str,
}
