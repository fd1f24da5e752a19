#pragma once
// Several storages as one: reads go level by level (local disk first) and a hit in a later level is
// copied into the earlier ones; writes go to every writable level. A level that fails is logged and
// skipped: it costs a miss, never a compile.
#include <memory>
#include <vector>

#include "storage/storage.hpp"

namespace sccache::storage {

struct Level {
  std::unique_ptr<Storage> storage;
  bool writable = true;  // READ_ONLY levels are only read
};

std::unique_ptr<Storage> make_multilevel_storage(std::vector<Level> levels);

}  // namespace sccache::storage
