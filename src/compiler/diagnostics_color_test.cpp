#include "compiler/diagnostics_color.hpp"

#include <gtest/gtest.h>

namespace sccache::compiler {
namespace {

ParsedArgs with(ColorChoice color, Language language = Language::c,
                std::vector<std::string> hashed = {}) {
  ParsedArgs a;
  a.color = color;
  a.language = language;
  a.hashed_args = std::move(hashed);
  return a;
}

TEST(DiagnosticsColor, AutoAndAlwaysAreStoredInColour) {
  EXPECT_EQ(forced_color_flag(Family::gcc, with(ColorChoice::automatic)),
            "-fdiagnostics-color=always");
  EXPECT_EQ(forced_color_flag(Family::gcc, with(ColorChoice::always, Language::assembler)),
            "-fdiagnostics-color=always");
  EXPECT_EQ(forced_color_flag(Family::clang, with(ColorChoice::always)), "-fcolor-diagnostics");
}

TEST(DiagnosticsColor, NeverAndWhereAskingWouldChangeSomethingAreStoredPlain) {
  EXPECT_FALSE(forced_color_flag(Family::gcc, with(ColorChoice::never)));
  EXPECT_FALSE(forced_color_flag(Family::clang, with(ColorChoice::automatic, Language::assembler)));
  EXPECT_FALSE(forced_color_flag(
      Family::clang, with(ColorChoice::automatic, Language::c, {"-g", "-grecord-command-line"})));
  EXPECT_TRUE(forced_color_flag(Family::clang,
                                with(ColorChoice::automatic, Language::c,
                                     {"-grecord-gcc-switches", "-gno-record-command-line"})));
}

TEST(DiagnosticsColor, TheFlagGoesAfterTheLastColourOption) {
  using V = std::vector<std::string>;
  EXPECT_EQ(with_color_flag(V{"-c", "a.c"}, "-fcolor-diagnostics"),
            (V{"-fcolor-diagnostics", "-c", "a.c"}));
  EXPECT_EQ(
      with_color_flag(V{"-fdiagnostics-color=auto", "-c", "--", "a.c"}, "-fcolor-diagnostics"),
      (V{"-fdiagnostics-color=auto", "-fcolor-diagnostics", "-c", "--", "a.c"}));
  EXPECT_EQ(with_color_flag(V{"-c", "a.c", "-fdiagnostics-color"}, "-fdiagnostics-color=always"),
            (V{"-c", "a.c", "-fdiagnostics-color", "-fdiagnostics-color=always"}));
}

}  // namespace
}  // namespace sccache::compiler
