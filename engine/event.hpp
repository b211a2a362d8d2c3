#pragma once
// Events are plain data: 32 bytes, trivially copyable, no ownership, no callbacks.

#include <cstdint>
#include <type_traits>

#include "engine/time.hpp"

namespace kt {

using LpId = std::uint32_t;
using EventKind = std::uint16_t;

inline constexpr LpId kNoLp = 0xFFFF'FFFFu;

struct Event {
  SimTime time = 0;       // when it happens
  LpId target = 0;        // who handles it
  LpId source = 0;        // who scheduled it (part of the tie-break order)
  std::uint32_t seq = 0;  // per-source sequence number (part of the tie-break order)
  EventKind kind = 0;     // model-defined meaning
  std::uint16_t aux = 0;  // small model-defined extra
  // Model-defined: an index into the LP's own pool, or a value (64 bits, so a duration or a
  // time fits; an arriving request carries its service demand this way).
  std::uint64_t payload = 0;
};

static_assert(sizeof(Event) == 32, "events are half a cache line");
static_assert(std::is_trivially_copyable_v<Event>);

// The total order on events: (time, source LP, per-source sequence). Two events that share all
// three would be the same event, so the order is strict and independent of how LPs are
// partitioned or how the event set breaks ties internally.
inline bool event_before(const Event& a, const Event& b) {
  if (a.time != b.time) return a.time < b.time;
  if (a.source != b.source) return a.source < b.source;
  return a.seq < b.seq;
}

}  // namespace kt
