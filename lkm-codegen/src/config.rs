// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The generator's options and its entry points.
//!
//! [`Config`] is a builder: include paths, output directory, module [`Flavour`], the message
//! the module receives, the module name and code options. Three entry points share one path:
//! [`Config::compile`] parses `.proto` files and writes the results, [`Config::generate`]
//! parses and returns them, and [`Config::generate_from_descriptors`] starts from the
//! descriptors `protoc` hands to a plugin ([`Config::parse`] gives the descriptors the first
//! two produce). Whatever the front end, the descriptors go through
//! [`Config::generate_from_descriptors`], so the command line and the plugin give the same
//! files.

use std::env;
use std::fmt;
use std::fs;
use std::io;
use std::path::Component;
use std::path::Path;
use std::path::PathBuf;
use std::str::FromStr;

use prost_types::FileDescriptorProto;

use crate::parse;
use crate::Error;

/// The default depth limit of generated kernel modules (see [`Config::depth_limit`]): the
/// decoder's stack at this depth stays within about 6 KiB of the 16 KiB kernel stack for
/// the recursive messages `ci/stack-report` measures.
pub const MODULE_DEPTH_LIMIT: u32 = 8;

/// The largest depth limit [`Config::depth_limit`] accepts for a kernel module: at 100 to
/// 600 bytes of stack per level, deeper decoding could overflow the kernel stack.
pub const MAX_MODULE_DEPTH_LIMIT: u32 = 32;

/// The kind of kernel module generated around the message code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Flavour {
    /// No module: only the message code, for user space or for a hand-written module.
    #[default]
    None,
    /// A module that receives length-prefixed messages on a UDP socket.
    Udp,
    /// A module that inspects messages in a netfilter hook and returns a verdict.
    Netfilter,
}

impl Flavour {
    /// Returns the name used on the command line and in plugin options.
    pub fn name(self) -> &'static str {
        match self {
            Flavour::None => "none",
            Flavour::Udp => "udp",
            Flavour::Netfilter => "netfilter",
        }
    }
}

impl fmt::Display for Flavour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Flavour {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "none" => Ok(Flavour::None),
            "udp" => Ok(Flavour::Udp),
            "netfilter" => Ok(Flavour::Netfilter),
            _ => Err(Error::new(format!(
                "unknown flavour `{s}`; expected one of none, udp, netfilter"
            ))),
        }
    }
}

/// One file produced by the generator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The path relative to the output directory, with `/` between components.
    pub name: String,
    /// The full text of the file.
    pub content: String,
    /// Whether an existing file is replaced. `false` for files the user edits, such as
    /// `handler.rs`: those are written only when they do not exist yet.
    pub overwrite: bool,
}

/// The options of the generator, set with builder methods.
///
/// ```no_run
/// lkm_codegen::Config::new()
///     .include("proto")
///     .keep_unknown_fields(true)
///     .compile(&["proto/hello.proto"])
///     .unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    includes: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    flavour: Flavour,
    message: Option<String>,
    module_name: Option<String>,
    keep_unknown_fields: bool,
    runtime_path: String,
    depth_limit: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

impl Config {
    /// Returns the default options: no include path (the directory of each `.proto` file is
    /// used), output into `OUT_DIR`, flavour [`Flavour::None`], unknown fields dropped, the
    /// runtime at `::lkm_pb_core`, and a module depth limit of [`MODULE_DEPTH_LIMIT`].
    pub fn new() -> Self {
        Config {
            includes: Vec::new(),
            out_dir: None,
            flavour: Flavour::None,
            message: None,
            module_name: None,
            keep_unknown_fields: false,
            runtime_path: "::lkm_pb_core".to_owned(),
            depth_limit: MODULE_DEPTH_LIMIT,
        }
    }

    /// Adds a directory where imports are looked up, like `protoc -I`.
    ///
    /// Every `.proto` file given to [`Config::compile`] must lie under one of them. Without
    /// any, the directory of each `.proto` file is its include path.
    pub fn include(mut self, path: impl AsRef<Path>) -> Self {
        self.includes.push(path.as_ref().to_owned());
        self
    }

    /// Sets the directory where [`Config::compile`] writes; the default is the `OUT_DIR`
    /// environment variable that Cargo sets for `build.rs`.
    pub fn out_dir(mut self, path: impl AsRef<Path>) -> Self {
        self.out_dir = Some(path.as_ref().to_owned());
        self
    }

    /// Sets the kind of kernel module to generate around the message code.
    pub fn flavour(mut self, flavour: Flavour) -> Self {
        self.flavour = flavour;
        self
    }

    /// Sets the full name (`package.Message`) of the message the kernel module receives.
    pub fn message(mut self, name: impl Into<String>) -> Self {
        self.message = Some(name.into());
        self
    }

    /// Sets the name of the generated kernel module.
    pub fn module_name(mut self, name: impl Into<String>) -> Self {
        self.module_name = Some(name.into());
        self
    }

    /// Sets whether decoded messages keep the fields they do not know, so that encoding
    /// them again reproduces those fields.
    pub fn keep_unknown_fields(mut self, keep: bool) -> Self {
        self.keep_unknown_fields = keep;
        self
    }

    /// Sets the Rust path of the runtime in generated code: `::lkm_pb_core` in user space,
    /// `crate::lkm_pb` inside a generated kernel module.
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime_path = path.into();
        self
    }

    /// Sets how deeply the messages a generated kernel module receives may nest (sub-messages
    /// and groups); deeper input is a decode error. The default, [`MODULE_DEPTH_LIMIT`], keeps
    /// the decoder's stack within a few KiB of the 16 KiB kernel stack for recursive
    /// messages; measure a module with `ci/stack-report --ko` before raising it. Generating a
    /// module fails for a limit above [`MAX_MODULE_DEPTH_LIMIT`]. Code for user space
    /// (flavour [`Flavour::None`]) is not affected: its callers choose their own
    /// `DecodeOptions`.
    pub fn depth_limit(mut self, limit: u32) -> Self {
        self.depth_limit = limit;
        self
    }

    /// Returns the depth limit of a generated kernel module.
    pub(crate) fn get_depth_limit(&self) -> u32 {
        self.depth_limit
    }

    /// Returns the Rust path of the runtime in generated code.
    pub(crate) fn get_runtime_path(&self) -> &str {
        &self.runtime_path
    }

    /// Returns whether decoded messages keep unknown fields.
    pub(crate) fn keeps_unknown_fields(&self) -> bool {
        self.keep_unknown_fields
    }

    /// Returns the kind of kernel module to generate.
    pub(crate) fn get_flavour(&self) -> Flavour {
        self.flavour
    }

    /// Returns the full name of the message the kernel module receives, if set.
    pub(crate) fn get_message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Returns the name of the kernel module, if set.
    pub(crate) fn get_module_name(&self) -> Option<&str> {
        self.module_name.as_deref()
    }

    /// Parses `protos` and their imports, generates the code and writes it into the output
    /// directory, creating directories as needed.
    ///
    /// A file whose [`GeneratedFile::overwrite`] is `false` is written only when it does not
    /// exist yet, and a file whose content has not changed is left untouched. Run from
    /// `build.rs`, it tells Cargo to rerun the build script when any `.proto` file it read
    /// changes.
    pub fn compile(&self, protos: &[impl AsRef<Path>]) -> Result<(), Error> {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                Error::new("no output directory: set Config::out_dir or run from build.rs")
            })?,
        };
        let loaded = parse::load_files(&self.input_paths(protos), &self.includes)?;
        if in_build_script() {
            for path in &loaded.read {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
        let files = self.generate_from_descriptors(&loaded.files, &loaded.to_generate)?;
        write_files(&out_dir, &files)
    }

    /// Parses `protos` and their imports and returns the generated files without writing
    /// anything.
    pub fn generate(&self, protos: &[impl AsRef<Path>]) -> Result<Vec<GeneratedFile>, Error> {
        let (files, to_generate) = self.parse(protos)?;
        self.generate_from_descriptors(&files, &to_generate)
    }

    /// Parses `protos` and their imports without generating anything.
    ///
    /// Returns every file in dependency order, in the form [`Config::generate_from_descriptors`]
    /// takes them (with `source_code_info` built from the text, as `protoc` gives it to a
    /// plugin), and the names of the files in `protos`.
    pub fn parse(
        &self,
        protos: &[impl AsRef<Path>],
    ) -> Result<(Vec<FileDescriptorProto>, Vec<String>), Error> {
        parse::load(&self.input_paths(protos), &self.includes)
    }

    /// Generates code from parsed descriptors: `files` holds every file in dependency order
    /// (imports first, as in `CodeGeneratorRequest.proto_file`) and `to_generate` the names
    /// of the files to generate code for.
    pub fn generate_from_descriptors(
        &self,
        files: &[FileDescriptorProto],
        to_generate: &[String],
    ) -> Result<Vec<GeneratedFile>, Error> {
        for name in to_generate {
            if !files.iter().any(|f| f.name() == name) {
                return Err(Error::in_file(
                    name.as_str(),
                    "file to generate is missing from the descriptors",
                ));
            }
        }
        let messages = crate::rust::generate(files, to_generate, self)?;
        self.add_module(files, to_generate, messages)
    }

    /// Adds the kernel module of the configured flavour to the message code.
    ///
    /// This is the one place where module emitters are called.
    fn add_module(
        &self,
        files: &[FileDescriptorProto],
        to_generate: &[String],
        generated: Vec<GeneratedFile>,
    ) -> Result<Vec<GeneratedFile>, Error> {
        if self.get_flavour() == Flavour::None {
            return Ok(generated);
        }
        if let Some(message) = self.get_message() {
            if !declares_message(files, message) {
                return Err(Error::new(format!("message `{message}` is not defined")));
            }
        }
        if let Some(name) = self.get_module_name() {
            let mut chars = name.chars();
            let valid = chars
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
                && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid {
                return Err(Error::new(format!(
                    "module name `{name}` must be lower case letters, digits and `_`, \
                     starting with a letter"
                )));
            }
        }
        crate::module::generate(files, to_generate, self)
    }

    fn input_paths(&self, protos: &[impl AsRef<Path>]) -> Vec<PathBuf> {
        protos.iter().map(|p| p.as_ref().to_owned()).collect()
    }
}

/// Returns whether `files` declare the message `full_name` (`package.Outer.Inner`).
fn declares_message(files: &[FileDescriptorProto], full_name: &str) -> bool {
    fn find(prefix: &str, messages: &[prost_types::DescriptorProto], full_name: &str) -> bool {
        messages.iter().any(|m| {
            let name = if prefix.is_empty() {
                m.name().to_owned()
            } else {
                format!("{prefix}.{}", m.name())
            };
            name == full_name || find(&name, &m.nested_type, full_name)
        })
    }
    let full_name = full_name.trim_start_matches('.');
    files
        .iter()
        .any(|f| find(f.package(), &f.message_type, full_name))
}

/// Returns whether the process looks like a Cargo build script.
fn in_build_script() -> bool {
    ["OUT_DIR", "TARGET", "HOST"]
        .iter()
        .all(|name| env::var_os(name).is_some())
}

/// Writes `files` under `out_dir`, keeping existing files that must not be overwritten and
/// files whose content is unchanged.
fn write_files(out_dir: &Path, files: &[GeneratedFile]) -> Result<(), Error> {
    for file in files {
        let path = out_dir.join(relative_path(&file.name)?);
        let io_error = |e: io::Error| Error::in_file(path.display().to_string(), e.to_string());
        match fs::read(&path) {
            Ok(_) if !file.overwrite => continue,
            Ok(old) if old == file.content.as_bytes() => continue,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(e)),
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_error)?;
        }
        fs::write(&path, &file.content).map_err(io_error)?;
    }
    Ok(())
}

/// Turns a generated file name into a relative path, refusing names that would leave the
/// output directory.
fn relative_path(name: &str) -> Result<PathBuf, Error> {
    let path: PathBuf = name.split('/').collect();
    let normal = path.components().all(|c| matches!(c, Component::Normal(_)));
    if name.is_empty() || !normal || name.split('/').any(str::is_empty) {
        return Err(Error::new(format!(
            "generated file name `{name}` is not a relative path"
        )));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flavour_from_str() {
        assert_eq!("udp".parse::<Flavour>(), Ok(Flavour::Udp));
        assert_eq!("none".parse::<Flavour>(), Ok(Flavour::None));
        assert_eq!("netfilter".parse::<Flavour>(), Ok(Flavour::Netfilter));
        let e = "tcp".parse::<Flavour>().unwrap_err();
        assert!(e.to_string().contains("unknown flavour `tcp`"), "{e}");
    }

    #[test]
    fn relative_paths_only() {
        assert!(relative_path("a/b.rs").is_ok());
        assert!(relative_path("../b.rs").is_err());
        assert!(relative_path("/etc/passwd").is_err());
        assert!(relative_path("").is_err());
    }

    #[test]
    fn handler_is_kept() {
        let dir = env::temp_dir().join(format!("lkm-codegen-write-{}", std::process::id()));
        let file = |content: &str, overwrite| GeneratedFile {
            name: "m/handler.rs".to_owned(),
            content: content.to_owned(),
            overwrite,
        };
        write_files(&dir, &[file("first", false)]).unwrap();
        write_files(&dir, &[file("second", false)]).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("m/handler.rs")).unwrap(),
            "first"
        );
        write_files(&dir, &[file("third", true)]).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("m/handler.rs")).unwrap(),
            "third"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
