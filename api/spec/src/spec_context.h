// State shared while converting one JobSpec: known feeders (to check {{feed:F.COL}} references)
// and the endpoint table (stats keys).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spec_field_path.h"
#include "spec_support.h"
#include "throng/engine/plan.h"

namespace throng::api::spec {

/// Not thread-safe; one per ConvertSpec call.
class SpecContext {
 public:
  /// Makes `feeder`'s columns available to later templates.
  void AddFeeder(const engine::FeederPlan& feeder);

  /// Parses a template, failing at `path` for syntax errors and unknown feeders or columns.
  engine::Template ParseTemplate(std::string_view text, const FieldPath& path) const;

  /// Parses every value of a string map field named `field` under `parent`, sorted by key; keys
  /// must be non-empty.
  template <class Map>
  std::vector<std::pair<std::string, engine::Template>> ParseTemplateMap(
      const Map& map, const FieldPath& parent, std::string_view field) const {
    std::vector<std::pair<std::string, engine::Template>> result;
    for (auto& [key, value] : SortedEntries(map)) {
      const FieldPath path = parent.Key(field, key);
      if (key.empty()) Fail(path, "key must not be empty");
      result.emplace_back(key, ParseTemplate(value, path));
    }
    return result;
  }

  /// The endpoint index of `key`, adding it on first use.
  std::uint32_t Endpoint(const engine::EndpointKey& key);
  const std::vector<engine::EndpointKey>& endpoints() const { return endpoints_; }
  std::vector<engine::EndpointKey> TakeEndpoints() { return std::move(endpoints_); }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> feeder_columns_;
  std::vector<engine::EndpointKey> endpoints_;
};

}  // namespace throng::api::spec
