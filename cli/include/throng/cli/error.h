#pragma once

#include <stdexcept>
#include <string>

namespace throng::cli {

/// Bad user input (scenario file, flag value). The message is complete and safe to print: it names
/// the file, line and field but never echoes a value that may have come from the environment.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

/// Process exit codes of throngctl.
enum ExitCode : int {
  kExitOk = 0,
  kExitThresholdsFailed = 1,
  kExitError = 2,
};

}  // namespace throng::cli
