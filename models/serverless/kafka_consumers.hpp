#pragma once
// Kafka consumer groups scaled by KEDA, as a fleet component. Each message a producer
// workload writes goes to a partition (round-robin: the keyless producer's spread); the
// group's ready consumer pods share the partitions as Kafka's default range assignor gives
// them (contiguous blocks; consumers beyond the partition count idle), and each consumer
// handles one message at a time from its partitions in turn (the poll loop). The lag is what
// is written and not yet handled. KEDA polls it every pollingInterval: a group at zero with
// lag is scaled to max(1, minReplicaCount); one without lag for cooldownPeriod is scaled to
// zero; in between KEDA's HPA (every 15 s) proposes ceil(lag / lagThreshold) by the External
// AverageValue rule, with the lag capped at partitions x lagThreshold.

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "models/autoscaling/hpa.hpp"
#include "models/cluster/fleet_component.hpp"
#include "models/serverless/kafka_config.hpp"

namespace kt::models {

class KafkaConsumers final : public FleetComponent {
 public:
  explicit KafkaConsumers(FleetCore& core);

  void start() override;
  void handle(EventKind local_kind, std::uint64_t payload, std::uint16_t aux) override;
  void reconcile(std::uint32_t deployment) override;
  bool on_arrival(std::uint32_t workload, SimTime service) override;
  void on_pod_ready(std::uint32_t pod) override;
  void on_request_done(std::uint32_t pod) override;
  void on_pod_removed(std::uint32_t pod) override;
  void export_metrics(SimTime end, MetricMap& out) override;
  void series_columns(std::vector<std::string>& columns) const override;
  void series_values(std::vector<double>& row) const override;

 private:
  static constexpr EventKind kPoll = 0;       // payload: group; KEDA's polling interval
  static constexpr EventKind kHpaSync = 1;    // payload: group; its HPA's sync period
  static constexpr EventKind kRebalance = 2;  // payload: group; a consumer left

  struct Message {
    std::uint32_t workload;
    SimTime service;
    SimTime written;
  };
  struct Group {
    std::uint32_t deployment = 0;
    std::uint32_t place = 0;
    const serverless::KafkaScaling* cfg = nullptr;
    std::vector<std::deque<Message>> partitions;
    std::size_t next_partition = 0;        // the producer's round-robin
    std::uint64_t in_flight = 0;           // handed to a consumer, not yet done
    std::vector<std::uint32_t> consumers;  // ready pods, by pod id
    std::vector<std::size_t> cursor;       // per consumer: the partition it polls next
    std::optional<autoscaling::Hpa> hpa;
    SimTime last_active = -1;
    std::int32_t replicas = 0;
    std::uint64_t lag_max = 0;
  };

  Group& group_of(std::uint32_t deployment) { return groups_[group_index_[deployment]]; }
  std::uint64_t lag(const Group& g) const;
  void poll(Group& g);
  void hpa_sync(Group& g);
  void scale(Group& g, std::int32_t replicas);
  void rebalance(Group& g);
  void consume(Group& g, std::size_t consumer);
  // The partitions of consumer `c` of `n` by the range assignor: [first, last).
  std::pair<std::size_t, std::size_t> range(const Group& g, std::size_t c) const;

  std::vector<Group> groups_;
  std::vector<std::uint32_t> group_index_;  // per Deployment
};

}  // namespace kt::models
