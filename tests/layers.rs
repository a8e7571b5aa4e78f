//! The architecture, checked: the layers of `src/` depend only downwards
//! (`web` → `views`, `app`, `runtime` → `db` → `core`), each layer names only the
//! frameworks it is there for (diesel in `db`, actix in `web`, askama in `views` and
//! `web`, none in `core`), and no two modules import each other, directly or in a circle.
//!
//! The check reads the source as text: every `use` tree and every `crate::`, `super::`,
//! `self::` or child-module path outside comments is resolved to the file that defines
//! it (following `pub use` re-exports), giving a graph of files whose cycles are found
//! with Tarjan's algorithm. The tests at the end run the same check on small made-up
//! trees, to show that it does fail on a cycle or a layer broken.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What each layer may import from this crate.
const ALLOWED: &[(&str, &[&str])] = &[
    ("core", &["core"]),
    ("db", &["core", "db"]),
    ("app", &["core", "db", "app"]),
    ("runtime", &["core", "db", "runtime"]),
    ("views", &["core", "views"]),
    ("web", &["core", "db", "app", "runtime", "views", "web"]),
];

/// Frameworks each layer must not name.
const FORBIDDEN_CRATES: &[(&str, &[&str])] = &[
    (
        "core",
        &["actix_web", "diesel", "diesel_migrations", "askama"],
    ),
    ("db", &["actix_web", "askama"]),
    ("app", &["actix_web", "diesel", "askama"]),
    ("runtime", &["actix_web", "diesel", "askama"]),
    ("views", &["actix_web", "diesel"]),
    ("web", &["diesel", "diesel_migrations"]),
];

/// A source tree: module path (`["web", "admin", "articles"]`) → the file's code, with
/// comments removed.
struct Tree {
    files: BTreeMap<Vec<String>, Source>,
}

struct Source {
    path: PathBuf,
    code: String,
}

/// The code without `//` comments (doc comments included) and `/* */` blocks, string
/// contents kept (paths do not occur in them here).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |at| &after[at..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |at| &after[at + 2..]);
        } else if rest.starts_with('"') {
            // Skip string literals so that "crate::x" in a message is not a path.
            let mut end = 1;
            let bytes = rest.as_bytes();
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            rest = rest.get(end + 1..).unwrap_or("");
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

impl Tree {
    fn read(src: &Path) -> Tree {
        let mut files = BTreeMap::new();
        read_dir(src, src, &mut files);
        Tree { files }
    }

    fn layer_of(module: &[String]) -> Option<&str> {
        let first = module.first()?;
        ALLOWED
            .iter()
            .map(|(layer, _)| *layer)
            .find(|layer| layer == first)
    }

    fn is_module(&self, module: &[String]) -> bool {
        self.files.contains_key(module)
    }

    /// The file that defines what `path` (from the crate root) names.
    fn resolve(&self, path: &[String], depth: usize) -> Option<Vec<String>> {
        let mut module: Vec<String> = Vec::new();
        for (n, segment) in path.iter().enumerate() {
            let mut child = module.clone();
            child.push(segment.clone());
            if self.is_module(&child) {
                module = child;
                continue;
            }
            // `segment` is an item of `module`: maybe a re-export to follow.
            if depth < 8
                && let Some(target) = self.reexport(&module, segment)
            {
                let mut full = target;
                full.extend(path[n + 1..].iter().cloned());
                return self.resolve(&full, depth + 1);
            }
            break;
        }
        (!module.is_empty()).then_some(module)
    }

    /// Where `pub use …::name` in `module` points (as a path from the crate root).
    fn reexport(&self, module: &[String], name: &str) -> Option<Vec<String>> {
        let source = self.files.get(module)?;
        for statement in use_statements(&source.code) {
            if !statement.public {
                continue;
            }
            for path in expand_use_tree(&statement.tree) {
                if path.last().map(String::as_str) == Some(name) {
                    return absolute(module, &path, self);
                }
            }
        }
        None
    }

    /// Every file each file refers to (other than itself).
    fn graph(&self) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
        let mut graph = BTreeMap::new();
        for (module, source) in &self.files {
            let mut targets = BTreeSet::new();
            for path in referenced_paths(module, &source.code, self) {
                if let Some(target) = self.resolve(&path, 0)
                    && &target != module
                    && !is_ancestor_declaring(&target, module)
                {
                    targets.insert(target);
                }
            }
            graph.insert(module.clone(), targets);
        }
        graph
    }
}

/// A module declares its children with `mod x;`; that alone is not a dependency, and a
/// path that resolves to the crate root (`lib.rs`) names a top-level module.
fn is_ancestor_declaring(target: &[String], _module: &[String]) -> bool {
    target.is_empty()
}

fn read_dir(root: &Path, dir: &Path, files: &mut BTreeMap<Vec<String>, Source>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_dir(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap();
            let mut module: Vec<String> = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|m| m == "mod") {
                module.pop();
            }
            if module == ["lib"] || module == ["main"] {
                module.clear();
            }
            let code = strip_comments(&std::fs::read_to_string(&path).unwrap());
            insert_with_inline_modules(files, module, &path, code);
        }
    }
}

/// Files `module`'s code, each inline `mod name { … }` (tests) as a module of its own, so
/// that `super::` inside it means the file's module.
fn insert_with_inline_modules(
    files: &mut BTreeMap<Vec<String>, Source>,
    module: Vec<String>,
    path: &Path,
    mut code: String,
) {
    while let Some((name, start, open, close)) = inline_module(&code) {
        let inner = code[open + 1..close].to_owned();
        code.replace_range(start..=close, "");
        let mut child = module.clone();
        child.push(name);
        insert_with_inline_modules(files, child, path, inner);
    }
    let path = path.to_owned();
    files.insert(module, Source { path, code });
}

/// The first `mod name {` of `code`: its name, where it starts, its `{` and its `}`.
fn inline_module(code: &str) -> Option<(String, usize, usize, usize)> {
    let mut from = 0;
    while let Some(at) = find_keyword(&code[from..], "mod").map(|at| at + from) {
        let after = &code[at + 3..];
        let name: String = after
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let rest = after.trim_start()[name.len()..].trim_start();
        if !name.is_empty() && rest.starts_with('{') {
            let open = code.len() - rest.len();
            let mut depth = 0;
            for (offset, c) in code[open..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some((name, at, open, open + offset));
                        }
                    }
                    _ => {}
                }
            }
            return None;
        }
        from = at + 3;
    }
    None
}

struct UseStatement {
    public: bool,
    tree: String,
}

/// The `use` statements of a file, each as its tree text (`crate::a::{b, c::d}`).
fn use_statements(code: &str) -> Vec<UseStatement> {
    let mut statements = Vec::new();
    let mut rest = code;
    while let Some(at) = find_keyword(rest, "use") {
        let before = rest[..at].trim_end();
        let public = before.ends_with("pub") || before.ends_with("pub(crate)");
        let after = &rest[at + 3..];
        let Some(end) = after.find(';') else { break };
        statements.push(UseStatement {
            public,
            tree: after[..end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        });
        rest = &after[end..];
    }
    statements
}

/// `word` as a whole word in `text`.
fn find_keyword(text: &str, word: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = text[from..].find(word) {
        let at = from + found;
        let before_ok = at == 0 || !is_ident(bytes[at - 1]);
        let after = at + word.len();
        let after_ok = after < bytes.len() && bytes[after].is_ascii_whitespace();
        if before_ok && after_ok {
            return Some(at);
        }
        from = after;
    }
    None
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `a::{b, c::{d, e}}` → `[a, b]`, `[a, c, d]`, `[a, c, e]` (`self` in a group names the
/// group's own path; `as` renames are dropped).
fn expand_use_tree(tree: &str) -> Vec<Vec<String>> {
    fn expand(prefix: &[String], tree: &str, out: &mut Vec<Vec<String>>) {
        let tree = tree.trim();
        if let Some(open) = tree.find('{') {
            let mut base = prefix.to_vec();
            base.extend(segments(&tree[..open]));
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            for part in split_top_level(inner) {
                if part.trim() == "self" {
                    out.push(base.clone());
                } else if !part.trim().is_empty() {
                    expand(&base, part, out);
                }
            }
        } else {
            let tree = tree.split(" as ").next().unwrap_or(tree);
            let mut path = prefix.to_vec();
            path.extend(segments(tree));
            if path.last().is_some_and(|s| s == "*") {
                path.pop();
            }
            out.push(path);
        }
    }
    let mut out = Vec::new();
    expand(&[], tree, &mut out);
    out
}

fn segments(path: &str) -> Vec<String> {
    path.split("::")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn split_top_level(inner: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (at, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
}

/// A path written in `module` as a path from the crate root: `crate::`, `super::`,
/// `self::` and child modules resolved; `None` for other crates' paths.
fn absolute(module: &[String], path: &[String], tree: &Tree) -> Option<Vec<String>> {
    let first = path.first()?;
    let mut base = module.to_vec();
    let rest = match first.as_str() {
        "crate" => {
            base.clear();
            &path[1..]
        }
        "self" => &path[1..],
        "super" => {
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
            rest
        }
        name => {
            let mut child = module.to_vec();
            child.push(name.to_owned());
            if !tree.is_module(&child) {
                return None;
            }
            path
        }
    };
    base.extend(rest.iter().cloned());
    Some(base)
}

/// Every path of this crate that `code` (in `module`) mentions, from the crate root.
fn referenced_paths(module: &[String], code: &str, tree: &Tree) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for statement in use_statements(code) {
        for path in expand_use_tree(&statement.tree) {
            paths.extend(absolute(module, &path, tree));
        }
    }
    // Paths in expressions and types: `crate::a::b`, `super::x`, `child::y`.
    let bytes = code.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if is_ident(bytes[at]) && (at == 0 || !(is_ident(bytes[at - 1]) || bytes[at - 1] == b':')) {
            let mut end = at;
            while end < bytes.len() && (is_ident(bytes[end]) || code[end..].starts_with("::")) {
                end += if code[end..].starts_with("::") { 2 } else { 1 };
            }
            let text = code[at..end].trim_end_matches(':');
            if text.contains("::") {
                paths.extend(absolute(module, &segments(text), tree));
            }
            at = end.max(at + 1);
        } else {
            at += 1;
        }
    }
    paths
}

/// Strongly connected components with more than one file: the import cycles.
fn cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct State<'a> {
        graph: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on_stack: BTreeSet<&'a Vec<String>>,
        next: usize,
        found: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(s: &mut State<'a>, node: &'a Vec<String>) {
        s.index.insert(node, s.next);
        s.low.insert(node, s.next);
        s.next += 1;
        s.stack.push(node);
        s.on_stack.insert(node);
        let graph = s.graph;
        for target in graph.get(node).into_iter().flatten() {
            let Some((target, _)) = graph.get_key_value(target) else {
                continue;
            };
            if !s.index.contains_key(target) {
                visit(s, target);
                let low = s.low[target].min(s.low[node]);
                s.low.insert(node, low);
            } else if s.on_stack.contains(target) {
                let low = s.index[target].min(s.low[node]);
                s.low.insert(node, low);
            }
        }
        if s.low[node] == s.index[node] {
            let mut component = Vec::new();
            while let Some(top) = s.stack.pop() {
                s.on_stack.remove(top);
                component.push(top.clone());
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.found
}

/// Imports that break the layering, as "file → module".
fn layer_violations(tree: &Tree) -> Vec<String> {
    let mut found = Vec::new();
    for (module, targets) in tree.graph() {
        let Some(layer) = Tree::layer_of(&module) else {
            continue;
        };
        let allowed = ALLOWED.iter().find(|(l, _)| *l == layer).unwrap().1;
        for target in targets {
            match Tree::layer_of(&target) {
                Some(to) if !allowed.contains(&to) => {
                    found.push(format!("{} → {}", module.join("::"), target.join("::")));
                }
                None if !target.is_empty() => {
                    found.push(format!(
                        "{} → {} (top level)",
                        module.join("::"),
                        target.join("::")
                    ));
                }
                _ => {}
            }
        }
    }
    found
}

/// Frameworks named where they do not belong, as "file: crate".
fn crate_violations(tree: &Tree) -> Vec<String> {
    let mut found = Vec::new();
    for (module, source) in &tree.files {
        let Some(layer) = Tree::layer_of(module) else {
            continue;
        };
        let forbidden = FORBIDDEN_CRATES
            .iter()
            .find(|(l, _)| *l == layer)
            .unwrap()
            .1;
        for name in forbidden {
            let named = source.code.match_indices(name).any(|(at, _)| {
                let bytes = source.code.as_bytes();
                let before_ok = at == 0 || !(is_ident(bytes[at - 1]) || bytes[at - 1] == b':');
                let after = &source.code[at + name.len()..];
                before_ok && (after.starts_with("::") || after.starts_with(';'))
            });
            if named {
                found.push(format!("{}: {name}", source.path.display()));
            }
        }
    }
    found
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn layers_only_depend_downwards() {
    let tree = Tree::read(&src());
    let violations = layer_violations(&tree);
    assert!(
        violations.is_empty(),
        "imports against the layering:\n{}",
        violations.join("\n")
    );
}

#[test]
fn each_layer_names_only_its_own_frameworks() {
    let tree = Tree::read(&src());
    let violations = crate_violations(&tree);
    assert!(
        violations.is_empty(),
        "frameworks out of place:\n{}",
        violations.join("\n")
    );
}

#[test]
fn no_modules_import_each_other_in_a_circle() {
    let tree = Tree::read(&src());
    let graph = tree.graph();
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    // The check sees the real code: every file, and the hundreds of imports between them.
    assert!(tree.files.len() > 50, "{} files read", tree.files.len());
    assert!(edges > 200, "only {edges} imports resolved");
    for layer in ["core", "db", "app", "runtime", "views", "web"] {
        assert!(
            graph.keys().any(|m| m.first().is_some_and(|f| f == layer)),
            "no files in {layer}"
        );
    }
    println!("{} modules, {edges} imports between them", graph.len());
    let found = cycles(&graph);
    let shown: Vec<String> = found
        .iter()
        .map(|c| {
            c.iter()
                .map(|m| m.join("::"))
                .collect::<Vec<_>>()
                .join(" ⇄ ")
        })
        .collect();
    assert!(found.is_empty(), "import cycles:\n{}", shown.join("\n"));
}

/// A made-up source tree in a temporary folder.
fn made_up(files: &[(&str, &str)]) -> (tempfile::TempDir, Tree) {
    let dir = tempfile::TempDir::new().unwrap();
    for (path, code) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, code).unwrap();
    }
    let tree = Tree::read(dir.path());
    (dir, tree)
}

#[test]
fn the_check_finds_a_cycle_through_re_exports_and_groups() {
    let (_dir, tree) = made_up(&[
        ("lib.rs", "pub mod runtime;"),
        (
            "runtime/mod.rs",
            "pub mod state;\npub mod cache;\npub use state::AppState;",
        ),
        (
            "runtime/state.rs",
            "use super::{cache::Cache, state};\npub struct AppState;",
        ),
        (
            "runtime/cache.rs",
            "// crate::runtime::AppState in a comment is no import\npub fn f(s: &crate::runtime::AppState) {}",
        ),
    ]);
    let found = cycles(&tree.graph());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0],
        [
            vec!["runtime".to_owned(), "cache".to_owned()],
            vec!["runtime".to_owned(), "state".to_owned()]
        ]
    );
    let (_dir, tree) = made_up(&[
        ("lib.rs", "pub mod runtime;"),
        (
            "runtime/mod.rs",
            "pub mod state;\npub mod cache;\npub use state::AppState;",
        ),
        (
            "runtime/state.rs",
            "use super::cache::Cache;\npub struct AppState;",
        ),
        (
            "runtime/cache.rs",
            "/// uses crate::runtime::AppState only in docs\npub struct Cache;",
        ),
    ]);
    assert!(cycles(&tree.graph()).is_empty());
}

#[test]
fn the_check_finds_an_upward_import_and_a_framework_out_of_place() {
    let (_dir, tree) = made_up(&[
        ("lib.rs", "pub mod core;\npub mod web;\npub mod db;"),
        ("core/mod.rs", "pub mod ids;"),
        (
            "core/ids.rs",
            "use crate::web::error::WebError;\nuse diesel::prelude::*;",
        ),
        ("db/mod.rs", "use crate::core::ids;"),
        ("web/mod.rs", "pub mod error;"),
        (
            "web/error.rs",
            "pub struct WebError;\nfn f() { crate::db::mod_fn(); }",
        ),
    ]);
    assert_eq!(layer_violations(&tree), ["core::ids → web::error"]);
    let crates = crate_violations(&tree);
    assert_eq!(crates.len(), 1, "{crates:?}");
    assert!(crates[0].ends_with("ids.rs: diesel"), "{crates:?}");
}
