// The same scenario and seed give byte-identical outputs; another seed gives other outputs.

#include <catch2/catch.hpp>
#include <set>

#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

const std::string kStraggling =
    "name: straggling\n"
    "cluster: {workers: 6, parameter_nodes: 2}\n"
    "compute:\n"
    "  time: {dist: straggler, base: {dist: shifted_exponential, shift: 1ms, mean: 2ms},"
    " p: 0.1, factor: 5}\n"
    "network: {latency: {dist: uniform, min: 10us, max: 200us}, bandwidth: 1Gbit/s}\n"
    "algorithm: {type: ALGO}\n"
    "stop: {updates: 300}\n";

std::string with_algorithm(const std::string& algo) {
  std::string s = kStraggling;
  s.replace(s.find("ALGO"), 4, algo);
  return s;
}

}  // namespace

TEST_CASE("the same scenario and seed give byte-identical outputs") {
  for (const char* algo : {"sync", "async"}) {
    DYNAMIC_SECTION(algo) {
      TempDir dir;
      const auto a = run_yaml(dir, with_algorithm(algo), "a");
      const auto b = run_yaml(dir, with_algorithm(algo), "b");
      std::vector<std::string> files = {"updates.csv", "metrics.csv", "trace.json",
                                        "scenario.resolved.yaml"};
      if (std::string(algo) == "sync") files.push_back("rounds.csv");
      for (const std::string& f : files) {
        INFO(f);
        const std::string text = read_text(a / f);
        CHECK(text.size() > 100);
        CHECK(text == read_text(b / f));
      }
      auto sa = summary(a), sb = summary(b);
      sa.erase("wall");
      sb.erase("wall");
      CHECK(sa == sb);
    }
  }
}

TEST_CASE("a different seed gives different outputs") {
  for (const char* algo : {"sync", "async"}) {
    DYNAMIC_SECTION(algo) {
      TempDir dir;
      const auto a = run_yaml(dir, with_algorithm(algo), "a", {{"seed=1"}});
      const auto b = run_yaml(dir, with_algorithm(algo), "b", {{"seed=2"}});
      CHECK(read_text(a / "updates.csv") != read_text(b / "updates.csv"));
      CHECK(read_text(a / "trace.json") != read_text(b / "trace.json"));
      if (std::string(algo) == "sync")
        CHECK(read_text(a / "rounds.csv") != read_text(b / "rounds.csv"));
    }
  }
}

TEST_CASE("the trace is a Chrome trace with one named track per node and round checkpoints") {
  TempDir dir;
  const auto run = run_yaml(dir, with_algorithm("sync"));
  const auto trace = nlohmann::json::parse(read_text(run / "trace.json"));
  std::set<std::string> tracks, kinds;
  std::size_t checkpoints = 0;
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] == "M" && e["name"] == "thread_name")
      tracks.insert(e["args"]["name"].get<std::string>());
    if (e["ph"] == "X") kinds.insert(e["name"].get<std::string>());
    if (e["ph"] == "i") ++checkpoints;
  }
  CHECK(tracks == std::set<std::string>{"ps0", "ps1", "w0", "w1", "w2", "w3", "w4", "w5"});
  CHECK(kinds == std::set<std::string>{"compute", "send", "receive", "wait"});
  CHECK(checkpoints == 300);
}
