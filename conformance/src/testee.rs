// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The testee proper: the request loop on stdin/stdout and the answer to each request.
//!
//! Protobuf input is decoded into the requested test message with lkm-pb's generated code
//! and encoded again; the runner parses that output with Google's C++ implementation and
//! compares it with what it expected. Input that lkm-pb rejects is a `parse_error`. JSON,
//! JSPB and text format are not implemented by lkm-pb, so requests that use them, as input
//! or as output, are answered `skipped`.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use lkm_pb_core::{Arena, DecodeError, DecodeOptions, Message};

use crate::messages::conformance::{
    conformance_request, conformance_response, ConformanceRequest, ConformanceResponse, WireFormat,
};
use crate::messages::protobuf_test_messages::proto2::TestAllTypesProto2;
use crate::messages::protobuf_test_messages::proto3::TestAllTypesProto3;

/// The first arena size tried for a decode.
const ARENA_START: usize = 1 << 20;

/// The largest arena tried before a decode is answered as a runtime error.
const ARENA_MAX: usize = 256 << 20;

/// The largest request accepted from the runner.
const REQUEST_MAX: usize = 64 << 20;

/// Answers requests from stdin on stdout until the runner closes stdin.
pub(crate) fn serve_stdio() -> ExitCode {
    let mut input = io::stdin().lock();
    let mut output = io::stdout().lock();
    match serve(&mut input, &mut output) {
        Ok(count) => {
            eprintln!("lkm-conformance-testee: answered {count} requests");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lkm-conformance-testee: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Answers length-prefixed requests from `input` on `output`; returns how many there were.
fn serve(input: &mut impl Read, output: &mut impl Write) -> io::Result<u64> {
    let mut count = 0u64;
    loop {
        let mut prefix = [0u8; 4];
        match input.read_exact(&mut prefix) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(count),
            Err(e) => return Err(e),
        }
        let len = usize::try_from(u32::from_le_bytes(prefix)).unwrap_or(usize::MAX);
        if len > REQUEST_MAX {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("request of {len} bytes is larger than {REQUEST_MAX}"),
            ));
        }
        let mut request = vec![0u8; len];
        input.read_exact(&mut request)?;
        let response = answer(&request);
        let response_len = u32::try_from(response.len()).map_err(|_| {
            io::Error::new(io::ErrorKind::InvalidData, "response larger than 4 GiB")
        })?;
        output.write_all(&response_len.to_le_bytes())?;
        output.write_all(&response)?;
        output.flush()?;
        count = count.saturating_add(1);
    }
}

/// What the testee says about one request.
enum Outcome {
    /// The re-encoded message.
    Payload(Vec<u8>),
    /// lkm-pb rejected the input.
    ParseError(String),
    /// Encoding the decoded message failed.
    SerializeError(String),
    /// The testee could not handle the request for a reason other than the input.
    RuntimeError(String),
    /// The request needs something lkm-pb does not implement.
    Skipped(&'static str),
}

/// Returns the encoded `ConformanceResponse` to the encoded `ConformanceRequest` `request`.
fn answer(request: &[u8]) -> Vec<u8> {
    let mut memory = vec![0u8; ARENA_START];
    let mut arena = Arena::new(&mut memory);
    let outcome = match ConformanceRequest::decode(request, &mut arena) {
        Ok(request) => handle(&request),
        Err(e) => Outcome::RuntimeError(format!("cannot decode the ConformanceRequest: {e}")),
    };
    let result = match &outcome {
        Outcome::Payload(bytes) => conformance_response::Result::ProtobufPayload(bytes),
        Outcome::ParseError(text) => conformance_response::Result::ParseError(text),
        Outcome::SerializeError(text) => conformance_response::Result::SerializeError(text),
        Outcome::RuntimeError(text) => conformance_response::Result::RuntimeError(text),
        Outcome::Skipped(text) => conformance_response::Result::Skipped(text),
    };
    let response = ConformanceResponse {
        result: Some(result),
        ..ConformanceResponse::default()
    };
    encode_to_vec(&response).unwrap_or_else(|e| {
        // A response of a few strings and one payload always fits the buffer
        // `encode_to_vec` sizes for it; say so loudly if that ever changes.
        panic!("encoding a ConformanceResponse failed: {e}")
    })
}

/// Answers one decoded request.
fn handle(request: &ConformanceRequest<'_>) -> Outcome {
    if request.message_type == "conformance.FailureSet" {
        // The runner's first request asks for the tests this testee expects to fail. The
        // list lives in a file given to the runner instead, so the set is empty.
        return Outcome::Payload(Vec::new());
    }
    let input = match request.payload {
        Some(conformance_request::Payload::ProtobufPayload(bytes)) => bytes,
        Some(conformance_request::Payload::JsonPayload(_)) => {
            return Outcome::Skipped("JSON input is not implemented by lkm-pb")
        }
        Some(conformance_request::Payload::JspbPayload(_)) => {
            return Outcome::Skipped("JSPB input is not implemented by lkm-pb")
        }
        Some(conformance_request::Payload::TextPayload(_)) => {
            return Outcome::Skipped("text format input is not implemented by lkm-pb")
        }
        None => return Outcome::RuntimeError("request without a payload".to_owned()),
    };
    match request.requested_output_format {
        WireFormat::PROTOBUF => {}
        WireFormat::JSON => return Outcome::Skipped("JSON output is not implemented by lkm-pb"),
        WireFormat::JSPB => return Outcome::Skipped("JSPB output is not implemented by lkm-pb"),
        WireFormat::TEXT_FORMAT => {
            return Outcome::Skipped("text format output is not implemented by lkm-pb")
        }
        other => return Outcome::RuntimeError(format!("unknown output format {}", other.0)),
    }
    let decode_and_encode: DecodeAndEncode = match request.message_type {
        "protobuf_test_messages.proto3.TestAllTypesProto3" => proto3,
        "protobuf_test_messages.proto2.TestAllTypesProto2" => proto2,
        other => return Outcome::RuntimeError(format!("unknown message type {other:?}")),
    };
    round_trip(input, decode_and_encode)
}

/// A function that decodes its input as one test message, with the arena and options
/// given, and returns that message encoded again.
type DecodeAndEncode =
    for<'a> fn(&'a [u8], &mut Arena<'a>, DecodeOptions) -> Result<Vec<u8>, RoundTripError>;

/// Why a round trip failed.
enum RoundTripError {
    /// The input did not decode.
    Decode(DecodeError),
    /// The decoded message did not encode.
    Encode(lkm_pb_core::EncodeError),
}

/// Decodes `input` as a `TestAllTypesProto3` and encodes it again.
fn proto3<'a>(
    input: &'a [u8],
    arena: &mut Arena<'a>,
    options: DecodeOptions,
) -> Result<Vec<u8>, RoundTripError> {
    let message =
        TestAllTypesProto3::decode_with(input, arena, options).map_err(RoundTripError::Decode)?;
    encode_to_vec(&message).map_err(RoundTripError::Encode)
}

/// Decodes `input` as a `TestAllTypesProto2` and encodes it again.
fn proto2<'a>(
    input: &'a [u8],
    arena: &mut Arena<'a>,
    options: DecodeOptions,
) -> Result<Vec<u8>, RoundTripError> {
    let message =
        TestAllTypesProto2::decode_with(input, arena, options).map_err(RoundTripError::Decode)?;
    encode_to_vec(&message).map_err(RoundTripError::Encode)
}

/// Runs `decode_and_encode` over `input` with an arena that grows until the message fits.
///
/// The arena a decode needs depends on the message's shape, not only on the input's
/// length (three bytes of input can hold an empty sub-message whose struct takes hundreds
/// of bytes), so the testee starts at 1 MiB and grows fourfold on exhaustion.
fn round_trip(input: &[u8], decode_and_encode: DecodeAndEncode) -> Outcome {
    // The runtime's default options, depth limit 32 included, as a kernel module gets them.
    // The suite nests three levels at most (a map value holding a message that holds a
    // message), so any limit from 3 up passes it; Google's C++ parser allows 100.
    let options = DecodeOptions::new();
    let mut size = ARENA_START;
    loop {
        let mut memory = vec![0u8; size];
        let mut arena = Arena::new(&mut memory);
        match decode_and_encode(input, &mut arena, options) {
            Ok(bytes) => return Outcome::Payload(bytes),
            Err(RoundTripError::Decode(DecodeError::ArenaExhausted)) if size < ARENA_MAX => {
                size = size.saturating_mul(4);
            }
            Err(RoundTripError::Decode(DecodeError::ArenaExhausted)) => {
                return Outcome::RuntimeError(format!(
                    "the message needs more than {ARENA_MAX} bytes of arena"
                ))
            }
            Err(RoundTripError::Decode(e)) => return Outcome::ParseError(e.to_string()),
            Err(RoundTripError::Encode(e)) => return Outcome::SerializeError(e.to_string()),
        }
    }
}

/// Encodes `message` into a vector of exactly its encoded length.
fn encode_to_vec<'a, M: Message<'a>>(message: &M) -> Result<Vec<u8>, lkm_pb_core::EncodeError> {
    let mut out = vec![0u8; message.encoded_len()];
    let written = message.encode(&mut out)?;
    out.truncate(written);
    Ok(out)
}
