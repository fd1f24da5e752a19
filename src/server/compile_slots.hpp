#pragma once
// The server's own job slots: compiles it runs for clients without a make jobserver (ninja, a
// plain loop, an IDE) run at most as many at once as the machine has cores, as Mozilla's server
// does with its own jobserver. Waiting costs nothing on the I/O thread: a waiter is a coroutine
// parked on a timer that never fires until a slot is handed to it, first come first served. All
// calls from the I/O thread.
#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <deque>
#include <functional>
#include <memory>

namespace sccache::server {

class CompileSlots {
 public:
  CompileSlots(asio::io_context& io, unsigned capacity);

  // Held while a compile runs; handed to the next waiter when dropped.
  class Slot {
   public:
    explicit Slot(CompileSlots* owner) : m_owner(owner) {}
    Slot(Slot&& other) noexcept : m_owner(std::exchange(other.m_owner, nullptr)) {}
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (m_owner) m_owner->release();
    }

   private:
    CompileSlots* m_owner;
  };

  // A slot, at once when one is free; else `on_wait` is called, then the slot comes when one is.
  asio::awaitable<Slot> acquire(const std::function<void()>& on_wait);

  unsigned capacity() const { return m_capacity; }
  unsigned in_use() const { return m_in_use; }
  std::size_t waiting() const { return m_waiters.size(); }

 private:
  void release();

  asio::io_context& m_io;
  unsigned m_capacity;
  unsigned m_in_use = 0;
  std::deque<std::shared_ptr<asio::steady_timer>> m_waiters;
};

}  // namespace sccache::server
