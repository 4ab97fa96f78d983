// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The `protoc` plugin: a `CodeGeneratorRequest` in, a `CodeGeneratorResponse` out.
//!
//! Options come from `--lkm_opt` as `key=value` pairs separated by commas (see [`Options`]).
//! A mistake, in the options or in the `.proto` files, goes into the response's `error`,
//! which `protoc` prints before failing; the plugin itself exits with 0 as `protoc` expects.
//!
//! `protoc` replaces every file a plugin returns, and the plugin is not told the output
//! directory. So that regenerating does not destroy the file the user edits (`handler.rs`),
//! give the `--lkm_out` directory again as `out_dir=DIR`: such a file is then returned only
//! when it does not exist there. `handler=skip` never returns it; without either, it is
//! returned, and `protoc` replaces an existing one.

use std::io::Read as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use lkm_codegen::Config;
use lkm_codegen::Error;
use lkm_codegen::GeneratedFile;
use prost::Message as _;
use prost_types::compiler::code_generator_response;
use prost_types::compiler::CodeGeneratorRequest;
use prost_types::compiler::CodeGeneratorResponse;

/// What to do with files the user edits, such as `handler.rs`.
#[derive(Debug, PartialEq, Eq)]
enum UserFiles {
    /// Return them; `protoc` replaces existing ones.
    Emit,
    /// Return them only when they do not exist under this directory.
    KeepIn(PathBuf),
    /// Never return them.
    Skip,
}

/// The plugin's options, parsed from the request's `parameter`.
#[derive(Debug)]
struct Options {
    config: Config,
    user_files: UserFiles,
}

impl Options {
    /// Parses comma-separated `key=value` options.
    fn parse(parameter: &str) -> Result<Options, Error> {
        let mut config = Config::new();
        let mut out_dir = None;
        let mut skip = false;
        for option in parameter
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
        {
            let Some((key, value)) = option.split_once('=') else {
                return Err(Error::new(format!(
                    "option `{option}` has no value; expected key=value"
                )));
            };
            config = match key {
                "flavour" => config.flavour(value.parse()?),
                "message" => config.message(value),
                "name" => config.module_name(value),
                "keep_unknown" => config.keep_unknown_fields(parse_bool(key, value)?),
                "depth_limit" => config.depth_limit(value.parse().map_err(|_| {
                    Error::new(format!("option depth_limit: `{value}` is not a number"))
                })?),
                "runtime" => config.runtime_path(value),
                "out_dir" => {
                    out_dir = Some(PathBuf::from(value));
                    config
                }
                "handler" => {
                    skip = match value {
                        "skip" => true,
                        "emit" => false,
                        _ => {
                            return Err(Error::new(format!(
                                "option handler: `{value}` is neither emit nor skip"
                            )))
                        }
                    };
                    config
                }
                _ => {
                    return Err(Error::new(format!(
                        "unknown option `{key}`; expected flavour, message, name, \
                         keep_unknown, depth_limit, runtime, out_dir or handler"
                    )))
                }
            };
        }
        let user_files = match (skip, out_dir) {
            (true, _) => UserFiles::Skip,
            (false, Some(dir)) => UserFiles::KeepIn(dir),
            (false, None) => UserFiles::Emit,
        };
        Ok(Options { config, user_files })
    }

    /// Returns whether `file` goes into the response.
    fn returns(&self, file: &GeneratedFile) -> bool {
        if file.overwrite {
            return true;
        }
        match &self.user_files {
            UserFiles::Emit => true,
            UserFiles::Skip => false,
            UserFiles::KeepIn(dir) => !dir.join(&file.name).exists(),
        }
    }
}

fn parse_bool(key: &str, value: &str) -> Result<bool, Error> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(Error::new(format!(
            "option {key}: `{value}` is neither true nor false"
        ))),
    }
}

/// Answers `request`: the generated files, or the error.
fn respond(request: &CodeGeneratorRequest) -> CodeGeneratorResponse {
    let mut response = CodeGeneratorResponse {
        supported_features: Some(code_generator_response::Feature::Proto3Optional as u64),
        ..CodeGeneratorResponse::default()
    };
    let generated = Options::parse(request.parameter()).and_then(|options| {
        let files = options
            .config
            .generate_from_descriptors(&request.proto_file, &request.file_to_generate)?;
        Ok(files
            .into_iter()
            .filter(|f| options.returns(f))
            .collect::<Vec<_>>())
    });
    match generated {
        Ok(files) => {
            response.file = files
                .into_iter()
                .map(|f| code_generator_response::File {
                    name: Some(f.name),
                    content: Some(f.content),
                    ..Default::default()
                })
                .collect();
        }
        Err(e) => response.error = Some(e.to_string()),
    }
    response
}

/// Runs as a `protoc` plugin and returns the exit status.
pub(crate) fn run() -> ExitCode {
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        eprintln!("protoc-gen-lkm: cannot read the request: {e}");
        return ExitCode::FAILURE;
    }
    let request = match CodeGeneratorRequest::decode(input.as_slice()) {
        Ok(request) => request,
        Err(e) => {
            eprintln!("protoc-gen-lkm: standard input is not a CodeGeneratorRequest: {e}");
            return ExitCode::FAILURE;
        }
    };
    let output = respond(&request).encode_to_vec();
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(&output).and_then(|()| stdout.flush()) {
        eprintln!("protoc-gen-lkm: cannot write the response: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options() {
        let o = Options::parse("flavour=udp, message=a.B,name=m,keep_unknown=true").unwrap();
        assert_eq!(o.user_files, UserFiles::Emit);
        let o = Options::parse("out_dir=gen").unwrap();
        assert_eq!(o.user_files, UserFiles::KeepIn(PathBuf::from("gen")));
        assert_eq!(
            Options::parse("handler=skip").unwrap().user_files,
            UserFiles::Skip
        );
        let e = Options::parse("colour=red").unwrap_err().to_string();
        assert!(e.contains("unknown option `colour`"), "{e}");
        let e = Options::parse("flavour=tcp").unwrap_err().to_string();
        assert!(e.contains("unknown flavour `tcp`"), "{e}");
        assert!(Options::parse("keep_unknown=yes").is_err());
        assert!(Options::parse("message").is_err());
        assert!(Options::parse("depth_limit=4").is_ok());
        let e = Options::parse("depth_limit=deep").unwrap_err().to_string();
        assert!(e.contains("depth_limit: `deep` is not a number"), "{e}");
    }

    #[test]
    fn error_goes_into_the_response() {
        let request = CodeGeneratorRequest {
            parameter: Some("bogus=1".to_owned()),
            ..Default::default()
        };
        let response = respond(&request);
        assert!(response.error().contains("unknown option `bogus`"));
        assert_eq!(response.supported_features, Some(1));
    }
}
