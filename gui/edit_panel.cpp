#include "gui/edit_panel.hpp"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QScrollArea>
#include <QVBoxLayout>

#include <map>

namespace kt::gui {

EditPanel::EditPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel("<b>Policies to run</b>", this));
  policies_ = new QListWidget(this);
  policies_->setMaximumHeight(140);
  layout->addWidget(policies_);
  message_ = new QLabel(this);
  message_->setWordWrap(true);
  message_->setStyleSheet("color: #b00000");
  layout->addWidget(message_);
  auto* scroll = new QScrollArea(this);
  scroll->setWidgetResizable(true);
  form_host_ = new QWidget(scroll);
  form_host_->setLayout(new QVBoxLayout());
  scroll->setWidget(form_host_);
  layout->addWidget(scroll, 1);
}

void EditPanel::show_session(ScenarioSession* session) {
  session_ = session;
  policies_->clear();
  if (session_) {
    for (const scenario::Policy& p : session_->scenario().policies) {
      auto* item = new QListWidgetItem(QString::fromStdString(p.name), policies_);
      item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
      item->setCheckState(Qt::Checked);
    }
  }
  message_->clear();
  rebuild();
}

std::vector<std::string> EditPanel::selected_policies() const {
  std::vector<std::string> out;
  for (int i = 0; i < policies_->count(); ++i) {
    if (policies_->item(i)->checkState() == Qt::Checked)
      out.push_back(policies_->item(i)->text().toStdString());
  }
  return out;
}

std::string EditPanel::apply(const std::string& path, const std::string& value) {
  if (!session_) return "no scenario is open";
  const std::string problem = session_->set(path, value);
  message_->setText(QString::fromStdString(problem));
  if (problem.empty()) {
    // The form shows the new values; rebuilt after this slot returns (it may be a field's).
    QMetaObject::invokeMethod(this, &EditPanel::rebuild, Qt::QueuedConnection);
    emit edited();
  }
  return problem;
}

void EditPanel::rebuild() {
  QLayout* host = form_host_->layout();
  while (QLayoutItem* item = host->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  if (!session_) return;
  std::map<std::string, QFormLayout*> groups;
  std::vector<std::string> order;
  for (const EditableField& f : session_->fields()) {
    QFormLayout*& form = groups[f.group];
    if (!form) {
      auto* box = new QGroupBox(QString::fromStdString(f.group), form_host_);
      form = new QFormLayout(box);
      host->addWidget(box);
    }
    const std::string path = f.path;
    const QString before = QString::fromStdString(f.value);
    if (!f.choices.empty()) {
      auto* combo = new QComboBox(form_host_);
      combo->setEditable(true);
      for (const std::string& c : f.choices) {
        if (combo->findText(QString::fromStdString(c)) < 0)
          combo->addItem(QString::fromStdString(c));
      }
      combo->setCurrentText(before);
      combo->setToolTip(QString::fromStdString(path));
      connect(combo, &QComboBox::textActivated, this,
              [this, combo, path, before](const QString& v) {
                if (v == before) return;
                if (!apply(path, v.toStdString()).empty()) combo->setCurrentText(before);
              });
      form->addRow(QString::fromStdString(f.label), combo);
    } else {
      auto* edit = new QLineEdit(before, form_host_);
      edit->setToolTip(QString::fromStdString(path));
      // As the user types: the loader's verdict, the field red while it would be refused.
      connect(edit, &QLineEdit::textEdited, this, [this, edit, path](const QString& v) {
        const std::string problem = session_->check(path, v.toStdString());
        message_->setText(QString::fromStdString(problem));
        edit->setStyleSheet(problem.empty() ? "" : "border: 1px solid #c00000");
      });
      connect(edit, &QLineEdit::editingFinished, this, [this, edit, path, before] {
        edit->setStyleSheet("");
        if (edit->text() == before) return;
        if (!apply(path, edit->text().toStdString()).empty()) edit->setText(before);
      });
      form->addRow(QString::fromStdString(f.label), edit);
    }
  }
  static_cast<QVBoxLayout*>(host)->addStretch(1);
}

}  // namespace kt::gui
