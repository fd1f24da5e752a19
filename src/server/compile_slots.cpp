#include "server/compile_slots.hpp"

#include <algorithm>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

namespace sccache::server {

CompileSlots::CompileSlots(asio::io_context& io, unsigned capacity)
    : m_io(io), m_capacity(std::max(1u, capacity)) {}

asio::awaitable<CompileSlots::Slot> CompileSlots::acquire(const std::function<void()>& on_wait) {
  if (m_in_use < m_capacity) {
    ++m_in_use;
    co_return Slot(this);
  }
  on_wait();
  auto wake = std::make_shared<asio::steady_timer>(m_io, asio::steady_timer::time_point::max());
  m_waiters.push_back(wake);
  asio::error_code ec;
  // Cancelled by release(), which hands its slot over (m_in_use stays as it is). A server that
  // stops with waiters left destroys them with the io_context: they never resume.
  co_await wake->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  co_return Slot(this);
}

void CompileSlots::release() {
  if (m_waiters.empty()) {
    --m_in_use;
    return;
  }
  auto next = std::move(m_waiters.front());
  m_waiters.pop_front();
  next->cancel();
}

}  // namespace sccache::server
