#include "util/private_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace sccache::util {

Result<void> ensure_private_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return fail_errno("mkdir " + dir, errno);
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) return fail_errno("lstat " + dir, errno);
  if (!S_ISDIR(st.st_mode))
    return fail(ErrorCode::invalid, dir + " is not a directory (a symlink?): refusing to use it");
  if (st.st_uid != ::geteuid()) {
    return fail(ErrorCode::invalid, dir + " belongs to uid " + std::to_string(st.st_uid) +
                                        ", not to this user: refusing to use it");
  }
  if ((st.st_mode & 077) != 0 && ::chmod(dir.c_str(), 0700) != 0)
    return fail_errno("chmod 0700 " + dir, errno);
  return {};
}

Result<void> make_directories(const std::string& dir) {
  if (dir.empty()) return {};
  for (std::size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
    std::string prefix = dir.substr(0, slash);
    if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST)
      return fail_errno("mkdir " + prefix, errno);
    if (slash == std::string::npos) return {};
  }
}

}  // namespace sccache::util
