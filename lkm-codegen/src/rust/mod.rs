// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Emits Rust message code from descriptors.
//!
//! One file per package: `pkg.name.rs` (`_.rs` for files without a package), meant to be
//! mounted at the Rust module path of its package (`pkg::name`), since references between
//! packages are relative (`super::other::Type`). Nested types of a message live in a module
//! named after it in `snake_case`.

mod docs;
mod enums;
mod field;
mod index;
mod message;
mod names;
mod prelude;

use proc_macro2::TokenStream;
use prost_types::FileDescriptorProto;

use crate::{Config, Error, GeneratedFile};
use field::Context;
use index::TypeIndex;
use message::FileEmitter;

pub(crate) use index::package_module;
pub use names::public as naming;
pub(crate) use names::snake_case;

/// Generates one Rust file per package of the files named in `to_generate`.
///
/// `files` holds every file in dependency order (imports first), as protoc gives them.
pub(crate) fn generate(
    files: &[FileDescriptorProto],
    to_generate: &[String],
    config: &Config,
) -> Result<Vec<GeneratedFile>, Error> {
    let rt: TokenStream = syn::parse_str::<syn::Path>(config.get_runtime_path())
        .map(|path| quote::ToTokens::to_token_stream(&path))
        .map_err(|e| {
            Error::new(format!(
                "invalid runtime path `{}`: {e}",
                config.get_runtime_path()
            ))
        })?;
    let keep_unknown = config.keeps_unknown_fields();
    let index = TypeIndex::new(files, keep_unknown);

    // Packages in the order their first file appears.
    let mut packages: Vec<(String, Vec<&FileDescriptorProto>)> = Vec::new();
    for name in to_generate {
        let file = files
            .iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| Error::in_file(name, "file to generate is missing from the input"))?;
        check_syntax(file)?;
        let package = file.package().to_owned();
        match packages.iter_mut().find(|(p, _)| *p == package) {
            Some((_, list)) => list.push(file),
            None => packages.push((package, vec![file])),
        }
    }

    let mut out = Vec::new();
    for (package, package_files) in packages {
        let module = index::package_module(&package);
        let prefix = if package.is_empty() {
            String::new()
        } else {
            format!("{package}.")
        };
        let mut items = TokenStream::new();
        // The types the package's module declares, which may shadow prelude names.
        let declared: Vec<String> = package_files
            .iter()
            .flat_map(|f| {
                let messages = f.message_type.iter().map(|m| m.name());
                messages.chain(f.enum_type.iter().map(|e| e.name()))
            })
            .map(|name| names::type_ident(name).to_string())
            .collect();
        let prelude = prelude::Prelude::for_scope(&declared);
        for file in &package_files {
            let mut emitter = FileEmitter {
                ctx: Context {
                    index: &index,
                    rt: rt.clone(),
                    module: module.clone(),
                    file,
                    message: String::new(),
                    message_path: Vec::new(),
                    message_fields: Vec::new(),
                    prelude: prelude.clone(),
                },
                comments: docs::Comments::new(file),
                proto3: file.syntax() == "proto3",
                keep_unknown,
            };
            for (i, message) in file.message_type.iter().enumerate() {
                items.extend(emitter.message(message, &[4, i as i32], &prefix)?);
            }
            for (i, enumeration) in file.enum_type.iter().enumerate() {
                emitter.ctx.message = package.clone();
                items.extend(emitter.enumeration(enumeration, &[5, i as i32], &prefix)?);
            }
        }
        let sources: Vec<&str> = package_files.iter().map(|f| f.name()).collect();
        let name = if package.is_empty() {
            "_.rs".to_owned()
        } else {
            format!("{package}.rs")
        };
        out.push(GeneratedFile {
            name,
            content: render(&sources, items)?,
            overwrite: true,
        });
    }
    Ok(out)
}

/// The Rust type of a message, as code outside the generated files names it.
pub(crate) struct MessageType {
    /// The path from the root of the generated code, such as `hello_world::Foo`.
    pub(crate) path: String,
    /// Whether the type takes the `'a` lifetime.
    pub(crate) has_lifetime: bool,
}

/// Returns the Rust type of message `full_name` (`pkg.Message`, no leading dot), or `None`
/// when `files` define no message of that name.
pub(crate) fn message_type(
    files: &[FileDescriptorProto],
    full_name: &str,
    keep_unknown: bool,
) -> Option<MessageType> {
    let index = TypeIndex::new(files, keep_unknown);
    let info = index.get(full_name)?;
    if !matches!(info.kind, index::TypeKind::Message { .. }) {
        return None;
    }
    let mut segments: Vec<String> = info
        .module
        .iter()
        .map(|s| names::ident(s).to_string())
        .collect();
    segments.push(names::ident(&info.name).to_string());
    Some(MessageType {
        path: segments.join("::"),
        has_lifetime: info.needs_lifetime(),
    })
}

/// Rejects syntaxes the generator does not support.
fn check_syntax(file: &FileDescriptorProto) -> Result<(), Error> {
    match file.syntax() {
        "" | "proto2" | "proto3" => Ok(()),
        "editions" => Err(Error::in_file(
            file.name(),
            "editions are not supported yet; use syntax = \"proto2\" or \"proto3\"",
        )),
        other => Err(Error::in_file(
            file.name(),
            format!("unknown syntax `{other}`"),
        )),
    }
}

/// Formats generated items as a file with a header naming its sources.
fn render(sources: &[&str], items: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(items).map_err(|e| {
        Error::new(format!(
            "internal error: generated code does not parse: {e}"
        ))
    })?;
    let mut text = format!(
        "// @generated by lkm-codegen from {}. Do not edit.\n\n",
        sources.join(", ")
    );
    text.push_str(&separate_items(&prettyplease::unparse(&file)));
    Ok(text)
}

/// Puts a blank line between consecutive items, as hand-written code has.
fn separate_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut previous = "";
    for line in code.lines() {
        let item_start = ["#[", "///", "//!", "impl", "pub ", "fn ", "mod "]
            .iter()
            .any(|start| line.trim_start().starts_with(start));
        let indent = |text: &str| text.len() - text.trim_start().len();
        let closes_item = previous.trim_end().ends_with('}')
            && !previous.trim_start().starts_with("//")
            && indent(previous) == indent(line);
        if closes_item && item_start {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
    }
    out
}
