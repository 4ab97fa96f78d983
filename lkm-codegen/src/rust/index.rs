// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The index of every message and enum in a set of files, keyed by full protobuf name,
//! with the Rust module path and name each one gets.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto};
use quote::quote;

use super::names;

/// What a protobuf name refers to.
pub(crate) enum TypeKind<'d> {
    /// A message; `map_entry` ones are not emitted as types of their own.
    Message {
        descriptor: &'d DescriptorProto,
        needs_lifetime: bool,
    },
    /// An enum.
    Enum { descriptor: &'d EnumDescriptorProto },
}

/// A message or enum and where its Rust type lives.
pub(crate) struct TypeInfo<'d> {
    /// Rust module path from the root of generated code: package segments, then one module
    /// per enclosing message.
    pub(crate) module: Vec<String>,
    /// Rust type name.
    pub(crate) name: String,
    /// What the type is.
    pub(crate) kind: TypeKind<'d>,
}

impl TypeInfo<'_> {
    /// Returns `true` for a message whose Rust type takes the `'a` lifetime.
    pub(crate) fn needs_lifetime(&self) -> bool {
        matches!(
            self.kind,
            TypeKind::Message {
                needs_lifetime: true,
                ..
            }
        )
    }
}

/// Every type of a set of files.
pub(crate) struct TypeIndex<'d> {
    types: HashMap<String, TypeInfo<'d>>,
}

/// Returns the Rust module path of package `package`.
pub(crate) fn package_module(package: &str) -> Vec<String> {
    package
        .split('.')
        .filter(|segment| !segment.is_empty())
        .map(names::snake_case)
        .collect()
}

/// Returns `true` when a message of this shape borrows (strings, bytes, sub-messages,
/// repeated fields or kept unknown fields).
fn message_needs_lifetime(message: &DescriptorProto, keep_unknown: bool) -> bool {
    keep_unknown
        || message.field.iter().any(|field| {
            field.label() == Label::Repeated
                || matches!(
                    field.r#type(),
                    Type::String | Type::Bytes | Type::Message | Type::Group
                )
        })
}

impl<'d> TypeIndex<'d> {
    /// Indexes every message and enum of `files`.
    pub(crate) fn new(files: &'d [FileDescriptorProto], keep_unknown: bool) -> Self {
        let mut index = Self {
            types: HashMap::new(),
        };
        for file in files {
            let package = file.package();
            let module = package_module(package);
            let prefix = if package.is_empty() {
                String::new()
            } else {
                format!("{package}.")
            };
            for message in &file.message_type {
                index.add_message(message, &prefix, &module, keep_unknown);
            }
            for enumeration in &file.enum_type {
                index.add_enum(enumeration, &prefix, &module);
            }
        }
        index
    }

    fn add_message(
        &mut self,
        message: &'d DescriptorProto,
        prefix: &str,
        module: &[String],
        keep_unknown: bool,
    ) {
        let full_name = format!("{prefix}{}", message.name());
        let mut nested_module = module.to_vec();
        nested_module.push(names::snake_case(message.name()));
        let nested_prefix = format!("{full_name}.");
        for nested in &message.nested_type {
            self.add_message(nested, &nested_prefix, &nested_module, keep_unknown);
        }
        for enumeration in &message.enum_type {
            self.add_enum(enumeration, &nested_prefix, &nested_module);
        }
        let info = TypeInfo {
            module: module.to_vec(),
            name: names::upper_camel(message.name()),
            kind: TypeKind::Message {
                descriptor: message,
                needs_lifetime: message_needs_lifetime(message, keep_unknown),
            },
        };
        self.types.insert(full_name, info);
    }

    fn add_enum(&mut self, enumeration: &'d EnumDescriptorProto, prefix: &str, module: &[String]) {
        let full_name = format!("{prefix}{}", enumeration.name());
        let info = TypeInfo {
            module: module.to_vec(),
            name: names::upper_camel(enumeration.name()),
            kind: TypeKind::Enum {
                descriptor: enumeration,
            },
        };
        self.types.insert(full_name, info);
    }

    /// Looks up a type by the name a field descriptor uses (`.pkg.Name`).
    pub(crate) fn get(&self, type_name: &str) -> Option<&TypeInfo<'d>> {
        self.types
            .get(type_name.strip_prefix('.').unwrap_or(type_name))
    }

    /// Returns the path of `info`'s Rust type as seen from module `from`, with `<'a>` when
    /// the type takes a lifetime.
    pub(crate) fn type_path(&self, info: &TypeInfo<'_>, from: &[String]) -> TokenStream {
        let common = from
            .iter()
            .zip(&info.module)
            .take_while(|(a, b)| a == b)
            .count();
        let supers = (common..from.len()).map(|_| quote!(super));
        let down = info.module.iter().skip(common).map(|s| names::ident(s));
        let name = names::ident(&info.name);
        let lifetime = info.needs_lifetime().then(|| quote!(<'a>));
        quote!(#(#supers ::)* #(#down ::)* #name #lifetime)
    }
}
