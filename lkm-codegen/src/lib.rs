//! lkm-codegen
