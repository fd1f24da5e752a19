#include "client/terminal.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace sccache::client {
namespace {

TEST(Terminal, StripsTheColoursGccAndClangWrite) {
  // gcc 12 and clang 14, -fdiagnostics-color=always / -fcolor-diagnostics, one warning each.
  EXPECT_EQ(strip_color_codes("\x1b[01m\x1b[Ka.c:1:5:\x1b[m\x1b[K \x1b[01;35m\x1b[Kwarning: "
                              "\x1b[m\x1b[Kunused [\x1b[01;35m\x1b[K-Wunused\x1b[m\x1b[K]\n"),
            "a.c:1:5: warning: unused [-Wunused]\n");
  EXPECT_EQ(
      strip_color_codes("\x1b[1ma.c:1:5: \x1b[0m\x1b[0;1;35mwarning: \x1b[0m\x1b[1mx\x1b[0m\n"),
      "a.c:1:5: warning: x\n");
}

TEST(Terminal, KeepsEverythingElse) {
  for (std::string_view text : {"plain\n", "\x1b]8;;https://gcc.gnu.org\x1b\\link\x1b]8;;\x1b\\",
                                "\x1b[2J", "\x1b[", "\x1b[12", "caf\xc3\xa9"}) {
    EXPECT_EQ(strip_color_codes(text), text);
  }
}

TEST(Terminal, ColourWhereTheCompilerWouldHaveColoured) {
  EXPECT_TRUE(wants_color(protocol::ColorMode::on, -1));
  EXPECT_FALSE(wants_color(protocol::ColorMode::off, -1));
  const char* saved = std::getenv("TERM");
  std::string term = saved ? saved : "";
  ::setenv("TERM", "xterm", 1);
  EXPECT_FALSE(wants_color(protocol::ColorMode::automatic, -1));  // not a terminal
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  EXPECT_FALSE(wants_color(protocol::ColorMode::automatic, pipe_fds[1]));
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  // A real terminal: a pseudo-terminal's far end.
  int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  int tty = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
  ASSERT_GE(tty, 0);
  EXPECT_TRUE(wants_color(protocol::ColorMode::automatic, tty));
  EXPECT_FALSE(wants_color(protocol::ColorMode::off, tty));
  ::setenv("TERM", "dumb", 1);
  EXPECT_FALSE(wants_color(protocol::ColorMode::automatic, tty));
  ::unsetenv("TERM");
  EXPECT_FALSE(wants_color(protocol::ColorMode::automatic, tty));
  ::close(tty);
  ::close(master);
  if (saved) ::setenv("TERM", term.c_str(), 1);
}

}  // namespace
}  // namespace sccache::client
