//! `dsc lsp`: the Language Server Protocol over stdio, on one thread with full document sync.
//! Every open or change re-checks the document and publishes its diagnostics; hover,
//! completion, definition, formatting and quick fixes answer from [`dsc::ide`]. Positions are
//! converted here, in UTF-16 columns. A handler that panics answers an internal error and the
//! server goes on; `shutdown` then `exit` ends it with status 0.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;

use clap::Args;
use dsc::diagnostics::{Diagnostic, Elsewhere, Severity};
use dsc::ide::{self, lines::LineIndex, CompletionKind};
use dsc::source::{SourceFile, Span};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use serde_json::Value;

#[derive(Args)]
pub struct LspArgs {}

/// An open document: its address, text, line index and current findings.
struct Document {
    uri: lsp::Uri,
    text: String,
    lines: LineIndex,
    diagnostics: Vec<Diagnostic>,
}

/// The file a `file:` URI names (percent-escapes decoded), when it is one.
fn file_path(uri: &lsp::Uri) -> Option<std::path::PathBuf> {
    if !uri
        .scheme()
        .is_some_and(|s| s.as_str().eq_ignore_ascii_case("file"))
    {
        return None;
    }
    let path = uri.path().as_estr().decode().into_string().ok()?;
    Some(std::path::PathBuf::from(path.into_owned()))
}

impl Document {
    fn new(uri: &lsp::Uri, text: String) -> Document {
        let name = uri.path().as_str().rsplit('/').next().unwrap_or("spec.ds");
        // A `file:` document reads its libraries from beside it; any other, nothing.
        let diagnostics = match file_path(uri) {
            Some(path) => ide::diagnostics_at(&path, name, &text),
            None => ide::diagnostics(name, &text),
        };
        Document {
            uri: uri.clone(),
            lines: LineIndex::new(&text),
            text,
            diagnostics,
        }
    }

    fn offset(&self, p: lsp::Position) -> usize {
        self.lines.offset(&self.text, p.line, p.character)
    }

    fn position(&self, offset: usize) -> lsp::Position {
        let (line, character) = self.lines.position(&self.text, offset);
        lsp::Position { line, character }
    }

    fn range(&self, span: Span) -> lsp::Range {
        lsp::Range {
            start: self.position(span.start()),
            end: self.position(span.end()),
        }
    }

    fn span(&self, r: lsp::Range) -> Span {
        Span::new(self.offset(r.start), self.offset(r.end))
    }
}

pub fn run(_: LspArgs) -> ExitCode {
    let (connection, io_threads) = Connection::stdio();
    let status = serve(&connection);
    drop(connection);
    let _ = io_threads.join();
    match status {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dsc lsp: {e}");
            ExitCode::from(1)
        }
    }
}

fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(
            lsp::TextDocumentSyncKind::FULL,
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![" ".into()]),
            ..Default::default()
        }),
        definition_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

fn serve(connection: &Connection) -> Result<(), String> {
    let caps = serde_json::to_value(capabilities()).map_err(|e| e.to_string())?;
    connection
        .initialize(caps)
        .map_err(|e| format!("no `initialize` request from the client ({e})"))?;
    let mut docs: Docs = HashMap::new();
    for message in &connection.receiver {
        match message {
            Message::Request(req) => {
                if connection
                    .handle_shutdown(&req)
                    .map_err(|e| e.to_string())?
                {
                    return Ok(());
                }
                let id = req.id.clone();
                let method = req.method.clone();
                let response = match catch_unwind(AssertUnwindSafe(|| answer(&docs, req))) {
                    Ok(Ok(result)) => Response::new_ok(id, result),
                    Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
                    Err(_) => Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        format!("internal error in dsc while answering {method}; please report it"),
                    ),
                };
                send(connection, response.into())?;
            }
            Message::Notification(n) => {
                if n.method == lsp::notification::Exit::METHOD {
                    // `exit` without `shutdown` first: the protocol's status is 1.
                    return Err("exit before shutdown".into());
                }
                let published = catch_unwind(AssertUnwindSafe(|| notice(&mut docs, n)));
                if let Ok(Some(note)) = published {
                    send(connection, note.into())?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn send(connection: &Connection, message: Message) -> Result<(), String> {
    connection
        .sender
        .send(message)
        .map_err(|_| "the client went away".to_string())
}

/// Applies a document notification; the diagnostics to publish, if the document changed.
fn notice(docs: &mut Docs, n: Notification) -> Option<Notification> {
    use lsp::notification as note;
    let uri = match n.method.as_str() {
        note::DidOpenTextDocument::METHOD => {
            let p: lsp::DidOpenTextDocumentParams = serde_json::from_value(n.params).ok()?;
            let uri = p.text_document.uri;
            docs.insert(
                uri.as_str().to_string(),
                Document::new(&uri, p.text_document.text),
            );
            uri
        }
        note::DidChangeTextDocument::METHOD => {
            let p: lsp::DidChangeTextDocumentParams = serde_json::from_value(n.params).ok()?;
            // Full sync: the last change holds the whole text.
            let text = p.content_changes.into_iter().last()?.text;
            let uri = p.text_document.uri;
            docs.insert(uri.as_str().to_string(), Document::new(&uri, text));
            uri
        }
        note::DidCloseTextDocument::METHOD => {
            let p: lsp::DidCloseTextDocumentParams = serde_json::from_value(n.params).ok()?;
            docs.remove(p.text_document.uri.as_str());
            // A closed document's findings are cleared.
            return Some(publish(p.text_document.uri, Vec::new()));
        }
        _ => return None,
    };
    let doc = docs.get(uri.as_str())?;
    let found = doc
        .diagnostics
        .iter()
        .map(|d| to_lsp(&uri, doc, d))
        .collect();
    Some(publish(uri, found))
}

fn publish(uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>) -> Notification {
    let params = lsp::PublishDiagnosticsParams {
        uri,
        diagnostics,
        version: None,
    };
    Notification::new(
        lsp::notification::PublishDiagnostics::METHOD.to_string(),
        params,
    )
}

/// A diagnostic as the protocol has it: the primary label's range, the message with the
/// primary label and the help, the other labels as related information. A label in another
/// file (a library's line) is related information at that file; when the primary label is
/// there, the diagnostic sits on the document's first label (the `from` name that brought the
/// line in).
fn to_lsp(uri: &lsp::Uri, doc: &Document, d: &Diagnostic) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    if let Some(label) = d.primary_label() {
        message.push_str(&format!("\n{}", label.message));
        if let Some(Elsewhere(file)) = &label.file {
            let (line, column) = file.line_col(label.span.start());
            message.push_str(&format!(" ({}:{line}:{column})", file.name));
        }
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    // The label the diagnostic sits on; the others are related information.
    let on = d
        .labels
        .iter()
        .find(|l| l.primary && l.file.is_none())
        .or_else(|| d.labels.iter().find(|l| l.file.is_none()));
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter(|l| on.is_none_or(|on| !std::ptr::eq(*l, on)))
        .filter_map(|l| {
            let location = match &l.file {
                None => lsp::Location {
                    uri: uri.clone(),
                    range: doc.range(l.span),
                },
                Some(Elsewhere(file)) => elsewhere(file, l.span)?,
            };
            Some(lsp::DiagnosticRelatedInformation {
                location,
                message: l.message.to_string(),
            })
        })
        .collect();
    let range = on.map_or(lsp::Range::default(), |l| doc.range(l.span));
    lsp::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        source: Some("dsc".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

/// Where `span` of another file is, as the protocol names it: the file's `file:` URI.
fn elsewhere(file: &SourceFile, span: Span) -> Option<lsp::Location> {
    let path = std::path::Path::new(&file.name);
    let path = match path.is_absolute() {
        true => path.to_path_buf(),
        false => std::env::current_dir().ok()?.join(path),
    };
    let mut text = String::from("file://");
    for byte in path.to_str()?.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                text.push(byte as char)
            }
            _ => text.push_str(&format!("%{byte:02X}")),
        }
    }
    let uri: lsp::Uri = text.parse().ok()?;
    let lines = LineIndex::new(&file.text);
    let at = |offset: usize| {
        let (line, character) = lines.position(&file.text, offset);
        lsp::Position { line, character }
    };
    Some(lsp::Location {
        uri,
        range: lsp::Range {
            start: at(span.start()),
            end: at(span.end()),
        },
    })
}

/// Open documents by address (the text of the URI: `lsp::Uri` is not a sound hash key).
type Docs = HashMap<String, Document>;

type Answer = Result<Value, (ErrorCode, String)>;

fn params<P: serde::de::DeserializeOwned>(req: Request) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(req.params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn json(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

fn document<'a>(docs: &'a Docs, uri: &lsp::Uri) -> Result<&'a Document, (ErrorCode, String)> {
    docs.get(uri.as_str()).ok_or_else(|| {
        (
            ErrorCode::InvalidParams,
            format!("{} is not open", uri.as_str()),
        )
    })
}

/// The answer to one request.
fn answer(docs: &Docs, req: Request) -> Answer {
    use lsp::request as r;
    match req.method.as_str() {
        r::HoverRequest::METHOD => {
            let p: lsp::HoverParams = params(req)?;
            let at = p.text_document_position_params;
            let doc = document(docs, &at.text_document.uri)?;
            let offset = doc.offset(at.position);
            json(
                ide::hover(&doc.text, offset, &doc.diagnostics).map(|h| lsp::Hover {
                    contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                        kind: lsp::MarkupKind::Markdown,
                        value: h.markdown,
                    }),
                    range: Some(doc.range(h.span)),
                }),
            )
        }
        r::Completion::METHOD => {
            let p: lsp::CompletionParams = params(req)?;
            let at = p.text_document_position;
            let doc = document(docs, &at.text_document.uri)?;
            let items: Vec<lsp::CompletionItem> =
                ide::completions(&doc.text, doc.offset(at.position))
                    .into_iter()
                    .map(|c| lsp::CompletionItem {
                        kind: Some(match c.kind {
                            CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
                            CompletionKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
                            CompletionKind::Name => lsp::CompletionItemKind::REFERENCE,
                        }),
                        detail: Some(c.detail),
                        documentation: c.documentation.map(|value| {
                            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                                kind: lsp::MarkupKind::Markdown,
                                value,
                            })
                        }),
                        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                            range: doc.range(c.replace),
                            new_text: c.label.clone(),
                        })),
                        label: c.label,
                        ..Default::default()
                    })
                    .collect();
            json(items)
        }
        r::GotoDefinition::METHOD => {
            let p: lsp::GotoDefinitionParams = params(req)?;
            let at = p.text_document_position_params;
            let uri = at.text_document.uri;
            let doc = document(docs, &uri)?;
            json(
                ide::definition(&doc.text, doc.offset(at.position)).map(|span| {
                    lsp::GotoDefinitionResponse::Scalar(lsp::Location {
                        uri: uri.clone(),
                        range: doc.range(span),
                    })
                }),
            )
        }
        r::Formatting::METHOD => {
            let p: lsp::DocumentFormattingParams = params(req)?;
            let doc = document(docs, &p.text_document.uri)?;
            json(ide::format(&doc.text).map(|formatted| {
                let whole = Span::new(0, doc.text.len());
                if formatted == doc.text {
                    Vec::new()
                } else {
                    vec![lsp::TextEdit {
                        range: doc.range(whole),
                        new_text: formatted,
                    }]
                }
            }))
        }
        r::CodeActionRequest::METHOD => {
            let p: lsp::CodeActionParams = params(req)?;
            let uri = p.text_document.uri;
            let doc = document(docs, &uri)?;
            let actions: Vec<lsp::CodeActionOrCommand> =
                ide::quick_fixes(&doc.text, &doc.diagnostics, doc.span(p.range))
                    .into_iter()
                    .map(|a| {
                        let edit = lsp::TextEdit {
                            range: doc.range(a.fix.span),
                            new_text: a.fix.replacement.clone(),
                        };
                        lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                            title: a.title,
                            kind: Some(lsp::CodeActionKind::QUICKFIX),
                            diagnostics: Some(vec![to_lsp(&uri, doc, a.diagnostic)]),
                            edit: Some(lsp::WorkspaceEdit {
                                document_changes: Some(lsp::DocumentChanges::Edits(vec![
                                    lsp::TextDocumentEdit {
                                        text_document:
                                            lsp::OptionalVersionedTextDocumentIdentifier {
                                                uri: doc.uri.clone(),
                                                version: None,
                                            },
                                        edits: vec![lsp::OneOf::Left(edit)],
                                    },
                                ])),
                                ..Default::default()
                            }),
                            is_preferred: Some(true),
                            ..Default::default()
                        })
                    })
                    .collect();
            json(actions)
        }
        _ => Err((
            ErrorCode::MethodNotFound,
            format!("dsc does not answer {}", req.method),
        )),
    }
}
