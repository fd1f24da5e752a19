#pragma once
// One cacheable rustc compile, in direct mode: the manifest key, the lookup through its manifest
// and the replay; on a miss rustc itself (its dep-info and the linker's list of inputs tell what it
// read), then the entry and the manifest stored after the answer.
#include <memory>
#include <optional>
#include <string>

#include "compiler/rust/rustc_args.hpp"
#include "server/compiler_family.hpp"
#include "server/rust/rustc_detector.hpp"

namespace sccache::server::rust {

std::unique_ptr<FamilyCompile> make_rust_compile(Service& service, protocol::Compile request,
                                                 Rustc rustc, compiler::rust::RustArgs args,
                                                 std::optional<std::string> linker);

}  // namespace sccache::server::rust
