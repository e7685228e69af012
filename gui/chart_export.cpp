#include "gui/chart_export.hpp"

#include <QApplication>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>
#include <QtCharts/QChartView>

namespace sgdsim {
namespace {

QString suffix_of(const QString& path) {
  return QFileInfo(path).suffix().toLower();
}

void save_png(QWidget& widget, const QString& path) {
  const qreal ratio = widget.devicePixelRatioF();
  QImage image(widget.size() * ratio, QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(ratio);
  image.fill(Qt::white);
  {
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    widget.render(&painter);
  }
  if (!image.save(path, "PNG")) throw ExportError(path.toStdString() + ": cannot be written");
}

void save_svg(QWidget& widget, const QString& path) {
  QSvgGenerator svg;
  svg.setFileName(path);
  svg.setSize(widget.size());
  svg.setViewBox(QRect(QPoint(0, 0), widget.size()));
  svg.setTitle(widget.windowTitle().isEmpty() ? "sgdsim" : widget.windowTitle());
  svg.setDescription("Drawn by sgdsim-gui");
  QPainter painter;
  if (!painter.begin(&svg)) throw ExportError(path.toStdString() + ": cannot be written");
  widget.render(&painter);
  painter.end();
  if (QFileInfo(path).size() == 0) throw ExportError(path.toStdString() + ": nothing was written");
}

}  // namespace

bool is_image_path(const QString& path) {
  const QString suffix = suffix_of(path);
  return suffix == "png" || suffix == "svg";
}

void save_widget_image(QWidget& widget, const QString& path) {
  const QString suffix = suffix_of(path);
  if (suffix == "png")
    save_png(widget, path);
  else if (suffix == "svg")
    save_svg(widget, path);
  else
    throw ExportError(path.toStdString() + ": the file name must end in .png or .svg");
}

void lay_out_off_screen(QWidget& widget, QSize size) {
  widget.setAttribute(Qt::WA_DontShowOnScreen);
  widget.resize(size);
  widget.show();
  QApplication::processEvents();
}

void save_chart_image(std::unique_ptr<QChart> chart, QSize size, const QString& path) {
  QChartView view;
  view.setRenderHint(QPainter::Antialiasing);
  view.setChart(chart.release());
  lay_out_off_screen(view, size);
  save_widget_image(view, path);
}

}  // namespace sgdsim
