// Fusion adaptation of the AST for X3's attribute propagation. Only nodes
// with two or more members are adapted: X3 mishandles one-member fusion
// structs, so those rules fill their node in a semantic action instead.
#pragma once

#include <boost/fusion/include/adapt_struct.hpp>

#include "frontend/ast.hpp"

BOOST_FUSION_ADAPT_STRUCT(idlc::frontend::ast::TypeRef, name, arguments)
BOOST_FUSION_ADAPT_STRUCT(idlc::frontend::ast::Field, optional, type, name, number)
BOOST_FUSION_ADAPT_STRUCT(idlc::frontend::ast::ReservedField, optional, type, number)
BOOST_FUSION_ADAPT_STRUCT(idlc::frontend::ast::RepeatedField, type, name, number)
BOOST_FUSION_ADAPT_STRUCT(idlc::frontend::ast::Oneof, name, fields)
BOOST_FUSION_ADAPT_STRUCT(idlc::frontend::ast::EnumValue, name, value)
BOOST_FUSION_ADAPT_STRUCT(idlc::frontend::ast::Enum, name, values)
BOOST_FUSION_ADAPT_STRUCT(idlc::frontend::ast::Message, name, members)
BOOST_FUSION_ADAPT_STRUCT(idlc::frontend::ast::RpcOption, name, value)
BOOST_FUSION_ADAPT_STRUCT(idlc::frontend::ast::Rpc, name, client_streaming, request, server_streaming, response, options)
BOOST_FUSION_ADAPT_STRUCT(idlc::frontend::ast::Service, name, rpcs)
