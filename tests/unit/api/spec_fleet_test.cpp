// JobSpec.fleet and JobSpec.phases: conversion into the plan and every limit with its field.
#include <gtest/gtest.h>

#include "throng/api/common/job_messages.h"
#include "throng/api/spec/spec_converter.h"
#include "throng/test_support/minimal_spec.h"

namespace throng::api {
namespace {

v1::JobSpec FleetSpec(std::uint32_t index, std::uint32_t count, const std::string& run_id) {
  v1::JobSpec spec = test_support::MinimalJobSpec("fleet", "http://127.0.0.1:8000");
  spec.mutable_fleet()->set_index(index);
  spec.mutable_fleet()->set_count(count);
  spec.mutable_fleet()->set_run_id(run_id);
  return spec;
}

std::string Refusal(const v1::JobSpec& spec) {
  try {
    ConvertSpec(spec, ConvertOptions::Unrestricted());
  } catch (const SpecError& error) {
    return error.what();
  }
  return "(accepted)";
}

TEST(SpecFleetTest, SegmentStartAndRunIdReachThePlan) {
  v1::JobSpec spec = FleetSpec(2, 3, "fleet-1.a_b");
  const auto start = std::chrono::system_clock::now() + std::chrono::seconds(5);
  *spec.mutable_fleet()->mutable_start_time() = ToTimestamp(start);
  spec.set_phases(v1::JOB_PHASES_SETUP_ONLY);
  const engine::Plan plan = ConvertSpec(spec, ConvertOptions::Unrestricted());
  EXPECT_EQ(plan.load.segment.index, 2u);
  EXPECT_EQ(plan.load.segment.count, 3u);
  EXPECT_EQ(plan.fleet_run_id, "fleet-1.a_b");
  ASSERT_TRUE(plan.load_start_at.has_value());
  EXPECT_LT(std::chrono::abs(*plan.load_start_at - start), std::chrono::microseconds(1));
  EXPECT_EQ(plan.phases, engine::JobPhases::kSetupOnly);
  const engine::Plan whole =
      ConvertSpec(test_support::MinimalJobSpec("w", "http://127.0.0.1:1"), {});
  EXPECT_TRUE(whole.load.segment.IsWhole());
  EXPECT_TRUE(whole.fleet_run_id.empty());
  EXPECT_FALSE(whole.load_start_at.has_value());
}

TEST(SpecFleetTest, LimitsNameTheirField) {
  EXPECT_NE(Refusal(FleetSpec(0, 0, "r")).find("fleet.count: must be from 1 to 1000"),
            std::string::npos);
  EXPECT_NE(Refusal(FleetSpec(0, 1001, "r")).find("fleet.count"), std::string::npos);
  EXPECT_NE(Refusal(FleetSpec(3, 3, "r")).find("fleet.index: must be below count (3)"),
            std::string::npos);
  EXPECT_NE(Refusal(FleetSpec(0, 3, "")).find("fleet.run_id"), std::string::npos);
  EXPECT_NE(Refusal(FleetSpec(0, 3, std::string(65, 'a'))).find("at most 64"), std::string::npos);
  EXPECT_NE(Refusal(FleetSpec(0, 3, "a b")).find("only letters"), std::string::npos);
  v1::JobSpec late = FleetSpec(0, 3, "r");
  *late.mutable_fleet()->mutable_start_time() =
      ToTimestamp(std::chrono::system_clock::now() + std::chrono::hours(2));
  EXPECT_NE(Refusal(late).find("fleet.start_time: at most 1h ahead"), std::string::npos);
  late.mutable_fleet()->mutable_start_time()->set_nanos(-1);
  EXPECT_NE(Refusal(late).find("not a valid timestamp"), std::string::npos);
  v1::JobSpec phases = FleetSpec(0, 3, "r");
  phases.set_phases(static_cast<v1::JobPhases>(7));
  EXPECT_NE(Refusal(phases).find("phases: unknown value 7"), std::string::npos);
}

TEST(SpecFleetTest, EverySegmentNeedsAUser) {
  v1::JobSpec open = FleetSpec(0, 4, "r");
  open.mutable_load()->mutable_open()->set_rate(10);
  open.mutable_load()->mutable_open()->set_max_users(3);
  EXPECT_NE(
      Refusal(open).find("fleet.count: the fleet has 4 segments but load.open.max_users is 3"),
      std::string::npos);
  open.mutable_load()->mutable_open()->set_max_users(4);
  EXPECT_EQ(Refusal(open), "(accepted)");
  v1::JobSpec shared = FleetSpec(0, 4, "r");
  shared.mutable_load()->mutable_shared_iterations()->set_users(2);
  shared.mutable_load()->mutable_shared_iterations()->set_iterations(100);
  EXPECT_NE(Refusal(shared).find("load.shared_iterations.users is 2"), std::string::npos);
}

}  // namespace
}  // namespace throng::api
