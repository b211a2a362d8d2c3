// M/M/1 and M/M/c queues built directly on the engine, against queueing theory:
//   M/M/1: Wq = rho / (mu - lambda)
//   M/M/c: Wq = C(c, a) / (c mu - lambda), C the Erlang C probability of waiting, a = lambda/mu
// and Little's law Lq = lambda Wq on the simulated queue. Each check uses 20 independent
// replications and passes when the theory lies within 3 standard errors of their mean.

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <vector>

#include "engine/distribution.hpp"
#include "engine/replication.hpp"
#include "engine/simulation.hpp"
#include "engine/statistics.hpp"

namespace kt {
namespace {

enum : EventKind { kArrival = 1, kDeparture = 2, kWarmupEnd = 3 };

// One FIFO station with c servers; Poisson arrivals, exponential service.
class MmcStation final : public LogicalProcess {
 public:
  MmcStation(double lambda, double mu, int servers)
      : interarrival_(Distribution::exponential(1 / lambda)),
        service_(Distribution::exponential(1 / mu)),
        servers_(servers) {}

  void handle(const Event& ev, Context& ctx) override {
    const SimTime now = ctx.now();
    switch (ev.kind) {
      case kArrival:
        ctx.schedule_in(ctx.self(), from_seconds(interarrival_.sample(ctx.rng())), kArrival);
        if (busy_ < servers_) {
          start_service(now, now, ctx);
        } else {
          queue_.push_back(now);
          queue_length_.set(now, static_cast<double>(queue_.size()));
        }
        break;
      case kDeparture:
        if (queue_.empty()) {
          --busy_;
        } else {
          const SimTime arrived = queue_.front();
          queue_.pop_front();
          queue_length_.set(now, static_cast<double>(queue_.size()));
          --busy_;
          start_service(arrived, now, ctx);
        }
        break;
      case kWarmupEnd:
        measuring_ = true;
        queue_length_.restart(now);
        break;
    }
  }

  double mean_wait_s() const { return waits_.mean(); }
  double mean_queue_length(SimTime now) const { return queue_length_.mean(now); }

 private:
  void start_service(SimTime arrived, SimTime now, Context& ctx) {
    ++busy_;
    if (measuring_) waits_.add(to_seconds(now - arrived));
    ctx.schedule_in(ctx.self(), from_seconds(service_.sample(ctx.rng())), kDeparture);
  }

  Distribution interarrival_;
  Distribution service_;
  int servers_;
  int busy_ = 0;
  bool measuring_ = false;
  std::deque<SimTime> queue_;
  TimeWeighted queue_length_;
  SampleStats waits_;
};

double erlang_c(int c, double a) {
  // P(wait) = (a^c / c!) (c / (c - a)) / (sum_{k<c} a^k / k! + (a^c / c!) (c / (c - a))).
  double term = 1;  // a^k / k!
  double sum = 0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double last = term * c / (c - a);
  return last / (sum + last);
}

struct Replicated {
  std::vector<double> wait;
  std::vector<double> little_gap;  // Lq - lambda Wq per replication
};

Replicated run_station(double lambda, double mu, int servers, double customers, int reps) {
  Replicated out;
  const SimTime warmup = from_seconds(customers / lambda / 20);
  const SimTime end = from_seconds(customers / lambda);
  for (int r = 0; r < reps; ++r) {
    Simulation sim(2024, static_cast<std::uint64_t>(r));
    MmcStation station(lambda, mu, servers);
    const LpId id = sim.add(station);
    sim.schedule(id, 0, kArrival);
    sim.schedule(id, warmup, kWarmupEnd);
    sim.run_until(end);
    out.wait.push_back(station.mean_wait_s());
    out.little_gap.push_back(station.mean_queue_length(end) - lambda * station.mean_wait_s());
  }
  return out;
}

double standard_error(const std::vector<double>& xs) {
  return summarize(xs).stddev / std::sqrt(static_cast<double>(xs.size()));
}

void check_station(double lambda, double mu, int servers, double customers) {
  const double a = lambda / mu;
  const double theory = erlang_c(servers, a) / (servers * mu - lambda);
  const Replicated r = run_station(lambda, mu, servers, customers, 20);
  const ReplicationSummary wait = summarize(r.wait);
  const double se = standard_error(r.wait);
  EXPECT_NEAR(wait.mean, theory, 3 * se)
      << "M/M/" << servers << " rho=" << a / servers << ": simulated Wq " << wait.mean
      << " s, theory " << theory << " s, SE " << se;
  // Little's law on the same runs.
  const ReplicationSummary gap = summarize(r.little_gap);
  EXPECT_NEAR(gap.mean, 0, 3 * standard_error(r.little_gap))
      << "Lq - lambda Wq = " << gap.mean << " for M/M/" << servers;
  // A model that is only roughly right must not pass: the SE is a few percent of Wq at most.
  EXPECT_LT(se, 0.05 * theory);
}

TEST(QueueValidation, ErlangCMatchesClosedFormForOneServer) {
  // For c = 1, C(1, rho) = rho, so Wq = rho / (mu - lambda).
  EXPECT_NEAR(erlang_c(1, 0.9), 0.9, 1e-12);
  EXPECT_NEAR(erlang_c(2, 1.0), 1.0 / 3, 1e-12);  // textbook value for M/M/2 at rho = 0.5
}

TEST(QueueValidation, MM1AtHalfLoad) {
  check_station(0.5, 1.0, 1, 100000);
}
TEST(QueueValidation, MM1AtNinetyPercentLoad) {
  check_station(0.9, 1.0, 1, 400000);
}
TEST(QueueValidation, MMcAtHalfLoad) {
  check_station(2.0, 1.0, 4, 100000);
}
TEST(QueueValidation, MMcAtNinetyPercentLoad) {
  check_station(3.6, 1.0, 4, 400000);
}

}  // namespace
}  // namespace kt
