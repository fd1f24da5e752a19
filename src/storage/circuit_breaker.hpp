#pragma once
// Keeps a remote that keeps failing out of the compile path for a while. After k_trip_after
// failures in a row the breaker opens: calls are skipped (a miss, at no cost) until the cool-down
// ends; then one call goes through as a probe. Success closes it; another failure reopens it with
// the cool-down doubled, up to k_max_cool_down. Without it, a frozen remote would cost a timeout on
// the manifest read and another on the entry read of every compile.
#include <chrono>
#include <mutex>

namespace sccache::storage {

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int k_trip_after = 3;
  static constexpr std::chrono::seconds k_first_cool_down{5};
  static constexpr std::chrono::seconds k_max_cool_down{120};

  // Whether a call may go to the remote now (false while open, until the cool-down ends).
  bool allow(Clock::time_point now = Clock::now());
  void record_success();
  // Returns true when this failure opened the breaker (for a one-time log line).
  bool record_failure(Clock::time_point now = Clock::now());
  bool is_open(Clock::time_point now = Clock::now()) const;

 private:
  mutable std::mutex m_mutex;
  int m_failures_in_a_row = 0;
  std::chrono::seconds m_cool_down = k_first_cool_down;
  Clock::time_point m_open_until{};
  bool m_probing = false;  // the cool-down ended and one probe call is out
};

}  // namespace sccache::storage
