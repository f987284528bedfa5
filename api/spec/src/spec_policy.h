// The operator's limits on what a spec may read (environment, files) and on header syntax.
#pragma once

#include <string>
#include <string_view>

#include "spec_field_path.h"
#include "throng/api/spec/spec_converter.h"
#include "throng/engine/template.h"

namespace throng::api::spec {

/// True when `name` matches the glob `pattern` ('*' any run of characters, '?' one character).
bool GlobMatch(std::string_view pattern, std::string_view name);

/// Fails at `path` when `parsed` reads an environment variable `options` does not allow.
void CheckEnvAllowed(const engine::Template& parsed, const FieldPath& path,
                     const ConvertOptions& options);

/// Reads csv_file `file` as `options` allow: inside feeder_dir after canonicalisation, a regular
/// file (opened without following a final symlink, without blocking on a FIFO), at most
/// max_feeder_file_bytes. Fails at `path` saying why; never quotes the file's content.
std::string ReadFeederFile(const std::string& file, const FieldPath& path,
                           const ConvertOptions& options);

/// Fails at `path` unless `name` is an RFC 9110 token (1*tchar).
void CheckHeaderName(std::string_view name, const FieldPath& path);

/// Fails at `path` when the literal text of `value` holds CR, LF or NUL (rendered values are
/// checked again per request by the engine).
void CheckHeaderValue(const engine::Template& value, const FieldPath& path);

}  // namespace throng::api::spec
