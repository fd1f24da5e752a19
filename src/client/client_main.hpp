#pragma once
// The client entry point: a compile (`sccache gcc …`, or this binary under a compiler's name) or a
// command (`sccache --show-stats`).
namespace sccache::client {

int client_main(int argc, char** argv);

}  // namespace sccache::client
