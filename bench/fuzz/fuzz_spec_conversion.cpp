// Fuzz target: arbitrary bytes as a JobSpec in protobuf's JSON mapping (what the JSON API and
// the YAML loader produce) through ConvertSpec. Only SpecError may come out.
#include <google/protobuf/util/json_util.h>

#include <string>

#include "fuzz_entry.h"
#include "throng/api/spec/spec_converter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string json(reinterpret_cast<const char*>(data), size);
  throng::v1::JobSpec spec;
  if (!google::protobuf::util::JsonStringToMessage(json, &spec).ok()) return 0;
  try {
    (void)throng::api::ConvertSpec(spec);
  } catch (const throng::api::SpecError&) {
  }
  return 0;
}
