#include "throng/engine/request_renderer.h"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <chrono>
#include <string_view>
#include <variant>

#include "overloaded.h"
#include "text_encoding.h"

namespace throng::engine {
namespace {

using NamedTemplates = std::vector<std::pair<std::string, Template>>;

// Per-thread scratch for rendered values that are then encoded; users render one request at a time
// per thread, so one buffer suffices and keeps rendering allocation-free once warm.
std::string& Scratch() {
  thread_local std::string scratch;
  scratch.clear();
  return scratch;
}

const std::string& RenderScratch(const Template& value, const UserState& user) {
  std::string& scratch = Scratch();
  value.RenderTo(user, scratch);
  return scratch;
}

bool Contains(const NamedTemplates& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& header) { return boost::beast::iequals(header.first, name); });
}

// Fills `out.headers` in place, reusing the existing entries' string buffers.
class HeaderWriter {
 public:
  explicit HeaderWriter(HeaderList& headers) : headers_(headers) {}
  ~HeaderWriter() { headers_.resize(used_); }

  std::string& Add(std::string_view name) {
    if (used_ == headers_.size()) headers_.emplace_back();
    auto& [header_name, value] = headers_[used_++];
    header_name.assign(name);
    value.clear();
    return value;
  }

  void Add(std::string_view name, const Template& value, const UserState& user) {
    std::string& out = Add(name);
    // A rendered CR/LF/NUL is refused before sending (rendered_request_check.h), not patched.
    value.RenderTo(user, out);
  }

 private:
  HeaderList& headers_;
  std::size_t used_ = 0;
};

void RenderTarget(const RequestPlan& request, const HttpPlan& http, const UserState& user,
                  std::string& target) {
  target.clear();
  target.append(http.base_path);
  const std::string& path = RenderScratch(request.path, user);
  std::string_view rest = path;
  if (!target.empty() && target.back() == '/' && rest.starts_with('/')) rest.remove_prefix(1);
  if (!target.starts_with('/') && !rest.starts_with('/')) target.insert(target.begin(), '/');
  AppendTargetSafe(rest, target);
  char separator = target.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : request.query) {
    target.push_back(separator);
    separator = '&';
    AppendUrlEncoded(name, target);
    target.push_back('=');
    AppendUrlEncoded(RenderScratch(value, user), target);
  }
}

// Renders the body into `body` and returns its Content-Type ("" when there is none).
std::string_view RenderBody(const RequestPlan& request, const UserState& user, std::string& body) {
  body.clear();
  return std::visit(Overloaded{
                        [](std::monostate) { return std::string_view(); },
                        [&](const JsonBodyPlan& json) {
                          nlohmann::json document = json.shape;
                          for (const auto& [pointer, value] : json.strings) {
                            document[pointer] = RenderScratch(value, user);
                          }
                          // Rendered values may carry invalid UTF-8 (an env var, an extracted byte
                          // string): replace it rather than throw on the hot path.
                          body = document.dump(-1, ' ', false,
                                               nlohmann::json::error_handler_t::replace);
                          return std::string_view("application/json");
                        },
                        [&](const FormBodyPlan& form) {
                          for (const auto& [name, value] : form.fields) {
                            if (!body.empty()) body.push_back('&');
                            AppendUrlEncoded(name, body);
                            body.push_back('=');
                            AppendUrlEncoded(RenderScratch(value, user), body);
                          }
                          return std::string_view("application/x-www-form-urlencoded");
                        },
                        [&](const RawBodyPlan& raw) {
                          raw.body.RenderTo(user, body);
                          return std::string_view(raw.content_type);
                        },
                    },
                    request.body);
}

// Whether the checks and extractions of `request` read the response's headers / body.
bool ReadsHeaders(const RequestPlan& request) {
  return std::any_of(request.extract.begin(), request.extract.end(),
                     [](const ExtractPlan& e) { return e.source == ExtractPlan::Source::kHeader; });
}
bool ReadsBody(const RequestPlan& request) {
  if (request.expect.body_contains || !request.expect.json.empty()) return true;
  return std::any_of(request.extract.begin(), request.extract.end(), [](const ExtractPlan& e) {
    return e.source == ExtractPlan::Source::kJsonPointer || e.source == ExtractPlan::Source::kRegex;
  });
}

}  // namespace

void RenderRequest(const RequestPlan& request, const HttpPlan& http, const UserState& user,
                   HttpRequest& out) {
  out.method.assign(request.method);
  RenderTarget(request, http, user, out.target);
  const std::string_view content_type = RenderBody(request, user, out.body);
  constexpr std::string_view kContentType = "Content-Type";
  const bool body_type_wins = !content_type.empty();
  {
    HeaderWriter headers(out.headers);
    for (const auto& [name, value] : http.default_headers) {
      if (Contains(request.headers, name)) continue;
      if (body_type_wins && boost::beast::iequals(name, kContentType)) continue;
      headers.Add(name, value, user);
    }
    for (const auto& [name, value] : request.headers) headers.Add(name, value, user);
    if (body_type_wins && !Contains(request.headers, kContentType)) {
      headers.Add(kContentType).assign(content_type);
    }
  }
  out.timeout = std::chrono::ceil<std::chrono::milliseconds>(request.timeout);
  out.keep_response_headers = ReadsHeaders(request);
  out.keep_response_body = ReadsBody(request);
}

}  // namespace throng::engine
