// The test service, written by hand exactly as idlc generates a service
// (docs/generated-code.md):
//
//   service Tester {
//     rpc Echo(TestRequest) returns (TestResponse);
//     rpc Forward(TestRequest) returns (TestResponse);
//   }
#pragma once

#include <idlrpc/client.hpp>
#include <idlrpc/service.hpp>

#include "test_messages.hpp"

namespace idlrpc::test {

class Tester {
 public:
  static constexpr std::string_view kServiceName = "idlrpc.test.Tester";

  static constexpr idlrpc::MethodInfo kEcho{"/idlrpc.test.Tester/Echo", idlrpc::CallKind::kUnary};
  static constexpr idlrpc::MethodInfo kForward{"/idlrpc.test.Tester/Forward", idlrpc::CallKind::kUnary};

  class Client {
   public:
    explicit Client(idlrpc::Channel channel) : channel_(std::move(channel)) {}

    TestResponse Echo(const TestRequest& request, const idlrpc::CallOptions& options = {}) {
      return idlrpc::unary_call<TestResponse>(channel_, kEcho, request, options);
    }
    template <class CompletionToken>
    auto async_Echo(const TestRequest& request, const idlrpc::CallOptions& options, CompletionToken&& token) {
      return idlrpc::async_unary_call<TestResponse>(channel_, kEcho, request, options,
                                                    std::forward<CompletionToken>(token));
    }
    template <class CompletionToken>
    auto async_Echo(const TestRequest& request, CompletionToken&& token) {
      return async_Echo(request, idlrpc::CallOptions{}, std::forward<CompletionToken>(token));
    }

    TestResponse Forward(const TestRequest& request, const idlrpc::CallOptions& options = {}) {
      return idlrpc::unary_call<TestResponse>(channel_, kForward, request, options);
    }
    template <class CompletionToken>
    auto async_Forward(const TestRequest& request, const idlrpc::CallOptions& options, CompletionToken&& token) {
      return idlrpc::async_unary_call<TestResponse>(channel_, kForward, request, options,
                                                    std::forward<CompletionToken>(token));
    }

    const idlrpc::Channel& channel() const { return channel_; }

   private:
    idlrpc::Channel channel_;
  };

  class Service : public idlrpc::Service {
   public:
    virtual TestResponse Echo(idlrpc::ServerContext& context, const TestRequest& request);
    virtual TestResponse Forward(idlrpc::ServerContext& context, const TestRequest& request);

   private:
    idlrpc::ServiceDefinition definition() final;
  };

  class AsyncService : public idlrpc::Service {
   public:
    virtual idlrpc::Task<TestResponse> Echo(idlrpc::ServerContext& context, const TestRequest& request);
    virtual idlrpc::Task<TestResponse> Forward(idlrpc::ServerContext& context, const TestRequest& request);

   private:
    idlrpc::ServiceDefinition definition() final;
  };
};

}  // namespace idlrpc::test
