#include "http_types.h"

#include <charconv>

namespace demo {
namespace {

std::string UrlDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%' && i + 2 < in.size()) {
      int value = 0;
      auto [ptr, ec] = std::from_chars(in.data() + i + 1, in.data() + i + 3, value, 16);
      if (ec == std::errc() && ptr == in.data() + i + 3) {
        out += static_cast<char>(value);
        i += 2;
      } else {
        out += in[i];
      }
    } else {
      out += in[i];
    }
  }
  return out;
}

}  // namespace

Response JsonResponse(http::status status, const Json& body) {
  Response response(status, 11);
  response.set(http::field::content_type, "application/json");
  response.body() = body.dump();
  return response;
}

Response ErrorResponse(http::status status, std::string_view detail) {
  return JsonResponse(status, Json{{"detail", detail}});
}

Response EmptyResponse(http::status status) { return Response(status, 11); }

bool FormField(std::string_view body, std::string_view name, std::string& value) {
  while (!body.empty()) {
    size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    size_t eq = pair.find('=');
    if (UrlDecode(pair.substr(0, eq)) == name) {
      value = eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
      return true;
    }
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return false;
}

std::string QueryParam(std::string_view query, std::string_view name, std::string_view fallback) {
  std::string value;
  return FormField(query, name, value) ? value : std::string(fallback);
}

bool ParseIndex(std::string_view text, long long& value) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size() && value >= 0;
}

bool PathId(const RequestContext& ctx, size_t index, std::string_view name, long long& id,
            Response& error) {
  if (ParseIndex(ctx.params.at(index), id)) return true;
  error = ErrorResponse(http::status::unprocessable_entity,
                        std::string(name) + " must be a non-negative integer");
  return false;
}

}  // namespace demo
