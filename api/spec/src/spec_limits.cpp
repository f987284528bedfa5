#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <string>

#include "spec_field_path.h"
#include "spec_limits_check.h"
#include "throng/api/spec/spec_converter.h"

namespace throng::api::spec {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

[[noreturn]] void Exceed(const FieldPath& path, const std::string& what, const std::string& limit,
                         const std::string& flag, const std::string& unit) {
  throw SpecLimitError(path.str(), what + " exceeds the limit " + flag + " (" + limit + unit + ")",
                       flag);
}

void AtMost(std::uint64_t value, std::uint64_t limit, const FieldPath& path,
            const std::string& flag, const std::string& unit = "") {
  if (value > limit) {
    Exceed(path, std::to_string(value) + unit, std::to_string(limit), flag, unit);
  }
}

void LabelLength(const std::string& name, const FieldPath& path, const SpecLimits& limits) {
  AtMost(name.size(), limits.max_label_length, path, "--max-label-length", " bytes");
}

void Duration(const google::protobuf::Duration& value, const FieldPath& path,
              const SpecLimits& limits) {
  AtMost(value.seconds() < 0 ? 0 : static_cast<std::uint64_t>(value.seconds()),
         static_cast<std::uint64_t>(limits.max_job_duration.count()), path, "--max-job-duration",
         " s");
}

/// Depth of nested messages below `message` (a message without message fields has depth 1);
/// stops descending past `limit`, so the recursion is bounded whatever the input.
std::size_t NestingDepth(const Message& message, std::size_t limit, std::size_t depth = 1) {
  if (depth > limit) return depth;
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  std::size_t deepest = depth;
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        deepest = std::max(deepest, NestingDepth(reflection->GetRepeatedMessage(message, field, i),
                                                 limit, depth + 1));
        if (deepest > limit) return deepest;
      }
    } else {
      deepest =
          std::max(deepest, NestingDepth(reflection->GetMessage(message, field), limit, depth + 1));
    }
    if (deepest > limit) return deepest;
  }
  return deepest;
}

void CheckLoad(const v1::LoadProfile& load, const FieldPath& path, const SpecLimits& limits) {
  const std::uint64_t max_users = limits.max_users_per_job;
  const std::string users_flag = "--max-users-per-job";
  if (load.has_duration()) Duration(load.duration(), path.Field("duration"), limits);
  if (load.has_graceful_stop()) Duration(load.graceful_stop(), path.Field("graceful_stop"), limits);
  const FieldPath closed = path.Field("closed");
  AtMost(load.closed().users(), max_users, closed.Field("users"), users_flag, " users");
  for (int i = 0; i < load.closed().stages_size(); ++i) {
    const FieldPath stage = closed.At("stages", static_cast<std::size_t>(i));
    AtMost(load.closed().stages(i).users(), max_users, stage.Field("users"), users_flag, " users");
    Duration(load.closed().stages(i).duration(), stage.Field("duration"), limits);
  }
  const FieldPath open = path.Field("open");
  AtMost(load.open().max_users(), max_users, open.Field("max_users"), users_flag, " users");
  for (int i = 0; i < load.open().stages_size(); ++i) {
    Duration(load.open().stages(i).duration(),
             open.At("stages", static_cast<std::size_t>(i)).Field("duration"), limits);
  }
  AtMost(load.per_user_iterations().users(), max_users,
         path.Field("per_user_iterations").Field("users"), users_flag, " users");
  AtMost(load.shared_iterations().users(), max_users,
         path.Field("shared_iterations").Field("users"), users_flag, " users");
}

void CheckFeeders(const v1::JobSpec& spec, const FieldPath& root, const SpecLimits& limits) {
  for (int i = 0; i < spec.feeders_size(); ++i) {
    const FieldPath path = root.At("feeders", static_cast<std::size_t>(i));
    const v1::Feeder& feeder = spec.feeders(i);
    AtMost(feeder.generated().count(), limits.max_feeder_rows,
           path.Field("generated").Field("count"), "--max-feeder-rows", " rows");
    AtMost(static_cast<std::uint64_t>(feeder.inline_().rows_size()), limits.max_feeder_rows,
           path.Field("inline").Field("rows"), "--max-feeder-rows", " rows");
  }
}

}  // namespace

void CheckSpecLimits(const v1::JobSpec& spec, const SpecLimits& limits) {
  const FieldPath root;
  AtMost(spec.ByteSizeLong(), limits.max_spec_bytes, root, "--max-spec-bytes", " bytes");
  const std::size_t depth = NestingDepth(spec, limits.max_nesting_depth);
  if (depth > limits.max_nesting_depth) {
    Exceed(root, "nesting deeper than " + std::to_string(limits.max_nesting_depth) + " levels",
           std::to_string(limits.max_nesting_depth), "--max-nesting-depth", " levels");
  }
  LabelLength(spec.name(), root.Field("name"), limits);
  for (int i = 0; i < spec.user_classes_size(); ++i) {
    const FieldPath path = root.At("user_classes", static_cast<std::size_t>(i));
    LabelLength(spec.user_classes(i).name(), path.Field("name"), limits);
    for (int t = 0; t < spec.user_classes(i).tasks_size(); ++t) {
      LabelLength(spec.user_classes(i).tasks(t).name(),
                  path.At("tasks", static_cast<std::size_t>(t)).Field("name"), limits);
    }
  }
  for (int i = 0; i < spec.thresholds_size(); ++i) {
    const FieldPath path = root.At("thresholds", static_cast<std::size_t>(i));
    LabelLength(spec.thresholds(i).expr(), path.Field("expr"), limits);
    Duration(spec.thresholds(i).abort_delay(), path.Field("abort_delay"), limits);
  }
  AtMost(static_cast<std::uint64_t>(spec.histogram_buckets_size()), limits.max_histogram_buckets,
         root.Field("histogram_buckets"), "--max-histogram-buckets", " buckets");
  CheckFeeders(spec, root, limits);
  CheckLoad(spec.load(), root.Field("load"), limits);
}

void CheckPlanLimits(const engine::Plan& plan, const SpecLimits& limits) {
  const FieldPath root;
  AtMost(plan.endpoints.size(), limits.max_request_names, root.Field("user_classes"),
         "--max-request-names", " request names");
  for (const engine::EndpointKey& key : plan.endpoints) {
    if (key.name.size() > limits.max_label_length) {
      Exceed(root.Field("user_classes"),
             "request name \"" + key.name.substr(0, 32) + "...\" of " +
                 std::to_string(key.name.size()) + " bytes",
             std::to_string(limits.max_label_length), "--max-label-length", " bytes");
    }
  }
  for (std::size_t i = 0; i < plan.feeders.size(); ++i) {
    AtMost(plan.feeders[i].rows.size(), limits.max_feeder_rows, root.At("feeders", i),
           "--max-feeder-rows", " rows");
  }
}

}  // namespace throng::api::spec
