//! Data flows one way: spec → check → plan → render → write (docs/decisions.md, "Data flow").
//! This test reads every `crate::…` path in `src/**/*.rs` and fails when a module imports one
//! that comes after it in that flow, so that the rule stays true.
//!
//! Stages, in order (a module may use its own stage and earlier ones):
//!
//! 0. `spec` (the model, its parsing and the rules that follow from it alone: a node's roles,
//!    its short name, the secrets a cluster needs), with `input` (reading the files a user
//!    names; `spec::load` reads through it and it returns `spec`'s error) and `text` (user text
//!    on one line, no stage's concept).
//! 1. Facts and pure functions that `check` and `plan` share: `targets` (what a release is: the
//!    Kubernetes versions kubespray ships), `pg` (placement-group sizing, including the request a
//!    spec's pools make), `secrets` (where secret values come from, how new ones are made, the
//!    vault format).
//! 2. `check`.
//! 3. `plan`.
//! 4. `render` (and the check that needs the rendered files: extra variables that clash).
//! 5. `output` (compare and write).
//!
//! Above the flow, free to use every stage and used by none: the crate root `lib.rs` (which
//! runs the stages in order: `check_spec`, `build`), `vault_file` (resolves, renders and
//! encrypts the vault: it needs the plan, `render` and the caller's inputs), `error` (one error
//! type wrapping each stage's), `init` and `schema` (commands of their own), and the binary
//! (`main.rs`, `cli.rs`, `commands/`).
//!
//! Unit tests (`#[cfg(test)] mod tests`) are not read: they may build their inputs with any
//! stage. Comments are not read either.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The stage of each top-level module of `src`; `None` for the modules above the flow.
fn stage(module: &str) -> Option<Option<u8>> {
    Some(match module {
        "spec" | "input" | "text" => Some(0),
        "targets" | "pg" | "secrets" => Some(1),
        "check" => Some(2),
        "plan" => Some(3),
        "render" => Some(4),
        "output" => Some(5),
        "lib" | "vault_file" | "error" | "init" | "schema" | "main" | "cli" | "commands" => None,
        _ => return None,
    })
}

/// Items of the crate root re-exported from a module, as `crate::Item` names them.
fn root_item_module(item: &str) -> &str {
    match item {
        "Error" => "error",
        "vault_file" => "vault_file",
        _ => "lib",
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src` belongs to: `check` for `src/check/pools.rs`, `lib`
/// for `src/lib.rs`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    Path::new(first)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// The code of a file without its unit tests and comments.
fn code(text: &str) -> String {
    let text = match text.find("\n#[cfg(test)]\nmod ") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The top-level modules (or crate root items) that `crate::` paths in `code` name:
/// `crate::plan::roles_of` and `crate::{Error, Inputs}` alike.
fn crate_paths(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if code[..at].chars().next_back().is_some_and(is_ident) {
            continue; // `cephspray_crate::`, not this crate.
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name: String = item.trim().chars().take_while(|&c| is_ident(c)).collect();
                if !name.is_empty() {
                    found.push(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
            found.push(name);
        }
    }
    found
}

/// Every `crate::` use in `src` that names a later stage, as `file: module → module`.
fn backward_imports(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let modules: BTreeMap<String, ()> = files.iter().map(|f| (module_of(src, f), ())).collect();
    let mut wrong = Vec::new();
    for file in &files {
        let from = module_of(src, file);
        let from_stage =
            stage(&from).unwrap_or_else(|| panic!("src/{from}: give this module a stage here"));
        let text = std::fs::read_to_string(file).unwrap();
        for name in crate_paths(&code(&text)) {
            let to = if modules.contains_key(&name) {
                name.as_str()
            } else {
                root_item_module(&name)
            };
            let to_stage =
                stage(to).unwrap_or_else(|| panic!("src/{to}: give this module a stage"));
            let backward = match (from_stage, to_stage) {
                // Above the flow: free to use anything.
                (None, _) => false,
                // A stage using what sits above the flow.
                (Some(_), None) => true,
                (Some(from), Some(to)) => to > from,
            };
            if backward {
                wrong.push(format!(
                    "{}: {from} uses crate::{name} ({to}), which comes after it",
                    file.strip_prefix(src.parent().unwrap()).unwrap().display()
                ));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    wrong
}

#[test]
fn no_module_imports_a_later_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let wrong = backward_imports(&src);
    assert!(
        wrong.is_empty(),
        "data flows spec → check → plan → render → write (tests/architecture.rs lists the \
         stages); these imports run backwards:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_reader_finds_backward_imports() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("check")).unwrap();
    std::fs::create_dir_all(src.join("plan")).unwrap();
    std::fs::write(
        src.join("check/mod.rs"),
        "use crate::plan::roles_of; // crate::render in a comment\nuse crate::{spec, render};\n\
         fn f() { crate::output::write(); }\n#[cfg(test)]\nmod tests {\n    use crate::init;\n}\n",
    )
    .unwrap();
    std::fs::write(
        src.join("plan/mod.rs"),
        "use crate::check::Diagnostic;\nuse crate::Error;\n",
    )
    .unwrap();
    std::fs::write(src.join("lib.rs"), "use crate::output::Tree;\n").unwrap();
    std::fs::write(src.join("output.rs"), "").unwrap();
    std::fs::write(src.join("render.rs"), "").unwrap();
    std::fs::write(src.join("spec.rs"), "").unwrap();
    std::fs::write(src.join("error.rs"), "").unwrap();
    assert_eq!(
        backward_imports(&src),
        [
            "src/check/mod.rs: check uses crate::output (output), which comes after it",
            "src/check/mod.rs: check uses crate::plan (plan), which comes after it",
            "src/check/mod.rs: check uses crate::render (render), which comes after it",
            "src/plan/mod.rs: plan uses crate::Error (error), which comes after it",
        ]
    );
}
