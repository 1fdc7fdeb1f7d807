"""Clients of the social networks (VK, VK ID, OK): plain Python and requests, no Django."""
