#include "server/families.hpp"

#include "server/c_family/c_family.hpp"
#include "server/cuda/nvcc_family.hpp"
#include "server/rust/rust_family.hpp"

namespace sccache::server {

std::vector<std::unique_ptr<CompilerFamily>> make_families(Service& service,
                                                           const std::filesystem::path& scratch) {
  std::vector<std::unique_ptr<CompilerFamily>> families;
  families.push_back(std::make_unique<rust::RustFamily>(service));
  families.push_back(std::make_unique<cuda::NvccFamily>(service));
  families.push_back(std::make_unique<c_family::CFamily>(service, scratch));
  return families;
}

}  // namespace sccache::server
