#include "scenario_library.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace throng::api::http {
namespace {

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Closes a descriptor on every path out.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

bool IsScenarioFileName(const std::string& name) {
  if (name.empty() || name.size() > ScenarioLibrary::kMaxNameLength || name.front() == '.') {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return EndsWith(name, ".yaml") || EndsWith(name, ".yml");
}

std::vector<ScenarioLibrary::Entry> ScenarioLibrary::List() const {
  std::vector<Entry> entries;
  if (dir_.empty()) return entries;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir_, ec);
  // Visits a bounded number of directory entries, so a huge directory cannot stall a request.
  std::size_t visited = 0;
  for (; !ec && it != std::filesystem::directory_iterator() && visited < 20 * kMaxFiles;
       it.increment(ec), ++visited) {
    const std::string name = it->path().filename().string();
    if (!IsScenarioFileName(name)) continue;
    const std::filesystem::file_status status = it->symlink_status(ec);
    if (ec || !std::filesystem::is_regular_file(status)) continue;
    const std::uintmax_t bytes = it->file_size(ec);
    if (ec || bytes > kMaxFileBytes) continue;
    entries.push_back({name, bytes});
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
  if (entries.size() > kMaxFiles) entries.resize(kMaxFiles);
  return entries;
}

std::optional<std::string> ScenarioLibrary::Read(const std::string& name) const {
  if (dir_.empty() || !IsScenarioFileName(name)) return std::nullopt;
  // O_NOFOLLOW: a symlink planted under the name is refused at open, not followed.
  Descriptor file{::open((dir_ / name).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)};
  if (file.fd < 0) return std::nullopt;
  struct stat info {};
  if (::fstat(file.fd, &info) != 0 || !S_ISREG(info.st_mode) ||
      static_cast<std::uintmax_t>(info.st_size) > kMaxFileBytes) {
    return std::nullopt;
  }
  std::string text(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::read(file.fd, text.data() + done, text.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  return text;
}

}  // namespace throng::api::http
