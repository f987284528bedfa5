// Worker threads, one io_context each.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>
#include <vector>

namespace throng::engine {

/// N threads each running its own io_context until destruction. The contexts are shared by all
/// jobs; work posted to context i runs only on thread i, so state touched only from there needs no
/// lock. Thread-safe.
class WorkerPool {
 public:
  explicit WorkerPool(std::size_t workers);
  /// Stops the contexts (abandoning queued work) and joins the threads.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  std::size_t Size() const { return contexts_.size(); }
  boost::asio::io_context& Context(std::size_t worker) { return *contexts_[worker]; }

 private:
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<WorkGuard> guards_;
  std::vector<std::thread> threads_;
};

}  // namespace throng::engine
