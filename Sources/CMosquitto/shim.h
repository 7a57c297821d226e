#ifndef RINGSIDE_CMOSQUITTO_SHIM_H
#define RINGSIDE_CMOSQUITTO_SHIM_H
#include <mosquitto.h>
#endif
