#include "protocol/frame.hpp"
#include "protocol/messages.hpp"

#include <gtest/gtest.h>

namespace sccache::protocol {
namespace {

TEST(Frame, HeaderIsBigEndianLength) {
  std::string f = make_frame("abc");
  ASSERT_EQ(f.size(), 7u);
  EXPECT_EQ(f.substr(0, 4), std::string("\0\0\0\3", 4));
  EXPECT_EQ(f.substr(4), "abc");
  auto n = parse_frame_header({0x01, 0x02, 0x03, 0x04}, 0xffffffff);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0x01020304u);
}

TEST(Frame, OversizedFrameIsRefused) {
  auto n = parse_frame_header({0xff, 0xff, 0xff, 0xff}, k_max_frame_length);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, util::ErrorCode::invalid);
  EXPECT_NE(n.error().message.find("exceeds the limit"), std::string::npos);
  EXPECT_TRUE(parse_frame_header({0, 0, 0x10, 0}, 4096));
  EXPECT_FALSE(parse_frame_header({0, 0, 0x10, 1}, 4096));
}

}  // namespace
}  // namespace sccache::protocol
