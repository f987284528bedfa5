// The web console's files, embedded into the binary at build time (embed_assets.cmake).
#pragma once

#include <string_view>

namespace throng::api::http {

/// One embedded file: its URL path ("/", "/console/app.js"), Content-Type and bytes.
struct ConsoleAsset {
  std::string_view path;
  std::string_view content_type;
  std::string_view body;
};

/// The asset served at `path`, or null.
const ConsoleAsset* FindConsoleAsset(std::string_view path);

}  // namespace throng::api::http
