// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Arena use of input shapes that repeat a field many times: linear in the number of
//! occurrences, as SECURITY.md states, with the one shape whose use grows faster checked to
//! decode correctly while it fits and to fail cleanly when it does not.

use std::mem::size_of;

use lkm_pb_core::{Arena, DecodeError, Message};
use lkm_pb_differential::lkm::corpus::recursion::Tree;

/// Decodes `bytes` as a `Tree` with an arena of `size` bytes; returns the arena bytes used
/// and the number of `left.children` and `children`.
fn decode(bytes: &[u8], size: usize) -> Result<(usize, usize, usize), DecodeError> {
    let mut memory = vec![0u8; size];
    let mut arena = Arena::new(&mut memory);
    let tree = Tree::decode(bytes, &mut arena)?;
    let left_children = tree.left.map_or(0, |left| left.children.len());
    Ok((arena.used(), left_children, tree.children.len()))
}

#[test]
fn repeated_sub_messages_take_one_struct_each() {
    for n in [1, 10, 1000, 20_000] {
        // children {} n times.
        let (used, _, children) = decode(&[0x22, 0].repeat(n), 4 << 20).unwrap();
        assert_eq!(children, n);
        assert_eq!(used, n * size_of::<Tree>(), "n = {n}");
    }
}

#[test]
fn a_singular_sub_message_merged_again_takes_one_struct_per_occurrence() {
    for n in [1, 10, 1000, 20_000] {
        // left { value: 1 } n times: merged into one `left`.
        let (used, _, _) = decode(&[0x12, 2, 0x08, 1].repeat(n), 4 << 20).unwrap();
        assert_eq!(used, n * size_of::<Tree>(), "n = {n}");
    }
}

#[test]
fn merged_repeated_elements_decode_while_they_fit_and_fail_cleanly_after() {
    // left { children {} } n times: `left` ends with n children, and each occurrence copies
    // the ones merged so far.
    let (_, left_children, _) = decode(&[0x12, 2, 0x22, 0].repeat(100), 1 << 20).unwrap();
    assert_eq!(left_children, 100);
    assert_eq!(
        decode(&[0x12, 2, 0x22, 0].repeat(4000), 64 * 1024),
        Err(DecodeError::ArenaExhausted)
    );
}
