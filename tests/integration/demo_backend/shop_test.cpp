#include <gtest/gtest.h>

#include "backend_fixture.h"

namespace demo_test {
namespace {

TEST(DemoBackendShop, EveryShopRouteNeedsAToken) {
  DemoBackend backend;
  for (auto [method, path] : {std::pair{"GET", "/products/"},
                              {"GET", "/products/1"},
                              {"POST", "/cart/items"},
                              {"GET", "/cart/"},
                              {"POST", "/orders/"},
                              {"GET", "/orders/1"},
                              {"POST", "/payments/1/confirm"}}) {
    EXPECT_EQ(backend.Send(method, path).status, 401) << method << " " << path;
  }
}

TEST(DemoBackendShop, BrowseCartOrderAndPay) {
  DemoBackend backend;
  std::string token = backend.Login("load_test_user_5");
  auto products = backend.SendAs(token, "GET", "/products/?limit=5");
  ASSERT_EQ(products.status, 200);
  ASSERT_EQ(Json::parse(products.body).size(), 5u);
  auto product = backend.SendAs(token, "GET", "/products/3");
  ASSERT_EQ(product.status, 200);
  long long price = Json::parse(product.body)["price"];
  EXPECT_EQ(backend.SendAs(token, "GET", "/products/9999").status, 404);

  EXPECT_EQ(backend.SendAs(token, "POST", "/orders/").status, 400);  // empty cart
  auto cart = backend.SendAs(token, "POST", "/cart/items", R"({"product_id":3,"quantity":2})");
  ASSERT_EQ(cart.status, 201) << cart.body;
  EXPECT_EQ(Json::parse(backend.SendAs(token, "GET", "/cart/").body)["total"], 2 * price);
  EXPECT_EQ(backend.SendAs(token, "POST", "/cart/items", R"({"product_id":9999})").status, 404);
  EXPECT_EQ(backend.SendAs(token, "POST", "/cart/items", R"({"product_id":"3"})").status, 422);
  EXPECT_EQ(backend.SendAs(token, "POST", "/cart/items", R"({"product_id":3,"quantity":0})").status,
            422);

  auto order = backend.SendAs(token, "POST", "/orders/");
  ASSERT_EQ(order.status, 201) << order.body;
  long long order_id = Json::parse(order.body)["id"];
  EXPECT_EQ(Json::parse(order.body)["total"], 2 * price);
  EXPECT_TRUE(Json::parse(backend.SendAs(token, "GET", "/cart/").body)["items"].empty());

  std::string order_path = "/orders/" + std::to_string(order_id);
  EXPECT_EQ(Json::parse(backend.SendAs(token, "GET", order_path).body)["status"], "pending");
  std::string other = backend.Login("load_test_user_6");
  EXPECT_EQ(backend.SendAs(other, "GET", order_path).status, 404);  // not your order

  std::string pay = "/payments/" + std::to_string(order_id) + "/confirm";
  auto paid = backend.SendAs(token, "POST", pay);
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(Json::parse(paid.body)["status"], "paid");
  EXPECT_EQ(backend.SendAs(token, "POST", pay).status, 409);
  EXPECT_EQ(Json::parse(backend.SendAs(token, "GET", order_path).body)["status"], "paid");
  EXPECT_EQ(backend.SendAs(token, "POST", "/payments/424242/confirm").status, 404);
}

}  // namespace
}  // namespace demo_test
