// A small RFC 4180 CSV reader for feeder files.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace throng::api::spec {

/// Splits `text` into records of fields: comma-separated, fields optionally in double quotes
/// (with "" for a quote, and commas and line breaks inside), CRLF or LF line ends, a leading UTF-8
/// BOM ignored, blank lines skipped. Throws std::invalid_argument naming the line of a malformed
/// quote.
std::vector<std::vector<std::string>> ParseCsv(std::string_view text);

}  // namespace throng::api::spec
