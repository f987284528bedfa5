#include "throng/api/service/authorizer.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <boost/beast/core/string.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace throng::api {
namespace {

std::string Digest(std::string_view token) {
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/// Splits a line into whitespace-separated words.
std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsSpace(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !IsSpace(line[i])) ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

}  // namespace

std::unique_ptr<Authorizer> Authorizer::Disabled() {
  return std::unique_ptr<Authorizer>(new Authorizer({}, std::make_shared<const Table>()));
}

std::unique_ptr<Authorizer> Authorizer::FromFile(const std::filesystem::path& token_file) {
  if (token_file.empty()) throw std::runtime_error("--auth-token-file: empty path");
  return std::unique_ptr<Authorizer>(new Authorizer(token_file, Load(token_file)));
}

Authorizer::Authorizer(std::filesystem::path path, std::shared_ptr<const Table> table)
    : path_(std::move(path)), table_(std::move(table)) {}

std::shared_ptr<const Authorizer::Table> Authorizer::Load(const std::filesystem::path& path) {
  const std::string where = "--auth-token-file " + path.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw std::runtime_error(where + ": not a readable regular file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxFileBytes) {
    throw std::runtime_error(where + ": larger than " + std::to_string(kMaxFileBytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(where + ": cannot read");
  auto table = std::make_shared<Table>();
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const std::string at = where + ":" + std::to_string(number) + ": ";
    const std::vector<std::string_view> words = Words(line);
    if (words.empty() || words[0].starts_with('#')) continue;
    if (words.size() != 2) throw std::runtime_error(at + "expected \"TOKEN ROLE\"");
    const std::string_view token = words[0];
    if (token.size() < kMinTokenLength || token.size() > kMaxTokenLength) {
      throw std::runtime_error(at + "a token needs " + std::to_string(kMinTokenLength) + ".." +
                               std::to_string(kMaxTokenLength) + " characters");
    }
    Entry entry{Digest(token), Role::kReader};
    if (words[1] == "operator") {
      entry.role = Role::kOperator;
    } else if (words[1] != "reader") {
      throw std::runtime_error(at + "role must be operator or reader");
    }
    for (const Entry& known : *table) {
      if (known.digest == entry.digest) throw std::runtime_error(at + "duplicate token");
    }
    if (table->size() == kMaxTokens) {
      throw std::runtime_error(at + "more than " + std::to_string(kMaxTokens) + " tokens");
    }
    table->push_back(std::move(entry));
  }
  if (table->empty()) throw std::runtime_error(where + ": no tokens");
  return table;
}

grpc::Status Authorizer::Reload() {
  if (!enabled()) return grpc::Status::OK;
  try {
    std::shared_ptr<const Table> table = Load(path_);
    std::lock_guard lock(mutex_);
    table_ = std::move(table);
  } catch (const std::exception& e) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, e.what());
  }
  return grpc::Status::OK;
}

std::shared_ptr<const Authorizer::Table> Authorizer::Current() const {
  std::lock_guard lock(mutex_);
  return table_;
}

std::size_t Authorizer::token_count() const { return Current()->size(); }

grpc::Status Authorizer::Authorize(std::string_view bearer_token, Action action) const {
  if (!enabled()) return grpc::Status::OK;
  if (bearer_token.empty()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "a bearer token is required (authorization: Bearer TOKEN)");
  }
  const std::string digest = Digest(bearer_token);
  const std::shared_ptr<const Table> table = Current();
  // Every entry is compared so the time does not depend on which one matches.
  const Entry* match = nullptr;
  for (const Entry& entry : *table) {
    if (CRYPTO_memcmp(entry.digest.data(), digest.data(), digest.size()) == 0) match = &entry;
  }
  if (match == nullptr) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "the bearer token is not valid");
  }
  if (action == Action::kControl && match->role != Role::kOperator) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "this token has the reader role: it may list, get, watch and read "
                        "reports, not submit, update, stop or delete jobs");
  }
  return grpc::Status::OK;
}

grpc::Status Authorizer::AuthorizeHeader(std::string_view authorization_header,
                                         Action action) const {
  if (!enabled()) return grpc::Status::OK;
  constexpr std::string_view kScheme = "bearer ";
  std::string_view token;
  if (authorization_header.size() > kScheme.size() &&
      boost::beast::iequals(authorization_header.substr(0, kScheme.size()), kScheme)) {
    token = authorization_header.substr(kScheme.size());
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  } else if (!authorization_header.empty()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "the authorization header must be \"Bearer TOKEN\"");
  }
  return Authorize(token, action);
}

grpc::Status Authorizer::AuthorizeCall(const grpc::CallbackServerContext& context,
                                       Action action) const {
  if (!enabled()) return grpc::Status::OK;
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find("authorization");
  if (found == metadata.end()) return Authorize({}, action);
  if (metadata.count("authorization") > 1) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "more than one authorization header");
  }
  return AuthorizeHeader(std::string_view(found->second.data(), found->second.size()), action);
}

}  // namespace throng::api
