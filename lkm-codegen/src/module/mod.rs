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
//! | `lkm_shim.c`, `shim.rs`, and `udp.rs` or `netfilter.rs` | the kernel shim, copied from `kernel-shim/` |
//! | `handler.rs` | the user's code; written only when it does not exist yet |

mod embedded;
mod netfilter;
mod udp;

use std::collections::BTreeMap;

use prost_types::FileDescriptorProto;

use crate::rust::MessageType;
use crate::{Config, Error, Flavour, GeneratedFile, MAX_MODULE_DEPTH_LIMIT, MODULE_DEPTH_LIMIT};

/// Generates the module of the configured flavour.
///
/// The module is self-contained, so the message code covers every file in `files`, imports
/// included.
pub(crate) fn generate(
    files: &[FileDescriptorProto],
    requested: &[String],
    config: &Config,
) -> Result<Vec<GeneratedFile>, Error> {
    let message_name = message_name(files, requested, config)?;
    // The module must be self-contained, so it carries the code of every input file,
    // imports included.
    let to_generate: Vec<String> = files.iter().map(|f| f.name().to_owned()).collect();
    let to_generate = to_generate.as_slice();
    let message = crate::rust::message_type(files, &message_name, config.keeps_unknown_fields())
        .ok_or_else(|| Error::new(format!("no message `{message_name}` in the input files")))?;
    let name = module_name(&message_name, config)?;
    let depth_limit = config.get_depth_limit();
    if depth_limit > MAX_MODULE_DEPTH_LIMIT {
        return Err(Error::new(format!(
            "depth limit {depth_limit} is above {MAX_MODULE_DEPTH_LIMIT}: at 100 to 600 bytes \
             per nesting level the decoder could overflow the 16 KiB kernel stack"
        )));
    }
    let kernel_config = config.clone().runtime_path("crate::lkm_pb");
    let messages = crate::rust::generate(files, to_generate, &kernel_config)?;

    let module = Module {
        name,
        message_name,
        message,
        depth_limit,
    };
    let mut out = Vec::new();
    out.extend(runtime_files());
    out.extend(proto_files(messages));
    match config.get_flavour() {
        Flavour::Udp => out.extend(udp::files(&module)),
        Flavour::Netfilter => out.extend(netfilter::files(&module)),
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
    /// How deeply the messages it receives may nest.
    pub(super) depth_limit: u32,
}

impl Module {
    /// Returns the `use` item that brings the message type into a file whose own code uses
    /// the names `taken`, and the name the file calls it by: its own, or `<Name>Message`
    /// when that is taken (or is the module's type).
    pub(super) fn message_import(&self, taken: &[&str]) -> (String, String) {
        let path = &self.message.path;
        let last = path.rsplit("::").next().unwrap_or(path);
        if taken.contains(&last) || last == self.type_name() {
            let alias = format!("{last}Message");
            (format!("use crate::proto::{path} as {alias};"), alias)
        } else {
            (format!("use crate::proto::{path};"), last.to_owned())
        }
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

/// Names the crate roots of both flavours use, from their imports, the kernel prelude and
/// the Rust prelude: a message with one of these names is imported under another.
pub(super) const ROOT_NAMES: &[&str] = &[
    "Arena",
    "DecodeOptions",
    "Drop",
    "Err",
    "Frames",
    "Message",
    "None",
    "Ok",
    "Option",
    "Result",
    "Some",
    "ThisModule",
    "Verdict",
];

/// Names the default handlers of both flavours use besides the message.
pub(super) const HANDLER_NAMES: &[&str] =
    &["AtomicU32", "None", "Option", "Ordering", "Some", "Verdict"];

/// Returns the crate root's `module!` invocation; `description` is completed with the
/// generator's name.
///
/// It uses only the keys that the macro takes alike on every supported kernel line (6.12
/// has no parameters and spells `authors` as `author`): the parameters and the author are
/// declared in `lkm_shim.c`.
pub(super) fn module_macro(module: &Module, description: &str) -> String {
    format!(
        "module! {{
    type: {ty},
    name: \"{name}\",
    description: \"{description} (generated by lkm-pb)\",
    license: \"GPL\",
}}
",
        ty = module.type_name(),
        name = module.name,
    )
}

/// The parts of the default `handler.rs` that differ between flavours.
pub(super) struct HandlerTemplate<'a> {
    /// The module documentation after its first line: where and when `handle` runs.
    pub(super) context: &'a str,
    /// `use` items of the flavour, before the message's.
    pub(super) uses: &'a str,
    /// The documentation of `handle`: its first paragraph, then how the default ends.
    pub(super) doc: (&'a str, &'a str),
    /// The signature of `handle`, without its body.
    pub(super) signature: &'a str,
    /// The value the default `handle` returns.
    pub(super) returns: &'a str,
}

/// Returns the default `handler.rs`: a `handle` that logs the first messages it gets.
pub(super) fn handler_file(
    module: &Module,
    import: &str,
    template: &HandlerTemplate<'_>,
) -> String {
    let HandlerTemplate {
        context,
        uses,
        doc: (summary, ending),
        signature,
        returns,
    } = template;
    format!(
        r#"// SPDX-License-Identifier: GPL-2.0

//! What the module {context}

use core::sync::atomic::{{
    AtomicU32,
    Ordering, //
}};

use kernel::prelude::*;

{uses}{import}

/// How many messages the default handler logs before it goes quiet.
const LOG_LIMIT: u32 = 16;

/// How many messages the default handler has logged.
static LOGGED: AtomicU32 = AtomicU32::new(0);

/// {summary}
///
/// The default logs the first messages with `{{:?}}` (logging every packet at info level
/// would flood the kernel log; the counters count them all) and {ending}.
{signature} {{
    if LOGGED.fetch_add(1, Ordering::Relaxed) < LOG_LIMIT {{
        pr_info!("received {{:?}}\n", message);
    }}
    {returns}
}}
"#,
        context = context.replace("{proto_name}", &module.message_name),
    )
}

/// Returns the crate root's `MAX_FRAME` and `DECODE_OPTIONS` items; `unit` names what a
/// frame must fit in.
pub(super) fn decode_limits(module: &Module, unit: &str) -> String {
    format!(
        "/// The largest frame accepted: anything longer cannot be in {unit}.
const MAX_FRAME: u32 = 65535;

/// How deeply messages may nest; deeper input is a decode error. Each level costs a
/// generated `merge_from` frame and its helpers on the 16 KiB kernel stack, 100 to 600 bytes
/// in the modules `ci/stack-report --ko` measures (lkm-codegen's default is {default}).
const DECODE_OPTIONS: DecodeOptions = DecodeOptions::new().with_depth_limit({depth});
",
        default = MODULE_DEPTH_LIMIT,
        depth = module.depth_limit
    )
}

/// Returns the `Kbuild` file: one module from the Rust crate root and the C shim, whose
/// parts for the flavour `define` selects.
pub(super) fn kbuild(name: &str, define: &str) -> String {
    format!(
        "# SPDX-License-Identifier: GPL-2.0\n\
         # @generated by lkm-codegen. Do not edit.\n\
         # One module from the Rust crate root and the C shim.\n\
         obj-m := {name}.o\n\
         {name}-y := {name}_main.o lkm_shim.o\n\
         ccflags-y := -D{define}\n"
    )
}

/// Returns the `Makefile`, whose help shows `params` as an example of `PARAMS`.
pub(super) fn makefile(name: &str, params: &str) -> String {
    format!(
        "# SPDX-License-Identifier: GPL-2.0\n\
         # @generated by lkm-codegen. Do not edit.\n\
         # Out-of-tree build of the {name} module: make KDIR=<kernel build dir>.\n\
         KDIR ?= /lib/modules/$(shell uname -r)/build\n\
         PARAMS ?=\n\
         \n\
         all:\n\
         \t$(MAKE) -C $(KDIR) M=$(CURDIR) modules\n\
         \n\
         # Loads what {name}.ko depends on (nf_defrag_ipv4, ...), then {name}.ko itself.\n\
         load:\n\
         \tfor dep in $$(modinfo -F depends $(CURDIR)/{name}.ko | tr , ' '); do \\\n\
         \t\tmodprobe $$dep || exit 1; \\\n\
         \tdone\n\
         \tinsmod $(CURDIR)/{name}.ko $(PARAMS)\n\
         \n\
         unload:\n\
         \trmmod {name}\n\
         \n\
         clean:\n\
         \t$(MAKE) -C $(KDIR) M=$(CURDIR) clean\n\
         \n\
         help:\n\
         \t@echo 'make [KDIR=<kernel build dir>]   build {name}.ko'\n\
         \t@echo 'make load [PARAMS=\"{params}\"]   modprobe its dependencies, insmod {name}.ko'\n\
         \t@echo 'make unload                      rmmod {name}'\n\
         \t@echo 'make clean                       remove build products'\n\
         \t@echo 'counters: /sys/kernel/debug/{name}/stats'\n\
         \n\
         .PHONY: all load unload clean help\n"
    )
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
                .iter()
                .map(|segment| crate::naming::module_name(segment))
                .collect()
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
            text.push_str(
                "//! The message code generated from the `.proto` files, one module per \
                 package.\n\n",
            );
        } else if children.is_empty() {
            // A leaf: the generated file as it is.
            out.push(generated(
                &format!("proto/{}.rs", file_path(path)),
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
            format!("proto/{}/mod.rs", file_path(path))
        };
        out.push(generated(&name, text));
    }
    out
}

/// Returns the file path of a module path: raw identifiers (`r#type`) live in files named
/// without the `r#` prefix.
fn file_path(path: &[String]) -> String {
    path.iter()
        .map(|segment| segment.trim_start_matches("r#"))
        .collect::<Vec<_>>()
        .join("/")
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
        assert!(handler
            .content
            .contains("use crate::proto::hello_world::Foo;\n"));
        assert!(handler
            .content
            .contains("pub(crate) fn handle(message: &Foo) -> Option<Foo>"));
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
    fn netfilter_module_files() {
        let proto =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/hello_world/hello_world.proto");
        let files = Config::new()
            .flavour(Flavour::Netfilter)
            .message("hello_world.Foo")
            .generate(&[proto])
            .unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        for expected in [
            "Kbuild",
            "hello_world_main.rs",
            "netfilter.rs",
            "handler.rs",
        ] {
            assert!(
                names.contains(&expected),
                "{expected} missing from {names:?}"
            );
        }
        assert!(!names.contains(&"udp.rs"));
        let kbuild = files.iter().find(|f| f.name == "Kbuild").unwrap();
        assert!(kbuild.content.contains("-DLKMPB_FLAVOUR_NETFILTER"));
        let handler = files.iter().find(|f| f.name == "handler.rs").unwrap();
        assert!(!handler.overwrite);
        assert!(handler
            .content
            .contains("pub(crate) fn handle(message: &Foo) -> Verdict"));
        let root = files
            .iter()
            .find(|f| f.name == "hello_world_main.rs")
            .unwrap();
        assert!(root
            .content
            .contains("netfilter::NetfilterHook::register()?"));
        // Parameters live in the C shim: the module! macro has none on 6.12.
        assert!(!root.content.contains("params:"));
        let shim = files.iter().find(|f| f.name == "lkm_shim.c").unwrap();
        assert!(shim
            .content
            .contains("module_param(accept_undecodable, bool, 0444);"));
        assert!(root
            .content
            .contains("use crate::proto::hello_world::Foo;\n"));
        assert!(root
            .content
            .contains("Foo::decode_with(body, &mut arena, DECODE_OPTIONS)"));
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
    fn depth_limit_is_configurable_and_bounded() {
        let proto =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/hello_world/hello_world.proto");
        let root = |files: &[crate::GeneratedFile]| {
            let root = files.iter().find(|f| f.name == "hello_world_main.rs");
            root.unwrap().content.clone()
        };
        let default = root(&hello_world());
        assert!(default.contains("DecodeOptions::new().with_depth_limit(8);"));
        for flavour in [Flavour::Udp, Flavour::Netfilter] {
            let config = Config::new().flavour(flavour).depth_limit(3);
            let files = config.generate(&[&proto]).unwrap();
            assert!(root(&files).contains("DecodeOptions::new().with_depth_limit(3);"));
        }
        let config = Config::new()
            .flavour(Flavour::Udp)
            .depth_limit(crate::MAX_MODULE_DEPTH_LIMIT + 1);
        let e = config.generate(&[&proto]).unwrap_err().to_string();
        assert!(e.contains("depth limit 33 is above 32"), "{e}");
        // User-space code has no module and no limit to check.
        let config = Config::new().depth_limit(1000);
        assert!(config.generate(&[&proto]).is_ok());
    }

    #[test]
    fn module_names() {
        let config = Config::new().module_name("bad-name");
        assert!(super::module_name("a.B", &config).is_err());
        assert_eq!(super::module_name("a.b.C", &Config::new()).unwrap(), "a_b");
        assert_eq!(super::module_name("Foo", &Config::new()).unwrap(), "foo");
    }
}
