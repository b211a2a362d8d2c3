#include "gui/objects_panel.hpp"

#include <QFile>
#include <QFont>
#include <QHeaderView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTextStream>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <map>

namespace kt::gui {

ObjectsPanel::ObjectsPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* split = new QSplitter(Qt::Vertical, this);
  tree_ = new QTreeWidget(split);
  tree_->setHeaderLabels({"object", "becomes"});
  tree_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  problems_ = new QListWidget(split);
  source_ = new QPlainTextEdit(split);
  source_->setReadOnly(true);
  source_->setFont(QFont("monospace"));
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  split->setStretchFactor(2, 2);
  layout->addWidget(split);
  const auto open_at = [this](const QVariant& where) {
    const QStringList parts = where.toStringList();
    if (parts.size() == 2) show_source(parts[0].toStdString(), parts[1].toInt());
  };
  connect(problems_, &QListWidget::itemClicked, this,
          [open_at](QListWidgetItem* item) { open_at(item->data(Qt::UserRole)); });
  connect(tree_, &QTreeWidget::itemClicked, this,
          [open_at](QTreeWidgetItem* item, int) { open_at(item->data(0, Qt::UserRole)); });
}

void ObjectsPanel::show_session(const ScenarioSession& session) {
  tree_->clear();
  problems_->clear();
  std::map<std::string, QTreeWidgetItem*> kinds;
  for (const ObjectLine& o : session.objects()) {
    const std::string kind = o.id.substr(0, o.id.find('/'));
    auto& parent = kinds[kind];
    if (!parent) {
      parent = new QTreeWidgetItem(tree_, QStringList{QString::fromStdString(kind)});
      parent->setExpanded(true);
    }
    auto* item = new QTreeWidgetItem(
        parent, QStringList{QString::fromStdString(o.id.substr(o.id.find('/') + 1)),
                            QString::fromStdString(o.handling)});
    item->setData(0, Qt::UserRole,
                  QStringList{QString::fromStdString(o.pos.file), QString::number(o.pos.line)});
    if (!o.simulated) {
      item->setForeground(0, QBrush(Qt::gray));
      item->setForeground(1, QBrush(Qt::gray));
    }
  }
  for (const scenario::Diagnostic& d : session.diagnostics().all()) {
    auto* item =
        new QListWidgetItem(QString::fromStdString(scenario::format_diagnostic(d)), problems_);
    item->setData(Qt::UserRole,
                  QStringList{QString::fromStdString(d.pos.file), QString::number(d.pos.line)});
    item->setForeground(
        QBrush(d.severity == scenario::Severity::error ? QColor(190, 0, 0) : QColor(150, 90, 0)));
  }
  if (session.diagnostics().all().empty()) problems_->addItem("no problems");
}

void ObjectsPanel::show_source(const std::string& file, int line) {
  QFile f(QString::fromStdString(file));
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
    source_->setPlainText(QString("cannot open %1").arg(QString::fromStdString(file)));
    return;
  }
  QTextStream in(&f);
  QString text;
  int n = 0;
  while (!in.atEnd()) {
    const QString l = in.readLine();
    ++n;
    if (n < line - 8 || n > line + 12) continue;
    text += QString("%1%2  %3\n").arg(n == line ? "> " : "  ").arg(n, 5).arg(l);
  }
  source_->setPlainText(QString::fromStdString(file) + ":" + QString::number(line) + "\n\n" + text);
}

}  // namespace kt::gui
