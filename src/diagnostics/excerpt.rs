//! The part of a source file one report shows: the lines its labels touch, with a line of
//! context around each, and every long line cut to windows around the labels on it.
//!
//! miette is handed this excerpt instead of the whole file, so rendering a report costs the
//! size of its lines, not of the file (a thousand findings in a large file stay linear), and
//! no column it has to pad to can exceed what its formatter takes (a label at column 65,535
//! used to panic). Line numbers and the column in the title are those of the file.

use std::collections::BTreeMap;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::{clamp_to_char_boundary, SourceFile};

/// A line longer than this many bytes is shown in windows around its labels.
const LONG_LINE: usize = 200;
/// Bytes kept on each side of a label's ends on a long line.
const WINDOW: usize = 48;
/// A label over more lines than this is shortened to its first line.
const TALL_LABEL: usize = 8;
/// Labels this few lines apart are shown in one snippet, with the lines between them.
const NEAR: usize = 6;
/// Stands for the text left out of a long line.
const GAP: &str = "…";

/// One line of the file, as kept in the excerpt.
struct Kept {
    /// Where the line starts in the excerpt's text.
    at: usize,
    /// Its length there, without the newline.
    len: usize,
    /// Its 0-based number in the file.
    number: usize,
    /// The parts of the file's line kept, in order.
    pieces: Vec<Piece>,
}

/// A stretch of a line of the file that the excerpt holds.
struct Piece {
    /// Where it is in the file.
    from: usize,
    to: usize,
    /// Where it starts in the excerpt, and its length there (a control character is shown as
    /// its three-byte picture, `␀`).
    at: usize,
    len: usize,
    /// The 0-based column (in characters) of `from` in the file.
    column: usize,
}

pub struct Excerpt {
    name: String,
    text: String,
    lines: Vec<Kept>,
}

impl Excerpt {
    /// The excerpt for labels at these byte ranges of the file, and the ranges translated into
    /// the excerpt (same order).
    pub fn new(file: &SourceFile, spans: &[(usize, usize)]) -> (Self, Vec<(usize, usize)>) {
        let text = &file.text;
        let spans: Vec<(usize, usize)> = spans
            .iter()
            .map(|&(start, end)| {
                let start = clamp_to_char_boundary(text, start);
                let end = clamp_to_char_boundary(text, end).max(start);
                let first = file.line_of(start);
                if file.line_of(end) > first + TALL_LABEL {
                    (start, file.line_end(first).max(start))
                } else {
                    (start, end)
                }
            })
            .collect();

        // The lines to keep, each with the label ends that fall on it. The empty line after
        // a final newline is no context.
        let last_line = file.line_count() - 1 - usize::from(file.text.ends_with('\n'));
        let mut wanted: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &(start, end) in &spans {
            let (first, last) = (file.line_of(start), file.line_of(end));
            for line in first.saturating_sub(1)..=(last + 1).min(last_line) {
                wanted.entry(line).or_default();
            }
            wanted.entry(first).or_default().push(start);
            wanted.entry(last).or_default().push(end);
        }
        // Lines between labels that are near each other are kept too: one snippet shows both.
        let numbers: Vec<usize> = wanted.keys().copied().collect();
        for pair in numbers.windows(2) {
            if pair[1] <= pair[0] + NEAR {
                for between in pair[0] + 1..pair[1] {
                    wanted.entry(between).or_default();
                }
            }
        }

        let mut excerpt = Excerpt {
            name: file.name.clone(),
            text: String::new(),
            lines: Vec::with_capacity(wanted.len()),
        };
        for (number, points) in wanted {
            excerpt.keep(file, number, points);
        }
        let translated = spans
            .iter()
            .map(|&(start, end)| {
                (
                    excerpt.to_excerpt(file, start),
                    excerpt.to_excerpt(file, end),
                )
            })
            .collect();
        (excerpt, translated)
    }

    /// Appends line `number` of the file, cut around `points` when it is long.
    fn keep(&mut self, file: &SourceFile, number: usize, mut points: Vec<usize>) {
        let (start, end) = (file.line_start(number), file.line_end(number));
        let source = &file.text;
        let at = self.text.len();
        let mut pieces: Vec<Piece> = Vec::new();
        if end - start <= LONG_LINE {
            self.push_visible(source, (start, end), 0, &mut pieces);
        } else {
            points.sort_unstable();
            let mut windows: Vec<(usize, usize)> = Vec::new();
            for p in points {
                let from = clamp_to_char_boundary(source, p.saturating_sub(WINDOW).max(start));
                let to = clamp_to_char_boundary(source, (p + WINDOW).min(end));
                match windows.last_mut() {
                    Some((_, last_to)) if from <= *last_to => *last_to = (*last_to).max(to),
                    _ => windows.push((from, to)),
                }
            }
            if windows.is_empty() {
                windows.push((start, clamp_to_char_boundary(source, start + 2 * WINDOW)));
            }
            let mut column = 0;
            let mut counted = start;
            for (from, to) in windows {
                if from > counted {
                    self.text.push_str(GAP);
                }
                column += source[counted..from].chars().count();
                self.push_visible(source, (from, to), column, &mut pieces);
                column += source[from..to].chars().count();
                counted = to;
            }
            if counted < end {
                self.text.push_str(GAP);
            }
        }
        let len = self.text.len() - at;
        self.text.push('\n');
        self.lines.push(Kept {
            at,
            len,
            number,
            pieces,
        });
    }

    /// Appends `source[from..to]` (starting at `column`) to the excerpt as pieces, each control
    /// character as its own piece holding its picture (`␀` for NUL): an invisible character
    /// would be shown as nothing and put every caret after it one column off.
    fn push_visible(
        &mut self,
        source: &str,
        (from, to): (usize, usize),
        column: usize,
        pieces: &mut Vec<Piece>,
    ) {
        let mut start = from;
        let mut col = column;
        let flush = |text: &mut String, pieces: &mut Vec<Piece>, a: usize, b: usize, col: usize| {
            if a < b {
                pieces.push(Piece {
                    from: a,
                    to: b,
                    at: text.len(),
                    len: b - a,
                    column: col,
                });
                text.push_str(&source[a..b]);
            }
        };
        for (i, c) in source[from..to].char_indices() {
            let picture = match c {
                '\0'..='\u{1f}' if c != '\t' => char::from_u32(0x2400 + c as u32),
                '\u{7f}' => Some('\u{2421}'),
                _ => None,
            };
            let Some(picture) = picture else {
                continue;
            };
            let at = from + i;
            flush(&mut self.text, pieces, start, at, col);
            col += source[start..at].chars().count();
            let before = self.text.len();
            self.text.push(picture);
            pieces.push(Piece {
                from: at,
                to: at + 1,
                at: before,
                len: picture.len_utf8(),
                column: col,
            });
            col += 1;
            start = at + 1;
        }
        flush(&mut self.text, pieces, start, to, col);
    }

    /// A file offset (on a kept line) → the excerpt's offset; an offset left out of a long
    /// line goes to the gap that stands for it.
    fn to_excerpt(&self, file: &SourceFile, offset: usize) -> usize {
        let number = file.line_of(offset);
        let Ok(index) = self.lines.binary_search_by_key(&number, |l| l.number) else {
            return 0;
        };
        let line = &self.lines[index];
        let mut at = line.at;
        for piece in &line.pieces {
            if offset < piece.from {
                return at;
            }
            at = match offset >= piece.to {
                true => piece.at + piece.len,
                false => piece.at + (offset - piece.from),
            };
            if offset <= piece.to {
                return at;
            }
        }
        at
    }

    /// The 0-based column in the file (in characters) of an excerpt offset.
    fn column(&self, at: usize) -> usize {
        let line = &self.lines[self.line_index(at)];
        let piece = line
            .pieces
            .iter()
            .rev()
            .find(|p| p.at <= at)
            .or(line.pieces.first());
        piece.map_or(0, |p| {
            let at = at.clamp(p.at, p.at + p.len);
            p.column + self.text[p.at..at].chars().count()
        })
    }

    /// The kept line an excerpt offset is on.
    fn line_index(&self, at: usize) -> usize {
        self.lines.partition_point(|l| l.at <= at).saturating_sub(1)
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        if self.lines.is_empty() || span.offset() + span.len() > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.line_index(span.offset());
        let last = self.line_index(
            (span.offset() + span.len())
                .saturating_sub(1)
                .max(span.offset()),
        );
        let contiguous = |a: usize, b: usize| self.lines[b].number == self.lines[a].number + 1;
        if (first..last).any(|i| !contiguous(i, i + 1)) {
            return Err(MietteError::OutOfBounds);
        }
        let mut top = first;
        while top > 0 && first - top < before && contiguous(top - 1, top) {
            top -= 1;
        }
        let mut bottom = last;
        while bottom + 1 < self.lines.len()
            && bottom - last < after
            && contiguous(bottom, bottom + 1)
        {
            bottom += 1;
        }
        let (start, column) = if before == 0 {
            (span.offset(), self.column(span.offset()))
        } else {
            (self.lines[top].at, 0)
        };
        let end = self.lines[bottom].at + self.lines[bottom].len;
        let end = if after == 0 {
            end.max(span.offset() + span.len())
        } else {
            end + 1
        };
        let end = end.min(self.text.len());
        // miette shows two labels in one snippet when the lines of the first reach the second:
        // the lines counted run on while the excerpt holds the lines that follow.
        let mut run = bottom;
        while run + 1 < self.lines.len() && contiguous(run, run + 1) {
            run += 1;
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[start..end],
            SourceSpan::new(start.into(), end - start),
            self.lines[top].number,
            column,
            run - top + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_labelled_lines_and_their_neighbours() {
        let file = SourceFile::new("a.ds", "l0\nl1\nl2\nl3\nl4\nl5\nl6\n");
        let (excerpt, spans) = Excerpt::new(&file, &[(6, 8)]);
        assert_eq!(excerpt.text, "l1\nl2\nl3\n");
        assert_eq!(&excerpt.text[spans[0].0..spans[0].1], "l2");
        assert_eq!(excerpt.column(spans[0].0), 0);
    }

    #[test]
    fn cuts_long_lines_around_the_labels() {
        let line = format!("{}HERE{}", "x".repeat(70_000), "y".repeat(500));
        let file = SourceFile::new("a.ds", format!("a\n{line}\nb\n"));
        let start = 2 + 70_000;
        let (excerpt, spans) = Excerpt::new(&file, &[(start, start + 4)]);
        assert!(excerpt.text.len() < 400, "{}", excerpt.text);
        assert_eq!(&excerpt.text[spans[0].0..spans[0].1], "HERE");
        assert!(excerpt.text.contains("…xxx"));
        assert!(excerpt.text.contains("yyy…"));
        let contents = excerpt
            .read_span(&SourceSpan::new(spans[0].0.into(), 4), 0, 0)
            .unwrap();
        assert_eq!(contents.line(), 1);
        assert_eq!(contents.column(), 70_000);
    }

    #[test]
    fn separate_lines_are_not_read_as_one() {
        let text: String = (0..20).map(|i| format!("line {i}\n")).collect();
        let file = SourceFile::new("a.ds", text);
        let (excerpt, spans) = Excerpt::new(
            &file,
            &[(0, 4), (file.line_start(15), file.line_start(15) + 4)],
        );
        let across = SourceSpan::new(spans[0].0.into(), spans[1].1 - spans[0].0);
        assert!(excerpt.read_span(&across, 1, 1).is_err());
        let second = excerpt
            .read_span(&SourceSpan::new(spans[1].0.into(), 4), 1, 1)
            .unwrap();
        assert_eq!(second.line(), 14);
        assert_eq!(
            std::str::from_utf8(second.data()).unwrap(),
            "line 14\nline 15\nline 16\n"
        );
    }
}
