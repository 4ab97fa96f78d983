// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tests of the bump arena and of `RepeatedBuilder`, the two places that use `unsafe`.
//!
//! These tests are meant to run under Miri as well, so they keep their loops small.

use lkm_pb_core::error::DecodeError;
use lkm_pb_core::{Arena, RepeatedBuilder};

/// A buffer with a known alignment, so that padding is predictable.
#[repr(C, align(16))]
struct Aligned<const N: usize>([u8; N]);

impl<const N: usize> Aligned<N> {
    fn new() -> Self {
        Self([0xa5; N])
    }
}

/// Returns the address of `r`.
fn addr<T: ?Sized>(r: &T) -> usize {
    (r as *const T).cast::<u8>() as usize
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[repr(C)]
struct Pair {
    a: u8,
    b: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Empty;

#[test]
fn fresh_arena() {
    let mut buf = Aligned::<32>::new();
    let arena = Arena::new(&mut buf.0);
    assert_eq!(arena.capacity(), 32);
    assert_eq!(arena.remaining(), 32);
    assert_eq!(arena.used(), 0);
    assert_eq!(format!("{arena:?}"), "Arena { capacity: 32, used: 0 }");
}

#[test]
fn allocations_are_aligned() {
    for offset in 0..17 {
        let mut buf = Aligned::<256>::new();
        let base = addr(&buf.0);
        let mut arena = Arena::new(&mut buf.0);
        for _ in 0..offset {
            arena.alloc(0u8).unwrap();
        }
        assert_eq!(arena.used(), offset);
        let a = arena.alloc(0x1122u16).unwrap();
        let b = arena.alloc(0x3344_5566u32).unwrap();
        let c = arena.alloc(0x7788_99aa_bbcc_ddeeu64).unwrap();
        let d = arena.alloc(u128::MAX - 1).unwrap();
        let e = arena.alloc(Pair { a: 1, b: 2 }).unwrap();
        let f = arena.alloc_slice_copy(&[1u32, 2, 3]).unwrap();
        let g = arena.alloc_slice_fill(3, 7u64).unwrap();
        assert_eq!(addr(a) % align_of::<u16>(), 0);
        assert_eq!(addr(b) % align_of::<u32>(), 0);
        assert_eq!(addr(c) % align_of::<u64>(), 0);
        assert_eq!(addr(d) % align_of::<u128>(), 0);
        assert_eq!(addr(e) % align_of::<Pair>(), 0);
        assert_eq!(addr(f) % align_of::<u32>(), 0);
        assert_eq!(addr(g) % align_of::<u64>(), 0);
        assert_eq!(*a, 0x1122);
        assert_eq!(*b, 0x3344_5566);
        assert_eq!(*c, 0x7788_99aa_bbcc_ddee);
        assert_eq!(*d, u128::MAX - 1);
        assert_eq!(*e, Pair { a: 1, b: 2 });
        assert_eq!(f, [1, 2, 3]);
        assert_eq!(g, [7, 7, 7]);
        // Everything lies inside the buffer, in allocation order.
        assert!(base + offset <= addr(a));
        assert!(addr(g) + 24 <= base + 256);
        assert_eq!(arena.used(), addr(g) + 24 - base);
        assert_eq!(arena.used() + arena.remaining(), 256);
    }
}

#[test]
fn zero_sized_allocations_take_no_room() {
    let mut arena = Arena::new(&mut []);
    assert_eq!(arena.alloc(Empty), Ok(&mut Empty));
    assert_eq!(arena.alloc(()).map(|u| *u), Ok(()));
    assert_eq!(
        arena.alloc_slice_fill(1000, Empty).map(|s| s.len()),
        Ok(1000)
    );
    assert_eq!(
        arena.alloc_slice_fill(usize::MAX, ()).map(|s| s.len()),
        Ok(usize::MAX)
    );
    assert_eq!(arena.alloc_slice_copy::<u64>(&[]).map(|s| s.len()), Ok(0));
    assert_eq!(arena.alloc_slice_fill(0, 1u128).map(|s| s.len()), Ok(0));
    assert_eq!(arena.used(), 0);
    assert_eq!(arena.alloc(0u8), Err(DecodeError::ArenaExhausted));
}

#[test]
fn huge_requests_fail_cleanly() {
    let mut buf = Aligned::<64>::new();
    let mut arena = Arena::new(&mut buf.0);
    arena.alloc(1u8).unwrap();
    for len in [usize::MAX, usize::MAX / 2, usize::MAX / 8 + 1, 65, 9] {
        assert_eq!(
            arena.alloc_slice_fill(len, 0u64).map(|s| s.len()),
            Err(DecodeError::ArenaExhausted),
            "{len}"
        );
    }
    assert_eq!(arena.used(), 1, "failed allocations take nothing");
    assert_eq!(arena.alloc_slice_fill(7, 0u64).map(|s| s.len()), Ok(7));
    assert_eq!(arena.used(), 64);
}

/// One step of the allocation sequence used by the exhaustion test.
#[derive(Clone, Copy, Debug)]
enum Step {
    Byte,
    Word,
    Long,
    Wide,
    Pair,
    Bytes3,
    Words2,
}

impl Step {
    const ALL: [Step; 7] = [
        Step::Byte,
        Step::Long,
        Step::Word,
        Step::Bytes3,
        Step::Wide,
        Step::Pair,
        Step::Words2,
    ];

    /// Allocates, fills with `tag` and returns the address range, or the error.
    fn run<'a>(
        self,
        arena: &mut Arena<'a>,
        tag: u8,
    ) -> Result<(usize, usize, Filled<'a>), DecodeError> {
        Ok(match self {
            Step::Byte => {
                let r = arena.alloc(tag)?;
                (addr(r), 1, Filled::Byte(r))
            }
            Step::Word => {
                let r = arena.alloc(u32::from_ne_bytes([tag; 4]))?;
                (addr(r), 4, Filled::Word(r))
            }
            Step::Long => {
                let r = arena.alloc(u64::from_ne_bytes([tag; 8]))?;
                (addr(r), 8, Filled::Long(r))
            }
            Step::Wide => {
                let r = arena.alloc(u128::from_ne_bytes([tag; 16]))?;
                (addr(r), 16, Filled::Wide(r))
            }
            Step::Pair => {
                let r = arena.alloc(Pair {
                    a: tag,
                    b: u64::from(tag),
                })?;
                (addr(r), size_of::<Pair>(), Filled::Pair(r))
            }
            Step::Bytes3 => {
                let r = arena.alloc_slice_copy(&[tag; 3])?;
                (addr(r), 3, Filled::Bytes(r))
            }
            Step::Words2 => {
                let r = arena.alloc_slice_fill(2, u16::from_ne_bytes([tag; 2]))?;
                (addr(r), 4, Filled::Words(r))
            }
        })
    }
}

/// An allocation and its contents, checked after later allocations.
enum Filled<'a> {
    Byte(&'a mut u8),
    Word(&'a mut u32),
    Long(&'a mut u64),
    Wide(&'a mut u128),
    Pair(&'a mut Pair),
    Bytes(&'a mut [u8]),
    Words(&'a mut [u16]),
}

impl Filled<'_> {
    fn holds(&self, tag: u8) -> bool {
        match self {
            Filled::Byte(r) => **r == tag,
            Filled::Word(r) => **r == u32::from_ne_bytes([tag; 4]),
            Filled::Long(r) => **r == u64::from_ne_bytes([tag; 8]),
            Filled::Wide(r) => **r == u128::from_ne_bytes([tag; 16]),
            Filled::Pair(r) => r.a == tag && r.b == u64::from(tag),
            Filled::Bytes(r) => r.iter().all(|&b| b == tag),
            Filled::Words(r) => r.iter().all(|&w| w == u16::from_ne_bytes([tag; 2])),
        }
    }
}

#[test]
fn exhaustion_at_every_size() {
    for size in 0..=64usize {
        for start in 0..Step::ALL.len() {
            let mut buf = Aligned::<64>::new();
            let base = addr(&buf.0);
            let mut arena = Arena::new(&mut buf.0[..size]);
            let mut live = Vec::new();
            let mut failures = 0;
            for (i, step) in Step::ALL.iter().cycle().skip(start).take(40).enumerate() {
                let tag = i as u8;
                let used = arena.used();
                match step.run(&mut arena, tag) {
                    Ok((at, len, filled)) => {
                        assert!(at >= base + used, "{step:?} overlaps earlier allocations");
                        assert!(at + len <= base + size, "{step:?} past the end");
                        assert_eq!(arena.used(), at + len - base);
                        live.push((tag, filled));
                    }
                    Err(e) => {
                        assert_eq!(e, DecodeError::ArenaExhausted);
                        assert_eq!(arena.used(), used, "a failed allocation took room");
                        failures += 1;
                    }
                }
                assert_eq!(arena.used() + arena.remaining(), size);
            }
            assert!(failures > 0 || size == 64, "size {size}");
            for (tag, filled) in &live {
                assert!(filled.holds(*tag), "allocation {tag} was overwritten");
            }
        }
    }
}

#[test]
fn builder_grows_in_place_at_the_top() {
    let mut buf = Aligned::<256>::new();
    let mut arena = Arena::new(&mut buf.0);
    let mut b = RepeatedBuilder::new(&[]);
    assert!(b.is_empty());
    b.push(&mut arena, 0u32).unwrap();
    assert_eq!(arena.used(), 16, "first storage holds four elements");
    for i in 1..20u32 {
        b.push(&mut arena, i).unwrap();
    }
    assert_eq!(b.len(), 20);
    // Grown in place 4 -> 8 -> 16 -> 32: still one block from the start of the buffer.
    assert_eq!(arena.used(), 32 * 4);
    let values = b.finish(&mut arena);
    assert_eq!(values, (0..20).collect::<Vec<_>>());
    assert_eq!(arena.used(), 20 * 4, "finish gives unused capacity back");
    // The next allocation starts right after the elements.
    let next = arena.alloc(0u32).unwrap();
    assert_eq!(addr(next), addr(values) + 80);
}

#[test]
fn builder_relocates_when_not_at_the_top() {
    let mut buf = Aligned::<256>::new();
    let mut arena = Arena::new(&mut buf.0);
    let mut b = RepeatedBuilder::new(&[]);
    for i in 0..4u64 {
        b.push(&mut arena, i).unwrap();
    }
    assert_eq!(arena.used(), 32);
    let marker = arena.alloc(0xdead_beefu32).unwrap();
    b.push(&mut arena, 4).unwrap();
    // The storage moved past the marker with doubled capacity.
    assert_eq!(arena.used(), 32 + 8 + 8 * 8);
    for i in 5..8 {
        b.push(&mut arena, i).unwrap();
    }
    let values = b.finish(&mut arena);
    assert_eq!(values, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(*marker, 0xdead_beef);
    assert!(addr(values) > addr(marker));
    // Full storage: nothing to give back; the first block stays used.
    assert_eq!(arena.used(), 32 + 8 + 64);
}

#[test]
fn builder_merges_existing_elements() {
    let existing = [10u16, 20, 30];
    let mut buf = Aligned::<64>::new();
    let mut arena = Arena::new(&mut buf.0);

    // Without a push, the existing slice comes back as it is, with no allocation.
    let b = RepeatedBuilder::new(&existing);
    assert_eq!(b.len(), 3);
    let same = b.finish(&mut arena);
    assert_eq!(addr(same), addr(&existing));
    assert_eq!(arena.used(), 0);

    let mut b = RepeatedBuilder::new(&existing);
    b.push(&mut arena, 40).unwrap();
    let merged = b.finish(&mut arena);
    assert_eq!(merged, [10, 20, 30, 40]);
    assert_eq!(existing, [10, 20, 30], "the original is never written");
    assert_ne!(addr(merged), addr(&existing));
    assert_eq!(arena.used(), 8);

    // Merging again into arena storage copies as well: finished slices are never grown.
    let mut b = RepeatedBuilder::new(merged);
    b.push(&mut arena, 50).unwrap();
    let again = b.finish(&mut arena);
    assert_eq!(again, [10, 20, 30, 40, 50]);
    assert_eq!(merged, [10, 20, 30, 40]);
}

#[test]
fn builder_push_default_and_reserve() {
    let mut buf = Aligned::<128>::new();
    let mut arena = Arena::new(&mut buf.0);
    let mut b = RepeatedBuilder::<Pair>::new(&[]);
    b.reserve(&mut arena, 0).unwrap();
    assert_eq!(arena.used(), 0, "reserving nothing allocates nothing");
    b.reserve(&mut arena, 5).unwrap();
    let used = arena.used();
    assert_eq!(used, 5 * size_of::<Pair>());
    for i in 0..5u8 {
        let slot = b.push_default(&mut arena).unwrap();
        assert_eq!(*slot, Pair::default());
        slot.a = i;
        slot.b = u64::from(i) * 100;
    }
    assert_eq!(arena.used(), used, "reserved room is used without growing");
    assert_eq!(
        b.reserve(&mut arena, usize::MAX),
        Err(DecodeError::ArenaExhausted)
    );
    assert_eq!(
        b.reserve(&mut arena, usize::MAX / 16),
        Err(DecodeError::ArenaExhausted)
    );
    assert_eq!(arena.used(), used);
    let values = b.finish(&mut arena);
    assert_eq!(values.len(), 5);
    assert_eq!(values[3], Pair { a: 3, b: 300 });
    assert_eq!(format!("{:?}", RepeatedBuilder::new(&[1u8, 2])), "[1, 2]");
}

#[test]
fn interleaved_builders() {
    let mut buf = Aligned::<512>::new();
    let mut arena = Arena::new(&mut buf.0);
    let mut a = RepeatedBuilder::new(&[]);
    let mut b = RepeatedBuilder::new(&[]);
    let mut c = RepeatedBuilder::new(&[]);
    for i in 0..30u32 {
        a.push(&mut arena, i).unwrap();
        if i % 3 == 0 {
            b.push(&mut arena, u8::try_from(i).unwrap()).unwrap();
        }
        if i % 7 == 0 {
            c.push(&mut arena, u64::from(i) << 40).unwrap();
        }
    }
    assert_eq!(format!("{b:?}"), "[0, 3, 6, 9, 12, 15, 18, 21, 24, 27]");
    let c = c.finish(&mut arena);
    let b = b.finish(&mut arena);
    let a = a.finish(&mut arena);
    assert_eq!(a, (0..30).collect::<Vec<_>>());
    assert_eq!(b, (0..30).step_by(3).collect::<Vec<u8>>());
    assert_eq!(c, [0, 7 << 40, 14 << 40, 21 << 40, 28 << 40]);
    assert!(arena.used() <= 512);
}

#[test]
fn builder_that_fails_leaves_arena_usable() {
    for size in 0..=64usize {
        let mut buf = Aligned::<64>::new();
        let mut arena = Arena::new(&mut buf.0[..size]);
        let mut b = RepeatedBuilder::new(&[]);
        let mut pushed = 0u32;
        let err = loop {
            match b.push(&mut arena, pushed) {
                Ok(()) => pushed += 1,
                Err(e) => break e,
            }
        };
        assert_eq!(err, DecodeError::ArenaExhausted);
        assert_eq!(pushed as usize, size / 4, "size {size}");
        assert_eq!(b.len(), pushed as usize);
        let used = arena.used();
        assert!(used <= size);
        let values = b.finish(&mut arena);
        assert_eq!(values, (0..pushed).collect::<Vec<_>>());
        // Whatever is left can still be allocated.
        let left = arena.remaining();
        assert_eq!(
            arena.alloc_slice_fill(left, 0xffu8).map(|s| s.len()),
            Ok(left)
        );
        assert_eq!(values, (0..pushed).collect::<Vec<_>>());
    }
}

#[test]
fn builder_with_a_full_arena_keeps_its_elements() {
    let mut buf = Aligned::<24>::new();
    let mut arena = Arena::new(&mut buf.0);
    let mut a = RepeatedBuilder::new(&[]);
    for i in 0..4u32 {
        a.push(&mut arena, i).unwrap();
    }
    let hole = arena.alloc(9u32).unwrap();
    // Relocation needs room for five elements; 4 bytes remain.
    assert_eq!(a.push(&mut arena, 4), Err(DecodeError::ArenaExhausted));
    assert_eq!(a.len(), 4);
    assert_eq!(a.finish(&mut arena), [0, 1, 2, 3]);
    assert_eq!(*hole, 9);
    assert_eq!(arena.used(), 20);
}

#[test]
fn zero_sized_elements() {
    let mut arena = Arena::new(&mut []);
    let mut b = RepeatedBuilder::new(&[]);
    for _ in 0..100 {
        b.push(&mut arena, Empty).unwrap();
    }
    b.reserve(&mut arena, 1 << 40).unwrap();
    *b.push_default(&mut arena).unwrap() = Empty;
    assert_eq!(b.finish(&mut arena).len(), 101);
    assert_eq!(arena.used(), 0);
}

#[test]
fn builder_storage_never_spans_two_arenas() {
    // Two arenas over adjacent halves of one buffer: storage at the very end of the first
    // must not be extended into the second, which holds memory the first cannot reach.
    let mut buf = Aligned::<48>::new();
    let (first, second) = buf.0.split_at_mut(16);
    let second_start = addr(second);
    let mut a = Arena::new(first);
    let mut b = Arena::new(second);
    let mut builder = RepeatedBuilder::new(&[]);
    for i in 0..4u32 {
        builder.push(&mut a, i).unwrap();
    }
    assert_eq!(a.remaining(), 0);
    builder.push(&mut b, 4).unwrap();
    let values = builder.finish(&mut b);
    assert_eq!(values, [0, 1, 2, 3, 4]);
    assert!(
        addr(values) >= second_start,
        "the elements were extended across two arenas"
    );
}
