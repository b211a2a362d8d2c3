// The event-set contenders under the hold model (Jones, CACM 29(4), 1986): with n events
// pending, pop the earliest and push one at its time + exponential(1 s). This is the access
// pattern of PHOLD and of most simulation models; docs/engine.md records the figures.

#include <benchmark/benchmark.h>

#include "engine/distribution.hpp"
#include "engine/heap_event_sets.hpp"
#include "engine/ladder_event_set.hpp"
#include "engine/random.hpp"

namespace {

kt::SimTime exponential_ns(kt::RandomStream& rng) {
  return static_cast<kt::SimTime>(1e9 * kt::sample_standard_exponential(rng));
}

template <class EventSet>
void BM_Hold(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  kt::RandomStream rng(7, 0, 0);
  EventSet set;
  std::uint32_t seq = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    kt::Event ev;
    ev.time = exponential_ns(rng);
    ev.target = i;
    ev.seq = seq++;
    set.push(ev);
  }
  for (auto _ : state) {
    kt::Event ev = set.pop();
    ev.time += exponential_ns(rng);
    ev.seq = seq++;
    set.push(ev);
  }
  state.counters["bytes_per_event"] =
      static_cast<double>(set.memory_bytes()) / static_cast<double>(set.size());
  state.SetItemsProcessed(state.iterations());
}

// The cost of drawing the increments alone, to subtract from the figures above.
void BM_HoldIncrementOnly(benchmark::State& state) {
  kt::RandomStream rng(7, 0, 0);
  kt::SimTime t = 0;
  for (auto _ : state) {
    t += exponential_ns(rng);
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_Hold<kt::BinaryHeapEventSet>)->RangeMultiplier(16)->Range(1 << 10, 1 << 20);
BENCHMARK(BM_Hold<kt::QuaternaryHeapEventSet>)->RangeMultiplier(16)->Range(1 << 10, 1 << 20);
BENCHMARK(BM_Hold<kt::LadderEventSet>)->RangeMultiplier(16)->Range(1 << 10, 1 << 20);
BENCHMARK(BM_HoldIncrementOnly);

BENCHMARK_MAIN();
