#include "idlrpc/channel.hpp"

#include "client/channel_core.hpp"

namespace idlrpc {

Channel::Channel(std::string target, ChannelOptions options)
    : core_(std::make_shared<detail::ChannelCore>(std::move(target), options)) {}

const std::string& Channel::target() const noexcept { return core_->target(); }

boost::asio::any_io_executor Channel::executor() const { return core_->executor(); }

}  // namespace idlrpc
