// The `sgdsim` program.

#include <iostream>

#include "app/cli.hpp"

int main(int argc, char** argv) {
  return sgdsim::sgdsim_main(argc, argv, std::cout, std::cerr);
}
