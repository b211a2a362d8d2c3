#pragma once
// The scenario the dashboard has open: loaded with the user's edits applied as `--set`
// settings (scenarios/scenario_edit.hpp), so that the file is never modified unless the user
// saves, and every edit is checked by the loader itself, with its own messages.

#include <string>
#include <utility>
#include <vector>

#include "scenarios/diagnostics.hpp"
#include "scenarios/scenario.hpp"

namespace kt::gui {

// A row of the objects view: what `kubetwin validate` says of one object.
struct ObjectLine {
  std::string id;        // Kind/name
  std::string handling;  // "cluster", or "not simulated: why"
  bool simulated = true;
  scenario::SourcePos pos;
};

// A field of the edit form: a scenario field by its --set path, its value now ("" for a knob
// the policy leaves to the manifests, placement and quantumQueue: no value writes that), and
// the values it may take when they are few (a policy knob's).
struct EditableField {
  std::string group;  // "Scenario", "Policy baseline", "Workload web", "Node pools", ...
  std::string label;
  std::string path;
  std::string value;
  std::vector<std::string> choices;
};

class ScenarioSession {
 public:
  // Loads `path` with no edits; false (diagnostics() says why) when it is not a valid scenario.
  bool open(const std::string& path);
  bool is_open() const { return loaded_; }
  const std::string& path() const { return path_; }
  const scenario::Scenario& scenario() const { return scenario_; }
  const scenario::Diagnostics& diagnostics() const { return diags_; }
  std::vector<ObjectLine> objects() const;
  std::vector<EditableField> fields() const;

  // Sets PATH to VALUE if the scenario loads with it; otherwise changes nothing and returns
  // the loader's first error as "file:line:col: message".
  std::string set(const std::string& path, const std::string& value);
  // What set() would answer, without applying the edit (the form checks as the user types).
  std::string check(const std::string& path, const std::string& value) const;
  const std::vector<std::pair<std::string, std::string>>& edits() const { return edits_; }

  // The scenario file's text with the edits applied, to be saved as `save_to` (relative paths
  // rewritten for its folder): yaml-cpp drops comments, which `comments_lost` then says.
  std::string edited_text(const std::string& save_to, bool& comments_lost) const;

 private:
  // The edits with PATH set to VALUE (replacing an earlier edit of PATH).
  std::vector<std::pair<std::string, std::string>> with_edit(const std::string& path,
                                                             const std::string& value) const;
  bool reload(const std::vector<std::pair<std::string, std::string>>& edits,
              scenario::Diagnostics& diags, scenario::Scenario& out) const;
  std::string path_;
  bool loaded_ = false;
  scenario::Scenario scenario_;
  scenario::Diagnostics diags_;
  std::vector<std::pair<std::string, std::string>> edits_;
};

}  // namespace kt::gui
