// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The builder behind repeated fields.
//!
//! A decoded repeated field is a plain slice in the arena. While a message is decoded, each
//! of its repeated fields collects elements in a [`RepeatedBuilder`]: a vector whose storage
//! comes from the arena. Elements of one field usually arrive back to back, so the storage
//! sits at the top of the arena and grows in place without copying; when something else was
//! allocated in between (a sub-message's own fields), the storage moves with doubled
//! capacity, so the copies stay linear in the number of elements. When the message ends,
//! unused capacity at the top is given back and the field becomes an `&'a [T]`.
//!
//! A consequence of the doubling: capacity that a relocated builder left behind, or that
//! another allocation sealed off above it, stays used until the arena goes away. Whether a
//! decode fits is therefore not monotonic in the arena size near the limit: a message that
//! fits tightly in a small arena (where doubling failed and the builder fell back to the exact
//! size) may need a little more in a slightly larger one. Size arenas from
//! [`Arena::used`](super::arena::Arena::used) after a decode of a representative message,
//! plus a margin, rather than from the encoded size.

use core::marker::PhantomData;
use core::mem::{size_of, MaybeUninit};
use core::ptr::NonNull;
use core::slice;

use super::arena::Arena;
use super::error::DecodeError;

/// The smallest capacity a builder moves to when it has to allocate.
const MIN_CAPACITY: usize = 4;

/// Collects the elements of one repeated field in arena storage.
///
/// # Invariants
///
/// `ptr` is valid for reads of `len` initialized elements. When `owned` is true it points to
/// an arena allocation of `cap` elements that nothing else references, valid for `'a`; when
/// `owned` is false it points to the elements of a slice borrowed for `'a`, `cap == len`, and
/// the memory is never written through `ptr`.
pub struct RepeatedBuilder<'a, T: Copy> {
    ptr: NonNull<T>,
    len: usize,
    cap: usize,
    owned: bool,
    _elements: PhantomData<&'a [T]>,
}

impl<'a, T: Copy> RepeatedBuilder<'a, T> {
    /// Starts a builder holding the elements of `existing`, which are copied on the first
    /// push (so that merging into a decoded message keeps what it had).
    #[inline]
    pub fn new(existing: &'a [T]) -> Self {
        // INVARIANT: borrowed elements, never written; `cap == len`.
        Self {
            ptr: NonNull::from(existing).cast(),
            len: existing.len(),
            cap: existing.len(),
            owned: false,
            _elements: PhantomData,
        }
    }

    /// Returns the number of elements collected so far.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Returns `true` when no element was collected.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends `value`.
    #[inline]
    pub fn push(&mut self, arena: &mut Arena<'a>, value: T) -> Result<(), DecodeError> {
        if self.len == self.cap {
            self.grow(arena, 1)?;
        }
        // SAFETY: `len < cap` and the storage is owned after `grow`, so the slot at `len` is
        // inside this builder's allocation and nothing else references it.
        unsafe { self.ptr.as_ptr().add(self.len).write(value) };
        self.len = self.len.wrapping_add(1);
        Ok(())
    }

    /// Appends `T::default()` and returns it for decoding in place.
    #[inline]
    pub fn push_default(&mut self, arena: &mut Arena<'a>) -> Result<&mut T, DecodeError>
    where
        T: Default,
    {
        self.push(arena, T::default())?;
        let last = self.len.wrapping_sub(1);
        // SAFETY: `push` succeeded, so the storage is owned and element `last` initialized;
        // the returned borrow is tied to `&mut self`, so no other access can overlap it.
        Ok(unsafe { &mut *self.ptr.as_ptr().add(last) })
    }

    /// Makes room for at least `additional` more elements.
    #[inline]
    pub fn reserve(&mut self, arena: &mut Arena<'a>, additional: usize) -> Result<(), DecodeError> {
        if self.cap.wrapping_sub(self.len) >= additional {
            return Ok(());
        }
        self.grow(arena, additional)
    }

    /// Appends the values of `values`, making room for `values.len()` of them first.
    ///
    /// The loop that stores them has no capacity check, so the compiler can turn a simple
    /// conversion (such as little-endian bytes to integers) into a block copy. An iterator
    /// that yields more items than it announced has the extra ones dropped.
    #[inline]
    pub fn extend_exact<I>(&mut self, arena: &mut Arena<'a>, values: I) -> Result<(), DecodeError>
    where
        I: ExactSizeIterator<Item = T>,
    {
        let count = values.len();
        if count == 0 {
            return Ok(());
        }
        self.reserve(arena, count)?;
        // SAFETY: `reserve` left `cap - len >= count` with owned storage (it moves borrowed
        // elements to the arena, since `count > 0`), so the `count` slots after `len` are
        // inside this builder's allocation, unaliased, and may be written uninitialized.
        let spare = unsafe {
            slice::from_raw_parts_mut(
                self.ptr.as_ptr().add(self.len).cast::<MaybeUninit<T>>(),
                count,
            )
        };
        // A plain loop rather than `zip`: zip's specialisations instantiate checked index
        // arithmetic, which is a panic path in kernel builds.
        let mut written = 0usize;
        let mut slots = spare.iter_mut();
        for value in values {
            let Some(slot) = slots.next() else {
                break;
            };
            slot.write(value);
            written = written.wrapping_add(1);
        }
        // INVARIANT: the first `written <= count` spare slots were initialized above.
        self.len = self.len.wrapping_add(written);
        Ok(())
    }

    /// Returns the elements as a slice that lives as long as the arena's buffer, giving any
    /// unused capacity back to the arena when possible.
    #[inline]
    pub fn finish(self, arena: &mut Arena<'a>) -> &'a [T] {
        if self.owned && self.cap > self.len {
            let unused = self.cap.wrapping_sub(self.len);
            arena.shrink_in_place(self.end_of_storage(), unused.wrapping_mul(size_of::<T>()));
        }
        // SAFETY: by the invariants, `ptr` is valid for `len` initialized elements for `'a`,
        // and no writes happen through it once the builder is consumed.
        unsafe { slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    /// Returns the address one past the builder's capacity.
    fn end_of_storage(&self) -> NonNull<u8> {
        // SAFETY: `cap` elements starting at `ptr` lie in one allocation (or are zero-sized),
        // so the one-past-the-end address is in bounds.
        unsafe { self.ptr.add(self.cap).cast() }
    }

    #[cold]
    fn grow(&mut self, arena: &mut Arena<'a>, additional: usize) -> Result<(), DecodeError> {
        let needed = self
            .len
            .checked_add(additional)
            .ok_or(DecodeError::ArenaExhausted)?;
        let doubled = self.cap.saturating_mul(2).max(MIN_CAPACITY).max(needed);
        let elem = size_of::<T>();

        if self.owned && elem != 0 {
            let end = self.end_of_storage();
            // `cap * elem` bytes were allocated, so the product does not overflow.
            let size = self.cap.wrapping_mul(elem);
            for target in [doubled, needed] {
                let extra = target.wrapping_sub(self.cap).saturating_mul(elem);
                if arena.grow_in_place(end, size, extra) {
                    // INVARIANT: the arena handed the bytes after our storage to us.
                    self.cap = target;
                    return Ok(());
                }
            }
        }

        let (ptr, cap) = match arena.alloc_uninit::<T>(doubled) {
            Ok(ptr) => (ptr, doubled),
            Err(_) => (arena.alloc_uninit::<T>(needed)?, needed),
        };
        // SAFETY: the new allocation holds at least `needed > len` elements and cannot overlap
        // the old storage, which stays valid for reads of `len` elements.
        unsafe {
            ptr.as_ptr()
                .copy_from_nonoverlapping(self.ptr.as_ptr(), self.len)
        };
        // INVARIANT: the new storage is an unaliased arena allocation of `cap` elements.
        self.ptr = ptr;
        self.cap = cap;
        self.owned = true;
        Ok(())
    }
}

impl<T: Copy + core::fmt::Debug> core::fmt::Debug for RepeatedBuilder<'_, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // SAFETY: `ptr` is valid for reads of `len` initialized elements (invariant).
        let items = unsafe { slice::from_raw_parts(self.ptr.as_ptr(), self.len) };
        f.debug_list().entries(items).finish()
    }
}
