//! The library's layers read top-down (docs/architecture.md › Layers): this reads every
//! `crate::` path in `src/` and checks which module may name which, and that no import cycle
//! comes back. It is a plain test so that anyone can run it
//! (`cargo test -p leptos-auth --features sqlite,postgres --test suite layers::`) and CI
//! keeps it true.
//!
//! A module is a file or folder right under `src/` (`actions`, `store`, `core`, …); `lib.rs`
//! re-exports are followed to the module that defines the name. Doc comments and unit-test
//! modules are not imports.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The layers, top-down: a module may name modules of its own layer and of the layers below,
/// never above. Every module under `src/` must be in exactly one layer.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "endpoints and the app's surface",
        &[
            "actions",
            "client",
            "extract",
            "layer",
            "pages",
            "server_fns",
        ],
    ),
    (
        "flows",
        &[
            "devices",
            "email",
            "oauth",
            "ownership",
            "passkeys",
            "passwords",
            "register",
            "sign_in",
            "two_factor",
        ],
    ),
    ("the Auth facade", &["core"]),
    (
        "subsystems",
        &["audit", "provider_client", "session_lifecycle"],
    ),
    (
        "configuration",
        &["callbacks", "config", "mail", "providers"],
    ),
    // Below the configuration: it owns its policies, and the configuration names them.
    ("abuse defence", &["limits"]),
    (
        "foundation",
        &[
            "clock",
            "component_texts",
            "context",
            "error",
            "html",
            "i18n",
            "keys",
            "paths",
            "provider_kind",
            "redirect",
            "secret",
            "session",
            "store",
            "theme",
            "validation",
        ],
    ),
];

/// Modules at the very bottom: they name nothing of the crate but each other, so the store,
/// the keys and the wire types can be read, tested and replaced on their own.
const FOUNDATION: &[&str] = &["store", "keys", "secret", "provider_kind", "error"];

#[test]
fn nothing_outside_the_endpoints_imports_them() {
    let graph = import_graph();
    let importers: Vec<_> = graph
        .iter()
        .filter(|(module, uses)| *module != "actions" && uses.contains("actions"))
        .map(|(module, _)| module.as_str())
        .collect();
    assert!(
        importers.is_empty(),
        "domain code must not depend on the HTTP layer (`actions/`): {importers:?}"
    );
}

#[test]
fn the_foundation_names_nothing_above_it() {
    let graph = import_graph();
    for module in FOUNDATION {
        let above: Vec<_> = graph
            .get(*module)
            .into_iter()
            .flatten()
            .filter(|used| !FOUNDATION.contains(&used.as_str()))
            .collect();
        assert!(above.is_empty(), "{module} imports {above:?}");
    }
}

#[test]
fn no_module_imports_a_module_above_it() {
    let graph = import_graph();
    let layer_of = |module: &str| {
        LAYERS
            .iter()
            .position(|(_, members)| members.contains(&module))
            .unwrap_or_else(|| panic!("`{module}` is in no layer: add it to LAYERS"))
    };
    for (_, members) in LAYERS {
        for member in *members {
            assert!(
                graph.contains_key(*member),
                "LAYERS names `{member}`, which is gone"
            );
        }
    }
    let mut upward = Vec::new();
    for (module, uses) in &graph {
        for used in uses {
            if layer_of(used) < layer_of(module) {
                upward.push(format!(
                    "{module} ({}) imports {used} ({})",
                    LAYERS[layer_of(module)].0,
                    LAYERS[layer_of(used)].0
                ));
            }
        }
    }
    assert!(upward.is_empty(), "imports against the layers: {upward:#?}");
}

#[test]
fn no_import_cycle() {
    let cycles = cycles(&import_graph());
    assert!(cycles.is_empty(), "import cycles: {cycles:?}");
}

/// The test reads real imports: a module naming another through a `lib.rs` re-export, in a
/// `use` tree, or inline, is seen.
#[test]
fn the_reader_sees_every_way_of_naming_a_module() {
    let exports = BTreeMap::from([("Auth".to_owned(), "core".to_owned())]);
    let source = "use crate::{Auth, store::{User, Store}};\n\
                  /// crate::pages is only named in a comment\n\
                  fn f() { crate::keys::random_hex(1); }\n\
                  #[cfg(test)]\nmod tests { use crate::oauth; }\n";
    let used = modules_named(source, &exports);
    let nested = crate_relative("use super::super::{sign_in::SignedIn};", 2);
    assert_eq!(
        modules_named(&nested, &exports),
        BTreeSet::from(["sign_in".to_owned()])
    );
    assert_eq!(
        used,
        BTreeSet::from(["core".to_owned(), "keys".to_owned(), "store".to_owned()])
    );
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Which top-level module each file's code names.
fn import_graph() -> Graph {
    let src = src_dir();
    let modules: BTreeSet<String> = fs::read_dir(&src)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| {
            let name = path.file_stem()?.to_str()?.to_owned();
            (name != "lib").then_some(name)
        })
        .collect();
    // A module's own name wins over a root re-export of the same name (`crate::sign_in::…`
    // is the module, not the `sign_in` function of `client`).
    let mut exports = root_exports(&fs::read_to_string(src.join("lib.rs")).unwrap());
    exports.retain(|name, _| !modules.contains(name));
    let mut graph = Graph::new();
    for module in &modules {
        let mut files = Vec::new();
        rust_files(&src.join(module), &mut files);
        rust_files(&src.join(format!("{module}.rs")), &mut files);
        let uses = graph.entry(module.clone()).or_default();
        for file in files {
            let text = crate_relative(&fs::read_to_string(&file).unwrap(), depth(&src, &file));
            for used in modules_named(&text, &exports) {
                if &used != module && modules.contains(&used) {
                    uses.insert(used);
                }
            }
        }
    }
    graph
}

/// How deep a file's module is: 1 for `src/a.rs` and `src/a/mod.rs`, 2 for `src/a/b.rs`.
fn depth(src: &Path, file: &Path) -> usize {
    let segments = file.strip_prefix(src).unwrap().components().count();
    if file.ends_with("mod.rs") {
        segments - 1
    } else {
        segments
    }
}

/// `super::` paths that climb to the crate root, written as `crate::`.
fn crate_relative(source: &str, depth: usize) -> String {
    let to_root = "super::".repeat(depth);
    source.replace(&to_root, "crate::")
}

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in fs::read_dir(path).unwrap() {
            rust_files(&entry.unwrap().path(), out);
        }
    } else if path.is_file() && path.extension().is_some_and(|ext| ext == "rs") {
        out.push(path.to_owned());
    }
}

/// The names `lib.rs` re-exports, with the module each comes from.
fn root_exports(lib: &str) -> BTreeMap<String, String> {
    let mut exports = BTreeMap::new();
    for statement in lib.split(';') {
        let Some(start) = statement.find("pub use ") else {
            continue;
        };
        let tree = statement[start + "pub use ".len()..].trim();
        let tree = tree.strip_prefix("self::").unwrap_or(tree);
        for (path, name) in flatten_tree(tree) {
            if let Some(module) = path.first() {
                exports.insert(name, module.clone());
            }
        }
    }
    exports
}

/// `a::{b, c::{D, E}}` as `([a], b)`, `([a, c], D)`, `([a, c], E)`.
fn flatten_tree(tree: &str) -> Vec<(Vec<String>, String)> {
    let tree = tree.trim();
    if let Some(inner) = tree.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        return split_top_level(inner)
            .iter()
            .flat_map(|item| flatten_tree(item))
            .collect();
    }
    match tree.split_once("::") {
        Some((head, rest)) => flatten_tree(rest)
            .into_iter()
            .map(|(mut path, name)| {
                path.insert(0, head.trim().to_owned());
                (path, name)
            })
            .collect(),
        None if tree.is_empty() => Vec::new(),
        None => {
            let name = tree.rsplit(" as ").next().unwrap_or(tree).trim();
            vec![(Vec::new(), name.to_owned())]
        }
    }
}

fn split_top_level(list: &str) -> Vec<String> {
    let (mut items, mut current, mut depth) = (Vec::new(), String::new(), 0);
    for c in list.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items.into_iter().filter(|i| !i.trim().is_empty()).collect()
}

/// The top-level modules a source file names through `crate::` (root re-exports followed).
fn modules_named(source: &str, exports: &BTreeMap<String, String>) -> BTreeSet<String> {
    let code: String = source
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default()
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let resolve = |first: &str| exports.get(first).cloned().unwrap_or(first.to_owned());
    let mut named = BTreeSet::new();
    for statement in code.split(';') {
        if let Some((_, tree)) = statement.split_once("use crate::") {
            for (path, name) in flatten_tree(tree) {
                named.insert(resolve(path.first().unwrap_or(&name)));
            }
        }
    }
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let first: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !first.is_empty() {
            named.insert(resolve(&first));
        }
        rest = after;
    }
    named
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(state: &mut State<'g>, node: &'g str) {
        let index = state.index.len();
        state.index.insert(node, index);
        state.low.insert(node, index);
        state.stack.push(node);
        for next in state.graph.get(node).into_iter().flatten() {
            let next = next.as_str();
            if !state.index.contains_key(next) {
                visit(state, next);
                let low = state.low[node].min(state.low[next]);
                state.low.insert(node, low);
            } else if state.stack.contains(&next) {
                let low = state.low[node].min(state.index[next]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                component.push(member.to_owned());
                if member == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.found
}
