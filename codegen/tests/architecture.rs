//! The module rules that ARCHITECTURE.md states, checked against the code:
//! which module of `codegen` and of `xtask` may use which (`crate::` paths),
//! that these uses form no cycle, and which crates only some modules may
//! name. The rules are read from ARCHITECTURE.md's tables, so the document
//! and the code cannot drift apart.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

/// One table of ARCHITECTURE.md: the rows between `<!-- rules: NAME -->`
/// and the next blank line, as module → (allowed modules, own crates).
type Rules = BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>;

fn rules(name: &str) -> Rules {
    let text = fs::read_to_string(workspace().join("ARCHITECTURE.md")).unwrap();
    let marker = format!("<!-- rules: {name} -->");
    let start = text.find(&marker).unwrap_or_else(|| panic!("ARCHITECTURE.md has no `{marker}`"));
    let mut rules = Rules::new();
    for row in text[start + marker.len()..].trim_start().lines().take_while(|l| l.starts_with('|')).skip(2) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        let names = |cell: &str| -> BTreeSet<String> {
            cell.split(',').map(|n| n.trim().trim_matches('`').to_owned()).filter(|n| !n.is_empty() && n != "none").collect()
        };
        let module = cells[0].trim_matches('`').to_owned();
        rules.insert(module, (names(cells[1]), names(cells.get(2).copied().unwrap_or(""))));
    }
    assert!(!rules.is_empty(), "the `{name}` table is empty");
    rules
}

/// Every `.rs` file below `src`, by its top-level module (`emit/types.rs`
/// belongs to `emit`; `lib.rs`/`main.rs` to `lib`/`main`).
fn modules(src: &Path) -> BTreeMap<String, Vec<TokenStream>> {
    let mut out: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
    let mut stack = vec![src.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path.strip_prefix(src).unwrap();
            let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
            let module = first.trim_end_matches(".rs").to_owned();
            let tokens: TokenStream = fs::read_to_string(&path).unwrap().parse().unwrap();
            out.entry(module).or_default().push(tokens);
        }
    }
    out
}

/// What a module's code names: the modules after `crate::`, and the first
/// segment of every other path (a crate's name, among others). Tokens inside
/// `quote!` are code the generator writes, not code it runs, and are skipped.
fn uses(tokens: TokenStream, modules: &mut BTreeSet<String>, roots: &mut BTreeSet<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let is_path_sep = |i: usize| {
        matches!((tokens.get(i), tokens.get(i + 1)), (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':')
    };
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Ident(ident) if ident == "quote" && matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!') => {
                roots.insert("quote".to_owned());
                i += 3;
                continue;
            }
            TokenTree::Ident(ident) if is_path_sep(i + 1) && !(i >= 2 && is_path_sep(i - 2)) => {
                if ident == "crate" {
                    match tokens.get(i + 3) {
                        Some(TokenTree::Ident(module)) => {
                            modules.insert(module.to_string());
                        }
                        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                            // `crate::{a, b::c}`: the first name of each entry.
                            let mut first = true;
                            for tree in group.stream() {
                                match tree {
                                    TokenTree::Ident(module) if first => {
                                        modules.insert(module.to_string());
                                        first = false;
                                    }
                                    TokenTree::Punct(p) if p.as_char() == ',' => first = true,
                                    _ => first = false,
                                }
                            }
                        }
                        _ => {}
                    }
                } else {
                    roots.insert(ident.to_string());
                }
            }
            TokenTree::Group(group) => uses(group.stream(), modules, roots),
            _ => {}
        }
        i += 1;
    }
}

/// Checks one crate's sources against its table; the entry module (`lib`,
/// `main`) may use every module and is not listed.
fn check(src: &str, table: &str, entry: &str) {
    let rules = rules(table);
    let found = modules(&workspace().join(src));
    let mut problems = Vec::new();
    let listed: BTreeSet<&String> = rules.keys().collect();
    let present: BTreeSet<&String> = found.keys().filter(|m| *m != entry).collect();
    for module in present.difference(&listed) {
        problems.push(format!("`{module}` is not in ARCHITECTURE.md's `{table}` table"));
    }
    for module in listed.difference(&present) {
        problems.push(format!("`{module}` is in the `{table}` table but not in {src}"));
    }
    // Crates that only some modules may name.
    let own: BTreeMap<&String, Vec<&String>> = rules
        .iter()
        .flat_map(|(module, (_, crates))| crates.iter().map(move |c| (c, module)))
        .fold(BTreeMap::new(), |mut map, (krate, module)| {
            map.entry(krate).or_insert_with(Vec::new).push(module);
            map
        });
    for (module, files) in &found {
        let (mut used, mut roots) = (BTreeSet::new(), BTreeSet::new());
        for tokens in files {
            uses(tokens.clone(), &mut used, &mut roots);
        }
        used.remove(module);
        if module != entry {
            let allowed = &rules.get(module).map(|r| &r.0).cloned().unwrap_or_default();
            for other in used.difference(allowed) {
                problems.push(format!("`{module}` uses `crate::{other}`, which the `{table}` table does not allow"));
            }
        }
        for (krate, owners) in &own {
            if roots.contains(krate.as_str()) && !owners.contains(&module) {
                problems.push(format!("`{module}` names `{krate}`, which only {owners:?} may"));
            }
        }
    }
    // The allowed uses themselves form no cycle.
    let mut done: BTreeSet<&str> = BTreeSet::new();
    while done.len() < rules.len() {
        let next = rules.iter().find(|(m, (allowed, _))| !done.contains(m.as_str()) && allowed.iter().all(|a| done.contains(a.as_str()) || !rules.contains_key(a)));
        match next {
            Some((module, _)) => {
                done.insert(module);
            }
            None => {
                let left: Vec<&String> = rules.keys().filter(|m| !done.contains(m.as_str())).collect();
                problems.push(format!("the `{table}` table allows a cycle among {left:?}"));
                break;
            }
        }
    }
    assert!(problems.is_empty(), "{src} against ARCHITECTURE.md:\n{}", problems.join("\n"));
}

#[test]
fn codegen_modules_use_only_what_architecture_md_allows() {
    check("codegen/src", "codegen", "lib");
}

#[test]
fn xtask_modules_use_only_what_architecture_md_allows() {
    check("xtask/src", "xtask", "main");
}
