//! Semantic pass: [`Ast`] → [`CheckedSpec`]. Resolves every keyword, applies defaults and every
//! rule, and reports all problems in one run (each check pushes a diagnostic and carries on).

mod allow;
mod args;
pub mod choices;
mod container;
mod container_settings;
mod cx;
mod devices;
mod dns;
pub mod duration;
mod env;
pub(crate) mod field_refs;
pub(crate) mod fragment_span;
mod handlers;
mod hatch;
pub(crate) mod image;
mod keywords;
mod mounts;
mod options;
pub(crate) mod overrides;
pub(crate) mod paths;
pub(crate) mod pod;
mod probes;
mod profiles;
mod projected;
mod replaced;
mod resources;
mod scheduling;
mod schema;
mod security;
mod selector;
pub(crate) mod storage;
mod strategy;
pub(crate) mod vke;
mod volume_files;
mod volume_kinds;
mod volumes;
mod workload;

use foldhash::{HashMap, HashMapExt};

use crate::diagnostics::Diagnostic;
use crate::model::CheckedSpec;
use crate::source::Span;
use crate::syntax::Ast;
use cx::Cx;

pub use keywords::{block_settings, find, Keyword, CONTAINER, TOP_LEVEL, WORKLOAD};

/// Checks a parsed file. The model holds every daemonset that could be built, even when there
/// are errors; callers must not emit it unless the diagnostics hold no error.
pub fn check(ast: &Ast) -> (CheckedSpec, Vec<Diagnostic>) {
    let mut cx = Cx::default();
    let file_end = ast.statements.last().map_or(0, |s| s.span.end());
    let (stripped, allowances) = allow::extract(ast, file_end, &mut cx);
    let ast = &stripped;
    let mut spec = CheckedSpec::default();
    let mut seen: HashMap<(String, String), Span> = HashMap::new();
    for stmt in &ast.statements {
        match stmt.keyword.as_str() {
            "daemonset" => {
                if let Some((ds, name_span)) = workload::check_daemonset(&mut cx, stmt) {
                    let key = (ds.namespace.clone(), ds.name.clone());
                    if let Some(first) = seen.get(&key) {
                        cx.push(
                            Diagnostic::error(
                                "DS0206",
                                format!(
                                    "daemonset `{}` is defined twice in namespace `{}`",
                                    ds.name, ds.namespace
                                ),
                            )
                            .at(name_span, "defined again here")
                            .also(*first, "first defined here")
                            .help("rename one of them, or put them in different namespaces"),
                        );
                    } else {
                        seen.insert(key, name_span);
                    }
                    spec.daemonsets.push(ds);
                }
            }
            // Declared and substituted before checking (src/compose).
            "param" | "use" | "defaults" | "environments" => {}
            _ => cx.unknown_keyword(stmt, TOP_LEVEL, "at the top level of a file"),
        }
    }
    if ast.statements.is_empty() {
        cx.push(
            Diagnostic::error("DS0204", "the file defines no daemonset")
                .at(Span::new(0, 0), "nothing to compile")
                .help(
                    "start with `daemonset NAME in NAMESPACE { container NAME { image IMAGE } }`",
                ),
        );
    }
    (spec, allowances.apply(cx.diags))
}
