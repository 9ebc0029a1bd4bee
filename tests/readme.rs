//! The README's "Use it in your own Leptos app" shows code a new user copies: every Rust
//! block there must be a verbatim excerpt of `examples/minimal`, which CI compiles for the
//! server and the client, so that none of them can drift into code that does not build.

fn significant_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_rust_block_of_the_app_guide_is_code_of_examples_minimal() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let start = readme
        .find("## Use it in your own Leptos app")
        .expect("the guide");
    let end = start + readme[start..].find("\n### ").expect("the guide's end");
    let guide = &readme[start..end];
    let sources: Vec<Vec<String>> = ["src/lib.rs", "src/main.rs"]
        .iter()
        .map(|file| {
            significant_lines(
                &std::fs::read_to_string(format!("{root}/examples/minimal/{file}")).unwrap(),
            )
        })
        .collect();
    let blocks: Vec<&str> = guide
        .split("```rust\n")
        .skip(1)
        .map(|rest| &rest[..rest.find("```").expect("a closed block")])
        .collect();
    assert!(
        blocks.len() >= 4,
        "the guide's Rust blocks: {}",
        blocks.len()
    );
    for block in blocks {
        let lines = significant_lines(block);
        let found = sources.iter().any(|source| {
            source
                .windows(lines.len())
                .any(|window| window == lines.as_slice())
        });
        assert!(
            found,
            "this README block is not in examples/minimal (copy it from there):\n{block}"
        );
    }
}
