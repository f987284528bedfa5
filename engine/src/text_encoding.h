// Percent-encoding for request rendering. Appends to caller-owned buffers to avoid temporaries.
#pragma once

#include <string>
#include <string_view>

namespace throng::engine {

/// Appends `text` percent-encoded, keeping only RFC 3986 unreserved characters (A-Z a-z 0-9 - . _
/// ~). For query and form names and values.
void AppendUrlEncoded(std::string_view text, std::string& out);

/// Appends `text` with only the bytes that cannot appear in a request target percent-encoded
/// (controls, space, non-ASCII, "#<>\"\\^`{|}"), so "/a/b?x=1" stays as written.
void AppendTargetSafe(std::string_view text, std::string& out);

}  // namespace throng::engine
