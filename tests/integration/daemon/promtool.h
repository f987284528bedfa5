// `promtool check metrics` on an exposition scraped from throngd.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace throng::daemon_test {

/// What promtool said: its exit status (0 = clean) and its combined output.
struct PromtoolResult {
  int status = -1;
  std::string output;
};

/// Writes `exposition` to `scratch_dir`/metrics.txt and runs /usr/bin/promtool check metrics on it.
inline PromtoolResult PromtoolCheckMetrics(const std::string& exposition,
                                           const std::filesystem::path& scratch_dir) {
  const std::filesystem::path file = scratch_dir / "metrics.txt";
  std::ofstream(file) << exposition;
  const std::string command = "/usr/bin/promtool check metrics < " + file.string() + " 2>&1";
  PromtoolResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    result.output = "cannot run: " + command;
    return result;
  }
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) result.output += buffer;
  result.status = pclose(pipe);
  return result;
}

}  // namespace throng::daemon_test
