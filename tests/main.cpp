// Catch2's main, compiled once so the other test files build fast.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
