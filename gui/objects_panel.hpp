#pragma once
// What the scenario loaded: a tree of its objects and what each became (the `validate`
// view; "not simulated: why" in grey), the problems found with their file:line, and the
// source around a line when a problem or an object is clicked.

#include <QWidget>

#include "gui/scenario_session.hpp"

class QListWidget;
class QPlainTextEdit;
class QTreeWidget;

namespace kt::gui {

class ObjectsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ObjectsPanel(QWidget* parent = nullptr);
  void show_session(const ScenarioSession& session);
  void show_source(const std::string& file, int line);
  QTreeWidget* tree() const { return tree_; }
  QListWidget* problems() const { return problems_; }
  QPlainTextEdit* source() const { return source_; }

 private:
  QTreeWidget* tree_ = nullptr;
  QListWidget* problems_ = nullptr;
  QPlainTextEdit* source_ = nullptr;
};

}  // namespace kt::gui
