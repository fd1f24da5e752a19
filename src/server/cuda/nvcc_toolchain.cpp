#include "server/cuda/nvcc_toolchain.hpp"

#include <filesystem>

#include "compiler/cuda/direct_mode.hpp"
#include "hash/hasher.hpp"
#include "server/cuda/nvcc_key.hpp"
#include "util/file_clock.hpp"

namespace sccache::server::cuda {

namespace {

namespace cu = compiler::cuda;
namespace fs = std::filesystem;

// Past this many toolchains (distinct environments, mostly) the memo starts again.
constexpr std::size_t k_max_toolchains = 256;

const std::string* find_env(const std::vector<std::pair<std::string, std::string>>& env,
                            std::string_view name) {
  const std::string* found = nullptr;
  for (const auto& [n, v] : env) {
    if (n == name) found = &v;
  }
  return found;
}

bool is_directory(const std::string& path, const std::string& cwd) {
  std::error_code ec;
  return !path.empty() && fs::is_directory(fs::path(cwd) / path, ec);
}

// Whether the tools found may depend on the working directory: a relative -ccbin, NVCC_CCBIN or
// PATH entry (an empty one is the working directory).
bool depends_on_cwd(const ToolchainQuery& q) {
  auto relative = [](std::string_view p) { return p.empty() || p.front() != '/'; };
  if (!q.host_compiler.empty() && relative(q.host_compiler)) return true;
  if (const auto* ccbin = find_env(*q.env, "NVCC_CCBIN"); ccbin && relative(*ccbin)) return true;
  std::string_view path;
  if (const auto* p = find_env(*q.env, "PATH")) path = *p;
  while (true) {
    auto colon = path.find(':');
    if (relative(path.substr(0, colon))) return true;
    if (colon == std::string_view::npos) return false;
    path.remove_prefix(colon + 1);
  }
}

}  // namespace

std::optional<std::set<Tool>> plan_tools(const cu::Dryrun& plan, std::string_view path,
                                         const std::string& cwd) {
  std::set<Tool> tools;
  for (const auto& step : plan.steps) {
    if (!runs_tool(step.kind) || step.argv.empty()) continue;
    auto found = resolve_tool(step.argv.front(), path, cwd);
    if (!found) return std::nullopt;
    tools.insert({step.argv.front(), std::move(*found)});
  }
  return tools;
}

// nvcc.profile's digest and names, read again when its stat changes (and remembered only once its
// times prove it older than the read, as the file memo does).
std::optional<ToolchainMemo::Profile> ToolchainMemo::profile(const std::string& path) {
  auto st = util::stat_file(path);
  if (!st) return std::nullopt;
  if (auto it = m_profiles.find(path); it != m_profiles.end() && it->second.stat == *st)
    return it->second;
  auto since = util::file_clock_now_ns();
  auto text = util::read_file(path);
  auto after = util::stat_file(path);
  if (!text || !after || !(*after == *st)) return std::nullopt;
  Profile p{*st, hash::sha256_hex(*text), cu::profile_variables(*text)};
  if (util::written_before(*st, since)) m_profiles[path] = p;
  return p;
}

// The toolchain's key (under m_mutex); nullopt when nvcc's _HERE_ is not known yet, its profile
// cannot be read, or the host compiler is named by a directory.
std::optional<std::string> ToolchainMemo::key_of(const ToolchainQuery& q) {
  auto here = m_here.find(q.nvcc);
  if (here == m_here.end()) return std::nullopt;
  auto prof = profile(here->second + "/nvcc.profile");
  if (!prof) return std::nullopt;
  const auto* env_ccbin = find_env(*q.env, "NVCC_CCBIN");
  if (is_directory(q.host_compiler, q.cwd) || (env_ccbin && is_directory(*env_ccbin, q.cwd)))
    return std::nullopt;
  hash::Hasher h;
  h.field("recipe", "nvcc toolchain 1");  // the layout of this key
  h.field("nvcc", q.nvcc);                // where nvcc.profile and the toolkit are
  h.field("identity", q.identity);        // nvcc's version text and binary
  h.field("profile", prof->sha256);       // the variables nvcc sets for its steps
  for (const auto& [name, value] : cu::plan_env(*q.env, prof->variables))
    h.field("env " + name, value);                 // what the profile extends, PATH, NVCC_*, TMPDIR
  h.field("ccbin", q.host_compiler);               // which host compiler nvcc runs
  h.field("cwd", depends_on_cwd(q) ? q.cwd : "");  // a relative name is found from here
  return h.finish_hex();
}

void ToolchainMemo::learn(const ToolchainQuery& query, const cu::Dryrun& plan,
                          const std::string& plan_path) {
  std::string here;
  for (const auto& [name, value] : plan.env) {
    if (name == "_HERE_") here = value;
  }
  if (here.empty()) return;
  auto tools = plan_tools(plan, plan_path, query.cwd);
  if (!tools) return;
  std::lock_guard lock(m_mutex);
  m_here[query.nvcc] = here;
  auto key = key_of(query);
  if (!key) return;
  if (m_toolchains.size() >= k_max_toolchains && !m_toolchains.contains(*key)) m_toolchains.clear();
  auto& known = m_toolchains[*key];
  if (known.plan_path != plan_path) known.tools.clear();
  known.plan_path = plan_path;
  for (const auto& tool : *tools) {  // a name now found elsewhere replaces the old place
    std::erase_if(known.tools, [&](const Tool& t) { return t.argv0 == tool.argv0; });
    known.tools.insert(tool);
  }
}

std::optional<Toolchain> ToolchainMemo::current(const ToolchainQuery& query, hash::FileMemo& memo) {
  std::string key;
  Known known;
  {
    std::lock_guard lock(m_mutex);
    auto k = key_of(query);
    if (!k) return std::nullopt;
    auto it = m_toolchains.find(*k);
    if (it == m_toolchains.end()) return std::nullopt;
    key = std::move(*k);
    known = it->second;
  }
  hash::Hasher h;
  h.field("toolchain", key);
  for (const auto& tool : known.tools) {
    // Found where the plan found it: a new file earlier on PATH would be nvcc's choice now.
    auto found = resolve_tool(tool.argv0, known.plan_path, query.cwd);
    if (!found || *found != tool.path) return std::nullopt;
    auto digest = memo.digest(tool.path);
    if (!digest) return std::nullopt;
    h.field("tool " + tool.argv0, tool.path);
    h.field("tool content", digest->sha256);
  }
  return Toolchain{h.finish_hex(), std::move(known.tools)};
}

}  // namespace sccache::server::cuda
