// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A bump arena over a caller's buffer.
//!
//! Decoding never allocates from the system: sub-messages, repeated fields and map entries
//! are placed in an [`Arena`] that borrows a buffer the caller owns (a stack array, a
//! `kmalloc`'d block, a static). Allocations live as long as the buffer's borrow and are
//! released together when the caller drops the decoded message and reuses the buffer.
//! Running out of room is an [`ArenaExhausted`](super::error::DecodeError::ArenaExhausted)
//! error, never a panic and never a null pointer.
//!
//! Only `Copy` values are stored, so nothing in the arena ever needs to be dropped.

use core::marker::PhantomData;
use core::mem::{align_of, size_of};
use core::ptr::NonNull;
use core::slice;

use super::error::DecodeError;

/// A bump allocator over a borrowed byte buffer.
///
/// # Invariants
///
/// `next` points into (or one past the end of) the buffer borrowed for `'a`, and the
/// `remaining` bytes starting at `next` belong to that buffer and are not referenced by any
/// allocation handed out so far. `capacity` is the length of the whole buffer.
pub struct Arena<'a> {
    next: NonNull<u8>,
    remaining: usize,
    capacity: usize,
    _buffer: PhantomData<&'a mut [u8]>,
}

impl<'a> Arena<'a> {
    /// Creates an arena that allocates from `buffer`.
    pub fn new(buffer: &'a mut [u8]) -> Self {
        let capacity = buffer.len();
        // INVARIANT: the whole buffer is free and borrowed mutably for `'a`.
        Self {
            next: NonNull::from(buffer).cast(),
            remaining: capacity,
            capacity,
            _buffer: PhantomData,
        }
    }

    /// Returns the size of the buffer the arena was created over.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Returns the number of bytes still free (before alignment padding).
    pub fn remaining(&self) -> usize {
        self.remaining
    }

    /// Returns the number of bytes used so far, alignment padding included.
    pub fn used(&self) -> usize {
        self.capacity.saturating_sub(self.remaining)
    }

    /// Moves `value` into the arena and returns a reference to it.
    pub fn alloc<T: Copy>(&mut self, value: T) -> Result<&'a mut T, DecodeError> {
        let ptr = self.alloc_uninit::<T>(1)?;
        // SAFETY: `alloc_uninit` returned memory that is valid, aligned and unaliased for one
        // `T` for `'a`; writing initializes it before the reference is created.
        unsafe {
            ptr.as_ptr().write(value);
            Ok(&mut *ptr.as_ptr())
        }
    }

    /// Copies `items` into the arena and returns the copy.
    pub fn alloc_slice_copy<T: Copy>(&mut self, items: &[T]) -> Result<&'a mut [T], DecodeError> {
        let ptr = self.alloc_uninit::<T>(items.len())?;
        // SAFETY: `alloc_uninit` returned memory valid and unaliased for `items.len()` values
        // of `T` for `'a`; it cannot overlap `items`, which the arena never handed out.
        unsafe {
            ptr.as_ptr()
                .copy_from_nonoverlapping(items.as_ptr(), items.len());
            Ok(slice::from_raw_parts_mut(ptr.as_ptr(), items.len()))
        }
    }

    /// Allocates `len` copies of `value` and returns them.
    pub fn alloc_slice_fill<T: Copy>(
        &mut self,
        len: usize,
        value: T,
    ) -> Result<&'a mut [T], DecodeError> {
        let ptr = self.alloc_uninit::<T>(len)?;
        // Zero-sized values need no writes, and their `len` is not bounded by the buffer, so
        // a loop over them could run for up to `usize::MAX` rounds.
        let writes = if size_of::<T>() == 0 { 0 } else { len };
        let mut cursor = ptr.as_ptr();
        for _ in 0..writes {
            // SAFETY: `cursor` stays within the `len` elements `alloc_uninit` returned.
            unsafe {
                cursor.write(value);
                cursor = cursor.add(1);
            }
        }
        // SAFETY: all `len` elements were initialized above and belong to this allocation.
        Ok(unsafe { slice::from_raw_parts_mut(ptr.as_ptr(), len) })
    }

    /// Reserves room for `count` values of `T` and returns a pointer to the first one.
    ///
    /// The memory is uninitialized, aligned for `T`, and not aliased by any other allocation
    /// for `'a`. Zero-sized requests return a dangling, well-aligned pointer.
    pub(super) fn alloc_uninit<T>(&mut self, count: usize) -> Result<NonNull<T>, DecodeError> {
        let size = size_of::<T>()
            .checked_mul(count)
            .ok_or(DecodeError::ArenaExhausted)?;
        if size == 0 {
            return Ok(NonNull::dangling());
        }
        let padding = self.next.as_ptr().align_offset(align_of::<T>());
        let total = padding
            .checked_add(size)
            .ok_or(DecodeError::ArenaExhausted)?;
        if total > self.remaining {
            return Err(DecodeError::ArenaExhausted);
        }
        // SAFETY: `total <= remaining`, so both pointers stay inside the free region.
        let (start, next) = unsafe { (self.next.add(padding), self.next.add(total)) };
        // INVARIANT: the bytes up to `next` now belong to the caller; the rest stay free.
        self.next = next;
        self.remaining = self.remaining.wrapping_sub(total);
        Ok(start.cast())
    }

    /// Extends the most recent allocation, `size` bytes ending at `end`, by `extra` bytes.
    ///
    /// Returns `false`, changing nothing, when `end` is not the start of the free region, the
    /// allocation is not inside this arena's used bytes, or fewer than `extra` bytes are free.
    /// The second check matters when two arenas cover adjacent halves of one buffer: an
    /// allocation at the very end of the first ends where the second's free region starts,
    /// and its pointer has no right to the second's memory.
    pub(super) fn grow_in_place(&mut self, end: NonNull<u8>, size: usize, extra: usize) -> bool {
        if end != self.next || size > self.used() || extra > self.remaining {
            return false;
        }
        // SAFETY: `extra <= remaining`, so the new start of the free region stays in bounds.
        self.next = unsafe { self.next.add(extra) };
        self.remaining = self.remaining.wrapping_sub(extra);
        true
    }

    /// Gives back the last `unused` bytes of the most recent allocation, which ends at `end`.
    ///
    /// Does nothing when `end` is not the start of the free region or the bytes are not inside
    /// this arena's used bytes: they then stay allocated until the arena goes away.
    pub(super) fn shrink_in_place(&mut self, end: NonNull<u8>, unused: usize) {
        if end != self.next || unused > self.used() {
            return;
        }
        // SAFETY: the `unused` bytes before `next` belong to the allocation ending at `end`,
        // which the caller stops using; stepping back over them stays inside the buffer.
        self.next = unsafe { self.next.sub(unused) };
        self.remaining = self.remaining.wrapping_add(unused);
    }
}

impl core::fmt::Debug for Arena<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Arena")
            .field("capacity", &self.capacity)
            .field("used", &self.used())
            .finish()
    }
}
