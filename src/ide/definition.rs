//! Go to definition: from a `mount` to its `volume`, from a probe's or hook's port
//! (`readiness http metrics`) to the container's `port`, from `container NAME` (an env's
//! resource) to the container, from `${NAME}` to its `param`, and from a name in `from` to its
//! `defaults` block in the file.

use super::place::{names_a_port, port_name, statements_of, Place};
use crate::source::Span;

/// Where the name at `offset` is declared.
pub fn definition(text: &str, offset: usize) -> Option<Span> {
    let (ast, _) = crate::syntax::parse_tree(text);
    if let Some((name, _)) = super::params::reference_at(text, offset) {
        return super::params::declared(&ast)
            .into_iter()
            .find(|p| p.name == name)
            .map(|p| p.span);
    }
    let place = Place::find(&ast, text, offset);
    let s = place.statement?;
    let i = s
        .args
        .iter()
        .position(|a| a.span.start() <= offset && offset <= a.span.end())?;
    let name = s.args[i].as_text()?;
    if matches!(s.keyword.as_str(), "daemonset" | "defaults")
        && s.args[..i].iter().any(|a| a.as_word() == Some("from"))
    {
        return ast
            .statements
            .iter()
            .filter(|d| d.keyword == "defaults")
            .filter_map(|d| d.args.first())
            .find(|a| a.as_text().as_deref() == Some(name.as_str()))
            .map(|a| a.span);
    }
    let previous = i.checked_sub(1).and_then(|p| s.args[p].as_word());
    let method = s.args.first().and_then(|a| a.as_word()).unwrap_or_default();
    let daemonset = place.enclosing(&["daemonset"])?;
    let named = |keyword: &'static str| {
        statements_of(daemonset, keyword)
            .filter_map(|v| v.args.first())
            .find(|a| a.as_text().as_deref() == Some(name.as_str()))
            .map(|a| a.span)
    };
    match (s.keyword.as_str(), previous) {
        ("mount", None) => named("volume"),
        (keyword, Some(_)) if i == 1 && names_a_port(keyword, method) => {
            let container = place.enclosing(&["container", "init"])?;
            statements_of(container, "port")
                .filter_map(port_name)
                .find(|(n, _)| *n == name)
                .map(|(_, span)| span)
        }
        ("env", Some("container")) => named("container").or_else(|| named("init")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::definition;

    #[test]
    fn a_from_name_leads_to_its_defaults_block() {
        let text = "defaults base { tolerate all }\ndefaults extra from ba|se { }\ndaemonset a from extra ba|se {\n}\n";
        let first = text.find('|').unwrap();
        let clean = text.replace('|', "");
        let second = text.rfind('|').unwrap() - 1;
        for at in [first, second] {
            let span = definition(&clean, at).unwrap();
            assert_eq!(
                (span.start(), &clean[span.start()..span.end()]),
                (9, "base")
            );
        }
    }

    #[test]
    fn a_parameter_leads_to_its_param() {
        let text = "param tag = 1
daemonset a {
  container b {
    image r/b:${tag}
  }
}
";
        let at = text.find("${tag}").unwrap() + 3;
        let span = definition(text, at).unwrap();
        assert_eq!(span.start(), 6);
        assert_eq!(&text[span.start()..span.end()], "tag");
    }

    fn target(text: &str) -> Option<String> {
        let offset = text.find('|').unwrap();
        let text = text.replacen('|', "", 1);
        definition(&text, offset).map(|s| format!("{}@{}", &text[s.start()..s.end()], s.start()))
    }

    #[test]
    fn names_lead_to_their_declarations() {
        let spec = "daemonset a {\n  volume logs host /var/log\n  container b {\n    port metrics 9100\n    mount lo|gs at /logs\n    readiness http met|rics /x\n    env C = resource limits.cpu container |b\n  }\n}\n";
        let only = |keep: usize| {
            let mut n = 0;
            spec.chars()
                .filter(|&c| {
                    if c != '|' {
                        return true;
                    }
                    n += 1;
                    n == keep
                })
                .collect::<String>()
        };
        assert_eq!(target(&only(1)), Some("logs@23".into()));
        assert_eq!(target(&only(2)), Some("metrics@67".into()));
        assert_eq!(target(&only(3)), Some("b@54".into()));
        assert_eq!(target("daemonset a {\n  host-net|work\n}\n"), None);
    }
}
