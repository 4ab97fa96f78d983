// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Conversions of every library's decoded messages to the prost reference types, so that
//! one comparison checks them all.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::generated::{lkm, micropb as mp, prost as pr, quick};

/// Conversion of a decoded message to its prost counterpart.
pub trait ToProst {
    /// The prost type.
    type Prost;
    /// Returns the value as a prost message.
    fn to_prost(&self) -> Self::Prost;
}

/// Conversion of one singular field value to the prost field type.
trait Field<T> {
    fn field(&self) -> T;
}

macro_rules! same {
    ($($ty:ty),*) => {
        $(impl Field<$ty> for $ty {
            fn field(&self) -> $ty {
                *self
            }
        })*
    };
}
same!(i32, i64, u32, u64, bool);

impl Field<String> for &str {
    fn field(&self) -> String {
        (*self).to_owned()
    }
}

impl Field<String> for Cow<'_, str> {
    fn field(&self) -> String {
        self.as_ref().to_owned()
    }
}

impl<const N: usize> Field<String> for heapless::String<N> {
    fn field(&self) -> String {
        self.as_str().to_owned()
    }
}

impl Field<Vec<u8>> for &[u8] {
    fn field(&self) -> Vec<u8> {
        self.to_vec()
    }
}

impl Field<Vec<u8>> for Cow<'_, [u8]> {
    fn field(&self) -> Vec<u8> {
        self.to_vec()
    }
}

impl<const N: usize> Field<Vec<u8>> for heapless::Vec<u8, N> {
    fn field(&self) -> Vec<u8> {
        self.to_vec()
    }
}

impl Field<i32> for lkm::benchmark::Enum {
    fn field(&self) -> i32 {
        self.0
    }
}

impl Field<i32> for mp::benchmark_::Enum {
    fn field(&self) -> i32 {
        self.0
    }
}

impl Field<i32> for quick::benchmark::Enum {
    fn field(&self) -> i32 {
        *self as i32
    }
}

/// Implements [`ToProst`] for a message whose fields all convert with [`Field`], plus
/// `extra` fields converted by hand.
macro_rules! flat {
    ($src:ty => $dst:ty { $($f:ident),* } $(, |$s:ident| { $($extra:ident: $e:expr),* })?) => {
        impl ToProst for $src {
            type Prost = $dst;
            fn to_prost(&self) -> $dst {
                $(let $s = self;)?
                #[allow(clippy::needless_update)]
                type Target = $dst;
                let value = Target {
                    $($f: Field::field(&self.$f),)*
                    $($($extra: $e,)*)?
                };
                value
            }
        }
    };
}

macro_rules! sub_message {
    ($src:ty) => {
        flat!($src => pr::benchmark::SubMessage {
            field1, field2, field3, field15, field12, field13, field14, field21, field22,
            field206, field203, field204, field205, field207, field300
        });
    };
}

macro_rules! message2 {
    ($src:ty) => {
        flat!($src => pr::benchmark::Message2 { field1, field2, field3, field4, field5, field6 });
    };
}

macro_rules! message3_sub {
    ($src:ty) => {
        flat!($src => pr::benchmark::message3::SubMessage {
            field28, field2, field12, field19, field11
        });
    };
}

macro_rules! message1 {
    ($src:ty, |$s:ident| $field4:expr, $field15:expr) => {
        flat!($src => pr::benchmark::Message1 {
            field80, field81, field2, field3, field280, field6, field22, field59, field16,
            field150, field23, field24, field25, field78, field67, field68, field128,
            field129, field131
        }, |$s| { field4: $field4, field15: $field15 });
    };
}

// lkm-pb.
sub_message!(lkm::benchmark::SubMessage<'_>);
message2!(lkm::benchmark::Message2<'_>);
message3_sub!(lkm::benchmark::message3::SubMessage<'_>);
message1!(
    lkm::benchmark::Message1<'_>,
    |s| s.field4.iter().map(|v| (*v).to_owned()).collect(),
    s.field15.map(|v| v.to_prost())
);

impl ToProst for lkm::benchmark::Message3<'_> {
    type Prost = pr::benchmark::Message3;
    fn to_prost(&self) -> Self::Prost {
        pr::benchmark::Message3 {
            field13: self.field13.iter().map(ToProst::to_prost).collect(),
        }
    }
}

impl ToProst for lkm::benchmark::Message<'_> {
    type Prost = pr::benchmark::Message;
    fn to_prost(&self) -> Self::Prost {
        use lkm::benchmark::message::Oneof as L;
        use pr::benchmark::message::Oneof as P;
        pr::benchmark::Message {
            oneof: self.oneof.map(|o| match o {
                L::Message1(m) => P::Message1(m.to_prost()),
                L::Message2(m) => P::Message2(m.to_prost()),
                L::Message3(m) => P::Message3(m.to_prost()),
            }),
        }
    }
}

impl ToProst for lkm::cases::Foo {
    type Prost = pr::cases::Foo;
    fn to_prost(&self) -> Self::Prost {
        pr::cases::Foo { bar: self.bar }
    }
}

impl ToProst for lkm::cases::Packed<'_> {
    type Prost = pr::cases::Packed;
    fn to_prost(&self) -> Self::Prost {
        pr::cases::Packed {
            ints: self.ints.to_vec(),
            sints: self.sints.to_vec(),
            fixeds: self.fixeds.to_vec(),
            counts: self.counts.iter().map(|(k, v)| (*k, *v)).collect(),
        }
    }
}

impl ToProst for lkm::cases::Fixed32s<'_> {
    type Prost = pr::cases::Fixed32s;
    fn to_prost(&self) -> Self::Prost {
        pr::cases::Fixed32s {
            values: self.values.to_vec(),
        }
    }
}

// micropb.
sub_message!(mp::benchmark_::SubMessage);
message2!(mp::benchmark_::Message2);
message3_sub!(mp::benchmark_::Message3_::SubMessage);
message1!(
    mp::benchmark_::Message1,
    |s| s.field4.iter().map(|v| v.as_str().to_owned()).collect(),
    s.field15().map(ToProst::to_prost)
);

impl ToProst for mp::benchmark_::Message3 {
    type Prost = pr::benchmark::Message3;
    fn to_prost(&self) -> Self::Prost {
        pr::benchmark::Message3 {
            field13: self.field13.iter().map(ToProst::to_prost).collect(),
        }
    }
}

impl ToProst for mp::benchmark_::Message {
    type Prost = pr::benchmark::Message;
    fn to_prost(&self) -> Self::Prost {
        use mp::benchmark_::Message_::Oneof as M;
        use pr::benchmark::message::Oneof as P;
        pr::benchmark::Message {
            oneof: self.oneof.as_ref().map(|o| match o {
                M::Message1(m) => P::Message1(m.to_prost()),
                M::Message2(m) => P::Message2(m.to_prost()),
                M::Message3(m) => P::Message3(m.to_prost()),
            }),
        }
    }
}

impl ToProst for mp::cases_::Foo {
    type Prost = pr::cases::Foo;
    fn to_prost(&self) -> Self::Prost {
        pr::cases::Foo { bar: self.bar }
    }
}

impl ToProst for mp::cases_::Packed {
    type Prost = pr::cases::Packed;
    fn to_prost(&self) -> Self::Prost {
        pr::cases::Packed {
            ints: self.ints.to_vec(),
            sints: self.sints.to_vec(),
            fixeds: self.fixeds.to_vec(),
            counts: self.counts.iter().map(|(k, v)| (*k, *v)).collect(),
        }
    }
}

impl ToProst for mp::cases_::Fixed32s {
    type Prost = pr::cases::Fixed32s;
    fn to_prost(&self) -> Self::Prost {
        pr::cases::Fixed32s {
            values: self.values.to_vec(),
        }
    }
}

// quick-protobuf.
sub_message!(quick::benchmark::SubMessage<'_>);
message2!(quick::benchmark::Message2<'_>);
message3_sub!(quick::benchmark::mod_Message3::SubMessage<'_>);
message1!(
    quick::benchmark::Message1<'_>,
    |s| s.field4.iter().map(|v| v.as_ref().to_owned()).collect(),
    s.field15.as_ref().map(ToProst::to_prost)
);

impl ToProst for quick::benchmark::Message3<'_> {
    type Prost = pr::benchmark::Message3;
    fn to_prost(&self) -> Self::Prost {
        pr::benchmark::Message3 {
            field13: self.field13.iter().map(ToProst::to_prost).collect(),
        }
    }
}

impl ToProst for quick::benchmark::Message<'_> {
    type Prost = pr::benchmark::Message;
    fn to_prost(&self) -> Self::Prost {
        use pr::benchmark::message::Oneof as P;
        use quick::benchmark::mod_Message::OneOfoneof as Q;
        pr::benchmark::Message {
            oneof: match &self.oneof {
                Q::message1(m) => Some(P::Message1(m.to_prost())),
                Q::message2(m) => Some(P::Message2(m.to_prost())),
                Q::message3(m) => Some(P::Message3(m.to_prost())),
                Q::None => None,
            },
        }
    }
}

impl ToProst for quick::cases::Foo {
    type Prost = pr::cases::Foo;
    fn to_prost(&self) -> Self::Prost {
        pr::cases::Foo { bar: self.bar }
    }
}

impl ToProst for quick::cases::Packed<'_> {
    type Prost = pr::cases::Packed;
    fn to_prost(&self) -> Self::Prost {
        pr::cases::Packed {
            ints: self.ints.clone(),
            sints: self.sints.clone(),
            fixeds: self.fixeds.to_vec(),
            counts: self
                .counts
                .iter()
                .map(|(k, v)| (*k, *v))
                .collect::<BTreeMap<_, _>>(),
        }
    }
}

impl ToProst for quick::cases::Fixed32s<'_> {
    type Prost = pr::cases::Fixed32s;
    fn to_prost(&self) -> Self::Prost {
        pr::cases::Fixed32s {
            values: self.values.to_vec(),
        }
    }
}
