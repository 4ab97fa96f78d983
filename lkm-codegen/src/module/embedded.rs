// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The source files copied verbatim into every generated module: the runtime
//! (`lkm-pb-core/src`) and the kernel shim (`kernel-shim/`).

/// The crate root of the runtime, read for its `pub mod` and `pub use` lines.
pub(super) const RUNTIME_LIB: &str = include_str!("../../../lkm-pb-core/src/lib.rs");

/// Every runtime file but the crate root, by module name.
pub(super) const RUNTIME_FILES: &[(&str, &str)] = &[
    ("arena", include_str!("../../../lkm-pb-core/src/arena.rs")),
    ("codec", include_str!("../../../lkm-pb-core/src/codec.rs")),
    ("decode", include_str!("../../../lkm-pb-core/src/decode.rs")),
    ("encode", include_str!("../../../lkm-pb-core/src/encode.rs")),
    ("error", include_str!("../../../lkm-pb-core/src/error.rs")),
    ("float", include_str!("../../../lkm-pb-core/src/float.rs")),
    ("frame", include_str!("../../../lkm-pb-core/src/frame.rs")),
    ("map", include_str!("../../../lkm-pb-core/src/map.rs")),
    (
        "message",
        include_str!("../../../lkm-pb-core/src/message.rs"),
    ),
    (
        "repeated",
        include_str!("../../../lkm-pb-core/src/repeated.rs"),
    ),
    ("wire", include_str!("../../../lkm-pb-core/src/wire.rs")),
];

/// The C half of the shim.
pub(super) const SHIM_C: &str = include_str!("../../../kernel-shim/lkm_shim.c");

/// The Rust half of the shim shared by every flavour.
pub(super) const SHIM_RS: &str = include_str!("../../../kernel-shim/shim.rs");

/// The Rust side of the UDP flavour.
pub(super) const UDP_RS: &str = include_str!("../../../kernel-shim/udp.rs");

/// The Rust side of the netfilter flavour.
pub(super) const NETFILTER_RS: &str = include_str!("../../../kernel-shim/netfilter.rs");

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::*;

    fn read(relative: &str) -> String {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        fs::read_to_string(root.join(relative)).unwrap()
    }

    /// The embedded copies are the files of the runtime crate, and no runtime file is left out.
    #[test]
    fn runtime_copies_match_the_crate() {
        assert_eq!(RUNTIME_LIB, read("lkm-pb-core/src/lib.rs"));
        for (name, text) in RUNTIME_FILES {
            assert_eq!(
                *text,
                read(&format!("lkm-pb-core/src/{name}.rs")),
                "{name}.rs"
            );
        }
        let mut on_disk: Vec<String> =
            fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../lkm-pb-core/src"))
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|n| n != "lib.rs")
                .collect();
        on_disk.sort();
        let embedded: Vec<String> = RUNTIME_FILES
            .iter()
            .map(|(n, _)| format!("{n}.rs"))
            .collect();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn shim_copies_match() {
        assert_eq!(SHIM_C, read("kernel-shim/lkm_shim.c"));
        assert_eq!(SHIM_RS, read("kernel-shim/shim.rs"));
        assert_eq!(UDP_RS, read("kernel-shim/udp.rs"));
        assert_eq!(NETFILTER_RS, read("kernel-shim/netfilter.rs"));
    }
}
