// throngctl: the command-line client of throngd.
#include <iostream>

#include "throng/cli/commands.h"

int main(int argc, char** argv) {
  return throng::cli::RunThrongctl(argc, argv, std::cout, std::cerr);
}
