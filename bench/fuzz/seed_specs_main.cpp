// Turns scenario files into JSON JobSpecs: the seed corpus of fuzz_spec_conversion. With
// `--out DIR` each seed is written there; every seed is also run through the target's entry
// point (linked in), so the suite replays the corpus with g++ too.
#include <google/protobuf/util/json_util.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_entry.h"
#include "throng/cli/error.h"
#include "throng/cli/scenario_loader.h"

int main(int argc, char** argv) {
  std::optional<std::filesystem::path> out;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--out" && i + 1 < argc) {
      out = argv[++i];
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s [--out DIR] SCENARIO.yaml...\n", argv[0]);
    return 2;
  }
  const throng::cli::EnvLookup placeholder = [](const std::string&) {
    return std::optional<std::string>("seed");
  };
  for (const std::string& file : files) {
    std::string json;
    try {
      const throng::v1::JobSpec spec = throng::cli::LoadScenarioFile(file, placeholder);
      google::protobuf::util::JsonPrintOptions options;
      options.add_whitespace = true;
      if (!google::protobuf::util::MessageToJsonString(spec, &json, options).ok()) return 1;
    } catch (const throng::cli::InputError& e) {
      std::fprintf(stderr, "%s: %s\n", file.c_str(), e.what());
      return 1;
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(json.data()), json.size());
    if (out) {
      std::filesystem::create_directories(*out);
      std::ofstream(*out / (std::filesystem::path(file).stem().string() + ".json")) << json;
    }
  }
  std::printf("seeded %zu specs\n", files.size());
  return 0;
}
