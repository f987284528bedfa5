#pragma once

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace demo {

/// A known user.
struct User {
  long long id = 0;
  std::string username;
};

/// Users and stateless signed tokens. Tokens are "<kind>.<hex user>.<nonce>.<signature>", so
/// issuing them costs no memory under sustained login load; a token dies with its user.
/// Thread-safe: a shared mutex guards the user table.
class AuthStore {
 public:
  enum class TokenKind { kAccess, kRefresh, kSession };

  /// Creates load_test_user_0..prepared_users-1 with password kPreparedPassword.
  explicit AuthStore(int prepared_users);
  static constexpr std::string_view kPreparedPassword = "testpass123";

  std::optional<User> Authenticate(std::string_view username, std::string_view password) const;
  /// False when the user already exists.
  bool AddUser(std::string username, std::string password);
  /// False when the user does not exist.
  bool RemoveUser(const std::string& username);

  std::string Issue(TokenKind kind, const std::string& username) const;
  /// The live user the token was issued to, if the token is valid and of `kind`.
  std::optional<User> Verify(TokenKind kind, std::string_view token) const;

 private:
  struct Entry {
    long long id;
    std::string password;
  };
  uint64_t Sign(TokenKind kind, std::string_view user_hex, std::string_view nonce) const;

  uint64_t secret_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> users_;
  long long next_id_ = 1;
};

}  // namespace demo
