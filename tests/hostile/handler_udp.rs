// SPDX-License-Identifier: GPL-2.0

//! The hostile-traffic UDP module's handler: answers every message whose `id` is not a
//! multiple of 3 with a summary of what it decoded, so that the client can check the
//! decoded values, not only the counters. The client's model (`src/model.rs`) compiles
//! this file too and answers with it in user space.
//!
//! Copy this file to `handler.rs` in the module generated from `hostile.proto` with
//! `--flavour udp`.

use crate::proto::hostile::{node::Payload, Node};

/// Replies with `id + 1`, the name, kind, samples, words, labels and tags it received and
/// the number of nodes in the tree as `stamp`; sends nothing when `id` is a multiple of 3.
pub(crate) fn handle<'a>(message: &Node<'a>) -> Option<Node<'a>> {
    if message.id % 3 == 0 {
        return None;
    }
    Some(Node {
        id: message.id.wrapping_add(1),
        name: message.name,
        samples: message.samples,
        words: message.words,
        labels: message.labels,
        kind: message.kind,
        stamp: Some(tree_size(message)),
        tags: message.tags,
        ..Node::default()
    })
}

/// Counts the nodes of the tree under `node`: itself, its children and `next`, recursively.
/// The recursion is as deep as the decoder's depth limit allows messages to nest.
fn tree_size(node: &Node<'_>) -> u64 {
    let mut total = 1u64;
    for child in node.children {
        total = total.saturating_add(tree_size(child));
    }
    if let Some(Payload::Next(next)) = node.payload {
        total = total.saturating_add(tree_size(next));
    }
    total
}
