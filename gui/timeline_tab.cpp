#include "gui/timeline_tab.hpp"

#include <QVBoxLayout>
#include <filesystem>

namespace sgdsim {

TimelineTab::TimelineTab(QWidget* parent) : QWidget(parent), view_(new TimelineView) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(view_);
}

QString TimelineTab::setRuns(const std::vector<RunData>& runs) {
  for (const RunData& run : runs) {
    if (!std::filesystem::exists(run.trace_file())) continue;
    try {
      view_->setTrace(load_trace(run.trace_file()));
      return {};
    } catch (const std::exception& e) {
      view_->setTrace(nullptr);
      return QString::fromStdString(e.what());
    }
  }
  view_->setTrace(nullptr);
  return {};
}

}  // namespace sgdsim
