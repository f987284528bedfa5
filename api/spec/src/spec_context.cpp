#include "spec_context.h"

#include <algorithm>

namespace throng::api::spec {
namespace {

std::string JoinOrNone(const std::vector<std::string>& names) {
  std::string result;
  for (const auto& name : names) result += (result.empty() ? "" : ", ") + name;
  return result.empty() ? "none" : result;
}

}  // namespace

void SpecContext::AddFeeder(const engine::FeederPlan& feeder) {
  feeder_columns_[feeder.name] = feeder.columns;
}

engine::Template SpecContext::ParseTemplate(std::string_view text, const FieldPath& path) const {
  engine::Template parsed;
  try {
    parsed = engine::Template::Parse(text);
  } catch (const engine::TemplateError& error) {
    Fail(path, error.what());
  }
  for (const auto& part : parsed.Parts()) {
    if (part.kind != engine::Template::Part::Kind::kFeed) continue;
    const auto feeder = feeder_columns_.find(part.text);
    if (feeder == feeder_columns_.end()) {
      std::vector<std::string> known;
      for (const auto& [name, columns] : feeder_columns_) known.push_back(name);
      Fail(path, "unknown feeder \"" + part.text + "\" (feeders: " + JoinOrNone(known) + ")");
    }
    if (std::find(feeder->second.begin(), feeder->second.end(), part.column) ==
        feeder->second.end()) {
      Fail(path, "feeder \"" + part.text + "\" has no column \"" + part.column +
                     "\" (columns: " + JoinOrNone(feeder->second) + ")");
    }
  }
  return parsed;
}

std::uint32_t SpecContext::Endpoint(const engine::EndpointKey& key) {
  const auto found = std::find(endpoints_.begin(), endpoints_.end(), key);
  if (found != endpoints_.end()) return static_cast<std::uint32_t>(found - endpoints_.begin());
  endpoints_.push_back(key);
  return static_cast<std::uint32_t>(endpoints_.size() - 1);
}

}  // namespace throng::api::spec
