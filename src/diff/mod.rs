//! Diff: canonicalize a previous or live DaemonSet and the compiled one, compare, and render.
