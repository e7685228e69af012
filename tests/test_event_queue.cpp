#include <catch2/catch.hpp>
#include <vector>

#include "sim/engine/event_queue.hpp"
#include "sim/engine/simulator.hpp"

using namespace sgdsim;

TEST_CASE("events at the same instant fire in the order they were scheduled") {
  Simulator sim;
  std::vector<int> order;
  for (int i = 0; i < 100; ++i) sim.schedule_at(5, [&order, i] { order.push_back(i); });
  sim.run({});
  REQUIRE(order.size() == 100);
  for (int i = 0; i < 100; ++i) CHECK(order[i] == i);
}

TEST_CASE("earlier events fire first whatever the scheduling order") {
  Simulator sim;
  std::vector<SimTime> times;
  for (SimTime t : {30, 10, 20, 10, 0}) sim.schedule_at(t, [&] { times.push_back(sim.now()); });
  sim.run({});
  CHECK(times == std::vector<SimTime>{0, 10, 10, 20, 30});
}

TEST_CASE("an event scheduled for now from a handler runs after events already due now") {
  Simulator sim;
  std::vector<char> order;
  sim.schedule_at(1, [&] {
    order.push_back('a');
    sim.schedule_in(0, [&] { order.push_back('c'); });
  });
  sim.schedule_at(1, [&] { order.push_back('b'); });
  sim.run({});
  CHECK(order == std::vector<char>{'a', 'b', 'c'});
}

TEST_CASE("a cancelled event never fires and cancelling twice reports false") {
  EventQueue q;
  int fired = 0;
  const EventId keep = q.schedule(1, [&] { fired += 1; });
  const EventId drop = q.schedule(2, [&] { fired += 10; });
  CHECK(q.size() == 2);
  CHECK(q.cancel(drop));
  CHECK_FALSE(q.cancel(drop));
  CHECK(q.size() == 1);
  while (!q.empty()) q.pop().second();
  CHECK(fired == 1);
  CHECK_FALSE(q.cancel(keep));
}

TEST_CASE("a stale id cannot cancel the event that reuses its slot") {
  EventQueue q;
  int fired = 0;
  const EventId first = q.schedule(1, [] {});
  REQUIRE(q.cancel(first));
  q.schedule(1, [&] { ++fired; });  // Reuses the freed slot.
  CHECK_FALSE(q.cancel(first));
  q.pop().second();
  CHECK(fired == 1);
}

TEST_CASE("a run stops at the time limit and leaves later events pending") {
  Simulator sim;
  int fired = 0;
  sim.schedule_at(10, [&] { ++fired; });
  sim.schedule_at(20, [&] { ++fired; });
  CHECK(sim.run({.until = 15}) == StopReason::kTimeReached);
  CHECK(sim.now() == 15);
  CHECK(fired == 1);
  CHECK(sim.pending() == 1);
}

TEST_CASE("a run stops when its predicate holds or after its event budget") {
  Simulator sim;
  int fired = 0;
  for (int i = 0; i < 10; ++i) sim.schedule_at(i, [&] { ++fired; });
  StopCondition by_count;
  by_count.predicate = [&] { return fired == 3; };
  CHECK(sim.run(by_count) == StopReason::kPredicate);
  CHECK(fired == 3);
  CHECK(sim.run({.max_events = 4}) == StopReason::kEventLimit);
  CHECK(fired == 7);
  CHECK(sim.run({}) == StopReason::kQueueEmpty);
  CHECK(sim.events_fired() == 10);
}

TEST_CASE("scheduling into the past is refused") {
  Simulator sim;
  sim.schedule_at(10, [] {});
  sim.run({});
  CHECK_THROWS_AS(sim.schedule_at(5, [] {}), std::logic_error);
}

TEST_CASE("cancelled events do not pile up in the queue") {
  EventQueue q;
  std::vector<int> fired;
  q.schedule(5, [&] { fired.push_back(5); });
  for (int i = 0; i < 100000; ++i) q.cancel(q.schedule(1'000'000 + i, [] {}));
  q.schedule(7, [&] { fired.push_back(7); });
  CHECK(q.size() == 2);
  CHECK(q.stored() < 200);
  while (!q.empty()) q.pop().second();
  CHECK(fired == std::vector<int>{5, 7});
}

TEST_CASE("a time limit already passed does not move the clock back") {
  Simulator sim;
  sim.schedule_at(10, [] {});
  sim.schedule_at(20, [] {});
  sim.run({.until = 10});
  CHECK(sim.now() == 10);
  CHECK(sim.run({.until = 5}) == StopReason::kTimeReached);
  CHECK(sim.now() == 10);
}

TEST_CASE("a delay past the end of time saturates at never and comes after every finite event") {
  // now + delay would overflow: undefined, and in practice an instant in the past.
  Simulator sim;
  std::vector<char> order;
  sim.schedule_at(10, [&] {
    sim.schedule_in(kTimeNever, [&] { order.push_back('n'); });
    sim.schedule_in(kTimeNever - 11, [&] { order.push_back('f'); });  // The last finite instant.
  });
  CHECK(sim.run({}) == StopReason::kQueueEmpty);
  CHECK(order == std::vector<char>{'f'});
  CHECK(sim.now() == kTimeNever - 1);
  CHECK(sim.pending() == 1);  // Waiting forever.
}

TEST_CASE("an event that never comes lets the run reach its time limit") {
  Simulator sim;
  int fired = 0;
  sim.schedule_at(kTimeNever, [&] { ++fired; });
  sim.schedule_at(5, [&] { sim.schedule_in(kTimeNever - 1, [&] { ++fired; }); });
  CHECK(sim.run({.until = 100}) == StopReason::kTimeReached);
  CHECK(sim.now() == 100);
  CHECK(sim.run({}) == StopReason::kQueueEmpty);
  CHECK(sim.now() == 100);
  CHECK(fired == 0);
  CHECK(sim.pending() == 2);
}
