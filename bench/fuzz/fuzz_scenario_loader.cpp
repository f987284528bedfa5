// Fuzz target: arbitrary bytes as a scenario file through throngctl's YAML loader, and every
// spec it accepts through ConvertSpec. Only InputError and SpecError may come out.
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_entry.h"
#include "throng/api/spec/spec_converter.h"
#include "throng/cli/error.h"
#include "throng/cli/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // ${VAR} resolves to nothing: the environment is not part of the input.
  const throng::cli::EnvLookup no_env = [](const std::string&) -> std::optional<std::string> {
    return std::nullopt;
  };
  try {
    const throng::v1::JobSpec spec = throng::cli::LoadScenarioText(text, "fuzz.yaml", no_env);
    try {
      (void)throng::api::ConvertSpec(spec);
    } catch (const throng::api::SpecError&) {
    }
  } catch (const throng::cli::InputError&) {
  }
  return 0;
}
