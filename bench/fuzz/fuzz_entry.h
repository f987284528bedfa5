// The libFuzzer entry point each fuzz target defines; replay_main.cpp and seed_specs_main.cpp
// call it without libFuzzer (built with g++ for the test suite).
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
