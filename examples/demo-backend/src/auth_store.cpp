#include "auth_store.h"

#include <charconv>
#include <mutex>
#include <random>

namespace demo {
namespace {

const char* KindPrefix(AuthStore::TokenKind kind) {
  switch (kind) {
    case AuthStore::TokenKind::kAccess:
      return "at";
    case AuthStore::TokenKind::kRefresh:
      return "rt";
    case AuthStore::TokenKind::kSession:
      return "st";
  }
  return "";
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::optional<std::string> Unhex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
    if (ec != std::errc() || ptr != hex.data() + i + 2) return std::nullopt;
    out += static_cast<char>(value);
  }
  return out;
}

uint64_t Random64() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng();
}

// FNV-1a: a demo signature, unforgeable only in the sense that the secret is random per run.
uint64_t Fnv(uint64_t seed, std::string_view data) {
  uint64_t hash = 1469598103934665603ULL ^ seed;
  for (unsigned char c : data) hash = (hash ^ c) * 1099511628211ULL;
  return hash;
}

}  // namespace

AuthStore::AuthStore(int prepared_users) : secret_(Random64()) {
  for (int i = 0; i < prepared_users; ++i) {
    users_.emplace("load_test_user_" + std::to_string(i),
                   Entry{next_id_++, std::string(kPreparedPassword)});
  }
}

std::optional<User> AuthStore::Authenticate(std::string_view username,
                                            std::string_view password) const {
  std::shared_lock lock(mutex_);
  auto it = users_.find(std::string(username));
  if (it == users_.end() || it->second.password != password) return std::nullopt;
  return User{it->second.id, it->first};
}

bool AuthStore::AddUser(std::string username, std::string password) {
  std::unique_lock lock(mutex_);
  if (users_.contains(username)) return false;
  users_.emplace(std::move(username), Entry{next_id_++, std::move(password)});
  return true;
}

bool AuthStore::RemoveUser(const std::string& username) {
  std::unique_lock lock(mutex_);
  return users_.erase(username) > 0;
}

uint64_t AuthStore::Sign(TokenKind kind, std::string_view user_hex, std::string_view nonce) const {
  return Fnv(Fnv(Fnv(secret_, KindPrefix(kind)), user_hex), nonce);
}

std::string AuthStore::Issue(TokenKind kind, const std::string& username) const {
  std::string user_hex = Hex(username);
  std::string nonce = std::to_string(Random64());
  return std::string(KindPrefix(kind)) + "." + user_hex + "." + nonce + "." +
         std::to_string(Sign(kind, user_hex, nonce));
}

std::optional<User> AuthStore::Verify(TokenKind kind, std::string_view token) const {
  std::string_view parts[4];
  for (int i = 0; i < 4; ++i) {
    size_t dot = token.find('.');
    if ((dot == std::string_view::npos) != (i == 3)) return std::nullopt;
    parts[i] = token.substr(0, dot);
    token.remove_prefix(dot == std::string_view::npos ? token.size() : dot + 1);
  }
  if (parts[0] != KindPrefix(kind)) return std::nullopt;
  if (std::to_string(Sign(kind, parts[1], parts[2])) != parts[3]) return std::nullopt;
  auto username = Unhex(parts[1]);
  if (!username) return std::nullopt;
  std::shared_lock lock(mutex_);
  auto it = users_.find(*username);
  if (it == users_.end()) return std::nullopt;
  return User{it->second.id, it->first};
}

}  // namespace demo
