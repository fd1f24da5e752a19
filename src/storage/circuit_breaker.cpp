#include "storage/circuit_breaker.hpp"

#include <algorithm>

namespace sccache::storage {

bool CircuitBreaker::allow(Clock::time_point now) {
  std::lock_guard lock(m_mutex);
  if (m_failures_in_a_row < k_trip_after) return true;
  if (now < m_open_until || m_probing) return false;
  m_probing = true;  // only one call tests the water; the others keep skipping
  return true;
}

void CircuitBreaker::record_success() {
  std::lock_guard lock(m_mutex);
  m_failures_in_a_row = 0;
  m_cool_down = k_first_cool_down;
  m_probing = false;
}

bool CircuitBreaker::record_failure(Clock::time_point now) {
  std::lock_guard lock(m_mutex);
  bool was_probe = m_probing;
  m_probing = false;
  if (++m_failures_in_a_row < k_trip_after) return false;
  if (was_probe) m_cool_down = std::min(m_cool_down * 2, k_max_cool_down);
  bool opened = now >= m_open_until;
  m_open_until = now + m_cool_down;
  return opened;
}

bool CircuitBreaker::is_open(Clock::time_point now) const {
  std::lock_guard lock(m_mutex);
  return m_failures_in_a_row >= k_trip_after && (now < m_open_until || m_probing);
}

}  // namespace sccache::storage
