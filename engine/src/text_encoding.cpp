#include "text_encoding.h"

namespace throng::engine {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

void AppendEscaped(unsigned char c, std::string& out) {
  const char escaped[3] = {'%', kHex[c >> 4], kHex[c & 0x0f]};
  out.append(escaped, sizeof escaped);
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool IsUnsafeInTarget(unsigned char c) {
  constexpr std::string_view kUnsafe = "#<>\"\\^`{|}";
  return c <= 0x20 || c >= 0x7f || kUnsafe.find(static_cast<char>(c)) != std::string_view::npos;
}

template <typename KeepFn>
void AppendEncoded(std::string_view text, std::string& out, KeepFn keep) {
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (keep(c)) {
      out.push_back(ch);
    } else {
      AppendEscaped(c, out);
    }
  }
}

}  // namespace

void AppendUrlEncoded(std::string_view text, std::string& out) {
  AppendEncoded(text, out, IsUnreserved);
}

void AppendTargetSafe(std::string_view text, std::string& out) {
  AppendEncoded(text, out, [](unsigned char c) { return !IsUnsafeInTarget(c); });
}

}  // namespace throng::engine
