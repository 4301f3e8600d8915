// The test service, written by hand exactly as idlc generates a service
// (docs/generated-code.md):
//
//   service Tester {
//     rpc Echo(TestRequest) returns (TestResponse);
//     rpc Forward(TestRequest) returns (TestResponse);
//     rpc Count(TestRequest) returns (stream TestResponse);
//     rpc Sum(stream TestRequest) returns (TestResponse);
//     rpc Chat(stream TestRequest) returns (stream TestResponse);
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
  static constexpr idlrpc::MethodInfo kCount{"/idlrpc.test.Tester/Count", idlrpc::CallKind::kServerStreaming};
  static constexpr idlrpc::MethodInfo kSum{"/idlrpc.test.Tester/Sum", idlrpc::CallKind::kClientStreaming};
  static constexpr idlrpc::MethodInfo kChat{"/idlrpc.test.Tester/Chat", idlrpc::CallKind::kBidiStreaming};

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

    idlrpc::ClientReader<TestResponse> Count(const TestRequest& request, const idlrpc::CallOptions& options = {}) {
      return idlrpc::server_streaming_call<TestResponse>(channel_, kCount, request, options);
    }
    idlrpc::ClientWriter<TestRequest, TestResponse> Sum(const idlrpc::CallOptions& options = {}) {
      return idlrpc::client_streaming_call<TestRequest, TestResponse>(channel_, kSum, options);
    }
    idlrpc::ClientReaderWriter<TestRequest, TestResponse> Chat(const idlrpc::CallOptions& options = {}) {
      return idlrpc::bidi_streaming_call<TestRequest, TestResponse>(channel_, kChat, options);
    }

    const idlrpc::Channel& channel() const { return channel_; }

   private:
    idlrpc::Channel channel_;
  };

  class Service : public idlrpc::Service {
   public:
    virtual TestResponse Echo(idlrpc::ServerContext& context, const TestRequest& request);
    virtual TestResponse Forward(idlrpc::ServerContext& context, const TestRequest& request);
    virtual void Count(idlrpc::ServerContext& context, const TestRequest& request,
                       idlrpc::ServerWriter<TestResponse>& writer);
    virtual TestResponse Sum(idlrpc::ServerContext& context, idlrpc::ServerReader<TestRequest>& reader);
    virtual void Chat(idlrpc::ServerContext& context,
                      idlrpc::ServerReaderWriter<TestResponse, TestRequest>& stream);

   private:
    idlrpc::ServiceDefinition definition() final;
  };

  class AsyncService : public idlrpc::Service {
   public:
    virtual idlrpc::Task<TestResponse> Echo(idlrpc::ServerContext& context, const TestRequest& request);
    virtual idlrpc::Task<TestResponse> Forward(idlrpc::ServerContext& context, const TestRequest& request);
    virtual idlrpc::Task<void> Count(idlrpc::ServerContext& context, const TestRequest& request,
                                     idlrpc::AsyncServerWriter<TestResponse>& writer);
    virtual idlrpc::Task<TestResponse> Sum(idlrpc::ServerContext& context,
                                           idlrpc::AsyncServerReader<TestRequest>& reader);
    virtual idlrpc::Task<void> Chat(idlrpc::ServerContext& context,
                                    idlrpc::AsyncServerReaderWriter<TestResponse, TestRequest>& stream);

   private:
    idlrpc::ServiceDefinition definition() final;
  };
};

}  // namespace idlrpc::test
