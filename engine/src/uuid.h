// Random UUID v4 text, appended without temporary strings.
#pragma once

#include <random>
#include <string>

namespace throng::engine {

/// Appends a random RFC 4122 version 4 UUID ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lower case).
void AppendUuidV4(std::mt19937_64& random, std::string& out);

}  // namespace throng::engine
