//! The live path end to end: the real kubectl, pointed by a test kubeconfig at a loopback HTTP
//! server in this test that answers like the API server (discovery, GET of a DaemonSet, LIST of
//! a namespace's DaemonSets, 404 and 403 `Status` objects). Skipped, with a note, when kubectl
//! is not installed.

mod support;

use dsc::diff::{diff, read_objects, DiffOptions, Kubectl, LiveError};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

/// What the fake API server knows: responses by URL path, and every path it was asked for.
#[derive(Clone, Default)]
struct Routes {
    responses: Arc<Mutex<HashMap<String, (u16, Value)>>>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Routes {
    fn add(&self, path: &str, code: u16, body: Value) {
        if let Ok(mut map) = self.responses.lock() {
            map.insert(path.to_string(), (code, body));
        }
    }

    fn requested(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    fn answer(&self, path: &str) -> (u16, Value) {
        if let Ok(mut requests) = self.requests.lock() {
            requests.push(path.to_string());
        }
        let known = self
            .responses
            .lock()
            .ok()
            .and_then(|map| map.get(path).cloned());
        known.or_else(|| self.list(path)).unwrap_or_else(|| {
            let name = path.rsplit('/').next().unwrap_or("");
            let kind = if path.contains("/daemonsets/") {
                "daemonsets.apps"
            } else {
                "namespaces"
            };
            (
                404,
                status(404, "NotFound", &format!("{kind} \"{name}\" not found")),
            )
        })
    }
}

impl Routes {
    /// A LIST of the DaemonSets of a namespace, as the API server answers it: a
    /// `DaemonSetList` of every DaemonSet known under the path (empty for a namespace without
    /// any, even one that does not exist), its items without `kind` and `apiVersion`.
    fn list(&self, path: &str) -> Option<(u16, Value)> {
        path.strip_prefix("/apis/apps/v1/namespaces/")?
            .strip_suffix("/daemonsets")?;
        let map = self.responses.lock().ok()?;
        let mut objects: Vec<(&String, &Value)> = map
            .iter()
            .filter(|(p, (code, _))| *code == 200 && p.starts_with(&format!("{path}/")))
            .map(|(p, (_, body))| (p, body))
            .collect();
        objects.sort_by_key(|(p, _)| *p);
        let items: Vec<Value> = objects
            .into_iter()
            .map(|(_, body)| {
                let mut item = body.clone();
                if let Some(fields) = item.as_object_mut() {
                    fields.remove("kind");
                    fields.remove("apiVersion");
                }
                item
            })
            .collect();
        Some((
            200,
            json!({"kind": "DaemonSetList", "apiVersion": "apps/v1",
                "metadata": {"resourceVersion": "7"}, "items": items}),
        ))
    }
}

fn status(code: u16, reason: &str, message: &str) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason, "code": code})
}

/// Discovery documents kubectl reads before it can GET a DaemonSet.
fn with_discovery(routes: &Routes, apps: bool) {
    routes.add(
        "/version",
        200,
        json!({"major": "1", "minor": "32", "gitVersion": "v1.32.0", "platform": "linux/amd64"}),
    );
    routes.add(
        "/api",
        200,
        json!({"kind": "APIVersions", "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}),
    );
    routes.add("/api/v1", 200, json!({"kind": "APIResourceList", "groupVersion": "v1", "resources": [
        {"name": "namespaces", "singularName": "namespace", "namespaced": false, "kind": "Namespace", "verbs": ["get"]}]}));
    let groups = if apps {
        json!([{"name": "apps", "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
            "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}}])
    } else {
        json!([])
    };
    routes.add(
        "/apis",
        200,
        json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}),
    );
    routes.add("/apis/apps/v1", 200, json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "apps/v1",
        "resources": [{"name": "daemonsets", "singularName": "daemonset", "namespaced": true, "kind": "DaemonSet",
            "verbs": ["get", "list"], "shortNames": ["ds"]}]}));
    routes.add(
        "/api/v1/namespaces/logging",
        200,
        json!({"kind": "Namespace", "apiVersion": "v1",
        "metadata": {"name": "logging"}, "status": {"phase": "Active"}}),
    );
}

/// Starts the server on a free loopback port; it lives until the test process ends.
fn serve(routes: Routes) -> u16 {
    let listener = match TcpListener::bind("127.0.0.1:0") {
        Ok(l) => l,
        Err(e) => panic!("cannot listen on loopback: {e}"),
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let routes = routes.clone();
            thread::spawn(move || respond(stream, &routes));
        }
    });
    port
}

fn respond(mut stream: TcpStream, routes: &Routes) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 0) && header != "\r\n" {
        header.clear();
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or(target);
    let (code, body) = routes.answer(path);
    let body = body.to_string();
    let reason = match code {
        200 => "OK",
        403 => "Forbidden",
        _ => "Not Found",
    };
    let head = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body.as_bytes()));
}

/// A kubeconfig and a discovery cache directory that point kubectl at the server.
struct Cluster {
    dir: tempfile::TempDir,
}

impl Cluster {
    fn new(port: u16) -> Cluster {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let config = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: loopback\n  cluster:\n    server: http://127.0.0.1:{port}\n\
             contexts:\n- name: loopback\n  context: {{cluster: loopback, user: tester}}\ncurrent-context: loopback\n\
             users:\n- name: tester\n  user: {{}}\n"
        );
        std::fs::write(dir.path().join("kubeconfig"), config)
            .unwrap_or_else(|e| panic!("kubeconfig: {e}"));
        Cluster { dir }
    }

    fn kubectl(&self) -> Kubectl {
        let cache = self.dir.path().join("cache");
        Kubectl::new("kubectl")
            .kubeconfig(Some(&self.dir.path().join("kubeconfig")))
            .context(Some("loopback"))
            .extra_args([PathBuf::from("--cache-dir"), cache])
    }
}

fn kubectl_installed() -> bool {
    let found = std::process::Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok();
    if !found {
        eprintln!("kubectl is not installed: live tests skipped");
    }
    found
}

fn case(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/diff")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_objects(&text)
        .unwrap_or_else(|e| panic!("{e}"))
        .remove(0)
}

const AGENT: &str = "/apis/apps/v1/namespaces/logging/daemonsets/log-agent";

fn live_options() -> DiffOptions {
    DiffOptions {
        from_label: "live".into(),
        ..DiffOptions::default()
    }
}

#[test]
fn live_object_with_defaults_status_and_managed_fields_has_no_changes() {
    if !kubectl_installed() {
        return;
    }
    let routes = Routes::default();
    with_discovery(&routes, true);
    routes.add(AGENT, 200, case("live-unchanged/old.json"));
    let compiled = case("live-unchanged/new.yaml");
    routes.add(
        "/apis/apps/v1/namespaces/logging/daemonsets/simulated",
        200,
        {
            let mut named = compiled.clone();
            named["metadata"]["name"] = json!("simulated");
            support::as_served(&named)
        },
    );
    let cluster = Cluster::new(serve(routes.clone()));
    let kubectl = cluster.kubectl();

    let live = kubectl
        .fetch("logging", "log-agent")
        .unwrap_or_else(|e| panic!("{e}"));
    let report = diff(live.as_ref(), &compiled, &live_options());
    assert!(!report.has_changes(), "{}", report.render_text(false));
    assert_eq!(
        report.render_text(false),
        "DaemonSet logging/log-agent: no changes (live → compiled)\n"
    );
    assert!(
        routes.requested().iter().any(|p| p == AGENT),
        "{:?}",
        routes.requested()
    );

    let mut renamed = compiled.clone();
    renamed["metadata"]["name"] = json!("simulated");
    let served = kubectl
        .fetch("logging", "simulated")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!diff(served.as_ref(), &renamed, &live_options()).has_changes());
}

#[test]
fn missing_object_is_shown_as_new() {
    if !kubectl_installed() {
        return;
    }
    let routes = Routes::default();
    with_discovery(&routes, true);
    let cluster = Cluster::new(serve(routes));
    let live = cluster
        .kubectl()
        .fetch("logging", "log-agent")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(live, None);
    let report = diff(None, &case("live-unchanged/new.yaml"), &live_options());
    assert!(report.is_new() && report.has_changes());
    assert_eq!(report.rollout.kind(), "create");
    assert!(report
        .render_text(false)
        .starts_with("DaemonSet logging/log-agent: new object, not in live"));
    // A namespace that does not exist yet means the same.
    let cluster_ns = Cluster::new(serve({
        let r = Routes::default();
        with_discovery(&r, true);
        r
    }));
    assert_eq!(
        cluster_ns.kubectl().fetch("not-there", "log-agent"),
        Ok(None)
    );
}

#[test]
fn kubectl_failure_shows_its_stderr() {
    if !kubectl_installed() {
        return;
    }
    let routes = Routes::default();
    with_discovery(&routes, true);
    let denied = "daemonsets.apps \"log-agent\" is forbidden: User \"tester\" cannot get resource \"daemonsets\"";
    routes.add(AGENT, 403, status(403, "Forbidden", denied));
    let cluster = Cluster::new(serve(routes));
    match cluster.kubectl().fetch("logging", "log-agent") {
        Err(err @ LiveError::Failed { .. }) => {
            let text = err.to_string();
            assert!(text.contains("is forbidden"), "{text}");
            assert!(
                text.starts_with("`kubectl` failed with exit code 1"),
                "{text}"
            );
        }
        other => panic!("expected a kubectl failure, got {other:?}"),
    }
}

/// "the server could not find the requested resource" is about the API, not the object: an
/// error, never "does not exist yet".
#[test]
fn server_without_the_apps_api_is_an_error_not_a_new_object() {
    if !kubectl_installed() {
        return;
    }
    let routes = Routes::default();
    with_discovery(&routes, false);
    let cluster = Cluster::new(serve(routes));
    let result = cluster.kubectl().fetch("logging", "log-agent");
    assert!(
        matches!(result, Err(LiveError::Failed { .. })),
        "{result:?}"
    );
}

/// The binary end to end: `dsc diff SPEC --live` against the loopback server.
#[test]
fn dsc_diff_live_exit_codes() {
    if !kubectl_installed() {
        return;
    }
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/fluent-bit.ds");
    let file =
        dsc::source::SourceFile::new("fluent-bit.ds", std::fs::read_to_string(&spec).unwrap());
    let compiled = dsc::compile(&file, &Default::default())
        .manifests
        .remove(0)
        .object;
    let routes = Routes::default();
    with_discovery(&routes, true);
    let path = "/apis/apps/v1/namespaces/logging/daemonsets/fluent-bit";
    routes.add(path, 200, support::as_served(&compiled));
    let cluster = Cluster::new(serve(routes.clone()));
    let run = |spec: &Path| {
        assert_cmd::Command::cargo_bin("dsc")
            .unwrap()
            .arg("diff")
            .arg(spec)
            .arg("--live")
            .arg("--kubeconfig")
            .arg(cluster.dir.path().join("kubeconfig"))
            .args(["--context", "loopback", "--color", "never"])
            .env("HOME", cluster.dir.path())
            .output()
            .unwrap()
    };
    let same = run(&spec);
    assert_eq!(
        same.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&same.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&same.stdout),
        "DaemonSet logging/fluent-bit: no changes (live → compiled)\n"
    );

    let mut changed = support::as_served(&compiled);
    changed["spec"]["template"]["spec"]["containers"][0]["image"] =
        json!("cr-cn-beijing.volces.com/obs/fluent-bit:2.1.0");
    routes.add(path, 200, changed);
    let out = run(&spec);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("containers.fluent-bit.image: cr-cn-beijing.volces.com/obs/fluent-bit:2.1.0 → cr-cn-beijing.volces.com/obs/fluent-bit:2.2.0"), "{text}");
    assert!(
        text.contains("rollout: restarts the pod on every node"),
        "{text}"
    );

    let missing = run(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cello.ds"));
    assert_eq!(
        missing.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}

const LOGGING: &str = "/apis/apps/v1/namespaces/logging/daemonsets";

/// `get daemonsets` asks for the namespace's list once; its items come back as DaemonSets,
/// and a namespace the server says does not exist holds none.
#[test]
fn a_namespace_is_listed_in_one_request() {
    if !kubectl_installed() {
        return;
    }
    let routes = Routes::default();
    with_discovery(&routes, true);
    let compiled = case("live-unchanged/new.yaml");
    routes.add(AGENT, 200, case("live-unchanged/old.json"));
    let mut other = compiled.clone();
    other["metadata"]["name"] = json!("other");
    routes.add(&format!("{LOGGING}/other"), 200, support::as_served(&other));
    let gone = "/apis/apps/v1/namespaces/gone/daemonsets";
    routes.add(
        gone,
        404,
        status(404, "NotFound", "namespaces \"gone\" not found"),
    );
    let cluster = Cluster::new(serve(routes.clone()));
    let kubectl = cluster.kubectl();

    let listed = kubectl
        .fetch_namespace("logging")
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = listed
        .iter()
        .map(|o| o["metadata"]["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["log-agent", "other"]);
    assert!(
        listed.iter().all(|o| o["kind"] == "DaemonSet"),
        "{listed:?}"
    );
    let agent = listed.iter().find(|o| o["metadata"]["name"] == "log-agent");
    assert!(!diff(agent, &compiled, &live_options()).has_changes());
    let requested = routes.requested();
    assert_eq!(
        requested.iter().filter(|p| p.starts_with(LOGGING)).count(),
        1,
        "{requested:?}"
    );
    assert!(requested.iter().any(|p| p == LOGGING), "{requested:?}");

    assert_eq!(kubectl.fetch_namespace("gone"), Ok(Vec::new()));
    // A namespace without DaemonSets, as the server answers it: an empty list.
    assert_eq!(kubectl.fetch_namespace("empty"), Ok(Vec::new()));
}

#[test]
fn a_forbidden_list_is_an_error() {
    if !kubectl_installed() {
        return;
    }
    let routes = Routes::default();
    with_discovery(&routes, true);
    let denied = "daemonsets.apps is forbidden: User \"tester\" cannot list resource \"daemonsets\" in the namespace \"logging\"";
    routes.add(LOGGING, 403, status(403, "Forbidden", denied));
    let cluster = Cluster::new(serve(routes));
    match cluster.kubectl().fetch_namespace("logging") {
        Err(err @ LiveError::Failed { .. }) => {
            assert!(err.to_string().contains("is forbidden"), "{err}");
        }
        other => panic!("expected a kubectl failure, got {other:?}"),
    }
}

/// The binary over a directory of specs: one request per namespace, never one per object.
#[test]
fn dsc_diff_live_lists_each_namespace_once() {
    if !kubectl_installed() {
        return;
    }
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/fluent-bit.ds"),
    )
    .unwrap();
    let specs = tempfile::tempdir().unwrap();
    let renamed = |name: &str, namespace: &str| {
        text.replace(
            "daemonset fluent-bit in logging",
            &format!("daemonset {name} in {namespace}"),
        )
    };
    std::fs::write(specs.path().join("a.ds"), renamed("fluent-bit", "logging")).unwrap();
    std::fs::write(specs.path().join("b.ds"), renamed("second", "logging")).unwrap();
    std::fs::write(specs.path().join("c.ds"), renamed("third", "gone")).unwrap();
    let routes = Routes::default();
    with_discovery(&routes, true);
    let compile = |spec: &str| {
        let file = dsc::source::SourceFile::new("x.ds", spec.to_string());
        dsc::compile(&file, &Default::default())
            .manifests
            .remove(0)
            .object
    };
    routes.add(
        &format!("{LOGGING}/fluent-bit"),
        200,
        support::as_served(&compile(&renamed("fluent-bit", "logging"))),
    );
    let mut changed = support::as_served(&compile(&renamed("second", "logging")));
    changed["spec"]["template"]["spec"]["containers"][0]["image"] =
        json!("cr-cn-beijing.volces.com/obs/fluent-bit:2.1.0");
    routes.add(&format!("{LOGGING}/second"), 200, changed);
    routes.add(
        "/apis/apps/v1/namespaces/gone/daemonsets",
        404,
        status(404, "NotFound", "namespaces \"gone\" not found"),
    );
    let cluster = Cluster::new(serve(routes.clone()));
    let out = assert_cmd::Command::cargo_bin("dsc")
        .unwrap()
        .arg("diff")
        .arg(specs.path())
        .arg("--live")
        .arg("--kubeconfig")
        .arg(cluster.dir.path().join("kubeconfig"))
        .args(["--context", "loopback", "--color", "never"])
        .env("HOME", cluster.dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let heads: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("DaemonSet "))
        .collect();
    assert_eq!(
        heads,
        [
            "DaemonSet logging/fluent-bit: no changes (live → compiled)",
            "DaemonSet logging/second: 1 change (live → compiled)",
            "DaemonSet gone/third: new object, not in live (live → compiled)",
        ],
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "\n3 daemonsets: 1 changed (restarts pods on every node), 1 new, 1 unchanged\n"
        ),
        "{stdout}"
    );
    let daemonsets: Vec<String> = routes
        .requested()
        .into_iter()
        .filter(|p| p.contains("/daemonsets"))
        .collect();
    assert_eq!(
        daemonsets,
        [
            "/apis/apps/v1/namespaces/gone/daemonsets",
            "/apis/apps/v1/namespaces/logging/daemonsets"
        ]
    );
}
