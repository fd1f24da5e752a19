#pragma once
// nvcc as the compile job sees it (`sccache nvcc -c k.cu -o k.o`): recognised by name and
// `--version`; a single-source compile (-c, -dc, -dw, -ptx, -cubin, -fatbin) is cached, keyed on
// what every step of nvcc's plan sees — never on `nvcc -E` alone (see compiler/cuda/README.md);
// with direct mode, found first through a manifest of the files those steps read.
#include "server/compiler_family.hpp"
#include "server/cuda/nvcc_detector.hpp"
#include "server/cuda/nvcc_toolchain.hpp"

namespace sccache::server::cuda {

class NvccFamily final : public CompilerFamily {
 public:
  explicit NvccFamily(Service& service);
  asio::awaitable<std::optional<Admission>> admit(protocol::Compile& request) override;

 private:
  Service& m_service;
  NvccDetector m_detector;
  ToolchainMemo m_toolchains;  // what direct mode knows of each toolchain's plans
};

}  // namespace sccache::server::cuda
