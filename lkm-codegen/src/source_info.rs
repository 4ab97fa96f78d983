// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Source locations and comments of a `.proto` file, as `protoc` records them.
//!
//! The pure-Rust parser gives descriptors without `source_code_info`, while `protoc` hands
//! its plugins descriptors with it. The emitter turns comments into doc comments, so the
//! command line must find the same comments that `protoc` finds. This file does that in two
//! parts:
//!
//! - [`Tokenizer`] splits the text into tokens and, at the end of each declaration, collects
//!   the comments around it with `protoc`'s rules: a comment on the line of the previous
//!   token, or one ending just before a blank line, trails the previous declaration; a
//!   comment right before a token leads the next declaration; other comments are detached.
//!   Columns count bytes, and a tab moves to the next multiple of 8, as in `protoc`.
//! - [`Scanner`] follows the declarations (messages, fields, groups, maps, oneofs, enums,
//!   enum values, extensions, services and methods) and records, for each, the descriptor
//!   path, the span and the comments, taking comments at the same tokens as `protoc`'s
//!   parser: `;`, `{` and `}` that end declarations.
//!
//! The scanner expects a file that already parsed; on anything else it still ends and never
//! panics, but the locations may be incomplete. Other elements (names, numbers, options)
//! get no location.

use prost_types::source_code_info::Location;
use prost_types::SourceCodeInfo;

/// Field numbers of `descriptor.proto` that make up location paths.
mod tag {
    /// `FileDescriptorProto.message_type`.
    pub(super) const FILE_MESSAGE: i32 = 4;
    /// `FileDescriptorProto.enum_type`.
    pub(super) const FILE_ENUM: i32 = 5;
    /// `FileDescriptorProto.service`.
    pub(super) const FILE_SERVICE: i32 = 6;
    /// `FileDescriptorProto.extension`.
    pub(super) const FILE_EXTENSION: i32 = 7;
    /// `DescriptorProto.field`.
    pub(super) const MESSAGE_FIELD: i32 = 2;
    /// `DescriptorProto.nested_type`.
    pub(super) const MESSAGE_NESTED: i32 = 3;
    /// `DescriptorProto.enum_type`.
    pub(super) const MESSAGE_ENUM: i32 = 4;
    /// `DescriptorProto.extension`.
    pub(super) const MESSAGE_EXTENSION: i32 = 6;
    /// `DescriptorProto.oneof_decl`.
    pub(super) const MESSAGE_ONEOF: i32 = 8;
    /// `EnumDescriptorProto.value`.
    pub(super) const ENUM_VALUE: i32 = 2;
    /// `ServiceDescriptorProto.method`.
    pub(super) const SERVICE_METHOD: i32 = 2;
}

/// Columns a tab advances to, as in `protoc`.
const TAB_WIDTH: i32 = 8;

/// The kind of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Before the first token.
    Start,
    /// After the last token.
    End,
    /// A name or keyword.
    Identifier,
    /// An integer or floating-point literal.
    Number,
    /// A string literal, quotes included.
    String,
    /// Any other single character.
    Symbol,
}

/// A token and where it is (0-based line and columns; `end_col` is past the last byte).
#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    kind: Kind,
    text: &'a str,
    line: i32,
    col: i32,
    end_col: i32,
}

/// Comments found around one end of declaration.
#[derive(Debug, Default)]
struct Comments {
    /// Trailing comment of the previous declaration.
    trailing: String,
    /// Comments attached to nothing.
    detached: Vec<String>,
    /// Leading comment of the next declaration.
    leading: Option<String>,
}

/// Gathers comment text and decides whether it trails, leads or stands alone.
struct Collector {
    comments: Comments,
    buffer: String,
    has_comment: bool,
    is_line_comment: bool,
    can_attach_to_prev: bool,
}

impl Collector {
    fn new() -> Self {
        Collector {
            comments: Comments::default(),
            buffer: String::new(),
            has_comment: false,
            is_line_comment: false,
            can_attach_to_prev: true,
        }
    }

    /// Prepares for a line comment, which joins a preceding line comment.
    fn start_line_comment(&mut self) {
        if self.has_comment && !self.is_line_comment {
            self.flush();
        }
        self.has_comment = true;
        self.is_line_comment = true;
    }

    /// Prepares for a block comment, which always stands on its own.
    fn start_block_comment(&mut self) {
        if self.has_comment {
            self.flush();
        }
        self.has_comment = true;
        self.is_line_comment = false;
    }

    fn clear_buffer(&mut self) {
        self.buffer.clear();
        self.has_comment = false;
    }

    /// Closes the buffered comment, which does not lead the next token.
    fn flush(&mut self) {
        if self.has_comment {
            if self.can_attach_to_prev {
                self.comments.trailing.push_str(&self.buffer);
                self.can_attach_to_prev = false;
            } else {
                self.comments
                    .detached
                    .push(std::mem::take(&mut self.buffer));
            }
            self.clear_buffer();
        }
    }

    fn detach_from_prev(&mut self) {
        self.can_attach_to_prev = false;
    }

    /// Returns the comments, the buffered one leading the next token.
    fn finish(mut self) -> Comments {
        if self.has_comment {
            self.comments.leading = Some(std::mem::take(&mut self.buffer));
        }
        self.comments
    }
}

/// What follows a possible comment start.
enum CommentStart {
    Line,
    Block,
    Slash,
    None,
}

/// Splits `.proto` text into tokens the way `protoc`'s tokenizer does.
struct Tokenizer<'a> {
    text: &'a str,
    pos: usize,
    line: i32,
    col: i32,
    current: Token<'a>,
    previous: Token<'a>,
}

impl<'a> Tokenizer<'a> {
    fn new(text: &'a str) -> Self {
        let start = Token {
            kind: Kind::Start,
            text: "",
            line: 0,
            col: 0,
            end_col: 0,
        };
        Tokenizer {
            text,
            pos: 0,
            line: 0,
            col: 0,
            current: start,
            previous: start,
        }
    }

    /// Returns the byte under the cursor, or 0 at the end.
    fn peek(&self) -> u8 {
        self.text.as_bytes().get(self.pos).copied().unwrap_or(0)
    }

    fn advance(&mut self) {
        match self.peek() {
            0 => return,
            b'\n' => {
                self.line = self.line.saturating_add(1);
                self.col = 0;
            }
            b'\t' => self.col = self.col.saturating_add(TAB_WIDTH - self.col % TAB_WIDTH),
            _ => self.col = self.col.saturating_add(1),
        }
        self.pos += 1;
    }

    fn try_consume(&mut self, byte: u8) -> bool {
        if byte != 0 && self.peek() == byte {
            self.advance();
            true
        } else {
            false
        }
    }

    fn skip_while(&mut self, f: impl Fn(u8) -> bool) {
        while self.peek() != 0 && f(self.peek()) {
            self.advance();
        }
    }

    fn skip_blanks(&mut self) {
        self.skip_while(|b| matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c));
    }

    fn try_comment_start(&mut self) -> CommentStart {
        if self.peek() != b'/' {
            return CommentStart::None;
        }
        let (pos, line, col) = (self.pos, self.line, self.col);
        self.advance();
        if self.try_consume(b'/') {
            CommentStart::Line
        } else if self.try_consume(b'*') {
            CommentStart::Block
        } else {
            self.current = Token {
                kind: Kind::Symbol,
                text: self.text.get(pos..self.pos).unwrap_or(""),
                line,
                col,
                end_col: self.col,
            };
            CommentStart::Slash
        }
    }

    /// Consumes the rest of a line comment (after `//`), newline included.
    fn line_comment(&mut self, out: Option<&mut String>) {
        let start = self.pos;
        self.skip_while(|b| b != b'\n');
        self.try_consume(b'\n');
        if let Some(out) = out {
            out.push_str(self.text.get(start..self.pos).unwrap_or(""));
        }
    }

    /// Consumes the rest of a block comment (after `/*`). Recorded text leaves out the
    /// closing `*/` and, on each following line, the blanks and one `*` that start it.
    fn block_comment(&mut self, mut out: Option<&mut String>) {
        let mut start = self.pos;
        loop {
            self.skip_while(|b| !matches!(b, b'*' | b'/' | b'\n'));
            if self.peek() == b'\n' {
                self.advance();
                if let Some(out) = out.as_deref_mut() {
                    out.push_str(self.text.get(start..self.pos).unwrap_or(""));
                }
                self.skip_blanks();
                if self.try_consume(b'*') && self.try_consume(b'/') {
                    return;
                }
                start = self.pos;
            } else if self.peek() == b'*' {
                let star = self.pos;
                self.advance();
                if self.try_consume(b'/') {
                    if let Some(out) = out.as_deref_mut() {
                        out.push_str(self.text.get(start..star).unwrap_or(""));
                    }
                    return;
                }
            } else if self.peek() == b'/' {
                self.advance();
            } else {
                if let Some(out) = out {
                    out.push_str(self.text.get(start..self.pos).unwrap_or(""));
                }
                return;
            }
        }
    }

    /// Reads the next token, skipping blanks and comments.
    fn next(&mut self) -> bool {
        self.previous = self.current;
        loop {
            self.skip_while(|b| b.is_ascii_whitespace() || b == 0x0b);
            match self.try_comment_start() {
                CommentStart::Line => self.line_comment(None),
                CommentStart::Block => self.block_comment(None),
                CommentStart::Slash => return true,
                CommentStart::None => break,
            }
        }
        let (start, line, col) = (self.pos, self.line, self.col);
        let first = self.peek();
        let kind = if first == 0 {
            Kind::End
        } else if first.is_ascii_alphabetic() || first == b'_' {
            self.skip_while(|b| b.is_ascii_alphanumeric() || b == b'_');
            Kind::Identifier
        } else if first.is_ascii_digit()
            || (first == b'.'
                && self
                    .text
                    .as_bytes()
                    .get(self.pos + 1)
                    .is_some_and(u8::is_ascii_digit))
        {
            self.number();
            Kind::Number
        } else if first == b'"' || first == b'\'' {
            self.advance();
            self.string(first);
            Kind::String
        } else {
            // A whole UTF-8 character, so that the token text stays a valid `str` slice.
            self.advance();
            while self.peek() & 0xc0 == 0x80 {
                self.advance();
            }
            Kind::Symbol
        };
        self.current = Token {
            kind,
            text: self.text.get(start..self.pos).unwrap_or(""),
            line,
            col,
            end_col: self.col,
        };
        kind != Kind::End
    }

    fn number(&mut self) {
        let mut previous = 0;
        while self.peek() != 0 {
            let b = self.peek();
            let exponent_sign = matches!(b, b'+' | b'-') && matches!(previous, b'e' | b'E');
            if !(b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || exponent_sign) {
                break;
            }
            previous = b;
            self.advance();
        }
    }

    fn string(&mut self, quote: u8) {
        loop {
            match self.peek() {
                0 | b'\n' => return,
                b'\\' => {
                    self.advance();
                    if self.peek() != b'\n' {
                        self.advance();
                    }
                }
                b if b == quote => {
                    self.advance();
                    return;
                }
                _ => self.advance(),
            }
        }
    }

    /// Reads the next token and returns the comments between the current token and it.
    fn next_with_comments(&mut self) -> Comments {
        let mut collector = Collector::new();
        if self.current.kind == Kind::Start {
            if self.text.as_bytes().starts_with(b"\xef\xbb\xbf") {
                for _ in 0..3 {
                    self.advance();
                }
            }
            collector.detach_from_prev();
        } else {
            self.skip_blanks();
            match self.try_comment_start() {
                CommentStart::Line => {
                    collector.start_line_comment();
                    self.line_comment(Some(&mut collector.buffer));
                    collector.flush();
                }
                CommentStart::Block => {
                    collector.start_block_comment();
                    self.block_comment(Some(&mut collector.buffer));
                    self.skip_blanks();
                    if !self.try_consume(b'\n') {
                        collector.clear_buffer();
                        self.next();
                        return collector.finish();
                    }
                    collector.flush();
                }
                CommentStart::Slash => return collector.finish(),
                CommentStart::None => {
                    if !self.try_consume(b'\n') {
                        self.next();
                        return collector.finish();
                    }
                }
            }
        }
        loop {
            self.skip_blanks();
            match self.try_comment_start() {
                CommentStart::Line => {
                    collector.start_line_comment();
                    self.line_comment(Some(&mut collector.buffer));
                }
                CommentStart::Block => {
                    collector.start_block_comment();
                    self.block_comment(Some(&mut collector.buffer));
                    self.skip_blanks();
                    self.try_consume(b'\n');
                }
                CommentStart::Slash => return collector.finish(),
                CommentStart::None => {
                    if self.try_consume(b'\n') {
                        collector.flush();
                        collector.detach_from_prev();
                    } else {
                        let more = self.next();
                        if !more || matches!(self.current.text, "}" | "]" | ")") {
                            collector.flush();
                        }
                        return collector.finish();
                    }
                }
            }
        }
    }
}

/// Where the comments of one end of declaration go.
#[derive(Clone, Copy)]
enum Target {
    /// To the recorded location with this index.
    Recorded(usize),
    /// To a location `protoc` records but the scanner does not (an option, a range...).
    Unrecorded,
    /// To no location: an empty statement or a closing brace.
    Nothing,
}

/// A field as written in the source, to explain errors about it.
#[derive(Clone, Debug)]
pub(crate) struct FieldDecl {
    /// Full name of the enclosing message, without a leading dot (`pkg.Msg`), or the
    /// package for extensions declared at file level.
    pub(crate) scope: String,
    /// The field name as written.
    pub(crate) name: String,
    /// The type as written (`.pkg.Msg`, `int32`, `map<string, Foo>`).
    pub(crate) type_name: String,
    /// The field number as written.
    pub(crate) number: String,
    /// 1-based line of the field.
    pub(crate) line: u32,
    /// The location path of the field.
    pub(crate) path: Vec<i32>,
    /// The tokens of the `default` option's value, as written (`-`, `0x1F`, `"a" "b"`).
    pub(crate) default: Vec<String>,
}

/// What [`scan`] learns about a file.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Locations in the form `protoc` gives them.
    pub(crate) info: SourceCodeInfo,
    /// The declared fields, in order.
    pub(crate) fields: Vec<FieldDecl>,
    /// The declared messages, enums and services: full name and 1-based line.
    pub(crate) types: Vec<(String, u32)>,
    /// The imports: path and 1-based line.
    pub(crate) imports: Vec<(String, u32)>,
    /// Groups declared inside groups: full name and 1-based line.
    pub(crate) nested_groups: Vec<(String, u32)>,
    /// `edition = "..."`: the edition and its 1-based line.
    pub(crate) edition: Option<(String, u32)>,
}

/// Follows the declarations of a file and records their locations.
struct Scanner<'a> {
    tokens: Tokenizer<'a>,
    upcoming_leading: Option<String>,
    upcoming_detached: Vec<String>,
    scan: Scan,
    package: String,
    /// How many group bodies enclose the current statement.
    group_depth: usize,
    /// The value tokens of the last `default` option skipped.
    default: Vec<String>,
}

/// Returns the locations, declarations and imports of the `.proto` file `text`.
pub(crate) fn scan(text: &str) -> Scan {
    let mut scanner = Scanner {
        tokens: Tokenizer::new(text),
        upcoming_leading: None,
        upcoming_detached: Vec::new(),
        scan: Scan::default(),
        package: String::new(),
        group_depth: 0,
        default: Vec::new(),
    };
    scanner.file();
    scanner.scan
}

/// Returns a 0-based line as a 1-based `u32`.
fn one_based(line: i32) -> u32 {
    u32::try_from(line).unwrap_or(0).saturating_add(1)
}

/// Returns the value of a string literal token without quotes, escapes left as they are.
fn unquote(text: &str) -> String {
    let inner = text.get(1..text.len().saturating_sub(1)).unwrap_or("");
    inner.to_owned()
}

impl<'a> Scanner<'a> {
    fn current(&self) -> Token<'a> {
        self.tokens.current
    }

    fn at(&self, text: &str) -> bool {
        self.current().kind != Kind::String && self.current().text == text
    }

    fn at_end(&self) -> bool {
        self.current().kind == Kind::End
    }

    /// Moves to the next token; comments in between are lost, as in `protoc`.
    fn bump(&mut self) {
        self.tokens.next();
    }

    /// Starts a location at the current token.
    fn start(&mut self, path: Vec<i32>) -> usize {
        let token = self.current();
        self.scan.info.location.push(Location {
            path,
            span: vec![token.line, token.col],
            ..Location::default()
        });
        self.scan.info.location.len() - 1
    }

    /// Ends location `index` at the end of the previous token.
    fn end(&mut self, index: usize) {
        let token = self.tokens.previous;
        if let Some(location) = self.scan.info.location.get_mut(index) {
            let start_line = location.span.first().copied().unwrap_or(0);
            if token.line != start_line {
                location.span.push(token.line);
            }
            location.span.push(token.end_col);
        }
    }

    /// Consumes `text` if it is the current token, collecting the comments around it the way
    /// `protoc` does at the end of a declaration. Returns whether it was there.
    fn end_of_declaration(&mut self, text: &str, target: Target) -> bool {
        if !self.at(text) {
            return false;
        }
        let comments = self.tokens.next_with_comments();
        let leading = std::mem::replace(&mut self.upcoming_leading, comments.leading);
        match target {
            Target::Recorded(_) | Target::Unrecorded => {
                let detached = std::mem::replace(&mut self.upcoming_detached, comments.detached);
                if let Target::Recorded(index) = target {
                    if let Some(location) = self.scan.info.location.get_mut(index) {
                        location.leading_comments = leading.filter(|c| !c.is_empty());
                        location.trailing_comments =
                            Some(comments.trailing).filter(|c| !c.is_empty());
                        location.leading_detached_comments = detached;
                    }
                }
            }
            Target::Nothing if text == "}" => self.upcoming_detached = comments.detached,
            Target::Nothing => self.upcoming_detached.extend(comments.detached),
        }
        true
    }

    /// Skips to the end of a statement (`;` or `{` outside brackets) without consuming it.
    /// Returns the tokens skipped at the top level.
    fn skip_to_statement_end(&mut self) -> Vec<Token<'a>> {
        let mut skipped = Vec::new();
        while !self.at_end() && !self.at(";") && !self.at("{") && !self.at("}") {
            if self.at("[") {
                self.field_options();
            } else if self.at("(") {
                self.skip_balanced();
            } else {
                skipped.push(self.current());
                self.bump();
            }
        }
        skipped
    }

    /// Skips one token, or a bracketed group, if nothing was consumed since byte `before`,
    /// so that every loop over malformed input ends.
    fn ensure_progress(&mut self, before: usize) {
        if self.tokens.pos == before && !self.at_end() {
            if self.at("{") {
                self.skip_balanced();
            } else {
                self.bump();
            }
        }
    }

    /// Skips the options of a field or enum value, `[...]`, keeping the value of `default`
    /// in `self.default`.
    fn field_options(&mut self) {
        let mut depth = 0usize;
        let mut capturing = false;
        let mut previous = "";
        loop {
            if self.at_end() {
                return;
            }
            let token = self.current();
            if depth == 1 && (self.at(",") || self.at("]")) {
                capturing = false;
            }
            if self.at("[") || self.at("(") || self.at("{") || self.at("<") {
                depth += 1;
            } else if self.at("]") || self.at(")") || self.at("}") || self.at(">") {
                depth = depth.saturating_sub(1);
            }
            if capturing {
                self.default.push(token.text.to_owned());
            }
            if depth == 1 && self.at("=") && previous == "default" {
                capturing = true;
                self.default.clear();
            }
            previous = token.text;
            self.bump();
            if depth == 0 {
                return;
            }
        }
    }

    /// Skips a bracketed group and everything nested in it, including aggregate values.
    fn skip_balanced(&mut self) {
        let mut depth = 0usize;
        loop {
            if self.at_end() {
                return;
            }
            if self.at("[") || self.at("(") || self.at("{") || self.at("<") {
                depth += 1;
            } else if self.at("]") || self.at(")") || self.at("}") || self.at(">") {
                depth = depth.saturating_sub(1);
            }
            self.bump();
            if depth == 0 {
                return;
            }
        }
    }

    /// Skips a statement that ends with `;` (option, reserved, extensions, import...), value
    /// aggregates included.
    fn simple_statement(&mut self) -> Vec<Token<'a>> {
        let mut skipped = Vec::new();
        while !self.at_end() && !self.at(";") && !self.at("}") {
            if self.at("{") || self.at("[") || self.at("(") {
                self.skip_balanced();
            } else {
                skipped.push(self.current());
                self.bump();
            }
        }
        self.end_of_declaration(";", Target::Unrecorded);
        skipped
    }

    fn file(&mut self) {
        // The comments before the first token lead the first statement.
        let comments = self.tokens.next_with_comments();
        self.upcoming_leading = comments.leading;
        self.upcoming_detached = comments.detached;
        let mut messages = 0;
        let mut enums = 0;
        let mut services = 0;
        let mut extensions = 0;
        while !self.at_end() {
            if self.end_of_declaration(";", Target::Nothing) {
                continue;
            }
            let keyword = self.current().text;
            match keyword {
                "message" => {
                    let path = vec![tag::FILE_MESSAGE, messages];
                    messages += 1;
                    let scope = self.package.clone();
                    self.message(path, &scope);
                }
                "enum" => {
                    let path = vec![tag::FILE_ENUM, enums];
                    enums += 1;
                    let scope = self.package.clone();
                    self.enumeration(path, &scope);
                }
                "service" => {
                    let path = vec![tag::FILE_SERVICE, services];
                    services += 1;
                    self.service(path);
                }
                "extend" => {
                    let scope = self.package.clone();
                    self.extend(
                        &[tag::FILE_EXTENSION],
                        &mut extensions,
                        &[tag::FILE_MESSAGE],
                        &mut messages,
                        &scope,
                    );
                }
                "syntax" | "edition" | "package" | "import" | "option" => {
                    let line = one_based(self.current().line);
                    let tokens = self.simple_statement();
                    self.file_statement(keyword, &tokens, line);
                }
                _ => {
                    // Not a statement `protoc` accepts; skip it to keep going.
                    self.skip_to_statement_end();
                    if self.at("{") {
                        self.skip_balanced();
                    } else if !self.end_of_declaration(";", Target::Nothing) {
                        self.end_of_declaration("}", Target::Nothing);
                    }
                }
            }
        }
    }

    /// Records what a `syntax`, `edition`, `package` or `import` statement declares.
    fn file_statement(&mut self, keyword: &str, tokens: &[Token<'a>], line: u32) {
        let string = tokens.iter().find(|t| t.kind == Kind::String);
        match keyword {
            "edition" => {
                let edition = string.map(|t| unquote(t.text)).unwrap_or_default();
                self.scan.edition = Some((edition, line));
            }
            "import" => {
                if let Some(path) = string {
                    self.scan.imports.push((unquote(path.text), line));
                }
            }
            "package" => {
                self.package = tokens.iter().skip(1).map(|t| t.text).collect();
            }
            _ => {}
        }
    }

    fn full_name(scope: &str, name: &str) -> String {
        if scope.is_empty() {
            name.to_owned()
        } else {
            format!("{scope}.{name}")
        }
    }

    /// `message Name { ... }` at `path`, inside `scope` (package or enclosing message).
    fn message(&mut self, path: Vec<i32>, scope: &str) {
        let index = self.start(path.clone());
        let line = one_based(self.current().line);
        self.bump();
        let name = self.current().text;
        let full_name = Self::full_name(scope, name);
        self.scan.types.push((full_name.clone(), line));
        self.skip_to_statement_end();
        self.message_block(index, &path, &full_name);
        self.end(index);
    }

    /// `{ ... }` of a message or group recorded at `index` and `path`.
    fn message_block(&mut self, index: usize, path: &[i32], full_name: &str) {
        if !self.end_of_declaration("{", Target::Recorded(index)) {
            return;
        }
        let mut counts = MessageCounts::default();
        while !self.end_of_declaration("}", Target::Nothing) {
            if self.at_end() {
                return;
            }
            let before = self.tokens.pos;
            self.message_statement(path, full_name, &mut counts);
            self.ensure_progress(before);
        }
    }

    fn message_statement(&mut self, path: &[i32], full_name: &str, counts: &mut MessageCounts) {
        if self.end_of_declaration(";", Target::Nothing) {
            return;
        }
        let child = |tag: i32, index: i32| {
            let mut child = path.to_vec();
            child.extend([tag, index]);
            child
        };
        match self.current().text {
            "message" => {
                let nested = child(tag::MESSAGE_NESTED, counts.nested);
                counts.nested += 1;
                self.message(nested, full_name);
            }
            "enum" => {
                let nested = child(tag::MESSAGE_ENUM, counts.enums);
                counts.enums += 1;
                self.enumeration(nested, full_name);
            }
            "extend" => {
                let mut extension_path = path.to_vec();
                extension_path.push(tag::MESSAGE_EXTENSION);
                let mut nested_path = path.to_vec();
                nested_path.push(tag::MESSAGE_NESTED);
                self.extend(
                    &extension_path,
                    &mut counts.extensions,
                    &nested_path,
                    &mut counts.nested,
                    full_name,
                );
            }
            "option" | "reserved" | "extensions" => {
                self.simple_statement();
            }
            "oneof" => {
                let oneof = child(tag::MESSAGE_ONEOF, counts.oneofs);
                counts.oneofs += 1;
                self.oneof(oneof, path, full_name, counts);
            }
            _ => {
                let field = child(tag::MESSAGE_FIELD, counts.fields);
                counts.fields += 1;
                let mut nested_path = path.to_vec();
                nested_path.push(tag::MESSAGE_NESTED);
                self.field(field, &nested_path, &mut counts.nested, full_name);
            }
        }
    }

    /// A field at `path`; a group or map adds a message under `nested_path` numbered from
    /// `nested`.
    fn field(&mut self, path: Vec<i32>, nested_path: &[i32], nested: &mut i32, scope: &str) {
        let index = self.start(path.clone());
        let line = one_based(self.current().line);
        self.default.clear();
        let mut tokens = self.skip_to_statement_end();
        if tokens
            .first()
            .is_some_and(|t| matches!(t.text, "optional" | "required" | "repeated"))
        {
            tokens.remove(0);
        }
        let equals = tokens
            .iter()
            .position(|t| t.text == "=")
            .unwrap_or(tokens.len());
        let name = equals
            .checked_sub(1)
            .and_then(|i| tokens.get(i))
            .map_or("", |t| t.text);
        let type_tokens = tokens.get(..equals.saturating_sub(1)).unwrap_or(&[]);
        let type_name: String = type_tokens.iter().map(|t| t.text).collect();
        let is_map = type_name.starts_with("map<");
        let number = tokens.get(equals + 1).map_or("", |t| t.text);
        self.scan.fields.push(FieldDecl {
            scope: scope.to_owned(),
            name: name.to_owned(),
            type_name: type_name.clone(),
            number: number.to_owned(),
            line,
            path,
            default: std::mem::take(&mut self.default),
        });
        if type_name == "group" && self.at("{") {
            let mut group_path = nested_path.to_vec();
            group_path.push(*nested);
            *nested += 1;
            let group = self.scan.info.location.get(index).map(|l| l.span.clone());
            let group_index = self.start(group_path.clone());
            if let (Some(location), Some(span)) =
                (self.scan.info.location.get_mut(group_index), group)
            {
                location.span = span;
            }
            let group_name = Self::full_name(scope, name);
            if self.group_depth > 0 {
                self.scan.nested_groups.push((group_name.clone(), line));
            }
            self.group_depth += 1;
            self.message_block(group_index, &group_path, &group_name);
            self.group_depth -= 1;
            self.end(group_index);
        } else {
            self.end_of_declaration(";", Target::Recorded(index));
            if is_map {
                *nested += 1;
            }
        }
        self.end(index);
    }

    /// `oneof name { ... }` at `path` in the message at `message_path`.
    fn oneof(
        &mut self,
        path: Vec<i32>,
        message_path: &[i32],
        scope: &str,
        counts: &mut MessageCounts,
    ) {
        let index = self.start(path);
        self.skip_to_statement_end();
        if self.end_of_declaration("{", Target::Recorded(index)) {
            loop {
                if self.at_end() || self.end_of_declaration("}", Target::Nothing) {
                    break;
                }
                let before = self.tokens.pos;
                if self.at("option") {
                    self.simple_statement();
                } else if !self.end_of_declaration(";", Target::Nothing) {
                    let mut field = message_path.to_vec();
                    field.extend([tag::MESSAGE_FIELD, counts.fields]);
                    counts.fields += 1;
                    let mut nested_path = message_path.to_vec();
                    nested_path.push(tag::MESSAGE_NESTED);
                    self.field(field, &nested_path, &mut counts.nested, scope);
                }
                self.ensure_progress(before);
            }
        }
        self.end(index);
    }

    /// `extend Type { ... }`: fields under `extension_path` numbered from `extensions`; groups
    /// add messages under `nested_path` numbered from `nested`.
    fn extend(
        &mut self,
        extension_path: &[i32],
        extensions: &mut i32,
        nested_path: &[i32],
        nested: &mut i32,
        scope: &str,
    ) {
        self.skip_to_statement_end();
        if !self.end_of_declaration("{", Target::Unrecorded) {
            return;
        }
        loop {
            if self.at_end() || self.end_of_declaration("}", Target::Nothing) {
                return;
            }
            let before = self.tokens.pos;
            if !self.end_of_declaration(";", Target::Nothing) {
                let mut path = extension_path.to_vec();
                path.push(*extensions);
                *extensions += 1;
                self.field(path, nested_path, nested, scope);
            }
            self.ensure_progress(before);
        }
    }

    /// `enum Name { ... }` at `path`.
    fn enumeration(&mut self, path: Vec<i32>, scope: &str) {
        let index = self.start(path.clone());
        let line = one_based(self.current().line);
        self.bump();
        let full_name = Self::full_name(scope, self.current().text);
        self.scan.types.push((full_name, line));
        self.skip_to_statement_end();
        if self.end_of_declaration("{", Target::Recorded(index)) {
            let mut values = 0;
            loop {
                if self.at_end() || self.end_of_declaration("}", Target::Nothing) {
                    break;
                }
                if self.end_of_declaration(";", Target::Nothing) {
                    continue;
                }
                if self.at("option") || self.at("reserved") {
                    let before = self.tokens.pos;
                    self.simple_statement();
                    self.ensure_progress(before);
                    continue;
                }
                let mut value_path = path.clone();
                value_path.extend([tag::ENUM_VALUE, values]);
                values += 1;
                let value = self.start(value_path);
                let before = self.tokens.pos;
                self.skip_to_statement_end();
                self.end_of_declaration(";", Target::Recorded(value));
                self.ensure_progress(before);
                self.end(value);
            }
        }
        self.end(index);
    }

    /// `service Name { ... }` at `path`.
    fn service(&mut self, path: Vec<i32>) {
        let index = self.start(path.clone());
        let line = one_based(self.current().line);
        self.bump();
        let full_name = Self::full_name(&self.package.clone(), self.current().text);
        self.scan.types.push((full_name, line));
        self.skip_to_statement_end();
        if self.end_of_declaration("{", Target::Recorded(index)) {
            let mut methods = 0;
            loop {
                if self.at_end() || self.end_of_declaration("}", Target::Nothing) {
                    break;
                }
                if self.end_of_declaration(";", Target::Nothing) {
                    continue;
                }
                if !self.at("rpc") {
                    let before = self.tokens.pos;
                    self.simple_statement();
                    self.ensure_progress(before);
                    continue;
                }
                let mut method_path = path.clone();
                method_path.extend([tag::SERVICE_METHOD, methods]);
                methods += 1;
                let method = self.start(method_path);
                self.skip_to_statement_end();
                if self.end_of_declaration("{", Target::Recorded(method)) {
                    loop {
                        if self.at_end() || self.end_of_declaration("}", Target::Nothing) {
                            break;
                        }
                        let before = self.tokens.pos;
                        if !self.end_of_declaration(";", Target::Nothing) {
                            self.simple_statement();
                        }
                        self.ensure_progress(before);
                    }
                } else {
                    self.end_of_declaration(";", Target::Recorded(method));
                }
                self.end(method);
            }
        }
        self.end(index);
    }
}

/// How many elements of each kind a message has so far, to number the next one.
#[derive(Default)]
struct MessageCounts {
    fields: i32,
    nested: i32,
    enums: i32,
    extensions: i32,
    oneofs: i32,
}
