// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Rust names for protobuf names: case conversion and keyword escaping.

use proc_macro2::{Ident, Span};

/// Words that are keywords in some Rust edition and can be raw identifiers.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const RESERVED: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Returns `name` in `snake_case`.
///
/// Runs of underscores inside the name collapse to one (`field__name` becomes `field_name`),
/// as rustc's `non_snake_case` lint requires; leading and trailing underscores stay.
pub(crate) fn snake_case(name: &str) -> String {
    let converted = camel_to_snake(name);
    let leading = converted.len() - converted.trim_start_matches('_').len();
    let trailing = converted.len() - converted.trim_end_matches('_').len();
    let core = converted.trim_matches('_');
    let mut out = "_".repeat(leading);
    for (i, part) in core.split('_').filter(|p| !p.is_empty()).enumerate() {
        if i > 0 {
            out.push('_');
        }
        out.push_str(part);
    }
    out.push_str(&"_".repeat(trailing));
    out
}

/// Inserts an underscore before each uppercase letter that starts a word and lowercases it.
fn camel_to_snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                _ => false,
            };
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Returns `name` in `UpperCamelCase`.
pub(crate) fn upper_camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper_next = true;
    for c in name.chars() {
        if c == '_' {
            upper_next = true;
        } else if upper_next {
            out.push(c.to_ascii_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// Returns `name` in `SCREAMING_SNAKE_CASE`, unchanged when it already is.
pub(crate) fn screaming_snake(name: &str) -> String {
    if name
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return name.to_owned();
    }
    snake_case(name).to_ascii_uppercase()
}

/// Returns an identifier for `name`, escaping Rust keywords.
pub(crate) fn ident(name: &str) -> Ident {
    if RESERVED.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if RAW_KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Returns the identifier of a field, oneof or module named `name` in the `.proto`.
pub(crate) fn field_ident(name: &str) -> Ident {
    ident(&snake_case(name))
}

/// Returns the identifier of a message, enum or oneof type named `name` in the `.proto`.
pub(crate) fn type_ident(name: &str) -> Ident {
    ident(&upper_camel(name))
}

/// Returns the plain text of `ident`, without a `r#` prefix.
pub(crate) fn unraw(ident: &Ident) -> String {
    let text = ident.to_string();
    text.strip_prefix("r#").map(str::to_owned).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake_case("FooBar"), "foo_bar");
        assert_eq!(snake_case("fooBar"), "foo_bar");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("field_name1"), "field_name1");
        assert_eq!(snake_case("Field_Name"), "field_name");
        assert_eq!(snake_case("field__name4_"), "field_name4_");
        assert_eq!(snake_case("Field__name16"), "field_name16");
        assert_eq!(snake_case("_leading"), "_leading");
        assert_eq!(upper_camel("foo_bar"), "FooBar");
        assert_eq!(upper_camel("Message3"), "Message3");
        assert_eq!(screaming_snake("E0"), "E0");
        assert_eq!(screaming_snake("fooBar"), "FOO_BAR");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(type_ident("Self").to_string(), "Self_");
    }
}

/// The Rust names lkm-codegen gives to protobuf elements, for code that refers to generated
/// types from the outside (build scripts, test harnesses).
pub mod public {
    /// Returns the Rust module name of a package segment or of the module that holds the
    /// nested types of message `name` (`snake_case`, keywords escaped, e.g. `r#type`).
    pub fn module_name(name: &str) -> String {
        super::ident(&super::snake_case(name)).to_string()
    }

    /// Returns the Rust type name of message or enum `name` (`UpperCamelCase`, keywords
    /// escaped).
    pub fn type_name(name: &str) -> String {
        super::ident(&super::upper_camel(name)).to_string()
    }

    /// Returns the Rust field name of field or oneof `name`.
    pub fn field_name(name: &str) -> String {
        super::field_ident(name).to_string()
    }
}
