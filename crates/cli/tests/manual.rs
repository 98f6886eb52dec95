//! The manual a user who clones the repository can open: `vanban --help`
//! of every command, README.md and `docs/` point to `docs/` (files that
//! exist) and never to the team's `shared/` folder, which a clone has not.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn help(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .arg("--help")
        .output()
        .expect("run vanban");
    assert!(out.status.success(), "vanban {args:?} --help failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The subcommands listed under "Commands:" of a help text.
fn subcommands(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A wrapped description continues with deeper indentation.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_owned)
        .collect()
}

/// Every `docs/...` path named in `text` (up to the first character that
/// cannot be part of a path).
fn docs_paths(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("docs/") {
        let tail = &rest[i..];
        let end = tail
            .find(|c: char| !(c.is_alphanumeric() || "/-_.".contains(c)))
            .unwrap_or(tail.len());
        found.push(tail[..end].trim_end_matches('.').to_owned());
        rest = &tail[end..];
    }
    found
}

fn assert_points_only_to_docs(what: &str, text: &str) {
    for (n, line) in text.lines().enumerate() {
        assert!(
            !line.contains("shared/contract") && !line.contains("../shared"),
            "{what}:{}: points to the team's shared folder, which a clone has not: {line}",
            n + 1
        );
    }
    for path in docs_paths(text) {
        assert!(
            repo().join(&path).exists(),
            "{what} names {path}, which is not in the repository"
        );
    }
}

#[test]
fn every_help_text_points_to_the_manual_in_the_repository() {
    let top = help(&[]);
    assert!(top.contains("docs/README.md"), "{top}");
    assert_points_only_to_docs("vanban --help", &top);
    let mut commands: Vec<Vec<String>> = subcommands(&top).into_iter().map(|c| vec![c]).collect();
    let mut seen = 0;
    while let Some(command) = commands.pop() {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let text = help(&args);
        assert_points_only_to_docs(&format!("vanban {} --help", command.join(" ")), &text);
        for sub in subcommands(&text) {
            let mut deeper = command.clone();
            deeper.push(sub);
            commands.push(deeper);
        }
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} commands found in the help");
}

#[test]
fn readme_and_the_manual_never_send_a_user_to_the_shared_folder() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    // The paragraph for the team's own developers may name their folder;
    // everything a user reads before it may not.
    let user_part = readme.split("\n## Tests").next().unwrap_or(&readme);
    assert_points_only_to_docs("README.md", user_part);
    assert!(user_part.contains("docs/README.md"));
    let docs = repo().join("docs");
    let mut pages = 0;
    for entry in std::fs::read_dir(&docs).expect("docs/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path).expect("read");
            assert!(
                !text.contains("shared/"),
                "{} mentions shared/",
                path.display()
            );
            check_relative_links(&path, &text);
            pages += 1;
        }
    }
    assert!(pages >= 5, "the manual has {pages} pages");
}

/// Every relative Markdown link `](file.md...)` of a page names a file.
fn check_relative_links(page: &Path, text: &str) {
    let dir = page.parent().expect("dir");
    for part in text.split("](").skip(1) {
        let Some(end) = part.find(')') else { continue };
        let target = part[..end].split('#').next().unwrap_or("");
        if target.is_empty() || target.contains("://") || target.starts_with('/') {
            continue;
        }
        assert!(
            dir.join(target).exists(),
            "{} links to {target}, which does not exist",
            page.display()
        );
    }
}
