#pragma once
// The non-compile command line: --show-stats, --zero-stats, --start-server, --stop-server,
// --dist-status, --version, --help.
namespace sccache::client {

// argv as main received it (argv[1] starts with '-'). Returns the exit code.
int run_command(int argc, char** argv);

}  // namespace sccache::client
