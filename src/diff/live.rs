//! Fetching live DaemonSets through kubectl.
//!
//! Input: a namespace (and a name, for one object), and how to reach the cluster (kubectl
//! program, context, kubeconfig). Output: the live object as a JSON value, `None` when the
//! cluster has no such DaemonSet (the diff then shows the object as new), or every DaemonSet of
//! the namespace in one call (none when the namespace does not exist); or a [`LiveError`] saying
//! what went wrong. kubectl runs without a shell, its arguments passed as a list, with stdin
//! closed so that no credential prompt can hang the diff.

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
        self.with_cluster(vec![
            "get".into(),
            "daemonset".into(),
            name.into(),
            flag("--namespace", namespace),
            "--output=json".into(),
        ])
    }

    /// The argument list for a LIST of every DaemonSet in a namespace, its values joined to
    /// their flags as in [`Kubectl::args`].
    pub fn list_args(&self, namespace: &str) -> Vec<OsString> {
        self.with_cluster(vec![
            "get".into(),
            "daemonsets".into(),
            flag("--namespace", namespace),
            "--output=json".into(),
        ])
    }

    /// `args` followed by the context, the kubeconfig and the extra arguments.
    fn with_cluster(&self, mut args: Vec<OsString>) -> Vec<OsString> {
        if let Some(context) = &self.context {
            args.push(flag("--context", context));
        }
        if let Some(kubeconfig) = &self.kubeconfig {
            args.push(flag("--kubeconfig", kubeconfig));
        }
        args.extend(self.extra_args.iter().cloned());
        args
    }

    /// Runs kubectl with `args`: its JSON output, or `None` when it failed with a stderr that
    /// `not_found` says means "does not exist".
    fn run(
        &self,
        args: Vec<OsString>,
        not_found: impl Fn(&str) -> bool,
    ) -> Result<Option<Value>, LiveError> {
        let program = self.program.to_string_lossy().into_owned();
        let output = Command::new(&self.program)
            .args(args)
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
            if not_found(&stderr) {
                return Ok(None);
            }
            return Err(LiveError::Failed {
                program,
                code: output.status.code(),
                stderr,
            });
        }
        serde_json::from_slice(&output.stdout)
            .map(Some)
            .map_err(|e| LiveError::BadOutput {
                message: format!("kubectl printed no JSON object: {e}"),
            })
    }

    /// The live DaemonSet, or `None` when the cluster has none by that name.
    pub fn fetch(&self, namespace: &str, name: &str) -> Result<Option<Value>, LiveError> {
        let args = self.args(namespace, name);
        let Some(live) = self.run(args, |e| is_object_not_found(e, namespace, name))? else {
            return Ok(None);
        };
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

    /// Every DaemonSet of `namespace`, in one call (`kubectl get daemonsets`); none when the
    /// namespace does not exist, so every DaemonSet meant for it is new.
    pub fn fetch_namespace(&self, namespace: &str) -> Result<Vec<Value>, LiveError> {
        let args = self.list_args(namespace);
        let Some(list) = self.run(args, |e| is_namespace_not_found(e, namespace))? else {
            return Ok(Vec::new());
        };
        daemonsets_of_list(list)
    }
}

/// The items of the `List` kubectl prints for `get daemonsets`, each a DaemonSet. An item
/// without `kind` (the API server leaves it out of list items) is given the DaemonSet's.
fn daemonsets_of_list(list: Value) -> Result<Vec<Value>, LiveError> {
    let kind = list["kind"].as_str().unwrap_or("").to_string();
    let Value::Object(mut list) = list else {
        return Err(LiveError::BadOutput {
            message: "expected a List of DaemonSets, kubectl printed no JSON object".to_string(),
        });
    };
    let items = match list.remove("items") {
        Some(Value::Array(items)) if kind.ends_with("List") => items,
        Some(Value::Null) | None if kind.ends_with("List") => Vec::new(),
        _ => {
            return Err(LiveError::BadOutput {
                message: format!(
                    "expected a List of DaemonSets, kubectl returned kind {}",
                    list.get("kind").unwrap_or(&Value::Null)
                ),
            })
        }
    };
    items
        .into_iter()
        .map(|mut item| {
            if let Value::Object(fields) = &mut item {
                if !fields.contains_key("kind") {
                    fields.insert("apiVersion".into(), Value::from("apps/v1"));
                    fields.insert("kind".into(), Value::from("DaemonSet"));
                }
            }
            if item["kind"] == "DaemonSet" {
                Ok(item)
            } else {
                Err(LiveError::BadOutput {
                    message: format!("expected DaemonSets, kubectl listed kind {}", item["kind"]),
                })
            }
        })
        .collect()
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
    stderr
        .lines()
        .any(|line| line.contains("(NotFound)") && line.contains(&format!("\"{name}\" not found")))
        || is_namespace_not_found(stderr, namespace)
}

/// Whether kubectl's stderr says the namespace does not exist (and nothing else).
fn is_namespace_not_found(stderr: &str, namespace: &str) -> bool {
    stderr.lines().any(|line| {
        line.contains("(NotFound)")
            && line.contains(&format!("namespaces \"{namespace}\" not found"))
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

    /// The arguments as text, to compare with string literals.
    fn texts(args: &[OsString]) -> Vec<String> {
        args.iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn arguments_are_a_list() {
        let args = Kubectl::new("kubectl")
            .context(Some("prod"))
            .kubeconfig(Some(Path::new("k.yaml")))
            .args("kube-system", "agent; rm -rf /");
        assert_eq!(
            texts(&args),
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
        let args = texts(&args);
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
    fn a_namespace_is_listed_with_its_values_joined_to_flags() {
        let args = Kubectl::new("kubectl")
            .context(Some("-x"))
            .kubeconfig(Some(Path::new("k.yaml")))
            .list_args("-n");
        assert_eq!(
            texts(&args),
            [
                "get",
                "daemonsets",
                "--namespace=-n",
                "--output=json",
                "--context=-x",
                "--kubeconfig=k.yaml"
            ]
        );
    }

    #[test]
    fn a_missing_namespace_is_not_a_missing_api() {
        let namespace = "Error from server (NotFound): namespaces \"ns\" not found";
        let other = "Error from server (NotFound): namespaces \"other\" not found";
        let api = "Error from server (NotFound): the server could not find the requested resource";
        assert!(is_namespace_not_found(namespace, "ns"));
        assert!(!is_namespace_not_found(other, "ns"));
        assert!(!is_namespace_not_found(api, "ns"));
    }

    #[test]
    fn list_items_are_daemonsets() {
        let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "a"}},
            {"metadata": {"name": "b"}}
        ]});
        let items = daemonsets_of_list(list).unwrap_or_default();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1]["kind"], "DaemonSet");
        assert_eq!(
            daemonsets_of_list(serde_json::json!({"kind": "List"})),
            Ok(Vec::new())
        );
        let pods = serde_json::json!({"kind": "List", "items": [{"kind": "Pod"}]});
        assert!(matches!(
            daemonsets_of_list(pods),
            Err(LiveError::BadOutput { .. })
        ));
        let one = serde_json::json!({"kind": "DaemonSet", "items": []});
        assert!(matches!(
            daemonsets_of_list(one),
            Err(LiveError::BadOutput { .. })
        ));
        assert!(matches!(
            daemonsets_of_list(serde_json::json!([1])),
            Err(LiveError::BadOutput { .. })
        ));
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
