// Asio and Beast compiled once for the whole program: the onex_beast target, whose
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION reach every target that
// links it (onex_http among them), so no other file instantiates their non-template code.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
