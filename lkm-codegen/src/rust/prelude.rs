// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! How generated code names the items of Rust's prelude it uses.
//!
//! A `.proto` file may declare a message or enum called `Option`, `Result` or `Default`, or
//! a oneof called `result`; its Rust type then shadows the prelude item in the module it is
//! declared in. The generated code of that module names the prelude items by their full
//! `::core` paths; everywhere else it uses the short names a person would write.

use proc_macro2::TokenStream;
use quote::quote;

/// The prelude items the generated code uses, as the current module must name them.
#[derive(Clone)]
pub(crate) struct Prelude {
    /// `Option`.
    pub(crate) option: TokenStream,
    /// `Some`.
    pub(crate) some: TokenStream,
    /// `None`.
    pub(crate) none: TokenStream,
    /// `Result`.
    pub(crate) result: TokenStream,
    /// `Ok`.
    pub(crate) ok: TokenStream,
    /// `Default`.
    pub(crate) default: TokenStream,
}

impl Prelude {
    /// The names for a module that declares the types `declared`.
    pub(crate) fn for_scope<S: AsRef<str>>(declared: &[S]) -> Self {
        let taken = |name: &str| declared.iter().any(|d| d.as_ref() == name);
        let option_taken = taken("Option");
        let result_taken = taken("Result");
        Self {
            option: if option_taken {
                quote!(::core::option::Option)
            } else {
                quote!(Option)
            },
            some: if option_taken || taken("Some") {
                quote!(::core::option::Option::Some)
            } else {
                quote!(Some)
            },
            none: if option_taken || taken("None") {
                quote!(::core::option::Option::None)
            } else {
                quote!(None)
            },
            result: if result_taken {
                quote!(::core::result::Result)
            } else {
                quote!(Result)
            },
            ok: if result_taken || taken("Ok") {
                quote!(::core::result::Result::Ok)
            } else {
                quote!(Ok)
            },
            default: if taken("Default") {
                quote!(::core::default::Default)
            } else {
                quote!(Default)
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_unless_shadowed() {
        let plain = Prelude::for_scope(&["Foo", "Bar"]);
        assert_eq!(plain.option.to_string(), "Option");
        assert_eq!(plain.ok.to_string(), "Ok");
        let shadowed = Prelude::for_scope(&["Option", "Result", "Default"]);
        assert_eq!(
            shadowed.some.to_string(),
            ":: core :: option :: Option :: Some"
        );
        assert_eq!(shadowed.result.to_string(), ":: core :: result :: Result");
        assert_eq!(
            shadowed.default.to_string(),
            ":: core :: default :: Default"
        );
        assert_eq!(Prelude::for_scope(&["Some"]).option.to_string(), "Option");
    }
}
