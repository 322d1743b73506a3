//! Diagnostics → text for people (miette) and for tools (short, JSON, GitHub annotations).
