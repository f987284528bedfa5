// Who may call the control plane: bearer tokens with a role, checked for every gRPC call (and for
// the HTTP API, which calls the same Authorize).
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace throng::api {

/// What a call wants to do. kRead: list, get, watch, report. kControl: submit, update, stop,
/// delete.
enum class Action { kRead, kControl };

/// A token's role: a reader may only read, an operator may do everything.
enum class Role { kReader, kOperator };

/// The bearer-token table of --auth-token-file: one "TOKEN ROLE" pair per line (ROLE operator or
/// reader), '#' comments and blank lines ignored. Tokens are kept only as SHA-256 digests and
/// compared in constant time (CRYPTO_memcmp over fixed-length digests, every entry visited), so
/// neither a token nor its length leaks through timing. Without a file (Disabled()) every call is
/// allowed: the daemon permits that only on loopback or with --insecure. Thread-safe: Authorize
/// may run on any thread while Reload swaps the table.
class Authorizer {
 public:
  /// Limits of the token file.
  static constexpr std::size_t kMaxFileBytes = 1 << 20;
  static constexpr std::size_t kMaxTokens = 1000;
  static constexpr std::size_t kMinTokenLength = 16;
  static constexpr std::size_t kMaxTokenLength = 4096;

  /// No tokens: authentication is off.
  static std::unique_ptr<Authorizer> Disabled();
  /// Loads `token_file`. Throws std::runtime_error naming the file, the line and the problem
  /// (never the token itself).
  static std::unique_ptr<Authorizer> FromFile(const std::filesystem::path& token_file);

  /// Re-reads the token file (what throngd's SIGHUP handler calls). On error the old table stays
  /// in force and the error (file, line, problem) is returned; on success existing tokens not in
  /// the new file stop working at once. A Disabled() authorizer has nothing to reload: OK.
  grpc::Status Reload();

  /// True when tokens are required.
  bool enabled() const { return !path_.empty(); }

  /// OK when `bearer_token` (the token alone, without "Bearer ") may perform `action`;
  /// UNAUTHENTICATED when it is empty or unknown; PERMISSION_DENIED when its role is reader and
  /// `action` is kControl. Always OK when disabled.
  grpc::Status Authorize(std::string_view bearer_token, Action action) const;

  /// Authorize for an "Authorization" header value ("Bearer TOKEN", scheme case-insensitive);
  /// an absent header is `authorization_header` empty.
  grpc::Status AuthorizeHeader(std::string_view authorization_header, Action action) const;

  /// AuthorizeHeader on the call's "authorization" metadata.
  grpc::Status AuthorizeCall(const grpc::CallbackServerContext& context, Action action) const;

  /// The number of tokens loaded.
  std::size_t token_count() const;

 private:
  struct Entry {
    std::string digest;  // SHA-256 of the token, 32 bytes
    Role role = Role::kReader;
  };
  using Table = std::vector<Entry>;

  explicit Authorizer(std::filesystem::path path, std::shared_ptr<const Table> table);
  static std::shared_ptr<const Table> Load(const std::filesystem::path& path);
  std::shared_ptr<const Table> Current() const;

  std::filesystem::path path_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Table> table_;
};

}  // namespace throng::api
