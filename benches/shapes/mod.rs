//! The hostile inputs the `hostile` and `memory` benches measure, at any size: braces left open
//! (as many as the nesting limit of 16 allows, then the rest of the file), one error per line, one long
//! line, lists nested as deep as allowed, a daemonset of many labels, and a valid spec of many
//! statements for comparison.

/// Repeats `unit` (numbered by `{i}`) after `head` until the text has `size` bytes, then `tail`.
fn fill(head: &str, unit: &str, tail: &str, size: usize) -> String {
    let mut text = String::with_capacity(size + 64);
    text.push_str(head);
    let mut i = 0;
    while text.len() + tail.len() < size {
        text.push_str(&unit.replace("{i}", &i.to_string()));
        i += 1;
    }
    text.push_str(tail);
    text
}

pub fn shapes(size: usize) -> Vec<(&'static str, String)> {
    let container = "daemonset a in b {\n  container c {\n    image r.example.com/c:1.0\n";
    vec![
        (
            "unclosed braces",
            fill(&"x {\n".repeat(16), "  a {i}\n", "", size),
        ),
        (
            "an error per line",
            fill(container, "    bogus-key {i}\n", "  }\n}\n", size),
        ),
        ("one long line", fill("", "x", " {\n", size)),
        (
            "deep lists",
            fill(
                container,
                &format!("    args {}a{{i}}{}\n", "[".repeat(14), "]".repeat(14)),
                "  }\n}\n",
                size,
            ),
        ),
        (
            // Each label is recorded for the object, the selector and the pods: once a scan of
            // every record per label (quadratic), now a lookup.
            "many labels",
            fill(
                "daemonset a in b {\n",
                "  labels k{i}=v\n",
                "  container c {\n    image r.example.com/c:1.0\n  }\n}\n",
                size,
            ),
        ),
        (
            "valid statements",
            fill(
                container,
                "    env VAR_{i} = \"value {i}\"\n",
                "  }\n}\n",
                size,
            ),
        ),
    ]
}
