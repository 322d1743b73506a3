//! Every diagnostic code: its name (for `allow`/`deny`), a summary, and the explanation that
//! `dsc explain` prints.

pub struct CodeInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub explanation: &'static str,
}

pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}

pub static CODES: &[CodeInfo] = &[];
