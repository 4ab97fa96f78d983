// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Length-prefixed framing between user space and a module.
//!
//! A frame is a 4-byte big-endian (network order) length followed by that many bytes of
//! encoded message. One datagram or segment may carry several frames back to back.

use super::error::{EncodeError, FrameError};
use super::message::Message;

/// The size of a frame's length prefix.
pub const FRAME_HEADER_LEN: usize = 4;

/// An iterator over the frames of one buffer.
///
/// Yields each frame's message bytes. A truncated or oversized frame yields one error, after
/// which the iterator ends: the bytes after a bad prefix cannot be trusted.
#[derive(Clone, Debug)]
pub struct Frames<'a> {
    buf: &'a [u8],
    limit: u32,
    failed: bool,
}

impl<'a> Frames<'a> {
    /// Iterates over the frames of `buf`, accepting any length that fits.
    pub const fn new(buf: &'a [u8]) -> Self {
        Self::with_limit(buf, u32::MAX)
    }

    /// Iterates over the frames of `buf`, rejecting frames longer than `limit` bytes.
    pub const fn with_limit(buf: &'a [u8], limit: u32) -> Self {
        Self {
            buf,
            limit,
            failed: false,
        }
    }

    /// Returns the bytes not consumed yet.
    pub const fn remaining(&self) -> &'a [u8] {
        self.buf
    }

    fn fail(&mut self, error: FrameError) -> Option<Result<&'a [u8], FrameError>> {
        self.failed = true;
        Some(Err(error))
    }
}

impl<'a> Iterator for Frames<'a> {
    type Item = Result<&'a [u8], FrameError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.buf.is_empty() {
            return None;
        }
        let Some((header, rest)) = self.buf.split_first_chunk::<FRAME_HEADER_LEN>() else {
            return self.fail(FrameError::TruncatedHeader);
        };
        let announced = u32::from_be_bytes(*header);
        if announced > self.limit {
            return self.fail(FrameError::TooLarge {
                announced,
                limit: self.limit,
            });
        }
        let Some((body, rest)) = usize::try_from(announced)
            .ok()
            .and_then(|len| rest.split_at_checked(len))
        else {
            return self.fail(FrameError::TruncatedBody {
                announced,
                available: rest.len(),
            });
        };
        self.buf = rest;
        Some(Ok(body))
    }
}

/// Returns the size of `message` as a frame: prefix plus message.
pub fn frame_len<'a, M: Message<'a>>(message: &M) -> usize {
    message.encoded_len().saturating_add(FRAME_HEADER_LEN)
}

/// Writes `message` as one frame at the start of `out` and returns the bytes written.
pub fn encode_frame<'a, M: Message<'a>>(message: &M, out: &mut [u8]) -> Result<usize, EncodeError> {
    let len = message.encoded_len();
    let prefix = u32::try_from(len).map_err(|_| EncodeError::MessageTooLarge)?;
    let needed = len.saturating_add(FRAME_HEADER_LEN);
    let available = out.len();
    let (header, body) = out
        .split_first_chunk_mut::<FRAME_HEADER_LEN>()
        .filter(|(_, body)| body.len() >= len)
        .ok_or(EncodeError::BufferTooSmall { needed, available })?;
    *header = prefix.to_be_bytes();
    let written = message.encode(body)?;
    Ok(written.saturating_add(FRAME_HEADER_LEN))
}
