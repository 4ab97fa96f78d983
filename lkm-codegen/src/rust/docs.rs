// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Doc comments from `.proto` comments.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use prost_types::FileDescriptorProto;
use quote::quote;

/// The comments of one file, by descriptor path.
pub(crate) struct Comments {
    by_path: HashMap<Vec<i32>, String>,
}

impl Comments {
    /// Collects the leading (or else trailing) comment of every element of `file`.
    pub(crate) fn new(file: &FileDescriptorProto) -> Self {
        let mut by_path = HashMap::new();
        for location in file.source_code_info.iter().flat_map(|info| &info.location) {
            let text = location
                .leading_comments
                .as_deref()
                .or(location.trailing_comments.as_deref())
                .map(str::trim_end)
                .filter(|text| !text.trim().is_empty());
            if let Some(text) = text {
                by_path
                    .entry(location.path.clone())
                    .or_insert_with(|| text.to_owned());
            }
        }
        Self { by_path }
    }

    /// Returns the doc attributes for the element at `path`, or `fallback` when the
    /// `.proto` has no comment there.
    pub(crate) fn doc(&self, path: &[i32], fallback: &str) -> TokenStream {
        match self.by_path.get(path) {
            Some(text) => doc_attrs(text),
            None => doc_attrs(fallback),
        }
    }
}

/// Returns `#[doc]` attributes for `text`.
///
/// Indented lines and fences in protobuf comments are rarely Rust; the comment is then put
/// in a `text` block so that rustdoc neither formats nor tests it as code.
pub(crate) fn doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<&str> = text.lines().collect();
    let indent = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let lines: Vec<String> = lines
        .iter()
        .map(|line| line.get(indent..).unwrap_or("").trim_end().to_owned())
        .collect();
    let verbatim = lines
        .iter()
        .any(|line| line.starts_with("  ") || line.starts_with('\t') || line.contains("```"));
    let lines = indent_list_continuations(lines);
    let mut out: Vec<String> = Vec::new();
    if verbatim {
        out.push("```text".to_owned());
        out.extend(lines.iter().map(|line| line.replace("```", "'''")));
        out.push("```".to_owned());
    } else {
        out.extend(lines);
    }
    let attrs = out.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Indents the lines that continue a Markdown list item, so that rustdoc keeps them in the
/// item instead of reading them as a new paragraph.
fn indent_list_continuations(lines: Vec<String>) -> Vec<String> {
    let mut in_item = false;
    lines
        .into_iter()
        .map(|line| {
            let trimmed = line.trim_start();
            let is_item = trimmed.starts_with("- ")
                || trimmed.starts_with("* ")
                || trimmed
                    .split_once(". ")
                    .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if line.trim().is_empty() {
                in_item = false;
                line
            } else if is_item {
                in_item = true;
                line
            } else if in_item && !line.starts_with(' ') {
                format!("  {line}")
            } else {
                line
            }
        })
        .collect()
}
