// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Emits the kernel module around the message code.
//!
//! A module is one directory that builds into one `.ko` with `make KDIR=...`:
//!
//! | file | what it is |
//! | --- | --- |
//! | `Kbuild`, `Makefile` | the out-of-tree build, and `load`/`unload` helpers |
//! | `NAME_main.rs` | the crate root: `module!`, parameters, the receive path |
//! | `lkm_pb/` | the runtime, copied verbatim from `lkm-pb-core/src` ([`embedded`]) |
//! | `proto/` | the message code, one file per package, with runtime `crate::lkm_pb` |
//! | `lkm_shim.c`, `shim.rs`, `udp.rs` | the kernel shim, copied from `kernel-shim/` |
//! | `handler.rs` | the user's code; written only when it does not exist yet |

mod embedded;
mod udp;

use std::collections::BTreeMap;

use prost_types::FileDescriptorProto;

use crate::rust::MessageType;
use crate::{Config, Error, Flavour, GeneratedFile};

/// Generates the module of the configured flavour.
///
/// The module is self-contained, so the message code covers every file in `files`, imports
/// included.
pub(crate) fn generate(
    files: &[FileDescriptorProto],
    config: &Config,
) -> Result<Vec<GeneratedFile>, Error> {
    let to_generate: Vec<String> = files.iter().map(|f| f.name().to_owned()).collect();
    let to_generate = to_generate.as_slice();
    let message_name = message_name(files, to_generate, config)?;
    let message = crate::rust::message_type(files, &message_name, config.keeps_unknown_fields())
        .ok_or_else(|| Error::new(format!("no message `{message_name}` in the input files")))?;
    let name = module_name(&message_name, config)?;
    let kernel_config = config.clone().runtime_path("crate::lkm_pb");
    let messages = crate::rust::generate(files, to_generate, &kernel_config)?;

    let module = Module {
        name,
        message_name,
        message,
    };
    let mut out = Vec::new();
    out.extend(runtime_files());
    out.extend(proto_files(messages));
    match config.get_flavour() {
        Flavour::Udp => out.extend(udp::files(&module)),
        Flavour::Netfilter => {
            return Err(Error::new("flavour netfilter is not implemented yet"));
        }
        Flavour::None => return Ok(out),
    }
    Ok(out)
}

/// What the flavour emitters need to know about the module.
pub(super) struct Module {
    /// The module name: a C identifier, the name of the `.ko`.
    pub(super) name: String,
    /// The full protobuf name of the message the module receives.
    pub(super) message_name: String,
    /// Its Rust type.
    pub(super) message: MessageType,
}

impl Module {
    /// Returns the message type as seen from the crate root, with `<'a>` when it has a
    /// lifetime.
    pub(super) fn message_path(&self) -> String {
        let lifetime = if self.message.has_lifetime {
            "<'a>"
        } else {
            ""
        };
        format!("crate::proto::{}{lifetime}", self.message.path)
    }

    /// Returns the name of the module's Rust type, in `UpperCamelCase`.
    pub(super) fn type_name(&self) -> String {
        self.name
            .split('_')
            .filter(|part| !part.is_empty())
            .map(|part| {
                let mut chars = part.chars();
                chars
                    .next()
                    .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            })
            .collect::<String>()
            + "Module"
    }
}

/// Returns the message from the configuration, or the first top-level message of the first
/// file.
fn message_name(
    files: &[FileDescriptorProto],
    to_generate: &[String],
    config: &Config,
) -> Result<String, Error> {
    if let Some(name) = config.get_message() {
        return Ok(name.trim_start_matches('.').to_owned());
    }
    let first = to_generate
        .first()
        .and_then(|name| files.iter().find(|f| f.name() == name))
        .ok_or_else(|| Error::new("no input file"))?;
    let message = first.message_type.first().ok_or_else(|| {
        Error::in_file(first.name(), "no message to receive; the file defines none")
    })?;
    Ok(match first.package() {
        "" => message.name().to_owned(),
        package => format!("{package}.{}", message.name()),
    })
}

/// Returns the configured module name, or one made from the message's package (its name
/// when it has no package).
fn module_name(message_name: &str, config: &Config) -> Result<String, Error> {
    let name = match config.get_module_name() {
        Some(name) => name.to_owned(),
        None => match message_name.rsplit_once('.') {
            Some((package, _)) => package.replace('.', "_"),
            None => crate::rust::snake_case(message_name),
        },
    };
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() < 56;
    if !valid {
        return Err(Error::new(format!(
            "module name `{name}` is not a C identifier of at most 55 characters"
        )));
    }
    Ok(name)
}

/// Returns the runtime as module `lkm_pb`: a `mod.rs` with the crate's `pub mod` and
/// `pub use` lines, and every other file as it is.
fn runtime_files() -> Vec<GeneratedFile> {
    let mut root = String::from(
        "// SPDX-License-Identifier: GPL-2.0-only OR MIT\n\
         // @generated by lkm-codegen: the lkm-pb-core runtime. Do not edit.\n\n\
         //! The lkm-pb runtime: wire format, arena, framing and float bits, copied from\n\
         //! `lkm-pb-core` without changes.\n\n",
    );
    for line in embedded::RUNTIME_LIB.lines() {
        if line.starts_with("pub mod ") || line.starts_with("pub use ") {
            root.push_str(line);
            root.push('\n');
        }
    }
    let mut out = vec![generated("lkm_pb/mod.rs", root)];
    for (name, text) in embedded::RUNTIME_FILES {
        out.push(generated(&format!("lkm_pb/{name}.rs"), (*text).to_owned()));
    }
    out
}

/// Lays the per-package files out as the module tree `proto/`.
fn proto_files(messages: Vec<GeneratedFile>) -> Vec<GeneratedFile> {
    // Module path (package segments) -> child modules and own content.
    let mut tree: BTreeMap<Vec<String>, (Vec<String>, String)> = BTreeMap::new();
    tree.entry(Vec::new()).or_default();
    for file in messages {
        let package = file.name.trim_end_matches(".rs");
        let path: Vec<String> = if package == "_" {
            Vec::new()
        } else {
            crate::rust::package_module(package)
        };
        for depth in 0..path.len() {
            let parent = path[..depth].to_vec();
            let child = path[depth].clone();
            let children = &mut tree.entry(parent).or_default().0;
            if !children.contains(&child) {
                children.push(child);
            }
        }
        tree.entry(path).or_default().1 = file.content;
    }
    let mut out = Vec::new();
    for (path, (children, content)) in &tree {
        let mut text = String::new();
        if path.is_empty() {
            text.push_str("//! The message code generated from the `.proto` files, one module per package.\n\n");
        } else if children.is_empty() {
            // A leaf: the generated file as it is.
            out.push(generated(
                &format!("proto/{}.rs", path.join("/")),
                content.clone(),
            ));
            continue;
        }
        for child in children {
            text.push_str(&format!(
                "/// The `{child}` protobuf package.\npub mod {child};\n"
            ));
        }
        if !content.is_empty() {
            text.push('\n');
            text.push_str(content);
        }
        let name = if path.is_empty() {
            "proto/mod.rs".to_owned()
        } else {
            format!("proto/{}/mod.rs", path.join("/"))
        };
        out.push(generated(&name, text));
    }
    out
}

/// Returns a file that regenerating replaces.
pub(super) fn generated(name: &str, content: String) -> GeneratedFile {
    GeneratedFile {
        name: name.to_owned(),
        content,
        overwrite: true,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::{Config, Flavour};

    fn hello_world() -> Vec<crate::GeneratedFile> {
        let proto =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/hello_world/hello_world.proto");
        Config::new()
            .flavour(Flavour::Udp)
            .message("hello_world.Foo")
            .generate(&[proto])
            .unwrap()
    }

    #[test]
    fn udp_module_files() {
        let files = hello_world();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        for expected in [
            "Kbuild",
            "Makefile",
            "hello_world_main.rs",
            "handler.rs",
            "lkm_shim.c",
            "shim.rs",
            "udp.rs",
            "lkm_pb/mod.rs",
            "lkm_pb/frame.rs",
            "proto/mod.rs",
            "proto/hello_world.rs",
        ] {
            assert!(
                names.contains(&expected),
                "{expected} missing from {names:?}"
            );
        }
        for file in &files {
            assert_eq!(file.overwrite, file.name != "handler.rs", "{}", file.name);
        }
        let handler = files.iter().find(|f| f.name == "handler.rs").unwrap();
        assert!(handler.content.contains(
            "pub(crate) fn handle(message: &crate::proto::hello_world::Foo) \
             -> Option<crate::proto::hello_world::Foo>"
        ));
        let messages = files
            .iter()
            .find(|f| f.name == "proto/hello_world.rs")
            .unwrap();
        assert!(messages
            .content
            .contains("crate::lkm_pb::Message<'a> for Foo"));
        assert!(!messages.content.contains("lkm_pb_core"));
    }

    #[test]
    fn runtime_root_mirrors_the_crate() {
        let files = hello_world();
        let root = files.iter().find(|f| f.name == "lkm_pb/mod.rs").unwrap();
        for line in super::embedded::RUNTIME_LIB.lines() {
            if line.starts_with("pub mod ") || line.starts_with("pub use ") {
                assert!(root.content.contains(line), "{line}");
            }
        }
        assert!(!root.content.contains("#!["));
    }

    #[test]
    fn module_names() {
        let config = Config::new().module_name("bad-name");
        assert!(super::module_name("a.B", &config).is_err());
        assert_eq!(super::module_name("a.b.C", &Config::new()).unwrap(), "a_b");
        assert_eq!(super::module_name("Foo", &Config::new()).unwrap(), "foo");
    }
}
