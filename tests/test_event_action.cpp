#include <catch2/catch.hpp>
#include <memory>

#include "sim/engine/event_action.hpp"

using namespace sgdsim;

TEST_CASE("an event action runs the closure it was given") {
  int calls = 0;
  EventAction small([&calls] { ++calls; });
  small();
  small();
  CHECK(calls == 2);
  CHECK(static_cast<bool>(small));
  CHECK_FALSE(static_cast<bool>(EventAction()));
  CHECK_FALSE(static_cast<bool>(EventAction(nullptr)));
}

TEST_CASE("a closure kept on the heap is freed with its action and moves without copying") {
  // A shared_ptr capture is not trivially copyable, so the action keeps it behind a pointer.
  auto token = std::make_shared<int>(7);
  int seen = 0;
  {
    EventAction a([token, &seen] { seen = *token; });
    CHECK(token.use_count() == 2);
    EventAction b(std::move(a));
    CHECK_FALSE(static_cast<bool>(a));
    CHECK(token.use_count() == 2);
    b();
    CHECK(seen == 7);
    EventAction c;
    c = std::move(b);
    CHECK(token.use_count() == 2);
    c.reset();
    CHECK(token.use_count() == 1);
    c = EventAction([token] { (void)token; });
    CHECK(token.use_count() == 2);
  }
  CHECK(token.use_count() == 1);
}

TEST_CASE("moving an inline closure carries its captured values") {
  int target = 0;
  const int a = 3, b = 4;
  EventAction first([&target, a, b] { target = a * b; });
  EventAction second(std::move(first));
  second();
  CHECK(target == 12);
}
