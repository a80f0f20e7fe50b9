//! The layers of ARCHITECTURE.md hold: no module refers to one its row says it must not
//! depend on. The table is the source; this test reads it and the files of `src/`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A row of the table: the modules it is about and the modules they must not depend on.
struct Rule {
    modules: Vec<String>,
    forbidden: Vec<String>,
}

/// The names in backticks in a table cell.
fn quoted(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn rules(architecture: &str) -> Vec<Rule> {
    architecture
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").collect();
            let [modules, _, forbidden] = cells[..] else {
                return None;
            };
            Some(Rule {
                modules: quoted(modules),
                forbidden: quoted(forbidden),
            })
        })
        .filter(|r| !r.forbidden.is_empty())
        .collect()
}

/// The source files of `module` (`edgar::client` → `src/edgar/client.rs`, `document` →
/// every file below `src/document/`), with the module path of each.
fn files_of(src: &Path, module: &str) -> Vec<(PathBuf, Vec<String>)> {
    let parts: Vec<String> = module.split("::").map(str::to_string).collect();
    let base = parts.iter().fold(src.to_path_buf(), |p, m| p.join(m));
    let file = base.with_extension("rs");
    if file.is_file() {
        return vec![(file, parts)];
    }
    common::files_below(&base)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|path| {
            let rel = path.strip_prefix(src).unwrap().with_extension("");
            let mut m: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if m.last().is_some_and(|l| l == "mod") {
                m.pop();
            }
            (path, m)
        })
        .collect()
}

/// The crate modules a file's code refers to, as paths (`edgar::client::Client`):
/// `crate::…` anywhere, and `super::…` resolved against the file's module path. Its unit
/// tests (from `#[cfg(test)]` on) are not the layer's code and are left out.
fn references(text: &str, module: &[String]) -> BTreeSet<String> {
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut out = BTreeSet::new();
    let path_at = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect::<String>()
            .trim_end_matches(':')
            .to_string()
    };
    for (at, _) in text.match_indices("crate::") {
        let before = text[..at].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        out.insert(path_at(&text[at + "crate::".len()..]));
    }
    for (at, _) in text.match_indices("super::") {
        let mut rest = &text[at..];
        let mut base: Vec<String> = module.to_vec();
        while let Some(r) = rest.strip_prefix("super::") {
            base.pop();
            rest = r;
        }
        let tail = path_at(rest);
        if !tail.is_empty() {
            base.push(tail);
        }
        out.insert(base.join("::"));
    }
    out
}

/// Does `reference` name `forbidden` or something inside it?
fn within(reference: &str, forbidden: &str) -> bool {
    reference == forbidden || reference.starts_with(&format!("{forbidden}::"))
}

fn violations(root: &Path) -> Vec<String> {
    let architecture = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let rules = rules(&architecture);
    assert!(
        rules.len() >= 10,
        "the table of ARCHITECTURE.md was not read"
    );
    let src = root.join("src");
    let mut found = Vec::new();
    for rule in &rules {
        for module in &rule.modules {
            for (file, path) in files_of(&src, module) {
                let text = std::fs::read_to_string(&file).unwrap();
                for r in references(&text, &path) {
                    // a module may use its own parts
                    if within(&r, module) {
                        continue;
                    }
                    if let Some(f) = rule.forbidden.iter().find(|f| within(&r, f)) {
                        found.push(format!(
                            "{} refers to {r}: `{module}` must not depend on `{f}`",
                            file.display()
                        ));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn no_module_depends_on_one_its_layer_forbids() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = violations(root);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn references_are_read_from_uses_paths_and_super() {
    let text = "use crate::edgar::{self, Client};\nuse super::cache::Cache;\n\
                let x = crate::retry::wait(0, None);\nuse super::super::config::X;";
    let module = ["edgar".to_string(), "client".to_string()];
    let r = references(text, &module);
    assert!(r.contains("edgar"));
    assert!(r.contains("edgar::cache::Cache"));
    assert!(r.contains("retry::wait"));
    assert!(r.contains("config::X"));
    assert!(within("edgar::client::Client", "edgar"));
    assert!(!within("edgarx", "edgar"));
}
