// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! One decode and one encode operation per library and case, each checked against the
//! prost reference before it is handed out for measuring.
//!
//! Every library decodes the same bytes, prost's encoding of the reference value. Its
//! decoded value is converted to prost's types and compared with the reference; the value
//! it decoded is then what its encoder writes, and that output must decode (with prost) to
//! the reference again. nanopb's C structs are not converted: its decoder is checked by
//! encoding what it decoded with nanopb and comparing that.
//!
//! An operation reuses what a caller would keep between messages (the lkm-pb arena buffer,
//! output buffers, prost's output `Vec`), and makes what it would make per message (prost's
//! and quick-protobuf's owned fields, micropb's default message before decoding into it).

use std::fmt::Debug;
use std::hint::black_box;

use crate::convert::ToProst;
use crate::generated::{lkm, micropb as mp, prost as pr, quick};
use crate::values::{self, Case};

/// The bytes of the arena each lkm-pb decode uses.
const ARENA_BYTES: usize = 64 * 1024;

/// The libraries, in table order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lib {
    /// lkm-pb, this project.
    LkmPb,
    /// prost 0.14, the reference.
    Prost,
    /// micropb 0.7 with `heapless` containers.
    Micropb,
    /// quick-protobuf 0.8.
    Quick,
    /// nanopb (C), from Debian.
    Nanopb,
    /// A copy of the encoded bytes: the floor.
    Memcpy,
}

impl Lib {
    /// Every library, in table order.
    pub const ALL: [Lib; 6] = [
        Lib::LkmPb,
        Lib::Prost,
        Lib::Micropb,
        Lib::Quick,
        Lib::Nanopb,
        Lib::Memcpy,
    ];

    /// Returns the column title.
    pub fn name(self) -> &'static str {
        match self {
            Lib::LkmPb => "lkm-pb",
            Lib::Prost => "prost 0.14",
            Lib::Micropb => "micropb 0.7",
            Lib::Quick => "quick-protobuf 0.8",
            Lib::Nanopb => "nanopb",
            Lib::Memcpy => "memcpy",
        }
    }
}

/// Decode or encode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Bytes to a message.
    Decode,
    /// A message to bytes.
    Encode,
}

impl Op {
    /// Both operations, in table order.
    pub const ALL: [Op; 2] = [Op::Decode, Op::Encode];

    /// Returns the name used in the table.
    pub fn name(self) -> &'static str {
        match self {
            Op::Decode => "decode",
            Op::Encode => "encode",
        }
    }
}

/// One operation, run once per call.
pub type Run = Box<dyn FnMut()>;

/// The decode and encode operations of one library on one case.
pub struct Cell {
    /// The library.
    pub lib: Lib,
    /// The case.
    pub case: Case,
    /// The encoded size of the case, in bytes.
    pub encoded_len: usize,
    /// One decode of the case's bytes.
    pub decode: Run,
    /// One encode of the decoded value.
    pub encode: Run,
}

/// Fails unless `actual` equals `expected`.
fn same<P: PartialEq + Debug>(what: &str, actual: &P, expected: &P) -> Result<(), String> {
    if actual == expected {
        Ok(())
    } else {
        let shorten = |text: String| text.chars().take(4000).collect::<String>();
        Err(format!(
            "{what}: got {}\nexpected {}",
            shorten(format!("{actual:#?}")),
            shorten(format!("{expected:#?}"))
        ))
    }
}

/// Fails unless `bytes` decode, with prost, to `expected`.
fn decodes_to<P: prost::Message + Default + PartialEq + Debug>(
    what: &str,
    bytes: &[u8],
    expected: &P,
) -> Result<(), String> {
    let actual = P::decode(bytes).map_err(|e| format!("{what}: prost cannot decode it: {e}"))?;
    same(what, &actual, expected)
}

/// Returns a buffer that lives until the process ends.
fn leak(bytes: Vec<u8>) -> &'static mut [u8] {
    Box::leak(bytes.into_boxed_slice())
}

macro_rules! lkm_cell {
    ($case:expr, $ty:ty, $bytes:expr, $reference:expr) => {{
        use lkm_pb_core::{Arena, Message as _};
        let bytes: &'static [u8] = $bytes;
        let mut arena = Arena::new(leak(vec![0; ARENA_BYTES]));
        let value = <$ty>::decode(bytes, &mut arena).map_err(|e| format!("lkm-pb decode: {e}"))?;
        same("lkm-pb decode", &value.to_prost(), $reference)?;
        let mut out = vec![0; value.encoded_len()];
        let n = value
            .encode(&mut out)
            .map_err(|e| format!("lkm-pb encode: {e}"))?;
        decodes_to("lkm-pb encode", &out[..n], $reference)?;
        let mut scratch = vec![0u8; ARENA_BYTES];
        Cell {
            lib: Lib::LkmPb,
            case: $case,
            encoded_len: bytes.len(),
            decode: Box::new(move || {
                let mut arena = Arena::new(&mut scratch);
                let result = <$ty>::decode(black_box(bytes), &mut arena);
                black_box(&result);
            }),
            encode: Box::new(move || {
                let result = black_box(&value).encode(&mut out);
                black_box(&result);
            }),
        }
    }};
}

macro_rules! prost_cell {
    ($case:expr, $ty:ty, $bytes:expr, $reference:expr) => {{
        use prost::Message as _;
        let bytes: &'static [u8] = $bytes;
        let value = <$ty>::decode(bytes).map_err(|e| format!("prost decode: {e}"))?;
        same("prost decode", &value, $reference)?;
        decodes_to("prost encode", &value.encode_to_vec(), $reference)?;
        let mut out = Vec::with_capacity(bytes.len());
        Cell {
            lib: Lib::Prost,
            case: $case,
            encoded_len: bytes.len(),
            decode: Box::new(move || {
                let result = <$ty>::decode(black_box(bytes));
                black_box(&result);
            }),
            encode: Box::new(move || {
                out.clear();
                let result = black_box(&value).encode(&mut out);
                black_box((&result, &out));
            }),
        }
    }};
}

macro_rules! micropb_cell {
    ($case:expr, $ty:ty, $bytes:expr, $reference:expr) => {{
        use micropb::{MessageDecode as _, MessageEncode as _, PbEncoder};
        let bytes: &'static [u8] = $bytes;
        let mut value = <$ty>::default();
        value
            .decode_from_bytes(bytes)
            .map_err(|e| format!("micropb decode: {e:?}"))?;
        same("micropb decode", &value.to_prost(), $reference)?;
        let mut out = vec![0u8; bytes.len()];
        let mut rest: &mut [u8] = &mut out;
        value
            .encode(&mut PbEncoder::new(&mut rest))
            .map_err(|_| "micropb encode failed".to_owned())?;
        let n = bytes.len() - rest.len();
        decodes_to("micropb encode", &out[..n], $reference)?;
        Cell {
            lib: Lib::Micropb,
            case: $case,
            encoded_len: bytes.len(),
            decode: Box::new(move || {
                let mut message = <$ty>::default();
                let result = message.decode_from_bytes(black_box(bytes));
                black_box((&result, &message));
            }),
            encode: Box::new(move || {
                let mut rest: &mut [u8] = &mut out;
                let result = black_box(&value).encode(&mut PbEncoder::new(&mut rest));
                black_box((&result, rest.len()));
            }),
        }
    }};
}

macro_rules! quick_cell {
    ($case:expr, $ty:ty, $bytes:expr, $reference:expr) => {{
        use quick_protobuf::{
            BytesReader, BytesWriter, MessageRead as _, MessageWrite as _, Writer,
        };
        let bytes: &'static [u8] = $bytes;
        let value = <$ty>::from_reader(&mut BytesReader::from_bytes(bytes), bytes)
            .map_err(|e| format!("quick-protobuf decode: {e}"))?;
        same("quick-protobuf decode", &value.to_prost(), $reference)?;
        let mut written = Vec::new();
        value
            .write_message(&mut Writer::new(&mut written))
            .map_err(|e| format!("quick-protobuf encode: {e}"))?;
        decodes_to("quick-protobuf encode", &written, $reference)?;
        let mut out = vec![0u8; bytes.len()];
        Cell {
            lib: Lib::Quick,
            case: $case,
            encoded_len: bytes.len(),
            decode: Box::new(move || {
                let input = black_box(bytes);
                let result = <$ty>::from_reader(&mut BytesReader::from_bytes(input), input);
                black_box(&result);
            }),
            encode: Box::new(move || {
                let mut writer = Writer::new(BytesWriter::new(&mut out));
                let result = black_box(&value).write_message(&mut writer);
                black_box(&result);
            }),
        }
    }};
}

/// The memcpy floor: both operations copy the encoded bytes into another buffer.
fn memcpy_cell(case: Case, bytes: &'static [u8]) -> Cell {
    let copy = move |out: &mut Vec<u8>| {
        let input = black_box(bytes);
        if let Some(target) = out.get_mut(..input.len()) {
            target.copy_from_slice(input);
        }
        black_box(&out);
    };
    let mut decode_out = vec![0u8; bytes.len()];
    let mut encode_out = vec![0u8; bytes.len()];
    Cell {
        lib: Lib::Memcpy,
        case,
        encoded_len: bytes.len(),
        decode: Box::new(move || copy(&mut decode_out)),
        encode: Box::new(move || copy(&mut encode_out)),
    }
}

/// Builds and checks every cell of `case` for the libraries in `libs`.
fn case_cells(case: Case, libs: &[Lib]) -> Result<Vec<Cell>, String> {
    use prost::Message as _;
    macro_rules! build {
        ($reference:expr, $lkm:ty, $prost:ty, $micropb:ty, $quick:ty) => {{
            let reference = $reference;
            let bytes: &'static [u8] = leak(reference.encode_to_vec());
            let mut cells = Vec::new();
            for &lib in libs {
                cells.push(match lib {
                    Lib::LkmPb => lkm_cell!(case, $lkm, bytes, &reference),
                    Lib::Prost => prost_cell!(case, $prost, bytes, &reference),
                    Lib::Micropb => micropb_cell!(case, $micropb, bytes, &reference),
                    Lib::Quick => quick_cell!(case, $quick, bytes, &reference),
                    Lib::Nanopb => nanopb_cell(case, bytes, &reference)?,
                    Lib::Memcpy => memcpy_cell(case, bytes),
                });
            }
            Ok(cells)
        }};
    }
    match case {
        Case::Message => build!(
            values::message(),
            lkm::benchmark::Message,
            pr::benchmark::Message,
            mp::benchmark_::Message,
            quick::benchmark::Message
        ),
        Case::Message3 => build!(
            values::message3(),
            lkm::benchmark::Message3,
            pr::benchmark::Message3,
            mp::benchmark_::Message3,
            quick::benchmark::Message3
        ),
        Case::Foo => build!(
            values::foo(),
            lkm::cases::Foo,
            pr::cases::Foo,
            mp::cases_::Foo,
            quick::cases::Foo
        ),
        Case::Packed => build!(
            values::packed(),
            lkm::cases::Packed,
            pr::cases::Packed,
            mp::cases_::Packed,
            quick::cases::Packed
        ),
        Case::Fixed32s => build!(
            values::fixed32s(),
            lkm::cases::Fixed32s,
            pr::cases::Fixed32s,
            mp::cases_::Fixed32s,
            quick::cases::Fixed32s
        ),
    }
}

/// Builds and checks the cells of every case for the libraries in `libs`.
pub fn all_cells(libs: &[Lib]) -> Result<Vec<Cell>, String> {
    let mut cells = Vec::new();
    for case in Case::ALL {
        cells.extend(case_cells(case, libs).map_err(|e| format!("{}: {e}", case.name()))?);
    }
    Ok(cells)
}

/// The libraries this build has: all but nanopb when it was not installed at build time.
pub fn available_libs() -> Vec<Lib> {
    Lib::ALL
        .into_iter()
        .filter(|&lib| lib != Lib::Nanopb || crate::nanopb::AVAILABLE)
        .collect()
}

/// The nanopb cell of `case`: decode and encode through the C glue.
fn nanopb_cell<P: prost::Message + Default + PartialEq + Debug>(
    case: Case,
    bytes: &'static [u8],
    reference: &P,
) -> Result<Cell, String> {
    use crate::nanopb::Nanopb;
    let decoder = Nanopb::new(case).ok_or("nanopb is not built in")?;
    let mut encoder = Nanopb::new(case).ok_or("nanopb is not built in")?;
    if !encoder.decode(bytes) {
        return Err("nanopb decode failed".to_owned());
    }
    let mut out = vec![0u8; bytes.len() + 64];
    let n = encoder.encode(&mut out).ok_or("nanopb encode failed")?;
    decodes_to(
        "nanopb decode, encoded again by nanopb",
        &out[..n],
        reference,
    )?;
    let mut decoder = decoder;
    Ok(Cell {
        lib: Lib::Nanopb,
        case,
        encoded_len: bytes.len(),
        decode: Box::new(move || {
            let ok = decoder.decode(black_box(bytes));
            black_box(ok);
        }),
        encode: Box::new(move || {
            let written = black_box(&encoder).encode(&mut out);
            black_box(written);
        }),
    })
}
