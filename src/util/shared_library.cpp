#include "util/shared_library.hpp"

#include <dlfcn.h>

namespace sccache::util {

Result<SharedLibrary> SharedLibrary::open(const char* soname) {
  void* handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return fail(ErrorCode::unsupported, std::string("cannot load ") + soname + ": " + ::dlerror());
  return SharedLibrary(handle);
}

void* SharedLibrary::symbol(const char* name) const {
  return ::dlsym(m_handle, name);
}

}  // namespace sccache::util
