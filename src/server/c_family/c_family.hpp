#pragma once
// gcc and clang as the compile job sees them: recognised by what they do with a probe file, their
// command lines read by compiler/c_family, served by direct mode first (manifests), then by the
// preprocessor's output as the key, and the compiler itself on a miss.
#include <filesystem>

#include "compiler/c_family/detect.hpp"
#include "server/compiler_family.hpp"

namespace sccache::server::c_family {

class CFamily final : public CompilerFamily {
 public:
  CFamily(Service& service, std::filesystem::path scratch);
  asio::awaitable<std::optional<Admission>> admit(protocol::Compile& request) override;

 private:
  Service& m_service;
  compiler::c_family::CompilerDetector m_detector;
};

}  // namespace sccache::server::c_family
