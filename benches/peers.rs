//! dsc against its peers, as whole processes: the same generated agents as `dsc` specs, as a
//! Jsonnet program (for jrsonnet) and as Pkl modules, each tool writing one YAML file per
//! DaemonSet into a folder. Timed with hyperfine; a peer that is not installed is skipped with
//! a message. Run with `cargo bench --bench peers`; `JRSONNET` and `PKL` name the binaries when
//! they are not on the PATH (see the README's table for how to install them).
//!
//! The peers get the finished objects as data (what dsc compiles each spec to), so they only
//! evaluate and render; dsc also parses, checks and validates every spec. Cases: one agent, 200
//! agents into a fresh folder (empty, made just before), 200 agents into a folder that is up to
//! date.

use std::path::{Path, PathBuf};
use std::process::Command;

use dsc::diagnostics::LintLevels;
use dsc::source::SourceFile;
use serde_json::Value;

#[path = "fleet/mod.rs"]
mod fleet;

/// A Pkl literal for a JSON value: objects as `Dynamic` entries, arrays as `Listing`s, a
/// member per line.
fn pkl(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            out.push_str("new Dynamic {\n");
            for (key, v) in map {
                out.push('[');
                out.push_str(&pkl_string(key));
                out.push_str("] = ");
                pkl(v, out);
                out.push('\n');
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push_str("new Listing {\n");
            for v in items {
                pkl(v, out);
                out.push('\n');
            }
            out.push('}');
        }
        Value::String(s) => out.push_str(&pkl_string(s)),
        other => out.push_str(&other.to_string()),
    }
}

/// A Pkl string literal: `\"`, `\\`, `\n`, `\r`, `\t`, and `\u{…}` for other control
/// characters (Pkl has neither JSON's `\b`, `\f`, `\uXXXX` nor the spec language's `\0`).
fn pkl_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes `n` agents in each tool's form under `root`: `ds/` specs, `jsonnet/main.jsonnet`
/// and `pkl/main.pkl`, each with what it imports.
fn write_inputs(root: &Path, n: usize) {
    let ds = root.join("ds");
    let jsonnet = root.join("jsonnet");
    let pkl_dir = root.join("pkl");
    for dir in [&ds, &jsonnet, &pkl_dir] {
        std::fs::create_dir_all(dir).expect("an input folder");
    }
    let mut jsonnet_main = String::from("{\n");
    let mut pkl_main = String::from("output {\n  files {\n");
    for (i, (name, text)) in fleet::agents(n).into_iter().enumerate() {
        std::fs::write(ds.join(&name), &text).expect("a spec");
        let compiled = dsc::compile(&SourceFile::new(name, text), &LintLevels::default());
        assert!(!compiled.has_errors(), "the fleet compiles");
        for m in compiled.manifests {
            let json = serde_json::to_string_pretty(&m.object).expect("JSON");
            std::fs::write(jsonnet.join(format!("a{i}.jsonnet")), json).expect("a jsonnet file");
            jsonnet_main.push_str(&format!(
                "  \"{}.yaml\": std.manifestYamlDoc(import \"a{i}.jsonnet\", quote_keys=false),\n",
                m.name
            ));
            let mut module = String::from("object = ");
            pkl(&m.object, &mut module);
            module.push('\n');
            std::fs::write(pkl_dir.join(format!("a{i}.pkl")), module).expect("a pkl file");
            pkl_main.push_str(&format!(
                "    [\"{}.yaml\"] {{ value = import(\"a{i}.pkl\").object; renderer = new YamlRenderer {{}} }}\n",
                m.name
            ));
        }
    }
    jsonnet_main.push_str("}\n");
    pkl_main.push_str("  }\n}\n");
    std::fs::write(jsonnet.join("main.jsonnet"), jsonnet_main).expect("main.jsonnet");
    std::fs::write(pkl_dir.join("main.pkl"), pkl_main).expect("main.pkl");
}

/// A peer's binary: from the environment variable, else the PATH.
fn find(variable: &str, name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable) {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not used here.
    let Some(hyperfine) = find("HYPERFINE", "hyperfine") else {
        println!("peers: hyperfine is not installed; skipped");
        return;
    };
    let dsc = env!("CARGO_BIN_EXE_dsc");
    let jrsonnet = find("JRSONNET", "jrsonnet");
    let pkl_bin = find("PKL", "pkl");
    for (tool, path) in [("jrsonnet", &jrsonnet), ("pkl", &pkl_bin)] {
        if path.is_none() {
            println!(
                "peers: {tool} is not installed; skipped (set {} to its path)",
                tool.to_uppercase()
            );
        }
    }
    let root = tempfile::tempdir().expect("a temporary folder");
    for n in [1, 200] {
        let dir = root.path().join(n.to_string());
        write_inputs(&dir, n);
        let out = dir.join("out");
        let d = dir.display();
        let o = out.display();
        let mut commands = vec![("dsc".to_string(), format!("{dsc} build {d}/ds -o {o}/dsc"))];
        if let Some(j) = &jrsonnet {
            commands.push((
                "jrsonnet".into(),
                format!(
                    "{} -S -m {o}/jrsonnet {d}/jsonnet/main.jsonnet",
                    j.display()
                ),
            ));
        }
        if let Some(p) = &pkl_bin {
            commands.push((
                "pkl".into(),
                format!("{} eval -m {o}/pkl {d}/pkl/main.pkl", p.display()),
            ));
        }
        for fresh in [true, false] {
            if n == 1 && !fresh {
                continue;
            }
            let case = match (n, fresh) {
                (1, _) => "one agent".to_string(),
                (n, true) => format!("{n} agents, fresh folder"),
                (n, false) => format!("{n} agents, folder up to date"),
            };
            println!("\n== {case}");
            let mut cmd = Command::new(&hyperfine);
            cmd.args(["-N", "--warmup", "3", "--runs", "20", "--style", "basic"]);
            // jrsonnet writes only into a folder that exists, so each tool is given an empty
            // one (dsc still makes the namespace folders inside it). A fresh folder's
            // predecessor is moved aside, not deleted: for minutes after many files are
            // deleted, ext4 scans the recently freed inodes at every create, which would time
            // the file system's allocator (the folder goes with the temporary folder at the
            // end).
            let reset = if fresh {
                format!("test ! -d {o} || mv {o} {o}.$(date +%s%N); ")
            } else {
                String::new()
            };
            cmd.args([
                "--prepare",
                &format!("sh -c '{reset}mkdir -p {o}/jrsonnet {o}/dsc'"),
            ]);
            for (name, command) in &commands {
                cmd.args(["-n", name, command]);
            }
            let status = cmd.status().expect("hyperfine runs");
            assert!(status.success(), "every tool ran");
        }
    }
}
