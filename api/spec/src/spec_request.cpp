// Request steps: method, path, headers, query, body, expectations and extractions.
#include <algorithm>
#include <array>
#include <boost/algorithm/string/case_conv.hpp>

#include "spec_parts.h"
#include "spec_support.h"

namespace throng::api::spec {
namespace {

constexpr std::array<std::string_view, 7> kMethods = {"GET",    "POST", "PUT",    "PATCH",
                                                      "DELETE", "HEAD", "OPTIONS"};

std::string ConvertMethod(const std::string& method, const FieldPath& path) {
  if (method.empty()) return "GET";
  const std::string upper = boost::algorithm::to_upper_copy(method, std::locale::classic());
  if (std::find(kMethods.begin(), kMethods.end(), upper) == kMethods.end()) {
    Fail(path, "unknown method \"" + method +
                   "\" (expected GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)");
  }
  return upper;
}

engine::ExpectPlan ConvertExpect(const v1::Expect& expect, const FieldPath& path,
                                 const SpecContext& context) {
  engine::ExpectPlan plan;
  for (int i = 0; i < expect.status_size(); ++i) {
    const unsigned status = expect.status(i);
    if (status < 100 || status > 599) {
      Fail(path.At("status", i), "HTTP status " + std::to_string(status) + " is not in 100..599");
    }
    plan.statuses.push_back(status);
  }
  if (!expect.body_contains().empty()) {
    plan.body_contains = context.ParseTemplate(expect.body_contains(), path.Field("body_contains"));
  }
  for (int i = 0; i < expect.json_size(); ++i) {
    const FieldPath json_path = path.At("json", i);
    const v1::JsonEquals& json = expect.json(i);
    if (!json.has_equals()) Fail(json_path.Field("equals"), "required");
    plan.json.push_back(
        {ParseJsonPointer(json.pointer(), json_path.Field("pointer")), ValueToJson(json.equals())});
  }
  return plan;
}

using Source = engine::ExtractPlan::Source;

// The oneof `source` of an Extract, flattened.
struct ExtractSource {
  Source source;
  const std::string& expression;
  std::string_view field;
};

ExtractSource SourceOf(const v1::Extract& extract, const FieldPath& path) {
  switch (extract.source_case()) {
    case v1::Extract::kJsonPointer:
      return {Source::kJsonPointer, extract.json_pointer(), "json_pointer"};
    case v1::Extract::kHeader:
      return {Source::kHeader, extract.header(), "header"};
    case v1::Extract::kCookie:
      return {Source::kCookie, extract.cookie(), "cookie"};
    case v1::Extract::kRegex:
      return {Source::kRegex, extract.regex(), "regex"};
    default:
      Fail(path, "one source is required: json_pointer, header, cookie or regex");
  }
}

engine::ExtractPlan ConvertExtract(const v1::Extract& extract, const FieldPath& path) {
  engine::ExtractPlan plan;
  Require(extract.var(), path.Field("var"));
  plan.var = extract.var();
  plan.action = extract.action() == v1::Extract::APPEND ? engine::ExtractPlan::Action::kAppend
                                                        : engine::ExtractPlan::Action::kSet;
  plan.required = extract.required();
  const ExtractSource source = SourceOf(extract, path);
  plan.source = source.source;
  plan.expression = source.expression;
  const FieldPath field = path.Field(source.field);
  // An empty pointer is valid (the whole body); other sources need a name or pattern.
  if (plan.source == Source::kJsonPointer) {
    ParseJsonPointer(plan.expression, field);
  } else {
    Require(plan.expression, field);
  }
  if (plan.source == Source::kRegex) plan.regex = CompileRegex(plan.expression, field);
  return plan;
}

using Body = decltype(engine::RequestPlan::body);

Body ConvertBody(const v1::Request& request, const FieldPath& path, const SpecContext& context) {
  switch (request.body_case()) {
    case v1::Request::kJson:
      return ConvertJsonBody(request.json(), path.Field("json"), context);
    case v1::Request::kForm:
      return engine::FormBodyPlan{
          context.ParseTemplateMap(request.form().fields(), path.Field("form"), "fields")};
    case v1::Request::kRaw: {
      engine::RawBodyPlan raw{context.ParseTemplate(request.raw(), path.Field("raw"))};
      if (!request.content_type().empty()) raw.content_type = request.content_type();
      return raw;
    }
    default:
      if (!request.content_type().empty()) {
        Fail(path.Field("content_type"), "only applies to a raw body");
      }
      return std::monostate{};
  }
}

}  // namespace

engine::RequestPlan ConvertRequest(const v1::Request& request, const FieldPath& path,
                                   SpecContext& context) {
  engine::RequestPlan plan;
  plan.method = ConvertMethod(request.method(), path.Field("method"));
  const FieldPath path_field = path.Field("path");
  Require(request.path(), path_field);
  if (!request.path().starts_with('/')) Fail(path_field, "must start with '/'");
  plan.path = context.ParseTemplate(request.path(), path_field);
  plan.headers = context.ParseHeaderMap(request.headers(), path, "headers");
  plan.query = context.ParseTemplateMap(request.query(), path, "query");
  plan.body = ConvertBody(request, path, context);
  plan.expect = ConvertExpect(request.expect(), path.Field("expect"), context);
  for (int i = 0; i < request.extract_size(); ++i) {
    plan.extract.push_back(ConvertExtract(request.extract(i), path.At("extract", i)));
  }
  if (request.has_timeout())
    plan.timeout = PositiveDuration(request.timeout(), path.Field("timeout"));
  // The default name is a metric label, a report row and a watch line: never the query string
  // (it may carry a secret such as ?api_key=, and its values would make labels unbounded).
  const std::string name =
      request.name().empty()
          ? plan.method + " " + request.path().substr(0, request.path().find_first_of("?#"))
          : request.name();
  plan.endpoint = context.Endpoint({name, plan.method});
  return plan;
}

}  // namespace throng::api::spec
