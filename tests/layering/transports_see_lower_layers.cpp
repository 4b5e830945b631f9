// Compiles: a layer sees the layers below it (the check above is not
// failing for another reason).
#include "sockjs/actors/interfaces.hpp"
#include "sockjs/protocol/frames.hpp"
#include "sockjs/server.hpp"
