#pragma once
// A Deployment that consumes a Kafka topic, scaled by a KEDA ScaledObject with the kafka
// trigger (kedacore/keda @8b4f083ca: pkg/scalers/kafka_scaler.go,
// pkg/scaling/executor/scale_scaledobjects.go; ../docs/models/serverless.md, "KEDA").

#include <cstdint>

#include "engine/time.hpp"
#include "models/autoscaling/hpa.hpp"

namespace kt::serverless {

struct KafkaScaling {
  std::uint32_t partitions = 1;  // of the topic (the scenario's workload says how many)
  double lag_threshold = 10;     // lagThreshold: the HPA's AverageValue target
  double activation_lag_threshold = 0;
  bool allow_idle_consumers = false;  // else the lag is capped at partitions x lagThreshold
  std::int32_t min_replicas = 0;      // minReplicaCount
  std::int32_t max_replicas = 100;    // maxReplicaCount
  SimTime polling_interval = 30 * kSecond;
  SimTime cooldown_period = 300 * kSecond;
  // The HPA KEDA creates (min max(1, minReplicaCount), one External metric, the cluster's
  // defaults: 15 s sync, 300 s downscale stabilisation, tolerance 0.1).
  autoscaling::HpaConfig hpa;
};

}  // namespace kt::serverless
