#include "scenarios/yaml_writer.hpp"

namespace kt::scenario {

void emit_as_written(YAML::Emitter& e, const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      e << YAML::BeginMap;
      for (const auto& kv : n) {
        e << YAML::Key;
        emit_as_written(e, kv.first);
        e << YAML::Value;
        emit_as_written(e, kv.second);
      }
      e << YAML::EndMap;
      break;
    case YAML::NodeType::Sequence:
      e << YAML::BeginSeq;
      for (const YAML::Node& item : n)
        emit_as_written(e, item);
      e << YAML::EndSeq;
      break;
    case YAML::NodeType::Scalar:
      if (n.Tag() == "!") {
        e << YAML::DoubleQuoted << n.Scalar();
      } else {
        e << n.Scalar();
      }
      break;
    default:
      e << YAML::Null;
  }
}

std::string yaml_text(const YAML::Node& n) {
  YAML::Emitter e;
  emit_as_written(e, n);
  return e.c_str();
}

}  // namespace kt::scenario
