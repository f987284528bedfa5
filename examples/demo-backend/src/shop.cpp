#include "shop.h"

#include "auth_routes.h"

namespace demo {

Shop::Shop() {
  for (long long id = 1; id <= kProducts; ++id) {
    products_.emplace(id, Json{{"id", id},
                               {"name", "Product " + std::to_string(id)},
                               {"price", 1000 * id},
                               {"stock", 1000000}});
  }
}

Response Shop::AddToCart(const std::string& user, const Json& body) {
  if (!body.is_object() || !body.contains("product_id") ||
      !body["product_id"].is_number_integer()) {
    return ErrorResponse(http::status::unprocessable_entity, "product_id is required (integer)");
  }
  long long quantity = 1;
  if (body.contains("quantity")) {
    if (!body["quantity"].is_number_integer() || body["quantity"].get<long long>() < 1) {
      return ErrorResponse(http::status::unprocessable_entity,
                           "quantity must be a positive integer");
    }
    quantity = body["quantity"].get<long long>();
  }
  long long product = body["product_id"].get<long long>();
  if (!products_.contains(product)) {
    return ErrorResponse(http::status::not_found, "Product not found");
  }
  std::lock_guard lock(mutex_);
  carts_[user][product] += quantity;
  return JsonResponse(http::status::created, CartJson(user));
}

Json Shop::CartJson(const std::string& user) const {
  Json items = Json::array();
  long long total = 0;
  if (auto cart = carts_.find(user); cart != carts_.end()) {
    for (const auto& [product, quantity] : cart->second) {
      long long price = products_.at(product)["price"].get<long long>();
      items.push_back({{"product_id", product}, {"quantity", quantity}, {"price", price}});
      total += price * quantity;
    }
  }
  return Json{{"items", items}, {"total", total}};
}

Response Shop::PlaceOrder(const std::string& user) {
  std::lock_guard lock(mutex_);
  Json cart = CartJson(user);
  if (cart["items"].empty()) return ErrorResponse(http::status::bad_request, "Cart is empty");
  long long id = next_order_++;
  Json order = {
      {"id", id}, {"items", cart["items"]}, {"total", cart["total"]}, {"status", "pending"}};
  orders_.emplace(id, std::pair{user, order});
  carts_.erase(user);
  return JsonResponse(http::status::created, order);
}

Response Shop::GetOrder(const std::string& user, long long id) const {
  std::lock_guard lock(mutex_);
  auto it = orders_.find(id);
  if (it == orders_.end() || it->second.first != user) {
    return ErrorResponse(http::status::not_found, "Order not found");
  }
  return JsonResponse(http::status::ok, it->second.second);
}

Response Shop::ConfirmPayment(const std::string& user, long long id) {
  std::lock_guard lock(mutex_);
  auto it = orders_.find(id);
  if (it == orders_.end() || it->second.first != user) {
    return ErrorResponse(http::status::not_found, "Order not found");
  }
  Json& order = it->second.second;
  if (order["status"] == "paid") return ErrorResponse(http::status::conflict, "Order already paid");
  order["status"] = "paid";
  return JsonResponse(http::status::ok,
                      Json{{"order_id", id}, {"status", "paid"}, {"amount", order["total"]}});
}

void Shop::RegisterRoutes(Router& router, const AuthStore& auth) {
  router.Add(http::verb::get, "/products/",
             RequireUser(auth, [this](RequestContext& ctx, const User&) {
               long long skip = 0, limit = 0;
               if (!ParseIndex(QueryParam(ctx.query, "skip", "0"), skip) ||
                   !ParseIndex(QueryParam(ctx.query, "limit", "20"), limit)) {
                 return ErrorResponse(http::status::unprocessable_entity,
                                      "skip and limit must be non-negative integers");
               }
               Json list = Json::array();
               for (auto it = products_.lower_bound(skip + 1);
                    it != products_.end() && static_cast<long long>(list.size()) < limit; ++it) {
                 list.push_back(it->second);
               }
               return JsonResponse(http::status::ok, list);
             }));
  router.Add(http::verb::get, "/products/{id}",
             RequireUserAndId(auth, "product id", [this](const User&, long long id) {
               auto it = products_.find(id);
               return it == products_.end()
                          ? ErrorResponse(http::status::not_found, "Product not found")
                          : JsonResponse(http::status::ok, it->second);
             }));
  router.Add(http::verb::post, "/cart/items",
             RequireUser(auth, [this](RequestContext& ctx, const User& user) {
               return AddToCart(user.username, Json::parse(ctx.request.body(), nullptr, false));
             }));
  router.Add(http::verb::get, "/cart/",
             RequireUser(auth, [this](RequestContext&, const User& user) {
               std::lock_guard lock(mutex_);
               return JsonResponse(http::status::ok, CartJson(user.username));
             }));
  router.Add(http::verb::post, "/orders/",
             RequireUser(auth, [this](RequestContext&, const User& user) {
               return PlaceOrder(user.username);
             }));
  router.Add(http::verb::get, "/orders/{id}",
             RequireUserAndId(auth, "order id", [this](const User& user, long long id) {
               return GetOrder(user.username, id);
             }));
  router.Add(http::verb::post, "/payments/{order_id}/confirm",
             RequireUserAndId(auth, "order_id", [this](const User& user, long long id) {
               return ConfirmPayment(user.username, id);
             }));
}

}  // namespace demo
