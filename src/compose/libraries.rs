//! Libraries: `use PATH` at the top of a file takes the parameters and defaults blocks of
//! another `.ds` file. The path is relative to the file that writes it, ends in `.ds` and
//! resolves, links followed, inside the repository: the nearest folder above the compiled spec
//! that holds the root file `dsc.ds` or `.git`, or the spec's own folder outside a repository. No absolute path, URL
//! or way out; a cycle is an error that shows the whole chain; a file reached twice (a diamond,
//! or two spellings of one path) is one library.
//!
//! [`Libraries`] is shared by every spec of a run: each file is read and checked once, and its
//! own findings are reported once ([`Libraries::reports`]), whoever uses it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::environments::ROOT_FILE;
use super::params::{declare, Definitions, Param};
use crate::diagnostics::{Diagnostic, Elsewhere};
use crate::source::{SourceFile, Span, LIBRARY_BASE, MAX_SPEC_BYTES};
use crate::syntax::{ArgKind, Ast, Statement};

/// How deep `use` may nest.
const MAX_DEPTH: usize = 16;

/// The libraries of one run, by canonical path.
#[derive(Debug)]
pub struct Libraries {
    definitions: Definitions,
    loaded: Mutex<BTreeMap<PathBuf, Arc<Library>>>,
    /// Where the next library read starts in the span space.
    next_base: AtomicUsize,
    /// What the file system said, once per run: a spec's folder with links followed, a
    /// folder's repository root, and where a `use` path from a folder leads. A run of many
    /// specs in few folders asks once per folder instead of once per spec.
    cache: Mutex<Cache>,
}

#[derive(Debug, Default)]
struct Cache {
    folders: HashMap<PathBuf, Option<PathBuf>>,
    roots: HashMap<PathBuf, PathBuf>,
    targets: HashMap<(PathBuf, PathBuf, String), Result<PathBuf, String>>,
    /// The environments each root declares (none without a root file).
    environments: HashMap<PathBuf, Vec<String>>,
}

impl Default for Libraries {
    fn default() -> Self {
        Libraries::new(Definitions::default())
    }
}

/// One library file, read and checked.
#[derive(Debug)]
pub struct Library {
    pub file: Arc<SourceFile>,
    /// Its canonical path.
    pub path: PathBuf,
    /// Where its text starts in the run's span space.
    base: usize,
    pub params: Vec<Param>,
    /// Its `defaults` statements, spans moved to `base`.
    pub defaults: Vec<Statement>,
    /// The environments it declares (`environments NAME ...`, in the repository's root file).
    pub environments: Vec<String>,
    /// Its own `use` statements: the path as written and where.
    uses: Vec<(String, Span)>,
    /// Its own findings (bad declarations, what a library may not hold); a `use` of it that
    /// fails is reported in the file that has it.
    diagnostics: Mutex<Vec<Diagnostic>>,
}

/// One walk of the `use` statements of a spec.
struct Visit<'a> {
    root: &'a Path,
    /// The files from the spec to the one being visited, to find cycles.
    chain: &'a mut Vec<PathBuf>,
    /// Every library reached, with the spec's `use` that led to it.
    found: &'a mut BTreeMap<PathBuf, (Arc<Library>, Span)>,
    via: Span,
}

/// A parameter of a library, with where it is declared (`lib/x.ds:3:7`) for messages.
#[derive(Clone, Debug)]
pub struct Borrowed {
    pub param: Param,
    pub origin: String,
}

impl Libraries {
    /// The parameters set on the command line, which libraries' parameters take too.
    pub fn definitions(&self) -> &Definitions {
        &self.definitions
    }

    pub fn new(definitions: Definitions) -> Libraries {
        Libraries {
            definitions,
            loaded: Mutex::new(BTreeMap::new()),
            next_base: AtomicUsize::new(LIBRARY_BASE),
            cache: Mutex::new(Cache::default()),
        }
    }

    /// The libraries that the `use` statements of `ast` (the spec at `path`, or `None` for
    /// text without a file: stdin, read from the current folder) bring in, through every
    /// library they use in turn, each once, in path order, with the spec's `use` that led to
    /// it; problems with a `use` of the spec are pushed to `diags`.
    pub fn used_by(
        &self,
        path: Option<&Path>,
        ast: &Ast,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(Arc<Library>, Span)> {
        let uses = uses_of(ast, diags);
        if uses.is_empty() {
            return Vec::new();
        }
        let Some(here) = self.located(path) else {
            for (text, span) in &uses {
                diags.push(bad_use(
                    *span,
                    text,
                    "has no folder to start from: this file's folder cannot be read".into(),
                ));
            }
            return Vec::new();
        };
        let root = self.root_of(&here);
        let mut found: BTreeMap<PathBuf, (Arc<Library>, Span)> = BTreeMap::new();
        let mut chain = vec![here.clone()];
        for (text, span) in &uses {
            let mut visit = Visit {
                root: &root,
                chain: &mut chain,
                found: &mut found,
                via: *span,
            };
            self.visit(&mut visit, &here, text, *span, &mut |d| diags.push(d));
        }
        // Each library once, in path order: the same set whatever the order of `use` lines.
        found.into_values().collect()
    }

    /// The parameters of `found` (see [`Libraries::used_by`]); one declared by two libraries
    /// is pushed to `diags`.
    pub fn params_of(found: &[(Arc<Library>, Span)], diags: &mut Vec<Diagnostic>) -> Vec<Borrowed> {
        let mut params: Vec<Borrowed> = Vec::new();
        for (library, via) in found {
            for p in &library.params {
                if let Some(first) = params.iter().find(|b| b.param.name == p.name) {
                    let origin = origin(&library.file, p.span);
                    let span = *via;
                    diags.push(
                        Diagnostic::error(
                            "DS0108",
                            format!(
                                "parameter `{}` is declared by two libraries: {} and {origin}",
                                p.name, first.origin
                            ),
                        )
                        .at(span, "brought in here")
                        .help("declare it in one library, which the other uses"),
                    );
                    continue;
                }
                params.push(Borrowed {
                    param: p.clone(),
                    origin: origin(&library.file, p.span),
                });
            }
        }
        params
    }

    /// Resolves one `use` of the file `from` and, the first time, loads the library and
    /// visits its own `use` statements.
    fn visit(
        &self,
        walk: &mut Visit,
        from: &Path,
        text: &str,
        span: Span,
        report: &mut dyn FnMut(Diagnostic),
    ) {
        let target = match self.locate_use(from, text, walk.root) {
            Ok(target) => target,
            Err(why) => {
                report(bad_use(span, text, why));
                return;
            }
        };
        if let Some(at) = walk.chain.iter().position(|p| *p == target) {
            let names: Vec<String> = walk.chain[at..]
                .iter()
                .chain(std::iter::once(&target))
                .map(|p| shown(p))
                .collect();
            report(
                Diagnostic::error("DS0110", format!("`use` makes a cycle: {}", names.join(" → ")))
                    .at(span, "closes the cycle")
                    .help("a library cannot use a file that uses it; move what both need into a third library"),
            );
            return;
        }
        if walk.chain.len() > MAX_DEPTH {
            report(bad_use(
                span,
                text,
                format!("`use` nests more than {MAX_DEPTH} files deep"),
            ));
            return;
        }
        if walk.found.contains_key(&target) {
            return;
        }
        let library = match self.load(&target) {
            Ok(library) => library,
            Err(why) => {
                report(bad_use(span, text, why));
                return;
            }
        };
        walk.found
            .insert(target.clone(), (library.clone(), walk.via));
        walk.chain.push(target.clone());
        for (inner, inner_span) in &library.uses {
            let mut into_library = |d: Diagnostic| {
                let mut own = library
                    .diagnostics
                    .lock()
                    .unwrap_or_else(|e| e.into_inner());
                if !own.contains(&d) {
                    own.push(d);
                }
            };
            self.visit(walk, &target, inner, *inner_span, &mut into_library);
        }
        walk.chain.pop();
    }

    /// The library at the canonical path `path`, read and checked once per run.
    fn load(&self, path: &Path) -> Result<Arc<Library>, String> {
        if let Some(library) = self.lock().get(path) {
            return Ok(library.clone());
        }
        let text = crate::source::read_text(path, MAX_SPEC_BYTES)
            .map_err(|e| format!("cannot be read: {e}"))?;
        let len = text.len() + 1;
        let base = self.next_base.fetch_add(len, Ordering::Relaxed);
        if base.saturating_add(len) > u32::MAX as usize {
            return Err("cannot be read: this run has read too many libraries".into());
        }
        let file = Arc::new(SourceFile::new(shown(path), text));
        let (ast, mut diagnostics) = crate::syntax::parse(&file.text);
        let params = declare(&ast, &self.definitions, &mut diagnostics);
        let uses = uses_of(&ast, &mut diagnostics);
        let mut defaults = Vec::new();
        let environments = super::environments::declared(&ast, &mut diagnostics);
        if path.file_name().is_none_or(|n| n != ROOT_FILE) {
            for s in ast
                .statements
                .iter()
                .filter(|s| s.keyword == "environments")
            {
                diagnostics.push(
                    Diagnostic::error("DS0117", "environments are declared in the repository's root file")
                        .at(s.keyword_span, "not the root file")
                        .help(format!("move this line to `{ROOT_FILE}` at the root of the repository; it marks the root")),
                );
            }
        }
        for s in &ast.statements {
            match s.keyword.as_str() {
                "param" | "use" | "environments" => {}
                "defaults" => {
                    let mut s = s.clone();
                    s.shift(base);
                    defaults.push(s);
                }
                _ => diagnostics.push(
                    Diagnostic::error("DS0110", format!("a library holds no `{}`", s.keyword))
                        .at(s.keyword_span, "not in a library")
                        .help("a file that is used holds `param`, `use` and `defaults` statements; put the daemonset in a spec of its own"),
                ),
            }
        }
        let library = Arc::new(Library {
            file,
            path: path.to_path_buf(),
            base,
            params,
            defaults,
            environments,
            uses,
            diagnostics: Mutex::new(diagnostics),
        });
        Ok(self
            .lock()
            .entry(path.to_path_buf())
            .or_insert(library)
            .clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<PathBuf, Arc<Library>>> {
        self.loaded.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Turns every span of `diags` that lies in a library (see [`LIBRARY_BASE`]) back into a
    /// line of that file: a label there names the file; an edit or a secret there is dropped
    /// (they apply to the compiled file only).
    pub fn resolve(&self, diags: &mut [Diagnostic]) {
        let in_library = |d: &Diagnostic| {
            d.labels.iter().any(|l| l.span.start() >= LIBRARY_BASE)
                || d.fix
                    .as_ref()
                    .is_some_and(|f| f.span.start() >= LIBRARY_BASE)
                || d.secret.is_some_and(|s| s.start() >= LIBRARY_BASE)
        };
        if !diags.iter().any(in_library) {
            return;
        }
        for d in diags.iter_mut().filter(|d| in_library(d)) {
            for label in &mut d.labels {
                if let Some((file, span)) = self.locate(label.span) {
                    label.span = span;
                    label.file = Some(Elsewhere(file));
                }
            }
            if d.fix
                .as_ref()
                .is_some_and(|f| f.span.start() >= LIBRARY_BASE)
            {
                d.fix = None;
            }
            if d.secret.is_some_and(|s| s.start() >= LIBRARY_BASE) {
                d.secret = None;
            }
        }
    }

    /// The environments of the repository `path` is in (`None`: stdin, the current folder's):
    /// those its root file (`dsc.ds`) declares; none without one.
    pub fn environments_for(&self, path: Option<&Path>) -> Vec<String> {
        let Some(here) = self.located(path) else {
            return Vec::new();
        };
        let root = self.root_of(&here);
        if let Some(known) = self.cache().environments.get(&root).cloned() {
            return known;
        }
        let root_file = root.join(ROOT_FILE);
        // Looked up alone: `load` takes the same lock.
        let loaded = self.lock().get(&root_file).cloned();
        let declared = match loaded {
            Some(loaded) => loaded.environments.clone(),
            None if !root_file.is_file() => Vec::new(),
            None => match root_file.canonicalize().map(|p| self.load(&p)) {
                Ok(Ok(loaded)) => loaded.environments.clone(),
                _ => Vec::new(),
            },
        };
        self.cache().environments.insert(root, declared.clone());
        declared
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// [`located`], its folder asked once per run.
    fn located(&self, path: Option<&Path>) -> Option<PathBuf> {
        let Some(p) = path else {
            return located(None);
        };
        let dir = p.parent().unwrap_or(Path::new("")).to_path_buf();
        let known = self.cache().folders.get(&dir).cloned();
        let folder = match known {
            Some(folder) => folder,
            None => {
                let folder = located(Some(p)).and_then(|h| h.parent().map(Path::to_path_buf));
                self.cache().folders.insert(dir, folder.clone());
                folder
            }
        };
        folder.zip(p.file_name()).map(|(d, name)| d.join(name))
    }

    /// [`root_of`], once per folder and run.
    fn root_of(&self, spec: &Path) -> PathBuf {
        let dir = spec.parent().unwrap_or(Path::new("/")).to_path_buf();
        if let Some(root) = self.cache().roots.get(&dir) {
            return root.clone();
        }
        let root = root_of(spec);
        self.cache().roots.insert(dir, root.clone());
        root
    }

    /// [`locate`], once per folder, path and run.
    fn locate_use(&self, from: &Path, text: &str, root: &Path) -> Result<PathBuf, String> {
        let dir = from.parent().unwrap_or(Path::new("")).to_path_buf();
        let key = (dir, root.to_path_buf(), text.to_string());
        if let Some(found) = self.cache().targets.get(&key) {
            return found.clone();
        }
        let found = locate(from, text, root);
        self.cache().targets.insert(key, found.clone());
        found
    }

    /// The library a span of the run's span space is in, and the span in that file; `None`
    /// for a span of the compiled spec itself.
    pub fn locate(&self, span: Span) -> Option<(Arc<SourceFile>, Span)> {
        if span.start() < LIBRARY_BASE {
            return None;
        }
        self.lock()
            .values()
            .find(|l| l.base <= span.start() && span.start() <= l.base + l.file.text.len())
            .map(|l| {
                let local = Span::new(span.start() - l.base, span.end().saturating_sub(l.base));
                (l.file.clone(), local)
            })
    }

    /// The files the spec at `path` (with tree `ast`) depends on besides itself, canonical:
    /// every library it uses, through their own `use` too, and its repository's root file.
    pub fn dependencies(&self, path: &Path, ast: &Ast) -> Vec<PathBuf> {
        let mut ignored = Vec::new();
        let mut files: Vec<PathBuf> = self
            .used_by(Some(path), ast, &mut ignored)
            .into_iter()
            .map(|(library, _)| library.path.clone())
            .collect();
        if let Some(here) = self.located(Some(path)) {
            let root_file = self.root_of(&here).join(ROOT_FILE);
            if let Ok(root_file) = root_file.canonicalize() {
                files.push(root_file);
            }
        }
        files
    }

    /// Whether this run read no library.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Every library read in this run that has findings, with them, in path order; those at
    /// `skip` (canonical paths of files compiled as specs themselves) are left out.
    pub fn reports(&self, skip: &[PathBuf]) -> Vec<(SourceFile, Vec<Diagnostic>)> {
        self.lock()
            .iter()
            .filter(|(path, _)| !skip.contains(path))
            .filter_map(|(_, library)| {
                let mut found = library
                    .diagnostics
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone();
                crate::diagnostics::sort(&mut found);
                (!found.is_empty()).then(|| ((*library.file).clone(), found))
            })
            .collect()
    }
}

/// The `use` statements of a file: the path as written and its span. One that is not a single
/// path is reported.
fn uses_of(ast: &Ast, diags: &mut Vec<Diagnostic>) -> Vec<(String, Span)> {
    ast.statements
        .iter()
        .filter(|s| s.keyword == "use")
        .filter_map(|s| match one_path(s) {
            Some(found) => Some(found),
            None => {
                diags.push(
                    Diagnostic::error("DS0110", "a `use` statement takes one path")
                        .at(s.span, "not one path")
                        .help("write the path of a `.ds` file relative to this one: `use ../lib/node-agent.ds`"),
                );
                None
            }
        })
        .collect()
}

fn one_path(s: &Statement) -> Option<(String, Span)> {
    match (s.args.as_slice(), &s.block) {
        ([arg], None) => match &arg.kind {
            ArgKind::Word(w) => Some((w.to_string(), arg.span)),
            ArgKind::Str { value, .. } => Some((value.to_string(), arg.span)),
            _ => None,
        },
        _ => None,
    }
}

/// The canonical path `text` names from the file `from`, or why it may not be used.
fn locate(from: &Path, text: &str, root: &Path) -> Result<PathBuf, String> {
    if text.contains("://") {
        return Err("is a URL; a library is a file of this repository".into());
    }
    let written = Path::new(text);
    if written.is_absolute() || text.starts_with('~') {
        return Err("is absolute; write it relative to this file".into());
    }
    if written.extension().is_none_or(|e| e != "ds") {
        return Err("does not end in `.ds`".into());
    }
    let dir = from.parent().unwrap_or(Path::new("."));
    // Past the root as written (whether or not a file is there), then as resolved.
    let outside = || {
        format!(
            "leads outside the repository `{}` (links followed)",
            shown(root)
        )
    };
    if !lexically(&dir.join(written)).starts_with(root) {
        return Err(outside());
    }
    let target = dir.join(written).canonicalize().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            "names no file".to_string()
        } else {
            format!("cannot be followed: {e}")
        }
    })?;
    if !target.starts_with(root) {
        return Err(outside());
    }
    if !target.is_file() {
        return Err("is not a file".into());
    }
    Ok(target)
}

/// `path` with `.` and `..` taken out as written, links not followed.
fn lexically(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The spec at `path` (`None`: stdin, in the current folder), its folder's links followed; the
/// file itself need not exist (an editor's document not saved yet).
fn located(path: Option<&Path>) -> Option<PathBuf> {
    match path {
        Some(p) => {
            let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
            let dir = dir.unwrap_or(Path::new(".")).canonicalize().ok();
            dir.zip(p.file_name()).map(|(d, name)| d.join(name))
        }
        None => std::env::current_dir().ok().map(|d| d.join("<stdin>")),
    }
}

/// The repository of a spec: the nearest folder above it holding the root file (`dsc.ds`) or
/// `.git`, else its folder.
fn root_of(spec: &Path) -> PathBuf {
    let dir = spec.parent().unwrap_or(Path::new("/"));
    dir.ancestors()
        .find(|d| d.join(ROOT_FILE).is_file() || d.join(".git").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

/// A path as messages show it: relative to the current folder when under it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|d| d.canonicalize().ok());
    match cwd.as_deref().and_then(|d| path.strip_prefix(d).ok()) {
        Some(relative) if relative.as_os_str().is_empty() => ".".to_string(),
        Some(relative) => relative.display().to_string(),
        None => path.display().to_string(),
    }
}

/// `file:line:column` of a span.
fn origin(file: &SourceFile, span: Span) -> String {
    let (line, column) = file.line_col(span.start());
    format!("{}:{line}:{column}", file.name)
}

fn bad_use(span: Span, text: &str, why: String) -> Diagnostic {
    Diagnostic::error("DS0110", format!("`use {text}`: the path {why}"))
        .at(span, "cannot be used")
        .help("a library is a `.ds` file of this repository, named relative to the file that uses it: `use ../lib/node-agent.ds`")
}
