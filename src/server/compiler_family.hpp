#pragma once
// The seam between the server's compile job and a compiler family (gcc and clang, rustc, nvcc).
// The job keeps the protocol's order — say whether the server takes the compile, answer a hit
// known at once, serve the rest, answer, and only then write to the cache — and asks the family
// at each step. It knows no compiler; each family knows its own: how to recognise it, which
// command lines it caches and why not the others, the key, the outputs and how to replay them.
#include <asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "protocol/messages.hpp"
#include "server/service.hpp"

namespace sccache::server {

// One compile a family has taken, from its key to its cache writes.
class FamilyCompile {
 public:
  virtual ~FamilyCompile() = default;
  // A hit found before anything runs (direct mode); nothing otherwise.
  virtual asio::awaitable<std::optional<protocol::CompileFinished>> lookup_at_once() {
    co_return std::nullopt;
  }
  // Everything else: the key, the lookup, the compiler on a miss. The answer to send.
  virtual asio::awaitable<protocol::CompileFinished> serve() = 0;
  // Whether serve() left anything to write once the answer has gone back.
  virtual bool has_writes() const = 0;
  // Writes it (an entry, a manifest). `busy` was taken before the answer went out, so a shutdown
  // waits for these writes.
  virtual asio::awaitable<void> write(std::unique_ptr<Service::WorkGuard> busy) = 0;
};

// A family's answer to a request for its compiler.
struct NotACompile {};  // linking, --version, a probe: passed back to the client, counted
struct NotCached {
  std::string reason;  // the stats key under "Non-cacheable reasons"
};
using Admission = std::variant<std::unique_ptr<FamilyCompile>, NotACompile, NotCached>;

class CompilerFamily {
 public:
  virtual ~CompilerFamily() = default;
  // nullopt when `request.exe` is not this family's compiler. Takes the request (moves from it)
  // only when it returns a FamilyCompile.
  virtual asio::awaitable<std::optional<Admission>> admit(protocol::Compile& request) = 0;
};

}  // namespace sccache::server
