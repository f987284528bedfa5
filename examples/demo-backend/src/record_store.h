#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "http_types.h"
#include "router.h"

namespace demo {

/// An in-memory collection of {"id","title","description","completed"} records: the shape of both
/// the todo (seed 001) and item (seed 003) APIs. Thread-safe (one mutex; operations are short).
class RecordStore {
 public:
  /// Validates a create (`partial` = false) or update body; returns "" or an error naming the
  /// field.
  static std::string Validate(const Json& body, bool partial);

  Json Create(const Json& body);
  /// Records in id order, `limit` of them after skipping `skip`.
  Json List(long long skip, long long limit) const;
  std::optional<Json> Get(long long id) const;
  std::optional<Json> Update(long long id, const Json& body);
  bool Remove(long long id);

 private:
  mutable std::mutex mutex_;
  std::map<long long, Json> records_;
  long long next_id_ = 1;
};

/// Registers list/create at `collection` ("/todos/") and get/update/delete at
/// `collection` + "{id}"; `noun` names the record in 404 messages.
void RegisterRecordRoutes(Router& router, RecordStore& store, const std::string& collection,
                          const std::string& noun);

}  // namespace demo
