#pragma once
// The engine's event set: a ladder queue (Tang, Goh & Thng, "Ladder Queue: An O(1) Priority
// Queue Structure for Large-Scale Discrete Event Simulation", ACM TOMACS 15(3), 2005), on
// integer time, with events in a block pool and buckets as linked lists of pool slots.
//
//   top     unsorted list of far-future events (time >= top_start_)
//   rungs   bucket arrays; rung k+1 subdivides one bucket of rung k that was too full
//   bottom  the events of the current bucket, unsorted; pop takes the earliest by a scan
//
// Pushing is O(1) (prepend to a list); each event is moved a bounded number of times before
// it reaches the bottom, whose size stays below kSpawnThreshold, where a scan for the minimum
// costs less than sorting (measured: docs/engine.md). Only a bucket that cannot be split (all
// events at one instant, or every rung in use) makes a larger bottom; past kScanLimit the
// bottom turns into a binary heap so that every operation stays O(log n).
//
// The list links live in their own array (4 bytes a slot), not in the events: walking a bucket
// then touches only that compact array, and the loads of the events themselves are
// independent of each other, so a walk over cold memory is not a chain of cache misses.
// Measurements against heaps are in docs/engine.md. Event times must be below kTimeMax.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/cache_aligned.hpp"
#include "engine/event.hpp"

namespace kt {

class LadderEventSet {
 public:
  LadderEventSet();

  void push(const Event& ev);
  // Precondition for peek and pop: !empty().
  const Event& peek() {
    if (bottom_.empty()) refill();
    return bottom_front();
  }
  Event pop();
  // Pops the earliest event into `out` if it is earlier than `end`; false otherwise.
  bool pop_before(SimTime end, Event& out);
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  // Bytes held by the structure (pool, links, rungs, bottom), for memory-per-event figures.
  std::size_t memory_bytes() const;

 private:
  static constexpr std::uint32_t kNil = 0xFFFF'FFFFu;
  static constexpr unsigned kBlockBits = 12;  // 4096 slots per pool block
  static constexpr std::uint32_t kBlockMask = (1u << kBlockBits) - 1;
  static constexpr std::uint32_t kSpawnThreshold = 48;  // a fuller bucket gets a child rung
  static constexpr std::size_t kMaxRungs = 8;
  static constexpr std::size_t kScanLimit = 64;
  static constexpr std::size_t kStale = ~std::size_t{0};

  struct Rung {
    SimTime start = 0;
    SimTime width = 1;
    double inverse_width = 1;  // bucket index by multiplication, corrected to be exact
    std::uint32_t buckets = 0;
    std::uint32_t cur = 0;  // buckets before cur have been handed down
    std::vector<std::uint32_t, CacheAlignedAllocator<std::uint32_t>> head;
    SimTime cur_start() const { return start + static_cast<SimTime>(cur) * width; }
  };

  // A pool block keeps events and links apart so that list walks stay within the links.
  struct alignas(kCacheLine) Block {
    Event events[1u << kBlockBits];
    std::uint32_t links[1u << kBlockBits];
  };
  Event& event(std::uint32_t i) { return blocks_[i >> kBlockBits]->events[i & kBlockMask]; }
  std::uint32_t& link(std::uint32_t i) { return blocks_[i >> kBlockBits]->links[i & kBlockMask]; }
  std::uint32_t allocate(const Event& ev) {
    std::uint32_t slot = free_head_;
    if (slot != kNil) {
      free_head_ = link(slot);
    } else {
      slot = grow();
    }
    event(slot) = ev;
    return slot;
  }
  std::uint32_t grow();  // a never-used slot, adding a block when needed
  void release(std::uint32_t i) {
    link(i) = free_head_;
    free_head_ = i;
  }
  void refill();
  void top_to_rung();
  void reset_rung(Rung& rung, SimTime start, SimTime range, std::uint32_t events);
  void bucket_insert(Rung& rung, std::uint32_t slot, SimTime time);
  void walk(std::uint32_t list);  // collects the list's slots into walk_
  void bottom_push(const Event& ev);
  void fill_bottom();
  const Event& bottom_front() {
    if (bottom_is_heap_) return bottom_.front();
    if (bottom_min_ == kStale) scan_bottom();
    return bottom_[bottom_min_];
  }
  void scan_bottom();
  Event bottom_pop();

  std::vector<std::unique_ptr<Block>, CacheAlignedAllocator<std::unique_ptr<Block>>> blocks_;
  std::uint32_t slots_used_ = 0;  // slots ever handed out; the free list recycles the rest
  std::uint32_t free_head_ = kNil;

  std::uint32_t top_head_ = kNil;
  std::uint32_t top_count_ = 0;
  SimTime top_min_ = 0;
  SimTime top_max_ = 0;
  SimTime top_start_;  // events at or after this go to top

  std::vector<Rung, CacheAlignedAllocator<Rung>>
      rungs_;  // kMaxRungs entries, the first active_rungs_ in use
  std::size_t active_rungs_ = 0;

  std::vector<Event, CacheAlignedAllocator<Event>>
      bottom_;  // unsorted, or a min-heap when bottom_is_heap_
  bool bottom_is_heap_ = false;
  std::size_t bottom_min_ = kStale;  // index of the earliest bottom event, when known
  std::vector<std::uint32_t, CacheAlignedAllocator<std::uint32_t>>
      walk_;  // scratch: the slots of the bucket being handed down
  std::size_t size_ = 0;
};

}  // namespace kt
