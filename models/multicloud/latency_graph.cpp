#include "models/multicloud/latency_graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

namespace kt::multicloud {

std::size_t LatencyGraph::add_place(const std::string& name) {
  names_.push_back(name);
  dirty_ = true;
  return names_.size() - 1;
}

void LatencyGraph::add_link(std::size_t a, std::size_t b, SimTime latency) {
  links_.push_back({a, b, latency, true});
  dirty_ = true;
}

void LatencyGraph::set_link_up(std::size_t a, std::size_t b, bool up) {
  for (Link& l : links_) {
    if ((l.a == a && l.b == b) || (l.a == b && l.b == a)) l.up = up;
  }
  dirty_ = true;
}

std::size_t LatencyGraph::index_of(const std::string& name) const {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return names_.size();
}

void LatencyGraph::recompute() {
  using Graph =
      boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                            boost::property<boost::edge_weight_t, SimTime>>;
  const std::size_t n = names_.size();
  Graph g(n);
  for (const Link& l : links_) {
    if (l.up) boost::add_edge(l.a, l.b, l.latency, g);
  }
  distances_.assign(n * n, kTimeMax);
  std::vector<SimTime> dist(n);
  for (std::size_t s = 0; s < n; ++s) {
    boost::dijkstra_shortest_paths(
        g, s,
        boost::distance_map(
            boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, g)))
            .distance_inf(kTimeMax));
    for (std::size_t t = 0; t < n; ++t)
      distances_[s * n + t] = dist[t];
  }
  dirty_ = false;
}

}  // namespace kt::multicloud
