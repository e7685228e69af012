// The keys of the sweep section: hyperparameter-parallel runs of one scenario.

#include "app/key_builders.hpp"
#include "app/yaml_values.hpp"

namespace sgdsim {

void add_sweep_keys(std::vector<KeyDecl>& k) {
  k.push_back({"sweep.key", "key path", "", false, "any scenario key outside sweep",
               "Hyperparameter-parallel runs: the key whose values `sweep.values` lists. The "
               "scenario is trained once per value, at the same time, each setting on its own "
               "parameter nodes and its share of the workers; the run directory holds one run "
               "per setting under settings/, and sweep.csv and summary.json name the best.",
               "algorithm.step_size", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.sweep.key = scalar_text(n, c, "a key path such as algorithm.step_size");
               }});
  k.push_back({"sweep.values", "list", "", false, "values valid for sweep.key",
               "The values `sweep.key` takes, one setting each.", "[0.01, 0.1, 1]",
               [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 if (n.kind != YamlNode::Kind::kSequence || n.items.empty())
                   c.fail(n, "expected a non-empty list of values, such as [0.01, 0.1, 1], got " +
                                 n.kind_name());
                 s.sweep.values = n.items;
               }});
  k.push_back(boolean_key("sweep.share_workers",
                          "The settings share the cluster: each gets an equal share of "
                          "`cluster.workers` (the first ones one more when they do not divide). "
                          "false: each setting has `cluster.workers` workers of its own.",
                          "true", [](Scenario& s, bool v) { s.sweep.share_workers = v; }));
  k.push_back(choice_key(
      "sweep.pick",
      "What makes a setting the best: the lowest final training or test loss, "
      "the highest final test accuracy, the soonest `stop.target_loss`, or the "
      "most updates per simulated second.",
      {"train_loss", "test_loss", "test_accuracy", "time_to_target", "updates_per_s"}, "test_loss",
      [](Scenario& s, std::size_t i) { s.sweep.pick = static_cast<SweepSpec::Pick>(i); }));
}

}  // namespace sgdsim
