# wsdb's everyday tasks. `just` lists them. CI runs `just ci` (via .ci/run).

default:
    @just --list

# --- build --------------------------------------------------------------------

# Build the wsdb binary and the TDS test server
build:
    cargo build --workspace

# Build optimised binaries
release:
    cargo build --workspace --release

# --- check --------------------------------------------------------------------

# The whole test suite (starts PostgreSQL when it is down)
test *ARGS:
    scripts/test {{ARGS}}

# Clippy with warnings as errors
lint:
    cargo clippy --workspace --all-targets --locked -- -D warnings

# Format the code
fmt:
    cargo fmt --all

# Exactly what CI runs: format check, clippy, the test suite
ci:
    .ci/run

# --- run ----------------------------------------------------------------------

# The self-contained demo: control PostgreSQL + TDS test server + a small fleet
demo:
    scripts/demo

# Regenerate completions/ and docs/man/ from the clap definition
generate:
    WSDB_BLESS=1 cargo test --test it generated

# --- measure ------------------------------------------------------------------

# Benchmarks: fleet migrate/status vs a bare tiberius baseline, pool hit latency
bench:
    scripts/bench

# Long reliability runs: crash trials, faults, concurrent runners, fuzzing (`--no-fuzz` to skip it)
chaos *ARGS:
    scripts/chaos {{ARGS}}
