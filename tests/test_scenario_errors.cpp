// Malformed scenarios and command lines: each gives its message at the right position, its exit
// code, and leaves no run directory behind.

#include <catch2/catch.hpp>
#include <sstream>

#include "app/cli.hpp"
#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

const std::string kValid = "cluster:\n  workers: 2\ncompute:\n  time: 1ms\nstop:\n  updates: 3\n";
const std::string kLearns = "model: {type: logistic}\ndata: {source: classification}\n";

struct BadCase {
  std::string what;
  std::string yaml;  ///< Written to bad.yaml in a fresh folder.
  std::vector<std::string> extra_args;
  std::string message;  ///< Expected in stderr; "@" stands for the scenario's path.
  int exit_code;
};

std::vector<BadCase> bad_cases() {
  return {
      {"a misspelt section",
       "clustr:\n  workers: 2\n",
       {},
       "@:1:1: unknown key 'clustr' (did you mean 'cluster'?)",
       65},
      {"a misspelt key",
       "cluster:\n  wokers: 2\ncompute: {time: 1ms}\nstop: {updates: 1}\n",
       {},
       "@:2:3: unknown key 'wokers' in section 'cluster' (did you mean 'workers'?)",
       65},
      {"a word for a number",
       "cluster:\n  workers: four\n",
       {},
       "@:2:12: expected an integer, got 'four'",
       65},
      {"a value out of range",
       "cluster:\n  workers: 0\n",
       {},
       "@:2:12: value 0 is out of range [1, 1000000]",
       65},
      {"a missing required key",
       "cluster:\n  workers: 2\nstop: {updates: 1}\n",
       {},
       "@:1:1: missing required key 'compute.time'",
       65},
      {"a duplicate key",
       "cluster:\n  workers: 2\n  workers: 3\n",
       {},
       "@:3:3: duplicate key 'workers' (first given at line 2)",
       65},
      {"an unknown unit",
       "compute:\n  time: 2mss\n",
       {},
       "@:2:9: unknown duration unit 'mss' in '2mss'",
       65},
      {"a duration without unit",
       "compute:\n  time: 5\n",
       {},
       "@:2:9: duration '5' needs a unit, such as 2ms",
       65},
      {"a negative duration",
       "compute:\n  time: -1ms\n",
       {},
       "@:2:9: a duration cannot be negative: '-1ms'",
       65},
      {"a misspelt distribution",
       "compute:\n  time: {dist: exponentail, mean: 1ms}\n",
       {},
       "@:2:16: unknown value 'exponentail' (did you mean 'exponential'?)",
       65},
      {"a distribution missing a parameter",
       "compute:\n  time: {dist: exponential}\n",
       {},
       "@:2:9: missing required key 'mean' of a 'exponential' distribution",
       65},
      {"a parameter of another distribution",
       "compute:\n  time: {dist: exponential, mean: 1ms, shape: 2}\n",
       {},
       "@:2:40: unknown key 'shape' in a 'exponential' distribution",
       65},
      {"a YAML syntax error", "cluster: [workers: 2\n", {}, "@:2:1: YAML syntax error", 65},
      {"no way to stop",
       "compute: {time: 1ms}\n",
       {},
       "@:1:1: missing required key 'stop.updates' or 'stop.time'",
       65},
      {"a misspelt algorithm",
       kValid + "algorithm:\n  type: asynch\n",
       {},
       "@:8:9: unknown value 'asynch' (did you mean 'async'?)",
       65},
      {"a link to a node that does not exist",
       kValid + "network:\n  links: [{between: [w9, ps0]}]\n",
       {},
       "@:8:11: unknown node 'w9'",
       65},
      {"a section given a value",
       "cluster: 4\n",
       {},
       "@:1:10: 'cluster' is a section: expected a map of its keys, got a value",
       65},
      {"a boolean spelt yes",
       kValid + "output:\n  trace: yes\n",
       {},
       "@:8:10: expected true or false, got 'yes'",
       65},
      {"a bandwidth without a number",
       kValid + "network:\n  bandwidth: fast\n",
       {},
       "@:8:14: expected a number, got 'fast'",
       65},
      {"a straggler naming a worker that does not exist",
       "cluster: {workers: 2}\ncompute:\n  time: {dist: straggler, base: 1ms, factor: 5, "
       "slow_workers: [7]}\nstop: {updates: 1}\n",
       {},
       "@:3:64: value 7 is out of range [0, 1]",
       65},
      {"a speed factor for a worker that does not exist",
       "cluster: {workers: 2}\ncompute:\n  time: 1ms\n  worker_factors: {5: 2}\nstop: {updates: "
       "1}\n",
       {},
       "@:4:20: value 5 is out of range [0, 1]",
       65},
      {"a probability above one",
       "compute:\n  time: {dist: straggler, base: 1ms, p: 1.5, factor: 2}\n",
       {},
       "@:2:41: value 1.5 is out of range [0, 1]",
       65},
      {"a misspelt key in --set",
       kValid,
       {"--set", "cluster.wrokers=3"},
       "option --set cluster.wrokers=3: unknown key 'cluster.wrokers' (did you mean "
       "'cluster.workers'?)",
       64},
      {"a bad value in --set",
       kValid,
       {"--set", "cluster.workers=abc"},
       "option --set cluster.workers=abc: expected an integer, got 'abc'",
       64},
      {"a --set without a value",
       kValid,
       {"--set", "cluster.workers"},
       "option --set cluster.workers: expected KEY=VALUE",
       64},
      {"a classifier on real-valued labels",
       kValid + "model:\n  type: logistic\n",
       {},
       "@:8:9: model.type logistic classifies, but data.source regression has real labels",
       65},
      {"an MLP without hidden layers",
       kValid + "model: {type: mlp, hidden: []}\ndata: {source: rings}\n",
       {},
       "@:7:28: expected one or two layer sizes",
       65},
      {"a stale-synchronous run without its bound",
       kValid + "algorithm: {type: ssp}\n",
       {},
       "@:7:19: missing required key 'algorithm.staleness_bound' for ssp",
       65},
      {"a parameter node for a ring all-reduce",
       "cluster: {workers: 4, parameter_nodes: 1}\ncompute: {time: 1ms}\nstop: {updates: 3}\n"
       "algorithm: {type: all_reduce}\n",
       {},
       "@:1:40: all_reduce has no parameter node",
       65},
      {"a sweep of a misspelt key",
       kValid + kLearns + "sweep: {key: algorithm.step_sise, values: [1, 2]}\n",
       {},
       "@:9:14: sweep.key: 'algorithm.step_sise' is not a scenario key (did you mean "
       "'algorithm.step_size'?)",
       65},
      {"a swept value out of range, at the value",
       kValid + kLearns + "sweep: {key: algorithm.step_size, values: [0.1, -1]}\n",
       {},
       "@:9:49: value -1 is below the minimum 1e-12",
       65},
      {"a timing-only sweep that picks by loss",
       kValid + "sweep: {key: algorithm.type, values: [sync, async]}\n",
       {},
       "@:7:8: a timing-only sweep has no loss to compare",
       65},
      {"real threads for a strategy other than HOGWILD!",
       kValid + kLearns + "backend: threads\n",
       {},
       "@:9:10: backend threads runs algorithm.type hogwild only",
       65},
      {"a lock on the real threads",
       kValid + "algorithm: {type: hogwild}\nmodel: {type: svm}\ndata: {source: sparse}\n"
                "backend: threads\nhogwild: {variant: locked}\n",
       {},
       "@:11:20: backend threads runs the lock_free variant only",
       65},
      {"HOGWILD! with a dense model",
       kValid + "algorithm: {type: hogwild}\nmodel: {type: mlp}\ndata: {source: rings}\n",
       {},
       "@:8:15: hogwild updates a few coordinates per term",
       65},
      {"matrix factorisation without ratings",
       kValid + "algorithm: {type: hogwild}\nmodel: {type: matrix_factorisation}\n",
       {},
       "@:8:15: matrix_factorisation and data.source ratings go together",
       65},
      {"factors renumbered by frequency",
       kValid + "algorithm: {type: hogwild}\nmodel: {type: matrix_factorisation}\n"
                "data: {source: ratings}\nhogwild: {feature_order: by_frequency}\n",
       {},
       "@:10:26: feature_order by_frequency renumbers a linear model's features",
       65},
      // Every string may reach summary.json, which holds UTF-8 only (found by fuzzing).
      {"a name that is not UTF-8",
       "name: caf\xff\n" + kValid,
       {},
       "@:1:7: invalid UTF-8 (byte 0xFF at byte 3 of the value): a scenario is UTF-8 text",
       65},
      {"an overlong UTF-8 form in a quoted description",
       "description: \"a\xc0\xaf\"\n" + kValid,
       {},
       "@:1:14: invalid UTF-8 (byte 0xC0 at byte 1 of the value)",
       65},
      {"a key cut inside a UTF-8 sequence",
       kValid + "\xe2\x82: 1\n",
       {},
       "@:7:1: invalid UTF-8 (byte 0xE2 at byte 0 of the value)",
       65},
      {"a --set value that is not UTF-8",
       kValid,
       {"--set", "name=\xed\xa0\x80"},
       "option --set name=\xed\xa0\x80: invalid UTF-8 (byte 0xED at byte 0 of the value)",
       64},
      {"a missing samples file",
       "compute:\n  time: {dist: empirical, file: nowhere.txt}\n",
       {},
       "@:2:33: cannot read samples file",
       66},
  };
}

std::string with_path(std::string message, const std::string& path) {
  if (const auto at = message.find('@'); at != std::string::npos) message.replace(at, 1, path);
  return message;
}

}  // namespace

TEST_CASE(
    "malformed scenarios are refused with their position and exit code and leave nothing behind") {
  const auto cases = bad_cases();
  REQUIRE(cases.size() >= 15);
  for (const BadCase& c : cases) {
    DYNAMIC_SECTION(c.what) {
      TempDir dir;
      const std::string file = (dir / "bad.yaml").string();
      write_text(file, c.yaml);
      std::vector<std::string> args = {"run", file, "--out", (dir / "out").string()};
      args.insert(args.end(), c.extra_args.begin(), c.extra_args.end());
      const CliResult r = run_cli(args);
      INFO(r.err);
      CHECK(r.code == c.exit_code);
      CHECK(r.err.find(with_path(c.message, file)) != std::string::npos);
      CHECK(r.out.empty());
      // Nothing but the scenario itself is in the folder: no run directory, no staging folder.
      std::size_t entries = 0;
      for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        (void)e;
        ++entries;
      }
      CHECK(entries == 1);
      // `validate` agrees with `run`.
      std::vector<std::string> vargs = {"validate", file};
      vargs.insert(vargs.end(), c.extra_args.begin(), c.extra_args.end());
      CHECK(run_cli(vargs).code == c.exit_code);
    }
  }
}

TEST_CASE("a malformed samples file is reported at its own line") {
  TempDir dir;
  write_text(dir / "samples.txt", "# measured\n1ms\n2ms\nfast\n");
  write_text(dir / "s.yaml",
             "compute:\n  time: {dist: empirical, file: samples.txt}\nstop: {updates: 1}\n");
  const CliResult r = run_cli({"validate", (dir / "s.yaml").string()});
  CHECK(r.code == 65);
  CHECK(r.err.find((dir / "samples.txt").string() + ":4:1: expected a number, got 'fast'") !=
        std::string::npos);
}

TEST_CASE("UTF-8 names reach summary.json, and a file name that is not UTF-8 needs a name") {
  TempDir dir;
  // Two-, three- and four-byte sequences, the highest code point among them.
  const std::string name = "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x9a\x80 \xf4\x8f\xbf\xbf";
  write_text(dir / "s.yaml", "name: \"" + name + "\"\n" + kValid);
  const CliResult r = run_cli({"run", (dir / "s.yaml").string(), "--out", (dir / "out").string()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(read_text(dir / "out" / "summary.json").find("\"scenario\": \"" + name + "\"") !=
        std::string::npos);

  const std::string unnamed = (dir / "caf\xe9.yaml").string();  // Latin-1, as old systems wrote
  write_text(unnamed, kValid);
  const CliResult bad = run_cli({"validate", unnamed});
  CHECK(bad.code == 65);
  CHECK(bad.err.find(unnamed + ":1:1: the file name is not UTF-8 text: give the scenario a name") !=
        std::string::npos);
  write_text(unnamed, "name: cafe\n" + kValid);
  CHECK(run_cli({"validate", unnamed}).code == 0);
}

TEST_CASE("a missing scenario file exits 66 and bad command-line use exits 64") {
  TempDir dir;
  const CliResult missing = run_cli({"run", (dir / "nope.yaml").string()});
  CHECK(missing.code == 66);
  CHECK(missing.err.find("cannot read scenario file") != std::string::npos);
  CHECK(run_cli({"run"}).code == 64);
  CHECK(run_cli({"frobnicate"}).code == 64);
  CHECK(run_cli({"run", "x.yaml", "--seed", "minus-one"}).code == 64);
  CHECK(run_cli({"run", "--help"}).code == 0);
}

TEST_CASE("an existing run directory is never replaced") {
  TempDir dir;
  write_text(dir / "s.yaml", kValid);
  std::filesystem::create_directory(dir / "out");
  write_text(dir / "out" / "keep.txt", "mine");
  const CliResult r = run_cli({"run", (dir / "s.yaml").string(), "--out", (dir / "out").string()});
  CHECK(r.code == 73);
  CHECK(r.err.find("already exists") != std::string::npos);
  CHECK(read_text(dir / "out" / "keep.txt") == "mine");
}

TEST_CASE("a valid scenario validates and runs into a complete directory") {
  TempDir dir;
  write_text(dir / "s.yaml", kValid);
  CHECK(run_cli({"validate", (dir / "s.yaml").string()}).code == 0);
  const CliResult r = run_cli({"run", (dir / "s.yaml").string(), "--out", (dir / "out").string()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("run directory: " + (dir / "out").string()) != std::string::npos);
  for (const char* f : {"scenario.resolved.yaml", "updates.csv", "rounds.csv", "metrics.csv",
                        "summary.json", "trace.json"})
    CHECK(std::filesystem::exists(dir / "out" / f));
}
