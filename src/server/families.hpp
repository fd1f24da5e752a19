#pragma once
// The compiler families this server knows, in the order they are asked about a compiler: those
// recognised by name first (cheap), gcc/clang's probe last.
#include <filesystem>
#include <memory>
#include <vector>

#include "server/compiler_family.hpp"

namespace sccache::server {

std::vector<std::unique_ptr<CompilerFamily>> make_families(Service& service,
                                                           const std::filesystem::path& scratch);

}  // namespace sccache::server
