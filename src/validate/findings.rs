//! What a Kubernetes rule reports: the kind of error (the API server's own `field.ErrorType`),
//! the field path, and what is wrong, as plain data. The locator later turns each into a
//! diagnostic at the source line that set the field.

use super::field::{Node, NodePath};
use crate::api::FieldPath;

/// The kinds of error the API server reports (`k8s.io/apimachinery/pkg/util/validation/field`),
/// each with its dsc code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `field.Required`: a field that must be set is not.
    Required,
    /// `field.NotSupported`: a value outside a fixed set.
    NotSupported,
    /// `field.Invalid`: a value of the wrong form or out of range.
    Invalid,
    /// `field.Duplicate`: a value that must be unique is repeated.
    Duplicate,
    /// `field.Forbidden`: a field that may not be set here, or not with another.
    Forbidden,
    /// `field.NotFound`: a reference to something that does not exist.
    NotFound,
    /// `field.TooLong`: a string or list longer than allowed.
    TooLong,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Required => "DS1001",
            Kind::NotSupported => "DS1002",
            Kind::Invalid => "DS1003",
            Kind::Duplicate => "DS1004",
            Kind::Forbidden => "DS1005",
            Kind::NotFound => "DS1006",
            Kind::TooLong => "DS1007",
        }
    }
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub path: FieldPath,
    /// The value at `path` as shown in messages, if there is one.
    pub value: Option<String>,
    /// What is wrong, in the API server's words where it has them (lower case, no period).
    pub detail: String,
    /// A concrete way to fix it.
    pub help: Option<String>,
    /// Another place the finding relates to ("first defined here").
    pub related: Option<(FieldPath, String)>,
    /// The finding is about the key of `path` (a resource or label name), not its value.
    pub on_key: bool,
    /// The value as written and the one meant, for a "did you mean": an edit when the value
    /// is found as written at the finding's place.
    pub replacement: Option<Box<(String, String)>>,
}

impl Finding {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Finding {
        self.help = Some(help.into());
        self
    }

    /// "did you mean `meant`?", with the edit from `written` to `meant`.
    pub fn suggest(&mut self, written: &str, meant: &str) -> &mut Finding {
        self.replacement = Some(Box::new((written.to_string(), meant.to_string())));
        self.help(format!("did you mean `{meant}`?"))
    }

    /// Another place this finding relates to.
    pub fn related(&mut self, at: &NodePath, label: impl Into<String>) -> &mut Finding {
        self.related = Some((at.to_path(), label.into()));
        self
    }
}

/// The findings of one object, in the order the rules ran.
#[derive(Debug, Default)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    fn push(&mut self, kind: Kind, at: &Node, value: bool, detail: String) -> &mut Finding {
        self.0.push(Finding {
            kind,
            path: at.path.to_path(),
            value: (value && at.value.is_some()).then(|| at.shown()),
            detail,
            help: None,
            related: None,
            on_key: false,
            replacement: None,
        });
        let last = self.0.len() - 1;
        &mut self.0[last]
    }

    /// `at` must be set and is not (or, when it is set, lacks what it needs: `detail` says).
    pub fn required(&mut self, at: &Node, detail: impl Into<String>) -> &mut Finding {
        let present = at.is_set();
        self.push(Kind::Required, at, present, detail.into())
    }

    /// `at` holds a value outside `supported`.
    pub fn not_supported(&mut self, at: &Node, supported: &[&str]) -> &mut Finding {
        let list = supported
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ");
        self.push(
            Kind::NotSupported,
            at,
            true,
            format!("supported values: {list}"),
        )
    }

    /// `at` holds a value of the wrong form.
    pub fn invalid(&mut self, at: &Node, detail: impl Into<String>) -> &mut Finding {
        self.push(Kind::Invalid, at, true, detail.into())
    }

    /// The key of the map entry `at` (a resource name, a label key) has the wrong form.
    pub fn invalid_key(&mut self, at: &Node, detail: impl Into<String>) -> &mut Finding {
        let key = at.path.last_key().unwrap_or("").to_string();
        let f = self.push(Kind::Invalid, at, false, detail.into());
        f.value = Some(serde_json::Value::from(key).to_string());
        f.on_key = true;
        f
    }

    /// `at` repeats a value that must be unique.
    pub fn duplicate(&mut self, at: &Node) -> &mut Finding {
        self.push(Kind::Duplicate, at, true, "must be unique".into())
    }

    /// `at` may not be set (here, or together with something else).
    pub fn forbidden(&mut self, at: &Node, detail: impl Into<String>) -> &mut Finding {
        self.push(Kind::Forbidden, at, false, detail.into())
    }

    /// `at` names something that does not exist.
    pub fn not_found(&mut self, at: &Node, detail: impl Into<String>) -> &mut Finding {
        self.push(Kind::NotFound, at, true, detail.into())
    }

    /// `at` is longer than `max` (characters or bytes, as `unit` says).
    pub fn too_long(&mut self, at: &Node, max: usize, unit: &str) -> &mut Finding {
        self.push(
            Kind::TooLong,
            at,
            false,
            format!("may not be more than {max} {unit}"),
        )
    }

    /// A DNS name (`name`, at `at`) that broke its rule: `problem`, with a help that says how
    /// to fix this one (a shorter name, or a close one in the allowed letters).
    pub fn bad_name(&mut self, at: &Node, name: &str, problem: String) -> &mut Finding {
        let help = crate::api::names::name_fix(name, &problem);
        self.invalid(at, problem).help(help)
    }

    /// The problem a format check (`api::names`) found, as an invalid
    /// value; `true` when there was none.
    pub fn verdict(&mut self, at: &Node, verdict: crate::api::names::Verdict) -> bool {
        match verdict {
            Ok(()) => true,
            Err(problem) => {
                self.invalid(at, problem);
                false
            }
        }
    }
}
