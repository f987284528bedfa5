// MakeHttpApi in-process (no socket): routing, the refusal of the API on an open port, the Host
// rule, field paths and status codes mapped from JobControl, and the request-target rules.
#include "throng/api/http/http_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "throng/api/registry/registry_store.h"
#include "throng/test_support/temp_dir.h"

namespace throng::api::http {
namespace {

using Json = nlohmann::json;

class HttpApiTest : public ::testing::Test {
 protected:
  Handler MakeHandler(HttpApiOptions options = {}) {
    return MakeHttpApi(control_, metrics_, std::move(options));
  }
  static Request Make(beast_http::verb method, const std::string& target,
                      const std::string& body = "", const std::string& type = "") {
    Request request(method, target, 11);
    request.set(beast_http::field::host, "127.0.0.1:9400");
    if (!type.empty()) request.set(beast_http::field::content_type, type);
    request.body() = body;
    request.prepare_payload();
    return request;
  }
  static Json ErrorOf(const Reply& reply) {
    return Json::parse(reply.response.body(), nullptr, false).value("error", Json::object());
  }

  test_support::TempDir dir_{"throng-http-api"};
  JobRegistry registry_{std::make_unique<RegistryStore>(dir_.path())};
  const TargetPolicy policy_;
  JobControl control_{registry_, policy_, nullptr, {}};
  MetricsEndpoint metrics_;
};

TEST_F(HttpApiTest, RefusedApiLeavesOnlyMetrics) {
  HttpApiOptions options;
  options.api_refusal = "served on loopback only";
  options.require_loopback_host = false;
  Handler handler = MakeHandler(options);
  EXPECT_EQ(handler(Make(beast_http::verb::get, "/metrics")).response.result_int(), 200);
  const Reply api = handler(Make(beast_http::verb::get, "/api/v1/jobs"));
  EXPECT_EQ(api.response.result_int(), 403);
  EXPECT_EQ(ErrorOf(api)["message"], "served on loopback only");
  EXPECT_EQ(handler(Make(beast_http::verb::get, "/")).response.result_int(), 403);
}

TEST_F(HttpApiTest, LoopbackPortAnswersOnlyLoopbackHostNames) {
  Handler handler = MakeHandler();
  for (const char* host : {"127.0.0.1:9400", "localhost:9400", "[::1]:9400", "127.8.9.10"}) {
    Request request = Make(beast_http::verb::get, "/api/v1/jobs");
    request.set(beast_http::field::host, host);
    EXPECT_EQ(handler(request).response.result_int(), 200) << host;
  }
  for (const char* host : {"evil.example", "evil.example:9400", "10.0.0.1:9400", "[::2]:1"}) {
    Request request = Make(beast_http::verb::get, "/metrics");
    request.set(beast_http::field::host, host);
    EXPECT_EQ(handler(request).response.result_int(), 403) << host;
  }
}

TEST_F(HttpApiTest, StatusCodesAndFieldPathsComeFromJobControl) {
  Handler handler = MakeHandler();
  const Reply bad = handler(Make(beast_http::verb::post, "/api/v1/jobs",
                                 "name: x\nbase_url: http://127.0.0.1:1\n", "application/yaml"));
  EXPECT_EQ(bad.response.result_int(), 400);
  EXPECT_EQ(ErrorOf(bad)["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(ErrorOf(bad)["field"].get<std::string>().rfind("spec.", 0), 0u) << ErrorOf(bad);

  const Reply missing = handler(Make(beast_http::verb::get, "/api/v1/jobs/absent"));
  EXPECT_EQ(missing.response.result_int(), 404);
  EXPECT_EQ(ErrorOf(missing)["field"], "id");
  // Without an executor, streaming and steering are not implemented: 501, as gRPC's
  // UNIMPLEMENTED.
  const Reply events = handler(Make(beast_http::verb::get, "/api/v1/jobs/absent/events"));
  EXPECT_EQ(events.response.result_int(), 501);
  EXPECT_EQ(events.events, nullptr);
  EXPECT_EQ(
      handler(Make(beast_http::verb::get, "/api/v1/jobs?page_token=bogus")).response.result_int(),
      400);
}

TEST_F(HttpApiTest, TargetsThatEscapeOrDoNotDecodeAreBadRequests) {
  Handler handler = MakeHandler();
  for (const char* target :
       {"/api/v1/jobs/%", "/api/v1/jobs/%4", "/api/v1/jobs/%zz", "/api/v1/jobs/..",
        "/api/v1/jobs/a%2Fb", "/api/v1/jobs/%00", "*", "http://127.0.0.1/metrics"}) {
    EXPECT_EQ(handler(Make(beast_http::verb::get, target)).response.result_int(), 400) << target;
  }
  EXPECT_EQ(handler(Make(beast_http::verb::get, "/api/v1/jobs?state=RUNNING&state=QUEUED"))
                .response.result_int(),
            200);
  EXPECT_EQ(handler(Make(beast_http::verb::get, "/api/v2/jobs")).response.result_int(), 404);
}

}  // namespace
}  // namespace throng::api::http
