// Compiles Beast's and Asio's implementation once for the whole program
// (BOOST_*_SEPARATE_COMPILATION), so that every other unit builds faster.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
