"""Shell command lines for the network diagnostics page."""

TRACEROUTE = "/usr/bin/traceroute"


def traceroute_command(host, max_hops):
    return TRACEROUTE + " -m " + str(max_hops) + " " + host
