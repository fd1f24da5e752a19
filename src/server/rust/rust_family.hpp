#pragma once
// rustc as the compile job sees it (RUSTC_WRAPPER=sccache and `sccache rustc ...`): recognised by
// name and `-vV`; library crates (rlib, staticlib; link and/or metadata) and the linked ones a warm
// build waits for (build scripts and proc-macros, when the linker is one we follow) cached, keyed
// on what reaches their output — never on the out-dir or the target directory.
#include "server/compiler_family.hpp"
#include "server/rust/linker_detector.hpp"
#include "server/rust/rustc_detector.hpp"

namespace sccache::server::rust {

class RustFamily final : public CompilerFamily {
 public:
  explicit RustFamily(Service& service);
  asio::awaitable<std::optional<Admission>> admit(protocol::Compile& request) override;

 private:
  Service& m_service;
  RustcDetector m_detector;
  LinkerDetector m_linkers;
};

}  // namespace sccache::server::rust
