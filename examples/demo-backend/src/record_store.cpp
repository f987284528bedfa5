#include "record_store.h"

#include "router.h"

namespace demo {

std::string RecordStore::Validate(const Json& body, bool partial) {
  if (!body.is_object()) return "body must be a JSON object";
  if (body.contains("title")) {
    if (!body["title"].is_string() || body["title"].get<std::string>().empty()) {
      return "title must be a non-empty string";
    }
  } else if (!partial) {
    return "title is required";
  }
  if (body.contains("description") && !body["description"].is_string() &&
      !body["description"].is_null()) {
    return "description must be a string or null";
  }
  if (body.contains("completed") && !body["completed"].is_boolean()) {
    return "completed must be a boolean";
  }
  return "";
}

Json RecordStore::Create(const Json& body) {
  std::lock_guard lock(mutex_);
  long long id = next_id_++;
  Json record = {{"id", id},
                 {"title", body["title"]},
                 {"description", body.value("description", Json())},
                 {"completed", body.value("completed", false)}};
  records_.emplace(id, record);
  return record;
}

Json RecordStore::List(long long skip, long long limit) const {
  Json out = Json::array();
  std::lock_guard lock(mutex_);
  auto it = records_.begin();
  for (long long i = 0; i < skip && it != records_.end(); ++i) ++it;
  for (; it != records_.end() && static_cast<long long>(out.size()) < limit; ++it) {
    out.push_back(it->second);
  }
  return out;
}

std::optional<Json> RecordStore::Get(long long id) const {
  std::lock_guard lock(mutex_);
  auto it = records_.find(id);
  if (it == records_.end()) return std::nullopt;
  return it->second;
}

std::optional<Json> RecordStore::Update(long long id, const Json& body) {
  std::lock_guard lock(mutex_);
  auto it = records_.find(id);
  if (it == records_.end()) return std::nullopt;
  for (const char* field : {"title", "description", "completed"}) {
    if (body.contains(field)) it->second[field] = body[field];
  }
  return it->second;
}

bool RecordStore::Remove(long long id) {
  std::lock_guard lock(mutex_);
  return records_.erase(id) > 0;
}

namespace {

// Runs `action` with the parsed {id} parameter, or answers 422 when it is not an integer.
template <typename Action>
Handler WithId(Action action) {
  return [action](RequestContext& ctx) {
    long long id = 0;
    Response error;
    if (!PathId(ctx, 0, "id", id, error)) return error;
    return action(ctx, id);
  };
}

// Parses and validates a JSON body, then runs `action` with it; 422 naming the field otherwise.
template <typename Action>
Response WithBody(RequestContext& ctx, bool partial, Action action) {
  Json body = Json::parse(ctx.request.body(), nullptr, false);
  if (body.is_discarded()) return ErrorResponse(http::status::unprocessable_entity, "invalid JSON");
  if (std::string error = RecordStore::Validate(body, partial); !error.empty()) {
    return ErrorResponse(http::status::unprocessable_entity, error);
  }
  return action(body);
}

}  // namespace

void RegisterRecordRoutes(Router& router, RecordStore& store, const std::string& collection,
                          const std::string& noun) {
  std::string not_found = noun + " not found";
  router.Add(http::verb::get, collection, [&store](RequestContext& ctx) {
    long long skip = 0, limit = 0;
    if (!ParseIndex(QueryParam(ctx.query, "skip", "0"), skip) ||
        !ParseIndex(QueryParam(ctx.query, "limit", "100"), limit)) {
      return ErrorResponse(http::status::unprocessable_entity,
                           "skip and limit must be non-negative integers");
    }
    return JsonResponse(http::status::ok, store.List(skip, limit));
  });
  router.Add(http::verb::post, collection, [&store](RequestContext& ctx) {
    return WithBody(ctx, false, [&](const Json& body) {
      return JsonResponse(http::status::created, store.Create(body));
    });
  });
  std::string one = collection + "{id}";
  router.Add(http::verb::get, one, WithId([&store, not_found](RequestContext&, long long id) {
               auto record = store.Get(id);
               return record ? JsonResponse(http::status::ok, *record)
                             : ErrorResponse(http::status::not_found, not_found);
             }));
  router.Add(http::verb::put, one, WithId([&store, not_found](RequestContext& ctx, long long id) {
               return WithBody(ctx, true, [&](const Json& body) {
                 auto record = store.Update(id, body);
                 return record ? JsonResponse(http::status::ok, *record)
                               : ErrorResponse(http::status::not_found, not_found);
               });
             }));
  router.Add(http::verb::delete_, one, WithId([&store, not_found](RequestContext&, long long id) {
               return store.Remove(id) ? EmptyResponse(http::status::no_content)
                                       : ErrorResponse(http::status::not_found, not_found);
             }));
}

}  // namespace demo
