//! `dsc lsp` driven over stdio as an editor would: initialize, open, edits that pass through
//! unclosed braces and strings, diagnostics after each, hover, completion in each kind of block,
//! definition, formatting, a quick fix, positions in UTF-16 on non-ASCII and CRLF text, then
//! shutdown and exit.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for a response.
    notes: Vec<Value>,
    /// The document the session edits.
    uri: String,
}

const URI: &str = "file:///repo/agents/agent.ds";

impl Server {
    fn start() -> Server {
        Server::start_with(URI)
    }

    /// A session on the document at `uri`.
    fn start_with(uri: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dsc"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut server = Server {
            child,
            stdin,
            messages,
            next_id: 0,
            notes: Vec::new(),
            uri: uri.to_string(),
        };
        let caps = server.request("initialize", json!({ "capabilities": {} }));
        assert_eq!(caps["capabilities"]["textDocumentSync"], 1, "{caps}");
        assert_eq!(caps["capabilities"]["hoverProvider"], true);
        server.notify("initialized", json!({}));
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(20))
            .expect("the server answers within 20 s")
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The whole response (result or error).
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message["id"] == id {
                return message;
            }
            self.notes.push(message);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response["error"].is_null(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next diagnostics published for the document.
    fn diagnostics(&mut self) -> Vec<Value> {
        let published = loop {
            if let Some(i) = self
                .notes
                .iter()
                .position(|n| n["method"] == "textDocument/publishDiagnostics")
            {
                break self.notes.remove(i);
            }
            let message = self.receive();
            self.notes.push(message);
        };
        assert_eq!(published["params"]["uri"], self.uri.as_str());
        published["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .clone()
    }

    fn open(&mut self, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": self.uri, "languageId": "ds", "version": 1, "text": text } }),
        );
        self.diagnostics()
    }

    fn change(&mut self, version: i64, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": self.uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
        self.diagnostics()
    }

    fn at(&self, line: u32, character: u32) -> Value {
        json!({ "textDocument": { "uri": self.uri }, "position": { "line": line, "character": character } })
    }

    fn stop(mut self) {
        let result = self.call("shutdown", Value::Null);
        assert!(
            result["error"].is_null() && result["result"].is_null(),
            "{result}"
        );
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert_eq!(status.code(), Some(0));
    }
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

const SPEC: &str = "daemonset agent in monitoring {
  volume logs host /var/log
  container agent {
    image registry.example.com/agent:1.0
    memory 64Mi..128Mi
    port metrics 9100
    mount logs at /var/log
    readiness http metrics /healthz
  }
}
";

#[test]
fn a_session_of_edits_hover_completion_definition_formatting_and_a_fix() {
    let mut server = Server::start();
    assert_eq!(codes(&server.open(SPEC)), Vec::<String>::new());

    // Typing a spec from the start: open braces, an open string, then the finished text.
    let steps = [
        "daemonset agent in monitoring {\n",
        "daemonset agent in monitoring {\n  container agent {\n",
        "daemonset agent in monitoring {\n  container agent {\n    image \"registry.example.com/agent:1.0\n",
        "daemonset agent in monitoring {\n  container agent {\n    image registry.example.com/agent:1.0\n  }\n",
    ];
    for (i, text) in steps.iter().enumerate() {
        let found = server.change(i as i64 + 2, text);
        assert!(!found.is_empty(), "step {i} has findings");
        assert!(found.iter().all(|d| d["severity"] == 1), "{found:?}");
    }
    let unclosed = server.change(10, steps[1]);
    assert!(
        codes(&unclosed).contains(&"DS0103".to_string()),
        "{unclosed:?}"
    );
    assert!(server.change(11, SPEC).is_empty());

    // Hover: a keyword's usage and meaning; a value's field.
    let hover = server.request("textDocument/hover", server.at(4, 5));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("memory REQUEST"), "{shown}");
    assert_eq!(
        hover["range"]["start"],
        json!({ "line": 4, "character": 4 })
    );
    let hover = server.request("textDocument/hover", server.at(3, 12));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("spec.template.spec.containers[0].image"),
        "{shown}"
    );

    // Completion in each kind of block.
    let labels = |server: &mut Server, text: &str, line: u32, character: u32| -> Vec<String> {
        server.change(20, text);
        let items = server.request("textDocument/completion", server.at(line, character));
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let top = labels(&mut server, "\n", 0, 0);
    assert!(top.contains(&"daemonset".to_string()));
    let pod = labels(&mut server, "daemonset a {\n  \n}\n", 1, 2);
    assert!(pod.contains(&"tolerate".to_string()) && !pod.contains(&"image".to_string()));
    let container = labels(&mut server, "daemonset a {\n  container b {\n    \n", 2, 4);
    assert!(container.contains(&"image".to_string()));
    let dns = labels(
        &mut server,
        "daemonset a {\n  dns none {\n    \n  }\n}\n",
        2,
        4,
    );
    assert!(dns.contains(&"nameservers".to_string()));
    let pull = labels(
        &mut server,
        "daemonset a {\n  container b {\n    pull \n  }\n}\n",
        2,
        9,
    );
    assert!(pull.contains(&"if-not-present".to_string()));
    let mount = labels(
        &mut server,
        &SPEC.replace("mount logs at /var/log", "mount "),
        6,
        10,
    );
    assert!(mount.contains(&"logs".to_string()), "{mount:?}");

    // Definition: from the mount to its volume, from the probe's port to the port.
    server.change(30, SPEC);
    let target = server.request("textDocument/definition", server.at(6, 11));
    assert_eq!(target["uri"], URI);
    assert_eq!(
        target["range"]["start"],
        json!({ "line": 1, "character": 9 })
    );
    let target = server.request("textDocument/definition", server.at(7, 21));
    assert_eq!(
        target["range"]["start"],
        json!({ "line": 5, "character": 9 })
    );

    // Formatting: the whole document in fmt's layout.
    server.change(31, "daemonset a {\nhost-network\n}");
    let edits = server.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits[0]["newText"], "daemonset a {\n  host-network\n}\n");

    // A quick fix, on a line with non-ASCII text before the mistake, in a CRLF file: the
    // columns are UTF-16 units (`é` is one, `𝄞` two).
    let crlf =
        "daemonset a in b {\r\n  container c {\r\n    env X=\"é𝄞\"; imagee r/c:1\r\n  }\r\n}\r\n";
    let found = server.change(32, crlf);
    let misspelled = found
        .iter()
        .find(|d| d["code"] == "DS0201")
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(
        misspelled["range"],
        json!({ "start": { "line": 2, "character": 17 }, "end": { "line": 2, "character": 23 } })
    );
    let actions = server.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": URI },
            "range": misspelled["range"],
            "context": { "diagnostics": [misspelled] },
        }),
    );
    let change = &actions[0]["edit"]["documentChanges"][0];
    assert_eq!(change["textDocument"]["uri"], URI);
    let edit = &change["edits"][0];
    assert_eq!(edit["newText"], "image");
    assert_eq!(edit["range"], misspelled["range"]);

    server.stop();
}

#[test]
fn a_saved_document_reads_its_libraries() {
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::create_dir_all(root.join("lib")).unwrap();
    std::fs::create_dir_all(root.join("my agents")).unwrap();
    std::fs::write(root.join("lib/base.ds"), "param tag = 1.0\n").unwrap();
    // A space in the folder: the URI escapes it as `%20`.
    let path = root.join("my agents/agent.ds");
    let uri = format!("file://{}", path.display()).replace(' ', "%20");
    let mut server = Server::start_with(&uri);
    let spec = SPEC.replace("agent:1.0", "agent:${tag}");
    let with_use = format!("use ../lib/base.ds\n{spec}");
    assert_eq!(codes(&server.open(&with_use)), Vec::<String>::new());
    // Without the `use`, the parameter is unknown.
    assert_eq!(codes(&server.change(2, &spec)), ["DS0107"]);
    server.stop();
}

#[test]
fn a_mistake_in_a_library_block_sits_on_the_from_name_and_points_at_the_library() {
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::create_dir_all(root.join("lib")).unwrap();
    std::fs::create_dir_all(root.join("agents")).unwrap();
    std::fs::write(
        root.join("lib/base.ds"),
        "defaults base {\n  priorty high\n}\n",
    )
    .unwrap();
    let uri = format!("file://{}", root.join("agents/agent.ds").display());
    let mut server = Server::start_with(&uri);
    let spec = SPEC.replace("monitoring {", "monitoring from base {");
    let found = server.open(&format!("use ../lib/base.ds\n{spec}"));
    assert_eq!(codes(&found), ["DS0201"]);
    let d = &found[0];
    // On the `from` name (line 1 of the document), with the library's line as related.
    assert_eq!(d["range"]["start"]["line"], 1, "{d}");
    let related = d["relatedInformation"].as_array().unwrap();
    assert!(related.iter().all(|r| r["location"]["uri"] != uri), "{d}");
    assert!(
        d["message"].as_str().unwrap().contains("base.ds:2:3"),
        "{d}"
    );
    server.stop();
}

#[test]
fn bad_requests_get_errors_and_the_server_goes_on() {
    let mut server = Server::start();
    let unopened = server.call("textDocument/hover", server.at(0, 0));
    assert_eq!(unopened["error"]["code"], -32602, "{unopened}");
    let unknown = server.call("dsc/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    // Positions past the end of a line or of the file are clamped, not a crash.
    server.open("daemonset a {\n");
    let far = server.call("textDocument/hover", server.at(99, 99));
    assert!(far["error"].is_null(), "{far}");
    let far = server.call("textDocument/completion", server.at(0, 999));
    assert!(far["error"].is_null(), "{far}");
    server.stop();
}
