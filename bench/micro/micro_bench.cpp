// Nanoseconds per operation of the engine's per-request work, without the network:
//   record: ThreadStats::RecordRequest (counters + histogram) for one endpoint;
//   render: RenderRequest of a plain GET and of a templated POST with a JSON body;
//   parse:  a canned nginx response, by ResponseParser (Beast) and by ParseSimpleResponse (the
//           fast path the plain exchange tries first), headers and body not kept / kept.
// Prints one line per case; figures vary with the machine, compare them on one machine.
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "http_response_parser.h"
#include "simple_response.h"
#include "throng/engine/request_renderer.h"
#include "throng/engine/stats.h"

namespace {

using namespace throng::engine;
using Clock = std::chrono::steady_clock;

template <typename Fn>
void Measure(const char* name, std::uint64_t n, Fn&& fn) {
  for (std::uint64_t i = 0; i < n / 10; ++i) fn(i);  // warm-up
  const auto start = Clock::now();
  for (std::uint64_t i = 0; i < n; ++i) fn(i);
  const double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count() /
                    static_cast<double>(n);
  std::printf("%-40s %10.1f ns/op  (%llu ops)\n", name, ns, static_cast<unsigned long long>(n));
}

void BenchRecord() {
  JobStats stats({{"/", "GET"}}, 1);
  ThreadStats& worker = stats.ForWorker(0);
  std::mt19937_64 rng(1);
  std::lognormal_distribution<double> dist(std::log(500'000.0), 0.5);  // ns, around 0.5 ms
  std::vector<RequestSample> samples(4096);
  for (auto& s : samples) {
    const auto d = std::chrono::nanoseconds(static_cast<std::int64_t>(dist(rng)));
    s = {.latency = d, .service_time = d, .status = 200, .bytes_sent = 60, .bytes_received = 160};
  }
  Measure("record request (closed model)", 20'000'000,
          [&](std::uint64_t i) { worker.RecordRequest(0, samples[i & 4095]); });
  std::printf("%-40s %10zu bytes\n", "  stats memory for the endpoint", worker.AllocatedBytes());
  Measure("snapshot (1 endpoint, 1 worker)", 20'000, [&](std::uint64_t) {
    volatile std::uint64_t n = stats.Snapshot().endpoints[0].requests;
    (void)n;
  });
}

void BenchRender() {
  Plan plan;
  plan.http.host = "127.0.0.1";
  RequestPlan plain;
  plain.path = Template::Parse("/api/v1/items/list");
  UserState user(0, &plan.variables, 1);
  user.SetVariable("id", "12345");
  HttpRequest out;
  Measure("render plain GET", 5'000'000,
          [&](std::uint64_t) { RenderRequest(plain, plan.http, user, out); });
  RequestPlan templated;
  templated.method = "POST";
  templated.path = Template::Parse("/api/v1/items/{{id}}");
  templated.headers.emplace_back("Authorization", Template::Parse("Bearer {{id}}"));
  JsonBodyPlan body;
  body.shape = nlohmann::json{{"name", ""}, {"count", 3}};
  body.strings.emplace_back(nlohmann::json::json_pointer("/name"), Template::Parse("item {{id}}"));
  templated.body = std::move(body);
  Measure("render templated POST + JSON body", 1'000'000,
          [&](std::uint64_t) { RenderRequest(templated, plan.http, user, out); });
}

const std::string kNginxResponse =
    "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Tue, 01 Dec 2026 12:22:11 GMT\r\n"
    "Content-Type: text/plain\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok";

void BenchParse(bool keep) {
  const std::string& wire = kNginxResponse;
  ParsedResponse parsed;
  Measure(keep ? "parse response, Beast (body kept)" : "parse response, Beast (nothing kept)",
          5'000'000, [&](std::uint64_t) {
            parsed.Clear(keep, keep, 1 << 20);
            ResponseParser parser(parsed);
            boost::beast::error_code ec;
            parser.eager(true);
            parser.put(boost::asio::buffer(wire), ec);
            if (ec || !parser.is_done() || parsed.status != 200) std::abort();
          });
}

void BenchSimpleParse(bool keep) {
  ParsedResponse parsed;
  Measure(keep ? "parse response, simple (body kept)" : "parse response, simple (nothing kept)",
          5'000'000, [&](std::uint64_t) {
            parsed.Clear(keep, keep, 1 << 20);
            const std::size_t used = ParseSimpleResponse(kNginxResponse, parsed);
            if (used != kNginxResponse.size() || parsed.status != 200) std::abort();
          });
}

}  // namespace

int main() {
  BenchRecord();
  BenchRender();
  BenchParse(false);
  BenchParse(true);
  BenchSimpleParse(false);
  BenchSimpleParse(true);
}
