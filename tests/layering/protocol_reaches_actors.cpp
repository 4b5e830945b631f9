// Must not compile: the protocol layer cannot see the actors layer.
#include "sockjs/actors/interfaces.hpp"
