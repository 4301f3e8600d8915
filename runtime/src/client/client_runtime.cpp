#include "client/client_runtime.hpp"

#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace idlrpc::detail {
namespace {

class ClientRuntime {
 public:
  ClientRuntime() : work_(io_.get_executor()), thread_([this] { io_.run(); }) {}
  ~ClientRuntime() {
    work_.reset();
    io_.stop();
    thread_.join();
  }
  boost::asio::any_io_executor executor() { return io_.get_executor(); }

 private:
  boost::asio::io_context io_{1};  // one thread: handlers need no locking
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace

boost::asio::any_io_executor client_executor() {
  static ClientRuntime runtime;
  return runtime.executor();
}

}  // namespace idlrpc::detail
