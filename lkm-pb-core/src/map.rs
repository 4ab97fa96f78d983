// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! [`Map`]: the value of a `map<K, V>` field.

use core::borrow::Borrow;
use core::fmt;

/// The entries of a `map<K, V>` field, in the order they were decoded.
///
/// Lookups scan the entries from the back, so that when a key appears twice the later entry
/// wins, as the protobuf merge rules require. Maps in kernel messages are small; a scan
/// touches no memory beyond the entries themselves.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Map<'a, K, V> {
    entries: &'a [(K, V)],
}

impl<'a, K, V> Map<'a, K, V> {
    /// Creates a map over `entries`; for encoding, keys should be unique.
    pub const fn new(entries: &'a [(K, V)]) -> Self {
        Self { entries }
    }

    /// Returns the value of `key`, looking at the last entry with that key.
    pub fn get<Q>(&self, key: &Q) -> Option<&'a V>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k.borrow() == key)
            .map(|(_, v)| v)
    }

    /// Returns `true` when `key` has an entry.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.get(key).is_some()
    }

    /// Returns the entries, duplicates included.
    pub const fn entries(&self) -> &'a [(K, V)] {
        self.entries
    }

    /// Returns the number of entries, duplicates included.
    pub const fn len(&self) -> usize {
        self.entries.len()
    }

    /// Returns `true` when the map has no entry.
    pub const fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Iterates over the entries as `(&key, &value)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&'a K, &'a V)> + 'a {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<K, V> Default for Map<'_, K, V> {
    fn default() -> Self {
        Self { entries: &[] }
    }
}

impl<'a, K, V> From<&'a [(K, V)]> for Map<'a, K, V> {
    fn from(entries: &'a [(K, V)]) -> Self {
        Self::new(entries)
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for Map<'_, K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}
