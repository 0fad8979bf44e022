//! Diagnostics on stderr through `tracing`: `-v` info, `-vv` debug, `-vvv`
//! trace, `--quiet` errors only; `RUST_LOG` overrides all of them. Nothing
//! logged anywhere in wsdb carries a secret: values that could are
//! `config::Secret`, whose Debug/Display print `***`.

use tracing_subscriber::EnvFilter;

use crate::cli::GlobalArgs;

/// Installs the global subscriber (once per process).
pub fn init(global: &GlobalArgs) {
    let default = match (global.quiet, global.verbose) {
        (true, _) => "error",
        (false, 0) => "error,wsdb=warn",
        (false, 1) => "wsdb=info",
        (false, 2) => "wsdb=debug",
        (false, _) => "trace",
    };
    let filter = EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    // A second init (tests calling `cli::main` twice) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .try_init();
}
