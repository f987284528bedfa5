#include "uuid.h"

#include <array>
#include <cstdint>

namespace throng::engine {

void AppendUuidV4(std::mt19937_64& random, std::string& out) {
  std::array<std::uint8_t, 16> bytes{};
  const std::uint64_t high = random();
  const std::uint64_t low = random();
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<std::uint8_t>(high >> (56 - 8 * i));
    bytes[8 + i] = static_cast<std::uint8_t>(low >> (56 - 8 * i));
  }
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  constexpr char kHex[] = "0123456789abcdef";
  char text[36];
  std::size_t pos = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text[pos++] = '-';
    text[pos++] = kHex[bytes[i] >> 4];
    text[pos++] = kHex[bytes[i] & 0x0f];
  }
  out.append(text, sizeof text);
}

}  // namespace throng::engine
