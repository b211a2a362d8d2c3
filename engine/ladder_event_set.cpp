#include "engine/ladder_event_set.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace kt {
namespace {

// Exact overflow-free arithmetic for the rung end; __extension__ keeps -Wpedantic quiet.
__extension__ typedef unsigned __int128 U128;

// Latest first; a functor (not a function pointer) so that std::sort and the heaps inline it.
struct Later {
  bool operator()(const Event& a, const Event& b) const { return event_before(b, a); }
};
constexpr Later later{};

}  // namespace

LadderEventSet::LadderEventSet()
    : top_start_(std::numeric_limits<SimTime>::min()), rungs_(kMaxRungs) {}

std::uint32_t LadderEventSet::grow() {
  if (slots_used_ == kNil) throw std::length_error("event set holds 2^32-1 events");
  if ((slots_used_ >> kBlockBits) == blocks_.size()) blocks_.push_back(std::make_unique<Block>());
  return slots_used_++;
}

void LadderEventSet::bucket_insert(Rung& rung, std::uint32_t slot, SimTime time) {
  // A multiplication instead of a 64-bit division; the estimate is off by at most one bucket
  // and is corrected exactly.
  const SimTime offset = time - rung.start;
  auto b = static_cast<std::uint32_t>(
      std::min(static_cast<double>(offset) * rung.inverse_width, rung.buckets - 1.0));
  const SimTime low = static_cast<SimTime>(b) * rung.width;
  if (offset < low) {
    --b;
  } else if (offset - low >= rung.width) {
    ++b;
  }
  link(slot) = rung.head[b];
  rung.head[b] = slot;
}

void LadderEventSet::push(const Event& ev) {
  ++size_;
  if (ev.time >= top_start_) {
    const std::uint32_t slot = allocate(ev);
    link(slot) = top_head_;
    top_head_ = slot;
    if (top_count_ == 0) {
      top_min_ = top_max_ = ev.time;
    } else {
      top_min_ = std::min(top_min_, ev.time);
      top_max_ = std::max(top_max_, ev.time);
    }
    ++top_count_;
    return;
  }
  // The coarsest rung whose unhanded part covers the time takes it; earlier times belong to
  // the bucket being served, i.e. the bottom.
  for (std::size_t r = 0; r < active_rungs_; ++r) {
    Rung& rung = rungs_[r];
    if (ev.time >= rung.cur_start()) {
      bucket_insert(rung, allocate(ev), ev.time);
      return;
    }
  }
  bottom_push(ev);
}

void LadderEventSet::bottom_push(const Event& ev) {
  if (!bottom_is_heap_ && bottom_.size() >= kScanLimit) {
    std::make_heap(bottom_.begin(), bottom_.end(), later);
    bottom_is_heap_ = true;
  }
  bottom_.push_back(ev);
  if (bottom_is_heap_) {
    std::push_heap(bottom_.begin(), bottom_.end(), later);
  } else if (bottom_min_ != kStale && event_before(ev, bottom_[bottom_min_])) {
    bottom_min_ = bottom_.size() - 1;
  }
}

void LadderEventSet::scan_bottom() {
  std::size_t best = 0;
  for (std::size_t i = 1; i < bottom_.size(); ++i) {
    if (event_before(bottom_[i], bottom_[best])) best = i;
  }
  bottom_min_ = best;
}

Event LadderEventSet::bottom_pop() {
  Event ev;
  if (bottom_is_heap_) {
    std::pop_heap(bottom_.begin(), bottom_.end(), later);
    ev = bottom_.back();
  } else {
    if (bottom_min_ == kStale) scan_bottom();
    ev = bottom_[bottom_min_];
    bottom_[bottom_min_] = bottom_.back();
    bottom_min_ = kStale;
  }
  bottom_.pop_back();
  --size_;
  return ev;
}

Event LadderEventSet::pop() {
  if (bottom_.empty()) refill();
  return bottom_pop();
}

bool LadderEventSet::pop_before(SimTime end, Event& out) {
  if (size_ == 0) return false;
  if (bottom_.empty()) refill();
  if (bottom_front().time >= end) return false;
  out = bottom_pop();
  return true;
}

void LadderEventSet::reset_rung(Rung& rung, SimTime start, SimTime range, std::uint32_t events) {
  // About one event per bucket; `width * buckets > range` so that the last event fits.
  const std::uint32_t buckets = std::max<std::uint32_t>(1, events);
  rung.start = start;
  rung.width = range / buckets + 1;
  rung.inverse_width = 1.0 / static_cast<double>(rung.width);
  rung.buckets = buckets;
  rung.cur = 0;
  rung.head.assign(buckets, kNil);
}

void LadderEventSet::walk(std::uint32_t list) {
  walk_.clear();
  for (; list != kNil; list = link(list))
    walk_.push_back(list);
}

void LadderEventSet::top_to_rung() {
  Rung& rung = rungs_[0];
  reset_rung(rung, top_min_, top_max_ - top_min_, top_count_);
  const U128 end = static_cast<U128>(rung.start) + static_cast<U128>(rung.width) * rung.buckets;
  top_start_ = end >= static_cast<U128>(kTimeMax) ? kTimeMax : static_cast<SimTime>(end);
  walk(top_head_);
  for (std::uint32_t slot : walk_)
    bucket_insert(rung, slot, event(slot).time);
  top_head_ = kNil;
  top_count_ = 0;
  active_rungs_ = 1;
}

void LadderEventSet::fill_bottom() {
  bottom_.reserve(walk_.size());
  for (std::uint32_t slot : walk_)
    bottom_.push_back(event(slot));
  for (std::uint32_t slot : walk_)
    release(slot);
  bottom_min_ = kStale;
  bottom_is_heap_ = bottom_.size() > kScanLimit;
  if (bottom_is_heap_) std::make_heap(bottom_.begin(), bottom_.end(), later);
}

void LadderEventSet::refill() {
  // Precondition: bottom_ is empty and size_ > 0, so some rung or the top holds events.
  for (;;) {
    if (active_rungs_ == 0) top_to_rung();
    Rung& rung = rungs_[active_rungs_ - 1];
    while (rung.cur < rung.buckets && rung.head[rung.cur] == kNil)
      ++rung.cur;
    if (rung.cur == rung.buckets) {
      --active_rungs_;
      continue;
    }
    const std::uint32_t b = rung.cur++;
    walk(rung.head[b]);
    rung.head[b] = kNil;
    if (walk_.size() > kSpawnThreshold && rung.width > 1 && active_rungs_ < kMaxRungs) {
      Rung& child = rungs_[active_rungs_++];
      reset_rung(child, rung.start + static_cast<SimTime>(b) * rung.width, rung.width - 1,
                 static_cast<std::uint32_t>(walk_.size()));
      for (std::uint32_t slot : walk_)
        bucket_insert(child, slot, event(slot).time);
      continue;
    }
    fill_bottom();
    return;
  }
}

std::size_t LadderEventSet::memory_bytes() const {
  std::size_t bytes = blocks_.size() * sizeof(Block) + blocks_.capacity() * sizeof(blocks_[0]) +
                      (bottom_.capacity()) * sizeof(Event) +
                      walk_.capacity() * sizeof(std::uint32_t);
  for (const Rung& r : rungs_)
    bytes += sizeof(Rung) + r.head.capacity() * sizeof(std::uint32_t);
  return bytes;
}

}  // namespace kt
