#include "worker_pool.h"

#include <algorithm>

namespace throng::engine {

WorkerPool::WorkerPool(std::size_t workers) {
  workers = std::max<std::size_t>(workers, 1);
  for (std::size_t i = 0; i < workers; ++i) {
    // Concurrency hint 1: each context is run by exactly one thread, so Asio can skip locking.
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_.push_back(boost::asio::make_work_guard(*contexts_.back()));
  }
  for (std::size_t i = 0; i < workers; ++i) {
    threads_.emplace_back([context = contexts_[i].get()] { context->run(); });
  }
}

WorkerPool::~WorkerPool() {
  guards_.clear();
  for (auto& context : contexts_) context->stop();
  for (auto& thread : threads_) thread.join();
}

}  // namespace throng::engine
