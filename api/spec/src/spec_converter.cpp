// Top level of JobSpec -> Plan: the order of checks follows the order fields depend on each other
// (feeders before templates that reference them, requests before thresholds naming them).
#include "throng/api/spec/spec_converter.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "spec_limits_check.h"
#include "spec_parts.h"
#include "spec_support.h"
#include "spec_variables.h"
#include "throng/api/spec/spec_threshold.h"

namespace throng::api {
namespace {

using spec::Fail;
using spec::FieldPath;

std::vector<engine::FeederPlan> ConvertFeeders(const v1::JobSpec& spec,
                                               spec::SpecContext& context) {
  std::vector<engine::FeederPlan> feeders;
  std::set<std::string> names;
  for (int i = 0; i < spec.feeders_size(); ++i) {
    const FieldPath path = FieldPath().At("feeders", static_cast<std::size_t>(i));
    feeders.push_back(spec::ConvertFeeder(spec.feeders(i), path, context.options()));
    if (!names.insert(feeders.back().name).second) {
      Fail(path.Field("name"), "duplicate feeder name \"" + feeders.back().name + "\"");
    }
    context.AddFeeder(feeders.back(), spec.feeders(i).source_case() == v1::Feeder::kCsvFile);
  }
  return feeders;
}

std::map<std::string, std::string> ConvertVariables(const v1::JobSpec& spec) {
  std::map<std::string, std::string> variables;
  for (const auto& [name, value] : spec.variables()) {
    if (name.empty()) Fail(FieldPath().Key("variables", name), "name must not be empty");
    variables.emplace(name, value);
  }
  return variables;
}

engine::ThresholdPlan ConvertThreshold(const v1::Threshold& threshold, const FieldPath& path,
                                       const std::vector<engine::EndpointKey>& endpoints) {
  spec::Require(threshold.expr(), path.Field("expr"));
  engine::ThresholdPlan plan;
  try {
    plan = ParseThreshold(threshold.expr());
  } catch (const ThresholdError& error) {
    Fail(path.Field("expr"), error.what());
  }
  plan.request_name = threshold.request_name();
  if (!plan.request_name.empty() &&
      std::none_of(endpoints.begin(), endpoints.end(),
                   [&](const engine::EndpointKey& key) { return key.name == plan.request_name; })) {
    Fail(path.Field("request_name"), "no request is named \"" + plan.request_name + "\"");
  }
  plan.abort_on_fail = threshold.abort_on_fail();
  plan.abort_delay = spec::NonNegativeDuration(threshold.abort_delay(), path.Field("abort_delay"));
  return plan;
}

// secret_names only hide values; bounded like any other list of names.
void CheckSecretNames(const v1::JobSpec& spec) {
  constexpr int kMaxSecretNames = 64;
  constexpr std::size_t kMaxSecretNameLength = 128;
  if (spec.secret_names_size() > kMaxSecretNames) {
    Fail(FieldPath().Field("secret_names"), "at most " + std::to_string(kMaxSecretNames) +
                                                " names, got " +
                                                std::to_string(spec.secret_names_size()));
  }
  for (int i = 0; i < spec.secret_names_size(); ++i) {
    const std::size_t length = spec.secret_names(i).size();
    if (length == 0 || length > kMaxSecretNameLength) {
      Fail(FieldPath().At("secret_names", static_cast<std::size_t>(i)),
           "must be 1.." + std::to_string(kMaxSecretNameLength) + " characters");
    }
  }
}

std::vector<double> ConvertBuckets(const v1::JobSpec& spec) {
  std::vector<double> buckets(spec.histogram_buckets().begin(), spec.histogram_buckets().end());
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    const FieldPath path = FieldPath().At("histogram_buckets", i);
    if (!std::isfinite(buckets[i]) || buckets[i] <= 0) Fail(path, "must be a finite number > 0");
    if (i > 0 && buckets[i] <= buckets[i - 1]) {
      Fail(path, "buckets must be strictly increasing (this one is <= the previous)");
    }
  }
  return buckets;
}

}  // namespace

ConvertOptions ConvertOptions::Unrestricted() {
  ConvertOptions options;
  options.allowed_env = {"*"};
  options.feeder_dir = "/";
  return options;
}

engine::Plan ConvertSpec(const v1::JobSpec& spec, const ConvertOptions& options) {
  spec::CheckSpecLimits(spec, options.limits);
  const FieldPath root;
  engine::Plan plan;
  spec::Require(spec.name(), root.Field("name"));
  plan.name = spec.name();
  spec::ConvertBaseUrl(spec.base_url(), root.Field("base_url"), plan.http);
  spec::ConvertHttpOptions(spec.http(), root.Field("http"), plan.http);

  spec::SpecContext context(options);
  context.SetDefinableVariables(spec::DefinableVariables(spec));
  plan.feeders = ConvertFeeders(spec, context);
  plan.variables = ConvertVariables(spec);
  plan.http.default_headers = context.ParseHeaderMap(spec.headers(), root, "headers");
  plan.setup = spec::ConvertSteps(spec.setup(), root, "setup", context);
  plan.user_classes = spec::ConvertUserClasses(spec, context);
  plan.teardown = spec::ConvertSteps(spec.teardown(), root, "teardown", context);
  plan.load = spec::ConvertLoad(spec);
  spec::ConvertFleet(spec, plan);

  for (int i = 0; i < spec.thresholds_size(); ++i) {
    plan.thresholds.push_back(ConvertThreshold(spec.thresholds(i),
                                               root.At("thresholds", static_cast<std::size_t>(i)),
                                               context.endpoints()));
  }
  plan.histogram_buckets = ConvertBuckets(spec);
  context.FailOnUnknownVariable();
  CheckSecretNames(spec);
  plan.endpoints = context.TakeEndpoints();
  spec::CheckPlanLimits(plan, options.limits);
  return plan;
}

}  // namespace throng::api
