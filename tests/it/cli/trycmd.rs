//! Runs the trycmd cases of `tests/cmd/`: one `*.toml` per offline
//! behaviour (command line, environment, expected exit code), its expected
//! output in `*.stdout`/`*.stderr`, and its starting folder in `*.in/`.
//! Cases that write declare `fs.sandbox = true` and compare the folder they
//! leave with `*.out/`. Each case clears the environment (`env.inherit =
//! false`) so a developer's `WSDB_*` or `RUST_LOG` cannot change it.
//!
//! `TRYCMD=overwrite cargo test --test it trycmd` rewrites the expected
//! output; review the diff before committing it.

#[test]
fn offline_cases() {
    ::trycmd::TestCases::new()
        .register_bin("wsdb", std::path::Path::new(super::project::BIN))
        .case("tests/cmd/*.toml");
}
