// Must not compile: the actors layer cannot see the transports layer.
#include "sockjs/server.hpp"
