#include "storage/multilevel_storage.hpp"

#include "util/log.hpp"

namespace sccache::storage {

namespace {

class MultilevelStorage final : public Storage {
 public:
  explicit MultilevelStorage(std::vector<Level> levels) : m_levels(std::move(levels)) {}

  util::Result<std::optional<std::string>> get(const std::string& key) override {
    std::optional<util::Error> first_error;
    for (std::size_t i = 0; i < m_levels.size(); ++i) {
      auto found = m_levels[i].storage->get(key);
      if (!found) {
        log::warn("{} read failed: {}", m_levels[i].storage->location(), found.error().message);
        if (!first_error) first_error = found.error();
        continue;
      }
      if (!*found) continue;
      for (std::size_t j = 0; j < i; ++j) {  // backfill the faster levels
        if (m_levels[j].writable) (void)m_levels[j].storage->put(key, **found);
      }
      return found;
    }
    if (first_error) return tl::make_unexpected(*first_error);
    return std::optional<std::string>{};
  }

  util::Result<void> put(const std::string& key, std::string_view blob) override {
    util::Result<void> result;
    for (auto& level : m_levels) {
      if (!level.writable) continue;
      auto written = level.storage->put(key, blob);
      if (!written) {
        log::warn("{} write failed: {}", level.storage->location(), written.error().message);
        if (result) result = written;
      }
    }
    return result;
  }

  void remove(const std::string& key) override {
    for (auto& level : m_levels) {
      if (level.writable) level.storage->remove(key);
    }
  }

  std::string location() const override {
    std::string out;
    for (const auto& level : m_levels) {
      if (!out.empty()) out += "; ";
      out += level.storage->location();
      if (!level.writable) out += " (read-only)";
    }
    return out;
  }
  // Sizes are those of the first level (local disk); remote sizes vary by server.
  std::optional<std::uint64_t> current_size() const override {
    return m_levels.front().storage->current_size();
  }
  std::optional<std::uint64_t> max_size() const override {
    return m_levels.front().storage->max_size();
  }
  void warm_up() override {
    for (auto& level : m_levels) level.storage->warm_up();
  }

 private:
  std::vector<Level> m_levels;
};

}  // namespace

std::unique_ptr<Storage> make_multilevel_storage(std::vector<Level> levels) {
  return std::make_unique<MultilevelStorage>(std::move(levels));
}

}  // namespace sccache::storage
