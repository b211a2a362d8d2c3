#pragma once
// The what-if form: which policies to run, and the scenario's key numbers and knobs (node
// counts, arrival rates, replications, seed, duration, keepAlive, minScale/maxScale,
// queueDepth, ...). An edit is applied only if the loader accepts the scenario with it; its
// message shows otherwise, and the field goes back to what it was.

#include <QWidget>

#include <string>
#include <vector>

#include "gui/scenario_session.hpp"

class QFormLayout;
class QLabel;
class QListWidget;

namespace kt::gui {

class EditPanel : public QWidget {
  Q_OBJECT

 public:
  explicit EditPanel(QWidget* parent = nullptr);
  void show_session(ScenarioSession* session);
  std::vector<std::string> selected_policies() const;
  // Applies one edit as the form does; "" or the loader's message (shown under the form).
  std::string apply(const std::string& path, const std::string& value);
  QLabel* message() const { return message_; }

 signals:
  void edited();

 private:
  void rebuild();
  ScenarioSession* session_ = nullptr;
  QListWidget* policies_ = nullptr;
  QWidget* form_host_ = nullptr;
  QLabel* message_ = nullptr;
};

}  // namespace kt::gui
