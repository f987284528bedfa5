// State shared while converting one JobSpec: known feeders (to check {{feed:F.COL}} references)
// and the endpoint table (stats keys).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spec_field_path.h"
#include "spec_support.h"
#include "throng/api/spec/spec_converter.h"
#include "throng/engine/plan.h"

namespace throng::api::spec {

/// Not thread-safe; one per ConvertSpec call. `options` must outlive it.
class SpecContext {
 public:
  explicit SpecContext(const ConvertOptions& options) : options_(options) {}

  const ConvertOptions& options() const { return options_; }

  /// Makes `feeder`'s columns available to later templates. `columns_from_file`: the column
  /// names came from a file, so errors must not list them.
  void AddFeeder(const engine::FeederPlan& feeder, bool columns_from_file);
  /// From now on a {{name}} template must name one of `names` (DefinableVariables); until
  /// called, any name is accepted.
  void SetDefinableVariables(std::set<std::string, std::less<>> names) {
    definable_ = std::move(names);
  }

  /// Parses a template, failing at `path` for syntax errors, unknown feeders or columns and
  /// environment variables the options do not allow; the first variable nothing defines is
  /// remembered for FailOnUnknownVariable.
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

  /// ParseTemplateMap for headers: names must be RFC 9110 tokens and the literal text of values
  /// free of CR, LF and NUL.
  template <class Map>
  std::vector<std::pair<std::string, engine::Template>> ParseHeaderMap(
      const Map& map, const FieldPath& parent, std::string_view field) const {
    auto headers = ParseTemplateMap(map, parent, field);
    for (const auto& [name, value] : headers) {
      CheckHeaders(name, value, parent.Key(field, name));
    }
    return headers;
  }

  /// Throws SpecError at the first template that named a variable nothing defines. Called after
  /// the structural checks, so those errors come first.
  void FailOnUnknownVariable() const;

  /// The endpoint index of `key`, adding it on first use.
  std::uint32_t Endpoint(const engine::EndpointKey& key);
  const std::vector<engine::EndpointKey>& endpoints() const { return endpoints_; }
  std::vector<engine::EndpointKey> TakeEndpoints() { return std::move(endpoints_); }

 private:
  void CheckHeaders(std::string_view name, const engine::Template& value,
                    const FieldPath& path) const;

  const ConvertOptions& options_;
  std::map<std::string, std::vector<std::string>, std::less<>> feeder_columns_;
  std::set<std::string, std::less<>> file_feeders_;
  std::vector<engine::EndpointKey> endpoints_;
  std::optional<std::set<std::string, std::less<>>> definable_;
  mutable std::optional<std::pair<std::string, std::string>> first_unknown_;  // path, name
};

}  // namespace throng::api::spec
