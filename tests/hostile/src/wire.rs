// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Writing the protobuf wire format by hand, so that the traffic can contain encodings a
//! well-behaved encoder never produces (unpacked repeated fields, repeated singular fields,
//! unknown fields and groups, fields out of order) as well as broken ones.

/// Wire type of varints.
pub const VARINT: u32 = 0;
/// Wire type of 8-byte fixed-width values.
pub const I64: u32 = 1;
/// Wire type of length-delimited values.
pub const LEN: u32 = 2;
/// Wire type that opens a group.
pub const SGROUP: u32 = 3;
/// Wire type that closes a group.
pub const EGROUP: u32 = 4;
/// Wire type of 4-byte fixed-width values.
pub const I32: u32 = 5;

/// Appends `value` as a varint.
pub fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Appends the key of field `number` with wire type `wire_type`.
pub fn key(out: &mut Vec<u8>, number: u32, wire_type: u32) {
    varint(out, (u64::from(number) << 3) | u64::from(wire_type));
}

/// Appends a length-delimited field.
pub fn bytes_field(out: &mut Vec<u8>, number: u32, value: &[u8]) {
    key(out, number, LEN);
    varint(out, value.len() as u64);
    out.extend_from_slice(value);
}

/// Appends a varint field.
pub fn varint_field(out: &mut Vec<u8>, number: u32, value: u64) {
    key(out, number, VARINT);
    varint(out, value);
}

/// The zigzag encoding of a signed value (`sint32`, `sint64`).
pub fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

/// Appends `body` as one frame: a 4-byte big-endian length, then the bytes.
pub fn frame(out: &mut Vec<u8>, body: &[u8]) {
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(body);
}
