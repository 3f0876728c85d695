"""Parley: the shared record of humanitarian pauses, corridors and local ceasefires."""
