#include "client/lookup_thread.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace idlrpc::detail {

void run_lookup(std::function<void()> job) {
  static boost::asio::thread_pool lookups(1);
  boost::asio::post(lookups, std::move(job));
}

}  // namespace idlrpc::detail
