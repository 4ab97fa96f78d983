// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Emits a message: its struct, its oneof enums, its `Message` impl and its nested types.

use proc_macro2::{Ident, Literal, TokenStream};
use prost_types::field_descriptor_proto::Type;
use prost_types::{DescriptorProto, EnumDescriptorProto};
use quote::{format_ident, quote};

use super::docs::Comments;
use super::enums;
use super::field::{key_len, key_literal, Context, Field, Presence, Shape, ValueType, Wire};
use super::names;
use super::prelude::Prelude;
use crate::Error;

/// Methods of the `Message` trait; accessors with these names would shadow them.
const TRAIT_METHODS: &[&str] = &[
    "merge_from",
    "encoded_len",
    "encode_raw",
    "decode",
    "decode_with",
    "merge_with",
    "encode",
];

/// The name of the field that keeps unknown fields, when the configuration asks for it.
const UNKNOWN_FIELDS: &str = "unknown_fields";

/// Everything needed to emit the messages of one file.
pub(crate) struct FileEmitter<'i, 'd> {
    /// The context of the file.
    pub(crate) ctx: Context<'i, 'd>,
    /// Comments of the file.
    pub(crate) comments: Comments,
    /// `true` for proto3 files.
    pub(crate) proto3: bool,
    /// `true` when unknown fields are kept.
    pub(crate) keep_unknown: bool,
}

/// A oneof of a message being emitted.
struct Oneof<'f, 'd> {
    index: usize,
    ident: Ident,
    type_ident: Ident,
    members: Vec<&'f Field<'d>>,
    borrows: bool,
    doc: TokenStream,
}

impl FileEmitter<'_, '_> {
    /// Emits a message, its impls and a module with its nested types.
    pub(crate) fn message(
        &mut self,
        message: &DescriptorProto,
        path: &[i32],
        package_prefix: &str,
    ) -> Result<TokenStream, Error> {
        if message.options.as_ref().is_some_and(|o| o.map_entry()) {
            return Ok(TokenStream::new());
        }
        let full_name = format!("{package_prefix}{}", message.name());
        self.ctx.message = full_name.clone();
        self.ctx.message_path = path.to_vec();
        self.ctx.message_fields = message.field.iter().map(|f| f.name().to_owned()).collect();
        let rt = self.ctx.rt.clone();
        let prelude = self.ctx.prelude.clone();
        let (option, default, result) = (&prelude.option, &prelude.default, &prelude.result);
        let info = self
            .ctx
            .index
            .get(&full_name)
            .ok_or_else(|| Error::new(format!("message {full_name} missing from the index")))?;
        let lifetime = info.needs_lifetime().then(|| quote!(<'a>));
        let name = names::ident(&info.name);
        let nested_module_name = names::snake_case(message.name());
        let nested_ident = names::ident(&nested_module_name);

        let fields = message
            .field
            .iter()
            .map(|f| self.ctx.field(f, self.proto3))
            .collect::<Result<Vec<_>, _>>()?;
        check_distinct_names(&self.ctx, message, &fields)?;
        let mut sorted: Vec<&Field<'_>> = fields.iter().collect();
        sorted.sort_by_key(|f| f.number);

        // Oneofs, in declaration order; synthetic proto3-optional ones have no members here.
        let mut oneofs: Vec<Oneof<'_, '_>> = Vec::new();
        for (i, decl) in message.oneof_decl.iter().enumerate() {
            let members: Vec<&Field<'_>> = fields.iter().filter(|f| f.oneof == Some(i)).collect();
            if members.is_empty() {
                continue;
            }
            let borrows = members
                .iter()
                .any(|f| f.value.borrows || f.value.is_message());
            let mut oneof_path = path.to_vec();
            oneof_path.extend([8, i as i32]);
            let doc = self.comments.doc(
                &oneof_path,
                &format!("The `{}` oneof of `{full_name}`.", decl.name()),
            );
            oneofs.push(Oneof {
                index: i,
                ident: names::field_ident(decl.name()),
                type_ident: names::type_ident(decl.name()),
                members,
                borrows,
                doc,
            });
        }

        // The struct.
        let mut struct_fields = Vec::new();
        let mut emitted_oneofs = Vec::new();
        for (i, field) in fields.iter().enumerate() {
            if field.oneof.is_some() {
                let Some(oneof) = first_member_of(&oneofs, field, &mut emitted_oneofs) else {
                    continue;
                };
                let ident = &oneof.ident;
                let ty = &oneof.type_ident;
                let lt = oneof.borrows.then(|| quote!(<'a>));
                let doc = &oneof.doc;
                struct_fields.push(quote! {
                    #doc
                    pub #ident: #option<#nested_ident::#ty #lt>,
                });
                continue;
            }
            let mut field_path = path.to_vec();
            field_path.extend([2, i as i32]);
            let doc = self.comments.doc(&field_path, &declaration(field));
            let ident = &field.ident;
            let ty = self.field_type(field);
            struct_fields.push(quote! {
                #doc
                pub #ident: #ty,
            });
        }
        if self.keep_unknown {
            let ident = unknown_ident(&fields);
            struct_fields.push(quote! {
                /// Fields this code does not know, kept verbatim (key included) in input order.
                pub #ident: &'a [&'a [u8]],
            });
        }

        let doc = self
            .comments
            .doc(path, &format!("The message `{full_name}`."));
        let default_derive = if self.needs_manual_default(&fields) {
            None
        } else {
            Some(quote!(Default,))
        };
        let struct_item = quote! {
            #doc
            #[derive(Clone, Copy, Debug, #default_derive PartialEq, Eq)]
            pub struct #name #lifetime {
                #(#struct_fields)*
            }
        };

        let default_impl = default_derive.is_none().then(|| {
            let inits = fields.iter().map(|f| {
                let ident = &f.ident;
                match (&f.shape, &f.default) {
                    (Shape::Single(Presence::Required), Some(value)) => quote!(#ident: #value,),
                    _ => quote!(#ident: #default::default(),),
                }
            });
            let unknown = self.keep_unknown.then(|| {
                let ident = unknown_ident(&fields);
                quote!(#ident: &[],)
            });
            quote! {
                impl #lifetime #default for #name #lifetime {
                    fn default() -> Self {
                        Self { #(#inits)* #unknown }
                    }
                }
            }
        });

        let accessors = self.accessors(&fields);
        let accessors = (!accessors.is_empty()).then(|| {
            quote! {
                impl #lifetime #name #lifetime {
                    #(#accessors)*
                }
            }
        });

        let merge_body = self.with_imports(self.merge_body(&fields, &oneofs, &nested_ident));
        let len_body =
            self.with_imports(self.encoded_len_body(&sorted, &oneofs, &nested_ident, &fields));
        let encode_body =
            self.with_imports(self.encode_body(&sorted, &oneofs, &nested_ident, &fields));
        let message_impl = quote! {
            impl<'a> #rt::Message<'a> for #name #lifetime {
                fn merge_from(
                    &mut self,
                    r: &mut #rt::Reader<'a>,
                    ctx: &mut #rt::DecodeContext<'a, '_>,
                    end_group: u32,
                ) -> #result<(), #rt::DecodeError> {
                    #merge_body
                }

                fn encoded_len(&self) -> usize {
                    #len_body
                }

                fn encode_raw(&self, w: &mut #rt::Writer<'_>) -> #result<(), #rt::EncodeError> {
                    #encode_body
                }
            }
        };

        // Nested types and oneof enums, in a module whose own types may shadow prelude names.
        let saved_module = self.ctx.module.clone();
        self.ctx.module.push(nested_module_name.clone());
        let nested_types = message
            .nested_type
            .iter()
            .filter(|m| !m.options.as_ref().is_some_and(|o| o.map_entry()))
            .map(|m| m.name())
            .chain(message.enum_type.iter().map(|e| e.name()))
            .map(|name| names::type_ident(name).to_string());
        let declared: Vec<String> = nested_types
            .chain(oneofs.iter().map(|o| o.type_ident.to_string()))
            .collect();
        self.ctx.prelude = Prelude::for_scope(&declared);
        let mut nested = Vec::new();
        let nested_prefix = format!("{full_name}.");
        for (i, child) in message.nested_type.iter().enumerate() {
            let mut child_path = path.to_vec();
            child_path.extend([3, i as i32]);
            nested.push(self.message(child, &child_path, &nested_prefix)?);
        }
        self.ctx.message = full_name.clone();
        for (i, child) in message.enum_type.iter().enumerate() {
            let mut child_path = path.to_vec();
            child_path.extend([4, i as i32]);
            nested.push(self.enumeration(child, &child_path, &nested_prefix)?);
        }
        for oneof in &oneofs {
            nested.push(self.oneof_enum(oneof)?);
        }
        self.ctx.module = saved_module;
        self.ctx.prelude = prelude.clone();

        // A message named like its package puts a module `x` inside module `x`; that is the
        // package's naming, not a mistake in the generated code.
        let inception = (self.ctx.module.last() == Some(&nested_module_name))
            .then(|| quote!(#[allow(clippy::module_inception)]));
        let nested_module = nested.iter().any(|t| !t.is_empty()).then(|| {
            let doc = format!(" Types nested in `{full_name}`.");
            quote! {
                #[doc = #doc]
                #inception
                pub mod #nested_ident {
                    #(#nested)*
                }
            }
        });

        Ok(quote! {
            #struct_item
            #default_impl
            #accessors
            #message_impl
            #nested_module
        })
    }

    /// Emits an enum.
    pub(crate) fn enumeration(
        &self,
        descriptor: &EnumDescriptorProto,
        path: &[i32],
        package_prefix: &str,
    ) -> Result<TokenStream, Error> {
        enums::emit(self, descriptor, path, package_prefix)
    }

    /// Prefixes a function body with imports of the runtime's `codec` and `encode` modules
    /// when it uses them, so that the body can name `codec::Int32` and `encode::field_len`.
    /// The imports are local to the function: a generated file adds no names to the module
    /// it is included in.
    fn with_imports(&self, body: TokenStream) -> TokenStream {
        let rt = &self.ctx.rt;
        let text = body.to_string();
        let mut modules = Vec::new();
        for module in ["codec", "encode"] {
            if text.contains(&format!("{module} ::")) {
                modules.push(Ident::new(module, proc_macro2::Span::call_site()));
            }
        }
        match modules.as_slice() {
            [] => body,
            [one] => quote! {
                use #rt::#one;
                #body
            },
            many => quote! {
                use #rt::{#(#many),*};
                #body
            },
        }
    }

    /// Returns `true` when a required field has a declared default, which `derive(Default)`
    /// cannot express.
    fn needs_manual_default(&self, fields: &[Field<'_>]) -> bool {
        fields
            .iter()
            .any(|f| matches!(f.shape, Shape::Single(Presence::Required)) && f.default.is_some())
    }

    /// Returns the Rust type of a struct field.
    fn field_type(&self, field: &Field<'_>) -> TokenStream {
        let rt = &self.ctx.rt;
        let option = &self.ctx.prelude.option;
        let value = &field.value.rust;
        match &field.shape {
            Shape::Single(_) if field.value.is_message() => quote!(#option<&'a #value>),
            Shape::Single(Presence::Explicit) => quote!(#option<#value>),
            Shape::Single(_) => quote!(#value),
            Shape::Repeated { .. } => quote!(&'a [#value]),
            Shape::Map { key, value } => {
                let (k, v) = (&key.rust, &value.rust);
                quote!(#rt::Map<'a, #k, #v>)
            }
        }
    }

    /// Returns the accessors of optional scalar fields: the value, or the default.
    fn accessors(&self, fields: &[Field<'_>]) -> Vec<TokenStream> {
        fields
            .iter()
            .filter(|f| f.oneof.is_none() && !f.value.is_message())
            .filter(|f| matches!(f.shape, Shape::Single(Presence::Explicit)))
            .filter(|f| !TRAIT_METHODS.contains(&names::unraw(&f.ident).as_str()))
            .map(|f| {
                let ident = &f.ident;
                let ty = &f.value.rust;
                let value = match &f.default {
                    Some(default) => quote!(self.#ident.unwrap_or(#default)),
                    None => quote!(self.#ident.unwrap_or_default()),
                };
                let doc = format!(
                    " Returns `{}`, or its default when it is not set.",
                    f.descriptor.name()
                );
                quote! {
                    #[doc = #doc]
                    pub fn #ident(&self) -> #ty {
                        #value
                    }
                }
            })
            .collect()
    }

    /// Returns the statements of `merge_from`.
    fn merge_body(
        &self,
        fields: &[Field<'_>],
        oneofs: &[Oneof<'_, '_>],
        nested: &Ident,
    ) -> TokenStream {
        let rt = &self.ctx.rt;
        let p = &self.ctx.prelude;
        let (some, none, ok, default) = (&p.some, &p.none, &p.ok, &p.default);
        let mut builders = Vec::new();
        let mut finishes = Vec::new();
        let mut arms = Vec::new();
        for field in fields {
            let ident = &field.ident;
            let number = Literal::u32_unsuffixed(field.number);
            let codec = &field.value.codec;
            let builder = builder_ident(ident);
            if let Some(index) = field.oneof {
                let Some(oneof) = oneofs.iter().find(|o| o.index == index) else {
                    continue;
                };
                let oneof_ident = &oneof.ident;
                let ty = &oneof.type_ident;
                let variant = names::type_ident(field.descriptor.name());
                let tag = key_literal(field.number, field.value.wire);
                let read = if field.value.is_message() {
                    let read = if field.value.proto == Type::Group {
                        quote!(r.read_group_field(existing, #number, ctx)?)
                    } else {
                        quote!(r.read_message_field(existing, ctx)?)
                    };
                    quote! {
                        let existing = match self.#oneof_ident {
                            #some(#nested::#ty::#variant(value)) => #some(value),
                            _ => #none,
                        };
                        self.#oneof_ident = #some(#nested::#ty::#variant(#read));
                    }
                } else {
                    quote! {
                        let mut value = #default::default();
                        r.merge_field::<#codec>(&mut value, ctx)?;
                        self.#oneof_ident = #some(#nested::#ty::#variant(value));
                    }
                };
                arms.push(quote!(#tag => { #read }));
                continue;
            }
            match &field.shape {
                Shape::Single(presence) => {
                    let tag = key_literal(field.number, field.value.wire);
                    let arm = match (field.value.proto, presence) {
                        (Type::Group, _) => {
                            quote!(self.#ident = #some(r.read_group_field(self.#ident, #number, ctx)?))
                        }
                        (Type::Message, _) => {
                            quote!(self.#ident = #some(r.read_message_field(self.#ident, ctx)?))
                        }
                        (_, Presence::Explicit) => {
                            quote!(r.merge_field::<#codec>(self.#ident.insert(#default::default()), ctx)?)
                        }
                        _ => quote!(r.merge_field::<#codec>(&mut self.#ident, ctx)?),
                    };
                    arms.push(quote!(#tag => #arm,));
                }
                Shape::Repeated { .. } => {
                    builders
                        .push(quote!(let mut #builder = #rt::RepeatedBuilder::new(self.#ident);));
                    finishes.push(quote!(self.#ident = #builder.finish(ctx.arena);));
                    let tag = key_literal(field.number, field.value.wire);
                    if field.value.proto == Type::Group {
                        arms.push(quote! {
                            #tag => r.merge_group(#builder.push_default(ctx.arena)?, #number, ctx)?,
                        });
                    } else if field.value.proto == Type::Message {
                        arms.push(quote! {
                            #tag => r.merge_message(#builder.push_default(ctx.arena)?, ctx)?,
                        });
                    } else {
                        arms.push(quote! {
                            #tag => r.merge_field::<#codec>(#builder.push_default(ctx.arena)?, ctx)?,
                        });
                    }
                    if field.value.packable() {
                        let packed_tag = key_literal(field.number, Wire::Len);
                        arms.push(
                            quote!(#packed_tag => r.read_packed::<#codec>(&mut #builder, ctx)?,),
                        );
                    }
                }
                Shape::Map { key, value } => {
                    builders.push(quote! {
                        let mut #builder = #rt::RepeatedBuilder::new(self.#ident.entries());
                    });
                    finishes.push(quote!(self.#ident = #rt::Map::new(#builder.finish(ctx.arena));));
                    let tag = key_literal(field.number, Wire::Len);
                    let (kc, vc) = (&key.codec, &value.codec);
                    arms.push(quote! {
                        #tag => {
                            let entry = r.read_map_entry::<#kc, #vc>(ctx)?;
                            #builder.push(ctx.arena, entry)?;
                        }
                    });
                }
            }
        }
        let decode_loop = if self.keep_unknown {
            let ident = unknown_ident(fields);
            builders.push(quote!(let mut unknown = #rt::RepeatedBuilder::new(self.#ident);));
            finishes.push(quote!(self.#ident = unknown.finish(ctx.arena);));
            let keep = quote! {
                let raw = r.skip_field_raw(key, field_start, ctx)?;
                unknown.push(ctx.arena, raw)?;
            };
            // A message without fields keeps every field it reads; a `match` with only the
            // wildcard arm would trip clippy's `match_single_binding`.
            let dispatch = if arms.is_empty() {
                keep
            } else {
                quote! {
                    match key {
                        #(#arms)*
                        _ => { #keep }
                    }
                }
            };
            quote! {
                loop {
                    let field_start = r.remaining();
                    let #some(key) = r.read_key(end_group)? else {
                        break;
                    };
                    #dispatch
                }
            }
        } else if arms.is_empty() {
            quote! {
                while let #some(key) = r.read_key(end_group)? {
                    r.skip_field(key, ctx)?;
                }
            }
        } else {
            quote! {
                while let #some(key) = r.read_key(end_group)? {
                    match key {
                        #(#arms)*
                        _ => r.skip_field(key, ctx)?,
                    }
                }
            }
        };
        quote! {
            #(#builders)*
            #decode_loop
            #(#finishes)*
            #ok(())
        }
    }

    /// Returns the statements of `encoded_len`.
    fn encoded_len_body(
        &self,
        sorted: &[&Field<'_>],
        oneofs: &[Oneof<'_, '_>],
        nested: &Ident,
        fields: &[Field<'_>],
    ) -> TokenStream {
        let parts = self.per_field(sorted, oneofs, nested, |field, bound| {
            let codec = &field.value.codec;
            let kl = Literal::usize_unsuffixed(key_len(field.number));
            match (bound, &field.shape) {
                (FieldValue::Group(v), _) => quote!(encode::group_len(#kl, #v)),
                (FieldValue::One(v), _) if field.value.proto == Type::Message => {
                    quote!(encode::message_len(#kl, #v))
                }
                (FieldValue::One(v), _) => quote!(encode::field_len::<#codec>(#kl, #v)),
                (FieldValue::Groups(v), _) => quote!(#v.iter().fold(0usize, |len, group| {
                    len.saturating_add(encode::group_len(#kl, group))
                })),
                (FieldValue::Many(v), Shape::Map { key, value }) => {
                    let (kc, vc) = (&key.codec, &value.codec);
                    quote!(encode::map_len::<#kc, #vc>(#kl, &#v))
                }
                (FieldValue::Many(v), Shape::Repeated { packed: true }) => {
                    quote!(encode::packed_len::<#codec>(#kl, #v))
                }
                (FieldValue::Many(v), _) if field.value.proto == Type::Message => {
                    quote!(encode::messages_len(#kl, #v))
                }
                (FieldValue::Many(v), _) => quote!(encode::repeated_len::<#codec>(#kl, #v)),
            }
        });
        let parts = parts
            .into_iter()
            .map(|part| match part {
                Part::Guarded(guard, expr) => quote!(#guard { len = len.saturating_add(#expr); }),
                Part::Plain(expr) => quote!(len = len.saturating_add(#expr);),
                Part::Oneof(head, arms) => {
                    let arms = arms
                        .iter()
                        .map(|(pattern, expr)| quote!(#pattern => #expr,));
                    let none = &self.ctx.prelude.none;
                    quote!(len = len.saturating_add(#head { #(#arms)* #none => 0 });)
                }
            })
            .collect::<Vec<_>>();
        let unknown = self.keep_unknown.then(|| {
            let ident = unknown_ident(fields);
            quote!(len = len.saturating_add(encode::raw_fields_len(self.#ident));)
        });
        if parts.is_empty() && unknown.is_none() {
            return quote!(0);
        }
        quote! {
            let mut len = 0usize;
            #(#parts)*
            #unknown
            len
        }
    }

    /// Returns the statements of `encode_raw`.
    fn encode_body(
        &self,
        sorted: &[&Field<'_>],
        oneofs: &[Oneof<'_, '_>],
        nested: &Ident,
        fields: &[Field<'_>],
    ) -> TokenStream {
        let parts = self.per_field(sorted, oneofs, nested, |field, bound| {
            let codec = &field.value.codec;
            let number = field.number;
            let number_lit = Literal::u32_unsuffixed(number);
            match (bound, &field.shape) {
                (FieldValue::Group(v), _) => quote!(encode::encode_group(#number_lit, #v, w)?),
                (FieldValue::One(v), _) => {
                    let tag = key_literal(number, field.value.wire);
                    if field.value.proto == Type::Message {
                        quote!(encode::encode_message(#tag, #v, w)?)
                    } else {
                        quote!(encode::encode_field::<#codec>(#tag, #v, w)?)
                    }
                }
                (FieldValue::Groups(v), _) => {
                    quote!(for group in #v { encode::encode_group(#number_lit, group, w)?; })
                }
                (FieldValue::Many(v), Shape::Map { key, value }) => {
                    let tag = key_literal(number, Wire::Len);
                    let (kc, vc) = (&key.codec, &value.codec);
                    quote!(encode::encode_map::<#kc, #vc>(#tag, &#v, w)?)
                }
                (FieldValue::Many(v), Shape::Repeated { packed: true }) => {
                    let tag = key_literal(number, Wire::Len);
                    quote!(encode::encode_packed::<#codec>(#tag, #v, w)?)
                }
                (FieldValue::Many(v), _) => {
                    let tag = key_literal(number, field.value.wire);
                    if field.value.proto == Type::Message {
                        quote!(encode::encode_messages(#tag, #v, w)?)
                    } else {
                        quote!(encode::encode_repeated::<#codec>(#tag, #v, w)?)
                    }
                }
            }
        });
        let parts = parts
            .into_iter()
            .map(|part| match part {
                Part::Guarded(guard, expr) => quote!(#guard { #expr; }),
                Part::Plain(expr) => quote!(#expr;),
                Part::Oneof(head, arms) => {
                    let arms = arms
                        .iter()
                        .map(|(pattern, expr)| quote!(#pattern => { #expr; }));
                    let none = &self.ctx.prelude.none;
                    quote!(#head { #(#arms)* #none => {} })
                }
            })
            .collect::<Vec<_>>();
        let unknown = self.keep_unknown.then(|| {
            let ident = unknown_ident(fields);
            quote!(encode::encode_raw_fields(self.#ident, w)?;)
        });
        if parts.is_empty() && unknown.is_none() {
            let ok = &self.ctx.prelude.ok;
            return quote! {
                let _ = w;
                #ok(())
            };
        }
        let ok = &self.ctx.prelude.ok;
        quote! {
            #(#parts)*
            #unknown
            #ok(())
        }
    }

    /// Walks the fields in number order (a oneof at its first member) and returns, for each,
    /// the expression `emit` builds and how it is guarded.
    fn per_field(
        &self,
        sorted: &[&Field<'_>],
        oneofs: &[Oneof<'_, '_>],
        nested: &Ident,
        emit: impl Fn(&Field<'_>, FieldValue) -> TokenStream,
    ) -> Vec<Part> {
        let some = &self.ctx.prelude.some;
        let mut out = Vec::new();
        let mut done_oneofs = Vec::new();
        for field in sorted {
            let ident = &field.ident;
            let this = quote!(self.#ident);
            if field.oneof.is_some() {
                let Some(oneof) = first_member_of(oneofs, field, &mut done_oneofs) else {
                    continue;
                };
                let oneof_ident = &oneof.ident;
                let ty = &oneof.type_ident;
                let mut members = oneof.members.clone();
                members.sort_by_key(|f| f.number);
                let arms = members
                    .iter()
                    .map(|member| {
                        let variant = names::type_ident(member.descriptor.name());
                        let bound = if member.value.proto == Type::Group {
                            FieldValue::Group(quote!(*value))
                        } else if member.value.is_message() {
                            FieldValue::One(quote!(*value))
                        } else {
                            FieldValue::One(quote!(value))
                        };
                        let expr = emit(member, bound);
                        (quote!(#some(#nested::#ty::#variant(value))), expr)
                    })
                    .collect();
                out.push(Part::Oneof(quote!(match &self.#oneof_ident), arms));
                continue;
            }
            let is_group = field.value.proto == Type::Group;
            match &field.shape {
                Shape::Single(_) if field.value.is_message() => {
                    let bound = if is_group {
                        FieldValue::Group(quote!(value))
                    } else {
                        FieldValue::One(quote!(value))
                    };
                    out.push(Part::Guarded(
                        quote!(if let #some(value) = #this),
                        emit(field, bound),
                    ));
                }
                Shape::Single(Presence::Explicit) => out.push(Part::Guarded(
                    quote!(if let #some(value) = &#this),
                    emit(field, FieldValue::One(quote!(value))),
                )),
                Shape::Single(Presence::Required) => {
                    out.push(Part::Plain(emit(field, FieldValue::One(quote!(&#this)))))
                }
                Shape::Single(Presence::Implicit) => out.push(Part::Guarded(
                    implicit_guard(&field.value, &this),
                    emit(field, FieldValue::One(quote!(&#this))),
                )),
                Shape::Repeated { .. } if is_group => {
                    out.push(Part::Plain(emit(field, FieldValue::Groups(this))))
                }
                Shape::Repeated { .. } | Shape::Map { .. } => {
                    out.push(Part::Plain(emit(field, FieldValue::Many(this))))
                }
            }
        }
        out
    }
}

/// Returns the oneof of `field` when `field` is the first of its members met in a walk over
/// the fields (`seen` records the oneofs met so far), so that the walk handles each oneof
/// once; `None` for later members.
fn first_member_of<'o, 'f, 'd>(
    oneofs: &'o [Oneof<'f, 'd>],
    field: &Field<'_>,
    seen: &mut Vec<usize>,
) -> Option<&'o Oneof<'f, 'd>> {
    let index = field.oneof?;
    if seen.contains(&index) {
        return None;
    }
    seen.push(index);
    oneofs.iter().find(|o| o.index == index)
}

/// One field's contribution to `encoded_len` or `encode_raw`.
enum Part {
    /// An expression evaluated when the guard (`if ...` or `if let ...`) holds.
    Guarded(TokenStream, TokenStream),
    /// An expression always evaluated.
    Plain(TokenStream),
    /// A oneof: the `match` head and one `(pattern, expression)` per member.
    Oneof(TokenStream, Vec<(TokenStream, TokenStream)>),
}

/// The value bound for an emitted field expression.
enum FieldValue {
    /// One value, as an expression of type `&T`.
    One(TokenStream),
    /// One group, as an expression of type `&G`.
    Group(TokenStream),
    /// A slice of groups.
    Groups(TokenStream),
    /// A repeated or map field, as the field expression.
    Many(TokenStream),
}

/// Returns the `if` that tests a proto3 implicit-presence field for a non-default value.
fn implicit_guard(value: &ValueType, this: &TokenStream) -> TokenStream {
    match value.proto {
        Type::Bool => quote!(if #this),
        Type::String | Type::Bytes => quote!(if !#this.is_empty()),
        Type::Float | Type::Double => quote!(if #this.to_bits() != 0),
        Type::Enum => quote!(if #this.0 != 0),
        _ => quote!(if #this != 0),
    }
}

/// Returns the proto declaration of a field, used as its doc when the `.proto` has none.
fn declaration(field: &Field<'_>) -> String {
    let d = field.descriptor;
    let type_name = match d.r#type() {
        Type::Group => "group".to_owned(),
        Type::Message | Type::Enum => d.type_name().trim_start_matches('.').to_owned(),
        other => other
            .as_str_name()
            .trim_start_matches("TYPE_")
            .to_ascii_lowercase(),
    };
    let label = match &field.shape {
        Shape::Map { .. } => String::new(),
        Shape::Repeated { .. } => "repeated ".to_owned(),
        Shape::Single(Presence::Required) => "required ".to_owned(),
        Shape::Single(Presence::Explicit) if d.proto3_optional() => "optional ".to_owned(),
        Shape::Single(_) => String::new(),
    };
    let type_name = match &field.shape {
        Shape::Map { key, value } => {
            format!("map<{}, {}>", proto_type_name(key), proto_type_name(value))
        }
        _ => type_name,
    };
    let name = match d.r#type() {
        Type::Group => d.type_name().rsplit('.').next().unwrap_or(d.name()),
        _ => d.name(),
    };
    format!("`{label}{type_name} {name} = {};`", d.number())
}

/// Returns the protobuf spelling of a map key or value type.
fn proto_type_name(value: &ValueType) -> String {
    match value.proto {
        Type::Message | Type::Enum | Type::Group => "message".to_owned(),
        other => other
            .as_str_name()
            .trim_start_matches("TYPE_")
            .to_ascii_lowercase(),
    }
}

/// Fails when two fields (or oneofs) of `message` get the same Rust name, which happens for
/// names that differ only in case or in repeated underscores.
fn check_distinct_names(
    ctx: &Context<'_, '_>,
    message: &DescriptorProto,
    fields: &[Field<'_>],
) -> Result<(), Error> {
    let mut seen: Vec<(String, &str)> = Vec::new();
    let members = fields
        .iter()
        .filter(|f| f.oneof.is_none())
        .map(|f| (names::unraw(&f.ident), f.descriptor.name()));
    let oneofs = message
        .oneof_decl
        .iter()
        .enumerate()
        .filter(|(i, _)| fields.iter().any(|f| f.oneof == Some(*i)))
        .map(|(_, o)| (names::unraw(&names::field_ident(o.name())), o.name()));
    for (rust, proto) in members.chain(oneofs) {
        if let Some((_, other)) = seen.iter().find(|(r, _)| *r == rust) {
            let element = format!("message {}", ctx.message);
            return Err(Error::at(
                ctx.file.name(),
                None,
                &element,
                format!("`{other}` and `{proto}` would both be named `{rust}` in Rust"),
            ));
        }
        seen.push((rust, proto));
    }
    Ok(())
}

/// Local names of the generated `merge_from`, which builder variables must not shadow.
const LOCALS: &[&str] = &[
    "r",
    "ctx",
    "end_group",
    "key",
    "unknown",
    "entry",
    "value",
    "existing",
    "field_start",
    "raw",
];

/// Returns the name of the local builder of repeated field `field`.
fn builder_ident(field: &Ident) -> Ident {
    let name = names::unraw(field);
    if LOCALS.contains(&name.as_str()) {
        format_ident!("{}_field", name)
    } else {
        // Keep the raw form: a field named `where` needs `r#where` as a local too.
        field.clone()
    }
}

/// Returns the identifier of the unknown-fields member, avoiding a clash with a proto field.
fn unknown_ident(fields: &[Field<'_>]) -> Ident {
    let mut name = UNKNOWN_FIELDS.to_owned();
    while fields.iter().any(|f| names::unraw(&f.ident) == name) {
        name.push('_');
    }
    format_ident!("{}", name)
}

impl FileEmitter<'_, '_> {
    /// Emits the enum type of a oneof.
    fn oneof_enum(&self, oneof: &Oneof<'_, '_>) -> Result<TokenStream, Error> {
        let ty = &oneof.type_ident;
        let lifetime = oneof.borrows.then(|| quote!(<'a>));
        let doc = &oneof.doc;
        let variants = oneof
            .members
            .iter()
            .map(|member| {
                let variant = names::type_ident(member.descriptor.name());
                let value = self.ctx.value_type(member.descriptor)?;
                let rust = &value.rust;
                let ty = if value.is_message() {
                    quote!(&'a #rust)
                } else {
                    quote!(#rust)
                };
                let vdoc = super::docs::doc_attrs(&declaration(member));
                Ok(quote!(#vdoc #variant(#ty),))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(quote! {
            #doc
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub enum #ty #lifetime {
                #(#variants)*
            }
        })
    }
}
