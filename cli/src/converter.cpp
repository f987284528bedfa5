#include "throng/cli/converter.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <ostream>

#include "throng/cli/error.h"

#ifndef THRONG_CONVERTER_SOURCE
#define THRONG_CONVERTER_SOURCE ""
#endif

namespace throng::cli {
namespace {

namespace fs = std::filesystem;

constexpr char kDefaultPython[] = "/usr/bin/python3";

bool IsFile(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

}  // namespace

std::string FindConverterScript() {
  if (const char* override_path = std::getenv("THRONG_CONVERTER")) {
    return IsFile(override_path) ? override_path : "";
  }
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    const fs::path installed =
        self.parent_path().parent_path() / "libexec/throng/convert/locust_convert.py";
    if (IsFile(installed)) return installed.string();
  }
  const fs::path source = THRONG_CONVERTER_SOURCE;
  return !source.empty() && IsFile(source) ? source.string() : "";
}

int RunConverter(const std::vector<std::string>& args, std::ostream& err) {
  const std::string script = FindConverterScript();
  if (script.empty()) {
    err << "error: the converter script is not installed (looked at $THRONG_CONVERTER, "
           "../libexec/throng/convert/ beside throngctl and the source tree)\n";
    return kExitError;
  }
  const char* python_env = std::getenv("THRONG_PYTHON");
  const std::string python = python_env != nullptr ? python_env : kDefaultPython;
  std::vector<std::string> argv_strings = {python, script};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::cout.flush();
  const pid_t child = ::fork();
  if (child < 0) {
    err << "error: cannot start " << python << "\n";
    return kExitError;
  }
  if (child == 0) {
    ::execv(python.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return kExitError;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    err << "error: cannot run " << python << " (set THRONG_PYTHON to a Python 3)\n";
    return kExitError;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : kExitError;
}

}  // namespace throng::cli
