#include "spec_context.h"

#include <algorithm>

#include "spec_policy.h"
#include "throng/api/spec/spec_converter.h"

namespace throng::api::spec {
namespace {

std::string JoinOrNone(const std::vector<std::string>& names) {
  std::string result;
  for (const auto& name : names) result += (result.empty() ? "" : ", ") + name;
  return result.empty() ? "none" : result;
}

}  // namespace

void SpecContext::AddFeeder(const engine::FeederPlan& feeder, bool columns_from_file) {
  feeder_columns_[feeder.name] = feeder.columns;
  if (columns_from_file) file_feeders_.insert(feeder.name);
}

void SpecContext::CheckHeaders(std::string_view name, const engine::Template& value,
                               const FieldPath& path) const {
  CheckHeaderName(name, path);
  CheckHeaderValue(value, path);
}

engine::Template SpecContext::ParseTemplate(std::string_view text, const FieldPath& path) const {
  engine::Template parsed;
  try {
    parsed = engine::Template::Parse(text);
  } catch (const engine::TemplateError& error) {
    Fail(path, error.what());
  }
  CheckEnvAllowed(parsed, path, options_);
  for (const auto& part : parsed.Parts()) {
    if (part.kind == engine::Template::Part::Kind::kVariable && definable_ &&
        !definable_->contains(part.text) && !first_unknown_) {
      first_unknown_.emplace(path.str(), part.text);
    }
    if (part.kind != engine::Template::Part::Kind::kFeed) continue;
    const auto feeder = feeder_columns_.find(part.text);
    if (feeder == feeder_columns_.end()) {
      std::vector<std::string> known;
      for (const auto& [name, columns] : feeder_columns_) known.push_back(name);
      Fail(path, "unknown feeder \"" + part.text + "\" (feeders: " + JoinOrNone(known) + ")");
    }
    if (std::find(feeder->second.begin(), feeder->second.end(), part.column) ==
        feeder->second.end()) {
      // A CSV file's header row is file content: never echoed.
      const std::string columns = file_feeders_.contains(part.text)
                                      ? "see the header row of its csv_file"
                                      : "columns: " + JoinOrNone(feeder->second);
      Fail(path,
           "feeder \"" + part.text + "\" has no column \"" + part.column + "\" (" + columns + ")");
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

void SpecContext::FailOnUnknownVariable() const {
  if (!first_unknown_) return;
  throw SpecError(first_unknown_->first,
                  "unknown variable \"" + first_unknown_->second +
                      "\": no job variable, set, extract, list op or repeat defines it (feeder "
                      "columns are {{feed:FEEDER.COLUMN}})");
}

}  // namespace throng::api::spec
