//! The generated files checked into the repository, kept equal to what the
//! code generates: shell completions under `completions/`
//! (`wsdb::cli::completions::CHECKED_IN`) and man pages under `docs/man/`
//! (`wsdb::cli::completions::man_pages`).
//!
//! A stale, missing or leftover file fails the test with the list of them;
//! `WSDB_BLESS=1` (what `just generate` sets) rewrites them instead. Dot
//! files (`.gitattributes`) are not generated and are left alone.

use std::path::{Path, PathBuf};

use wsdb::cli::completions::{CHECKED_IN, completion_script, man_pages};

/// Whether to rewrite the files instead of comparing them.
fn blessing() -> bool {
    std::env::var_os("WSDB_BLESS").is_some_and(|value| value == "1")
}

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Compares (or, blessing, writes) `expected` against the files of `dir`,
/// and returns what differed.
fn sync(dir: &Path, expected: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, contents) in expected {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(found) if &found == contents => continue,
            Ok(_) => problems.push(format!("{} is out of date", path.display())),
            Err(_) => problems.push(format!("{} is missing", path.display())),
        }
        if blessing() {
            std::fs::create_dir_all(dir).expect("create the folder");
            std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {name}: {e}"));
        }
    }
    for leftover in leftovers(dir, expected) {
        problems.push(format!("{} is not generated any more", leftover.display()));
        if blessing() {
            std::fs::remove_file(&leftover)
                .unwrap_or_else(|e| panic!("remove {}: {e}", leftover.display()));
        }
    }
    problems
}

/// Files of `dir` (dot files aside) that nothing generates.
fn leftovers(dir: &Path, expected: &[(String, Vec<u8>)]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            !name.starts_with('.') && !expected.iter().any(|(known, _)| *known == name)
        })
        .collect();
    found.sort();
    found
}

#[track_caller]
fn assert_in_sync(problems: Vec<String>) {
    if blessing() {
        for problem in &problems {
            eprintln!("rewrote: {problem}");
        }
        return;
    }
    assert!(
        problems.is_empty(),
        "generated files differ from the code:\n  {}\nhint: run `just generate` (WSDB_BLESS=1 cargo test --test it generated) and commit the result",
        problems.join("\n  ")
    );
}

#[test]
fn completions_are_up_to_date() {
    let expected: Vec<(String, Vec<u8>)> = CHECKED_IN
        .iter()
        .map(|(shell, name)| ((*name).to_owned(), completion_script(*shell).into_bytes()))
        .collect();
    assert_in_sync(sync(&repository().join("completions"), &expected));
}

#[test]
fn man_pages_are_up_to_date() {
    let expected = man_pages().expect("render the man pages");
    assert!(
        expected.iter().any(|(name, _)| name == "wsdb.1"),
        "the top-level page is generated"
    );
    assert_in_sync(sync(&repository().join("docs/man"), &expected));
}

/// `wsdb completions SHELL` prints the script the checked-in file must hold
/// (the test above keeps them equal): the files are what the binary gives.
#[test]
fn the_completions_command_prints_the_checked_in_scripts() {
    for (shell, name) in CHECKED_IN {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_wsdb"))
            .args(["completions", &shell.to_string()])
            .env_clear()
            .output()
            .expect("run wsdb completions");
        assert!(output.status.success(), "{shell}: {output:?}");
        assert_eq!(
            output.stdout,
            completion_script(shell).into_bytes(),
            "`wsdb completions {shell}` differs from the script behind completions/{name}"
        );
    }
}
