// Downpour's schedule: fetches every n_fetch steps, pushes every n_push, and what background
// fetches do to staleness.

#include <catch2/catch.hpp>

#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

std::string downpour(const std::string& algorithm) {
  return "cluster: {workers: 1}\ncompute: {time: {dist: constant, value: 1ms}}\n"
         "model: {type: least_squares}\ndata: {source: regression, features: 6}\n"
         "algorithm: {type: downpour, update: adagrad, step_size: 0.1, " +
         algorithm + "}\nstop: {updates: 60}\n";
}

}  // namespace

TEST_CASE("a Downpour worker pushes every n_push steps and fetches every n_fetch steps") {
  // One worker, n_push = 2, n_fetch = 6: three pushes per fetch. The first is computed on the
  // model just fetched; the node has applied one and two of the worker's own pushes since it
  // fetched when the second and third arrive.
  TempDir dir;
  const auto run = run_yaml(dir, downpour("push_every: 2, fetch_every: 6"));
  const auto staleness = csv_column(run / "updates.csv", "staleness");
  REQUIRE(staleness.size() == 60);
  for (std::size_t i = 0; i < staleness.size(); ++i) {
    INFO("push " << i);
    CHECK(staleness[i] == double(i % 3));
  }
  // Each push took two steps of 1 ms.
  CHECK(csv_column(run / "updates.csv", "time_s").back() == Approx(0.120));
}

TEST_CASE("a Downpour worker that fetches in the background computes on the model it had") {
  // One worker, n_fetch = n_push = 1: waiting for each fetch, every push is fresh; fetching in
  // the background, every push after the first was computed before the previous one landed.
  TempDir dir;
  const auto waiting =
      csv_column(run_yaml(dir, downpour("push_every: 1"), "waiting") / "updates.csv", "staleness");
  const auto background =
      csv_column(run_yaml(dir, downpour("push_every: 1, background_fetch: true"), "background") /
                     "updates.csv",
                 "staleness");
  REQUIRE(waiting.size() == 60);
  REQUIRE(background.size() == 60);
  for (double s : waiting) CHECK(s == 0.0);
  CHECK(background[0] == 0.0);
  for (std::size_t i = 1; i < background.size(); ++i) CHECK(background[i] == 1.0);
}
