#pragma once
// Direct mode for nvcc, the pure part: what a manifest key must hold besides the arguments and
// the source (the environment nvcc's plan depends on), which compiles it cannot key without
// running nvcc, and the files a manifest result lists (every preprocess's line markers).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/c_family/include_scan.hpp"
#include "compiler/cuda/nvcc_args.hpp"

namespace sccache::compiler::cuda {

// Every identifier nvcc.profile names, assigned (`NAME = …`, `+=`, `=+`) or expanded (`$(NAME)`):
// the environment sets or extends each of them before nvcc's steps see them. A superset is safe.
std::vector<std::string> profile_variables(std::string_view profile_text);

// The variables of `env` that can change nvcc's plan: PATH (the tools it finds), TMPDIR (its
// temporaries' directory is in the steps' arguments), every NVCC_* (NVCC_CCBIN, the flags) and
// every name in `profile_variables`. Sorted by name; the last value of a name counts.
std::vector<std::pair<std::string, std::string>> plan_env(
    const std::vector<std::pair<std::string, std::string>>& env,
    const std::vector<std::string>& profile_variables);

// Why these arguments need nvcc's own plan each time (`-arch=native` asks the GPU present), or
// nullopt when direct mode may key them.
std::optional<std::string_view> needs_dryrun(const NvccArgs& args);

// The files the line markers of every text name, each (path, includer) once, the first text's
// first: neither the host's nor a device's preprocess alone lists them all.
std::vector<c_family::IncludedFile> files_in_all(const std::vector<std::string>& texts);

}  // namespace sccache::compiler::cuda
