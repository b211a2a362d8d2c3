#pragma once
// Two heap-based event sets kept as contenders and as references for the event-set benchmark
// (bench/event_set_bench.cpp) and tests. The engine uses LadderEventSet (docs/engine.md).

#include <algorithm>
#include <cstddef>
#include <vector>

#include "engine/event.hpp"

namespace kt {

// std::push_heap / std::pop_heap over a vector: the textbook baseline.
class BinaryHeapEventSet {
 public:
  void push(const Event& ev) {
    heap_.push_back(ev);
    std::push_heap(heap_.begin(), heap_.end(), later);
  }
  const Event& peek() const { return heap_.front(); }
  Event pop() {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    Event ev = heap_.back();
    heap_.pop_back();
    return ev;
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  std::size_t memory_bytes() const { return heap_.capacity() * sizeof(Event); }

 private:
  static bool later(const Event& a, const Event& b) { return event_before(b, a); }
  std::vector<Event> heap_;
};

// Implicit 4-ary min-heap: half the depth of a binary heap, and the four children of a node
// share two cache lines. Sifts move a hole instead of swapping.
class QuaternaryHeapEventSet {
 public:
  void push(const Event& ev) {
    heap_.push_back(ev);
    std::size_t hole = heap_.size() - 1;
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / 4;
      if (!event_before(ev, heap_[parent])) break;
      heap_[hole] = heap_[parent];
      hole = parent;
    }
    heap_[hole] = ev;
  }
  const Event& peek() const { return heap_.front(); }
  Event pop() {
    const Event top = heap_.front();
    const Event last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return top;
    std::size_t hole = 0;
    for (;;) {
      const std::size_t first = 4 * hole + 1;
      if (first >= n) break;
      const std::size_t end = std::min(first + 4, n);
      std::size_t best = first;
      for (std::size_t c = first + 1; c < end; ++c) {
        if (event_before(heap_[c], heap_[best])) best = c;
      }
      if (!event_before(heap_[best], last)) break;
      heap_[hole] = heap_[best];
      hole = best;
    }
    heap_[hole] = last;
    return top;
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  std::size_t memory_bytes() const { return heap_.capacity() * sizeof(Event); }

 private:
  std::vector<Event> heap_;
};

}  // namespace kt
