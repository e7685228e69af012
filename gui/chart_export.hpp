#pragma once
// Charts (and any widget: the timeline, the whole window) saved as PNG or SVG, in the GUI and
// headless alike.

#include <QSize>
#include <QString>
#include <QWidget>
#include <QtCharts/QChart>
#include <memory>
#include <stdexcept>

namespace sgdsim {

/// An image could not be written; what() says which file and why.
class ExportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Renders `widget` as it is laid out into `path`: PNG or SVG, as the extension says (.png, .svg,
/// any case). Throws ExportError for another extension or when the file cannot be written.
void save_widget_image(QWidget& widget, const QString& path);

/// Lays `widget` out at `size` off screen (it is never shown on a display) so that it can be
/// rendered with save_widget_image.
void lay_out_off_screen(QWidget& widget, QSize size);

/// Puts `chart` in a view of `size` off screen and saves it to `path` (see save_widget_image).
void save_chart_image(std::unique_ptr<QChart> chart, QSize size, const QString& path);

/// True when `path` names a format save_widget_image writes.
bool is_image_path(const QString& path);

}  // namespace sgdsim
