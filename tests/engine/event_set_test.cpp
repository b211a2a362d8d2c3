#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "engine/heap_event_sets.hpp"
#include "engine/ladder_event_set.hpp"
#include "engine/random.hpp"

namespace kt {
namespace {

template <class T>
class EventSetTest : public ::testing::Test {};

using EventSets = ::testing::Types<BinaryHeapEventSet, QuaternaryHeapEventSet, LadderEventSet>;
TYPED_TEST_SUITE(EventSetTest, EventSets);

Event make(SimTime time, LpId source, std::uint32_t seq, LpId target = 0) {
  Event ev;
  ev.time = time;
  ev.source = source;
  ev.seq = seq;
  ev.target = target;
  return ev;
}

TYPED_TEST(EventSetTest, PopsInTimeOrder) {
  TypeParam set;
  for (SimTime t : {50, 10, 40, 20, 30})
    set.push(make(t, 0, static_cast<std::uint32_t>(t)));
  std::vector<SimTime> order;
  while (!set.empty())
    order.push_back(set.pop().time);
  EXPECT_EQ(order, (std::vector<SimTime>{10, 20, 30, 40, 50}));
}

TYPED_TEST(EventSetTest, PeekShowsWhatPopReturns) {
  TypeParam set;
  RandomStream rng(4, 0, 0);
  for (std::uint32_t i = 0; i < 1000; ++i) {
    set.push(make(static_cast<SimTime>(rng.next_below(100000)), 0, i));
  }
  while (!set.empty()) {
    const Event seen = set.peek();
    const Event popped = set.pop();
    ASSERT_EQ(seen.time, popped.time);
    ASSERT_EQ(seen.seq, popped.seq);
  }
}

TYPED_TEST(EventSetTest, BreaksTiesBySourceThenSequence) {
  TypeParam set;
  set.push(make(5, 2, 0));
  set.push(make(5, 1, 7));
  set.push(make(5, 1, 3));
  set.push(make(5, 0, 9));
  set.push(make(4, 9, 9));
  std::vector<std::pair<LpId, std::uint32_t>> order;
  while (!set.empty()) {
    const Event ev = set.pop();
    order.emplace_back(ev.source, ev.seq);
  }
  const std::vector<std::pair<LpId, std::uint32_t>> expected{
      {9, 9}, {0, 9}, {1, 3}, {1, 7}, {2, 0}};
  EXPECT_EQ(order, expected);
}

TYPED_TEST(EventSetTest, ManySimultaneousEventsKeepTheTotalOrder) {
  // One instant for everything: the ladder cannot split such a bucket and falls back to a heap.
  TypeParam set;
  RandomStream rng(11, 0, 0);
  std::vector<Event> all;
  for (std::uint32_t i = 0; i < 5000; ++i) {
    all.push_back(make(1000, static_cast<LpId>(rng.next_below(50)), i));
    set.push(all.back());
  }
  std::sort(all.begin(), all.end(), event_before);
  for (const Event& expected : all) {
    const Event got = set.pop();
    ASSERT_EQ(got.source, expected.source);
    ASSERT_EQ(got.seq, expected.seq);
  }
  EXPECT_TRUE(set.empty());
}

// The hold model plus bursts, far-future events and same-time inserts, checked step by step
// against a sorted reference: every pop must return exactly the reference's minimum.
TYPED_TEST(EventSetTest, MatchesReferenceOnLargeRandomWorkload) {
  TypeParam set;
  std::vector<Event> reference;  // kept as a min-heap under event_before
  auto later = [](const Event& a, const Event& b) { return event_before(b, a); };
  RandomStream rng(2024, 0, 0);
  std::uint32_t seq = 0;
  SimTime now = 0;
  auto push = [&](SimTime t) {
    const Event ev = make(t, static_cast<LpId>(rng.next_below(1000)), seq++,
                          static_cast<LpId>(rng.next_below(1000)));
    set.push(ev);
    reference.push_back(ev);
    std::push_heap(reference.begin(), reference.end(), later);
  };
  for (int i = 0; i < 20000; ++i)
    push(static_cast<SimTime>(rng.next_below(kSecond)));
  for (int step = 0; step < 300000; ++step) {
    ASSERT_EQ(set.size(), reference.size());
    if (!reference.empty() && rng.next_below(100) < 50) {
      std::pop_heap(reference.begin(), reference.end(), later);
      const Event expected = reference.back();
      reference.pop_back();
      const Event got = set.pop();
      ASSERT_EQ(got.time, expected.time) << "step " << step;
      ASSERT_EQ(got.source, expected.source) << "step " << step;
      ASSERT_EQ(got.seq, expected.seq) << "step " << step;
      ASSERT_EQ(got.target, expected.target) << "step " << step;
      now = got.time;
      continue;
    }
    switch (rng.next_below(5)) {
      case 0:  // at the current instant
        push(now);
        break;
      case 1:  // very near
        push(now + static_cast<SimTime>(rng.next_below(1000)));
        break;
      case 2:  // far future
        push(now + static_cast<SimTime>(rng.next_below(1000 * kSecond)));
        break;
      default:  // hold-model increment
        push(now + static_cast<SimTime>(rng.next_below(2 * kSecond)));
    }
  }
  while (!reference.empty()) {
    std::pop_heap(reference.begin(), reference.end(), later);
    const Event got = set.pop();
    ASSERT_EQ(got.time, reference.back().time);
    ASSERT_EQ(got.seq, reference.back().seq);
    reference.pop_back();
  }
  EXPECT_TRUE(set.empty());
}

TEST(LadderEventSet, PopBeforeLeavesLaterEventsPending) {
  LadderEventSet set;
  set.push(make(10, 0, 0));
  set.push(make(20, 0, 1));
  Event ev;
  ASSERT_TRUE(set.pop_before(15, ev));
  EXPECT_EQ(ev.time, 10);
  EXPECT_FALSE(set.pop_before(20, ev));
  EXPECT_EQ(set.size(), 1u);
  ASSERT_TRUE(set.pop_before(21, ev));
  EXPECT_FALSE(set.pop_before(kTimeMax, ev));
}

TEST(LadderEventSet, HandlesExtremeTimes) {
  LadderEventSet set;
  set.push(make(kTimeMax - 1, 0, 0));
  set.push(make(0, 0, 1));
  set.push(make(kTimeMax / 2, 0, 2));
  EXPECT_EQ(set.pop().time, 0);
  set.push(make(1, 0, 3));
  EXPECT_EQ(set.pop().time, 1);
  EXPECT_EQ(set.pop().time, kTimeMax / 2);
  EXPECT_EQ(set.pop().time, kTimeMax - 1);
  EXPECT_TRUE(set.empty());
}

TEST(LadderEventSet, ReusesMemoryInSteadyState) {
  LadderEventSet set;
  RandomStream rng(5, 0, 0);
  for (int i = 0; i < 65536; ++i) {
    set.push(make(static_cast<SimTime>(rng.next_below(kSecond)), 0, 0));
  }
  for (int i = 0; i < 200000; ++i) {
    Event ev = set.pop();
    ev.time += static_cast<SimTime>(rng.next_below(kSecond));
    set.push(ev);
  }
  // 32-byte events, 4-byte links, about one 4-byte bucket head per event, a few spare blocks.
  EXPECT_LE(set.memory_bytes() / set.size(), 48u);
}

}  // namespace
}  // namespace kt
