#pragma once
// The network between regions and edge sites: a Boost.Graph with a latency per link, shortest
// paths by Dijkstra, and links that fail dropping out of the graph until they recover. An edge
// site is a stub: paths may start or end there but never pass through it (a factory with two
// uplinks does not carry traffic between the regions they reach).

#include <cstdint>
#include <string>
#include <vector>

#include "engine/time.hpp"

namespace kt::multicloud {

class LatencyGraph {
 public:
  // Places (regions, edge sites) are numbered in the order they are added.
  std::size_t add_place(const std::string& name, bool stub = false);
  void add_link(std::size_t a, std::size_t b, SimTime latency);
  void set_link_up(std::size_t a, std::size_t b, bool up);

  std::size_t places() const { return names_.size(); }
  const std::string& name(std::size_t place) const { return names_[place]; }
  std::size_t index_of(const std::string& name) const;  // places() when unknown

  // One-way latency of the shortest path over the links that are up; kTimeMax when the two
  // places are disconnected. Recomputed lazily after a change. Inline: a fleet asks it two or
  // three times per request.
  SimTime latency(std::size_t from, std::size_t to) {
    if (from == to) return 0;
    if (dirty_) recompute();
    return distances_[from * names_.size() + to];
  }

 private:
  struct Link {
    std::size_t a;
    std::size_t b;
    SimTime latency;
    bool up;
  };
  void recompute();
  std::vector<std::string> names_;
  std::vector<std::uint8_t> stub_;
  std::vector<Link> links_;
  std::vector<SimTime> distances_;  // places x places
  bool dirty_ = true;
};

}  // namespace kt::multicloud
