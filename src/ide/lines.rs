//! Positions as editors count them: a 0-based line and a column in UTF-16 code units (the
//! Language Server Protocol's default), to and from byte offsets of the text. A line ends at
//! `\n`; the `\r` of a `\r\n` belongs to no column a client can name.

/// Where each line of one text starts.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// The line and UTF-16 column of a byte offset (clamped into the text, and back to the
    /// start of a character it falls inside).
    pub fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = crate::source::clamp_to_char_boundary(text, offset);
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column: usize = text[self.starts[line]..offset]
            .chars()
            .map(char::len_utf16)
            .sum();
        (to_u32(line), to_u32(column))
    }

    /// The byte offset of a line and UTF-16 column. A column past the end of its line is the
    /// line's end (before its `\r\n`), a column inside a character is that character's start,
    /// and a line past the last is the end of the text.
    pub fn offset(&self, text: &str, line: u32, column: u32) -> usize {
        let Some(&start) = self.starts.get(line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(line as usize + 1)
            .map_or(text.len(), |&next| next - 1);
        let body = text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&text[start..end]);
        let mut units = 0;
        for (i, c) in body.char_indices() {
            units += c.len_utf16();
            if units > column as usize {
                return start + i;
            }
        }
        start + body.len()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn columns_count_utf16_units() {
        // `é` is 2 bytes and 1 unit; `𝄞` is 4 bytes and 2 units.
        let text = "a é𝄞 b\nnext\n";
        let index = LineIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(index.position(text, b), (0, 6));
        assert_eq!(index.offset(text, 0, 6), b);
        assert_eq!(index.position(text, text.find("next").unwrap()), (1, 0));
        // Inside the surrogate pair: the character's start.
        assert_eq!(index.offset(text, 0, 4), text.find('𝄞').unwrap());
    }

    #[test]
    fn crlf_lines_end_before_the_carriage_return() {
        let text = "ab\r\ncd\r\n";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, 0, 99), 2);
        assert_eq!(index.offset(text, 1, 1), 5);
        assert_eq!(index.position(text, 5), (1, 1));
        assert_eq!(index.offset(text, 9, 0), text.len());
        assert_eq!(index.position(text, text.len()), (2, 0));
    }

    #[test]
    fn every_offset_round_trips() {
        let text = "x { é\r\n  y 𝄞z }\n\n";
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices() {
            if text[offset..].starts_with('\n') && text[..offset].ends_with('\r') {
                continue;
            }
            let (line, column) = index.position(text, offset);
            assert_eq!(index.offset(text, line, column), offset, "at {offset}");
        }
    }
}
