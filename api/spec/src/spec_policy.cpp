#include "spec_policy.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "spec_support.h"

namespace throng::api::spec {
namespace {

namespace fs = std::filesystem;

bool IsTchar(unsigned char c) {
  if (std::isalnum(c)) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

/// Closes a file descriptor on scope exit.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

bool IsInside(const fs::path& file, const fs::path& dir) {
  const auto [dir_end, file_at] = std::mismatch(dir.begin(), dir.end(), file.begin(), file.end());
  return dir_end == dir.end() && file_at != file.end();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view name) {
  // Iterative matching with one backtrack point: linear in practice, no recursion.
  std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

void CheckEnvAllowed(const engine::Template& parsed, const FieldPath& path,
                     const ConvertOptions& options) {
  for (const auto& part : parsed.Parts()) {
    if (part.kind != engine::Template::Part::Kind::kEnv) continue;
    const bool allowed =
        std::any_of(options.allowed_env.begin(), options.allowed_env.end(),
                    [&](const std::string& pattern) { return GlobMatch(pattern, part.text); });
    if (!allowed) {
      Fail(path, "{{env:" + part.text +
                     "}} is not allowed: the daemon lets jobs read only the environment "
                     "variables its --allow-env patterns name" +
                     (options.allowed_env.empty() ? " (none given)" : ""));
    }
  }
}

std::string ReadFeederFile(const std::string& file, const FieldPath& path,
                           const ConvertOptions& options) {
  if (file.empty()) Fail(path, "required");
  if (options.feeder_dir.empty()) {
    Fail(path,
         "csv_file is refused: the daemon reads feeder files only from its --feeder-dir, "
         "and none is set (use an inline or generated feeder, or ask the operator)");
  }
  std::error_code ec;
  const fs::path dir = fs::canonical(options.feeder_dir, ec);
  if (ec) Fail(path, "the daemon's --feeder-dir cannot be resolved");
  const fs::path given(file);
  const fs::path resolved = fs::canonical(given.is_absolute() ? given : dir / given, ec);
  if (ec) Fail(path, "cannot read \"" + file + "\" (no such file in --feeder-dir)");
  if (!IsInside(resolved, dir)) {
    Fail(path, "\"" + file +
                   "\" resolves outside the daemon's --feeder-dir (through \"..\" or a "
                   "symbolic link): refused");
  }
  const FileDescriptor fd(::open(resolved.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) Fail(path, "cannot read \"" + file + "\": " + std::strerror(errno));
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0 || !S_ISREG(status.st_mode)) {
    Fail(path, "\"" + file + "\" is not a regular file");
  }
  if (static_cast<std::uint64_t>(status.st_size) > options.max_feeder_file_bytes) {
    Fail(path, "\"" + file + "\" is larger than the limit of " +
                   std::to_string(options.max_feeder_file_bytes) + " bytes");
  }
  std::string text(static_cast<std::size_t>(status.st_size), '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t got = ::read(fd.get(), text.data() + done, text.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  text.resize(done);  // a file that shrank meanwhile is read as it is now
  return text;
}

void CheckHeaderName(std::string_view name, const FieldPath& path) {
  if (name.empty()) Fail(path, "header name must not be empty");
  for (const char c : name) {
    if (!IsTchar(static_cast<unsigned char>(c))) {
      Fail(path,
           "header name must be an RFC 9110 token (letters, digits and !#$%&'*+-.^_`|~; "
           "no spaces, colons, CR or LF)");
    }
  }
}

void CheckHeaderValue(const engine::Template& value, const FieldPath& path) {
  for (const auto& part : value.Parts()) {
    if (part.kind == engine::Template::Part::Kind::kLiteral &&
        part.text.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      Fail(path, "header value must not contain CR, LF or NUL");
    }
  }
}

}  // namespace throng::api::spec
