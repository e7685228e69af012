#include "gui/run_panel.hpp"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QVBoxLayout>

namespace sgdsim {
namespace {

const char* const kErrorStyle = "color: #b00020;";
constexpr int kProgressSteps = 1000;  ///< The bar's resolution: a tenth of a percent.

}  // namespace

RunPanel::RunPanel(QWidget* parent)
    : QWidget(parent),
      scenario_(new QLabel(tr("No scenario open (File \u25b8 Open scenario)"))),
      scenario_status_(new QLabel),
      message_(new QLabel),
      run_(new QPushButton(tr("Run"))),
      cancel_(new QPushButton(tr("Cancel"))),
      progress_(new QProgressBar),
      progress_text_(new QLabel),
      facts_(new QTextBrowser) {
  for (QLabel* label : {scenario_, scenario_status_, message_, progress_text_}) {
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  }
  scenario_status_->setObjectName("scenarioStatus");
  message_->setObjectName("message");
  run_->setObjectName("run");
  cancel_->setObjectName("cancel");
  run_->setEnabled(false);
  cancel_->setEnabled(false);
  progress_->setRange(0, 0);
  progress_->setTextVisible(false);
  progress_->setVisible(false);
  facts_->setOpenLinks(false);

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(run_);
  buttons->addWidget(cancel_);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel("<b>" + tr("Scenario") + "</b>"));
  layout->addWidget(scenario_);
  layout->addWidget(scenario_status_);
  layout->addLayout(buttons);
  layout->addWidget(progress_);
  layout->addWidget(progress_text_);
  layout->addWidget(new QLabel("<b>" + tr("Runs shown") + "</b>"));
  layout->addWidget(message_);
  layout->addWidget(facts_, 1);

  connect(run_, &QPushButton::clicked, this, &RunPanel::runRequested);
  connect(cancel_, &QPushButton::clicked, this, &RunPanel::cancelRequested);
}

void RunPanel::showScenario(const QString& path, const QString& status, bool valid) {
  scenario_->setText(QFileInfo(path).fileName());
  scenario_->setToolTip(path);
  scenario_valid_ = valid;
  run_->setEnabled(valid);
  scenario_status_->setText(status);
  scenario_status_->setStyleSheet(valid ? "" : kErrorStyle);
}

void RunPanel::showRunning(bool running) {
  run_->setEnabled(!running && scenario_valid_);
  cancel_->setEnabled(running);
  progress_->setRange(0, 0);  // Busy until the runner tells a fraction.
  progress_->setTextVisible(false);
  progress_->setVisible(running);
}

void RunPanel::showProgress(const QString& line, double fraction) {
  progress_text_->setText(line);
  if (fraction < 0.0) return;
  progress_->setRange(0, kProgressSteps);
  progress_->setValue(static_cast<int>(fraction * kProgressSteps + 0.5));
  progress_->setTextVisible(true);
}

double RunPanel::progressShown() const {
  if (progress_->maximum() == 0) return -1.0;
  return double(progress_->value()) / kProgressSteps;
}

void RunPanel::showMessage(const QString& message, bool error) {
  message_->setText(message);
  message_->setStyleSheet(error ? kErrorStyle : "");
}

void RunPanel::showRuns(const std::vector<RunData>& runs) {
  QString html;
  for (const RunData& run : runs) {
    html += "<p><b>" + QString::fromStdString(run.name).toHtmlEscaped() + "</b><br>";
    html += "<small>" + QString::fromStdString(run.directory.string()).toHtmlEscaped() +
            "</small><table>";
    for (const RunFact& fact : run.facts)
      html += "<tr><td>" + QString::fromStdString(fact.label).toHtmlEscaped() +
              "&nbsp;&nbsp;</td><td align='right'>" +
              QString::fromStdString(fact.value).toHtmlEscaped() + "</td></tr>";
    html += "</table></p>";
  }
  facts_->setHtml(html);
}

}  // namespace sgdsim
