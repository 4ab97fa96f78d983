// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Error types of the runtime.
//!
//! Every variant maps to a kernel errno through `errno()`, so that a module can return
//! `-err.errno()` from a kernel entry point without a translation table of its own.

use core::fmt;

/// Kernel errno numbers used by the runtime (x86, arm64 and the generic table agree on these).
pub mod errno {
    /// Out of memory.
    pub const ENOMEM: i32 = 12;
    /// Invalid argument.
    pub const EINVAL: i32 = 22;
    /// Too many symbolic links; used for "nesting too deep".
    pub const ELOOP: i32 = 40;
    /// Not a data message; used for malformed encodings.
    pub const EBADMSG: i32 = 74;
    /// Value too large for defined data type.
    pub const EOVERFLOW: i32 = 75;
    /// Illegal byte sequence; used for invalid UTF-8.
    pub const EILSEQ: i32 = 84;
    /// Message too long.
    pub const EMSGSIZE: i32 = 90;
    /// No buffer space available.
    pub const ENOBUFS: i32 = 105;
}

/// Why decoding a message failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DecodeError {
    /// The input ended inside a key, a value or a group.
    Truncated,
    /// A varint ran on for more than ten bytes.
    VarintTooLong,
    /// A field key carried field number 0 or a number above 2^29 - 1.
    InvalidFieldNumber,
    /// A field key carried wire type 6 or 7, which do not exist.
    InvalidWireType,
    /// A length prefix claimed more bytes than the enclosing message holds.
    LengthOutOfBounds,
    /// Sub-messages or groups were nested deeper than the decode's depth limit.
    DepthLimitExceeded,
    /// The arena had no room left for a sub-message, a repeated field or a map entry.
    ArenaExhausted,
    /// A `string` field held bytes that are not valid UTF-8.
    InvalidUtf8,
    /// A packed fixed32/fixed64-sized field had a length that is not a multiple of 4/8.
    InvalidPackedLength,
    /// An end-group key had no matching start-group key, or closed another field's group.
    GroupMismatch,
}

impl DecodeError {
    /// Returns the positive kernel errno for this error; negate it for a kernel return code.
    pub const fn errno(self) -> i32 {
        match self {
            Self::ArenaExhausted => errno::ENOMEM,
            Self::DepthLimitExceeded => errno::ELOOP,
            Self::InvalidUtf8 => errno::EILSEQ,
            Self::VarintTooLong => errno::EOVERFLOW,
            Self::Truncated
            | Self::InvalidFieldNumber
            | Self::InvalidWireType
            | Self::LengthOutOfBounds
            | Self::InvalidPackedLength
            | Self::GroupMismatch => errno::EBADMSG,
        }
    }

    /// Returns a short description of the error, without allocation.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Truncated => "input ends inside a field",
            Self::VarintTooLong => "varint longer than ten bytes",
            Self::InvalidFieldNumber => "invalid field number",
            Self::InvalidWireType => "invalid wire type",
            Self::LengthOutOfBounds => "length prefix past the end of the message",
            Self::DepthLimitExceeded => "messages nested deeper than the depth limit",
            Self::ArenaExhausted => "arena exhausted",
            Self::InvalidUtf8 => "string field is not valid UTF-8",
            Self::InvalidPackedLength => "packed fixed-width field has a ragged length",
            Self::GroupMismatch => "unmatched end-group key",
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why encoding a message failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EncodeError {
    /// The output buffer is smaller than the encoded message.
    BufferTooSmall {
        /// Bytes the encoding needs.
        needed: usize,
        /// Bytes the buffer offered.
        available: usize,
    },
    /// The message does not fit in a frame: its length exceeds the 32-bit length prefix.
    MessageTooLarge,
}

impl EncodeError {
    /// Returns the positive kernel errno for this error; negate it for a kernel return code.
    pub const fn errno(self) -> i32 {
        match self {
            Self::BufferTooSmall { .. } => errno::ENOBUFS,
            Self::MessageTooLarge => errno::EMSGSIZE,
        }
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BufferTooSmall { needed, available } => {
                write!(
                    f,
                    "output buffer too small: need {needed} bytes, have {available}"
                )
            }
            Self::MessageTooLarge => f.write_str("message too large for a frame"),
        }
    }
}

/// Why splitting a buffer into length-prefixed frames failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FrameError {
    /// Fewer than four bytes remain where a length prefix should start.
    TruncatedHeader,
    /// The length prefix announces more bytes than remain in the buffer.
    TruncatedBody {
        /// The length the prefix announced.
        announced: u32,
        /// The bytes that remain after the prefix.
        available: usize,
    },
    /// The length prefix exceeds the largest frame the reader accepts.
    TooLarge {
        /// The length the prefix announced.
        announced: u32,
        /// The largest accepted frame.
        limit: u32,
    },
}

impl FrameError {
    /// Returns the positive kernel errno for this error; negate it for a kernel return code.
    pub const fn errno(self) -> i32 {
        match self {
            Self::TruncatedHeader | Self::TruncatedBody { .. } => errno::EBADMSG,
            Self::TooLarge { .. } => errno::EMSGSIZE,
        }
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TruncatedHeader => f.write_str("truncated frame header"),
            Self::TruncatedBody {
                announced,
                available,
            } => {
                write!(f, "frame announces {announced} bytes, {available} remain")
            }
            Self::TooLarge { announced, limit } => {
                write!(f, "frame of {announced} bytes exceeds the limit of {limit}")
            }
        }
    }
}
