// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The `.proto` front end: files in, `prost-types` descriptors out, without `protoc`.
//!
//! Loading runs in two passes. The first reads each file and its imports, depth first, and
//! checks what `protobuf-parse` would report badly or not at all: a file that uses editions,
//! a syntax error (with its line), an import that cannot be found (with the line of the
//! import), an import cycle. The second hands the files, already read, to `protobuf-parse`
//! for name resolution and conversion, and turns its errors into located [`Error`]s.
//!
//! The descriptors are then brought to the form `protoc` gives a plugin, so that the command
//! line and the plugin generate the same code: comments and spans from
//! [`crate::source_info`], synthetic oneofs of proto3 `optional` fields after the real ones,
//! and floating-point defaults printed as `protoc` prints them.

use std::collections::HashMap;
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Component;
use std::path::Path;
use std::path::PathBuf;

use prost::Message as _;
use prost_types::field_descriptor_proto::Type;
use prost_types::DescriptorProto;
use prost_types::FileDescriptorProto;
use prost_types::OneofDescriptorProto;

use crate::source_info;
use crate::source_info::Scan;
use crate::Error;

/// The well-known types `protobuf-parse` carries, found even without an include path.
const BUNDLED: &[&str] = &[
    "google/protobuf/any.proto",
    "google/protobuf/api.proto",
    "google/protobuf/descriptor.proto",
    "google/protobuf/duration.proto",
    "google/protobuf/empty.proto",
    "google/protobuf/field_mask.proto",
    "google/protobuf/source_context.proto",
    "google/protobuf/struct.proto",
    "google/protobuf/timestamp.proto",
    "google/protobuf/type.proto",
    "google/protobuf/wrappers.proto",
];

/// The result of loading `.proto` files.
#[derive(Debug)]
pub(crate) struct Loaded {
    /// Every file, imports before the files that import them.
    pub(crate) files: Vec<FileDescriptorProto>,
    /// The names of the files given to load, as in [`FileDescriptorProto::name`].
    pub(crate) to_generate: Vec<String>,
    /// The paths of the files read from disk.
    pub(crate) read: Vec<PathBuf>,
}

/// Parses `protos` and everything they import, looking imports up in `includes` (or, when
/// empty, in the directory of each proto).
///
/// Returns all files in dependency order and the names of the files in `protos`.
pub(crate) fn load(
    protos: &[PathBuf],
    includes: &[PathBuf],
) -> Result<(Vec<FileDescriptorProto>, Vec<String>), Error> {
    let loaded = load_files(protos, includes)?;
    Ok((loaded.files, loaded.to_generate))
}

/// Like [`load`], and also returns the paths of the files read.
pub(crate) fn load_files(protos: &[PathBuf], includes: &[PathBuf]) -> Result<Loaded, Error> {
    if protos.is_empty() {
        return Err(Error::new("no .proto file given"));
    }
    let includes = if includes.is_empty() {
        let mut dirs: Vec<PathBuf> = Vec::new();
        for proto in protos {
            let dir = match proto.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
                _ => PathBuf::from("."),
            };
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
        dirs
    } else {
        includes.to_vec()
    };
    let mut sources = Sources {
        includes,
        files: HashMap::new(),
        inputs: HashMap::new(),
        done: HashSet::new(),
        stack: Vec::new(),
        read: Vec::new(),
    };
    let mut to_generate: Vec<String> = Vec::new();
    for proto in protos {
        let (name, path) = sources.input_name(proto)?;
        sources.inputs.insert(name.clone(), path);
        if !to_generate.contains(&name) {
            to_generate.push(name);
        }
    }
    for name in &to_generate {
        sources.visit(name, None)?;
    }

    let parsed = protobuf_parse::Parser::new()
        .pure()
        .includes(&sources.includes)
        .inputs(
            to_generate
                .iter()
                .filter_map(|name| sources.inputs.get(name)),
        )
        .parse_and_typecheck()
        .map_err(|e| resolution_error(&e, &sources))?;

    let mut files = Vec::with_capacity(parsed.file_descriptors.len());
    for file in parsed.file_descriptors {
        let bytes = protobuf::Message::write_to_bytes(&file)
            .map_err(|e| Error::in_file(file.name(), e.to_string()))?;
        let mut file = FileDescriptorProto::decode(bytes.as_slice())
            .map_err(|e| Error::in_file(file.name(), e.to_string()))?;
        let source = sources.files.get(file.name());
        let defaults: HashMap<&[i32], &[String]> = source
            .iter()
            .flat_map(|s| s.scan.fields.iter())
            .filter(|f| !f.default.is_empty())
            .map(|f| (f.path.as_slice(), f.default.as_slice()))
            .collect();
        for (index, message) in file.message_type.iter_mut().enumerate() {
            normalize_message(message, &[4, index_i32(index)], &defaults);
        }
        for (index, field) in file.extension.iter_mut().enumerate() {
            normalize_default(
                field,
                defaults.get([7, index_i32(index)].as_slice()).copied(),
            );
        }
        if file.syntax() == "proto2" {
            // `protoc` leaves the syntax of proto2 files unset.
            file.syntax = None;
        }
        if let Some(source) = sources.files.get(file.name()) {
            file.source_code_info = Some(source.scan.info.clone());
        }
        files.push(file);
    }
    Ok(Loaded {
        files,
        to_generate,
        read: sources.read,
    })
}

/// One file read from disk.
struct Source {
    /// The path as `protobuf-parse` names it in its errors.
    key: String,
    /// The path to show in messages.
    display: String,
    text: String,
    scan: Scan,
}

/// The files found so far, by import name.
struct Sources {
    includes: Vec<PathBuf>,
    files: HashMap<String, Source>,
    /// The files given to load, by import name, with the path to read them from: as given
    /// when it lies under the include path as written, else joined to the include path.
    inputs: HashMap<String, PathBuf>,
    /// Files whose imports have all been visited.
    done: HashSet<String>,
    /// The chain of imports being visited.
    stack: Vec<String>,
    read: Vec<PathBuf>,
}

/// Where an import is written: the importing file and the line.
struct ImportSite<'a> {
    file: &'a str,
    line: Option<u32>,
}

impl Sources {
    /// Returns the import name of `proto` (its path relative to the include path it is in)
    /// and the path to read it from.
    fn input_name(&self, proto: &Path) -> Result<(String, PathBuf), Error> {
        let display = proto.display().to_string();
        match fs::metadata(proto) {
            Ok(m) if m.is_file() => {}
            Ok(_) => return Err(Error::in_file(display, "not a file")),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(Error::in_file(display, "file not found"))
            }
            Err(e) => return Err(Error::in_file(display, e.to_string())),
        }
        let mut found = self
            .includes
            .iter()
            .find_map(|include| relative_name(proto, include).map(|name| (name, proto.to_owned())));
        if found.is_none() {
            let canonical = fs::canonicalize(proto).ok();
            found = self.includes.iter().find_map(|include| {
                let name = relative_name(canonical.as_ref()?, &fs::canonicalize(include).ok()?)?;
                let path = include.join(&name);
                Some((name, path))
            });
        }
        let Some((name, path)) = found else {
            return Err(Error::in_file(
                display,
                format!(
                    "file is not in any include path ({}); add its directory with -I",
                    self.include_list()
                ),
            ));
        };
        let first = self
            .includes
            .iter()
            .map(|include| include.join(&name))
            .find(|candidate| candidate.is_file());
        if let Some(first) = first {
            if fs::canonicalize(&first).ok() != fs::canonicalize(proto).ok() {
                return Err(Error::in_file(
                    display,
                    format!(
                        "file is shadowed in the include path by {}, which has the same \
                         import name `{name}`",
                        first.display()
                    ),
                ));
            }
        }
        Ok((name, path))
    }

    /// Returns the include paths for messages.
    fn include_list(&self) -> String {
        let includes: Vec<String> = self
            .includes
            .iter()
            .map(|i| i.display().to_string())
            .collect();
        includes.join(", ")
    }

    /// Reads `name` and, depth first, everything it imports.
    fn visit(&mut self, name: &str, site: Option<ImportSite<'_>>) -> Result<(), Error> {
        if self.done.contains(name) {
            return Ok(());
        }
        if self.stack.iter().any(|n| n == name) {
            let mut chain = self.stack.clone();
            chain.push(name.to_owned());
            let message = format!("import cycle: {}", chain.join(" -> "));
            return Err(located(site, &format!("import \"{name}\""), message));
        }
        let Some((path, key)) = self.find(name) else {
            if BUNDLED.contains(&name) {
                self.done.insert(name.to_owned());
                return Ok(());
            }
            let includes: Vec<String> = self
                .includes
                .iter()
                .map(|i| i.display().to_string())
                .collect();
            let message = format!(
                "file not found in the include path ({})",
                includes.join(", ")
            );
            return Err(located(site, &format!("import \"{name}\""), message));
        };
        let display = key.strip_prefix("./").unwrap_or(&key).to_owned();
        let bytes = fs::read(&path).map_err(|e| Error::in_file(display.as_str(), e.to_string()))?;
        self.read.push(path);
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::in_file(display.as_str(), "file is not valid UTF-8"))?;
        let scan = source_info::scan(&text);
        check_duplicates(&display, &scan)?;
        if let Some((edition, line)) = &scan.edition {
            return Err(Error::at(
                &display,
                Some(*line),
                &format!("edition \"{edition}\""),
                "editions are not supported yet; use syntax = \"proto2\" or \"proto3\"",
            ));
        }
        if let Some((group, line)) = scan.nested_groups.first() {
            return Err(Error::at(
                &display,
                Some(*line),
                &format!("group {group}"),
                "a group inside a group is not supported by the built-in parser; \
                 run protoc with protoc-gen-lkm as its plugin instead",
            ));
        }
        let dependencies = protobuf_parse::pure::parse_dependencies(&text).map_err(|e| {
            let message = format!("{:#}", e.error);
            Error::at(&display, Some(e.line), "", syntax_message(&message, e.col))
        })?;
        let imports: Vec<(String, Option<u32>)> = dependencies
            .dependency
            .iter()
            .map(|dep| {
                let line = scan.imports.iter().find(|(p, _)| p == dep).map(|(_, l)| *l);
                (dep.clone(), line)
            })
            .collect();
        self.files.insert(
            name.to_owned(),
            Source {
                key,
                display: display.clone(),
                text,
                scan,
            },
        );
        self.stack.push(name.to_owned());
        for (import, line) in &imports {
            let site = ImportSite {
                file: &display,
                line: *line,
            };
            self.visit(import, Some(site))?;
        }
        self.stack.pop();
        self.done.insert(name.to_owned());
        Ok(())
    }

    /// Returns the path of `name` on disk and how to show it.
    fn find(&self, name: &str) -> Option<(PathBuf, String)> {
        if let Some(path) = self.inputs.get(name) {
            return Some((path.clone(), path.display().to_string()));
        }
        self.includes
            .iter()
            .map(|include| include.join(name))
            .find(|path| path.is_file())
            .map(|path| {
                let display = path.display().to_string();
                (path, display)
            })
    }
}

/// Checks that names and field numbers are unique, which `protobuf-parse` reports without
/// a location, or not at all.
fn check_duplicates(file: &str, scan: &Scan) -> Result<(), Error> {
    let mut types: HashMap<&str, u32> = HashMap::new();
    for (name, line) in &scan.types {
        if let Some(first) = types.insert(name, *line) {
            return Err(Error::at(
                file,
                Some(*line),
                name,
                format!("`{name}` is already defined on line {first}"),
            ));
        }
    }
    let mut names: HashMap<(&str, &str), u32> = HashMap::new();
    let mut numbers: HashMap<(&str, i128), u32> = HashMap::new();
    // Extensions share the numbers of the message they extend, not of their scope.
    let fields = scan.fields.iter().filter(|f| {
        let tag = f.path.len().checked_sub(2).and_then(|i| f.path.get(i));
        f.path.first() != Some(&7) && tag != Some(&6)
    });
    for field in fields {
        let element = format!("field {}", dotted(&field.scope, &field.name));
        if let Some(first) = names.insert((&field.scope, &field.name), field.line) {
            let message = format!(
                "field name `{}` is already used on line {first}",
                field.name
            );
            return Err(Error::at(file, Some(field.line), &element, message));
        }
        if let Some(number) = parse_integer(&field.number) {
            if let Some(first) = numbers.insert((&field.scope, number), field.line) {
                let message = format!("field number {number} is already used on line {first}");
                return Err(Error::at(file, Some(field.line), &element, message));
            }
        }
    }
    Ok(())
}

/// Joins a scope and a name with a dot, the scope being possibly empty.
fn dotted(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_owned()
    } else {
        format!("{scope}.{name}")
    }
}

/// Returns an error at an import, or about the whole input when there is no import.
fn located(site: Option<ImportSite<'_>>, element: &str, message: String) -> Error {
    match site {
        Some(site) => Error::at(site.file, site.line, element, message),
        None => Error::new(format!("{element}: {message}")),
    }
}

/// Returns the import name of `path` relative to `include`, `/`-separated, if it is under
/// it.
fn relative_name(path: &Path, include: &Path) -> Option<String> {
    let rest = if include == Path::new(".") && path.is_relative() {
        path
    } else {
        path.strip_prefix(include).ok()?
    };
    let mut parts = Vec::new();
    for component in rest.components() {
        match component {
            Component::CurDir => {}
            Component::Normal(part) => parts.push(part.to_str()?),
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Rewords a syntax error of `protobuf-parse`, adding the 1-based `col`.
fn syntax_message(message: &str, col: u32) -> String {
    let message = message.strip_prefix("lexer error: ").unwrap_or(message);
    format!("syntax error at column {col}: {message}")
}

/// Turns an error of `protobuf-parse`'s resolution pass into a located [`Error`].
///
/// Its errors are text: the outer one names the file (`error in `name`: ...`), the inner
/// one says what is wrong. For a type that is not found, the field that uses it is looked
/// up in the source.
fn resolution_error(error: &anyhow::Error, sources: &Sources) -> Error {
    let inner = error
        .chain()
        .last()
        .map_or_else(|| error.to_string(), |e| e.to_string());
    let file = error.chain().find_map(|e| {
        let text = e.to_string();
        let rest = text.strip_prefix("error in `")?;
        rest.split_once("`: ").map(|(file, _)| file.to_owned())
    });
    let source = file.and_then(|f| sources.files.values().find(|s| s.key == f));
    let Some(source) = source else {
        return Error::new(inner);
    };
    if let Some((name, scope)) = not_found(&inner) {
        let used_in = |field: &&source_info::FieldDecl| {
            field.scope == scope && type_names(&field.type_name).any(|t| t == name)
        };
        let field = source.scan.fields.iter().find(used_in).or_else(|| {
            source
                .scan
                .fields
                .iter()
                .find(|f| type_names(&f.type_name).any(|t| t == name))
        });
        let message = format!("type `{name}` is not defined");
        return match field {
            Some(field) => Error::at(
                &source.display,
                Some(field.line),
                &format!("field {}", dotted(&field.scope, &field.name)),
                message,
            ),
            None => Error::at(
                &source.display,
                line_of_word(&source.text, name),
                "",
                message,
            ),
        };
    }
    Error::in_file(source.display.as_str(), inner)
}

/// Splits the type names out of a field type as written (`map<string,pkg.Foo>`).
fn type_names(written: &str) -> impl Iterator<Item = &str> {
    written
        .split(['<', '>', ','])
        .filter(|t| !t.is_empty() && *t != "map")
}

/// Reads `protobuf-parse`'s "object is not found" messages: the name and the scope.
fn not_found(message: &str) -> Option<(&str, &str)> {
    if let Some(rest) = message.strip_prefix("object is not found by path `") {
        let (name, rest) = rest.split_once('`')?;
        let scope = rest
            .strip_prefix(" in scope `")
            .and_then(|s| s.strip_suffix('`'))
            .unwrap_or("");
        return Some((name, scope.trim_start_matches('.')));
    }
    let name = message.strip_prefix("object is not found by path: ")?;
    Some((name, ""))
}

/// Returns the 1-based line of the first whole-word occurrence of `word` in `text`.
fn line_of_word(text: &str, word: &str) -> Option<u32> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    let (index, _) = text.match_indices(word).find(|(i, _)| {
        let before = text.get(..*i).and_then(|s| s.chars().next_back());
        let after = text.get(i + word.len()..).and_then(|s| s.chars().next());
        !before.is_some_and(is_name) && !after.is_some_and(is_name)
    })?;
    let line = text.get(..index)?.matches('\n').count();
    u32::try_from(line).ok()?.checked_add(1)
}

/// Returns a descriptor index as the `i32` of a location path.
fn index_i32(index: usize) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

/// Brings a message parsed by `protobuf-parse`, at location `path`, to the form `protoc`
/// gives it. `defaults` holds the `default` values as written, by field location path.
fn normalize_message(
    message: &mut DescriptorProto,
    path: &[i32],
    defaults: &HashMap<&[i32], &[String]>,
) {
    reorder_synthetic_oneofs(message);
    let child = |tag: i32, index: usize| {
        let mut child = path.to_vec();
        child.extend([tag, index_i32(index)]);
        child
    };
    for (index, field) in message.field.iter_mut().enumerate() {
        normalize_default(field, defaults.get(child(2, index).as_slice()).copied());
    }
    for (index, field) in message.extension.iter_mut().enumerate() {
        normalize_default(field, defaults.get(child(6, index).as_slice()).copied());
    }
    for (index, nested) in message.nested_type.iter_mut().enumerate() {
        normalize_message(nested, &child(3, index), defaults);
    }
}

/// Puts the synthetic oneofs of proto3 `optional` fields after the real oneofs, named as
/// `protoc` names them: `_` and the field name, with `X` prepended until the name is free.
fn reorder_synthetic_oneofs(message: &mut DescriptorProto) {
    if !message.field.iter().any(|f| f.proto3_optional()) {
        return;
    }
    let synthetic: HashSet<i32> = message
        .field
        .iter()
        .filter(|f| f.proto3_optional())
        .filter_map(|f| f.oneof_index)
        .collect();
    let mut renumber = HashMap::new();
    let mut oneofs: Vec<OneofDescriptorProto> = Vec::new();
    for (index, oneof) in message.oneof_decl.iter().enumerate() {
        let Ok(index) = i32::try_from(index) else {
            return;
        };
        if !synthetic.contains(&index) {
            renumber.insert(index, i32::try_from(oneofs.len()).unwrap_or(i32::MAX));
            oneofs.push(oneof.clone());
        }
    }
    let mut names: HashSet<String> = message.field.iter().map(|f| f.name().to_owned()).collect();
    names.extend(oneofs.iter().map(|o| o.name().to_owned()));
    for field in &mut message.field {
        if field.proto3_optional() {
            let mut name = field.name().to_owned();
            if !name.starts_with('_') {
                name.insert(0, '_');
            }
            while names.contains(&name) {
                name.insert(0, 'X');
            }
            names.insert(name.clone());
            field.oneof_index = Some(i32::try_from(oneofs.len()).unwrap_or(i32::MAX));
            oneofs.push(OneofDescriptorProto {
                name: Some(name),
                options: None,
            });
        } else if let Some(index) = field.oneof_index {
            field.oneof_index = renumber.get(&index).copied();
        }
    }
    message.oneof_decl = oneofs;
}

/// Rewrites a default value the way `protoc` writes it, from the value as `written` in the
/// source when known: integers in decimal, floating point as C's `%g` (6 or 15 significant
/// digits, more when needed to read the same value back), strings with their escapes
/// decoded, bytes escaped as C does.
fn normalize_default(field: &mut prost_types::FieldDescriptorProto, written: Option<&[String]>) {
    let kind = field.r#type();
    let Some(default) = field.default_value.as_mut() else {
        return;
    };
    let written = written.map(|tokens| tokens.concat());
    let text = written.as_deref().unwrap_or(default.as_str());
    let formatted = match kind {
        Type::Float => parse_float(text).map(|v| format_float(v as f32)),
        Type::Double => parse_float(text).map(format_double),
        Type::Int32
        | Type::Int64
        | Type::Uint32
        | Type::Uint64
        | Type::Sint32
        | Type::Sint64
        | Type::Fixed32
        | Type::Fixed64
        | Type::Sfixed32
        | Type::Sfixed64 => parse_integer(text).map(|v| v.to_string()),
        Type::String => written
            .as_ref()
            .and_then(|_| decode_strings(text))
            .and_then(|bytes| String::from_utf8(bytes).ok()),
        Type::Bytes => written
            .as_ref()
            .and_then(|_| decode_strings(text))
            .map(|bytes| c_escape(&bytes)),
        _ => None,
    };
    if let Some(formatted) = formatted {
        *default = formatted;
    }
}

/// Reads an integer literal: decimal, `0x` hexadecimal or `0` octal, with an optional `-`.
fn parse_integer(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let value = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i128::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i128::from_str_radix(digits.get(1..)?, 8).ok()?
    } else {
        digits.parse::<i128>().ok()?
    };
    Some(if negative { -value } else { value })
}

/// Decodes adjacent string literals (quotes included) into bytes, resolving escapes as
/// `protoc` does. Returns `None` for anything else.
fn decode_strings(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(quote) = chars.next() {
        if quote != '"' && quote != '\'' {
            return None;
        }
        loop {
            let c = chars.next()?;
            if c == quote {
                break;
            }
            if c != '\\' {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                continue;
            }
            let escape = chars.next()?;
            let simple = match escape {
                'a' => Some(0x07),
                'b' => Some(0x08),
                'f' => Some(0x0c),
                'n' => Some(b'\n'),
                'r' => Some(b'\r'),
                't' => Some(b'\t'),
                'v' => Some(0x0b),
                '\\' | '\'' | '"' | '?' => u8::try_from(escape).ok(),
                _ => None,
            };
            if let Some(byte) = simple {
                out.push(byte);
                continue;
            }
            let mut digits = |radix: u32, max: usize| {
                let mut value = 0u32;
                let mut count = 0;
                while count < max {
                    let Some(digit) = chars.peek().and_then(|c| c.to_digit(radix)) else {
                        break;
                    };
                    value = value * radix + digit;
                    count += 1;
                    chars.next();
                }
                (count > 0).then_some(value)
            };
            match escape {
                '0'..='7' => {
                    let mut value = escape.to_digit(8)?;
                    for _ in 0..2 {
                        let Some(digit) = chars.peek().and_then(|c| c.to_digit(8)) else {
                            break;
                        };
                        value = value * 8 + digit;
                        chars.next();
                    }
                    out.push(u8::try_from(value & 0xff).ok()?);
                }
                'x' | 'X' => out.push(u8::try_from(digits(16, 2)?).ok()?),
                'u' | 'U' => {
                    let width = if escape == 'u' { 4 } else { 8 };
                    let c = char::from_u32(digits(16, width)?)?;
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                _ => return None,
            }
        }
    }
    Some(out)
}

/// Escapes bytes as C does (`\n`, `\"`, octal for anything not printable ASCII).
fn c_escape(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        match b {
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b'"' => out.push_str("\\\""),
            b'\'' => out.push_str("\\'"),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out
}

/// Reads a default value as written in a `.proto` file.
fn parse_float(text: &str) -> Option<f64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let value = match digits {
        "inf" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => digits.parse::<f64>().ok()?,
    };
    Some(if negative { -value } else { value })
}

fn format_float(value: f32) -> String {
    let short = format_g(f64::from(value), 6);
    if short.parse::<f32>().ok() == Some(value) {
        short
    } else {
        format_g(f64::from(value), 9)
    }
}

fn format_double(value: f64) -> String {
    let short = format_g(value, 15);
    if short.parse::<f64>().ok() == Some(value) {
        short
    } else {
        format_g(value, 17)
    }
}

/// Formats `value` like C's `%.{precision}g`.
fn format_g(value: f64, precision: usize) -> String {
    if value.is_nan() {
        return "nan".to_owned();
    }
    if value.is_infinite() {
        return if value < 0.0 { "-inf" } else { "inf" }.to_owned();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let scientific = format!("{:.*e}", precision.saturating_sub(1), value);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let precision = i64::try_from(precision).unwrap_or(i64::MAX);
    if exponent < -4 || exponent >= precision {
        let mantissa = trim_fraction(mantissa);
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs())
    } else {
        let decimals = usize::try_from(precision - 1 - exponent).unwrap_or(0);
        trim_fraction(&format!("{value:.decimals$}")).to_owned()
    }
}

/// Removes trailing zeros of a fraction, and the point if nothing is left after it.
fn trim_fraction(number: &str) -> &str {
    if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_like_printf_g() {
        assert_eq!(format_double(1e10), "10000000000");
        assert_eq!(format_double(1e20), "1e+20");
        assert_eq!(format_double(0.1), "0.1");
        assert_eq!(format_double(-2.5e-7), "-2.5e-07");
        assert_eq!(format_double(1.0 / 3.0), "0.33333333333333331");
        assert_eq!(format_float(0.1), "0.1");
        assert_eq!(format_float(3.4028235e38), "3.40282347e+38");
        assert_eq!(format_double(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn relative_names() {
        let name = |p: &str, i: &str| relative_name(Path::new(p), Path::new(i));
        assert_eq!(name("a/b/c.proto", "a"), Some("b/c.proto".to_owned()));
        assert_eq!(name("./c.proto", "."), Some("c.proto".to_owned()));
        assert_eq!(name("a/c.proto", "b"), None);
        assert_eq!(name("a/../c.proto", "a"), None);
    }
}
