// --scenario-dir: the scenario files the console's start form offers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace throng::api::http {

/// The regular *.yaml / *.yml files directly inside one directory. Symlinks, subdirectories,
/// hidden files and names with a path separator are never listed nor read, so nothing outside
/// the directory can be reached through it. Reads are bounded (kMaxFileBytes, kMaxFiles).
/// Stateless: every call looks at the directory again. Thread-safe.
class ScenarioLibrary {
 public:
  static constexpr std::size_t kMaxFiles = 200;
  static constexpr std::uintmax_t kMaxFileBytes = 1u << 20;
  static constexpr std::size_t kMaxNameLength = 128;

  struct Entry {
    std::string name;
    std::uintmax_t bytes = 0;
  };

  /// `dir` empty: the library is empty.
  explicit ScenarioLibrary(std::filesystem::path dir) : dir_(std::move(dir)) {}

  bool configured() const { return !dir_.empty(); }
  /// The files, sorted by name, at most kMaxFiles (larger files than kMaxFileBytes left out).
  std::vector<Entry> List() const;
  /// The text of `name`, or nullopt when it is not a file List() would show.
  std::optional<std::string> Read(const std::string& name) const;

 private:
  std::filesystem::path dir_;
};

/// True when `name` may name a library file: 1..kMaxNameLength of [A-Za-z0-9._-], not starting
/// with '.', ending in .yaml or .yml.
bool IsScenarioFileName(const std::string& name);

}  // namespace throng::api::http
