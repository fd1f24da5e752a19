#include "compiler/c_family/diagnostics_color.hpp"

#include <gtest/gtest.h>

namespace sccache::compiler::c_family {
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
  EXPECT_EQ(forced_color_flag(Family::gcc, "12.2.0", with(ColorChoice::automatic)),
            "-fdiagnostics-color=always");
  EXPECT_EQ(
      forced_color_flag(Family::gcc, "12.2.0", with(ColorChoice::always, Language::assembler)),
      "-fdiagnostics-color=always");
  EXPECT_EQ(forced_color_flag(Family::clang, "Debian Clang 14.0.6", with(ColorChoice::always)),
            "-fcolor-diagnostics");
}

TEST(DiagnosticsColor, NeverAndWhereAskingWouldChangeSomethingAreStoredPlain) {
  EXPECT_FALSE(forced_color_flag(Family::gcc, "12.2.0", with(ColorChoice::never)));
  EXPECT_FALSE(forced_color_flag(Family::clang, "Debian Clang 14.0.6",
                                 with(ColorChoice::automatic, Language::assembler)));
  EXPECT_FALSE(forced_color_flag(
      Family::clang, "Debian Clang 14.0.6",
      with(ColorChoice::automatic, Language::c, {"-g", "-grecord-command-line"})));
  EXPECT_TRUE(forced_color_flag(Family::clang, "Debian Clang 14.0.6",
                                with(ColorChoice::automatic, Language::c,
                                     {"-grecord-gcc-switches", "-gno-record-command-line"})));
}

TEST(DiagnosticsColor, OnlyGccsThatHaveTheOptionGetIt) {
  auto a = with(ColorChoice::automatic);
  EXPECT_TRUE(forced_color_flag(Family::gcc, "4.9.4", a));
  EXPECT_TRUE(forced_color_flag(Family::gcc, "5", a));
  EXPECT_FALSE(forced_color_flag(Family::gcc, "4.8.5 20150623 (Red Hat 4.8.5-44)", a));
  EXPECT_FALSE(forced_color_flag(Family::gcc, "Intel(R) C++ gcc 4.8 mode", a));
  EXPECT_FALSE(forced_color_flag(Family::gcc, "", a));
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
}  // namespace sccache::compiler::c_family
