//! The `dsc` binary: parse the command line, run the subcommand, exit with its code.

#![forbid(unsafe_code)]

mod cli;

// Compiling a spec makes many small short-lived allocations (syntax tree, JSON values, YAML
// text); mimalloc serves them in a fraction of the system allocator's time, on every thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
