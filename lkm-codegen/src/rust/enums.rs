// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Emits an enum: an open newtype over `i32` with one constant per value.
//!
//! Protobuf enums are open in proto3 (and treated the same way here for proto2): a decoded
//! number without a name must survive a round trip. A Rust `enum` cannot hold such numbers,
//! so the generated type is `struct Name(pub i32)` with associated constants, which still
//! reads naturally in `match` arms (`PhoneType::MOBILE => ...`).

use std::collections::{HashMap, HashSet};

use proc_macro2::{Literal, TokenStream};
use prost_types::EnumDescriptorProto;
use quote::quote;

use super::message::FileEmitter;
use super::names;
use crate::Error;

/// Emits the enum `descriptor` declared at `path`.
pub(crate) fn emit(
    emitter: &FileEmitter<'_, '_>,
    descriptor: &EnumDescriptorProto,
    path: &[i32],
    package_prefix: &str,
) -> Result<TokenStream, Error> {
    let rt = &emitter.ctx.rt;
    let p = &emitter.ctx.prelude;
    let (option, some, none, default) = (&p.option, &p.some, &p.none, &p.default);
    let full_name = format!("{package_prefix}{}", descriptor.name());
    let name = names::type_ident(descriptor.name());
    let Some(first) = descriptor.value.first() else {
        return Err(Error::at(
            emitter.ctx.file.name(),
            None,
            &format!("enum {full_name}"),
            "an enum needs at least one value",
        ));
    };
    let first = names::ident(&names::screaming_snake(first.name()));
    let doc = emitter
        .comments
        .doc(path, &format!("The enum `{full_name}`."));

    let mut consts = Vec::new();
    let mut name_arms = Vec::new();
    let mut seen = HashSet::new();
    // Constant names already emitted, with their numbers. Aliases (`allow_alias`) may
    // differ only in case, as `MOO = 2; moo = 2;` do; they share one constant.
    let mut const_values: HashMap<String, (&str, i32)> = HashMap::new();
    for (i, value) in descriptor.value.iter().enumerate() {
        let const_name = names::screaming_snake(value.name());
        let ident = names::ident(&const_name);
        let number = value.number();
        match const_values.get(&const_name) {
            Some(&(_, earlier)) if earlier == number => continue,
            Some(&(earlier_name, earlier)) => {
                return Err(Error::at(
                    emitter.ctx.file.name(),
                    None,
                    &format!("enum {full_name}"),
                    format!(
                        "values `{earlier_name} = {earlier}` and `{} = {number}` both become \
                         the constant {const_name}",
                        value.name()
                    ),
                ));
            }
            None => {
                const_values.insert(const_name, (value.name(), number));
            }
        }
        let mut value_path = path.to_vec();
        value_path.extend([2, i as i32]);
        let vdoc = emitter
            .comments
            .doc(&value_path, &format!("`{} = {number}`", value.name()));
        consts.push(quote! {
            #vdoc
            pub const #ident: Self = Self(#number);
        });
        if seen.insert(number) {
            let text = Literal::string(value.name());
            name_arms.push(quote!(#number => #some(#text),));
        }
    }

    Ok(quote! {
        #doc
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(transparent)]
        pub struct #name(pub i32);

        impl #name {
            #(#consts)*
        }

        impl #default for #name {
            fn default() -> Self {
                Self::#first
            }
        }

        impl #rt::Enumeration for #name {
            fn from_i32(number: i32) -> Self {
                Self(number)
            }

            fn to_i32(self) -> i32 {
                self.0
            }

            fn name(self) -> #option<&'static str> {
                match self.0 {
                    #(#name_arms)*
                    _ => #none,
                }
            }
        }

        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match #rt::Enumeration::name(*self) {
                    #some(name) => f.write_str(name),
                    #none => write!(f, "{}", self.0),
                }
            }
        }
    })
}
