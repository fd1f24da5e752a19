#pragma once
// One cacheable rustc compile: the dep-info run that tells its inputs, the key, the lookup and
// replay, rustc itself on a miss, and the entry stored after the answer.
#include <memory>

#include "compiler/rust/rustc_args.hpp"
#include "server/compiler_family.hpp"
#include "server/rust/rustc_detector.hpp"

namespace sccache::server::rust {

std::unique_ptr<FamilyCompile> make_rust_compile(Service& service, protocol::Compile request,
                                                 Rustc rustc, compiler::rust::RustArgs args);

}  // namespace sccache::server::rust
