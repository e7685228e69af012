#include "models/mlp.hpp"

#include <cmath>
#include <stdexcept>

#include "models/classes.hpp"
#include "models/softmax.hpp"

namespace sgdsim {
namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

Eigen::Map<const RowMajor> weights(const ParamsView& w, std::size_t offset, std::size_t rows,
                                   std::size_t cols) {
  return {w.data() + offset, static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols)};
}

Eigen::Map<RowMajor> weights(GradientView& w, std::size_t offset, std::size_t rows,
                             std::size_t cols) {
  return {w.data() + offset, static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols)};
}

auto segment(const ParamsView& w, std::size_t offset, std::size_t size) {
  return w.segment(static_cast<Eigen::Index>(offset), static_cast<Eigen::Index>(size));
}

auto segment(GradientView& w, std::size_t offset, std::size_t size) {
  return w.segment(static_cast<Eigen::Index>(offset), static_cast<Eigen::Index>(size));
}

}  // namespace

MlpObjective::MlpObjective(std::vector<std::size_t> hidden, std::size_t classes, double l2)
    : hidden_(std::move(hidden)), classes_(classes), l2_(l2) {
  if (hidden_.empty() || hidden_.size() > 2)
    throw std::invalid_argument("an MLP has one or two hidden layers");
  if (classes_ < 2) throw std::invalid_argument("an MLP classifier needs at least two classes");
}

std::vector<MlpObjective::Layer> MlpObjective::layers(std::size_t features) const {
  std::vector<Layer> net;
  std::size_t inputs = features, offset = 0;
  std::vector<std::size_t> sizes = hidden_;
  sizes.push_back(classes_);
  for (std::size_t outputs : sizes) {
    net.push_back({inputs, outputs, offset});
    offset += outputs * inputs + outputs;  // Weights, then biases.
    inputs = outputs;
  }
  return net;
}

std::size_t MlpObjective::dimension(std::size_t features) const {
  const Layer last = layers(features).back();  // a copy: the vector is a temporary
  return last.offset + last.outputs * last.inputs + last.outputs;
}

std::vector<Vector> MlpObjective::forward(const Dataset& data, std::size_t i, const ParamsView& w,
                                          const std::vector<Layer>& net) const {
  std::vector<Vector> a;
  for (std::size_t l = 0; l < net.size(); ++l) {
    const Layer& L = net[l];
    const auto b = segment(w, L.offset + L.outputs * L.inputs, L.outputs);
    Vector z(static_cast<Eigen::Index>(L.outputs));
    if (l == 0) {
      for (std::size_t j = 0; j < L.outputs; ++j)
        z[static_cast<Eigen::Index>(j)] =
            data.dot(i, segment(w, L.offset + j * L.inputs, L.inputs));
      z += b;
    } else {
      z = weights(w, L.offset, L.outputs, L.inputs) * a.back() + b;
    }
    a.push_back(l + 1 < net.size() ? Vector(z.array().tanh()) : z);
  }
  return a;
}

double MlpObjective::sample_loss(const Dataset& data, std::size_t i, const ParamsView& w) const {
  const Vector scores = forward(data, i, w, layers(data.features())).back();
  const double reg = l2_ > 0.0 ? 0.5 * l2_ * w.squaredNorm() : 0.0;
  return log_sum_exp(scores) - scores[static_cast<Eigen::Index>(class_of(data.label(i)))] + reg;
}

void MlpObjective::add_sample_gradient(const Dataset& data, std::size_t i, const ParamsView& w,
                                       double scale, GradientView g) const {
  const std::vector<Layer> net = layers(data.features());
  const std::vector<Vector> a = forward(data, i, w, net);
  // Back-propagation: delta is d loss / d (pre-activation) of the current layer.
  Vector delta = softmax(a.back());
  delta[static_cast<Eigen::Index>(class_of(data.label(i)))] -= 1.0;
  for (std::size_t l = net.size(); l-- > 0;) {
    const Layer& L = net[l];
    segment(g, L.offset + L.outputs * L.inputs, L.outputs) += scale * delta;
    if (l == 0) {
      for (std::size_t j = 0; j < L.outputs; ++j)
        data.add_row(i, scale * delta[static_cast<Eigen::Index>(j)],
                     segment(g, L.offset + j * L.inputs, L.inputs));
      break;
    }
    weights(g, L.offset, L.outputs, L.inputs) += scale * delta * a[l - 1].transpose();
    const Vector back = weights(w, L.offset, L.outputs, L.inputs).transpose() * delta;
    delta = back.array() * (1.0 - a[l - 1].array().square());
  }
  if (l2_ > 0.0) g.noalias() += (scale * l2_) * w;
}

bool MlpObjective::correct(const Dataset& data, std::size_t i, const ParamsView& w) const {
  Eigen::Index best;
  forward(data, i, w, layers(data.features())).back().maxCoeff(&best);
  return static_cast<std::size_t>(best) == class_of(data.label(i));
}

Vector MlpObjective::initial(std::size_t features, const std::function<double()>& normal) const {
  // Weights N(0, 1 / inputs) so tanh units start in their linear range; biases zero.
  Vector w = Vector::Zero(static_cast<Eigen::Index>(dimension(features)));
  for (const Layer& L : layers(features)) {
    const double s = 1.0 / std::sqrt(static_cast<double>(L.inputs));
    for (std::size_t k = 0; k < L.outputs * L.inputs; ++k)
      w[static_cast<Eigen::Index>(L.offset + k)] = s * normal();
  }
  return w;
}

}  // namespace sgdsim
