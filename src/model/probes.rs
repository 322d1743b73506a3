//! Checked health checks and lifecycle hooks (F26–F30): one handler each, timings in whole
//! seconds with the form's defaults already filled in.

/// The form's defaults (seed F29, F30), written out so the output says what will run.
pub const DEFAULT_DELAY: i32 = 1;
pub const DEFAULT_TIMEOUT: i32 = 1;
pub const DEFAULT_PERIOD: i32 = 10;
pub const DEFAULT_SUCCESS: i32 = 1;
pub const DEFAULT_FAILURE: i32 = 3;

/// A liveness, readiness or startup probe.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    pub handler: Handler,
    pub delay: i32,
    pub timeout: i32,
    pub period: i32,
    pub success: i32,
    pub failure: i32,
}

/// What a probe or a hook does. The checker allows `Grpc` only in probes and `Sleep` only in
/// hooks.
#[derive(Clone, Debug, PartialEq)]
pub enum Handler {
    Exec(Vec<String>),
    Http(HttpGet),
    Tcp {
        port: PortRef,
        host: Option<String>,
    },
    Grpc {
        port: i32,
        service: Option<String>,
    },
    /// Seconds.
    Sleep(i64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct HttpGet {
    pub path: String,
    pub port: PortRef,
    pub https: bool,
    pub host: Option<String>,
    pub headers: Vec<(String, String)>,
}

/// A port by number, or by the name of a port the container declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortRef {
    Number(i32),
    Name(String),
}

/// The probes and hooks of one container.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Health {
    pub liveness: Option<Probe>,
    pub readiness: Option<Probe>,
    pub startup: Option<Probe>,
    pub post_start: Option<Handler>,
    pub pre_stop: Option<Handler>,
}
