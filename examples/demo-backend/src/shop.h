#pragma once

#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "auth_store.h"
#include "router.h"

namespace demo {

/// The shop of seed 002: a fixed product catalogue, a cart per user, orders and payments.
/// Thread-safe: one mutex guards carts and orders (the catalogue is immutable).
class Shop {
 public:
  static constexpr int kProducts = 50;

  Shop();
  /// Registers /products/, /cart/, /orders/ and /payments/ routes; all need a bearer token.
  void RegisterRoutes(Router& router, const AuthStore& auth);

 private:
  Response AddToCart(const std::string& user, const Json& body);
  Json CartJson(const std::string& user) const;  // caller holds mutex_
  Response PlaceOrder(const std::string& user);
  Response GetOrder(const std::string& user, long long id) const;
  Response ConfirmPayment(const std::string& user, long long id);

  std::map<long long, Json> products_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::map<long long, long long>> carts_;  // product -> quantity
  std::map<long long, std::pair<std::string, Json>> orders_;               // id -> owner, order
  long long next_order_ = 1;
};

}  // namespace demo
