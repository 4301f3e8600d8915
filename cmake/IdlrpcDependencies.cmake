# Every third-party package idlrpc builds against, found once here.
# scripts/install-deps installs them from Debian 12's archive.
find_package(Threads REQUIRED)
find_package(Boost 1.81 REQUIRED CONFIG)        # Asio (transport), Spirit X3 (parser)
find_package(CapnProto 0.9 REQUIRED CONFIG)     # wire format: builders, readers, framing
find_package(OpenSSL 3 REQUIRED)                # TLS (the runtime; asio::ssl)
find_package(fmt REQUIRED CONFIG)               # formatting of diagnostics and debug output
find_package(CLI11 REQUIRED CONFIG)             # idlc's and the examples' command lines
