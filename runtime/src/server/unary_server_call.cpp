#include "server/unary_server_call.hpp"

#include "idlrpc/detail/status_messages.hpp"
#include "server/server_connection.hpp"
#include "server/server_core.hpp"

namespace idlrpc::detail {

void UnaryServerCall::on_call_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  switch (frame.which()) {
    case protocol::Frame::MESSAGE:
      if (request_ == Request::kReceived) {
        end_call(StatusCode::INVALID_ARGUMENT, std::string(status_text::kUnaryTwoRequests), true);
        return;
      }
      request_ = Request::kReceived;
      ++counts().received;
      counts().bytes_received += raw.size() * sizeof(capnp::word);
      if (!admitted()) {
        waiting_request_ = connection().take_message(raw);
        return;
      }
      request_charge_ = connection().take_charge();
      run(frame.getMessage().getPayload());
      break;
    case protocol::Frame::HALF_CLOSE:
      if (request_ == Request::kAwaited) {
        end_call(StatusCode::INVALID_ARGUMENT, std::string(status_text::kUnaryNoRequest), true);
      }
      break;
    default:
      break;  // WINDOW_UPDATE: a unary response needs no credit
  }
}

void UnaryServerCall::on_admitted() {
  if (waiting_request_) run(message_payload(*waiting_request_));
}

void UnaryServerCall::run(capnp::AnyPointer::Reader request) {
  if (end_if_deadline_passed()) return;
  // Decoded here, on the I/O thread, straight from the read buffer.
  try {
    if (const auto* blocking = std::get_if<BlockingUnaryHandler>(&method().handler)) {
      connection().core().workers().post(blocking_job([job = blocking->bind(request), this] { return job(context()); }));
    } else {
      run_coroutine(std::get<CoroutineUnaryHandler>(method().handler).bind(request)(context()));
    }
  } catch (const std::exception& e) {
    refuse(StatusCode::INTERNAL, status_text::cannot_decode_request(e.what()));
  }
}

void UnaryServerCall::on_end(StatusCode, const std::string&) {
  request_charge_.reset();
  waiting_request_.reset();
}

}  // namespace idlrpc::detail
