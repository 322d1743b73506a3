//! Fetching the live DaemonSet through kubectl.
//!
//! Input: a namespace and name, and how to reach the cluster (kubectl program, context,
//! kubeconfig). Output: the live object as a JSON value, `None` when the cluster has no such
//! DaemonSet (the diff then shows the object as new), or a [`LiveError`] saying what went wrong.
//! kubectl runs without a shell, its arguments passed as a list, with stdin closed so that no
//! credential prompt can hang the diff.

use serde_json::Value;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The environment variable that names another kubectl program (tests, wrappers).
pub const KUBECTL_ENV: &str = "DSC_KUBECTL";

/// How to run kubectl.
#[derive(Debug, Clone)]
pub struct Kubectl {
    program: OsString,
    context: Option<String>,
    kubeconfig: Option<PathBuf>,
    extra_args: Vec<OsString>,
}

impl Kubectl {
    /// Runs `program` (a name looked up on `PATH`, or a path).
    pub fn new(program: impl Into<OsString>) -> Kubectl {
        Kubectl {
            program: program.into(),
            context: None,
            kubeconfig: None,
            extra_args: Vec::new(),
        }
    }

    /// Runs the program named by `DSC_KUBECTL`, or `kubectl`.
    pub fn from_env() -> Kubectl {
        Kubectl::new(std::env::var_os(KUBECTL_ENV).unwrap_or_else(|| OsString::from("kubectl")))
    }

    /// Uses this kubeconfig context (`--context`).
    pub fn context(mut self, context: Option<&str>) -> Kubectl {
        self.context = context.map(str::to_string);
        self
    }

    /// Uses this kubeconfig file (`--kubeconfig`).
    pub fn kubeconfig(mut self, kubeconfig: Option<&Path>) -> Kubectl {
        self.kubeconfig = kubeconfig.map(Path::to_path_buf);
        self
    }

    /// Appends arguments after the generated ones (`--request-timeout=10s`, `--cache-dir=…`).
    pub fn extra_args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, args: I) -> Kubectl {
        self.extra_args
            .extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    /// The argument list for a GET of one DaemonSet. Every value is joined to its flag
    /// (`--context=VALUE`), so a value that starts with `-` cannot be read as another flag.
    pub fn args(&self, namespace: &str, name: &str) -> Vec<OsString> {
        let mut args: Vec<OsString> = vec![
            "get".into(),
            "daemonset".into(),
            name.into(),
            flag("--namespace", namespace),
            "--output=json".into(),
        ];
        if let Some(context) = &self.context {
            args.push(flag("--context", context));
        }
        if let Some(kubeconfig) = &self.kubeconfig {
            args.push(flag("--kubeconfig", kubeconfig));
        }
        args.extend(self.extra_args.iter().cloned());
        args
    }

    /// The live DaemonSet, or `None` when the cluster has none by that name.
    pub fn fetch(&self, namespace: &str, name: &str) -> Result<Option<Value>, LiveError> {
        let program = self.program.to_string_lossy().into_owned();
        let output = Command::new(&self.program)
            .args(self.args(namespace, name))
            .stdin(Stdio::null())
            .output()
            .map_err(|e| match e.kind() {
                ErrorKind::NotFound => LiveError::NotInstalled {
                    program: program.clone(),
                },
                _ => LiveError::Spawn {
                    program: program.clone(),
                    message: e.to_string(),
                },
            })?;
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
        if !output.status.success() {
            if is_object_not_found(&stderr, namespace, name) {
                return Ok(None);
            }
            return Err(LiveError::Failed {
                program,
                code: output.status.code(),
                stderr,
            });
        }
        let live: Value =
            serde_json::from_slice(&output.stdout).map_err(|e| LiveError::BadOutput {
                message: format!("kubectl printed no JSON object: {e}"),
            })?;
        if live["kind"] != "DaemonSet" {
            return Err(LiveError::BadOutput {
                message: format!(
                    "expected a DaemonSet, kubectl returned kind {}",
                    live["kind"]
                ),
            });
        }
        Ok(Some(live))
    }
}

/// `--flag=value` as one argument.
fn flag(name: &str, value: impl AsRef<OsStr>) -> OsString {
    let mut arg = OsString::from(name);
    arg.push("=");
    arg.push(value);
    arg
}

/// The live DaemonSet through `kubectl`, or `None` when it does not exist yet.
pub fn fetch_live(
    kubectl: &str,
    namespace: &str,
    name: &str,
    context: Option<&str>,
    kubeconfig: Option<&Path>,
) -> Result<Option<Value>, LiveError> {
    Kubectl::new(kubectl)
        .context(context)
        .kubeconfig(kubeconfig)
        .fetch(namespace, name)
}

/// Whether kubectl's stderr says the DaemonSet (or its namespace) does not exist. A bare
/// "the server could not find the requested resource" is not enough: kubectl prints that too
/// when the server lacks the API itself.
fn is_object_not_found(stderr: &str, namespace: &str, name: &str) -> bool {
    stderr.lines().any(|line| {
        line.contains("(NotFound)")
            && (line.contains(&format!("\"{name}\" not found"))
                || line.contains(&format!("namespaces \"{namespace}\" not found")))
    })
}

/// Why the live object could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveError {
    /// The kubectl program is not on `PATH` (or the given path does not exist).
    NotInstalled {
        /// The program that was looked for.
        program: String,
    },
    /// The program exists but could not be started.
    Spawn {
        /// The program.
        program: String,
        /// The operating system's message.
        message: String,
    },
    /// kubectl ran and failed.
    Failed {
        /// The program.
        program: String,
        /// Its exit code, if it exited.
        code: Option<i32>,
        /// What it printed on stderr.
        stderr: String,
    },
    /// kubectl succeeded but printed something else than a DaemonSet.
    BadOutput {
        /// What was wrong.
        message: String,
    },
}

impl fmt::Display for LiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiveError::NotInstalled { program } => write!(
                f,
                "cannot run `{program}`: not found; install kubectl, or set {KUBECTL_ENV} to its path"
            ),
            LiveError::Spawn { program, message } => write!(f, "cannot run `{program}`: {message}"),
            LiveError::Failed { program, code, stderr } => {
                match code {
                    Some(code) => write!(f, "`{program}` failed with exit code {code}")?,
                    None => write!(f, "`{program}` was killed by a signal")?,
                }
                if stderr.is_empty() {
                    Ok(())
                } else {
                    write!(f, ":\n{stderr}")
                }
            }
            LiveError::BadOutput { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for LiveError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_a_list() {
        let args = Kubectl::new("kubectl")
            .context(Some("prod"))
            .kubeconfig(Some(Path::new("k.yaml")))
            .args("kube-system", "agent; rm -rf /");
        let args: Vec<String> = args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            args,
            [
                "get",
                "daemonset",
                "agent; rm -rf /",
                "--namespace=kube-system",
                "--output=json",
                "--context=prod",
                "--kubeconfig=k.yaml"
            ]
        );
    }

    #[test]
    fn values_that_look_like_flags_stay_values() {
        let args = Kubectl::new("kubectl")
            .context(Some("--kubeconfig=/etc/other"))
            .kubeconfig(Some(Path::new("-k")))
            .args("-n", "agent");
        let args: Vec<String> = args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert!(
            args.contains(&"--context=--kubeconfig=/etc/other".to_string()),
            "{args:?}"
        );
        assert!(args.contains(&"--kubeconfig=-k".to_string()), "{args:?}");
        assert!(args.contains(&"--namespace=-n".to_string()), "{args:?}");
        assert!(
            !args
                .iter()
                .any(|a| a == "--kubeconfig=/etc/other" || a == "-k"),
            "{args:?}"
        );
    }

    #[test]
    fn missing_program_is_a_clear_error() {
        let err = Kubectl::new("dsc-test-no-such-kubectl").fetch("ns", "x");
        assert_eq!(
            err,
            Err(LiveError::NotInstalled {
                program: "dsc-test-no-such-kubectl".to_string()
            })
        );
        let text = err.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(text.contains("DSC_KUBECTL"), "{text}");
    }

    #[test]
    fn not_found_means_the_object_not_the_api() {
        let object = "Error from server (NotFound): daemonsets.apps \"agent\" not found";
        let namespace = "Error from server (NotFound): namespaces \"ns\" not found";
        let api = "Error from server (NotFound): the server could not find the requested resource";
        assert!(is_object_not_found(object, "ns", "agent"));
        assert!(is_object_not_found(namespace, "ns", "agent"));
        assert!(!is_object_not_found(api, "ns", "agent"));
    }

    #[test]
    fn failing_program_shows_its_stderr() {
        // `false` stands in for a kubectl that exits 1 without output.
        let err = Kubectl::new("false").fetch("ns", "x");
        assert!(
            matches!(err, Err(LiveError::Failed { code: Some(1), .. })),
            "{err:?}"
        );
    }
}
