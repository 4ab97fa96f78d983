// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Random encodings generated from the schema.
//!
//! [`Generator`] walks the descriptors of a message and writes a valid encoding of it, with
//! everything a decoder must cope with: fields absent or present, repeated counts, packed and
//! unpacked runs of the same field, boundary values, negative `int32` as ten-byte varints,
//! overlong (padded) varints, enum numbers outside the declared set, multibyte UTF-8,
//! sub-messages and groups to some depth, fields out of order, singular fields repeated
//! (merge rules), map entries with missing, repeated or reordered parts, and unknown fields
//! of every wire type.

use std::collections::HashMap;

use prost::Message as _;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, FieldDescriptorProto, FileDescriptorSet};

/// A small, seedable xorshift generator, so that every failure can be replayed.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// Creates a generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// Returns the next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Returns a number below `n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Returns `true` with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// Returns an element of `items`.
    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// The messages and enums of the descriptor set, by full name without the leading dot.
pub struct Schema {
    messages: HashMap<String, DescriptorProto>,
    enums: HashMap<String, Vec<i32>>,
}

impl Schema {
    /// Indexes the corpus descriptors.
    pub fn corpus() -> Self {
        let set = FileDescriptorSet::decode(crate::DESCRIPTORS).expect("corpus descriptors");
        let mut schema = Schema {
            messages: HashMap::new(),
            enums: HashMap::new(),
        };
        for file in &set.file {
            let prefix = if file.package().is_empty() {
                String::new()
            } else {
                format!("{}.", file.package())
            };
            for m in &file.message_type {
                schema.add_message(m, &prefix);
            }
            for e in &file.enum_type {
                let values = e.value.iter().map(|v| v.number()).collect();
                schema.enums.insert(format!("{prefix}{}", e.name()), values);
            }
        }
        schema
    }

    /// Returns the corpus schema, indexed once per process.
    pub fn corpus_cached() -> &'static Schema {
        static SCHEMA: std::sync::OnceLock<Schema> = std::sync::OnceLock::new();
        SCHEMA.get_or_init(Schema::corpus)
    }

    fn add_message(&mut self, m: &DescriptorProto, prefix: &str) {
        let name = format!("{prefix}{}", m.name());
        for nested in &m.nested_type {
            self.add_message(nested, &format!("{name}."));
        }
        for e in &m.enum_type {
            let values = e.value.iter().map(|v| v.number()).collect();
            self.enums.insert(format!("{name}.{}", e.name()), values);
        }
        self.messages.insert(name, m.clone());
    }

    /// Returns the descriptor of message `name`.
    pub fn message(&self, name: &str) -> &DescriptorProto {
        let name = name.strip_prefix('.').unwrap_or(name);
        self.messages
            .get(name)
            .unwrap_or_else(|| panic!("unknown message {name}"))
    }

    fn enum_values(&self, name: &str) -> &[i32] {
        let name = name.strip_prefix('.').unwrap_or(name);
        self.enums.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Writes a varint.
pub fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Writes a field key.
pub fn key(out: &mut Vec<u8>, number: u32, wire: u8) {
    varint(out, (u64::from(number) << 3) | u64::from(wire));
}

/// Writes a length-delimited field.
pub fn len_field(out: &mut Vec<u8>, number: u32, body: &[u8]) {
    key(out, number, 2);
    varint(out, body.len() as u64);
    out.extend_from_slice(body);
}

const WIRE_VARINT: u8 = 0;
const WIRE_FIXED64: u8 = 1;
const WIRE_LEN: u8 = 2;
const WIRE_START_GROUP: u8 = 3;
const WIRE_END_GROUP: u8 = 4;
const WIRE_FIXED32: u8 = 5;

const BOUNDARY_U64: &[u64] = &[
    0,
    1,
    2,
    127,
    128,
    255,
    16383,
    16384,
    0x7FFF_FFFF,
    0x8000_0000,
    0xFFFF_FFFF,
    0x1_0000_0000,
    0x7FFF_FFFF_FFFF_FFFF,
    0x8000_0000_0000_0000,
    u64::MAX,
    u64::MAX - 1,
];

const STRINGS: &[&str] = &[
    "",
    "a",
    "hello, world",
    "é",
    "ü日本語",
    "\u{10FFFF}",
    "𝄞 music",
    "\0nul inside",
    "line\nbreak",
    "Ωmega ß ∑",
];

/// Writes random encodings of corpus messages.
pub struct Generator<'s> {
    /// The schema the encodings follow.
    pub schema: &'s Schema,
    /// The random source.
    pub rng: Rng,
    /// The deepest nesting of sub-messages and groups written.
    pub max_depth: u32,
    /// Sub-messages still allowed in the current encoding; keeps recursive types small.
    budget: u32,
}

impl<'s> Generator<'s> {
    /// Creates a generator over `schema` with `seed`.
    pub fn new(schema: &'s Schema, seed: u64) -> Self {
        Self {
            schema,
            rng: Rng::new(seed),
            max_depth: 6,
            budget: 0,
        }
    }

    /// Returns a random encoding of message `name`.
    pub fn encoding(&mut self, name: &str) -> Vec<u8> {
        self.budget = 24;
        let mut out = Vec::new();
        self.message_body(name, 0, &mut out);
        out
    }

    fn message_body(&mut self, name: &str, depth: u32, out: &mut Vec<u8>) {
        let message = self.schema.message(name).clone();
        let mut chunks: Vec<Vec<u8>> = Vec::new();
        // Presence is likelier near the top so that deep recursion stays rare.
        let present = if depth == 0 { 60 } else { 45 };
        let oneof_count = message.oneof_decl.len();
        let mut oneof_members: Vec<Vec<&FieldDescriptorProto>> = vec![Vec::new(); oneof_count];
        for field in &message.field {
            if let (Some(index), false) = (field.oneof_index, field.proto3_optional()) {
                if let Some(members) = oneof_members.get_mut(index as usize) {
                    members.push(field);
                }
                continue;
            }
            if field.label() == Label::Repeated {
                if let Some(entry) = self.map_entry(field) {
                    self.map_field(field, &entry, depth, &mut chunks);
                } else {
                    self.repeated_field(field, depth, &mut chunks);
                }
            } else if field.label() == Label::Required || self.rng.chance(present) {
                let times = if self.rng.chance(12) { 2 } else { 1 };
                for _ in 0..times {
                    let mut chunk = Vec::new();
                    self.single(field, depth, &mut chunk);
                    chunks.push(chunk);
                }
            }
        }
        // Oneofs: none, one, or two members (the last one wins).
        for members in oneof_members.iter().filter(|m| !m.is_empty()) {
            let n = *self.rng.pick(&[0, 1, 1, 1, 2]);
            for _ in 0..n {
                let field = *self.rng.pick(members);
                let mut chunk = Vec::new();
                self.single(field, depth, &mut chunk);
                chunks.push(chunk);
            }
        }
        if self.rng.chance(25) {
            let used: Vec<i32> = message.field.iter().map(|f| f.number()).collect();
            for _ in 0..=self.rng.below(3) {
                let mut chunk = Vec::new();
                self.unknown_field(&used, depth, &mut chunk);
                chunks.push(chunk);
            }
        }
        if self.rng.chance(20) {
            // Fields out of order.
            for i in (1..chunks.len()).rev() {
                let j = self.rng.below(i as u64 + 1) as usize;
                chunks.swap(i, j);
            }
        }
        for chunk in chunks {
            out.extend_from_slice(&chunk);
        }
    }

    /// Returns the map entry descriptor of `field` when it is a map.
    fn map_entry(&self, field: &FieldDescriptorProto) -> Option<DescriptorProto> {
        if field.r#type() != Type::Message {
            return None;
        }
        let m = self.schema.message(field.type_name());
        m.options
            .as_ref()
            .is_some_and(|o| o.map_entry())
            .then(|| m.clone())
    }

    fn count(&mut self) -> u64 {
        *self.rng.pick(&[0, 0, 1, 1, 2, 3, 4, 7])
    }

    fn repeated_field(
        &mut self,
        field: &FieldDescriptorProto,
        depth: u32,
        chunks: &mut Vec<Vec<u8>>,
    ) {
        let n = self.count();
        if n == 0 {
            return;
        }
        let packable = !matches!(
            field.r#type(),
            Type::String | Type::Bytes | Type::Message | Type::Group
        );
        // Packable fields take either encoding whatever they declare; a run may also be split
        // in several packed chunks or mix packed and unpacked elements.
        let mut left = n;
        while left > 0 {
            let take = 1 + self.rng.below(left);
            left -= take;
            if packable && self.rng.chance(50) {
                let mut body = Vec::new();
                for _ in 0..take {
                    self.value(field, depth, &mut body);
                }
                let mut chunk = Vec::new();
                len_field(&mut chunk, field.number() as u32, &body);
                chunks.push(chunk);
            } else {
                for _ in 0..take {
                    let mut chunk = Vec::new();
                    self.single(field, depth, &mut chunk);
                    chunks.push(chunk);
                }
            }
        }
    }

    fn map_field(
        &mut self,
        field: &FieldDescriptorProto,
        entry: &DescriptorProto,
        depth: u32,
        chunks: &mut Vec<Vec<u8>>,
    ) {
        let n = self.count();
        let key_field = &entry.field[0];
        let value_field = &entry.field[1];
        // A handful of keys so that duplicates (last one wins) happen.
        let mut keys: Vec<Vec<u8>> = Vec::new();
        for _ in 0..n {
            let key_bytes = if !keys.is_empty() && self.rng.chance(20) {
                self.rng.pick(&keys).clone()
            } else {
                let mut k = Vec::new();
                self.single(key_field, depth + 1, &mut k);
                keys.push(k.clone());
                k
            };
            let mut value_bytes = Vec::new();
            self.single(value_field, depth + 1, &mut value_bytes);
            let mut parts: Vec<Vec<u8>> = Vec::new();
            if !self.rng.chance(10) {
                parts.push(key_bytes);
            }
            if !self.rng.chance(10) {
                parts.push(value_bytes);
            }
            if self.rng.chance(10) {
                let mut unknown = Vec::new();
                self.unknown_field(&[1, 2], depth + 1, &mut unknown);
                parts.push(unknown);
            }
            if self.rng.chance(15) {
                parts.reverse();
            }
            let body: Vec<u8> = parts.concat();
            let mut chunk = Vec::new();
            len_field(&mut chunk, field.number() as u32, &body);
            chunks.push(chunk);
        }
    }

    /// Writes one occurrence of `field`: key and value.
    fn single(&mut self, field: &FieldDescriptorProto, depth: u32, out: &mut Vec<u8>) {
        let number = field.number() as u32;
        match field.r#type() {
            Type::Group => {
                key(out, number, WIRE_START_GROUP);
                if depth < self.max_depth && self.budget > 0 {
                    self.budget -= 1;
                    self.message_body(field.type_name(), depth + 1, out);
                }
                key(out, number, WIRE_END_GROUP);
            }
            Type::Message => {
                let mut body = Vec::new();
                if depth < self.max_depth && self.budget > 0 {
                    self.budget -= 1;
                    self.message_body(field.type_name(), depth + 1, &mut body);
                }
                len_field(out, number, &body);
            }
            Type::String | Type::Bytes => {
                let mut body = Vec::new();
                self.value(field, depth, &mut body);
                // `value` wrote a length prefix; keep it.
                key(out, number, WIRE_LEN);
                out.extend_from_slice(&body);
            }
            t => {
                key(out, number, wire_of(t));
                self.value(field, depth, out);
            }
        }
    }

    /// Writes a value without key (strings and bytes with their length prefix).
    fn value(&mut self, field: &FieldDescriptorProto, _depth: u32, out: &mut Vec<u8>) {
        match field.r#type() {
            Type::Int32 | Type::Int64 | Type::Uint32 | Type::Uint64 => {
                let v = self.varint_value(field.r#type());
                self.padded_varint(out, v);
            }
            Type::Sint32 => {
                let v = self.int_value() as i32;
                self.padded_varint(out, u64::from(((v << 1) ^ (v >> 31)) as u32));
            }
            Type::Sint64 => {
                let v = self.int_value() as i64;
                self.padded_varint(out, ((v << 1) ^ (v >> 63)) as u64);
            }
            Type::Bool => {
                let v = *self.rng.pick(&[0, 1, 1, 0, 1, 2, 0x80, u64::MAX]);
                self.padded_varint(out, v);
            }
            Type::Enum => {
                let values = self.schema.enum_values(field.type_name());
                let v: i32 = if !values.is_empty() && self.rng.chance(75) {
                    *self.rng.pick(values)
                } else {
                    *self.rng.pick(&[3, 99, -1, -2147483648, 2147483647, 12345])
                };
                self.padded_varint(out, v as i64 as u64);
            }
            Type::Fixed32 | Type::Sfixed32 => {
                out.extend_from_slice(&(self.int_value() as u32).to_le_bytes());
            }
            Type::Float => {
                out.extend_from_slice(&self.float_bits32().to_le_bytes());
            }
            Type::Fixed64 | Type::Sfixed64 => {
                out.extend_from_slice(&self.int_value().to_le_bytes());
            }
            Type::Double => {
                out.extend_from_slice(&self.float_bits64().to_le_bytes());
            }
            Type::String => {
                let mut s = String::new();
                for _ in 0..self.rng.below(4) {
                    let piece: &&str = self.rng.pick(STRINGS);
                    s.push_str(piece);
                }
                varint(out, s.len() as u64);
                out.extend_from_slice(s.as_bytes());
            }
            Type::Bytes => {
                let n = *self.rng.pick(&[0, 1, 3, 16, 130]);
                varint(out, n);
                for _ in 0..n {
                    out.push(self.rng.next_u64() as u8);
                }
            }
            Type::Message | Type::Group => unreachable!("sub-messages are written by `single`"),
        }
    }

    /// Returns a random integer, often a boundary value.
    fn int_value(&mut self) -> u64 {
        match self.rng.below(4) {
            0 => *self.rng.pick(BOUNDARY_U64),
            1 => self.rng.below(300),
            2 => (self.rng.below(300) as i64).wrapping_neg() as u64,
            _ => self.rng.next_u64() >> self.rng.below(64),
        }
    }

    /// Returns the raw varint of an `int32`/`int64`/`uint32`/`uint64` value.
    fn varint_value(&mut self, t: Type) -> u64 {
        let v = self.int_value();
        match t {
            // Negative int32 values as ten-byte varints (sign-extended), the canonical form;
            // now and then a value with garbage above bit 31, which decoders truncate.
            Type::Int32 if !self.rng.chance(5) => v as i32 as i64 as u64,
            Type::Uint32 if !self.rng.chance(5) => u64::from(v as u32),
            _ => v,
        }
    }

    /// Writes `v` as a varint, sometimes padded with redundant continuation bytes (still at
    /// most ten bytes long).
    fn padded_varint(&mut self, out: &mut Vec<u8>, v: u64) {
        let mut bytes = Vec::new();
        varint(&mut bytes, v);
        if bytes.len() < 10 && self.rng.chance(5) {
            let extra = 1 + self.rng.below(10 - bytes.len() as u64) as usize;
            let last = bytes.len() - 1;
            bytes[last] |= 0x80;
            bytes.extend(std::iter::repeat_n(0x80, extra - 1));
            bytes.push(0x00);
        }
        out.extend_from_slice(&bytes);
    }

    fn float_bits32(&mut self) -> u32 {
        match self.rng.below(3) {
            0 => *self.rng.pick(&[
                0u32,
                0x8000_0000,
                0x7F80_0000,
                0xFF80_0000,
                0x7FC0_0000,
                0x7FA0_0001,
                0x0000_0001,
                1.5f32.to_bits(),
                (-2.25f32).to_bits(),
                f32::MAX.to_bits(),
            ]),
            1 => (self.rng.below(2000) as f32 - 1000.0).to_bits(),
            _ => self.rng.next_u64() as u32,
        }
    }

    fn float_bits64(&mut self) -> u64 {
        match self.rng.below(3) {
            0 => *self.rng.pick(&[
                0u64,
                0x8000_0000_0000_0000,
                0x7FF0_0000_0000_0000,
                0xFFF0_0000_0000_0000,
                0x7FF8_0000_0000_0000,
                0x0000_0000_0000_0001,
                1.5f64.to_bits(),
                (-1e300f64).to_bits(),
            ]),
            1 => (self.rng.below(2000) as f64 / 7.0 - 100.0).to_bits(),
            _ => self.rng.next_u64(),
        }
    }

    /// Writes an unknown field with a number not in `used`, of a random wire type.
    fn unknown_field(&mut self, used: &[i32], depth: u32, out: &mut Vec<u8>) {
        let number = loop {
            let n = match self.rng.below(3) {
                0 => 1 + self.rng.below(40) as u32,
                1 => 1 + self.rng.below(20000) as u32,
                _ => 536_870_911 - self.rng.below(10) as u32,
            };
            if !used.contains(&(n as i32)) {
                break n;
            }
        };
        match self.rng.below(5) {
            0 => {
                key(out, number, WIRE_VARINT);
                let v = self.int_value();
                varint(out, v);
            }
            1 => {
                key(out, number, WIRE_FIXED64);
                out.extend_from_slice(&self.rng.next_u64().to_le_bytes());
            }
            2 => {
                let n = self.rng.below(20) as usize;
                let body: Vec<u8> = (0..n).map(|_| self.rng.next_u64() as u8).collect();
                len_field(out, number, &body);
            }
            3 => {
                key(out, number, WIRE_FIXED32);
                out.extend_from_slice(&(self.rng.next_u64() as u32).to_le_bytes());
            }
            _ => {
                key(out, number, WIRE_START_GROUP);
                if depth < self.max_depth {
                    for _ in 0..self.rng.below(3) {
                        self.unknown_field(&[], depth + 1, out);
                    }
                }
                key(out, number, WIRE_END_GROUP);
            }
        }
    }
}

/// Returns the wire type of a non-length-delimited scalar type.
fn wire_of(t: Type) -> u8 {
    match t {
        Type::Fixed64 | Type::Sfixed64 | Type::Double => WIRE_FIXED64,
        Type::Fixed32 | Type::Sfixed32 | Type::Float => WIRE_FIXED32,
        Type::String | Type::Bytes | Type::Message => WIRE_LEN,
        Type::Group => WIRE_START_GROUP,
        _ => WIRE_VARINT,
    }
}

/// Rewrites an encoding of message `name` so that every map entry holds both its key and its
/// value, in that order, writing the default for a missing one.
///
/// prost leaves a key or value equal to its default out of a map entry; lkm, like Google's
/// C++, Java and Go runtimes, always writes both. Both forms are valid and decode to the same
/// map; this turns prost's canonical encoding into the always-both form, changing nothing
/// else, so that the byte-for-byte comparison stays strict everywhere else.
pub fn complete_map_entries(schema: &Schema, name: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut input = bytes;
    complete_fields(schema, name, &mut input, None, &mut out)?;
    input.is_empty().then_some(out)
}

fn read_varint(input: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..70).step_by(7) {
        let (&byte, rest) = input.split_first()?;
        *input = rest;
        value |= u64::from(byte & 0x7F).checked_shl(shift).unwrap_or(0);
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
}

fn take<'b>(input: &mut &'b [u8], n: usize) -> Option<&'b [u8]> {
    if input.len() < n {
        return None;
    }
    let (head, rest) = input.split_at(n);
    *input = rest;
    Some(head)
}

fn complete_fields(
    schema: &Schema,
    name: &str,
    input: &mut &[u8],
    end_group: Option<u32>,
    out: &mut Vec<u8>,
) -> Option<()> {
    let message = schema.message(name).clone();
    while !input.is_empty() {
        let tag = read_varint(input)?;
        let number = (tag >> 3) as u32;
        let wire = (tag & 7) as u8;
        if wire == WIRE_END_GROUP && Some(number) == end_group {
            varint(out, tag);
            return Some(());
        }
        let field = message.field.iter().find(|f| f.number() as u32 == number);
        varint(out, tag);
        match wire {
            WIRE_VARINT => {
                let v = read_varint(input)?;
                varint(out, v);
            }
            WIRE_FIXED64 => out.extend_from_slice(take(input, 8)?),
            WIRE_FIXED32 => out.extend_from_slice(take(input, 4)?),
            WIRE_START_GROUP => {
                let f = field?;
                complete_fields(schema, f.type_name(), input, Some(number), out)?;
            }
            WIRE_LEN => {
                let len = read_varint(input)? as usize;
                let mut body = take(input, len)?;
                let body_out = match field {
                    Some(f) if f.r#type() == Type::Message => {
                        let target = schema.message(f.type_name());
                        if target.options.as_ref().is_some_and(|o| o.map_entry()) {
                            complete_entry(schema, target, body)?
                        } else {
                            let mut nested = Vec::new();
                            complete_fields(schema, f.type_name(), &mut body, None, &mut nested)?;
                            nested
                        }
                    }
                    _ => body.to_vec(),
                };
                varint(out, body_out.len() as u64);
                out.extend_from_slice(&body_out);
            }
            _ => return None,
        }
    }
    end_group.is_none().then_some(())
}

fn complete_entry(schema: &Schema, entry: &DescriptorProto, body: &[u8]) -> Option<Vec<u8>> {
    let mut input = body;
    let mut parts: [Option<Vec<u8>>; 2] = [None, None];
    while !input.is_empty() {
        let start = input;
        let tag = read_varint(&mut input)?;
        let number = (tag >> 3) as usize;
        let field = entry.field.get(number.checked_sub(1)?)?;
        let mut one = Vec::new();
        let mut field_bytes = start;
        // Re-read the whole field through `complete_fields` of a one-field view.
        let consumed_before = start.len();
        let _ = consumed_before;
        match field.r#type() {
            Type::Message => {
                let len = read_varint(&mut input)? as usize;
                let mut nested_body = take(&mut input, len)?;
                let mut nested = Vec::new();
                complete_fields(
                    schema,
                    field.type_name(),
                    &mut nested_body,
                    None,
                    &mut nested,
                )?;
                varint(&mut one, tag);
                varint(&mut one, nested.len() as u64);
                one.extend_from_slice(&nested);
            }
            _ => {
                let wire = (tag & 7) as u8;
                match wire {
                    WIRE_VARINT => {
                        read_varint(&mut input)?;
                    }
                    WIRE_FIXED64 => {
                        take(&mut input, 8)?;
                    }
                    WIRE_FIXED32 => {
                        take(&mut input, 4)?;
                    }
                    WIRE_LEN => {
                        let len = read_varint(&mut input)? as usize;
                        take(&mut input, len)?;
                    }
                    _ => return None,
                }
                let used = field_bytes.len() - input.len();
                one.extend_from_slice(take(&mut field_bytes, used)?);
            }
        }
        parts[number - 1] = Some(one);
    }
    let mut out = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        match part {
            Some(bytes) => out.extend_from_slice(&bytes),
            None => {
                let field = &entry.field[i];
                if field.r#type() == Type::Message {
                    // The default message still carries its proto2 required fields.
                    let body = default_message(schema, field.type_name())?;
                    len_field(&mut out, field.number() as u32, &body);
                } else {
                    default_field(field, &mut out)?;
                }
            }
        }
    }
    Some(out)
}

/// Writes `field` with its default value, as prost writes an unset proto2 required field.
fn default_field(field: &FieldDescriptorProto, out: &mut Vec<u8>) -> Option<()> {
    let t = field.r#type();
    key(out, field.number() as u32, wire_of(t));
    match (wire_of(t), field.default_value.as_deref()) {
        (WIRE_FIXED64, None) => out.extend_from_slice(&[0; 8]),
        (WIRE_FIXED32, None) => out.extend_from_slice(&[0; 4]),
        (WIRE_VARINT, None) | (WIRE_LEN, None) => out.push(0),
        (WIRE_VARINT, Some(text)) if t != Type::Enum && t != Type::Bool => {
            let v: i64 = text.parse().ok()?;
            match t {
                Type::Sint32 | Type::Sint64 => varint(out, ((v << 1) ^ (v >> 63)) as u64),
                _ => varint(out, v as u64),
            }
        }
        _ => return None,
    }
    Some(())
}

/// Returns prost's encoding of a default message `name`: its required fields, defaulted.
fn default_message(schema: &Schema, name: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for field in &schema.message(name).field {
        if field.label() == Label::Required {
            if field.r#type() == Type::Message {
                return None;
            }
            default_field(field, &mut out)?;
        }
    }
    Some(out)
}
