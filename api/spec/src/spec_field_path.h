// A tiny builder of field paths such as "spec.user_classes[0].tasks[1].steps[2].request.path".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace throng::api::spec {

/// An immutable path to a JobSpec field; each builder returns a longer copy.
class FieldPath {
 public:
  explicit FieldPath(std::string root = "spec") : path_(std::move(root)) {}

  FieldPath Field(std::string_view name) const { return Append("." + std::string(name)); }
  FieldPath Index(std::size_t index) const { return Append("[" + std::to_string(index) + "]"); }
  /// `name[index]`, the common case of an element of a repeated field.
  FieldPath At(std::string_view name, std::size_t index) const { return Field(name).Index(index); }
  /// `name["key"]`, an entry of a map field; control characters in the key are shown as \xNN so
  /// that an error message stays one printable line (and a NUL cannot cut it short).
  FieldPath Key(std::string_view name, std::string_view key) const {
    std::string shown;
    for (const char c : key) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte >= 0x20 && byte != 0x7f) {
        shown += c;
        continue;
      }
      constexpr char kHex[] = "0123456789abcdef";
      shown += {'\\', 'x', kHex[byte >> 4], kHex[byte & 0xf]};
    }
    return Field(name).Append("[\"" + shown + "\"]");
  }

  const std::string& str() const { return path_; }

 private:
  FieldPath Append(const std::string& suffix) const { return FieldPath(path_ + suffix); }

  std::string path_;
};

}  // namespace throng::api::spec
