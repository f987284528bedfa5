// The converter's pieces, one per part of the JobSpec; each validates its part and throws SpecError
// naming the offending field.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "spec_context.h"
#include "spec_field_path.h"
#include "throng/engine/plan.h"
#include "throng/v1/job_spec.pb.h"

namespace throng::api::spec {

using StepsField = google::protobuf::RepeatedPtrField<v1::Step>;

/// Fills scheme, host, port and base_path from "scheme://host[:port][/prefix]".
void ConvertBaseUrl(std::string_view url, const FieldPath& path, engine::HttpPlan& http);
/// Fills timeouts, TLS and body-size options.
void ConvertHttpOptions(const v1::HttpOptions& options, const FieldPath& path,
                        engine::HttpPlan& http);

/// A protobuf Value as JSON; integral numbers become JSON integers (backends validating `int`
/// fields reject 2.0).
nlohmann::json ValueToJson(const google::protobuf::Value& value);
/// An RFC 6901 pointer ("" or "/a/b~1c").
nlohmann::json::json_pointer ParseJsonPointer(const std::string& text, const FieldPath& path);
engine::JsonBodyPlan ConvertJsonBody(const google::protobuf::Value& value, const FieldPath& path,
                                     const SpecContext& context);

/// An RE2 regex, compiled once for the plan; a syntax error fails naming `path`.
std::shared_ptr<const engine::Regex> CompileRegex(const std::string& pattern,
                                                  const FieldPath& path);

engine::RequestPlan ConvertRequest(const v1::Request& request, const FieldPath& path,
                                   SpecContext& context);
/// Converts the repeated step field `field` of `parent`.
engine::StepList ConvertSteps(const StepsField& steps, const FieldPath& parent,
                              std::string_view field, SpecContext& context);
std::vector<engine::UserClassPlan> ConvertUserClasses(const v1::JobSpec& spec,
                                                      SpecContext& context);

/// Validates one feeder and materialises its rows (reading CSV files as `options` allow).
engine::FeederPlan ConvertFeeder(const v1::Feeder& feeder, const FieldPath& path,
                                 const ConvertOptions& options);

engine::LoadPlan ConvertLoad(const v1::JobSpec& spec);

/// Phases and fleet segment (index, count, run id, start time) into `plan`, whose load is
/// already converted: a segment count beyond what the load can split (an open model's max_users,
/// shared iterations' users) is refused.
void ConvertFleet(const v1::JobSpec& spec, engine::Plan& plan);

}  // namespace throng::api::spec
