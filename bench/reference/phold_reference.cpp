// PHOLD written the plain way, as a yardstick: a std::priority_queue of events that carry a
// std::function, one std::mt19937_64 and std::exponential_distribution. Same model and
// parameters as `kubetwin bench phold` (SPEC.md); prints the same last line.
//
// usage: phold-reference [--lps N] [--events-per-lp E] [--remote P] [--end T] [--lookahead L]
//                        [--seed S]

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <queue>
#include <random>
#include <vector>

namespace {

struct Event {
  double time;
  std::uint64_t seq;
  std::function<void()> action;
};

struct Later {
  bool operator()(const Event& a, const Event& b) const {
    return a.time > b.time || (a.time == b.time && a.seq > b.seq);
  }
};

struct Phold {
  std::uint32_t lps = 1024;
  double remote = 0.5;
  double lookahead = 0;
  std::mt19937_64 rng;
  std::exponential_distribution<double> exponential{1.0};
  std::uniform_real_distribution<double> unit{0.0, 1.0};
  std::uniform_int_distribution<std::uint32_t> other_lp;
  std::priority_queue<Event, std::vector<Event>, Later> queue;
  std::vector<std::uint64_t> handled;
  double now = 0;
  std::uint64_t seq = 0;

  void schedule(double time, std::uint32_t lp) {
    queue.push(Event{time, seq++, [this, lp] { handle(lp); }});
  }

  void handle(std::uint32_t lp) {
    ++handled[lp];
    std::uint32_t target = lp;
    double delay = 0;
    if (lps > 1 && unit(rng) < remote) {
      target = other_lp(rng);
      if (target >= lp) ++target;
      delay = lookahead;
    }
    schedule(now + delay + exponential(rng), target);
  }
};

double flag(int argc, char** argv, const char* name, double fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return std::strtod(argv[i + 1], nullptr);
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  Phold model;
  model.lps = static_cast<std::uint32_t>(flag(argc, argv, "--lps", 1024));
  const auto per_lp = static_cast<std::uint32_t>(flag(argc, argv, "--events-per-lp", 16));
  model.remote = flag(argc, argv, "--remote", 0.5);
  model.lookahead = flag(argc, argv, "--lookahead", 0);
  const double end = flag(argc, argv, "--end", 1000);
  model.rng.seed(static_cast<std::uint64_t>(flag(argc, argv, "--seed", 1)));
  model.other_lp =
      std::uniform_int_distribution<std::uint32_t>(0, model.lps > 1 ? model.lps - 2 : 0);
  model.handled.assign(model.lps, 0);

  for (std::uint32_t lp = 0; lp < model.lps; ++lp) {
    for (std::uint32_t e = 0; e < per_lp; ++e)
      model.schedule(model.exponential(model.rng), lp);
  }

  const auto start = std::chrono::steady_clock::now();
  std::uint64_t events = 0;
  while (!model.queue.empty() && model.queue.top().time < end) {
    Event ev = model.queue.top();
    model.queue.pop();
    model.now = ev.time;
    ev.action();
    ++events;
  }
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("reference phold lps=%u events_per_lp=%u remote=%g end=%g lookahead=%g\n", model.lps,
              per_lp, model.remote, end, model.lookahead);
  std::printf("events=%llu wall_s=%.6f events_per_sec=%.0f\n",
              static_cast<unsigned long long>(events), wall_s,
              std::floor(static_cast<double>(events) / wall_s));
  return 0;
}
