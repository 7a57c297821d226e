// RingsidePhone: simulated and baresip phone links.
