// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The model of one field: its Rust type, its codec and how it is decoded and encoded.

use proc_macro2::{Ident, Literal, TokenStream};
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{FieldDescriptorProto, FileDescriptorProto};
use quote::quote;

use super::index::{TypeIndex, TypeKind};
use super::names;
use crate::Error;

/// Wire type numbers, as in `lkm_pb_core::wire::WireType`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wire {
    Varint = 0,
    Fixed64 = 1,
    Len = 2,
    StartGroup = 3,
    Fixed32 = 5,
}

/// The key of field `number` with wire type `wire`.
pub(crate) fn key(number: u32, wire: Wire) -> u32 {
    (number << 3) | wire as u32
}

/// Returns the key as a hexadecimal literal, the way generated match arms show it.
pub(crate) fn key_literal(number: u32, wire: Wire) -> Literal {
    let key = key(number, wire);
    let text = if key < 0x100 {
        format!("0x{key:02x}")
    } else {
        format!("0x{key:x}")
    };
    text.parse()
        .unwrap_or_else(|_| Literal::u32_unsuffixed(key))
}

/// Returns the number of bytes of a key of field `number`.
pub(crate) fn key_len(number: u32) -> usize {
    let bits = 32 - (number << 3 | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// The type of the values of a field.
#[derive(Clone)]
pub(crate) struct ValueType {
    /// The protobuf type.
    pub(crate) proto: Type,
    /// The codec type relative to the runtime, e.g. `codec::Int32`.
    pub(crate) codec: TokenStream,
    /// The Rust type of one value held inline, e.g. `i32`, `&'a str`, `Person<'a>`.
    pub(crate) rust: TokenStream,
    /// The wire type of one value.
    pub(crate) wire: Wire,
    /// The Rust path of the message or enum type, for those types.
    pub(crate) path: Option<TokenStream>,
    /// Whether the Rust type borrows for `'a`.
    pub(crate) borrows: bool,
}

impl ValueType {
    /// Returns `true` for types that may be packed (scalars other than strings and bytes).
    pub(crate) fn packable(&self) -> bool {
        !matches!(
            self.proto,
            Type::String | Type::Bytes | Type::Message | Type::Group
        )
    }

    /// Returns `true` for message and group types.
    pub(crate) fn is_message(&self) -> bool {
        matches!(self.proto, Type::Message | Type::Group)
    }
}

/// How a singular field records presence.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// proto3 without `optional`: the default value means "absent" and is not encoded.
    Implicit,
    /// proto2 `optional` or proto3 `optional`: `Option<T>`.
    Explicit,
    /// proto2 `required`: always encoded.
    Required,
}

/// The shape of a field.
#[derive(Clone)]
pub(crate) enum Shape {
    /// One value.
    Single(Presence),
    /// A repeated field; `packed` says how it is encoded.
    Repeated { packed: bool },
    /// A `map<K, V>` field.
    Map {
        key: Box<ValueType>,
        value: Box<ValueType>,
    },
}

/// A field of a message.
pub(crate) struct Field<'d> {
    /// The descriptor.
    pub(crate) descriptor: &'d FieldDescriptorProto,
    /// The Rust field name.
    pub(crate) ident: Ident,
    /// The field number.
    pub(crate) number: u32,
    /// The value type (for maps: the entry message).
    pub(crate) value: ValueType,
    /// The shape.
    pub(crate) shape: Shape,
    /// The index of the real (not synthetic) oneof the field belongs to.
    pub(crate) oneof: Option<usize>,
    /// The default value expression for proto2 `[default = ...]`.
    pub(crate) default: Option<TokenStream>,
}

/// What the emitter needs to know to build field models.
pub(crate) struct Context<'i, 'd> {
    /// Every type.
    pub(crate) index: &'i TypeIndex<'d>,
    /// The runtime path, e.g. `::lkm_pb_core`.
    pub(crate) rt: TokenStream,
    /// The module the code is emitted into.
    pub(crate) module: Vec<String>,
    /// The file being generated.
    pub(crate) file: &'d FileDescriptorProto,
    /// The full protobuf name of the message being generated.
    pub(crate) message: String,
    /// The descriptor path of that message, for line numbers in errors.
    pub(crate) message_path: Vec<i32>,
    /// The names of its fields, in declaration order.
    pub(crate) message_fields: Vec<String>,
    /// How the module the code is emitted into names prelude items.
    pub(crate) prelude: super::prelude::Prelude,
}

impl Context<'_, '_> {
    /// Returns an error about field `field` of the current message.
    pub(crate) fn error(&self, field: &FieldDescriptorProto, message: impl Into<String>) -> Error {
        let element = format!("field {}.{}", self.message, field.name());
        let line = self
            .message_fields
            .iter()
            .position(|name| name == field.name())
            .and_then(|i| {
                let mut path = self.message_path.clone();
                path.extend([2, i32::try_from(i).ok()?]);
                crate::error::line_of(self.file, &path)
            });
        Error::at(self.file.name(), line, &element, message)
    }

    /// Returns the value type of `field`.
    pub(crate) fn value_type(&self, field: &FieldDescriptorProto) -> Result<ValueType, Error> {
        let rt = &self.rt;
        let scalar = |codec: &str, rust: TokenStream, wire: Wire| {
            let codec: Ident = Ident::new(codec, proc_macro2::Span::call_site());
            Ok(ValueType {
                proto: field.r#type(),
                codec: quote!(codec::#codec),
                borrows: matches!(field.r#type(), Type::String | Type::Bytes),
                rust,
                wire,
                path: None,
            })
        };
        match field.r#type() {
            Type::Int32 => scalar("Int32", quote!(i32), Wire::Varint),
            Type::Int64 => scalar("Int64", quote!(i64), Wire::Varint),
            Type::Uint32 => scalar("UInt32", quote!(u32), Wire::Varint),
            Type::Uint64 => scalar("UInt64", quote!(u64), Wire::Varint),
            Type::Sint32 => scalar("SInt32", quote!(i32), Wire::Varint),
            Type::Sint64 => scalar("SInt64", quote!(i64), Wire::Varint),
            Type::Bool => scalar("Bool", quote!(bool), Wire::Varint),
            Type::Fixed32 => scalar("Fixed32", quote!(u32), Wire::Fixed32),
            Type::Sfixed32 => scalar("SFixed32", quote!(i32), Wire::Fixed32),
            Type::Float => scalar("Float", quote!(#rt::F32), Wire::Fixed32),
            Type::Fixed64 => scalar("Fixed64", quote!(u64), Wire::Fixed64),
            Type::Sfixed64 => scalar("SFixed64", quote!(i64), Wire::Fixed64),
            Type::Double => scalar("Double", quote!(#rt::F64), Wire::Fixed64),
            Type::String => scalar("Str", quote!(&'a str), Wire::Len),
            Type::Bytes => scalar("Bytes", quote!(&'a [u8]), Wire::Len),
            Type::Enum | Type::Message | Type::Group => {
                let info = self.index.get(field.type_name()).ok_or_else(|| {
                    self.error(field, format!("unresolved type `{}`", field.type_name()))
                })?;
                let path = self.index.type_path(info, &self.module);
                let (codec, wire) = match (&info.kind, field.r#type()) {
                    (TypeKind::Enum { .. }, _) => (quote!(codec::Enum<#path>), Wire::Varint),
                    (TypeKind::Message { .. }, Type::Group) => {
                        (quote!(codec::Msg<#path>), Wire::StartGroup)
                    }
                    (TypeKind::Message { .. }, _) => (quote!(codec::Msg<#path>), Wire::Len),
                };
                let proto = match info.kind {
                    TypeKind::Enum { .. } => Type::Enum,
                    TypeKind::Message { .. } if field.r#type() == Type::Group => Type::Group,
                    TypeKind::Message { .. } => Type::Message,
                };
                Ok(ValueType {
                    proto,
                    codec,
                    rust: path.clone(),
                    wire,
                    path: Some(path),
                    borrows: info.needs_lifetime(),
                })
            }
        }
    }

    /// Builds the model of `field`.
    pub(crate) fn field<'d>(
        &self,
        field: &'d FieldDescriptorProto,
        proto3: bool,
    ) -> Result<Field<'d>, Error> {
        let number = u32::try_from(field.number())
            .ok()
            .filter(|n| (1..=(1 << 29) - 1).contains(n))
            .ok_or_else(|| self.error(field, format!("invalid field number {}", field.number())))?;
        let mut value = self.value_type(field)?;
        let oneof = field
            .oneof_index
            .filter(|_| !field.proto3_optional())
            .and_then(|i| usize::try_from(i).ok());
        let shape = if field.label() == Label::Repeated {
            match self.map_entry(field)? {
                Some((key, map_value)) => Shape::Map {
                    key: Box::new(key),
                    value: Box::new(map_value),
                },
                None => {
                    let packed = value.packable()
                        && field
                            .options
                            .as_ref()
                            .and_then(|o| o.packed)
                            .unwrap_or(proto3);
                    Shape::Repeated { packed }
                }
            }
        } else if field.label() == Label::Required {
            Shape::Single(Presence::Required)
        } else if oneof.is_some() || field.proto3_optional() || !proto3 || value.is_message() {
            Shape::Single(Presence::Explicit)
        } else {
            Shape::Single(Presence::Implicit)
        };
        if let Shape::Map { .. } = shape {
            value.path = None;
        }
        let default = match field.default_value.as_deref() {
            Some(text) => Some(self.default_value(field, &value, text)?),
            None => None,
        };
        Ok(Field {
            descriptor: field,
            ident: names::field_ident(field.name()),
            number,
            value,
            shape,
            oneof,
            default,
        })
    }

    /// Returns the key and value types when `field` is a map field.
    fn map_entry(
        &self,
        field: &FieldDescriptorProto,
    ) -> Result<Option<(ValueType, ValueType)>, Error> {
        if field.r#type() != Type::Message {
            return Ok(None);
        }
        let Some(info) = self.index.get(field.type_name()) else {
            return Ok(None);
        };
        let TypeKind::Message { descriptor, .. } = info.kind else {
            return Ok(None);
        };
        if !descriptor.options.as_ref().is_some_and(|o| o.map_entry()) {
            return Ok(None);
        }
        let find = |number: i32| {
            descriptor
                .field
                .iter()
                .find(|f| f.number() == number)
                .ok_or_else(|| self.error(field, "map entry lacks its key or value field"))
        };
        let key = self.value_type(find(1)?)?;
        let value = self.value_type(find(2)?)?;
        Ok(Some((key, value)))
    }

    /// Returns the Rust expression of a proto2 `[default = ...]` value.
    fn default_value(
        &self,
        field: &FieldDescriptorProto,
        value: &ValueType,
        text: &str,
    ) -> Result<TokenStream, Error> {
        let rt = &self.rt;
        let bad = || self.error(field, format!("invalid default value `{text}`"));
        let int = |text: &str| -> Option<i128> {
            let (negative, digits) = match text.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, text),
            };
            let magnitude = if let Some(hex) = digits
                .strip_prefix("0x")
                .or_else(|| digits.strip_prefix("0X"))
            {
                i128::from_str_radix(hex, 16).ok()?
            } else if digits.len() > 1 && digits.starts_with('0') {
                i128::from_str_radix(&digits[1..], 8).ok()?
            } else {
                digits.parse::<i128>().ok()?
            };
            Some(if negative { -magnitude } else { magnitude })
        };
        Ok(match value.proto {
            Type::Int32 | Type::Sint32 | Type::Sfixed32 => {
                let v = int(text)
                    .and_then(|v| i32::try_from(v).ok())
                    .ok_or_else(bad)?;
                quote!(#v)
            }
            Type::Int64 | Type::Sint64 | Type::Sfixed64 => {
                let v = int(text)
                    .and_then(|v| i64::try_from(v).ok())
                    .ok_or_else(bad)?;
                quote!(#v)
            }
            Type::Uint32 | Type::Fixed32 => {
                let v = int(text)
                    .and_then(|v| u32::try_from(v).ok())
                    .ok_or_else(bad)?;
                quote!(#v)
            }
            Type::Uint64 | Type::Fixed64 => {
                let v = int(text)
                    .and_then(|v| u64::try_from(v).ok())
                    .ok_or_else(bad)?;
                quote!(#v)
            }
            Type::Bool => match text {
                "true" => quote!(true),
                "false" => quote!(false),
                _ => return Err(bad()),
            },
            Type::Float => {
                let bits = parse_float(text).ok_or_else(bad)? as f32;
                let bits = Literal::u32_suffixed(bits.to_bits());
                quote!(#rt::F32::from_bits(#bits))
            }
            Type::Double => {
                let bits = Literal::u64_suffixed(parse_float(text).ok_or_else(bad)?.to_bits());
                quote!(#rt::F64::from_bits(#bits))
            }
            Type::String => {
                let s = Literal::string(text);
                quote!(#s)
            }
            Type::Bytes => {
                let bytes = unescape_c(text).ok_or_else(bad)?;
                let b = Literal::byte_string(&bytes);
                quote!(#b)
            }
            Type::Enum => {
                let info = self.index.get(field.type_name()).ok_or_else(bad)?;
                let TypeKind::Enum { descriptor } = info.kind else {
                    return Err(bad());
                };
                if !descriptor.value.iter().any(|v| v.name() == text) {
                    return Err(bad());
                }
                let path = value.path.clone().ok_or_else(bad)?;
                let name = names::ident(&names::screaming_snake(text));
                quote!(#path::#name)
            }
            Type::Message | Type::Group => return Err(bad()),
        })
    }
}

/// Parses a protobuf float default (`inf`, `-inf`, `nan` or a decimal).
fn parse_float(text: &str) -> Option<f64> {
    match text {
        "inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        "nan" => Some(f64::NAN),
        _ => text.parse().ok(),
    }
}

/// Reverses the C escaping protoc applies to `bytes` defaults.
fn unescape_c(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let &e = bytes.get(i)?;
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'a' => out.push(0x07),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'v' => out.push(0x0b),
            b'\\' | b'\'' | b'"' | b'?' => out.push(e),
            b'x' | b'X' => {
                let mut value = 0u32;
                let mut digits = 0;
                while digits < 2 {
                    match bytes.get(i).and_then(|&c| (c as char).to_digit(16)) {
                        Some(d) => {
                            value = value * 16 + d;
                            i += 1;
                            digits += 1;
                        }
                        None => break,
                    }
                }
                if digits == 0 {
                    return None;
                }
                out.push(value as u8);
            }
            b'0'..=b'7' => {
                let mut value = u32::from(e - b'0');
                let mut digits = 1;
                while digits < 3 {
                    match bytes.get(i) {
                        Some(&c @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(c - b'0');
                            i += 1;
                            digits += 1;
                        }
                        _ => break,
                    }
                }
                out.push(value as u8);
            }
            _ => return None,
        }
    }
    Some(out)
}
