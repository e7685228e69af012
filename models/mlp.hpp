#pragma once
// A small multi-layer perceptron: one or two tanh hidden layers and a softmax output, so that
// non-convex training can be shown.

#include <vector>

#include "models/objective.hpp"

namespace sgdsim {

/// An MLP classifier with cross-entropy loss. Parameters, layer by layer from the input: the
/// weight matrix (outputs x inputs, row by row), then the biases. The first layer reads its input
/// through the dataset, so sparse features cost only their non-zeros.
class MlpObjective final : public Objective {
 public:
  /// `hidden`: the sizes of the one or two hidden layers; `classes`: outputs (at least 2).
  MlpObjective(std::vector<std::size_t> hidden, std::size_t classes, double l2);

  std::size_t dimension(std::size_t features) const override;
  double sample_loss(const Dataset& data, std::size_t i, const ParamsView& w) const override;
  void add_sample_gradient(const Dataset& data, std::size_t i, const ParamsView& w, double scale,
                           GradientView g) const override;
  bool is_classifier() const override { return true; }
  bool correct(const Dataset& data, std::size_t i, const ParamsView& w) const override;
  Vector initial(std::size_t features, const std::function<double()>& normal) const override;

 private:
  struct Layer {
    std::size_t inputs, outputs, offset;  ///< Weights at [offset, offset + outputs*inputs).
  };
  std::vector<Layer> layers(std::size_t features) const;
  /// Forward pass: the activations of every layer (the last holds the output scores).
  std::vector<Vector> forward(const Dataset& data, std::size_t i, const ParamsView& w,
                              const std::vector<Layer>& net) const;

  std::vector<std::size_t> hidden_;
  std::size_t classes_;
  double l2_;
};

}  // namespace sgdsim
