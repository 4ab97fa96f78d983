// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The error type of the generator.
//!
//! Every failure, from a missing file to a type the emitter cannot handle, becomes one
//! [`Error`]: the `.proto` file it concerns, the line when it is known, the element (a proto
//! path such as `pkg.Msg.field`, or a token) and a message. It prints the way compilers do,
//! `file.proto:12: field pkg.Msg.field: message`, so that editors can jump to the place.
//!
//! [`line_of`] finds the line of a descriptor element from the `source_code_info` of its file.

use std::fmt;

use prost_types::FileDescriptorProto;

/// An error of the generator, located in a `.proto` file where possible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    file: Option<String>,
    line: Option<u32>,
    element: Option<String>,
    message: String,
}

impl Error {
    /// Returns an error that concerns no particular file.
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            file: None,
            line: None,
            element: None,
            message: message.into(),
        }
    }

    /// Returns an error about `file` as a whole.
    pub fn in_file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            file: Some(file.into()),
            ..Error::new(message)
        }
    }

    /// Returns an error about `element` of `file`, at `line` (1-based) when it is known.
    ///
    /// `element` is printed as given, so it says what the element is: `field pkg.Msg.f`,
    /// `message pkg.Msg`, or a token such as `` `}` ``. An empty `element` is left out.
    pub fn at(file: &str, line: Option<u32>, element: &str, message: impl Into<String>) -> Self {
        Error {
            file: Some(file.to_owned()),
            line,
            element: (!element.is_empty()).then(|| element.to_owned()),
            message: message.into(),
        }
    }

    /// Returns the `.proto` file the error is about, if any.
    pub fn file(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// Returns the 1-based line of the error in [`Error::file`], when known.
    pub fn line(&self) -> Option<u32> {
        self.line
    }

    /// Returns the element the error is about: a proto path such as `pkg.Msg.field`, or a
    /// token.
    pub fn element(&self) -> Option<&str> {
        self.element.as_deref()
    }

    /// Returns the message, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            f.write_str(file)?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            f.write_str(": ")?;
        }
        if let Some(element) = &self.element {
            write!(f, "{element}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Returns the 1-based line where the element at descriptor `path` of `file` starts.
///
/// `path` follows `SourceCodeInfo.Location.path`: for example `[4, 0, 2, 1]` is the second
/// field of the first message. Returns `None` when the file carries no source information
/// for that element.
pub(crate) fn line_of(file: &FileDescriptorProto, path: &[i32]) -> Option<u32> {
    let info = file.source_code_info.as_ref()?;
    let location = info.location.iter().find(|l| l.path == path)?;
    let line = *location.span.first()?;
    u32::try_from(line).ok()?.checked_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_with_and_without_location() {
        let e = Error::at("a.proto", Some(12), "field foo.Bar.baz", "unknown type");
        assert_eq!(e.to_string(), "a.proto:12: field foo.Bar.baz: unknown type");
        let e = Error::in_file("a.proto", "not found");
        assert_eq!(e.to_string(), "a.proto: not found");
        assert_eq!(Error::new("oops").to_string(), "oops");
        let e = Error::at("a.proto", None, "", "bad");
        assert_eq!(e.to_string(), "a.proto: bad");
    }
}
