// The libcurl exchange against a loopback HTTP/1.1 server that keeps connections open: kept
// connections are reused, uploads arrive whole, a silent server is a timeout, a long answer an
// error.
#include "storage/http/http_client.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "storage/http/loopback_http_server.hpp"

namespace sccache::storage::http {
namespace {

using testing::KeepAliveServer;

TEST(HttpClient, ReusesTheConnectionOfTheThread) {
  KeepAliveServer server("ok");
  for (int i = 0; i < 3; ++i) {
    Request r;
    r.url = server.url("/k" + std::to_string(i));
    auto response = perform(r);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "ok");
  }
  Request put;
  put.method = "PUT";
  put.url = server.url("/k");
  put.body = "payload";
  ASSERT_TRUE(perform(put));
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.bodies().back(), "payload");
}

TEST(HttpClient, ASilentServerIsATimeoutAndALongAnswerAnError) {
  KeepAliveServer silent("", true);
  Request r;
  r.url = silent.url("/k");
  r.timeout = std::chrono::milliseconds(200);
  auto response = perform(r);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, util::ErrorCode::timeout);

  KeepAliveServer chatty(std::string(1000, 'x'));
  Request capped;
  capped.url = chatty.url("/k");
  capped.max_body = 100;
  EXPECT_FALSE(perform(capped));
  capped.max_body = 1000;
  auto whole = perform(capped);
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(whole->body.size(), 1000u);
}

}  // namespace
}  // namespace sccache::storage::http
