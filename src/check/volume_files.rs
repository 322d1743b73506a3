//! The files a config map, secret or projected source writes into its volume: the `items`
//! (`KEY=PATH[:MODE]`), the default `mode` and `optional`, shared by `volume NAME configmap|secret`
//! and the sources of a projected volume.

use super::cx::Cx;
use super::options::Options;
use super::paths;
use crate::api::FieldPath;
use crate::diagnostics::Diagnostic;
use crate::model::{KeyToPath, KeyedSource, Origins};
use crate::source::Span;
use crate::syntax::Arg;

/// The items, mode and `optional` of a config map or secret; `(o, at)` records where each item
/// was written, under the source's path `at`. An item's key, path and mode are the API
/// server's to check, on the object.
pub fn keyed(
    cx: &mut Cx,
    name: String,
    opts: &Options,
    (o, at): (&mut Origins, &FieldPath),
) -> KeyedSource {
    let mut items = Vec::new();
    for (key, key_span, value) in opts.pairs("items") {
        let text = value.as_text().unwrap_or_default();
        // `KEY=PATH:0400`: a mode of the file's own, after the last `:` when it reads as one.
        let item = at.field("items").index(items.len());
        let (path, mode) = match text.rsplit_once(':') {
            Some((path, mode)) if mode.starts_with('0') => {
                let mode_span = Span::new(value.span.end() - mode.len(), value.span.end());
                match paths::file_mode(mode) {
                    Ok(m) => {
                        o.record(item.field("mode"), mode_span);
                        (path.to_string(), Some(m))
                    }
                    Err(e) => {
                        cx.push(
                            Diagnostic::error("DS0507", format!("invalid file mode `{mode}`"))
                                .at(mode_span, e.why)
                                .help(e.help),
                        );
                        continue;
                    }
                }
            }
            _ => (text, None),
        };
        o.record(item.clone(), key_span.to(value.span));
        o.record(item.field("key"), key_span);
        o.record(item.field("path"), value.span);
        items.push(KeyToPath {
            key: key.to_string(),
            path,
            mode,
        });
    }
    KeyedSource {
        name,
        items,
        mode: opts.value("mode").and_then(|a| file_mode(cx, a)),
        optional: opts.flag("optional"),
    }
}

/// `mode 0644` → 420 (`DS0507` otherwise).
pub fn file_mode(cx: &mut Cx, arg: &Arg) -> Option<i32> {
    let text = cx.scalar(arg, "a file mode")?;
    match paths::file_mode(&text) {
        Ok(mode) => Some(mode),
        Err(e) => {
            cx.push(
                Diagnostic::error("DS0507", format!("invalid file mode `{text}`"))
                    .at(arg.span, e.why)
                    .help(e.help),
            );
            None
        }
    }
}
