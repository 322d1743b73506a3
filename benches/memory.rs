//! Peak memory of `check` and `fmt` on the hostile shapes at 10 MB, as a multiple of the input:
//! each case runs in a fresh process (this bench started again with the case's name), which
//! reports the growth of its peak resident set (`VmHWM` in `/proc/self/status`, so Linux only).
//! Run with `cargo bench --bench memory`; `DSC_BENCH_MAX=1000000` measures at 1 MB.

use dsc::diagnostics::{render, LintLevels};
use dsc::source::SourceFile;

mod shapes;
use shapes::shapes;

/// The peak resident set so far, in bytes.
fn peak() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// One case, in this process: prints the peak growth over the input's size.
fn measure(size: usize, shape: &str, command: &str) {
    let Some((_, text)) = shapes(size).into_iter().find(|(name, _)| *name == shape) else {
        return;
    };
    let len = text.len();
    let file = SourceFile::new("hostile.ds", text);
    let before = peak().unwrap_or(0);
    match command {
        "check" => {
            let compiled = dsc::compile(&file, &LintLevels::default());
            for d in compiled.diagnostics.iter().take(100) {
                std::hint::black_box(render::human(&file, d, false));
            }
            std::hint::black_box(dsc::objects_to_yaml(&compiled.manifests, &file.name));
        }
        _ => {
            let _ = std::hint::black_box(dsc::source_to_formatted(&file));
        }
    }
    let grown = peak().unwrap_or(0).saturating_sub(before);
    println!(
        "{shape:<20} {command:<6} {:>6.1} MB peak for {:>5.1} MB: {:>5.1}x",
        grown as f64 / 1e6,
        len as f64 / 1e6,
        grown as f64 / len as f64
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let size: usize = std::env::var("DSC_BENCH_MAX")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(10_000_000);
    if let [_, flag, shape, command] = &args[..] {
        if flag == "--case" {
            measure(size, shape, command);
            return;
        }
    }
    if peak().is_none() {
        println!("skipped: peak memory is read from /proc, which this system does not have");
        return;
    }
    let Ok(me) = std::env::current_exe() else {
        return;
    };
    for (shape, _) in shapes(1_000) {
        for command in ["check", "fmt"] {
            let status = std::process::Command::new(&me)
                .args(["--case", shape, command])
                .status();
            if !status.is_ok_and(|s| s.success()) {
                println!("{shape} {command}: the case failed");
            }
        }
    }
}
