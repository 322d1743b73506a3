//! Source text and spans: byte ranges into one `.ds` file, and their line/column positions.

use std::fmt;
use std::sync::OnceLock;

/// A byte range `start..end` in one source file.
///
/// Offsets are kept as 32 bits: every value of the checked model and every node of the syntax
/// tree carries a span, and the inputs dsc reads are capped far below 4 GiB
/// ([`MAX_SPEC_BYTES`], [`MAX_MANIFEST_BYTES`]). An offset beyond that range is clamped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    lo: u32,
    hi: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        let clamp = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
        Span {
            lo: clamp(start),
            hi: clamp(end),
        }
    }

    /// The offset of the first byte.
    pub fn start(self) -> usize {
        self.lo as usize
    }

    /// The offset just past the last byte.
    pub fn end(self) -> usize {
        self.hi as usize
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
        }
    }

    pub fn len(self) -> usize {
        self.hi.saturating_sub(self.lo) as usize
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// A value together with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl<T: fmt::Display> fmt::Display for Spanned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

/// One `.ds` file: its display name (as given on the command line) and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    /// The offset where each line starts, made on first use: positions are then found by a
    /// binary search, so reporting many diagnostics does not rescan the file for each.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = clamp_to_char_boundary(&self.text, offset);
        let line = self.line_of(offset);
        let col = self.text[self.line_start(line)..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// The 0-based line of a byte offset (offsets past the end are on the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts()
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// Where a 0-based line starts; the end of the text for lines past the end.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts()
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// Where a 0-based line ends, before its newline (and a `\r` before that).
    pub fn line_end(&self, line: usize) -> usize {
        let next = self.line_start(line + 1);
        let text = &self.text[self.line_start(line).min(next)..next];
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        self.line_start(line) + text.len()
    }

    /// How many lines the text has (a last line without a newline counts).
    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// The text a span covers (empty when the span is out of range).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start()..span.end()).unwrap_or("")
    }
}

/// The largest spec dsc reads: 4 MiB (about a hundred thousand lines; real specs are a few
/// kilobytes). The syntax tree and the formatter's tree take tens of times the text (up to
/// 160 times for lists nested on every line: `cargo bench --bench memory`), so the limit keeps
/// any spec under about 700 MB rather than gigabytes.
pub const MAX_SPEC_BYTES: u64 = 4 * 1024 * 1024;

/// Where the first library's text starts in a run's span space. A spec's own spans are offsets
/// into its text (at most [`MAX_SPEC_BYTES`]); each library read takes the next free stretch
/// above this, so a statement a spec takes from a library keeps a span that says which file and
/// where (`compose::Libraries::resolve` turns it back into a line of that file).
pub const LIBRARY_BASE: usize = 1 << 31;

/// The largest manifest file dsc reads (`import`, `diff --against`, `--live-file`): 16 MiB, room
/// for the DaemonSets of a large cluster or a rendered chart.
pub const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

/// The whole text of a file, or of stdin for `-`, as UTF-8, refused past `limit` bytes.
pub fn read_text(path: &std::path::Path, limit: u64) -> std::io::Result<String> {
    if path == std::path::Path::new("-") {
        read_limited(std::io::stdin().lock(), limit)
    } else {
        let file = std::fs::File::open(path)?;
        // Room for the whole file up front: one read fills it (a reader without a size grows
        // its buffer read by read, several calls for a spec of a few KB).
        let size = file.metadata().map_or(0, |m| m.len()).min(limit + 1);
        read_into(file, limit, usize::try_from(size).unwrap_or(0))
    }
}

/// Everything a reader gives, as UTF-8, refused past `limit` bytes.
pub fn read_limited(reader: impl std::io::Read, limit: u64) -> std::io::Result<String> {
    read_into(reader, limit, 0)
}

/// [`read_limited`] into a buffer with room for `capacity` bytes up front.
fn read_into(reader: impl std::io::Read, limit: u64, capacity: usize) -> std::io::Result<String> {
    use std::io::Read as _;
    let mut text = String::with_capacity(capacity);
    reader.take(limit + 1).read_to_string(&mut text)?;
    if text.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "the input is larger than {} MiB, the most dsc reads",
                limit >> 20
            ),
        ));
    }
    Ok(text)
}

/// The offset itself, or the nearest character boundary before it, within the text.
pub fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let file = SourceFile::new("a.ds", "ab\nçd e\n");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        assert_eq!(file.line_col(6), (2, 3));
        assert_eq!(file.line_col(100), (3, 1));
        assert_eq!(file.line_count(), 3);
        assert_eq!(file.line_end(1), 8);
        assert_eq!(file.line_end(2), 9);
    }

    #[test]
    fn line_ends_leave_out_the_carriage_return() {
        let file = SourceFile::new("a.ds", "ab\r\ncd");
        assert_eq!(file.line_end(0), 2);
        assert_eq!(file.line_start(1), 4);
        assert_eq!(file.line_end(1), 6);
        assert_eq!(file.line_col(5), (2, 2));
    }
}
