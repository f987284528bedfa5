// What a submitted spec may read (--allow-env, --feeder-dir) and header syntax, at submit.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "throng/api/spec/spec_converter.h"
#include "throng/test_support/minimal_spec.h"
#include "throng/test_support/temp_dir.h"

namespace throng::api {
namespace {

using test_support::TempDir;

v1::JobSpec MinimalSpec() {
  return test_support::MinimalJobSpec("policy", "http://127.0.0.1:8080");
}

v1::Request& FirstRequest(v1::JobSpec& spec) {
  return *spec.mutable_user_classes(0)->mutable_tasks(0)->mutable_steps(0)->mutable_request();
}

/// The SpecError of converting `spec` with `options` ("" when it converts).
std::string Error(const v1::JobSpec& spec, const ConvertOptions& options = {}) {
  try {
    ConvertSpec(spec, options);
  } catch (const SpecError& error) {
    return error.what();
  }
  return "";
}

v1::JobSpec WithCsv(const std::string& file) {
  v1::JobSpec spec = MinimalSpec();
  v1::Feeder* feeder = spec.add_feeders();
  feeder->set_name("users");
  feeder->set_csv_file(file);
  return spec;
}

TEST(SpecPolicyTest, EnvIsRefusedByDefaultAndAllowedByPattern) {
  v1::JobSpec spec = MinimalSpec();
  (*FirstRequest(spec).mutable_headers())["X-Home"] = "{{env:HOME}}";
  const std::string refused = Error(spec);
  EXPECT_NE(refused.find("spec.user_classes[0].tasks[0].steps[0].request.headers[\"X-Home\"]: "
                         "{{env:HOME}} is not allowed"),
            std::string::npos)
      << refused;
  EXPECT_NE(refused.find("--allow-env"), std::string::npos);
  ConvertOptions options;
  options.allowed_env = {"HO?E"};
  EXPECT_EQ(Error(spec, options), "");
  options.allowed_env = {"THRONG_*"};
  EXPECT_NE(Error(spec, options), "");
  (*FirstRequest(spec).mutable_headers())["X-Home"] = "{{env:THRONG_USER}}";
  EXPECT_EQ(Error(spec, options), "");
}

TEST(SpecPolicyTest, EnvInGeneratedFeederIsRefused) {
  v1::JobSpec spec = MinimalSpec();
  v1::Feeder* feeder = spec.add_feeders();
  feeder->set_name("gen");
  feeder->mutable_generated()->set_count(1);
  (*feeder->mutable_generated()->mutable_columns())["p"] = "{{env:PATH}}";
  EXPECT_NE(Error(spec).find("spec.feeders[0].generated.columns[\"p\"]: {{env:PATH}} is not"),
            std::string::npos);
}

TEST(SpecPolicyTest, CsvFileNeedsFeederDirAndStaysInside) {
  TempDir root;
  const auto dir = root.path() / "feeders";
  std::filesystem::create_directory(dir);
  std::ofstream(dir / "users.csv") << "name,password\nalice,secret-content\n";
  std::ofstream(root.path() / "outside.csv") << "name\nroot:x:0:0:SHADOW-LINE\n";
  std::filesystem::create_symlink(root.path() / "outside.csv", dir / "link.csv");

  const std::string no_dir = Error(WithCsv((dir / "users.csv").string()));
  EXPECT_NE(no_dir.find("spec.feeders[0].csv_file: csv_file is refused"), std::string::npos)
      << no_dir;
  EXPECT_NE(no_dir.find("--feeder-dir"), std::string::npos);

  ConvertOptions options;
  options.feeder_dir = dir;
  EXPECT_EQ(Error(WithCsv("users.csv"), options), "");
  EXPECT_EQ(Error(WithCsv((dir / "users.csv").string()), options), "");
  for (const std::string& escape : {(root.path() / "outside.csv").string(),
                                    std::string("../outside.csv"), std::string("link.csv")}) {
    const std::string error = Error(WithCsv(escape), options);
    EXPECT_NE(error.find("outside the daemon's --feeder-dir"), std::string::npos) << error;
    EXPECT_EQ(error.find("SHADOW"), std::string::npos) << error;
  }
}

TEST(SpecPolicyTest, CsvFileMustBeARegularFileUnderTheCap) {
  TempDir root;
  ASSERT_EQ(::mkfifo((root.path() / "fifo.csv").c_str(), 0600), 0);
  std::filesystem::create_directory(root.path() / "dir.csv");
  std::ofstream(root.path() / "big.csv") << "a\n" << std::string(100, 'x') << "\n";
  ConvertOptions options;
  options.feeder_dir = root.path();
  options.max_feeder_file_bytes = 50;
  // A FIFO with no writer must not block the conversion (it froze the gRPC server once).
  EXPECT_NE(Error(WithCsv("fifo.csv"), options).find("not a regular file"), std::string::npos);
  EXPECT_NE(Error(WithCsv("dir.csv"), options).find("not a regular file"), std::string::npos);
  const std::string big = Error(WithCsv("big.csv"), options);
  EXPECT_NE(big.find("larger than the limit of 50 bytes"), std::string::npos) << big;
  EXPECT_EQ(big.find("xxx"), std::string::npos);
}

TEST(SpecPolicyTest, CsvColumnsAreNotEchoedInErrors) {
  TempDir root;
  std::ofstream(root.path() / "f.csv") << "root:x:0:0\nvalue\n";
  ConvertOptions options;
  options.feeder_dir = root.path();
  v1::JobSpec spec = WithCsv("f.csv");
  FirstRequest(spec).set_path("/{{feed:users.nope}}");
  const std::string error = Error(spec, options);
  EXPECT_NE(error.find("has no column \"nope\""), std::string::npos) << error;
  EXPECT_EQ(error.find("root:x"), std::string::npos) << error;
}

TEST(SpecPolicyTest, HeaderNamesAreTokensAndValuesHaveNoLineBreaks) {
  for (const std::string& name :
       std::vector<std::string>{"X-A\r\nX-Injected", "X A", "X:A", std::string("X\0A", 3)}) {
    v1::JobSpec spec = MinimalSpec();
    (*FirstRequest(spec).mutable_headers())[name] = "v";
    EXPECT_NE(Error(spec).find("header name must be an RFC 9110 token"), std::string::npos)
        << Error(spec);
  }
  for (const std::string& value :
       std::vector<std::string>{"a\r\nX-Injected: 1", "a\nb", std::string("a\0b", 3)}) {
    v1::JobSpec spec = MinimalSpec();
    (*spec.mutable_headers())["X-Ok"] = value;
    EXPECT_NE(Error(spec).find("spec.headers[\"X-Ok\"]: header value must not contain CR, LF"),
              std::string::npos);
  }
  v1::JobSpec spec = MinimalSpec();
  (*FirstRequest(spec).mutable_headers())["X-Trace_Id.1~"] = "ok {{user_index}}";
  EXPECT_EQ(Error(spec), "");
}

}  // namespace
}  // namespace throng::api
