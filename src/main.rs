//! The heatplan command line: parse, call the library, print.

mod cli;

use clap::Parser;

fn main() {
    quiet_on_closed_pipe();
    let args = cli::Cli::parse();
    std::process::exit(cli::run(args));
}

/// `heatplan … | head -2`: once the reader has gone, printing fails with
/// a broken pipe, which `print!` turns into a panic. Like other command-line
/// tools, heatplan then ends at once and quietly (exit 141, as if stopped by
/// SIGPIPE); its output files are always complete before it prints.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if text.starts_with("failed printing to std") && text.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}
