# The idlrpc wire protocol: every frame on a connection is one Cap'n Proto
# message of root type Frame, in Cap'n Proto's standard stream framing.
# docs/protocol.md is the prose specification of this schema.
@0x9412f8d802542a21;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("idlrpc::protocol");

# "IDLRPC\x00\x01" read as a little-endian UInt64: the first 8 payload bytes
# of a connection's HELLO, so a stray client of another protocol fails fast.
const helloMagic :UInt64 = 0x01004350524c4449;
const protocolVersion :UInt16 = 1;

struct Frame {
  # The call this frame belongs to; 0 for connection-level frames (hello,
  # ping, goAway). The client picks a new call's id: non-zero and greater
  # than every id it used before on this connection.
  streamId @0 :UInt32;

  union {
    hello @1 :Hello;                # first frame each side sends
    headers @2 :Headers;            # opens a call (client) / response metadata (server)
    message @3 :Message;            # one request or response message
    halfClose @4 :Void;             # the sender will send no more messages
    trailers @5 :Trailers;          # server: the call's final status
    cancel @6 :Cancel;              # either side: abandon the call (RST)
    windowUpdate @7 :WindowUpdate;  # receiver grants more send credit
    ping @8 :Ping;                  # liveness probe; answered with ack
    goAway @9 :GoAway;              # sender accepts no new calls
  }
}

struct Hello {
  magic @0 :UInt64;                 # must equal helloMagic
  version @1 :UInt16;               # must equal protocolVersion
  maxMessageBytes @2 :UInt32;       # largest frame the sender accepts
  maxConcurrentStreams @3 :UInt32;  # calls the sender accepts at once (server)
  initialWindowBytes @4 :UInt32;    # send credit each new stream starts with
  connectionWindowBytes @5 :UInt32; # send credit for all streams together; 0: none (a version-1.0 peer)
}

struct MetadataEntry {
  key @0 :Text;                     # lowercase ASCII
  value @1 :Data;                   # any bytes
}

struct Headers {
  method @0 :Text;                  # "/package.Service/Method"; empty in a response
  timeoutMicros @1 :UInt64;         # remaining time for the call; 0 = no deadline
  metadata @2 :List(MetadataEntry);
}

struct Message {
  payload @0 :AnyPointer;           # the request or response struct, in place
  endStream @1 :Bool;               # same as a halfClose right after this frame
}

struct Trailers {
  code @0 :UInt16;                  # idlrpc::StatusCode (gRPC's numbering)
  message @1 :Text;
  metadata @2 :List(MetadataEntry);
  refused @3 :Bool;                 # the server never started the call (it was
                                    # refusing calls): no handler saw it, so it
                                    # may go to another server
}

struct Cancel {
  code @0 :UInt16;                  # why: CANCELLED, DEADLINE_EXCEEDED, ...
  message @1 :Text;
}

struct WindowUpdate {
  bytes @0 :UInt32;                 # added to the stream's send credit
}

struct Ping {
  opaque @0 :UInt64;                # echoed back in the ack
  ack @1 :Bool;
}

struct GoAway {
  lastStreamId @0 :UInt32;          # highest stream id that will be processed
  code @1 :UInt16;
  message @2 :Text;
}
