#include "client/client_main.hpp"

#include <cstdio>
#include <filesystem>
#include <string_view>

#include "client/commands.hpp"
#include "client/run_compile.hpp"
#include "config/config.hpp"

namespace sccache::client {

int client_main(int argc, char** argv) {
  // (A string, not a view: the path is a temporary. ASan: stack-use-after-scope on every run.)
  std::string name = std::filesystem::path(argv[0]).filename().native();
  bool masquerading = name != "sccache" && !name.starts_with("sccache");
  std::string compiler;
  int first_arg = 1;
  if (masquerading) {
    compiler = name;  // a symlink named gcc/cc/…: act as `sccache gcc …`
  } else if (argc < 2 || argv[1][0] == '-') {
    return run_command(argc, argv);
  } else {
    compiler = argv[1];
    first_arg = 2;
  }
  auto endpoint = config::load_client_config(config::process_env());
  if (!endpoint) {
    std::fprintf(stderr, "sccache: error: %s\n", endpoint.error().message.c_str());
    return 2;
  }
  std::vector<std::string> args(argv + first_arg, argv + argc);
  return run_compile(*endpoint, compiler, args);
}

}  // namespace sccache::client
