#pragma once
// Libraries that only the server needs (libcurl, libmemcached) are loaded at run time: the client,
// which starts on every compile, then loads nothing but libc.
#include <mutex>
#include <string>

#include "util/error.hpp"

namespace sccache::util {

class SharedLibrary {
 public:
  // dlopen(soname, RTLD_NOW | RTLD_LOCAL); the error says why it failed. Never closed: the bound
  // functions are used for the life of the process.
  static Result<SharedLibrary> open(const char* soname);

  // Points `fn` at the symbol `name`; false when the library lacks it.
  template <typename F>
  bool bind(F& fn, const char* name) const {
    fn = reinterpret_cast<F>(symbol(name));
    return fn != nullptr;
  }

 private:
  explicit SharedLibrary(void* handle) : m_handle(handle) {}
  void* symbol(const char* name) const;
  void* m_handle = nullptr;
};

// Loads `soname` once per process and fills an `Api` of function pointers with
// `bind_all(library, api)` (false: a symbol is missing); every call returns the first outcome.
template <typename Api, typename BindAll>
Result<const Api*> load_once(const char* soname, BindAll bind_all) {
  static Api api;
  static std::string error;
  static std::once_flag once;
  std::call_once(once, [&] {
    auto library = SharedLibrary::open(soname);
    if (!library) {
      error = library.error().message;
    } else if (!bind_all(*library, api)) {
      error = std::string(soname) + " lacks an expected symbol";
    }
  });
  if (!error.empty()) return fail(ErrorCode::unsupported, error);
  return &api;
}

}  // namespace sccache::util
