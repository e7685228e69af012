// The `sgdsim` program.

#include <iostream>

#include "app/cli.hpp"
#include "app/interrupts.hpp"

int main(int argc, char** argv) {
  sgdsim::watch_interrupts();  // First, while this is the only thread.
  return sgdsim::sgdsim_main(argc, argv, std::cout, std::cerr);
}
